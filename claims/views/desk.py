"""The editor desk: dashboard, article import, the annotation workspace and the claim panel.

Every view is behind ``desk_required`` and looks objects up through ``views.access``.
htmx requests get template partials (``page.html#partial``); plain requests get pages.
"""

from collections import Counter

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from claims.annotations import annotate
from claims.forms import (
    MANAGEMENT_FORM_MESSAGE,
    ArticleForm,
    ClaimForm,
    SourceFormSet,
    management_form_damaged,
)
from claims.importing.errors import ArticleImportError
from claims.importing.fetch import fetch_article
from claims.importing.upload import text_from_paste, text_from_upload
from claims.markdown import render_markdown
from claims.models import Article, ArticleRevision, Claim, Mention, WorkflowError
from claims.models.base import unique_slug
from claims.permissions import can_change_mentions, can_edit_claim
from claims.services import EditConflict, claim_update
from claims.text import paragraph_spans
from claims.views.access import desk_required, get_article_for_user, get_claim_in_article
from claims.views.responses import error_response, max_body
from claims.views.workflow import workflow_context

WORKSPACE = "claims/desk/workspace.html"


# --- Dashboard ----------------------------------------------------------------------------
@require_safe
@desk_required
def home(request: HttpRequest) -> HttpResponse:
    mine = (
        Claim.objects.filter(assignee=request.user)
        .exclude(status=Claim.Status.PUBLISHED)
        .select_related("rating")
        .annotate(first_article=Min("mentions__revision__article"))
        .order_by("status", "-updated_at")
    )
    groups: dict[str, list[Claim]] = {}
    for claim in mine:
        groups.setdefault(claim.get_status_display(), []).append(claim)
    counts = Counter(dict(Claim.objects.values_list("status").annotate(n=Count("pk"))))
    articles = Article.objects.annotate(
        claim_count=Count("revisions__mentions__claim", distinct=True)
    ).order_by("-created_at")[:15]
    # Published fact-checks readers meet only on their own page: their article is not
    # public (not yet, or unpublished). Worth a reviewer's look.
    stranded = (
        Claim.objects.published()
        .filter(
            mentions__revision__article__current_revision=F("mentions__revision"),
            mentions__revision__article__status__in=[
                Article.Status.DRAFT,
                Article.Status.WITHDRAWN,
            ],
        )
        .annotate(article_pk=Min("mentions__revision__article"))
        .select_related("rating")
        .order_by("-published_at")
        .distinct()[:20]
    )
    return render(
        request,
        "claims/desk/home.html",
        {
            "assigned_groups": groups,
            "status_counts": [
                (value, label, counts.get(value, 0)) for value, label in Claim.Status.choices
            ],
            "articles": articles,
            "stranded_claims": stranded,
        },
    )


@require_safe
@desk_required
def claim_list(request: HttpRequest) -> HttpResponse:
    """Every claim on the desk with one status (the dashboard's counters link here)."""
    statuses = dict(Claim.Status.choices)
    status = request.GET.get("status", "")
    if status not in statuses:
        status = Claim.Status.DRAFT
    claims = (
        Claim.objects.filter(status=status)
        .select_related("rating", "assignee", "author")
        .annotate(first_article=Min("mentions__revision__article"))
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "claims/desk/claim_list.html",
        {"page": page, "status": status, "status_label": statuses[status]},
    )


# --- Import -------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@desk_required
@max_body(6_000_000)
def article_create(request: HttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and form.cleaned_data.get("fetch_url"):
            try:
                imported = fetch_article(form.cleaned_data["fetch_url"].strip())
            except ArticleImportError as error:
                form.add_error("fetch_url", str(error))
            else:
                return _fetched_preview(request, form, imported)
        elif form.is_valid():
            try:
                article = _create_article(request, form)
            except ArticleImportError as error:
                form.add_error("upload" if form.cleaned_data.get("upload") else "text", str(error))
            else:
                return redirect("claims:desk-article", pk=article.pk)
        status = 422
    return render(request, "claims/desk/article_form.html", {"form": form}, status=status)


def _fetched_preview(request: HttpRequest, form: ArticleForm, imported) -> HttpResponse:
    """The form again, filled with what the page gave (where the editor left a field
    empty), for the editor to check and correct before anything is saved."""
    typed = form.cleaned_data
    initial = {
        "title": typed["title"] or imported.title,
        "outlet": typed["outlet"] or imported.site_name,
        "byline": typed["byline"] or imported.byline,
        "original_url": typed["original_url"] or imported.url,
        "published_on": typed["published_on"] or imported.published_on,
        "language": typed["language"] or imported.language,
        "text": imported.text,
        "fetched_from": imported.url,
    }
    context = {
        "form": ArticleForm(initial=initial),
        "preview": imported,
        "notices": imported.notices,
    }
    return render(request, "claims/desk/article_form.html", context)


@transaction.atomic
def _create_article(request: HttpRequest, form: ArticleForm) -> Article:
    upload = form.cleaned_data.get("upload")
    if upload:
        imported = text_from_upload(upload.name, upload.read(), upload.content_type or "")
    else:
        imported = text_from_paste(form.cleaned_data["text"])
    article = form.save(commit=False)
    article.title = article.title or imported.title
    if not article.title:
        # Without a title the article cannot be found again: ask for one.
        raise ArticleImportError("no_title", _("Give the article a title."))
    article.byline = article.byline or imported.byline
    article.published_on = article.published_on or imported.published_on
    article.outlet = article.outlet or imported.site_name
    article.language = article.language or imported.language or "de"
    article.slug = unique_slug(Article, article.title)
    article.created_by = request.user
    article.save()
    if upload:
        origin = ArticleRevision.Origin.UPLOAD
    elif form.cleaned_data.get("fetched_from"):
        origin = ArticleRevision.Origin.URL  # checked (and maybe corrected) in the preview
    else:
        origin = ArticleRevision.Origin.PASTE
    revision = ArticleRevision.objects.create(
        article=article, number=1, text=imported.text, origin=origin, created_by=request.user
    )
    article.current_revision = revision
    article.save(update_fields=["current_revision", "updated_at"])
    for notice in imported.notices:
        messages.info(request, notice)
    return article


# --- Workspace ----------------------------------------------------------------------------
# What the highlights and the claims list show of a passage and its claim: a long article
# has a thousand of these rows, and claims carry long texts the workspace never shows.
_HIGHLIGHT_FIELDS = (
    "start",
    "end",
    "awaiting",
    "claim__claim_reviewed",
    "claim__status",
    "claim__rating",
)


def _highlighted(mentions):
    """``mentions`` with what the highlights and claims list show, in text order."""
    return (
        mentions.select_related("claim__rating")
        .only(*_HIGHLIGHT_FIELDS)
        .order_by("start", "-end", "pk")
    )


def workspace_context(article: Article, active: Claim | None = None) -> dict:
    """Everything the workspace shows, in a number of queries independent of its mentions."""
    revision = article.current_revision
    mentions = list(_highlighted(Mention.objects.filter(revision=revision)))
    paragraphs = annotate(revision.text, mentions) if revision else []
    first_mentions: dict[int, Mention] = {}
    waiting = set()  # claims with a passage here waiting for a reviewer
    for mention in mentions:  # already in reading order
        first_mentions.setdefault(mention.claim_id, mention)
        if mention.awaiting:
            waiting.add(mention.claim_id)
    for claim_id, mention in first_mentions.items():
        mention.waiting = claim_id in waiting
    return {
        "article": article,
        "revision": revision,
        "paragraphs": paragraphs,
        # Reading order of each claim's first passage; claims starting at the same place
        # in the order they were made, as the mark and link answers insert them.
        "claim_rows": sorted(first_mentions.values(), key=lambda m: (m.start, m.claim_id)),
        "claims_count": len(first_mentions),
        "active": active,
        "anchors_to_check": Mention.objects.needing_review(article).count(),
    }


def paragraph_updates(article: Article, spans) -> list[tuple[int, tuple]]:
    """(index, runs) of the paragraphs overlapping ``spans``, rendered afresh.

    Only mentions inside those paragraphs are loaded, so a change in a long article costs
    the paragraphs it touches, not the whole text.
    """
    revision = article.current_revision
    spans = list(spans)
    bounds = paragraph_spans(revision.text)
    touched = [
        index
        for index, (p_start, p_end) in enumerate(bounds)
        if any(start < p_end and p_start < end for start, end in spans)
    ]
    if not touched:
        return []
    low, high = bounds[touched[0]][0], bounds[touched[-1]][1]
    mentions = _highlighted(Mention.objects.filter(revision=revision, start__lt=high, end__gt=low))
    paragraphs = annotate(revision.text, mentions, only=set(touched))
    return [(index, paragraphs[index]) for index in touched]


def claim_spans(claim: Claim, article: Article) -> list[tuple[int, int]]:
    return list(
        claim.mentions.filter(revision=article.current_revision).values_list("start", "end")
    )


def first_mention(claim: Claim, article: Article) -> Mention | None:
    return _highlighted(claim.mentions.filter(revision=article.current_revision)).first()


_DATED_BY_ARTICLE = (Claim.Status.DRAFT, Claim.Status.CHANGES_REQUESTED)


def panel_context(request: HttpRequest, claim: Claim, article: Article, **extra) -> dict:
    editable = can_edit_claim(request.user, claim)
    form = extra.pop("form", None)
    if form is None:
        initial = {"version": claim.version}
        if claim.claim_date is None and claim.status in _DATED_BY_ARTICLE:
            # Most claims were made when the article appeared: a suggestion in the form,
            # saved only when the editor saves.
            initial["claim_date"] = article.published_on
        form = ClaimForm(instance=claim, initial=initial, verdict_locked=_locked(claim))
    sources = extra.pop("sources", None)
    if sources is None:
        sources = SourceFormSet(instance=claim, prefix="sources")
    # An unbound formset holds the claim's sources already: no second query to know
    # whether there are any.
    has_sources = None if sources.is_bound else sources.initial_form_count() > 0
    return {
        "claim": claim,
        "article": article,
        "form": form,
        "sources": sources,
        "editable": editable,
        "mentions_editable": can_change_mentions(request.user, claim),
        "claim_mentions": claim.mentions.filter(revision=article.current_revision).order_by(
            "start"
        ),
        "explanation_html": render_markdown(claim.explanation),
        **workflow_context(
            request, claim, next_url=panel_url(article, claim), has_sources=has_sources
        ),
        **extra,
    }


def _locked(claim: Claim) -> bool:
    """A published claim's verdict changes only through a correction."""
    return claim.status == Claim.Status.PUBLISHED


@require_safe
@desk_required
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_user(request.user, pk)
    return render(request, WORKSPACE, workspace_context(article))


@require_http_methods(["GET", "POST"])
@desk_required
@max_body(1_000_000)
def claim_panel(request: HttpRequest, pk: int, claim_pk: int) -> HttpResponse:
    """The claim panel beside the text: view (GET) and save (POST) a claim and its sources."""
    article = get_article_for_user(request.user, pk)
    claim = get_claim_in_article(
        request.user, article, claim_pk, for_edit=request.method == "POST"
    )
    extra: dict = {}
    status = 200
    if request.method == "POST":
        form = ClaimForm(request.POST, instance=claim, verdict_locked=_locked(claim))
        sources = SourceFormSet(request.POST, instance=claim, prefix="sources")
        if management_form_damaged(sources):
            return error_response(request, str(MANAGEMENT_FORM_MESSAGE), 400)
        if "add_source" in request.POST:
            sources = _with_extra_source(request.POST, claim)
            form.is_valid()  # show field errors, keep what was typed
            extra = {"form": form, "sources": sources}
        elif form.is_valid() and sources.is_valid():
            try:
                claim = claim_update(
                    claim=form.save(commit=False),
                    expected_version=form.cleaned_data["version"],
                    sources_formset=sources,
                    user=request.user,
                )
            except EditConflict as conflict:
                status = 409
                extra = _conflict_context(request, conflict, form, sources)
            except WorkflowError as refusal:
                return error_response(request, refusal.message, 409)
            else:
                extra = {"saved": True}
        else:
            status = 422
            extra = {"form": form, "sources": sources}
    if not request.htmx:
        context = workspace_context(article, active=claim) | panel_context(
            request, claim, article, **extra
        )
        return render(request, WORKSPACE, context, status=status)
    context = panel_context(request, claim, article, **extra)
    if extra.get("saved"):
        # A new rating recolours the claim's highlights; its list row shows the new state.
        context["oob_paragraphs"] = paragraph_updates(article, claim_spans(claim, article))
        row = first_mention(claim, article)
        context["replaced_rows"] = [row] if row else []
    return render(request, f"{WORKSPACE}#panel-update", context, status=status)


def _with_extra_source(data, claim: Claim):
    """The sources formset as submitted, plus one empty form for a new source."""
    data = data.copy()
    total = int(data.get("sources-TOTAL_FORMS") or 0)
    data["sources-TOTAL_FORMS"] = str(min(total + 1, 50))
    formset = SourceFormSet(data, instance=claim, prefix="sources")
    formset.is_valid()
    # The new form is unbound-looking: no errors for fields the editor has not filled yet.
    new_form = formset.forms[-1]
    new_form._errors = {}
    return formset


def _conflict_context(request, conflict: EditConflict, form, sources) -> dict:
    """The panel after a lost race: the form holds the other editor's values for fields
    this editor did not touch, and this editor's values where both changed. It carries
    the current version, so saving again is a deliberate decision on the listed fields."""
    data = request.POST.copy()
    data["version"] = str(conflict.claim.version)
    current = ClaimForm(instance=conflict.claim, verdict_locked=_locked(conflict.claim))
    for change in conflict.changes:
        if not change.you_changed and change.field in current.fields:
            value = current[change.field].value()
            data[change.field] = "" if value is None else str(value)
    form = ClaimForm(data, instance=conflict.claim, verdict_locked=_locked(conflict.claim))
    form.is_valid()
    return {"form": form, "sources": sources, "conflict": conflict}


@require_POST
@desk_required
@max_body(200_000)
def explanation_preview(request: HttpRequest) -> HttpResponse:
    """Rendered, sanitised Markdown of the explanation being typed."""
    html = render_markdown(request.POST.get("explanation", "")[:100_000])
    return render(request, "claims/desk/explanation_preview.html", {"html": html})


@require_safe
@desk_required
def claim_search(request: HttpRequest) -> HttpResponse:
    """Existing claims matching ``q``, to attach the selected passage to one of them."""
    query = request.GET.get("q", "").strip()[:200]
    article_pk = request.GET.get("article", "")
    article_pk = int(article_pk) if article_pk.isdigit() else None
    results = []
    if len(query) >= 2:
        results = list(
            Claim.objects.filter(
                Q(claim_reviewed__icontains=query)
                | Q(claimant__icontains=query)
                | Q(mentions__exact__icontains=query)
            )
            .exclude(status=Claim.Status.DISMISSED)
            .select_related("rating")
            .distinct()
            .order_by("-updated_at")[:20]
        )
    return render(
        request,
        "claims/desk/claim_search.html",
        {"query": query, "results": results, "article_pk": article_pk},
    )


def panel_url(article: Article, claim: Claim) -> str:
    return reverse("claims:desk-claim", kwargs={"pk": article.pk, "claim_pk": claim.pk})
