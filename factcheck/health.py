"""``/healthz``: is this app server able to serve? For load balancers and orchestrators.

It checks what every request needs — the database (a ``SELECT 1``) and the cache (a write
and a read) — and answers 200 with ``{"status": "ok", …}``, or 503 naming the part that
failed. It reveals nothing else (no versions, no error texts), is never cached, is exempt
from the HTTPS redirect (load balancers probe over plain HTTP) and needs no session.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health check: database unavailable")
        return False


def _cache() -> bool:
    key, token = "healthz:probe", uuid.uuid4().hex
    try:
        cache.set(key, token, timeout=30)
        return cache.get(key) == token
    except Exception:
        logger.exception("health check: cache unavailable")
        return False


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "cache": _cache()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "fail"}
    body |= {name: "ok" if ok else "fail" for name, ok in checks.items()}
    return JsonResponse(body, status=200 if healthy else 503)
