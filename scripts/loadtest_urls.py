"""URLs of the load test's server: the site's own, plus one trivial view to compare with.

``/__trivial__`` answers "ok" through the whole middleware stack without touching the
database, the cache or a template: the cheapest request Django can serve, so the public
pages' throughput can be stated as a fraction of it. Used only by ``scripts/loadtest.py``
(through ``scripts/loadtest_settings.py``), never in production.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from factcheck.urls import urlpatterns as site_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


# The site's patterns are copied, not include()d: i18n_patterns must stay at the root.
urlpatterns = [path("__trivial__", trivial, name="loadtest-trivial"), *site_urlpatterns]
