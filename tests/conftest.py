"""Shared fixtures: the newsroom's people, the demo data, and the browser."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import translation

from claims.caching import clear_all_caches
from claims.models import Article, Claim
from claims.roles import EDITORS, MODERATORS, REVIEWERS, ensure_role_groups

PASSWORD = "correct horse battery staple"
SEED_TEXT = (
    Path(__file__).resolve().parent.parent / "seeds" / "hanoi-summit-2019.de.txt"
).read_text(encoding="utf-8")
SEED_ARTICLE_SLUG = "trump-daempft-erwartungen-an-nordkoreas-abruestung"
DRAFT_SLUG = "kim-verbindungsbuero-begruessenswert"
PUBLISHED_SLUG = "waffenstillstand-1953-kriegszustand"


@pytest.fixture(autouse=True)
def _isolate():
    # The Redis cache outlives a test (and a test run): start every test from empty.
    # A request leaves its language active in the thread; reverse() in the next test
    # would otherwise build /de/… URLs.
    clear_all_caches()
    with translation.override(settings.LANGUAGE_CODE):
        yield
    clear_all_caches()


def _member(username: str, group: str | None, **extra):
    ensure_role_groups()
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db):
    return _member("editor", EDITORS)


@pytest.fixture
def editor2(db):
    return _member("editor2", EDITORS)


@pytest.fixture
def reviewer(db):
    return _member("reviewer", REVIEWERS)


@pytest.fixture
def reviewer2(db):
    return _member("reviewer2", REVIEWERS)


@pytest.fixture
def superuser(db):
    return _member("chief", None, is_superuser=True, is_staff=True)


@pytest.fixture
def moderator(db):
    return _member("moderator", MODERATORS, is_staff=True)


@pytest.fixture
def reader(client):
    """An anonymous reader: the plain test client, signed in as nobody."""
    return client


@pytest.fixture
def seeded(db):
    """The demo article, the rating scale and the demo claims, as `make run` loads them."""
    call_command("loadseeds", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def article(seeded):
    """The demo article."""
    return Article.objects.get(slug=SEED_ARTICLE_SLUG)


@pytest.fixture
def draft(seeded):
    """The demo claim left as a draft."""
    return Claim.objects.get(slug=DRAFT_SLUG)


@pytest.fixture
def published(seeded):
    """A published demo claim."""
    return Claim.objects.get(slug=PUBLISHED_SLUG)


@pytest.fixture
def desk(client, editor):
    """The test client, signed in as an editor."""
    client.force_login(editor)
    return client


# --- Browser ---------------------------------------------------------------------------
def _chromium_path() -> str | None:
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Run Playwright on the system Chromium (its own download is not possible here)."""
    args = {
        **browser_type_launch_args,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
    path = _chromium_path()
    if path:
        args["executable_path"] = path
    return args


@pytest.fixture
def console_errors(page):
    """Everything the page logs as an error, CSP violations included."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and errors.append(f"{response.status} {response.url}")
        ),
    )
    return errors


@pytest.fixture(autouse=True)
def _empty_task_queue():
    """On the RQ backend the queue lives in Redis, outside the test's transaction: every
    test starts with an empty one (the database backend's rows roll back with the test)."""
    if settings.FACTCHECK_TASK_BACKEND == "rq":
        import django_rq

        django_rq.get_connection("default").flushdb()
