"""Fault injection with real services (issue 15, section 9).

This module starts its own Redis (``redis-server`` on a free port) and its own PostgreSQL
database (a uniquely named one on the local server), runs the site against them in
gunicorn with two worker processes and production settings, and then breaks things for
real: it kills Redis (SIGKILL, with a snapshot so that the old pages come back with it),
renames the database away under the running server, and finally drops it.

It runs on the PostgreSQL leg of CI (``DATABASE_URL=postgres://…``, ``.ci/run`` pass 2), or
anywhere with ``FACTCHECK_FAULT_TESTS=1``; elsewhere it is skipped, saying why. When it
should run (CI on PostgreSQL) but PostgreSQL or redis-server is missing, it fails instead of
skipping. About 30 s.
"""

import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from scripts._common import stop_process
from tests.conftest import PUBLISHED_SLUG
from tests.helpers import ROOT
from tests.services import RedisServer, free_port, redis_server_binary

PASSWORD = "fault-injection-" + secrets.token_urlsafe(8)
RATE_LIMIT = 2
_DATABASE_URL = os.environ.get("DATABASE_URL", "")
_WANTED = (
    _DATABASE_URL.startswith(("postgres", "pgsql"))
    or os.environ.get("FACTCHECK_FAULT_TESTS") == "1"
)

if not _WANTED:
    pytest.skip(
        "fault injection runs on the PostgreSQL leg (DATABASE_URL=postgres://…) or with "
        "FACTCHECK_FAULT_TESTS=1",
        allow_module_level=True,
    )


def _server_address() -> tuple[str, int]:
    parts = urlsplit(_DATABASE_URL) if _DATABASE_URL.startswith(("postgres", "pgsql")) else None
    return (parts.hostname or "127.0.0.1", parts.port or 5432) if parts else ("127.0.0.1", 5432)


def _admin_connection():
    import psycopg

    host, port = _server_address()
    user = urlsplit(_DATABASE_URL).username if _DATABASE_URL else None
    return psycopg.connect(
        host=host, port=port, user=user or "postgres", dbname="postgres", autocommit=True
    )


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"fault injection must run in CI on PostgreSQL, but {reason}")
    pytest.skip(reason)


# --- The stack ---------------------------------------------------------------------------
class Browser:
    """A tiny HTTP client with cookies that never follows redirects."""

    def __init__(self, port: int):
        self.port = port
        self.cookies = SimpleCookie()

    def request(self, method: str, path: str, data: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1", "Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        connection.close()
        return response.status, response.headers, text

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, form_path: str, data: dict, action: str | None = None):
        """Load the form page for its CSRF token, then post ``data`` with it."""
        status, _headers, page = self.get(form_path)
        assert status == 200, (form_path, status, page[:300])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request("POST", action or form_path, {**data, "csrfmiddlewaretoken": token})

    def sign_in(self, username: str) -> None:
        status, _headers, page = self.post_form(
            "/desk/login/", {"username": username, "password": PASSWORD}
        )
        assert status == 302, page[:500]


class Stack:
    def __init__(self, folder: Path):
        self.folder = folder
        self.redis = RedisServer(folder)
        self.database = f"faults_{uuid.uuid4().hex[:12]}"
        self.port = free_port()
        self.server: subprocess.Popen | None = None
        host, port = _server_address()
        self.env = {
            **{k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}},
            "DJANGO_SETTINGS_MODULE": "factcheck.settings",
            "PYTHONPATH": str(ROOT),
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "FACTCHECK_SITE_URL": "https://factcheck.example.org",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "STATIC_MANIFEST": "0",
            "DATABASE_URL": f"postgres://postgres@{host}:{port}/{self.database}",
            "CONN_MAX_AGE": "60",
            "FACTCHECK_PUBLIC_CACHE_LOCAL_SECONDS": "0",  # every hit asks Redis
            "FACTCHECK_READER_RATE_LIMIT": str(RATE_LIMIT),
            "FACTCHECK_DEMO_PASSWORD": PASSWORD,
            "LOG_LEVEL": "WARNING",
        }
        self.log = folder / "server.log"

    # Services
    def start(self) -> None:
        self.redis.start()
        self.env["REDIS_URL"] = self.redis.url
        with _admin_connection() as admin:
            admin.execute(f'CREATE DATABASE "{self.database}"')
        for command in (["migrate", "--noinput"], ["loadseeds", "--demo-users", "--force"]):
            done = subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=self.env,
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
            assert done.returncode == 0, done.stdout + done.stderr
        self.start_server()

    def start_server(self) -> None:
        with open(self.log, "ab") as out:
            self.server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "factcheck.wsgi",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "2",
                    "--timeout",
                    "30",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.wait_for_health(200)

    def wait_for_health(self, status: int, body: str | None = None, seconds: float = 30) -> dict:
        """Poll /healthz until it answers ``status`` (and ``"status": body``)."""
        deadline = time.monotonic() + seconds
        last = None
        while time.monotonic() < deadline:
            assert self.server.poll() is None, self.log.read_text()[-3000:]
            try:
                last = self.browser().get("/healthz")
            except OSError:
                last = None
            if last and last[0] == status:
                answer = json.loads(last[2])
                if body is None or answer["status"] == body:
                    return answer
            time.sleep(0.2)
        raise AssertionError(f"/healthz never answered {status} {body}: {last}")

    def browser(self) -> Browser:
        return Browser(self.port)

    def sql(self, query: str, *params):
        import psycopg

        host, port = _server_address()
        with psycopg.connect(
            host=host, port=port, user="postgres", dbname=self.database, autocommit=True
        ) as db:
            return db.execute(query, params).fetchall()

    def stop(self) -> None:
        stop_process(self.server)
        self.redis.stop()
        with _admin_connection() as admin:
            for name in (self.database, f"{self.database}_gone"):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if redis_server_binary() is None:
        _unavailable("redis-server is not installed")
    try:
        _admin_connection().close()
    except Exception as error:
        _unavailable(f"PostgreSQL is not reachable at {_server_address()}: {error}")
    stack = Stack(tmp_path_factory.mktemp("faults"))
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


def _in_review_claim(stack) -> tuple[int, int, str]:
    ((pk, version, slug),) = stack.sql(
        "SELECT id, version, slug FROM claims_claim WHERE status = 'in_review' LIMIT 1"
    )
    return pk, version, slug


def _x_cache(response) -> str | None:
    return response[1].get("X-Cache")


PAGES = ["/", "/de/", f"/claims/{PUBLISHED_SLUG}/", "/claims/", "/articles/", "/desk/login/"]


# --- Losing Redis --------------------------------------------------------------------------
def test_losing_redis_keeps_the_site_up_and_it_recovers_without_stale_pages(stack):
    reader, reviewer = stack.browser(), stack.browser()
    # Before: the home page is cached, the reviewer signed in (a session copy in Redis).
    reader.get("/")
    assert _x_cache(reader.get("/")) == "hit"
    reviewer.sign_in("reviewer")
    assert reviewer.get("/desk/")[0] == 200
    pk, version, slug = _in_review_claim(stack)
    assert f"/claims/{slug}/" not in reader.get("/")[2]
    stack.redis.save()  # a snapshot: the old generation and pages come back with Redis
    stack.redis.kill()

    # Pages keep working, on both workers (several requests each).
    for url in PAGES * 2:
        status, headers, _text = reader.get(url)
        assert status == 200, url
        assert headers.get("X-Cache") in (None, "off"), url
    # Sessions survive: the signed-in reviewer, and a new sign-in during the outage.
    assert reviewer.get("/desk/")[0] == 200
    editor = stack.browser()
    editor.sign_in("editor")
    assert editor.get("/desk/")[0] == 200
    # The readers' rate limit still limits (counted in the database meanwhile).
    tipper = stack.browser()
    statuses = [
        tipper.post_form("/tips/new/", {"claim_text": f"Tip {n} while Redis is down"})[0]
        for n in range(RATE_LIMIT + 1)
    ]
    assert statuses == [302] * RATE_LIMIT + [429]
    assert stack.sql("SELECT count(*) FROM claims_tip")[0][0] == RATE_LIMIT
    # The health check says degraded, not down.
    health = stack.wait_for_health(200, "degraded")
    assert health == {"status": "degraded", "database": "ok", "cache": "fail"}
    # An invalidation while Redis is down: the reviewer approves and publishes a claim.
    status, _headers, page = reviewer.post_form(
        f"/desk/claims/{pk}/",
        {"version": version, "comment": ""},
        action=f"/desk/claims/{pk}/approve-publish/",
    )
    assert status == 302, page[:500]
    assert stack.sql("SELECT status FROM claims_claim WHERE id = %s", pk) == [("published",)]
    assert f"/claims/{slug}/" in reader.get("/")[2]  # rendered from the database

    stack.redis.start()  # with its old data: the home page from before the publication
    assert stack.redis.client().dbsize() > 0
    assert stack.wait_for_health(200, "ok") == {"status": "ok", "database": "ok", "cache": "ok"}
    time.sleep(1.5)  # each worker that saw the outage tries Redis again every second
    for _ in range(6):  # whichever worker answers: never the page from before
        status, headers, text = reader.get("/")
        assert status == 200
        assert f"/claims/{slug}/" in text, "a stale page came back with Redis"
    assert _x_cache(reader.get("/")) == "hit"  # Redis is used again, without a restart
    assert reviewer.get("/desk/")[0] == 200


# --- Losing the database ---------------------------------------------------------------------
def test_losing_the_database_answers_503_serves_cached_pages_and_loses_no_write(stack):
    reader, reviewer = stack.browser(), stack.browser()
    reviewer.sign_in("reviewer")
    claim_page = f"/claims/{PUBLISHED_SLUG}/"
    fresh_articles = reader.get("/articles/")[2]
    # Stale-if-error: an invalidation makes /articles/ stale in Redis, as a publication does.
    stack.redis.client().incr("factcheck:1:public-pages:generation")
    reader.get(claim_page)
    assert _x_cache(reader.get(claim_page)) == "hit"  # current in the new generation
    tips_before = stack.sql("SELECT count(*) FROM claims_tip")[0][0]
    tipper = stack.browser()
    status, *_ = tipper.post_form("/tips/new/", {"claim_text": "Sent before the outage"})
    assert status == 302  # acknowledged: it must survive

    # The database goes away under the running server: its connections are cut and it
    # is renamed, so every new connection fails ("database … does not exist").
    with _admin_connection() as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (stack.database,),
        )
        admin.execute(f'ALTER DATABASE "{stack.database}" RENAME TO "{stack.database}_gone"')

    for url in ("/corrections/", "/de/corrections/", "/articles/?page=1"):
        status, headers, text = reader.get(url)
        assert status == 503, (url, text[:300])
        assert headers["Retry-After"] == "30"
    assert "Vorübergehend nicht erreichbar" in reader.get("/de/corrections/")[2]
    status, headers, text = reviewer.get("/desk/")  # signed in: the session needs the DB
    assert status == 503
    for _ in range(4):  # cached pages are still served, on whichever worker
        status, headers, text = reader.get(claim_page)
        assert (status, headers["X-Cache"]) == (200, "hit")
        status, headers, text = reader.get("/articles/")
        assert (status, headers["X-Cache"]) == (200, "stale")
        assert text == fresh_articles
    assert stack.wait_for_health(503)["database"] == "fail"
    # A write during the outage fails as a whole (the CSRF cookie's secret is a valid token).
    token = tipper.cookies["csrftoken"].value
    status, *_ = tipper.request(
        "POST",
        "/tips/new/",
        {"claim_text": "Sent during the outage", "csrfmiddlewaretoken": token},
    )
    assert status == 503

    with _admin_connection() as admin:
        admin.execute(f'ALTER DATABASE "{stack.database}_gone" RENAME TO "{stack.database}"')
    stack.wait_for_health(200, "ok")
    texts = [row[0] for row in stack.sql("SELECT claim_text FROM claims_tip")]
    assert len(texts) == tips_before + 1
    assert "Sent before the outage" in texts
    assert reader.get("/corrections/")[0] == 200
    assert reviewer.get("/desk/")[0] == 200  # the session was in the database all along

    # Dropped for good: still 503 and cached pages, never a 500.
    with _admin_connection() as admin:
        admin.execute(f'DROP DATABASE "{stack.database}" WITH (FORCE)')
    assert reader.get("/claims/?q=never-cached")[0] == 503
    assert reader.get(claim_page)[0] == 200
    assert stack.wait_for_health(503)["database"] == "fail"
    assert "Internal Server Error" not in stack.log.read_text()
