"""An article on the desk beyond its text: its metadata and whether readers can see it.

Editors edit the metadata (with history and conflict detection); reviewers publish and
unpublish the article (``Article.publish`` / ``Article.unpublish``). Plain form posts
answered by a redirect and a message, so they work without JavaScript.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from claims.forms.desk import ArticleMetadataForm, ArticleUnpublishForm
from claims.models import Article, WorkflowError
from claims.roles import may
from claims.services import ArticleChanged, article_update, article_watch_set, revision_block_set
from claims.views.access import desk_required, get_article_for_user
from claims.views.limits import max_body
from claims.views.responses import error_response, refusal_status
from claims.wording import language_name
from claims.workspace import WATCH_INTERVALS, block_role_label, block_update_context

# The metadata an article's history on the desk compares, in the form's order.
HISTORY_FIELDS = ["title", "slug", *Article.METADATA_FIELDS[1:], "status"]


def article_history(article: Article, limit: int = 30) -> list[dict]:
    """The article's changes, newest first: who, when, why, and each field's old and new
    value (the first record is its creation)."""
    records = list(
        article.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    entries = []
    for record, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        changes = []
        if older is not None:
            delta = record.diff_against(older, included_fields=HISTORY_FIELDS)
            for change in delta.changes:
                field = Article._meta.get_field(change.field)
                old, new = change.old, change.new
                if field.choices:
                    choices = dict(field.flatchoices)
                    old, new = choices.get(old, old), choices.get(new, new)
                elif change.field == "language":
                    old, new = language_name(old), language_name(new)
                changes.append({"label": field.verbose_name, "old": old, "new": new})
            if not changes:
                continue  # e.g. a new revision became current: not a metadata change
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "reason": _reason_in_words(record),
                "created": older is None and record.history_type == "+",
                "changes": changes,
            }
        )
    return entries


def _reason_in_words(record) -> str:
    """Why the article changed, in the current language (history records keep a code)."""
    code = record.history_change_reason or ""
    if code == "published:desk":
        return _("Published on the desk.")
    if code.startswith("published:claim:"):
        return _("Published with the claim “%(slug)s”.") % {"slug": code.split(":", 2)[2]}
    if code == "unpublished":
        return _("Unpublished. Reason: %(reason)s") % {"reason": record.withdrawal_reason}
    if code == "metadata":
        return ""
    return code  # a reason someone typed, as typed


@require_http_methods(["GET", "POST"])
@desk_required
@max_body(200_000)
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_user(request.user, pk)
    if not may(request.user, "edit"):
        return error_response(request, _("Your role does not allow this."), 403)
    form = ArticleMetadataForm(request.POST or None, instance=article)
    status, conflict = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                article_update(
                    article=form.save(commit=False),
                    loaded_updated_at=form.cleaned_data["updated"],
                    user=request.user,
                )
            except ArticleChanged as changed:
                status, conflict = 409, changed.article
                # Keep what was typed; saving again is a deliberate overwrite.
                data = request.POST.copy()
                data["updated"] = changed.article.updated_at.isoformat()
                form = ArticleMetadataForm(data, instance=changed.article)
                form.is_valid()
            else:
                messages.success(request, _("Article details saved."))
                return redirect("claims:desk-article", pk=article.pk)
        else:
            status = 422
        article.refresh_from_db()
    context = {
        "article": article,
        "form": form,
        "conflict": conflict,
        "history": article_history(article),
    }
    return render(request, "claims/desk/article_edit.html", context, status=status)


@require_POST
@desk_required
@max_body(10_000)
def article_publish(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_user(request.user, pk)
    try:
        article.publish(by=request.user)
    except WorkflowError as refusal:
        return error_response(request, refusal.message, refusal_status(refusal.code))
    messages.success(request, _("The article is public: readers can see it now."))
    return redirect("claims:desk-article", pk=article.pk)


@require_http_methods(["GET", "POST"])
@desk_required
@max_body(20_000)
def article_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the article off the public site, with a reason. The workspace carries the
    form folded; this page shows it again with what went wrong and what was typed."""
    article = get_article_for_user(request.user, pk)
    if not article.may_unpublish(request.user):
        if not may(request.user, "publish"):
            return error_response(request, _("Only reviewers unpublish articles."), 403)
        return error_response(request, _("Only a public article can be unpublished."), 409)
    form = ArticleUnpublishForm(request.POST or None, auto_id="unpublish-%s")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                article.unpublish(by=request.user, reason=form.cleaned_data["reason"])
            except WorkflowError as refusal:
                status = refusal_status(refusal.code)
                form.add_error("reason", refusal.message)
            else:
                messages.success(
                    request,
                    _("The article is unpublished: its public page now says it was withdrawn."),
                )
                return redirect("claims:desk-article", pk=article.pk)
        else:
            status = 422
    return render(
        request,
        "claims/desk/article_unpublish.html",
        {"article": article, "unpublish_form": form},
        status=status,
    )


@require_POST
@desk_required
@max_body(10_000)
def article_watch(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause or resume the article watch (``action`` ``pause`` / ``resume``), or choose
    how often it checks (``action`` ``interval`` with ``interval``, a key of
    ``WATCH_INTERVALS``)."""
    article = get_article_for_user(request.user, pk)
    action = request.POST.get("action")
    if action == "interval" and request.POST.get("interval", "") in WATCH_INTERVALS:
        change = {"interval": WATCH_INTERVALS[request.POST.get("interval", "")][0]}
        done = _("The article is checked as often as you chose, starting within minutes.")
    elif action in ("pause", "resume"):
        change = {"paused": action == "pause"}
        done = (
            _("Watching is paused: the publisher’s page is not checked until it is resumed.")
            if action == "pause"
            else _("Watching is resumed: the publisher’s page is checked within minutes.")
        )
    else:
        return error_response(request, _("Choose to pause or resume watching, or how often."), 400)
    try:
        article_watch_set(article=article, user=request.user, **change)
    except WorkflowError as refusal:
        return error_response(request, refusal.message, refusal_status(refusal.code))
    messages.success(request, done)
    return redirect("claims:desk-article", pk=article.pk)


@require_safe
@desk_required
def paragraph_roles(request: HttpRequest, pk: int) -> HttpResponse:
    """The "Paragraph roles" list of the article's current text: the rows alone for the
    workspace, which loads them when the list is unfolded; a page of its own without
    JavaScript."""
    article = get_article_for_user(request.user, pk)
    if not may(request.user, "edit"):
        return error_response(request, _("Your role does not allow this."), 403)
    template = (
        "claims/desk/_paragraph_role_rows.html"
        if request.htmx
        else ("claims/desk/paragraph_roles.html")
    )
    return render(request, template, {"article": article, "revision": article.current_revision})


@require_POST
@desk_required
@max_body(10_000)
def paragraph_role(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one paragraph's role (sub-heading, list item, quote, paragraph) in the
    article's current text: metadata of the revision, no new revision, no mention moves.
    htmx swaps the paragraph's block; without JavaScript the workspace comes back."""
    article = get_article_for_user(request.user, pk)
    try:
        index = int(request.POST.get("index", ""))
        revision_id = int(request.POST.get("revision", ""))
    except ValueError:
        return error_response(request, _("The request is damaged: reload the page."), 400)
    try:
        revision = revision_block_set(
            article=article,
            revision_id=revision_id,
            index=index,
            role=request.POST.get("role", ""),
            user=request.user,
        )
    except WorkflowError as refusal:
        return error_response(request, refusal.message, refusal_status(refusal.code))
    role = revision.roles()[index]
    message = _("Paragraph %(number)s is now: %(role)s.") % {
        "number": index + 1,
        "role": block_role_label(role),
    }
    if request.htmx:
        article.refresh_from_db()
        context = block_update_context(article, index) | {"status_message": message}
        return render(request, "claims/desk/_block_update.html", context)
    messages.success(request, message)
    return redirect(reverse("claims:desk-article", args=[article.pk]) + f"#block-{index}")
