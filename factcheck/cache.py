"""The Redis cache backend, with one Redis client per connection pool.

Django's ``RedisCacheClient.get_client()`` builds a new ``redis.Redis`` for every cache
operation. With redis-py 8 that takes about 0.17 ms (each client copies some 170 response
callbacks into a case-insensitive dict) — longer than the round trip to Redis on loopback.
A page served from the page cache makes two cache reads, so under load this was a third of
its server time (docs/performance.md, load test). redis-py clients are thread-safe and
share their pool, so one client per pool does the same work without the cost.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """Django's Redis cache (``django.core.cache.backends.redis.RedisCache``), reusing clients."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
