"""What readers see. Every read of claims here goes through ``published()`` (only
``withdrawn()`` decides whether a missing claim page is 410 or 404, reading nothing else)."""

from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from claims.branding import header_logo
from claims.caching import cached_public_page, per_generation
from claims.claimreview import absolute, claim_review, json_ld_script
from claims.forms.public import ClaimSearchForm
from claims.highlights.runs import paragraph_runs
from claims.markdown import render_markdown
from claims.models import Article, Claim, Correction, Mention, Rating, Review, Source
from claims.models.ratings import text_colour_on
from claims.search import search_claims


def _published_claims():
    return Claim.objects.published().select_related("rating")


def _published_articles():
    """Published articles, newest first (read in that order from the ``article_newest``
    index)."""
    return Article.objects.published().order_by("-published_on", "-created_at")


def _with_claim_counts(articles):
    """``articles`` (a page of them) with the number of published claims in each.

    Counted by a correlated subquery for the articles of the page only, not by a join
    with GROUP BY over every article's passages, and not for the rows a page further
    back skips (docs/performance-work.md)."""
    claim_count = (
        Mention.objects.filter(
            revision=OuterRef("current_revision"), claim__status=Claim.Status.PUBLISHED
        )
        .exclude(awaiting=Mention.Awaiting.ADDITION)
        .order_by()
        .values("revision")
        .annotate(n=Count("claim", distinct=True))
        .values("n")
    )
    return articles.annotate(claim_count=Coalesce(Subquery(claim_count), 0))


@require_safe
@cached_public_page
def home(request: HttpRequest) -> HttpResponse:
    articles = _with_claim_counts(_published_articles())[:50]
    latest_claims = (
        _published_claims()
        .order_by("-published_at")[:10]
        .prefetch_related(
            Prefetch(
                "mentions",
                queryset=Mention.objects.appearances(),
                to_attr="appearances",
            )
        )
    )
    return render(
        request,
        "claims/home.html",
        {"articles": articles, "latest_claims": latest_claims, "chart": _ratings_chart()},
    )


def _ratings_chart() -> list[dict]:
    """Published claims per rating, as bars for the home page's server-drawn SVG chart.
    The counts are worked out once per change to the public content (``per_generation``),
    not for every rendering of the page."""
    counts = per_generation("published-per-rating", _published_per_rating)
    ratings = list(Rating.objects.order_by("scale", "position", "pk"))
    per_rating = [(rating, counts.get(rating.pk, 0)) for rating in ratings]
    most = max((count for _rating, count in per_rating), default=0) or 1
    return [
        {
            "rating": rating,
            "count": count,
            "width": round(70 * count / most, 1),  # percent of the chart width
            "y": index * 28,
        }
        for index, (rating, count) in enumerate(per_rating)
    ]


def _published_languages() -> list[str]:
    return sorted(
        Claim.objects.published().order_by().values_list("language", flat=True).distinct()
    )


def _published_per_rating() -> dict[int, int]:
    return dict(
        Claim.objects.published()
        .order_by()
        .values_list("rating")
        .annotate(n=Count("pk"))
        .values_list("rating", "n")
    )


def _gone_when_article_withdrawn(view):
    """An article readers could see and that was unpublished answers 410 Gone with a plain
    notice (nothing of the article); one never public stays 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs) -> HttpResponse:
        try:
            return view(request, slug, **kwargs)
        except Http404:
            if Article.objects.withdrawn().filter(slug=slug).exists():
                return render(request, "claims/article_withdrawn.html", status=410)
            raise

    return wrapper


@require_safe
@cached_public_page
@_gone_when_article_withdrawn
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.published().select_related("current_revision"), slug=slug
    )
    context = _annotated_text(article, article.current_revision)
    # Claims checked against an earlier version whose passage is gone from this one
    # (only an article with more than one revision has any: no query for the others).
    current = article.current_revision
    if current is not None and current.number > 1:
        context["checked_revision"] = (
            Mention.objects.published()
            .filter(revision__article=article, anchor=Mention.Anchor.ORPHANED)
            .exclude(revision=current)
            .order_by("-revision__number")
            .values_list("revision__number", flat=True)
            .first()
        )
    return render(request, "claims/article_detail.html", context)


@require_safe
@cached_public_page
@_gone_when_article_withdrawn
def article_revision(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """An earlier text of the article, with the fact-checks made on it."""
    article = get_object_or_404(
        Article.objects.published().select_related("current_revision"), slug=slug
    )
    revision = get_object_or_404(article.revisions, number=number)
    context = _annotated_text(article, revision) | {"shown_revision": revision}
    return render(request, "claims/article_detail.html", context)


_MENTION_FIELDS = (
    "start",
    "end",
    "claim__slug",
    "claim__claim_reviewed",
    "claim__language",
    "claim__conclusion",
    "claim__rating",
)


def _annotated_text(article: Article, revision) -> dict:
    mentions = []
    if revision is not None:
        mentions = list(
            Mention.objects.published()
            .in_revision(revision)
            .shown()
            .select_related("claim__rating")
            # Only what the page shows: a long article has a thousand of these rows.
            .only(*_MENTION_FIELDS)
            .order_by("start", "-end", "pk")
        )
    paragraphs = paragraph_runs(revision.text, mentions) if revision else []
    claims = list({m.claim_id: m.claim for m in mentions}.values())
    return {
        "article": article,
        "paragraphs": paragraphs,
        # One role per paragraph (sub-heading, list item, quote), stored with the revision.
        "blocks": revision.blocks if revision else [],
        "claims": claims,
        "verdict_counts": _verdict_counts(claims),
    }


def _verdict_counts(claims: list[Claim]) -> list[tuple[Rating | None, int]]:
    """How the claims came out: (rating, number of claims) in the order of the scale, the
    claims not rated last; for the summary line at the top of the article."""
    counts: dict[int | None, int] = {}
    ratings: dict[int | None, Rating | None] = {}
    for claim in claims:
        counts[claim.rating_id] = counts.get(claim.rating_id, 0) + 1
        ratings.setdefault(claim.rating_id, claim.rating)

    def order(key):
        rating = ratings[key]
        return (1, "", 0, 0) if rating is None else (0, rating.scale, rating.position, rating.pk)

    return [(ratings[key], counts[key]) for key in sorted(counts, key=order)]


def _gone_when_withdrawn(view):
    """A claim that was published once and unpublished since answers 410 Gone with a plain
    notice that links to the corrections policy: nothing of the claim, not even its text
    (it may have been withdrawn for legal reasons). Never published stays 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str) -> HttpResponse:
        try:
            return view(request, slug)
        except Http404:
            if Claim.objects.withdrawn().filter(slug=slug).exists():
                return render(request, "claims/claim_withdrawn.html", status=410)
            raise

    return wrapper


@require_safe
@cached_public_page
@_gone_when_withdrawn
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(
        _published_claims().prefetch_related(
            Prefetch(
                "sources",
                queryset=Source.objects.select_related("link_check").order_by("position", "pk"),
            ),
            Prefetch(
                "reviews",
                queryset=Review.objects.filter(decision=Review.Decision.APPROVE).order_by(
                    "created_at"
                ),
                to_attr="approvals",
            ),
            Prefetch(
                "corrections",
                queryset=Correction.objects.filter(published_at__isnull=False).order_by(
                    "-published_at"
                ),
                to_attr="public_corrections",
            ),
            Prefetch(
                "mentions",
                queryset=Mention.objects.appearances(),
            ),
        ),
        slug=slug,
    )
    mentions = list(claim.mentions.all())
    # Corrections (newest first) date the last update; the review is the one published.
    updated = claim.public_corrections[0].published_at if claim.public_corrections else None
    return render(
        request,
        "claims/claim_detail.html",
        {
            "claim": claim,
            "mentions": mentions,
            # People, not decisions: a reviewer who approved the claim and later its
            # correction counts once.
            "reviewer_count": len({review.reviewer_id for review in claim.approvals}),
            "explanation": render_markdown(claim.explanation),
            "verdict_scale": _verdict_scale(claim.rating),
            # Where the claim was made: the first article it appears in.
            "first_appearance": mentions[0].revision.article if mentions else None,
            "updated_at": updated,
            # Made without review (claimant details, sources): listed for readers.
            "unreviewed_changes": claim.unreviewed_changes(),
            "canonical_url": absolute(request, claim.get_absolute_url()),
            "structured_data": json_ld_script(claim_review(claim, mentions, request)),
        },
    )


_SCALE_WIDTH = 360  # the SVG's viewBox, in its own units
_SCALE_GAP = 4  # between two steps
_SCALE_APART = 14  # before the steps off the true-false axis (e.g. "Unproven")


def _verdict_scale(rating: Rating | None) -> dict | None:
    """Where ``rating`` sits on its scale, for the claim page's server-drawn SVG: one step
    per rating in the scale's order, the steps without a value (off the true–false axis)
    set apart at the end, and the text alternative that says the same in words."""
    if rating is None:
        return None
    ratings = list(Rating.objects.filter(scale=rating.scale))  # one query, in scale order
    axis = [r for r in ratings if r.value is not None]
    apart = [r for r in ratings if r.value is None]
    gaps = _SCALE_GAP * (len(ratings) - 1) + (_SCALE_APART - _SCALE_GAP if axis and apart else 0)
    width = (_SCALE_WIDTH - gaps) / len(ratings)
    steps, x = [], 0.0
    for index, step in enumerate(axis + apart):
        if axis and index == len(axis):  # the first step off the axis
            x += _SCALE_APART - _SCALE_GAP
        steps.append(
            {
                "rating": step,
                "x": round(x, 1),
                "width": round(width, 1),
                "current": step.pk == rating.pk,
            }
        )
        x += width + _SCALE_GAP
    if len(axis) < 2:
        description = rating.local_label
    elif rating.value is None:
        description = _("%(label)s: not on our scale from %(best)s to %(worst)s") % {
            "label": rating.local_label,
            "best": axis[0].local_label,
            "worst": axis[-1].local_label,
        }
    else:
        description = _(
            "%(label)s: step %(step)s of %(count)s on our scale from %(best)s to %(worst)s"
        ) % {
            "label": rating.local_label,
            "step": [r.pk for r in axis].index(rating.pk) + 1,
            "count": len(axis),
            "best": axis[0].local_label,
            "worst": axis[-1].local_label,
        }
    ends = None
    if len(axis) >= 2:
        last = steps[len(axis) - 1]
        ends = {
            "best": axis[0].local_label,
            "worst": axis[-1].local_label,
            "worst_x": round(last["x"] + last["width"], 1),
        }
    return {"steps": steps, "description": description, "ends": ends, "width": _SCALE_WIDTH}


@require_safe
@cached_public_page
def claim_list(request: HttpRequest) -> HttpResponse:
    """The claims index: search, filters, sorting; the URL holds them all (shareable)."""
    ratings = list(Rating.objects.all())
    # The languages of published claims change with the public content only: looked up
    # once per change, not by reading every claim for each page (per_generation).
    languages = per_generation("published-languages", _published_languages)
    form = ClaimSearchForm(request.GET or None, ratings=ratings, languages=languages)
    claims = _published_claims()
    query = ""
    if form.is_valid():
        data = form.cleaned_data
        query = data["q"]
        if data["rating"]:
            claims = claims.filter(rating__slug=data["rating"])
        if data["claimant"]:
            claims = claims.filter(claimant__icontains=data["claimant"])
        if data["language"]:
            claims = claims.filter(language=data["language"])
        if data["date_from"]:
            claims = claims.filter(published_at__date__gte=data["date_from"])
        if data["date_to"]:
            claims = claims.filter(published_at__date__lte=data["date_to"])
        claims = search_claims(claims, query)
        sort = data["sort"] or ("relevance" if query else "newest")
        if sort == "oldest":
            claims = claims.order_by("published_at", "pk")
        elif sort == "newest" or not query:
            claims = claims.order_by("-published_at", "-pk")
    else:
        claims = claims.order_by("-published_at", "-pk")
    page = Paginator(claims, 20).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "query": query, "params": params.urlencode()}
    template = "claims/claim_list.html#results" if request.htmx else "claims/claim_list.html"
    return render(request, template, context)


@require_safe
@cached_public_page
def article_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(_published_articles().values_list("pk", flat=True), 25).get_page(
        request.GET.get("page")
    )
    page.object_list = _with_claim_counts(
        _published_articles().filter(pk__in=list(page.object_list))
    )
    return render(request, "claims/article_list.html", {"page": page})


@require_safe
@cached_public_page
def correction_list(request: HttpRequest) -> HttpResponse:
    corrections = (
        Correction.objects.public()
        .select_related("claim", "old_rating", "new_rating")
        .order_by("-published_at")
    )
    page = Paginator(corrections, 25).get_page(request.GET.get("page"))
    return render(request, "claims/correction_list.html", {"page": page})


@require_safe
@cached_public_page
def methodology(request: HttpRequest) -> HttpResponse:
    """How the newsroom checks claims, with its rating scale as data."""
    return render(request, "claims/methodology.html", {"ratings": Rating.objects.all()})


@require_safe
@cached_public_page
def corrections_policy(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/corrections_policy.html")


@require_safe
@cache_control(max_age=300, public=True)
def ratings_css(request: HttpRequest) -> HttpResponse:
    """Rating colours are data and the brand colour a setting, and the CSP forbids inline
    styles: serve them as CSS (one stylesheet, no extra request for the brand)."""
    ratings = Rating.objects.all()
    brand = settings.FACTCHECK_BRAND_COLOR
    context = {
        "ratings": ratings,
        "brand_colour": brand,
        "brand_text": text_colour_on(brand),
        "brand_logo": header_logo(),
    }
    return render(request, "claims/ratings.css", context, content_type="text/css; charset=utf-8")


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /desk/",
        "Disallow: /admin/",
        "Disallow: /de/desk/",
        "Disallow: /de/admin/",
        f"Sitemap: {absolute(request, reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
