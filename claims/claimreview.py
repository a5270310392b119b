"""ClaimReview structured data (schema.org) for a published claim.

Follows Google's fact-check markup guidelines: one ClaimReview per claim page, with the
reviewed claim, the rating on the newsroom's scale, the organisation as author, and the
claim's appearances (the original URLs of the articles it was found in).
"""

import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max, Min, Prefetch
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from claims.models import Claim, Mention, Rating
from claims.models.base import is_web_url

# The escapes of Django's json_script: the JSON can never close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def absolute(request, path: str) -> str:
    """``path`` as an absolute URL on FACTCHECK_SITE_URL (required with DEBUG off: a
    system check says so); on the request's host only in development, where the page
    cache keys include that host (claims.caching)."""
    base = settings.FACTCHECK_SITE_URL
    return f"{base.rstrip('/')}{path}" if base else request.build_absolute_uri(path)


# Stand-ins for a slug and an id in a reversed address: no object has them.
SLUG_STAND_IN, ID_STAND_IN = "0stand0in0", 987654321


def absolute_url_maker(request, name: str, kwarg: str = "slug"):
    """A function value → the absolute URL of the pattern ``name`` with ``kwarg`` set to
    the value: the pattern is reversed once, not once per object (a list of 100 claims
    with two addresses each would otherwise reverse 200 times)."""
    stand_in = SLUG_STAND_IN if kwarg == "slug" else ID_STAND_IN
    url = absolute(request, reverse(name, kwargs={kwarg: stand_in}))
    head, _sep, tail = url.rpartition(str(stand_in))
    return lambda value: f"{head}{value}{tail}"


def on_site(path: str) -> str:
    """``path`` on FACTCHECK_SITE_URL; left relative when there is none (development),
    for Django's feeds to put on the request's host."""
    base = settings.FACTCHECK_SITE_URL
    return f"{base.rstrip('/')}{path}" if base else path


def claim_review(
    claim: Claim,
    mentions: list[Mention],
    request,
    *,
    scale_bounds: dict[str, tuple[int | None, int | None]] | None = None,
) -> dict[str, Any]:
    """The ClaimReview object of a published ``claim`` (its published ``mentions`` given).
    ``scale_bounds`` (``rating_scale_bounds()``) spares the query of the best and worst
    rating when many claims are built at once."""
    organization = {"@type": "Organization", "name": settings.FACTCHECK_ORGANIZATION_NAME}
    if settings.FACTCHECK_ORGANIZATION_URL:
        organization["url"] = settings.FACTCHECK_ORGANIZATION_URL
    organization["logo"] = {
        "@type": "ImageObject",
        "url": absolute(request, static(settings.FACTCHECK_BRAND_LOGO)),
    }
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute(request, claim.get_absolute_url()),
        "claimReviewed": claim.claim_reviewed,
        "author": organization,
        "datePublished": claim.published_at.date().isoformat() if claim.published_at else None,
        "itemReviewed": _item_reviewed(claim, mentions, request),
    }
    if claim.rating is not None:
        review["reviewRating"] = _rating(claim.rating, scale_bounds)
    return {key: value for key, value in review.items() if value is not None}


def rating_scale_bounds() -> dict[str, tuple[int | None, int | None]]:
    """The best and the worst numeric value of every rating scale, in one query."""
    rows = (
        Rating.objects.order_by().values("scale").annotate(best=Max("value"), worst=Min("value"))
    )
    return {row["scale"]: (row["best"], row["worst"]) for row in rows}


def _rating(rating: Rating, scale_bounds=None) -> dict[str, Any]:
    result: dict[str, Any] = {"@type": "Rating", "alternateName": rating.local_label}
    if rating.value is not None:
        if scale_bounds is not None:
            best, worst = scale_bounds[rating.scale]
        else:
            bounds = Rating.objects.filter(scale=rating.scale).aggregate(
                best=Max("value"), worst=Min("value")
            )
            best, worst = bounds["best"], bounds["worst"]
        result |= {"ratingValue": rating.value, "bestRating": best, "worstRating": worst}
    return result


def _item_reviewed(claim: Claim, mentions: list[Mention], request) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.claimant:
        author: dict[str, Any] = {"@type": "Person", "name": claim.claimant}
        if is_web_url(claim.claimant_url):
            author["sameAs"] = claim.claimant_url
        item["author"] = author
    if claim.claim_date:
        item["datePublished"] = claim.claim_date.isoformat()
    appearances = []
    seen = set()
    ordered = sorted(
        (m.revision.article for m in mentions),
        key=lambda a: (a.published_on is None, a.published_on, a.pk),
    )
    for article in ordered:
        if article.pk in seen:
            continue
        seen.add(article.pk)
        work: dict[str, Any] = {
            "@type": "CreativeWork",
            "url": (
                article.original_url
                if is_web_url(article.original_url)
                else absolute(request, article.get_absolute_url())
            ),
            "headline": article.title,
        }
        if article.published_on:
            work["datePublished"] = article.published_on.isoformat()
        appearances.append(work)
    if appearances:
        item["appearance"] = appearances
        item["firstAppearance"] = appearances[0]
    return item


def published_claims_for_feed():
    """Published claims, the most recently changed first, each with its rating and its
    published appearances (``claim.mentions.all()``, as the claim page reads them): three
    queries however many claims, the feed's rating bounds included."""
    return (
        Claim.objects.published()
        .select_related("rating")
        .prefetch_related(
            Prefetch(
                "mentions",
                queryset=Mention.objects.appearances(),
            )
        )
        .order_by("-updated_at", "-pk")
    )


def claimreview_feed(items, request, *, url: str | None = None) -> dict[str, Any]:
    """A schema.org ``DataFeed`` of ClaimReviews (the format of Google's Fact Check tools and
    Data Commons): one ``DataFeedItem`` per claim of ``items`` (``published_claims_for_feed``),
    each holding the same ClaimReview object as the claim's page. ``url`` is the feed's own
    address (the request's path by default)."""
    bounds = rating_scale_bounds()
    elements = []
    newest = None
    for claim in items:
        modified = claim.updated_at
        newest = modified if newest is None or modified > newest else newest
        elements.append(
            {
                "@type": "DataFeedItem",
                "dateModified": modified.isoformat(),
                "item": claim_review(
                    claim, list(claim.mentions.all()), request, scale_bounds=bounds
                ),
            }
        )
    feed: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": gettext("Fact-checks by %(organization)s")
        % {"organization": settings.FACTCHECK_ORGANIZATION_NAME},
        "url": url or absolute(request, request.path),
        "dateModified": newest.isoformat() if newest else None,
        "dataFeedElement": elements,
    }
    return {key: value for key, value in feed.items() if value is not None}


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """``data`` in a ``<script type="application/ld+json">`` element, escaped like
    Django's ``json_script`` (no ``<``, ``>`` or ``&`` inside), so user text in it stays
    inert. A data block is not executed, so the strict CSP needs no exception for it."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308
