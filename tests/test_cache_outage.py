"""Losing Redis or the database, in this process (issue 15, sections 1 and 2).

Redis down: the cache points at a port where nothing listens (connection refused, as when
Redis was killed), or at a private ``redis-server`` this module kills and restarts with
its old data (tests/services.py). The database down: Django's ``execute_wrapper`` hook
makes every query (or one kind of INSERT) fail with ``OperationalError`` as a lost
connection does; tests/test_faults.py drops a real PostgreSQL database under a live server.
"""

import logging
import threading
import time
import uuid
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from claims.caching import invalidate_public_pages
from claims.models import Claim, ClaimEvent, ErrorReport, Rating, ReaderRateCount, Tip
from tests.conftest import PASSWORD, PUBLISHED_SLUG, SEED_ARTICLE_SLUG
from tests.services import RedisServer
from tests.test_reader_input import report_data, tip_data

pytestmark = pytest.mark.django_db

ARTICLE_URL = f"/articles/{SEED_ARTICLE_SLUG}/"
CLAIM_URL = f"/claims/{PUBLISHED_SLUG}/"


def _redis_cache(settings, location: str, **options) -> None:
    """Point the default cache at ``location`` through the degrading backend, with
    sessions as in production with Redis."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "factcheck.cache.RedisCache",
            "LOCATION": location,
            # Its own key space and its own health state in this process.
            "KEY_PREFIX": f"outage-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, **options},
        },
    }
    settings.SESSION_ENGINE = "factcheck.sessions"


@pytest.fixture
def cache_down(settings):
    """Redis is gone: nothing listens on port 1 (connection refused at once)."""
    _redis_cache(settings, "redis://127.0.0.1:1/0", RETRY_SECONDS=60)
    return caches["default"]


@pytest.fixture
def redis_server(tmp_path, settings):
    """A private Redis this test may kill, and the cache on it (trying again every 0.1 s)."""
    server = RedisServer(tmp_path)
    server.start()
    _redis_cache(
        settings,
        server.url,
        RETRY_SECONDS=0.1,
        ON_RECOVERY=["claims.caching.after_cache_outage"],
    )
    yield server
    server.stop()


def _wait_until_used_again(seconds: float = 10) -> None:
    backend = caches["default"]
    deadline = time.monotonic() + seconds
    while not backend.available:
        assert time.monotonic() < deadline, "the cache was not used again after Redis returned"
        time.sleep(0.05)


# --- Redis down: every page still answers ---------------------------------------------------
PAGES = [
    "/",
    "/de/",
    ARTICLE_URL,
    CLAIM_URL,
    "/claims/",
    "/claims/?q=Krieg",
    "/articles/",
    "/corrections/",
    "/methodology/",
    "/corrections-policy/",
    "/tips/new/",
    f"/claims/{PUBLISHED_SLUG}/report/",
    "/feeds/claims.atom",
    "/feeds/corrections.atom",
    "/sitemap.xml",
    "/sitemap-claims.xml",
    "/robots.txt",
    "/ratings.css",
    "/desk/login/",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_from_the_database_while_redis_is_down(reader, seeded, cache_down, url):
    for _ in range(2):  # and nothing is stored meanwhile: the second one renders again
        response = reader.get(url)
        assert response.status_code == 200, url
        if "X-Cache" in response:  # a public page: it asked Redis, which is down
            assert response["X-Cache"] == "off"
            assert not cache_down.available


def test_sign_in_and_the_desk_work_while_redis_is_down(client, editor, seeded, cache_down):
    assert client.get("/desk/login/").status_code == 200
    response = client.post("/desk/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    desk = client.get("/desk/")
    assert desk.status_code == 200
    assert "editor" in desk.content.decode()
    article = Claim.objects.get(slug=PUBLISHED_SLUG).mentions.first().revision.article
    assert client.get(f"/desk/articles/{article.pk}/").status_code == 200
    assert client.post("/desk/logout/").status_code == 302
    assert client.get("/desk/").status_code == 302  # signed out: to the sign-in page


def test_the_reader_rate_limit_keeps_limiting_in_the_database(
    reader, seeded, cache_down, settings
):
    settings.FACTCHECK_READER_RATE_LIMIT = 2
    statuses = [
        reader.post("/tips/new/", tip_data(), REMOTE_ADDR="203.0.113.9").status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Tip.objects.count() == 2
    (row,) = ReaderRateCount.objects.all()
    assert row.count == 3
    # Another client has its own count.
    assert reader.post("/tips/new/", tip_data(), REMOTE_ADDR="198.51.100.2").status_code == 302


def test_the_honeypot_still_drops_bots_while_redis_is_down(reader, seeded, cache_down):
    response = reader.post("/tips/new/", tip_data(homepage="http://spam.example"))
    assert response.status_code == 302
    assert Tip.objects.count() == 0


def test_healthz_reports_the_cache_outage_as_degraded_not_503(reader, db, cache_down):
    response = reader.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "fail"}


def test_the_outage_is_logged_once_per_interval_not_per_request(reader, seeded, settings, caplog):
    _redis_cache(settings, "redis://127.0.0.1:1/0", RETRY_SECONDS=60, WARNING_INTERVAL=1)
    caplog.set_level(logging.WARNING, logger="factcheck.cache")
    for _ in range(10):
        assert reader.get("/methodology/").status_code == 200
    warnings = [r.getMessage() for r in caplog.records if r.name == "factcheck.cache"]
    assert len(warnings) == 1, warnings
    assert "unreachable" in warnings[0]
    time.sleep(1.1)
    for _ in range(10):
        reader.get("/methodology/")
    warnings = [r.getMessage() for r in caplog.records if r.name == "factcheck.cache"]
    assert len(warnings) == 2, warnings
    assert "still unreachable" in warnings[1]


# --- Redis comes back ---------------------------------------------------------------------
def test_no_stale_page_after_an_invalidation_made_while_redis_was_down(
    reader, seeded, redis_server
):
    assert reader.get("/methodology/")["X-Cache"] == "miss"
    assert reader.get("/methodology/")["X-Cache"] == "hit"
    redis_server.save()  # the page and its generation come back with Redis
    redis_server.kill()

    rating = Rating.objects.get(slug="true")
    rating.description = "Changed while Redis was down."
    rating.save()  # invalidates: the generation cannot be bumped now
    during = reader.get("/methodology/")
    assert (during.status_code, during["X-Cache"]) == (200, "off")
    assert "Changed while Redis was down." in during.content.decode()

    redis_server.start()
    assert redis_server.client().dbsize() > 0  # the old generation and page are back
    _wait_until_used_again()
    after = reader.get("/methodology/")
    assert "Changed while Redis was down." in after.content.decode()
    assert after["X-Cache"] == "miss"
    assert reader.get("/methodology/")["X-Cache"] == "hit"  # the cache is used again


def test_a_session_signed_out_while_redis_was_down_stays_signed_out(
    client, editor, seeded, redis_server
):
    assert client.post("/desk/login/", {"username": "editor", "password": PASSWORD}).status_code
    assert client.get("/desk/").status_code == 200  # the session is now cached in Redis
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[
        settings.SESSION_COOKIE_NAME
    ].value  # the same session cookie, kept by someone else
    redis_server.save()
    redis_server.kill()

    assert client.post("/desk/logout/").status_code == 302  # deleted in the database only

    redis_server.start()
    _wait_until_used_again()
    assert stolen.get("/desk/").status_code == 302  # not signed in again by the old copy


_IN_HOOK, _RELEASE = threading.Event(), threading.Event()


def slow_recovery_hook() -> None:
    """A recovery hook that takes its time (the first time), as a slow Redis might."""
    _IN_HOOK.set()
    _RELEASE.wait(10)


def test_a_sign_out_while_redis_is_coming_back_is_not_lost(
    client, editor, seeded, tmp_path, settings
):
    """Requests keep skipping Redis while the recovery hooks run; a session deleted then
    is evicted from Redis before Redis is used again (else the copy from before the
    sign-out would let a stolen cookie back in). Invalidations made in that moment are
    replayed the same way (``missed_change``); one process alone cannot show the
    difference, since it stores no page while Redis is off."""
    _IN_HOOK.clear()
    _RELEASE.clear()
    server = RedisServer(tmp_path)
    server.start()
    _redis_cache(
        settings,
        server.url,
        RETRY_SECONDS=0.1,
        ON_RECOVERY=[
            "claims.caching.after_cache_outage",
            "tests.test_cache_outage.slow_recovery_hook",
        ],
    )
    try:
        client.post("/desk/login/", {"username": "editor", "password": PASSWORD})
        assert client.get("/desk/").status_code == 200
        stolen = Client()
        stolen.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[
            settings.SESSION_COOKIE_NAME
        ].value
        server.save()
        server.kill()
        assert client.get("/desk/").status_code == 200  # this process notices the outage
        server.start()
        assert _IN_HOOK.wait(10)  # the recovery thread is inside its hooks
        assert client.post("/desk/logout/").status_code == 302
        _RELEASE.set()
        _wait_until_used_again()
        assert stolen.get("/desk/").status_code == 302
    finally:
        _RELEASE.set()
        server.stop()


def test_sessions_survive_the_outage_and_redis_is_used_again(client, editor, seeded, redis_server):
    client.post("/desk/login/", {"username": "editor", "password": PASSWORD})
    redis_server.kill()
    assert client.get("/desk/").status_code == 200  # from the database
    redis_server.start()  # empty: no snapshot was saved
    _wait_until_used_again()
    assert client.get("/desk/").status_code == 200
    keys = [key.decode() for key in redis_server.client().keys("*")]
    assert any("sessions" in key for key in keys), keys  # cached again


# --- The database down ----------------------------------------------------------------------
@contextmanager
def database_down(only=None):
    """Every query (or those whose SQL contains ``only``) fails as on a lost connection;
    yields the SQL of every query tried meanwhile."""
    tried: list[str] = []

    def refuse(execute, sql, params, many, context):
        tried.append(sql)
        if only is None or only in sql:
            raise OperationalError("server closed the connection unexpectedly (test)")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield tried


@pytest.mark.parametrize(
    ("url", "language", "text"),
    [
        ("/articles/", "en", "Temporarily unavailable"),
        ("/de/articles/", "de", "Vorübergehend nicht erreichbar"),
    ],
)
def test_an_uncached_page_answers_503_in_the_visitors_language(
    reader, seeded, url, language, text
):
    with database_down() as tried:
        response = reader.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Language"] == language
    assert text in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert len(tried) == 1  # the view's first query; the 503 page needs none


def test_a_cached_page_is_served_while_the_database_is_down(reader, seeded):
    fresh = reader.get(ARTICLE_URL)
    claim = reader.get(CLAIM_URL)
    invalidate_public_pages()  # both are stale now: they would be rendered again
    with database_down() as tried:
        stale = reader.get(ARTICLE_URL)
        stale_claim = reader.get(CLAIM_URL)
        home = reader.get("/")  # never cached
    assert (stale.status_code, stale["X-Cache"]) == (200, "stale")
    assert stale.content == fresh.content
    assert (stale_claim.status_code, stale_claim["X-Cache"]) == (200, "stale")
    assert stale_claim.content == claim.content
    assert home.status_code == 503
    # An anonymous visitor's session and user are never loaded: only the views' queries.
    assert not any("django_session" in sql or "auth_user" in sql for sql in tried)


def test_a_current_cached_page_needs_no_database_at_all(reader, seeded):
    reader.get(ARTICLE_URL)
    with database_down() as tried:
        response = reader.get(ARTICLE_URL)
    assert (response.status_code, response["X-Cache"]) == (200, "hit")
    assert tried == []


def test_the_desk_answers_503_while_the_database_is_down(desk, seeded):
    # The second-factor gate (claims.signin) reads the user in a middleware, before any
    # view: Django turns that error into a response through handler500, as in production.
    desk.raise_request_exception = False
    with database_down():
        response = desk.get("/de/desk/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Vorübergehend nicht erreichbar" in response.content.decode()


def test_healthz_answers_503_when_the_database_is_down(reader, db):
    with database_down():
        response = reader.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "database": "fail", "cache": "ok"}


def test_errors_outside_a_view_become_503_through_handler500(db):
    # E.g. a middleware saving a session; Django calls handler500 inside its except block.
    from factcheck.urls import handler500

    request = RequestFactory().get("/de/claims/")
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = handler500(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Vorübergehend nicht erreichbar" in response.content.decode()
    try:
        raise ValueError("a bug")
    except ValueError:
        assert handler500(request).status_code == 500


# --- A write that fails half-way leaves nothing ---------------------------------------------
def test_an_error_report_whose_event_cannot_be_written_leaves_nothing(reader, published):
    events = ClaimEvent.objects.count()
    with database_down(only='INSERT INTO "claims_claimevent"') as tried:
        response = reader.post(f"/claims/{PUBLISHED_SLUG}/report/", report_data())
    assert any('INSERT INTO "claims_errorreport"' in sql for sql in tried)  # it got that far
    assert response.status_code == 503
    assert ErrorReport.objects.count() == 0
    assert ClaimEvent.objects.count() == events


def test_marking_a_claim_whose_passage_cannot_be_written_leaves_no_claim(desk, article):
    claims = Claim.objects.count()
    text = article.current_revision.text
    start = text.index("Kim Jong Un")
    data = {
        "revision": article.current_revision_id,
        "start": start,
        "end": start + len("Kim Jong Un"),
        "exact": "Kim Jong Un",
        "new": "1",  # past the similar claims shown first: a new claim is made
    }
    with database_down(only='INSERT INTO "claims_mention"') as tried:
        response = desk.post(f"/desk/articles/{article.pk}/mark/", data)
    assert any('INSERT INTO "claims_claim"' in sql for sql in tried)  # it got that far
    assert response.status_code == 503
    assert Claim.objects.count() == claims
