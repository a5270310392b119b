"""The desk for the newsroom's own systems (token required, /api/v1/desk/): create an
article from text or a web address, list an article's claims in any status, mark a
passage, read a claim's status.

Writes go through the same services, permission checks and validation as the desk's
pages (the article form, ``claim_create_with_mention``, ``mention_link``); there is no
endpoint that submits, approves or publishes, so four-eyes is the desk's and the admin's
rule alone. Answers are private (``Cache-Control: no-store``) and never CORS-enabled.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from ninja import P, Path, Router, Status

from claims.api import schemas
from claims.api.auth import READ_DESK, WRITE_ARTICLES
from claims.api.problems import Problem
from claims.claimreview import absolute
from claims.forms.desk import ArticleForm
from claims.importing.errors import ArticleImportError
from claims.importing.upload import text_from_paste
from claims.models import Article, ArticleImport, ArticleRevision, Claim, Mention
from claims.permissions import can_mark_claims
from claims.roles import may
from claims.services import StaleRevision, article_create, claim_create_with_mention, mention_link
from claims.tasks.imports import start_import
from claims.text import SpanError
from claims.views.access import get_article_for_user, get_claim_for_user, get_import_for_user

router = Router(tags=["desk"])
# A row's id: a positive 64-bit integer (a larger one is no id, and PostgreSQL refuses it).
Id = Path[int, P(ge=1, le=2**63 - 1, description="The id.")]


def _private(response: HttpResponse) -> None:
    response["Cache-Control"] = "private, no-store"


def _require(user, action: str) -> None:
    if not may(user, action):
        raise Problem(
            403,
            gettext("Your account may not do this on the desk (its role does not allow it)."),
            code="forbidden",
        )


def _form_problem(form) -> Problem:
    errors = [
        {"location": "body", "name": "" if name == "__all__" else name, "detail": str(error)}
        for name, field_errors in form.errors.items()
        for error in field_errors
    ]
    return Problem(
        422,
        " ".join(error["detail"] for error in errors),
        code="invalid",
        errors=errors,
    )


# --- Representations ------------------------------------------------------------------
def article_data(request: HttpRequest, article: Article) -> dict:
    revision = article.current_revision
    return {
        "id": article.pk,
        "slug": article.slug,
        "title": article.title,
        "status": article.status,
        "status_label": article.get_status_display(),
        "outlet": article.outlet,
        "original_url": article.original_url,
        "language": article.language,
        "desk_url": absolute(request, reverse("claims:desk-article", kwargs={"pk": article.pk})),
        "url": absolute(request, article.get_absolute_url()) if article.is_public else None,
        "revision": {"id": revision.pk, "number": revision.number, "text": revision.text}
        if revision
        else None,
    }


def import_data(request: HttpRequest, job: ArticleImport) -> dict:
    return {
        "id": job.pk,
        "url": job.url,
        "status": job.status,
        "status_label": job.get_status_display(),
        "error": job.error,
        "title": job.given.get("title") or job.title,
        "article": job.article_id,
        "api_url": absolute(request, reverse("api:desk-import", kwargs={"pk": job.pk})),
    }


def claim_data(request: HttpRequest, claim: Claim, mentions: list[Mention]) -> dict:
    published = claim.status == Claim.Status.PUBLISHED
    return {
        "id": claim.pk,
        "slug": claim.slug,
        "status": claim.status,
        "status_label": claim.get_status_display(),
        "version": claim.version,
        "claim_reviewed": claim.claim_reviewed,
        "claimant": claim.claimant,
        "rating": claim.rating.slug if claim.rating else None,
        "conclusion": claim.conclusion,
        "assignee": claim.assignee.get_username() if claim.assignee else None,
        "submitted_at": claim.submitted_at,
        "published_at": claim.published_at,
        "desk_url": absolute(
            request, reverse("claims:desk-claim-review", kwargs={"pk": claim.pk})
        ),
        "url": absolute(request, claim.get_absolute_url()) if published else None,
        "api_url": absolute(request, reverse("api:desk-claim", kwargs={"pk": claim.pk})),
        "mentions": [
            {
                "id": mention.pk,
                "revision": mention.revision.number,
                "start": mention.start,
                "end": mention.end,
                "exact": mention.exact,
                "awaiting": mention.awaiting,
            }
            for mention in mentions
        ],
    }


_CLAIMS = Claim.objects.select_related("rating", "assignee")


def _created(request: HttpRequest, response: HttpResponse, article: Article) -> Status:
    """201 with the new article and its address."""
    article.refresh_from_db()
    response["Location"] = absolute(
        request, reverse("api:desk-article", kwargs={"pk": article.pk})
    )
    return Status(201, article_data(request, article))


# --- Articles -----------------------------------------------------------------------------
@router.post(
    "/articles",
    auth=WRITE_ARTICLES,
    response={201: schemas.DeskArticle, 202: schemas.DeskImport, **schemas.DESK_ERRORS},
    url_name="desk-articles",
    summary="Create an article from its text or a web address",
)
def article_new(request: HttpRequest, response: HttpResponse, payload: schemas.ArticleIn):
    """With `text`: the article is saved at once (201). With `url`: the page is loaded in
    the background (202); follow the import's `api_url` until it is `ready`, then make
    the article from it. The same checks as the desk's form."""
    _require(request.user, "use_desk")
    data = payload.dict()
    form = ArticleForm(
        {
            **{name: data[name] or "" for name in Article.METADATA_FIELDS},
            "text": data["text"],
            "fetch_url": data["url"],
        }
    )
    if not form.is_valid():
        raise _form_problem(form)
    _private(response)
    if form.cleaned_data["fetch_url"]:
        job = start_import(
            user=request.user,
            url=form.cleaned_data["fetch_url"],
            given={name: form.cleaned_data[name] for name in Article.METADATA_FIELDS},
            message_language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        response["Location"] = import_data(request, job)["api_url"]
        return Status(202, import_data(request, job))
    try:
        article = article_create(
            article=form.save(commit=False),
            imported=text_from_paste(form.cleaned_data["text"]),
            origin=ArticleRevision.Origin.PASTE,
            user=request.user,
        )
    except ArticleImportError as error:
        raise Problem(
            422,
            str(error),
            code="invalid",
            errors=[{"location": "body", "name": "text", "detail": str(error)}],
        ) from None
    return _created(request, response, article)


@router.get(
    "/imports/{pk}",
    auth=READ_DESK,
    response={200: schemas.DeskImport, **schemas.DESK_ERRORS},
    url_name="desk-import",
    summary="Where a web address's import stands",
)
def import_detail(request: HttpRequest, response: HttpResponse, pk: Id):
    job = get_import_for_user(request.user, pk)
    _private(response)
    return import_data(request, job)


@router.post(
    "/imports/{pk}/article",
    auth=WRITE_ARTICLES,
    response={201: schemas.DeskArticle, **schemas.DESK_ERRORS},
    url_name="desk-import-article",
    summary="Make the article from a ready import",
)
def import_to_article(request: HttpRequest, response: HttpResponse, pk: Id):
    """The article from the page's text and metadata (what was given with the import
    wins). On the desk an editor checks this preview first; a system takes it as is."""
    job = get_import_for_user(request.user, pk)
    if job.article_id is not None:
        raise Problem(409, gettext("The article was made from this import already."))
    if job.status != ArticleImport.Status.READY:
        raise Problem(
            409,
            gettext("This import is not ready: it is %(status)s.")
            % {"status": job.get_status_display()},
        )
    given = job.given
    article = Article(
        title=given.get("title") or job.title,
        outlet=given.get("outlet") or job.site_name,
        byline=given.get("byline") or job.byline,
        original_url=given.get("original_url") or job.final_url,
        published_on=given.get("published_on") or job.published_on,
        language=given.get("language") or job.language,
    )
    try:
        article = article_create(
            article=article,
            imported=text_from_paste(job.text),
            origin=ArticleRevision.Origin.URL,
            user=request.user,
            from_import=job,
        )
    except ArticleImportError as error:
        raise Problem(422, str(error), code="invalid") from None
    _private(response)
    return _created(request, response, article)


@router.get(
    "/articles/{pk}",
    auth=READ_DESK,
    response={200: schemas.DeskArticle, **schemas.DESK_ERRORS},
    url_name="desk-article",
    summary="An article in any status, with its current text",
)
def article_detail(request: HttpRequest, response: HttpResponse, pk: Id):
    article = get_article_for_user(request.user, pk)
    _private(response)
    return article_data(request, article)


@router.get(
    "/articles/{pk}/claims",
    auth=READ_DESK,
    response={200: schemas.DeskClaimList, **schemas.DESK_ERRORS},
    url_name="desk-article-claims",
    summary="The claims marked in an article, in any status",
)
def article_claims(request: HttpRequest, response: HttpResponse, pk: Id):
    """Every claim with a passage in the article's current text, and those passages."""
    article = get_article_for_user(request.user, pk)
    mentions = Mention.objects.filter(revision=article.current_revision_id).select_related(
        "revision"
    )
    claims = (
        _CLAIMS.filter(mentions__revision=article.current_revision_id)
        .distinct()
        .prefetch_related(Prefetch("mentions", queryset=mentions.order_by("start", "pk")))
        .order_by("pk")
    )
    _private(response)
    return {"items": [claim_data(request, c, list(c.mentions.all())) for c in claims]}


@router.post(
    "/articles/{pk}/mentions",
    auth=WRITE_ARTICLES,
    response={200: schemas.DeskClaim, 201: schemas.DeskClaim, **schemas.DESK_ERRORS},
    url_name="desk-article-mentions",
    summary="Mark a passage: a new draft claim, or a new appearance of a claim",
)
def mark(request: HttpRequest, response: HttpResponse, pk: Id, payload: schemas.MarkIn):
    """As on the desk: offsets in code points of the current revision and the quote,
    which must match the text there. A passage a draft claim marks already answers that
    claim (200). With `claim`, the passage is linked to it; for a published claim the
    new appearance waits for a reviewer."""
    article = get_article_for_user(request.user, pk)
    if not can_mark_claims(request.user):
        raise Problem(403, gettext("Your account may not mark claims."), code="forbidden")
    if payload.revision != article.current_revision_id:
        raise Problem(
            409,
            gettext(
                "The article's text has changed: revision %(revision)s is not the current "
                "one. Read the article again and mark the passage in its current text."
            )
            % {"revision": payload.revision},
            code="stale_revision",
        )
    span = {
        "revision": article.current_revision,
        "start": payload.start,
        "end": payload.end,
        "exact": payload.exact,
        "user": request.user,
    }
    if payload.start >= payload.end:
        raise Problem(422, gettext("The passage is empty: `end` must be after `start`."))
    status = 201
    try:
        if payload.claim is not None:
            claim = get_claim_for_user(request.user, payload.claim)
            mention_link(claim=claim, **span)
        else:
            marked = claim_create_with_mention(**span)
            claim = marked.mention.claim
            status = 201 if marked.created else 200
    except StaleRevision:
        raise Problem(
            409, gettext("The article's text has changed."), code="stale_revision"
        ) from None
    except SpanError as error:
        raise Problem(422, _span_sentence(error.code), code=error.code) from None
    except PermissionDenied as error:
        raise Problem(403, str(error) or None, code="forbidden") from None
    claim = _CLAIMS.get(pk=claim.pk)
    mentions = list(
        claim.mentions.filter(revision=article.current_revision).select_related("revision")
    )
    data = claim_data(request, claim, mentions)
    _private(response)
    response["Location"] = data["api_url"]
    return Status(status, data)


def _span_sentence(code: str) -> str:
    sentences = {
        "out_of_range": gettext("The passage lies outside the article's text."),
        "quote_mismatch": gettext(
            "`exact` is not the text between `start` and `end` of the current revision."
        ),
        "splits_character": gettext(
            "The passage starts or ends inside a character (a combining accent, an emoji): "
            "move it to whole characters."
        ),
    }
    return sentences.get(code, gettext("The passage's offsets are not valid."))


# --- Claims -------------------------------------------------------------------------------
@router.get(
    "/claims/{pk}",
    auth=READ_DESK,
    response={200: schemas.DeskClaim, **schemas.DESK_ERRORS},
    url_name="desk-claim",
    summary="A claim's status, in any status",
)
def claim_detail(request: HttpRequest, response: HttpResponse, pk: Id):
    claim = get_claim_for_user(request.user, pk)
    mentions = claim.mentions.select_related("revision").order_by(
        "revision__number", "start", "pk"
    )
    _private(response)
    return claim_data(request, claim, list(mentions))
