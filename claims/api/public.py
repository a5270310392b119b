"""Reads of everything readers may see: claims, articles, the rating scale, corrections.

Every read starts from the models' ``published()`` querysets, as the public pages do, so
a draft, a claim in review, a dismissed claim, a passage waiting for approval or an
unpublished article never appears — not in a list, a count or a cursor. A claim or an
article that was public and was withdrawn answers 410, like its page.

Answers are public: ``Cache-Control: public``, CORS open to every origin without
credentials (factcheck.api_headers), an ETag from ConditionalGetMiddleware (so
``If-None-Match`` gets a 304), and ``Last-Modified`` where one timestamp covers the answer.
"""

import json
import re
from datetime import UTC, date, datetime, time
from typing import Annotated

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, urlencode
from django.utils.translation import gettext
from ninja import P, Path, Query, Router
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from claims.annotations import CONTEXT as ANNOTATION_CONTEXT
from claims.annotations import MEDIA_TYPE as ANNOTATION_MEDIA_TYPE
from claims.annotations import article_annotations, article_at, published_mentions
from claims.api import schemas
from claims.api.paging import Page, keyset_page
from claims.api.problems import Problem
from claims.caching import public_last_modified
from claims.claimreview import (
    absolute,
    absolute_url_maker,
    claim_review,
    claimreview_feed,
    published_claims_for_feed,
)
from claims.matching import similar_claims
from claims.models import Article, Claim, Correction, Mention, Rating, Source
from claims.search import search_claims

router = Router(tags=["public"])

PUBLIC_MAX_AGE = 60
FEED_MEDIA_TYPE = "application/ld+json"
# Text parameters hold no NUL character: PostgreSQL text cannot, and a parameter that
# would fail there is refused as invalid (400) on every database.
TEXT = r"^[^\x00]*$"
SLUG = r"^[-a-zA-Z0-9_]+$"  # as Django's SlugField
Limit = Query[int, P(ge=1, le=100, description="Items per page (1–100).")]
Cursor = Query[
    str, P(max_length=400, pattern=TEXT, description="The previous page's `next_cursor`.")
]
SlugPath = Path[str, P(max_length=100, pattern=SLUG, description="The public address's slug.")]


def _iso_8601(value):
    """Dates and times only as ISO 8601 text: pydantic would also read a number as a Unix
    time, which the schema does not promise."""
    if isinstance(value, str) and not re.match(r"\d{4}-\d{2}-\d{2}", value):
        raise PydanticCustomError("datetime_parsing", "Enter an ISO 8601 date or time.")
    return value


Since = Annotated[datetime | date, BeforeValidator(_iso_8601)]


# --- Answers ------------------------------------------------------------------------------
def _public(response: HttpResponse) -> None:
    """A public answer: cacheable for a minute; ``Last-Modified`` is when anything public
    last changed (a withdrawal or an approved removal changes an answer without touching
    what is left in it, so no answer's own rows can date it)."""
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    last_modified = public_last_modified()
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())


def _api_url(request: HttpRequest, name: str, **kwargs) -> str:
    return absolute(request, reverse(f"api:{name}", kwargs=kwargs))


def _by_slug(request: HttpRequest, name: str):
    """A function slug → the absolute URL of ``name``, made once per request."""
    makers = request.__dict__.setdefault("_api_urls", {})
    if name not in makers:
        makers[name] = absolute_url_maker(request, name)
    return makers[name]


def _next_link(request: HttpRequest, page: Page) -> str | None:
    if page.next_cursor is None:
        return None
    params = request.GET.copy()
    params["cursor"] = page.next_cursor
    return absolute(request, f"{request.path}?{urlencode(sorted(params.lists()), doseq=True)}")


# --- Representations ------------------------------------------------------------------
def rating_data(rating: Rating | None) -> dict | None:
    if rating is None:
        return None
    return {
        "slug": rating.slug,
        "scale": rating.scale,
        "value": rating.value,
        "label": rating.local_label,
        "description": rating.local_description,
        "colour": rating.colour,
    }


# A claim in a list, as stored: read with values(), not as model instances (a page of
# 100 claims costs a tenth of the time), and the few ratings looked up by id.
CLAIM_FIELDS = (
    "pk",
    "slug",
    "claim_reviewed",
    "claimant",
    "claimant_url",
    "claim_date",
    "language",
    "rating_id",
    "conclusion",
    "published_at",
    "updated_at",
)


def _ratings(request: HttpRequest) -> dict[int, dict]:
    """Every rating's representation by id, once per request (the scale is short)."""
    if not hasattr(request, "_api_ratings"):
        request._api_ratings = {r.pk: rating_data(r) for r in Rating.objects.all()}
    return request._api_ratings


def claim_data(request: HttpRequest, claim: dict) -> dict:
    """``claim``: a row of ``CLAIM_FIELDS`` (``claim_row`` makes one of a model)."""
    slug = claim["slug"]
    return {
        "slug": slug,
        "url": _by_slug(request, "claims:claim")(slug),
        "api_url": _by_slug(request, "api:claim")(slug),
        "claim_reviewed": claim["claim_reviewed"],
        "claimant": claim["claimant"],
        "claimant_url": claim["claimant_url"],
        "claim_date": claim["claim_date"],
        "language": claim["language"],
        "rating": _ratings(request).get(claim["rating_id"]),
        "conclusion": claim["conclusion"],
        "published_at": claim["published_at"],
        "updated_at": claim["updated_at"],
    }


def claim_row(claim: Claim) -> dict:
    return {name: getattr(claim, name) for name in CLAIM_FIELDS}


def article_ref(request: HttpRequest, article: Article) -> dict:
    return {
        "slug": article.slug,
        "title": article.title,
        "url": _by_slug(request, "claims:article")(article.slug),
        "api_url": _by_slug(request, "api:article")(article.slug),
    }


def article_data(request: HttpRequest, article: Article) -> dict:
    return {
        **article_ref(request, article),
        "outlet": article.outlet,
        "byline": article.byline,
        "original_url": article.original_url,
        "published_on": article.published_on,
        "language": article.language,
        "published_at": article.published_at,
        "updated_at": article.updated_at,
    }


def correction_data(request: HttpRequest, correction: Correction, claim: Claim) -> dict:
    return {
        "claim": claim.slug,
        "claim_url": _by_slug(request, "claims:claim")(claim.slug),
        "kind": correction.kind,
        "kind_label": correction.get_kind_display(),
        "note": correction.note,
        "old_rating": correction.old_rating.slug if correction.old_rating else None,
        "new_rating": correction.new_rating.slug if correction.new_rating else None,
        "published_at": correction.published_at,
    }


def _withdrawn(queryset, slug: str) -> Problem:
    """410 for what was public and was withdrawn, else 404; in whole sentences per kind
    (German articles and claims differ in gender)."""
    is_claim = queryset.model is Claim
    if queryset.withdrawn().filter(slug=slug).exists():
        detail = (
            gettext("This claim was published and has been withdrawn.")
            if is_claim
            else gettext("This article was published and has been withdrawn.")
        )
        return Problem(410, detail, code="withdrawn")
    detail = (
        gettext("No published claim has this slug.")
        if is_claim
        else gettext("No published article has this slug.")
    )
    return Problem(404, detail)


# --- Claims -------------------------------------------------------------------------------
def _since(value: datetime | date | None) -> datetime | None:
    """A date means its first moment (UTC); a time without a zone is UTC."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


@router.get(
    "/claims",
    response={200: schemas.ClaimPage, **schemas.READ_ERRORS},
    url_name="claims",
    summary="Published claims, newest first",
)
def claim_list(
    request: HttpRequest,
    response: HttpResponse,
    q: Query[
        str,
        P(
            max_length=200,
            pattern=TEXT,
            description="Words in the claim, its claimant or its verdict.",
        ),
    ] = "",
    rating: Query[
        str, P(max_length=200, pattern=TEXT, description="A verdict's slug (see /ratings).")
    ] = "",
    claimant: Query[
        str, P(max_length=200, pattern=TEXT, description="Part of the claimant's name.")
    ] = "",
    language: Query[
        str, P(max_length=200, pattern=TEXT, description="A language tag, e.g. `de`.")
    ] = "",
    article: Query[
        str,
        P(max_length=200, pattern=TEXT, description="An article's slug: the claims marked in it."),
    ] = "",
    published_since: Query[
        Since | None,
        P(
            description=(
                "Published at or after this date (`2026-03-01`) or ISO 8601 time "
                "(UTC if it has no zone)."
            )
        ),
    ] = None,
    updated_since: Query[
        Since | None,
        P(description="Changed at or after this time (to sync). A date or an ISO 8601 time."),
    ] = None,
    cursor: Cursor = "",
    limit: Limit = 50,
):
    """Published claims, newest publication first, `limit` at a time. Follow `next` for
    the next page: the cursor is stable while new claims are published."""
    claims = Claim.objects.published()
    if rating:
        claims = claims.filter(rating__slug=rating)
    if claimant:
        claims = claims.filter(claimant__icontains=claimant)
    if language:
        claims = claims.filter(language=language)
    if article:
        claims = claims.filter(
            pk__in=Mention.objects.in_public_articles()
            .filter(revision__article__slug=article)
            .values("claim_id")
        )
    if since := _since(published_since):
        claims = claims.filter(published_at__gte=since)
    if since := _since(updated_since):
        claims = claims.filter(updated_at__gte=since)
    if q.strip():
        claims = search_claims(claims, q)
    page = keyset_page(
        claims,
        name="claims",
        field="published_at",
        cursor=cursor,
        limit=limit,
        values=CLAIM_FIELDS,
    )
    _public(response)
    return {
        "items": [claim_data(request, claim) for claim in page.items],
        "next": _next_link(request, page),
        "next_cursor": page.next_cursor,
    }


# Before /claims/{slug}, which would take "similar" for a slug.
@router.get(
    "/claims/similar",
    response={200: schemas.SimilarClaims, **schemas.READ_ERRORS},
    url_name="claims-similar",
    summary="Published claims that a text may repeat",
)
def claim_similar(
    request: HttpRequest,
    response: HttpResponse,
    text: Query[
        str,
        P(
            min_length=1,
            max_length=2000,
            pattern=TEXT,
            description="The text to compare: a sentence or a passage (up to 2,000 characters).",
        ),
    ],
    language: Query[
        str,
        P(
            max_length=35,
            # The languages the matching reads (a region, `de-AT`, reads as its language).
            pattern=r"^(de|en)(-[A-Za-z0-9]{1,8})*$",
            description=(
                "The text's language, `de` or `en` (a region such as `de-AT` is read as its "
                "language): how its words are read."
            ),
        ),
    ] = "de",
    limit: Query[int, P(ge=1, le=20, description="At most this many claims (1–20).")] = 5,
):
    """The published claims that `text` most likely repeats, best first, found by the
    desk's claim matching (lemmas, stems and numbers, no semantic guessing). Each has
    its `score` and the words of `text` it shares (`matched`, with code-point offsets
    into `text`). Claims below the matching threshold are left out."""
    found = similar_claims(text, language, limit=limit)
    _public(response)
    return {
        "items": [
            {
                **claim_data(request, claim_row(one.claim)),
                "score": round(one.score, 3),
                "matched": [
                    {"text": text[start:end], "start": start, "end": end}
                    for start, end in one.words
                ],
            }
            for one in found
        ]
    }


@router.get(
    "/claims/{slug}",
    response={200: schemas.ClaimDetail, **schemas.READ_ERRORS},
    url_name="claim",
    summary="A published claim with its evidence",
)
def claim_detail(request: HttpRequest, response: HttpResponse, slug: SlugPath):
    """The claim with its sources, where it appears (article, quote, offsets), its
    published corrections and the ClaimReview object of its page."""
    claim = (
        Claim.objects.published()
        .select_related("rating")
        .prefetch_related(
            Prefetch("sources", queryset=Source.objects.order_by("position", "pk")),
            Prefetch(
                "corrections",
                queryset=Correction.objects.public()
                .select_related("old_rating", "new_rating")
                .order_by("-published_at"),
                to_attr="public_corrections",
            ),
            Prefetch(
                "mentions",
                queryset=Mention.objects.appearances(),
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if claim is None:
        raise _withdrawn(Claim.objects, slug)
    mentions = list(claim.mentions.all())
    data = claim_data(request, claim_row(claim))
    data["explanation"] = claim.explanation
    data["sources"] = [
        {
            "title": source.title,
            "url": source.url,
            "publisher": source.publisher,
            "published_on": source.published_on,
            "accessed_on": source.accessed_on,
            "kind": source.kind,
            "stance": source.stance,
            "quote": source.quote,
            "archived_url": source.archive_url,
        }
        for source in claim.sources.all()
    ]
    data["appearances"] = [
        {
            "article": article_ref(request, mention.revision.article),
            "revision": mention.revision.number,
            "exact": mention.exact,
            "prefix": mention.prefix,
            "suffix": mention.suffix,
            "start": mention.start,
            "end": mention.end,
            "original_url": mention.revision.article.original_url,
        }
        for mention in mentions
    ]
    data["corrections"] = [
        correction_data(request, correction, claim) for correction in claim.public_corrections
    ]
    data["claim_review"] = claim_review(claim, mentions, request)
    _public(response)
    return data


# --- Articles -----------------------------------------------------------------------------
@router.get(
    "/articles",
    response={200: schemas.ArticlePage, **schemas.READ_ERRORS},
    url_name="articles",
    summary="Published articles, newest first",
)
def article_list(
    request: HttpRequest, response: HttpResponse, cursor: Cursor = "", limit: Limit = 50
):
    articles = Article.objects.published()
    page = keyset_page(articles, name="articles", field="published_at", cursor=cursor, limit=limit)
    _public(response)
    return {
        "items": [article_data(request, article) for article in page.items],
        "next": _next_link(request, page),
        "next_cursor": page.next_cursor,
    }


def published_article(slug: str) -> Article:
    article = (
        Article.objects.published().select_related("current_revision").filter(slug=slug).first()
    )
    if article is None:
        raise _withdrawn(Article.objects, slug)
    return article


@router.get(
    "/articles/{slug}",
    response={200: schemas.ArticleDetail, **schemas.READ_ERRORS},
    url_name="article",
    summary="A published article with its text and checked passages",
)
def article_detail(request: HttpRequest, response: HttpResponse, slug: SlugPath):
    """The article's current text and the passages of published claims marked in it
    (offsets in code points of that text)."""
    article = published_article(slug)
    revision = article.current_revision
    data = article_data(request, article)
    data["revision"] = None
    data["mentions"] = []
    if revision is not None:
        data["revision"] = {
            "number": revision.number,
            "created_at": revision.created_at,
            "text": revision.text,
        }
        mentions = published_mentions(revision)
        data["mentions"] = [
            {
                "claim": mention.claim.slug,
                "claim_url": _by_slug(request, "claims:claim")(mention.claim.slug),
                "api_url": _by_slug(request, "api:claim")(mention.claim.slug),
                "claim_reviewed": mention.claim.claim_reviewed,
                "rating": mention.claim.rating.slug if mention.claim.rating else None,
                "exact": mention.exact,
                "prefix": mention.prefix,
                "suffix": mention.suffix,
                "start": mention.start,
                "end": mention.end,
            }
            for mention in mentions
        ]
    _public(response)
    return data


def _json_ld(data: dict, media_type: str) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder), content_type=media_type
    )


def _documented(media_type: str, description: str) -> dict:
    """openapi_extra of an operation answering JSON-LD rather than plain JSON."""
    return {
        "responses": {
            200: {
                "description": description,
                "content": {media_type: {"schema": {"type": "object"}}},
            }
        }
    }


def _article_collection(request: HttpRequest, article: Article) -> dict:
    """The article's AnnotationCollection under its own address (by slug), whichever
    endpoint asked: an annotation has one id."""
    revision = article.current_revision
    mentions = published_mentions(revision) if revision is not None else []
    collection_url = _api_url(request, "article-annotations", slug=article.slug)
    return article_annotations(
        article, revision, mentions, collection_url=collection_url, request=request
    )


@router.get(
    "/articles/{slug}/annotations",
    response={200: dict, **schemas.READ_ERRORS},
    url_name="article-annotations",
    summary="The checked passages as W3C Web Annotations",
    openapi_extra=_documented(
        ANNOTATION_MEDIA_TYPE, "An AnnotationCollection (W3C Web Annotation Data Model)."
    ),
)
def article_annotation_list(
    request: HttpRequest,
    slug: SlugPath,
    page: Query[int | None, P(ge=1, description="`1`: the first (and only) page alone.")] = None,
):
    """One `Annotation` per published passage (motivation `assessing`): the verdict and
    conclusion as a `TextualBody` in the claim's language, a link to the claim page, and
    a target on the article's original address with a `TextQuoteSelector` and a
    `TextPositionSelector` (code points). All annotations are on the first page."""
    collection = _article_collection(request, published_article(slug))
    if page is not None:
        if page != 1:
            raise Problem(404, gettext("All annotations are on page 1."))
        collection = {"@context": collection["@context"], **collection["first"]}
    response = _json_ld(collection, ANNOTATION_MEDIA_TYPE)
    _public(response)
    return response


@router.get(
    "/annotations",
    response={200: dict, **schemas.READ_ERRORS},
    url_name="annotations",
    summary="The checked passages of a publisher's page, as W3C Web Annotations",
    openapi_extra=_documented(
        ANNOTATION_MEDIA_TYPE, "An AnnotationCollection (W3C Web Annotation Data Model)."
    ),
)
def page_annotation_list(
    request: HttpRequest,
    url: Query[
        str,
        P(
            min_length=1,
            max_length=2000,
            pattern=r"^[hH][tT][tT][pP][sS]?://[^\x00-\x20]+$",
            description="The page's address where it was published (its canonical URL).",
        ),
    ],
):
    """What the embed script reads on a publisher's page (docs/embed.md): the same
    collection as `/articles/{slug}/annotations`, for the public article whose original
    address is `url` (without its fragment, with or without a trailing slash, http or
    https). A page the desk has no public article of answers an empty collection, so the
    script quietly does nothing. CORS answers only the origins in
    `FACTCHECK_EMBED_ORIGINS`."""
    article = article_at(url)
    if article is None or article.current_revision is None:
        collection = {
            "@context": ANNOTATION_CONTEXT,
            "id": f"{_api_url(request, 'annotations')}?{urlencode({'url': url})}",
            "type": "AnnotationCollection",
            "total": 0,
        }
    else:
        collection = _article_collection(request, article)
    response = _json_ld(collection, ANNOTATION_MEDIA_TYPE)
    _public(response)
    return response


@router.get(
    "/claimreview-feed.json",
    response={200: dict, **schemas.READ_ERRORS},
    url_name="claimreview-feed",
    summary="Every published ClaimReview as a schema.org DataFeed",
    openapi_extra=_documented(
        FEED_MEDIA_TYPE, "A schema.org DataFeed whose items are ClaimReview objects."
    ),
)
def claimreview_data_feed(request: HttpRequest):
    """The format of Google's Fact Check Tools and Data Commons: one `DataFeedItem` per
    published claim, holding the same ClaimReview object as the claim's page, with
    `dateModified`."""
    claims = list(published_claims_for_feed())
    feed = claimreview_feed(claims, request, url=_api_url(request, "claimreview-feed"))
    response = _json_ld(feed, FEED_MEDIA_TYPE)
    _public(response)
    return response


# --- Ratings and corrections -----------------------------------------------------------
@router.get(
    "/ratings",
    response={200: schemas.RatingScale, **schemas.READ_ERRORS},
    url_name="ratings",
    summary="The rating scale",
)
def rating_list(request: HttpRequest, response: HttpResponse):
    """Every verdict the newsroom gives, in the scale's order, named in the request's
    language."""
    _public(response)
    return {"items": [rating_data(rating) for rating in Rating.objects.all()]}


@router.get(
    "/corrections",
    response={200: schemas.CorrectionPage, **schemas.READ_ERRORS},
    url_name="corrections",
    summary="Published corrections, newest first",
)
def correction_list(
    request: HttpRequest, response: HttpResponse, cursor: Cursor = "", limit: Limit = 50
):
    corrections = Correction.objects.public().select_related("claim", "old_rating", "new_rating")
    page = keyset_page(
        corrections, name="corrections", field="published_at", cursor=cursor, limit=limit
    )
    _public(response)
    return {
        "items": [correction_data(request, c, c.claim) for c in page.items],
        "next": _next_link(request, page),
        "next_cursor": page.next_cursor,
    }
