import sys

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.defaults import server_error
from django.views.generic import RedirectView

from claims.api.main import api
from claims.db_errors import DATABASE_UNAVAILABLE
from claims.sitemaps import index as sitemap_index
from claims.sitemaps import section as sitemap_section
from claims.views.embed_script import embed_loader, embed_script
from claims.views.public import ratings_css, robots_txt
from factcheck.health import healthz
from factcheck.middleware import database_unavailable

# Every 400 in words, and 413 for a body too large however Django noticed it.
handler400 = "claims.views.limits.bad_request"

urlpatterns = [
    # Language-independent resources.
    path("ratings.css", ratings_css, name="ratings-css"),
    path("robots.txt", robots_txt, name="robots"),
    # A sitemap index naming each section's pages (claims/sitemaps.py).
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap-section"),
    path("healthz", healthz, name="healthz"),
    # The embed script for publishers' pages (docs/embed.md): a short-lived loader and
    # the versioned script it loads.
    path("embed.js", embed_loader, name="embed-loader"),
    path("embed/<slug:version>/<slug:language>.js", embed_script, name="embed-script"),
    # The JSON API (docs/api.md): version 1 under /api/v1/, one address in every language
    # (the request's Accept-Language picks the language of labels and errors).
    path("api/", api.urls),
]

# Every page lives under a language prefix (none for the default language, /de/ for
# German): the URL alone decides the language, so cached pages are the same for everyone.
urlpatterns += i18n_patterns(
    # The admin's own password change checks the old password without the sign-in
    # throttle; the desk's (claims.views.account) counts wrong ones like failed sign-ins.
    path(
        "admin/password_change/",
        RedirectView.as_view(pattern_name="claims:account-password"),
        name="admin-password-change",
    ),
    path("admin/", admin.site.urls),
    path("", include("claims.urls")),
    prefix_default_language=False,
)


def handler500(request, *args, **kwargs):
    """Errors outside a view (a middleware saving a session): 503 when the database is
    down (factcheck.middleware), else Django's plain 500 page (templates/500.html)."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        return database_unavailable(request, error)
    return server_error(request, *args, **kwargs)
