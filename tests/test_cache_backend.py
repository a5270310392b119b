"""The cache's hot path: one Redis client per pool, and one cache read per page-cache hit.

Both were found by the load test (scripts/loadtest.py): building a redis-py client for
every operation and reading generation and page one after the other made a cached page
cost about three times a trivial view.
"""

import os
import uuid

import pytest
from django.core.cache import cache

from factcheck.cache import RedisCache
from tests.conftest import SEED_ARTICLE_SLUG

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_the_redis_backend_reuses_one_client_and_round_trips():
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    client = backend._cache.get_client()
    assert backend._cache.get_client() is client
    assert backend._cache.get_client(write=True) is client  # one server: one pool
    try:
        backend.set("page", ("bytes", 1), 30)
        backend.add("generation", 1, None)
        assert backend.incr("generation") == 2
        assert backend.get_many(["generation", "page", "missing"]) == {
            "generation": 2,
            "page": ("bytes", 1),
        }
    finally:
        backend.delete_many(["page", "generation"])


@pytest.mark.django_db
@pytest.mark.parametrize(("local_seconds", "expected"), [(0, ["get_many"]), (60, [])])
def test_a_page_cache_hit_reads_the_shared_cache_once_or_not_at_all(
    reader, seeded, monkeypatch, settings, local_seconds, expected
):
    # Once: generation and page in one round trip. Not at all while the worker's own
    # copy is fresh (FACTCHECK_PUBLIC_CACHE_LOCAL_SECONDS).
    settings.FACTCHECK_PUBLIC_CACHE_LOCAL_SECONDS = local_seconds
    url = f"/articles/{SEED_ARTICLE_SLUG}/"
    assert reader.get(url)["X-Cache"] == "miss"
    reads, depth = [], []

    def counted(name, original):
        def read(*args, **kwargs):
            if not depth:  # the local-memory get_many calls get for each key
                reads.append(name)
            depth.append(name)
            try:
                return original(*args, **kwargs)
            finally:
                depth.pop()

        return read

    for name in ("get", "get_many"):
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))
    assert reader.get(url)["X-Cache"] == "hit"
    assert reads == expected
