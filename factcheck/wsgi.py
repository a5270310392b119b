"""WSGI entry point (gunicorn factcheck.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

application = get_wsgi_application()

# Every worker loads the word lists of the text engine before it takes requests: left to
# the first request that reads words, each worker's first marking waited 1–2 s (the load
# test's desk p95 at 100,000 claims; docs/performance-work.md).
from claims.text.terms import warm_up  # noqa: E402  (needs the app registry)

warm_up()
