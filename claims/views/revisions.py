"""Article revisions on the desk: a new version of the text (pasted or fetched again),
the re-anchor review of the passages that moved or were orphaned, and the list of
revisions with a diff between any two.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from claims.diffing import paragraph_diff
from claims.forms.desk import RevisionForm
from claims.importing.errors import ArticleImportError
from claims.importing.fetch import fetch_article
from claims.importing.upload import text_from_paste
from claims.models import ArticleRevision, Mention, WorkflowError
from claims.roles import may
from claims.services import (
    Removal,
    SameText,
    article_revise,
    mention_confirm,
    mention_delete,
)
from claims.text.blocks import marked_text
from claims.views.access import desk_required, get_article_for_user, get_mention_for_user
from claims.views.limits import max_body


@require_http_methods(["GET", "POST"])
@desk_required
@max_body(6_000_000)
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the article a new text: paste it, or fetch the original address again (the
    fetched text is shown first, to be checked, like a new import)."""
    article = get_article_for_user(request.user, pk)
    if not may(request.user, "mark"):
        raise PermissionDenied
    form = RevisionForm(request.POST or None)
    context = {"article": article, "form": form}
    status = 200
    if request.method == "POST" and "refetch" in request.POST:
        if not article.original_url:
            form.add_error(None, _("This article has no web address to fetch again."))
            status = 422
        else:
            try:
                imported = fetch_article(article.original_url)
            except ArticleImportError as error:
                form.add_error(None, str(error))
                status = 422
            else:
                # Sub-headings, lists and quotes as Markdown markers: the paste rule reads
                # them back when the editor saves (claims.text.blocks).
                text = marked_text(imported.text, imported.blocks)
                form = RevisionForm(initial={"text": text, "fetched": True})
                context |= {"form": form, "preview": imported}
    elif request.method == "POST":
        if form.is_valid():
            try:
                imported = text_from_paste(form.cleaned_data["text"])
                origin = (
                    ArticleRevision.Origin.URL
                    if form.cleaned_data["fetched"]
                    else ArticleRevision.Origin.PASTE
                )
                result = article_revise(
                    article=article,
                    text=imported.text,
                    blocks=imported.blocks,
                    origin=origin,
                    user=request.user,
                )
            except ArticleImportError as error:
                form.add_error("text", str(error))
            except SameText:
                form.add_error("text", _("This is the current text already; nothing changed."))
            else:
                messages.success(request, _summary(result))
                if result.reanchored or result.orphaned:
                    return redirect("claims:desk-article-anchors", pk=article.pk)
                return redirect("claims:desk-article", pk=article.pk)
        status = 422
    return render(request, "claims/desk/article_revise.html", context, status=status)


def _summary(result) -> str:
    parts = [
        _("Revision %(number)s saved.") % {"number": result.revision.number},
        ngettext(
            "%(count)d passage stayed in place.",
            "%(count)d passages stayed in place.",
            result.anchored,
        )
        % {"count": result.anchored},
    ]
    if result.reanchored:
        parts.append(
            ngettext(
                "%(count)d passage moved: please check it.",
                "%(count)d passages moved: please check them.",
                result.reanchored,
            )
            % {"count": result.reanchored}
        )
    if result.orphaned:
        parts.append(
            ngettext(
                "%(count)d passage could not be found in the new text.",
                "%(count)d passages could not be found in the new text.",
                result.orphaned,
            )
            % {"count": result.orphaned}
        )
    return " ".join(parts)


@require_safe
@desk_required
def anchors(request: HttpRequest, pk: int) -> HttpResponse:
    """The re-anchor review: old place and new place side by side."""
    article = get_article_for_user(request.user, pk)
    mentions = (
        Mention.objects.needing_review(article)
        .select_related("claim", "revision", "previous_revision")
        .order_by("anchor", "start", "pk")
    )
    return render(
        request, "claims/desk/article_anchors.html", {"article": article, "mentions": mentions}
    )


@require_POST
@desk_required
def resolve_mention(request: HttpRequest, mention_pk: int) -> HttpResponse:
    """Accept a moved passage's new place, or detach a moved or orphaned passage."""
    if not may(request.user, "mark"):
        raise PermissionDenied
    mention = get_mention_for_user(request.user, mention_pk)
    article = mention.revision.article
    if not Mention.objects.needing_review(article).filter(pk=mention.pk).exists():
        raise Http404("This passage does not need a decision.")
    action = request.POST.get("action")
    if action == "confirm" and mention.anchor == Mention.Anchor.REANCHORED:
        mention = mention_confirm(mention=mention, user=request.user)
        if mention.awaiting == Mention.Awaiting.ADDITION:
            messages.info(
                request,
                _(
                    "The new wording waits for a reviewer's approval; until then readers "
                    "don't see this passage."
                ),
            )
        else:
            messages.success(request, _("The passage's new place is confirmed."))
    elif action == "detach":
        try:
            result = mention_delete(mention=mention, delete_claim=False, user=request.user)
        except WorkflowError as refusal:
            messages.error(request, refusal.message)
        else:
            if result == Removal.REQUESTED:  # readers see it: a reviewer approves removing it
                messages.info(request, _("Removing the passage waits for a reviewer's approval."))
            else:
                messages.success(request, _("The passage was detached from its claim."))
    else:
        messages.error(request, _("Choose to confirm or to detach the passage."))
        return redirect("claims:desk-article-anchors", pk=article.pk)
    return redirect("claims:desk-article-anchors", pk=article.pk)


@require_safe
@desk_required
def revision_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Every revision of the article, and the diff between two of them (``?a=&b=``)."""
    article = get_article_for_user(request.user, pk)
    revisions = list(article.revisions.select_related("created_by").order_by("-number"))
    numbers = {revision.number: revision for revision in revisions}
    blocks, pair = None, None
    try:
        a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        a = b = None
    if a is not None:
        if a not in numbers or b not in numbers:
            raise Http404("No such revision.")
        pair = (numbers[a], numbers[b])
        blocks = paragraph_diff(pair[0].text, pair[1].text)
    return render(
        request,
        "claims/desk/article_revisions.html",
        {"article": article, "revisions": revisions, "blocks": blocks, "pair": pair},
    )
