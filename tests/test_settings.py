"""Settings come from the environment, strictly: a bad value stops start-up, by name."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from factcheck.env import env_bool, env_choice, env_int, env_list, env_url
from tests.helpers import run_manage

STRONG_KEY = "k" * 20 + "-production-secret-" + "q" * 20


@pytest.mark.parametrize("raw", ["maybe", "2", "tru"])
def test_env_bool_rejects_unclear_values(monkeypatch, raw):
    monkeypatch.setenv("SOME_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", False)


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("Yes", True), ("off", False)])
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", not expected) is expected


def test_env_int_names_variable_and_minimum(monkeypatch):
    monkeypatch.setenv("WORKERS", "many")
    with pytest.raises(ImproperlyConfigured, match="WORKERS"):
        env_int("WORKERS", 1)
    monkeypatch.setenv("WORKERS", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("WORKERS", 1, minimum=0)
    monkeypatch.setenv("WORKERS", "61")
    with pytest.raises(ImproperlyConfigured, match="WORKERS=61 must be at most 60"):
        env_int("WORKERS", 1, maximum=60)
    monkeypatch.setenv("WORKERS", "60")
    assert env_int("WORKERS", 1, minimum=0, maximum=60) == 60


def test_env_list_and_choice(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , ,b.example ")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("LANG_CHOICE", "fr")
    with pytest.raises(ImproperlyConfigured, match="LANG_CHOICE"):
        env_choice("LANG_CHOICE", "en", {"en", "de"})


def test_env_url_rejects_unknown_scheme(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/db")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_url("DATABASE_URL", None, {"sqlite", "postgres"})


def test_production_refuses_to_start_without_secret_key():
    result = run_manage(["check"], DEBUG="0", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = run_manage(["check"], DEBUG="0", SECRET_KEY="short", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "perhaps"),
        ("DATABASE_URL", "mysql://root@localhost/factcheck"),
        ("REDIS_URL", "memcached://localhost"),
        ("LANGUAGE_CODE", "xx"),
        ("SECURE_HSTS_SECONDS", "a year"),
        ("FACTCHECK_PUBLIC_CACHE_LOCAL_SECONDS", "3600"),
        ("FACTCHECK_FRAME_ANCESTORS", "https://www.example.org/articles/"),
        ("FACTCHECK_FRAME_ANCESTORS", "www.example.org"),
        ("FACTCHECK_FRAME_ANCESTORS", "https://ok.example.org, 'unsafe-inline'"),
        ("FACTCHECK_EMBED_ORIGINS", "https://www.example.org/articles/"),
        ("FACTCHECK_EMBED_ORIGINS", "www.example.org"),
    ],
)
def test_malformed_variable_stops_startup_naming_it(name, value):
    env = {"DEBUG": "1", name: value}
    result = run_manage(["check"], **env)
    assert result.returncode != 0
    assert name in result.stderr


def test_deploy_check_is_clean_with_production_values():
    result = run_manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="factcheck.example.org",
        FACTCHECK_SITE_URL="https://factcheck.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("command", [["check"], ["check", "--deploy"], ["migrate", "--plan"]])
def test_production_without_a_site_url_is_an_error_naming_it(command):
    # Absolute URLs must never come from a request's Host header (it ends up in cached
    # pages); every command that runs the system checks says so.
    result = run_manage(
        command, DEBUG="0", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="factcheck.example.org"
    )
    assert result.returncode != 0
    assert "factcheck.E001" in result.stderr
    assert "FACTCHECK_SITE_URL" in result.stderr


@pytest.mark.parametrize(
    ("env", "error"),
    [
        ({"DEBUG": "1"}, None),  # development: the request's host (and the cache key has it)
        ({"DEBUG": "0", "FACTCHECK_SITE_URL": "https://factcheck.example.org/"}, None),
        ({"DEBUG": "0", "FACTCHECK_SITE_URL": "https://factcheck.example.org/x"}, "E002"),
    ],
)
def test_site_url_check(env, error):
    result = run_manage(
        ["check"], SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="factcheck.example.org", **env
    )
    if error is None:
        assert result.returncode == 0, result.stderr
    else:
        assert f"factcheck.{error}" in result.stderr


@pytest.mark.parametrize(
    ("redis", "engine"),
    [
        # Django's cached_db, evicting copies changed while Redis was down.
        ("redis://127.0.0.1:6379/15", "factcheck.sessions"),
        ("", "django.contrib.sessions.backends.db"),
    ],
)
def test_sessions_are_cached_only_in_the_shared_cache(redis, engine):
    # A per-process cache holding sessions would keep a signed-out session alive in the
    # other workers.
    env = {"DEBUG": "1", **({"REDIS_URL": redis} if redis else {})}
    result = run_manage(
        ["shell", "-c", "from django.conf import settings; print(settings.SESSION_ENGINE)"],
        **env,
    )
    assert result.stdout.strip().splitlines()[-1] == engine, result.stdout + result.stderr


def test_default_sqlite_database_runs_in_wal_mode(tmp_path):
    script = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])\n"
        "    c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])\n"
        "print(connection.transaction_mode)\n"
    )
    result = run_manage(
        ["shell", "--no-imports", "-c", script],
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"]


def test_sqlite_busy_timeout_comes_from_the_environment(tmp_path):
    result = run_manage(
        [
            "shell",
            "--no-imports",
            "-c",
            "from django.db import connection\n"
            "cursor = connection.cursor()\n"
            "cursor.execute('PRAGMA busy_timeout')\n"
            "print('busy_timeout', cursor.fetchone()[0])",
        ],
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'busy.sqlite3'}",
        SQLITE_BUSY_TIMEOUT="3",
    )
    assert result.returncode == 0, result.stderr
    assert "busy_timeout 3000" in result.stdout


@pytest.mark.parametrize(
    ("env", "name"),
    [
        pytest.param(
            {"DEBUG": "1", "DATABASE_URL": "postgres://u@h:abc/db"}, "DATABASE_URL", id="port"
        ),
        pytest.param(
            {"DEBUG": "1", "DATABASE_URL": "sqlite://x.db"}, "DATABASE_URL", id="sqlite-host"
        ),
        pytest.param({"DEBUG": "0", "SECRET_KEY": STRONG_KEY}, "ALLOWED_HOSTS", id="no-hosts"),
        pytest.param(
            {"DEBUG": "0", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": " , "},
            "ALLOWED_HOSTS",
            id="blank-hosts",
        ),
        pytest.param({"DEBUG": "1", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL", id="log-level"),
    ],
)
def test_bad_setting_stops_startup_naming_it(env, name):
    result = run_manage(["check"], **env)
    assert result.returncode != 0, f"{env} started"
    assert name in result.stderr
    assert "ImproperlyConfigured" in result.stderr
