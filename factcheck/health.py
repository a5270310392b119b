"""``/healthz``: is this app server able to serve? For load balancers and orchestrators.

It checks the database (a ``SELECT 1``) and the cache (a write and a read):

- both work: 200 ``{"status": "ok", "database": "ok", "cache": "ok"}``;
- the cache fails: 200 ``{"status": "degraded", …, "cache": "fail"}``. This instance still
  serves every page (from the database; ``factcheck.cache``), so a load balancer must keep
  sending it traffic — taking every app server out because their shared Redis is down
  would turn a slower site into no site. Alert on "degraded" instead;
- the database fails: 503 ``{"status": "fail", "database": "fail", …}``: this instance
  cannot serve the desk nor any page not in the cache.

It reveals nothing else (no versions, no error texts), is never cached, is exempt from the
HTTPS redirect (load balancers probe over plain HTTP) and needs no session. While this
process treats Redis as down, the cache is reported as failed without a round trip; the
backend tries Redis again every second.
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
    # A key of its own: probes of several instances at once must not read each other's.
    token = uuid.uuid4().hex
    key = f"healthz:probe:{token}"
    try:
        cache.set(key, token, timeout=30)
        answer = cache.get(key)
        cache.delete(key)
        return answer == token
    except Exception:  # a degrading backend does not raise; others may
        logger.exception("health check: cache unavailable")
        return False


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "cache": _cache()}
    status = "ok" if all(checks.values()) else "degraded"
    if not checks["database"]:
        status = "fail"
    body = {"status": status} | {name: "ok" if ok else "fail" for name, ok in checks.items()}
    return JsonResponse(body, status=503 if status == "fail" else 200)
