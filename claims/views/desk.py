"""The editor desk: dashboard, article import, the annotation workspace and the claim panel.

Every view is behind ``desk_required`` and looks objects up through ``views.access``.
htmx requests get template partials (``page.html#partial``); plain requests get pages.
"""

from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from claims import services
from claims.caching import per_generation
from claims.forms.desk import (
    MANAGEMENT_FORM_MESSAGE,
    ArticleForm,
    ClaimForm,
    SourceFormSet,
    management_form_damaged,
)
from claims.importing.errors import ArticleImportError
from claims.importing.upload import text_from_paste, text_from_upload
from claims.markdown import render_markdown
from claims.models import (
    Article,
    ArticleImport,
    ArticleRevision,
    Claim,
    Mention,
    SourceCheck,
    WorkflowError,
)
from claims.models.claims import SOURCE_FIELDS
from claims.scheduling import no_worker_alive
from claims.tasks import enqueue_on_commit
from claims.tasks.imports import import_article, start_import
from claims.views.access import (
    desk_required,
    get_article_for_user,
    get_claim_in_article,
    get_import_for_user,
)
from claims.views.limits import max_body
from claims.views.responses import error_response
from claims.workspace import (
    WORKSPACE,
    claim_spans,
    first_mention,
    panel_context,
    paragraph_updates,
    verdict_locked,
    workspace_context,
)


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
    # The claims in hand are counted from the status indexes; the published ones, nearly
    # the whole archive, once per change to the public content (per_generation).
    counts = Counter(
        dict(
            Claim.objects.filter(
                status__in=[s for s in Claim.Status.values if s != Claim.Status.PUBLISHED]
            )
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        )
    )
    counts[Claim.Status.PUBLISHED] = per_generation(
        "published-claims", Claim.objects.published().count
    )
    # Counted per article shown (a correlated subquery), not for every article at once.
    claim_count = (
        Mention.objects.filter(revision__article=OuterRef("pk"))
        .order_by()
        .values("revision__article")
        .annotate(n=Count("claim", distinct=True))
        .values("n")
    )
    articles = Article.objects.annotate(claim_count=Coalesce(Subquery(claim_count), 0)).order_by(
        "-created_at"
    )[:15]
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
            "unreachable_sources": SourceCheck.objects.unreachable().count(),
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
    # The page is read from the claim_status_updated index; each claim's first article is
    # looked up for the 50 claims shown only (not grouped over every claim of the status,
    # nor for the claims earlier pages skip).
    claims = Claim.objects.filter(status=status).order_by("-updated_at", "-pk")
    page = Paginator(claims.values_list("pk", flat=True), 50).get_page(request.GET.get("page"))
    first_article = (
        Mention.objects.filter(claim=OuterRef("pk"))
        .order_by("revision__article")
        .values("revision__article")[:1]
    )
    page.object_list = (
        Claim.objects.filter(pk__in=list(page.object_list))
        .select_related("rating", "assignee", "author")
        .annotate(first_article=Subquery(first_article))
        .order_by("-updated_at", "-pk")
    )
    return render(
        request,
        "claims/desk/claim_list.html",
        {"page": page, "status": status, "status_label": statuses[status]},
    )


# --- Import -------------------------------------------------------------------------------
ARTICLE_FORM = "claims/desk/article_form.html"
RECENT_IMPORTS = 10
# A queued import waits this long for a worker before the desk checks there is one.
NO_WORKER_AFTER = timedelta(seconds=10)


@require_http_methods(["GET", "POST"])
@desk_required
@max_body(6_000_000)
def article_create(request: HttpRequest) -> HttpResponse:
    """Paste or upload: the article is saved at once. A web address: an import starts in
    the background (``claims.tasks.imports``) and the editor watches it on its page."""
    form = ArticleForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and form.cleaned_data.get("fetch_url"):
            job = _start_import(request, form)
            return redirect("claims:desk-import", pk=job.pk)
        elif form.is_valid():
            try:
                article = _create_article(request, form)
            except ArticleImportError as error:
                form.add_error("upload" if form.cleaned_data.get("upload") else "text", str(error))
            else:
                return redirect("claims:desk-article", pk=article.pk)
        status = 422
    return render(request, ARTICLE_FORM, _import_context(request, form=form), status=status)


def _start_import(request: HttpRequest, form: ArticleForm) -> ArticleImport:
    return start_import(
        user=request.user,
        url=form.cleaned_data["fetch_url"],
        given={name: form.cleaned_data[name] for name in Article.METADATA_FIELDS},
        message_language=translation.get_language() or settings.LANGUAGE_CODE,
    )


@require_safe
@desk_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Where an import stands; once ready, the preview form. htmx polls the fragment."""
    job = get_import_for_user(request.user, pk)
    context = _import_context(request, job=job)
    if request.htmx:
        return render(request, ARTICLE_FORM + "#import-poll", context)
    return render(request, ARTICLE_FORM, context)


@require_POST
@desk_required
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_for_user(request.user, pk)
    if job.try_again():
        enqueue_on_commit(import_article, job.pk)
    return redirect("claims:desk-import", pk=job.pk)


@require_POST
@desk_required
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_for_user(request.user, pk)
    job.delete()  # a task still running finds no row and stops
    messages.success(request, _("The import of %(url)s was discarded.") % {"url": job.url})
    return redirect("claims:desk-article-new")


def _import_context(
    request: HttpRequest, *, form: ArticleForm | None = None, job: ArticleImport | None = None
) -> dict:
    context: dict = {"job": job, "form": form}
    if job is not None and job.article_id is None:
        if job.status == ArticleImport.Status.READY:
            context |= _fetched_preview(job)
        elif job.status == ArticleImport.Status.FAILED:
            context["form"] = ArticleForm(initial={**job.given, "fetch_url": job.url})
    if job is not None and job.status == ArticleImport.Status.QUEUED:
        waiting = timezone.now() - job.created_at > NO_WORKER_AFTER
        context["no_worker"] = waiting and no_worker_alive()
    context["recent_imports"] = (
        ArticleImport.objects.filter(requested_by=request.user)
        .only("url", "status", "created_at", "article_id")
        .order_by("-created_at", "-pk")[:RECENT_IMPORTS]
    )
    return context


def _fetched_preview(job: ArticleImport) -> dict:
    """The form again, filled with what the page gave (where the editor left a field
    empty), for the editor to check and correct before anything is saved."""
    typed = job.given
    initial = {
        "title": typed.get("title") or job.title,
        "outlet": typed.get("outlet") or job.site_name,
        "byline": typed.get("byline") or job.byline,
        "original_url": typed.get("original_url") or job.final_url,
        "published_on": typed.get("published_on") or job.published_on,
        "language": typed.get("language") or job.language,
        # Sub-headings, lists and quotes as Markdown markers, read back on saving.
        "text": job.text,
        "fetched_from": job.final_url,
        "from_import": job.pk,
    }
    return {"form": ArticleForm(initial=initial), "preview": job, "notices": job.notices}


def _create_article(request: HttpRequest, form: ArticleForm) -> Article:
    """The text of the pasted or uploaded article, saved with the form's metadata
    (``services.article_create``); the import's notices become messages."""
    upload = form.cleaned_data.get("upload")
    if upload:
        imported = text_from_upload(upload.name, upload.read(), upload.content_type or "")
        origin = ArticleRevision.Origin.UPLOAD
    else:
        imported = text_from_paste(form.cleaned_data["text"])
        if form.cleaned_data.get("fetched_from"):
            origin = ArticleRevision.Origin.URL  # checked (and maybe corrected) in the preview
        else:
            origin = ArticleRevision.Origin.PASTE
    from_import = None
    if form.cleaned_data.get("from_import"):
        from_import = (
            ArticleImport.objects.visible_to(request.user)
            .filter(pk=form.cleaned_data["from_import"], article=None)
            .first()
        )
    article = services.article_create(
        article=form.save(commit=False),
        imported=imported,
        origin=origin,
        user=request.user,
        from_import=from_import,
    )
    for notice in imported.notices:
        messages.info(request, notice)
    return article


# --- Workspace ----------------------------------------------------------------------------
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
        form = ClaimForm(request.POST, instance=claim, verdict_locked=verdict_locked(claim))
        sources = SourceFormSet(request.POST, instance=claim, prefix="sources")
        if management_form_damaged(sources):
            return error_response(request, str(MANAGEMENT_FORM_MESSAGE), 400)
        if "add_source" in request.POST:
            sources = _with_extra_source(request.POST, claim)
            form.is_valid()  # show field errors, keep what was typed
            extra = {"form": form, "sources": sources}
        elif form.is_valid() and sources.is_valid():
            try:
                claim = services.claim_update(
                    claim=form.save(commit=False),
                    expected_version=form.cleaned_data["version"],
                    sources=source_data(sources),
                    user=request.user,
                )
            except services.EditConflict as conflict:
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


def source_data(formset: SourceFormSet) -> list[services.SourceData]:
    """The validated sources formset as plain data for ``services.claim_update``: every
    stored source (changed or not, or to delete) and every new one the editor filled in."""
    deleted = formset.deleted_forms
    sources = []
    for form in formset.forms:
        pk = form.instance.pk
        if form in deleted:
            if pk:
                sources.append(services.SourceData(pk=pk, delete=True))
            continue
        if not form.cleaned_data or not (pk or form.has_changed()):
            continue  # an empty new form
        values = {name: form.cleaned_data[name] for name in SOURCE_FIELDS}
        sources.append(services.SourceData(pk=pk, order=form.cleaned_data.get("ORDER"), **values))
    return sources


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


def _conflict_context(request, conflict: services.EditConflict, form, sources) -> dict:
    """The panel after a lost race: the form holds the other editor's values for fields
    this editor did not touch, and this editor's values where both changed. It carries
    the current version, so saving again is a deliberate decision on the listed fields."""
    data = request.POST.copy()
    data["version"] = str(conflict.claim.version)
    current = ClaimForm(instance=conflict.claim, verdict_locked=verdict_locked(conflict.claim))
    for change in conflict.changes:
        if not change.you_changed and change.field in current.fields:
            value = current[change.field].value()
            data[change.field] = "" if value is None else str(value)
    form = ClaimForm(data, instance=conflict.claim, verdict_locked=verdict_locked(conflict.claim))
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
