"""Desk endpoints of the text's analysis (``claims.matching``): its state, polled while
it runs; "Compare now / again"; and what an editor does with an "Already checked"
suggestion: link the sentence to the claim as a new appearance, or "Not the same claim".

The answers are htmx fragments of the workspace (``#checks-update``, ``#mention-update``);
without htmx each write redirects to the workspace.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from claims import services
from claims.models import ClaimSuggestion, TextAnalysis
from claims.permissions import can_mark_claims
from claims.tasks.matching import request_analysis
from claims.views.access import desk_required, get_article_for_user
from claims.views.responses import error_response
from claims.workspace import WORKSPACE, checks_context, mention_update_context, panel_url


def _stale(request) -> HttpResponse:
    return error_response(
        request,
        _(
            "The article text has changed since you opened it, and this suggestion belongs "
            "to the earlier text. Reload the page to see the suggestions for the current text."
        ),
        409,
    )


def _checks_answer(request, article) -> HttpResponse:
    revision = article.current_revision
    context = {"article": article, "revision": revision, "checks": checks_context(revision)}
    return render(request, f"{WORKSPACE}#checks-update", context)


@require_safe
@desk_required
def analysis_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The state of the current text's analysis; once it is finished, its suggestions,
    the hints' summary and their data too (out of band), so the page need not reload."""
    article = get_article_for_user(request.user, pk)
    if not request.htmx:
        return redirect("claims:desk-article", pk=article.pk)
    still = TextAnalysis.objects.filter(
        revision_id=article.current_revision_id, status=TextAnalysis.Status.QUEUED
    )
    if still.exists():
        # Nothing changed: no swap (htmx keeps polling), so the live region around the
        # state is not read out again every two seconds.
        return HttpResponse(status=204)
    return _checks_answer(request, article)


@require_POST
@desk_required
def analysis_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Compare the current text with the published fact-checks (again): in the background."""
    article = get_article_for_user(request.user, pk)
    if not can_mark_claims(request.user):
        return error_response(request, _("You may not compare texts with fact-checks."), 403)
    revision = article.current_revision
    if revision is None or request.POST.get("revision") != str(revision.pk):
        return _stale(request)
    request_analysis(revision)
    if not request.htmx:
        return redirect("claims:desk-article", pk=article.pk)
    return _checks_answer(request, article)


def _suggestion_for_user(request, pk: int) -> ClaimSuggestion:
    """A suggestion of an article this user may see (404 else), for one who may mark
    claims (403 else)."""
    suggestion = get_object_or_404(
        ClaimSuggestion.objects.select_related("revision", "claim__rating"), pk=pk
    )
    # The same check as for the article itself: its lookup says who may see it.
    article = get_article_for_user(request.user, suggestion.revision.article_id)
    if not can_mark_claims(request.user):
        raise PermissionDenied(_("You may not mark claims."))
    suggestion.revision.article = article
    return suggestion


@require_POST
@desk_required
def suggestion_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the suggested sentence to its claim as a new appearance (a published claim's
    waits for a reviewer); the answer updates the panel, the text and the lists."""
    suggestion = _suggestion_for_user(request, pk)
    article = suggestion.revision.article
    if suggestion.revision_id != article.current_revision_id:
        return _stale(request)
    claim = suggestion.claim
    already_here = claim.mentions.filter(revision=article.current_revision).exists()
    try:
        mention = services.suggestion_link(suggestion=suggestion, user=request.user)
    except services.StaleRevision:
        return _stale(request)
    if not request.htmx:
        return redirect(panel_url(article, claim))
    context = mention_update_context(
        request,
        article,
        claim,
        spans=[(mention.start, mention.end)],
        new_row=None if already_here else mention,
        status_message=_("Passage linked. Readers see it once a reviewer approves it.")
        if mention.is_pending
        else _("Passage linked to the claim."),
    )
    body = render_to_string(f"{WORKSPACE}#mention-update", context, request)
    body += render_to_string(f"{WORKSPACE}#suggestion-gone", {"gone": suggestion.pk}, request)
    response = HttpResponse(body)
    response["HX-Push-Url"] = panel_url(article, claim)
    return response


@require_POST
@desk_required
def suggestion_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Not the same claim": the suggestion goes, and stays gone for this sentence of
    this article in later revisions too."""
    suggestion = _suggestion_for_user(request, pk)
    article = suggestion.revision.article
    if suggestion.revision_id != article.current_revision_id:
        return _stale(request)
    services.suggestion_dismiss(suggestion=suggestion, user=request.user)
    if not request.htmx:
        return redirect("claims:desk-article", pk=article.pk)
    context = {
        "gone": suggestion.pk,
        "status_message": _("Suggestion dismissed: it will not be shown for this sentence again."),
    }
    return render(request, f"{WORKSPACE}#suggestion-dismissed", context)
