"""Sessions in the database with a copy in the shared cache, safe across a cache outage.

Django's ``cached_db`` engine reads a session from the cache and falls back to the
database; every change is written to the database, then to the cache. With the degrading
Redis backend (``factcheck.cache``) an outage costs nothing on the way in: reads miss, so
sessions come from the database, and signing in and out works. But a change made during
the outage reaches only the database, and when Redis comes back its copy from before
(e.g. a session that was signed out meanwhile) would be read again. So every session
saved or deleted while the cache is down is evicted from Redis before this process uses
Redis again.
"""

from django.contrib.sessions.backends import cached_db


class SessionStore(cached_db.SessionStore):
    def _evict_if_skipped(self, cache_key: str) -> None:
        if not getattr(self._cache, "available", True):
            self._cache.evict_when_back(cache_key)

    def save(self, must_create=False):
        super().save(must_create)
        self._evict_if_skipped(self.cache_key)

    def delete(self, session_key=None):
        key = session_key or self.session_key
        super().delete(session_key)
        if key is not None:
            self._evict_if_skipped(self.cache_key_prefix + key)
