"""The cache: Redis when REDIS_URL is set (a real server), local memory otherwise."""

import os

from tests.helpers import run_manage

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_redis_url_selects_the_redis_cache_and_it_round_trips():
    script = (
        "from django.core.cache import cache, caches\n"
        "cache.set('factcheck-test-key', 'wert ✓', 30)\n"
        "print(type(caches['default']).__name__, cache.get('factcheck-test-key'))\n"
        "cache.delete('factcheck-test-key')\n"
    )
    result = run_manage(["shell", "--no-imports", "-c", script], DEBUG="1", REDIS_URL=REDIS_URL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "RedisCache wert ✓"


def test_without_redis_url_the_cache_is_local_memory():
    script = "from django.core.cache import caches\nprint(type(caches['default']).__name__)\n"
    result = run_manage(["shell", "--no-imports", "-c", script], DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "LocMemCache"
