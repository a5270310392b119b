from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from claims.sitemaps import SITEMAPS
from claims.views.public import ratings_css, robots_txt
from factcheck.health import healthz

# Every 400 in words, and 413 for a body too large however Django noticed it.
handler400 = "claims.views.responses.bad_request"

urlpatterns = [
    # Language-independent resources.
    path("ratings.css", ratings_css, name="ratings-css"),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("healthz", healthz, name="healthz"),
]

# Every page lives under a language prefix (none for the default language, /de/ for
# German): the URL alone decides the language, so cached pages are the same for everyone.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("claims.urls")),
    prefix_default_language=False,
)
