"""Pictures and embeds of published claims for other sites: the share image (og:image),
the compact verdict card for an ``<iframe>`` and the oEmbed endpoint that hands the card
to a newsroom's CMS. Every read goes through ``published()``: a draft has no image, no
card and no oEmbed answer. None of them touches the session, the CSRF token or messages,
so no answer sets a cookie.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.csp import CSP
from django.utils.html import format_html
from django.utils.translation import gettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from claims.caching import cached_public_page
from claims.claimreview import absolute
from claims.models import Claim
from claims.share.image import (
    HEIGHT,
    IMAGE_MAX_AGE,
    WIDTH,
    cached_png,
    share_card,
    share_image_url,
    version_key,
)

# oEmbed: the card's size in the embedding page (the card scrolls inside when taller).
CARD_WIDTH, CARD_HEIGHT = 560, 340
CARD_MIN_WIDTH = 280


def _published_claim(slug: str) -> Claim:
    return get_object_or_404(Claim.objects.published().select_related("rating"), slug=slug)


@require_safe
def share_image(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """The PNG at its current version; an old version's address redirects to the
    current one (briefly cached: it changes again with the next correction)."""
    claim = _published_claim(slug)
    card = share_card(claim)
    current = version_key(card)
    if key != current:
        response = HttpResponseRedirect(
            reverse("claims:claim-share-image", kwargs={"slug": slug, "key": current})
        )
        patch_cache_control(response, public=True, max_age=300)
        return response
    png, _drawn = cached_png(card)
    response = HttpResponse(png, content_type="image/png")
    patch_cache_control(response, public=True, max_age=IMAGE_MAX_AGE, immutable=True)
    return response


def _card_csp() -> dict:
    """The site's CSP, with the newsroom's own sites allowed to frame the card."""
    return {
        **settings.SECURE_CSP,
        "frame-ancestors": [CSP.SELF, *settings.FACTCHECK_FRAME_ANCESTORS],
    }


def framable(view):
    """The card may be framed by this site and FACTCHECK_FRAME_ANCESTORS (read per
    request: a test or a reload may change it); every other page stays DENY/'none'."""

    def wrapper(request, *args, **kwargs):
        return csp_override(_card_csp())(xframe_options_exempt(view))(request, *args, **kwargs)

    return wrapper


@framable
@require_safe
@cached_public_page
def claim_card(request: HttpRequest, slug: str) -> HttpResponse:
    """The compact verdict card, for an ``<iframe>`` in another article."""
    claim = _published_claim(slug)
    return render(
        request,
        "claims/claim_card.html",
        {
            "claim": claim,
            "claim_url": absolute(request, claim.get_absolute_url()),
            "brand_logo_path": settings.FACTCHECK_BRAND_LOGO,
        },
    )


def _error(status: int, message: str) -> HttpResponse:
    return JsonResponse({"error": message}, status=status)


def _claim_from_url(request: HttpRequest, url: str) -> tuple[str, str] | None:
    """(slug, language) of a claim page's address on this site, None if it is not one."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    site = urlsplit(absolute(request, "/"))
    if parts.netloc.lower() != site.netloc.lower():
        return None
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            try:
                match = resolve(parts.path or "/")
            except Resolver404:
                continue
        if match.view_name in ("claims:claim", "claims:claim-card"):
            return match.kwargs["slug"], language
    return None


def _dimension(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or int(raw) <= 0:
        raise ValueError(name)
    return int(raw)


@require_safe
def oembed(request: HttpRequest) -> HttpResponse:
    """oEmbed 1.0 (https://oembed.com/): a published claim page → its card as "rich"."""
    response_format = request.GET.get("format", "json")
    if response_format != "json":
        return _error(501, gettext("Only the JSON format is available."))
    url = request.GET.get("url", "").strip()
    if not url:
        return _error(400, gettext("Give the address of a fact-check as url."))
    try:
        max_width = _dimension(request, "maxwidth")
        max_height = _dimension(request, "maxheight")
    except ValueError:
        return _error(400, gettext("maxwidth and maxheight must be whole numbers above 0."))
    found = _claim_from_url(request, url)
    if found is None:
        return _error(400, gettext("This is not the address of a fact-check on this site."))
    slug, language = found
    with translation.override(language):
        try:
            claim = _published_claim(slug)
        except Http404:
            return _error(404, gettext("There is no published fact-check at this address."))
        width = max(CARD_MIN_WIDTH, min(CARD_WIDTH, max_width or CARD_WIDTH))
        height = min(CARD_HEIGHT, max_height) if max_height else CARD_HEIGHT
        card_url = absolute(request, reverse("claims:claim-card", kwargs={"slug": slug}))
        title = claim.claim_reviewed
        frame_title = gettext("Fact-check: %(claim)s") % {"claim": title}
        answer = {
            "version": "1.0",
            "type": "rich",
            "title": title,
            "provider_name": settings.FACTCHECK_ORGANIZATION_NAME,
            "provider_url": settings.FACTCHECK_ORGANIZATION_URL or absolute(request, "/"),
            "html": _iframe(card_url, width, height, frame_title),
            "width": width,
            "height": height,
            "cache_age": 3600,
        }
        # oEmbed: a thumbnail respects maxwidth/maxheight; the share image is one size.
        if (max_width or WIDTH) >= WIDTH and (max_height or HEIGHT) >= HEIGHT:
            answer |= {
                "thumbnail_url": absolute(request, share_image_url(claim)),
                "thumbnail_width": WIDTH,
                "thumbnail_height": HEIGHT,
            }
    response = JsonResponse(answer)
    patch_cache_control(response, public=True, max_age=300)
    return response


def _iframe(src: str, width: int, height: int, title: str) -> str:
    return str(
        format_html(
            '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" '
            'style="max-width: 100%; border: 1px solid #c6c8ca" '
            'referrerpolicy="strict-origin-when-cross-origin"></iframe>',
            src,
            width,
            height,
            title,
        )
    )
