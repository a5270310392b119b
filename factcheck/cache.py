"""The Redis cache backend: one Redis client per pool, and a site that outlives Redis.

One client per pool. Django's ``RedisCacheClient.get_client()`` builds a new
``redis.Redis`` for every cache operation. With redis-py 8 that takes about 0.17 ms (each
client copies some 170 response callbacks into a case-insensitive dict) — longer than the
round trip to Redis on loopback. A page served from the page cache makes two cache reads,
so under load this was a third of its server time (docs/performance.md, load test).
redis-py clients are thread-safe and share their pool, so one client per pool does the
same work without the cost.

Losing Redis. Everything kept in the cache can be rebuilt (pages, the page-cache
generation, session copies) or has a database fallback (the readers' rate limit), so an
unreachable Redis must not cost a single 500:

- When an operation finds Redis unreachable (refused or dropped connection, timeout, a
  Redis still loading or read-only), this process marks the server *down*: reads miss
  (``get`` gives the default, ``get_many`` nothing, ``add`` False), writes are skipped,
  and ``incr``/``decr``, which have no answer to fake, raise the built-in
  ``ConnectionError`` (callers with a fallback catch it: ``claims.abuse``,
  ``claims.caching``). While the server is down no request touches it, so an outage
  that shows as timeouts costs no request a timeout after the first.
- A warning is logged when the server goes down, at most once per ``WARNING_INTERVAL``
  (30 s) while it stays down with the number of operations skipped meanwhile, and once
  when it is back.
- A background thread of this process pings the server every ``RETRY_SECONDS`` (1 s).
  When it answers, the thread first runs the ``ON_RECOVERY`` hooks (dotted paths to
  functions without arguments, e.g. ``claims.caching.after_cache_outage``, which makes
  every page cached before the outage stale) and evicts the session copies changed
  during the outage (``factcheck.sessions``), and only then lets requests use Redis
  again. No restart is needed.

The state is per process and per server (a module-level registry, shared by the
per-thread backend instances Django creates). ``OPTIONS`` takes ``RETRY_SECONDS``,
``WARNING_INTERVAL`` and ``ON_RECOVERY`` besides redis-py's connection options.
"""

import logging
import threading
import time
from collections.abc import Callable

import redis.exceptions
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# "Redis cannot be reached", as opposed to a wrong command or a bug: these degrade, the
# rest is raised as before.
UNREACHABLE = (
    redis.exceptions.ConnectionError,  # refused, reset, still loading (BusyLoadingError)
    redis.exceptions.TimeoutError,
    redis.exceptions.ReadOnlyError,  # a replica during a failover
    OSError,
)


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


class ServerHealth:
    """Whether one Redis server is usable by this process, and its way back."""

    def __init__(self, name: str, retry_seconds: float, warning_interval: float, hooks):
        self.name = name
        self.retry_seconds = retry_seconds
        self.warning_interval = warning_interval
        self.hooks: tuple[str, ...] = tuple(hooks)
        self.lock = threading.Lock()
        self.down = False
        self.down_since = 0.0
        self.skipped = 0
        self.last_warning = float("-inf")
        self.recovering_thread: int | None = None  # the thread allowed through meanwhile
        self.pinger: threading.Thread | None = None
        self.evict_on_recovery: set[str] = set()
        # Changes that could not reach Redis (a session saved or deleted, public content
        # invalidated): recovery is over only when none came in while it ran.
        self.missed_changes = 0

    def missed_change(self) -> None:
        with self.lock:
            self.missed_changes += 1

    def usable(self) -> bool:
        return not self.down or self.recovering_thread == threading.get_ident()

    def skip(self) -> None:
        """An operation skipped while down: count it, and say so once per interval."""
        now = time.monotonic()
        with self.lock:
            self.skipped += 1
            if now - self.last_warning < self.warning_interval:
                return
            self.last_warning, skipped, self.skipped = now, self.skipped, 0
        logger.warning(
            "cache %s still unreachable after %d s: %d cache operations skipped since the "
            "last warning; pages are rendered from the database",
            self.name,
            round(now - self.down_since),
            skipped,
        )

    def failed(self, backend: "RedisCache", error: Exception) -> None:
        now = time.monotonic()
        with self.lock:
            first = not self.down
            if first:
                self.down, self.down_since = True, now
            warn = first or now - self.last_warning >= self.warning_interval
            if warn:
                self.last_warning = now
            if self.pinger is None or not self.pinger.is_alive():
                self.pinger = threading.Thread(
                    target=self._ping_until_back,
                    args=(backend,),
                    name=f"cache-recovery {self.name}",
                    daemon=True,
                )
                self.pinger.start()
        if warn:
            logger.warning(
                "cache %s unreachable (%s: %s): reads miss and writes are skipped until it "
                "answers again (checked every %s s)",
                self.name,
                type(error).__name__,
                error,
                self.retry_seconds,
            )

    def _ping_until_back(self, backend: "RedisCache") -> None:
        while True:
            time.sleep(self.retry_seconds)
            self.recovering_thread = threading.get_ident()
            try:
                backend._cache.get_client(write=True).ping()
                # Requests still skip Redis while the hooks run: a change they make
                # meanwhile (a sign-out, a publication) is replayed before Redis is theirs
                # again, or the copy from before it would be served.
                while True:
                    with self.lock:
                        seen = self.missed_changes
                    self._recover(backend)
                    with self.lock:
                        if self.missed_changes == seen:
                            self.down = False
                            self.pinger = None
                            self.skipped = 0
                            break
            except UNREACHABLE:
                continue
            except Exception:  # a hook's bug must not leave the cache off for good
                logger.exception("cache %s: a recovery hook failed", self.name)
                continue
            finally:
                self.recovering_thread = None
            logger.warning(
                "cache %s is reachable again after %d s; using it again",
                self.name,
                round(time.monotonic() - self.down_since),
            )
            return

    def _recover(self, backend: "RedisCache") -> None:
        with self.lock:
            evict, self.evict_on_recovery = self.evict_on_recovery, set()
        try:
            if evict:
                backend._cache.delete_many([backend.make_and_validate_key(k) for k in evict])
            for hook in self.hooks:
                import_string(hook)()
        except BaseException:
            with self.lock:
                self.evict_on_recovery |= evict
            raise


_servers: dict[tuple, ServerHealth] = {}
_servers_lock = threading.Lock()


def _health(name: str, identity: tuple, retry: float, interval: float, hooks) -> ServerHealth:
    with _servers_lock:
        health = _servers.get(identity)
        if health is None:
            health = _servers[identity] = ServerHealth(name, retry, interval, hooks)
        return health


class RedisCache(DjangoRedisCache):
    """Django's Redis cache (``django.core.cache.backends.redis.RedisCache``), reusing
    clients, that degrades instead of failing while Redis cannot be reached."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        retry = float(options.pop("RETRY_SECONDS", 1))
        interval = float(options.pop("WARNING_INTERVAL", 30))
        hooks = options.pop("ON_RECOVERY", ())
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = RedisCacheClient
        servers = tuple(self._servers)
        self.health = _health(
            ",".join(_without_password(s) for s in servers),
            (servers, self.key_prefix, self.version),
            retry,
            interval,
            hooks,
        )

    # --- availability ----------------------------------------------------------------
    @property
    def available(self) -> bool:
        """False while this process treats the server as down."""
        return self.health.usable()

    def evict_when_back(self, key: str) -> None:
        """Delete ``key`` before Redis is used again: for a value changed in the database
        while the copy in Redis could not be updated (sessions)."""
        with self.health.lock:
            self.health.evict_on_recovery.add(key)
            self.health.missed_changes += 1

    def missed_change(self) -> None:
        """Say that a change could not be written while Redis is down (e.g. the page-cache
        generation could not be bumped): recovery runs its hooks again before requests
        use Redis."""
        self.health.missed_change()

    def _run(self, operation: Callable, degraded: Callable):
        if not self.health.usable():
            self.health.skip()
            return degraded()
        try:
            return operation()
        except UNREACHABLE as error:
            if self.health.recovering_thread == threading.get_ident():
                raise  # the recovery thread tries again later
            self.health.failed(self, error)
            return degraded()

    # --- the cache API ---------------------------------------------------------------
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run(lambda: super(RedisCache, self).add(key, value, timeout, version), _no)

    def get(self, key, default=None, version=None):
        return self._run(
            lambda: super(RedisCache, self).get(key, default, version), lambda: default
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run(lambda: super(RedisCache, self).set(key, value, timeout, version), _none)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run(lambda: super(RedisCache, self).touch(key, timeout, version), _no)

    def delete(self, key, version=None):
        return self._run(lambda: super(RedisCache, self).delete(key, version), _no)

    def get_many(self, keys, version=None):
        return self._run(lambda: super(RedisCache, self).get_many(keys, version), dict)

    def has_key(self, key, version=None):
        return self._run(lambda: super(RedisCache, self).has_key(key, version), _no)

    def incr(self, key, delta=1, version=None):
        return self._run(lambda: super(RedisCache, self).incr(key, delta, version), self._raise)

    def decr(self, key, delta=1, version=None):
        return self._run(lambda: super(RedisCache, self).decr(key, delta, version), self._raise)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that were not stored.
        return self._run(
            lambda: super(RedisCache, self).set_many(data, timeout, version), lambda: list(data)
        )

    def delete_many(self, keys, version=None):
        return self._run(lambda: super(RedisCache, self).delete_many(keys, version), _none)

    def clear(self):
        return self._run(lambda: super(RedisCache, self).clear(), _no)

    def _raise(self):
        raise ConnectionError(f"the cache {self.health.name} cannot be reached")


def _no() -> bool:
    return False


def _none() -> None:
    return None


def _without_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = rest.rsplit("@", 1)[1]
    return f"{scheme}{sep}{rest}"
