"""Whole-page caching of the public site, invalidated by a generation number.

Every cached page is stored under a key that contains the current *generation*; any
change to what the public can see bumps the generation (``invalidate_public_pages``), so
all cached pages go stale at once without tracking which page shows what. Pages vary by
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


def _key(request, generation: int) -> str:
    variant = "htmx" if request.headers.get("HX-Request") == "true" else "page"
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"public-page:{generation}:{variant}:{digest}"


def cached_public_page(view):
    """Serve a public GET view from the cache, with a validating ETag."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        generation = _generation()
        key = _key(request, generation)
        stored = cache.get(key)
        if stored is not None:
            content, content_type, *rest = stored  # entries from before 410s: 2 items
            response = HttpResponse(
                content, content_type=content_type, status=rest[0] if rest else 200
            )
            response["X-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            cacheable = response.status_code in CACHEABLE_STATUSES and not response.cookies
            if cacheable and not getattr(response, "streaming", False):
                cache.set(
                    key,
                    (response.content, response["Content-Type"], response.status_code),
                    settings.FACTCHECK_PUBLIC_CACHE_SECONDS,
                )
                response["X-Cache"] = "miss"
        if response.status_code in CACHEABLE_STATUSES:
            # The same generation and URL always give the same page.
            response["ETag"] = f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'
            patch_vary_headers(response, ["HX-Request"])
            patch_cache_control(response, public=True, max_age=60)
        return response

    return wrapper
