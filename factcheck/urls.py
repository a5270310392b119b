from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from claims.views.public import ratings_css

urlpatterns = [
    # Language-independent assets.
    path("ratings.css", ratings_css, name="ratings-css"),
]

# Every page lives under a language prefix (none for the default language, /de/ for
# German): the URL alone decides the language, so cached pages are the same for everyone.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("claims.urls")),
    prefix_default_language=False,
)
