"""Whole-page caching of the public site, invalidated by a generation number.

Every cached page is stored together with the *generation* it was rendered in; any
change to what the public can see bumps the generation (``invalidate_public_pages``), so
all cached pages go stale at once without tracking which page shows what. A hit reads the
generation and the page in one round trip (``get_many``). Pages vary by
full URL (which carries the language), and by ``HX-Request``. A public page holds nothing
specific to one visitor (no CSRF token, session or nonce), so one copy serves everyone.

Each worker also keeps the pages it served at addresses without a query string in its
own memory for a moment (``FACTCHECK_PUBLIC_CACHE_LOCAL_SECONDS``, 2 s with Redis; made-up
query strings cannot fill that memory): a viral page is then served
without a round trip to Redis, and a change made through another worker shows there after
at most that long (counted from when the page was known to be current). A change made
through this worker empties its local copies at once, and a page rendered while that
happened is not kept.

Losing the shared cache (Redis) costs no page: the backend (``factcheck.cache``) then
misses every read and skips every write, so pages are rendered from the database and not
stored, and ``invalidate_public_pages`` cannot bump the generation. Every process that saw
the outage bumps it once more when Redis answers again (``after_cache_outage``, run by the
backend before any request may use Redis), so a page cached before an invalidation that
happened during the outage is never served after it.

Losing the database costs no page that is still in the cache: when rendering fails with a
database error, the stored page is served even if its generation is old (stale-if-error,
``X-Cache: stale``); an address never cached raises, and ``factcheck.middleware`` answers
503.

With ``DEBUG`` on (no ``FACTCHECK_SITE_URL`` required), absolute URLs come from the
request, so the key includes the scheme and host: one request with a made-up ``Host`` must
not put its host into the page everyone else gets.

Pages are stored gzip-compressed, compressed once when rendered: a hit sends the stored
bytes as they are to every browser (all of them accept gzip) and decompresses only for a
client that does not. With no secret in the page, compression gives BREACH nothing to
find; other answers to visitors without a session are compressed per response
(``factcheck.middleware.AnonymousGZipMiddleware``).
"""

import gzip
import hashlib
import itertools
import logging
import time
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.text import compress_string

from claims.db_errors import DATABASE_UNAVAILABLE
from claims.log_throttle import ThrottledLog

logger = logging.getLogger(__name__)
_log_deferred = ThrottledLog(logger)
_log_stale = ThrottledLog(logger)

GENERATION_KEY = "public-pages:generation"
# 410: a withdrawn fact-check's notice is a public page like the others.
CACHEABLE_STATUSES = (200, 410)


def _generation() -> int | None:
    """The current generation; None while the shared cache cannot be reached."""
    try:
        # incr by 0 reads the value, and unlike get() says when Redis is unreachable.
        return cache.incr(GENERATION_KEY, 0)
    except ValueError:  # no generation yet
        cache.add(GENERATION_KEY, 1, timeout=None)
        return cache.get(GENERATION_KEY, 1)
    except ConnectionError:
        return None


def _local():
    return caches["public-pages-local"]


# Moves on whenever this process empties its local copies; a request that saw it move
# while rendering does not keep its page locally (it may show what was just changed).
_local_epoch = itertools.count()
_epoch = next(_local_epoch)


def _clear_local() -> None:
    global _epoch
    _epoch = next(_local_epoch)
    _local().clear()


CHANGED_AT_KEY = "public-pages:changed-at"


def _mark_changed() -> None:
    cache.set(CHANGED_AT_KEY, time.time(), timeout=None)


def public_last_modified() -> datetime | None:
    """When anything the public can see last changed, for ``Last-Modified`` (the API).
    One time for all public content: coarse, and never too early, because every such
    change invalidates the page cache. Whole seconds, as HTTP dates are; while the change
    is less than a second old it is None, so a second change within the same second
    cannot hide behind the first one's date. None too while the cache cannot be reached
    (``ETag`` still answers 304)."""
    try:
        changed = cache.get(CHANGED_AT_KEY)
        if changed is None:  # an empty cache: the latest change is unknown, say now
            cache.add(CHANGED_AT_KEY, time.time(), timeout=None)
            return None
    except ConnectionError:
        return None
    if time.time() < changed + 1:
        return None
    return datetime.fromtimestamp(int(changed), tz=UTC)


def invalidate_public_pages() -> None:
    """Make every cached public page stale (publish, correction, rating scale edit…)."""
    try:
        _mark_changed()
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet: nothing is cached under one either
        cache.add(GENERATION_KEY, 1, timeout=None)
    except ConnectionError:
        # Redis is down: nothing is served from it now, and this process bumps the
        # generation before it uses Redis again (after_cache_outage), also when this
        # happens while it is coming back.
        missed = getattr(cache, "missed_change", None)
        if missed is not None:
            missed()
        _log_deferred.warning(
            "public page cache unreachable: invalidations deferred until it is back"
        )
    _clear_local()


def after_cache_outage() -> None:
    """Run by the cache backend when Redis answers again, before any request may use it
    (``ON_RECOVERY`` in settings): pages cached before the outage may predate an
    invalidation that could not be made meanwhile, so all of them go stale."""
    _mark_changed()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # Redis came back empty: nothing old to fear
        cache.add(GENERATION_KEY, 1, timeout=None)
    _clear_local()


def per_generation(name: str, compute, timeout: int = 24 * 3600):
    """``compute()``'s value, kept in the shared cache until the public content changes
    (the next generation): for figures drawn from every published claim, such as the home
    page's verdict chart, which are then counted once per change instead of once per page
    rendered. Computed every time while the shared cache cannot be reached."""
    generation = _generation()
    if generation is None:
        return compute()
    key = f"public-data:{name}:{generation}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def clear_all_caches() -> None:
    """Empty the whole shared cache (pages, sessions, rate limits) and this process's
    local page copies: for tests and benchmarks, never for a live site."""
    cache.clear()
    _clear_local()


def _key(request) -> str:
    variant = "htmx" if request.headers.get("HX-Request") == "true" else "page"
    address = request.get_full_path()
    if settings.DEBUG or not settings.FACTCHECK_SITE_URL:
        # Absolute URLs in the page come from the request (claims.claimreview.absolute).
        address = f"{request.scheme}://{request.get_host()}{address}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    # "gz": stored compressed. A release that stores pages differently needs its own
    # prefix, since old and new app servers share the cache during a rolling deploy.
    return f"public-page:gz:{variant}:{digest}"


def _accepts_gzip(request) -> bool:
    return bool(re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")))


def _send_compressed(response, compressed: bytes) -> None:
    response.content = compressed
    response["Content-Encoding"] = "gzip"


def _valid(stored) -> bool:
    return isinstance(stored, tuple) and len(stored) == 4


def _current(stored, generation: int | None) -> bool:
    return generation is not None and _valid(stored) and stored[0] == generation


def _stored_response(request, stored) -> HttpResponse:
    _rendered_in, compressed, content_type, status = stored
    response = HttpResponse(content_type=content_type, status=status)
    if _accepts_gzip(request):
        _send_compressed(response, compressed)
    else:
        response.content = gzip.decompress(compressed)
    return response


def cached_public_page(view):
    """Serve a public GET view from the cache, with a validating ETag."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = _key(request)
        local_seconds = (
            min(
                settings.FACTCHECK_PUBLIC_CACHE_LOCAL_SECONDS,
                settings.FACTCHECK_PUBLIC_CACHE_SECONDS,
            )
            if not request.META.get("QUERY_STRING")
            else 0
        )
        epoch, checked_at = _epoch, time.monotonic()

        def keep_locally(page) -> None:
            # For what is left of the moment since the generation was read, and not if
            # this process changed public content meanwhile.
            remaining = local_seconds - (time.monotonic() - checked_at)
            if remaining > 0 and epoch == _epoch:
                _local().set(key, page, remaining)

        stored = _local().get(key) if local_seconds else None
        if stored is not None:  # this worker's copy, current a moment ago
            generation, local_seconds = stored[0], 0
        else:
            # The generation and the page in one round trip; a page stored in an earlier
            # generation is stale, and is replaced by the fresh one.
            found = cache.get_many([GENERATION_KEY, key])
            generation = found.get(GENERATION_KEY) or _generation()
            stored = found.get(key)
            if _current(stored, generation):
                keep_locally(stored)
        if _current(stored, generation):
            response = _stored_response(request, stored)
            response["X-Cache"] = "hit"
        else:
            try:
                response = view(request, *args, **kwargs)
            except DATABASE_UNAVAILABLE:
                if not _valid(stored):
                    raise
                # Stale-if-error: the page as it was is better than an error page.
                _log_stale.warning("database unavailable: serving stale cached pages")
                response = _stored_response(request, stored)
                response["X-Cache"] = "stale"
                generation = stored[0]
                return _public(response, generation, key)
            cacheable = response.status_code in CACHEABLE_STATUSES and not response.cookies
            if generation is None:  # the shared cache is down: nothing to store it under
                cacheable = False
                response["X-Cache"] = "off"
            if cacheable and not getattr(response, "streaming", False):
                # No random padding: the same page always compresses to the same bytes.
                compressed = compress_string(response.content)
                stored = (generation, compressed, response["Content-Type"], response.status_code)
                cache.set(key, stored, settings.FACTCHECK_PUBLIC_CACHE_SECONDS)
                keep_locally(stored)
                if _accepts_gzip(request):
                    _send_compressed(response, compressed)
                response["X-Cache"] = "miss"
        return _public(response, generation, key)

    return wrapper


def _public(response, generation: int | None, key: str) -> HttpResponse:
    if response.status_code in CACHEABLE_STATUSES:
        if generation is not None:
            # The same generation and URL always give the same page; the compressed and
            # the plain page are two representations with two tags. Without a generation
            # (cache down), ConditionalGetMiddleware tags the content itself.
            tag = hashlib.sha256(f"{generation}:{key}".encode()).hexdigest()[:32]
            gzipped = response.get("Content-Encoding") == "gzip"
            response["ETag"] = f'"{tag}-gzip"' if gzipped else f'"{tag}"'
        patch_vary_headers(response, ["HX-Request", "Accept-Encoding"])
        patch_cache_control(response, public=True, max_age=60)
    return response
