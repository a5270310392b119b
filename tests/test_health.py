"""The health check answers 200 when the database and the cache work, 200 "degraded" when
only the cache is down (the instance still serves every page), and 503 when the database
is down — tested with real unreachable services, in a separate process."""

import json
import sys

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.django_db

PROBE = (
    "import django, json; django.setup();"
    "from django.test import Client;"
    "r = Client().get('/healthz', HTTP_HOST='localhost');"
    "print(r.status_code, r.content.decode())"
)
PRODUCTION = {
    "SECRET_KEY": "health-check-test-" + "x" * 50,
    "ALLOWED_HOSTS": "localhost",
    "FACTCHECK_SITE_URL": "https://factcheck.example.org",
    "SECURE_SSL_REDIRECT": "1",
}


def _probe(**env) -> tuple[int, dict]:
    import os
    import subprocess

    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "factcheck.settings", **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    status, _, body = result.stdout.strip().rpartition("\n")[2].partition(" ")
    assert status.isdigit(), result.stderr[-2000:]
    return int(status), json.loads(body)


def test_healthy_in_this_process(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert client.post("/healthz").status_code == 405


def test_database_stopped_answers_503(tmp_path):
    # Nothing listens on port 1: the database is down for this process.
    status, body = _probe(DATABASE_URL="postgres://postgres@127.0.0.1:1/factcheck")
    assert status == 503
    assert body == {"status": "fail", "database": "fail", "cache": "ok"}


def test_cache_down_is_degraded_not_503(tmp_path):
    # A load balancer taking every app server out because their shared Redis is down
    # would turn a slower site into no site.
    # The check runs SELECT 1 and reads no table: an empty database file will do.
    db = tmp_path / "health.sqlite3"
    status, body = _probe(DATABASE_URL=f"sqlite:///{db}", REDIS_URL="redis://127.0.0.1:1/0")
    assert status == 200
    assert body == {"status": "degraded", "database": "ok", "cache": "fail"}


def test_not_redirected_to_https_even_when_the_site_is(tmp_path):
    db = tmp_path / "health.sqlite3"
    status, body = _probe(DATABASE_URL=f"sqlite:///{db}")
    assert (status, body["status"]) == (200, "ok")
