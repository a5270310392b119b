"""Whole-page caching of the public site, invalidated by a generation number.

Every cached page is stored together with the *generation* it was rendered in; any
change to what the public can see bumps the generation (``invalidate_public_pages``), so
all cached pages go stale at once without tracking which page shows what. A hit reads the
generation and the page in one round trip (``get_many``). Pages vary by
full URL (which carries the language), and by ``HX-Request``. A public page holds nothing
specific to one visitor (no CSRF token, session or nonce), so one copy serves everyone.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

GENERATION_KEY = "public-pages:generation"
# 410: a withdrawn fact-check's notice is a public page like the others.
CACHEABLE_STATUSES = (200, 410)


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def invalidate_public_pages() -> None:
    """Make every cached public page stale (publish, correction, rating scale edit…)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet: nothing is cached under one either
        cache.add(GENERATION_KEY, 1, timeout=None)


def _key(request) -> str:
    variant = "htmx" if request.headers.get("HX-Request") == "true" else "page"
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"public-page:{variant}:{digest}"


def cached_public_page(view):
    """Serve a public GET view from the cache, with a validating ETag."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = _key(request)
        # The generation and the page in one round trip; a page stored in an earlier
        # generation is stale, and is replaced by the fresh one.
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY) or _generation()
        stored = found.get(key)
        if isinstance(stored, tuple) and len(stored) == 4 and stored[0] == generation:
            _rendered_in, content, content_type, status = stored
            response = HttpResponse(content, content_type=content_type, status=status)
            response["X-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            cacheable = response.status_code in CACHEABLE_STATUSES and not response.cookies
            if cacheable and not getattr(response, "streaming", False):
                cache.set(
                    key,
                    (
                        generation,
                        response.content,
                        response["Content-Type"],
                        response.status_code,
                    ),
                    settings.FACTCHECK_PUBLIC_CACHE_SECONDS,
                )
                response["X-Cache"] = "miss"
        if response.status_code in CACHEABLE_STATUSES:
            # The same generation and URL always give the same page.
            tag = hashlib.sha256(f"{generation}:{key}".encode()).hexdigest()[:32]
            response["ETag"] = f'"{tag}"'
            patch_vary_headers(response, ["HX-Request"])
            patch_cache_control(response, public=True, max_age=60)
        return response

    return wrapper
