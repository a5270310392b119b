"""Desk endpoints that change mentions: mark, link, adjust and remove passages (htmx).

Each answers an htmx request with the claim panel plus out-of-band updates of the
paragraphs that changed and of the claims list, so the page never reloads.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from claims.forms.desk import AdjustMentionForm, LinkForm, SpanForm
from claims.models import ArticleRevision, Mention, WorkflowError
from claims.permissions import can_mark_claims, can_remove_mention
from claims.services import (
    Removal,
    StaleRevision,
    claim_create_with_mention,
    mention_delete,
    mention_link,
    mention_move,
)
from claims.text import (
    SpanError,
    narrow_end,
    narrow_start,
    validate_span,
    widen_end,
    widen_start,
)
from claims.views.access import (
    desk_required,
    get_article_for_user,
    get_claim_for_user,
    get_mention_for_user,
)
from claims.views.limits import max_body
from claims.views.responses import error_response, refusal_status
from claims.workspace import (
    WORKSPACE,
    mention_update_context,
    panel_context,
    panel_url,
    similar_before_mark,
    similar_context,
    workspace_context,
)

SPAN_MESSAGES = {
    "invalid_offsets": gettext_lazy(
        "The selection has invalid offsets. Select the passage again."
    ),
    "out_of_range": gettext_lazy("The selection lies outside the article text. Reload the page."),
    "quote_mismatch": gettext_lazy(
        "The text you selected no longer matches the article. Reload the page and select "
        "the passage again."
    ),
    "splits_character": gettext_lazy(
        "The selection starts or ends inside a character (e.g. before an accent or inside "
        "an emoji). Select whole characters."
    ),
}
STALE_MESSAGE = gettext_lazy(
    "The article text has changed since you opened it. Reload the page and select the "
    "passage again."
)


def _span_error(request, error: SpanError) -> HttpResponse:
    return error_response(
        request, str(SPAN_MESSAGES.get(error.code, SPAN_MESSAGES["invalid_offsets"])), 400
    )


def _form_error(request, form) -> HttpResponse:
    return error_response(
        request,
        _("The selection could not be read: %(errors)s")
        % {"errors": "; ".join(str(e) for errors in form.errors.values() for e in errors)},
        400,
    )


def _revision_of(request, article, form) -> ArticleRevision | None:
    revision_pk = form.cleaned_data["revision"]
    if revision_pk != article.current_revision_id:
        return None
    return article.current_revision


def _mention_update_response(
    request, article, claim, *, spans, new_row=None, created=False, status_message=""
) -> HttpResponse:
    """The answer after a change of passages: for htmx, the panel, the paragraphs it
    touched and the claims list (``workspace.mention_update_context``); otherwise a
    redirect to the claim's panel, or to the workspace when the claim has none here."""
    # A claim left without a passage in this article has no panel here any more (one that
    # just got its first passage here, ``new_row``, obviously has one).
    if (
        claim is not None
        and new_row is None
        and not claim.mentions.filter(revision__article=article).exists()
    ):
        claim = None
    workspace_url = reverse("claims:desk-article", kwargs={"pk": article.pk})
    if not request.htmx:
        return redirect(panel_url(article, claim) if claim else workspace_url)
    context = mention_update_context(
        request,
        article,
        claim,
        spans=spans,
        new_row=new_row,
        created=created,
        status_message=status_message,
    )
    response = render(request, f"{WORKSPACE}#mention-update", context)
    response["HX-Push-Url"] = panel_url(article, claim) if claim else workspace_url
    return response


def _apply_selection(request, article, form, write):
    """Validate the selection in ``form`` and pass it to ``write``.

    Returns ``(mention, None)``, or ``(None, response)`` with a 4xx answer in words.
    """
    if not form.is_valid():
        return None, _form_error(request, form)
    revision = _revision_of(request, article, form)
    if revision is None:
        return None, error_response(request, str(STALE_MESSAGE), 409)
    data = form.cleaned_data
    try:
        mention = write(
            revision=revision,
            start=data["start"],
            end=data["end"],
            exact=data["exact"],
            user=request.user,
        )
    except StaleRevision:
        return None, error_response(request, str(STALE_MESSAGE), 409)
    except SpanError as error:
        return None, _span_error(request, error)
    return mention, None


@require_POST
@desk_required
@max_body(100_000)
def mark_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """Create a draft claim and its mention from the selected passage."""
    article = get_article_for_user(request.user, pk)
    if not can_mark_claims(request.user):
        return error_response(request, _("You may not mark claims."), 403)
    form = SpanForm(request.POST)
    if request.POST.get("new") != "1":
        similar = _similar_first(request, article, form)
        if similar is not None:
            return similar
    marked, refusal = _apply_selection(request, article, form, claim_create_with_mention)
    if refusal:
        return refusal
    mention = marked.mention
    if not marked.created:
        # The passage was marked already (a double click, a second tab): its claim.
        return _mention_update_response(
            request,
            article,
            mention.claim,
            spans=[(mention.start, mention.end)],
            status_message=_("This passage is already marked as a draft claim; here it is."),
        )
    return _mention_update_response(
        request,
        article,
        mention.claim,
        spans=[(mention.start, mention.end)],
        new_row=mention,
        created=True,
        status_message=_("Claim marked. Fill in the panel to check it."),
    )


def _similar_first(request, article, form) -> HttpResponse | None:
    """Before a new claim is made: the claim panel listing the existing claims (any
    status) the selection may repeat, with nothing created — or None when there are none
    (or the selection is refused: ``_apply_selection`` answers that in words)."""
    if not form.is_valid():
        return None
    revision = _revision_of(request, article, form)
    if revision is None:
        return None
    data = form.cleaned_data
    try:
        validate_span(revision.text, data["start"], data["end"], data["exact"])
    except SpanError:
        return None
    similar = similar_before_mark(revision, data["start"], data["end"], data["exact"])
    if not similar:
        return None
    span = {key: data[key] for key in ("revision", "start", "end", "exact")}
    context = similar_context(article, span, similar)
    count = len(similar)
    status = ngettext(
        "%(count)s similar claim already exists.",
        "%(count)s similar claims already exist.",
        count,
    ) % {"count": count}
    if request.htmx:
        context["status_message"] = status
        return render(request, "claims/desk/_similar_update.html", context)
    return render(
        request,
        WORKSPACE,
        workspace_context(article) | context | {"status_message": status},
    )


@require_POST
@desk_required
@max_body(100_000)
def link_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach the selected passage to an existing claim."""
    article = get_article_for_user(request.user, pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        return _form_error(request, form)
    claim = get_claim_for_user(request.user, form.cleaned_data["claim"])
    already_here = claim.mentions.filter(revision=article.current_revision).exists()
    mention, refusal = _apply_selection(
        request, article, form, lambda **span: mention_link(claim=claim, **span)
    )
    if refusal:
        return refusal
    return _mention_update_response(
        request,
        article,
        claim,
        spans=[(mention.start, mention.end)],
        new_row=None if already_here else mention,
        status_message=_("Passage linked to the claim.")
        if not mention.is_pending
        else _("Passage linked. Readers see it once a reviewer approves it."),
    )


ADJUSTERS = {
    "widen-start": lambda t, s, e: (widen_start(t, s, e), e),
    "narrow-start": lambda t, s, e: (narrow_start(t, s, e), e),
    "widen-end": lambda t, s, e: (s, widen_end(t, s, e)),
    "narrow-end": lambda t, s, e: (s, narrow_end(t, s, e)),
}


@require_POST
@desk_required
def adjust_mention(request: HttpRequest, mention_pk: int) -> HttpResponse:
    """Widen or narrow a mention by one word at its start or end."""
    mention = get_mention_for_user(request.user, mention_pk, for_edit=True)
    article = get_article_for_user(request.user, mention.revision.article_id)
    form = AdjustMentionForm(request.POST)
    if not form.is_valid():
        return _form_error(request, form)
    if mention.revision_id != article.current_revision_id:
        return error_response(request, str(STALE_MESSAGE), 409)
    old = (mention.start, mention.end)
    adjust = ADJUSTERS[form.cleaned_data["move"]]
    start, end = adjust(mention.revision.text, mention.start, mention.end)
    if (start, end) == old:
        return error_response(
            request, _("The passage cannot be changed further in that direction."), 400
        )
    try:
        mention_move(mention=mention, start=start, end=end, user=request.user)
    except SpanError as error:
        return _span_error(request, error)
    except WorkflowError as refusal:
        return error_response(request, refusal.message, refusal_status(refusal.code))
    return _mention_update_response(
        request,
        article,
        mention.claim,
        spans=[old, (start, end)],
        status_message=_("Passage changed."),
    )


@require_http_methods(["GET", "POST"])
@desk_required
def delete_mention(request: HttpRequest, mention_pk: int) -> HttpResponse:
    """Ask (GET), then remove (POST) a mention — and, if asked, its draft claim.

    A passage of a published claim that readers see is not removed at once: the POST asks
    for its removal, which a second person approves in the review queue."""
    mention = get_mention_for_user(request.user, mention_pk)
    if not can_remove_mention(request.user, mention.claim):
        raise PermissionDenied(_("The claim of this passage cannot be edited here."))
    article = get_article_for_user(request.user, mention.revision.article_id)
    claim = mention.claim
    is_last = not Mention.objects.filter(claim=claim).exclude(pk=mention.pk).exists()
    if request.method == "GET":
        context = workspace_context(article, active=claim) | panel_context(
            request, claim, article, confirm_delete=mention, is_last_mention=is_last
        )
        template = f"{WORKSPACE}#panel-update" if request.htmx else WORKSPACE
        return render(request, template, context)
    delete_claim = request.POST.get("delete_claim") == "1" and is_last
    span = (mention.start, mention.end)
    try:
        result = mention_delete(mention=mention, delete_claim=delete_claim, user=request.user)
    except WorkflowError as refusal:
        return error_response(request, refusal.message, refusal_status(refusal.code))
    deleted = result == Removal.CLAIM_DELETED
    message = {
        Removal.CLAIM_DELETED: _("Passage and claim removed."),
        Removal.REMOVED: _("Passage removed."),
        Removal.REQUESTED: _(
            "Removal requested: readers see the passage until a reviewer approves its removal."
        ),
    }[result]
    return _mention_update_response(
        request,
        article,
        None if deleted else claim,
        spans=[span],
        status_message=message,
    )
