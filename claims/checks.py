"""System checks of the product's settings (``manage.py check``, ``check --deploy``,
``runserver`` and ``migrate`` report them)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def site_url_check(app_configs, **kwargs) -> list[Error]:
    """With DEBUG off, absolute URLs (canonical, og:url, ClaimReview, feeds, sitemap)
    come from FACTCHECK_SITE_URL, never from a request's Host header: one request with
    a made-up host would otherwise put it into a cached page for every later visitor."""
    site_url = settings.FACTCHECK_SITE_URL
    if not site_url:
        if settings.DEBUG:
            return []
        return [
            Error(
                "FACTCHECK_SITE_URL is not set.",
                hint=(
                    "With DEBUG off, set FACTCHECK_SITE_URL to the site's public address, "
                    "e.g. https://factcheck.example.org: every absolute URL (canonical links, "
                    "ClaimReview, feeds, sitemap) is built on it, never on the request."
                ),
                id="factcheck.E001",
            )
        ]
    parts = urlsplit(site_url)
    if parts.path not in ("", "/") or parts.query or parts.fragment or not parts.hostname:
        return [
            Error(
                f"FACTCHECK_SITE_URL={site_url!r} is not a site address.",
                hint="Give the scheme and host only (and a port if needed), "
                "e.g. https://factcheck.example.org.",
                id="factcheck.E002",
            )
        ]
    return []
