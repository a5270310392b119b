"""Spam and abuse protection for reader input: client identity, rate limit, honeypot.

- The client is identified by its address: ``REMOTE_ADDR``, unless
  ``FACTCHECK_TRUSTED_PROXY_COUNT`` proxies in front of the site append to
  ``X-Forwarded-For``; then the address that many hops from the right. Anything further
  left was written by the client and is ignored. IPv6 clients are grouped by their /64
  network (one subscriber usually holds a whole /64).
- The address is kept only as a salted HMAC-SHA256 (key derived from ``SECRET_KEY``):
  enough to recognise a flood, useless to identify a reader.
- The rate limit is a fixed window counted in the shared Django cache with ``add`` and
  ``incr`` (atomic on Redis, so it holds across worker processes and machines). While the
  cache cannot be reached it is counted in the database instead (``ReaderRateCount``,
  one row per client and window, incremented with ``UPDATE … SET count = count + 1``),
  so it keeps limiting; if the database fails too, the submission fails (503), it is never
  let through uncounted. Counts do not move between the two: across the switch a client
  may get up to one more window's worth.
- The honeypot is a form field people never see; a bot that fills it in is shown the
  normal thank-you page, and nothing is stored.
"""

import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from claims.log_throttle import ThrottledLog

logger = logging.getLogger(__name__)
_log_fallback = ThrottledLog(logger)

HONEYPOT_FIELD = "homepage"
HONEYPOT_COUNTER_KEY = "factcheck:honeypot:count"
RATE_KEY_PREFIX = "factcheck:reader-rate"
_HASH_SALT = "claims.abuse.client_hash"


def _parse_address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.5:443"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def client_ip(request: HttpRequest) -> str:
    """The client's address as far as the trusted proxies vouch for it."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    hops = settings.FACTCHECK_TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [
            item.strip()
            for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if item.strip()
        ]
        if len(forwarded) >= hops:
            address = _parse_address(forwarded[-hops])
            if address is not None:
                return str(address)
    address = _parse_address(remote)
    return str(address) if address is not None else remote


def _identity(ip: str) -> str:
    """What the limit counts: the address, or the /64 network of an IPv6 address."""
    address = _parse_address(ip)
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return ip


def client_hash(request: HttpRequest) -> str:
    """A salted HMAC-SHA256 of the client's identity: 64 hex digits, never the address."""
    return salted_hmac(_HASH_SALT, _identity(client_ip(request)), algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the current window ends

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


def hit(
    identity: str,
    *,
    limit: int | None = None,
    window: int | None = None,
    now: float | None = None,
    prefix: str = RATE_KEY_PREFIX,
    count_in_database: bool = True,
) -> RateDecision:
    """Count one submission by ``identity`` and say whether it is within the limit.

    Fixed windows: the key holds the window number, so it never needs resetting. The key
    lives a minute longer than its window, so it cannot expire between ``add`` and
    ``incr`` while its window is current. Without ``count_in_database`` (the API's
    limit, claims.api) a client is let through uncounted while the cache is down.
    """
    limit = settings.FACTCHECK_READER_RATE_LIMIT if limit is None else limit
    window = settings.FACTCHECK_READER_RATE_WINDOW if window is None else window
    now = time.time() if now is None else now
    number = int(now // window)
    key = f"{prefix}:{identity}:{number}"
    try:
        cache.add(key, 0, timeout=window + 60)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted in between: start the window again
            cache.add(key, 0, timeout=window + 60)
            count = cache.incr(key)
    except ConnectionError:  # the shared cache is down (factcheck.cache)
        if not count_in_database:
            return RateDecision(allowed=True, count=0, limit=limit, retry_after=0)
        count = _count_in_database(identity, number * window)
        _log_fallback.warning(
            "reader input rate limit counted in the database while the cache is unreachable"
        )
    retry_after = max(1, math.ceil((number + 1) * window - now))
    return RateDecision(allowed=count <= limit, count=count, limit=limit, retry_after=retry_after)


def _count_in_database(identity: str, window_start: int) -> int:
    """Count one submission in the database and return the window's count so far.

    The increment is one ``UPDATE … SET count = count + 1``: PostgreSQL holds the row lock
    until commit and SQLite serialises writers, so concurrent submissions never lose a
    count. Two first submissions at once race to create the row; the loser's insert fails
    on the unique constraint (in its own savepoint) and it increments instead.
    """
    # Imported here: the rate limit itself runs without the app (a cache is all it needs).
    from claims.models import ReaderRateCount

    rows = ReaderRateCount.objects.filter(client_hash=identity[:64], window_start=window_start)
    with transaction.atomic():
        if not rows.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    ReaderRateCount.objects.create(
                        client_hash=identity[:64], window_start=window_start, count=1
                    )
            except IntegrityError:
                rows.update(count=F("count") + 1)
            else:  # a new window: forget the past ones
                ReaderRateCount.objects.filter(window_start__lt=window_start).delete()
        return rows.values_list("count", flat=True).get()


def check_rate(request: HttpRequest) -> RateDecision:
    """Count one reader submission from this request's client."""
    decision = hit(client_hash(request))
    if not decision.allowed:
        logger.warning(
            "reader input rate limit: client %s, %d submissions in the window (limit %d)",
            client_hash(request)[:12],
            decision.count,
            decision.limit,
        )
    return decision


def honeypot_filled(data) -> bool:
    """True when the hidden field that people never see came back with text in it."""
    return bool(str(data.get(HONEYPOT_FIELD, "") or "").strip())


def record_honeypot(request: HttpRequest, form: str) -> int | None:
    """Count and log a submission caught by the honeypot; returns the running total (None
    while the cache, where it is counted, cannot be reached: the drop is still logged)."""
    try:
        cache.add(HONEYPOT_COUNTER_KEY, 0, timeout=None)
        try:
            total = cache.incr(HONEYPOT_COUNTER_KEY)
        except ValueError:
            cache.add(HONEYPOT_COUNTER_KEY, 0, timeout=None)
            total = cache.incr(HONEYPOT_COUNTER_KEY)
    except ConnectionError:
        total = None
    logger.info(
        "honeypot: dropped a %s submission from client %s (%s so far)",
        form,
        client_hash(request)[:12],
        "?" if total is None else total,
    )
    return total
