"""Marking a passage that a draft claim already marks returns that claim instead of a
second one (a double click, two tabs, two editors at once), also under real concurrency."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from claims.models import Claim, Mention
from claims.services import claim_create_with_mention
from tests.factories import make_article
from tests.helpers import ROOT, run_together

TEXT = "Der Minister sagte, die Arbeitslosigkeit sei gesunken. Ein zweiter Satz."
PASSAGE = "die Arbeitslosigkeit sei gesunken"


def _mark(client, article, *, quote=PASSAGE, **extra):
    start = article.current_revision.text.index(quote)
    data = {
        "revision": article.current_revision_id,
        "start": start,
        "end": start + len(quote),
        "exact": quote,
        **extra,
    }
    return client.post(
        reverse("claims:desk-mark", args=[article.pk]), data, headers={"HX-Request": "true"}
    )


@pytest.mark.django_db
def test_marking_the_same_passage_twice_gives_the_same_claim(desk, editor):
    article = make_article(TEXT)
    first = _mark(desk, article)
    assert first.status_code == 200
    claim = Claim.objects.get()
    second = _mark(desk, article)
    assert second.status_code == 200
    assert Claim.objects.get() == claim
    assert Mention.objects.count() == 1
    assert "This passage is already marked as a draft claim; here it is." in second.text
    assert second["HX-Push-Url"] == first["HX-Push-Url"]
    # The claims list is sent whole (no second row inserted for the same claim).
    assert second.text.count(f'id="claim-row-{claim.pk}"') == 1


@pytest.mark.django_db
def test_a_colleague_marking_the_same_passage_gets_the_draft_too(client, editor, editor2):
    article = make_article(TEXT)
    client.force_login(editor)
    _mark(client, article)
    client.force_login(editor2)
    assert _mark(client, article).status_code == 200
    assert Claim.objects.count() == 1
    assert Claim.objects.get().author == editor


@pytest.mark.django_db
def test_a_passage_whose_claim_left_draft_can_be_marked_again(desk, editor):
    """Only a draft is handed back: a claim in review (or published, dismissed) is a
    decision already taken, so marking the passage again starts a new claim."""
    article = make_article(TEXT)
    _mark(desk, article)
    Claim.objects.update(status=Claim.Status.DISMISSED)
    assert _mark(desk, article).status_code == 200
    assert Claim.objects.count() == 2


@pytest.mark.django_db
def test_an_overlapping_but_different_passage_is_a_new_claim(desk, editor):
    article = make_article(TEXT)
    _mark(desk, article)
    # The first claim is shown as a similar one first; the editor marks a new one anyway.
    _mark(desk, article, quote="die Arbeitslosigkeit sei", new="1")
    assert Claim.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's test database is in memory: see the file-database test below",
)
def test_twenty_simultaneous_marks_make_one_claim(editor, editor2):
    article = make_article(TEXT)
    users = [editor, editor2]

    def mark_as(user):
        def job():
            client = Client()
            client.force_login(user)
            return _mark(client, article).status_code

        return job

    outcomes = run_together([mark_as(users[i % 2]) for i in range(20)])
    assert outcomes == [200] * 20
    assert Claim.objects.count() == 1
    assert Mention.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's test database is in memory: see the file-database test below",
)
def test_twenty_simultaneous_service_calls_make_one_claim(editor):
    article = make_article(TEXT)
    revision = article.current_revision
    start = revision.text.index(PASSAGE)

    def job():
        marked = claim_create_with_mention(
            revision=revision, start=start, end=start + len(PASSAGE), exact=PASSAGE, user=editor
        )
        return marked.created

    outcomes = run_together([job] * 20)
    assert sorted(outcomes) == [False] * 19 + [True]
    assert Claim.objects.count() == 1


# SQLite: the test database lives in memory, where threads lock whole tables. The real
# thing is a file in WAL mode with IMMEDIATE transactions (factcheck/settings.py): a
# separate process sets one up and marks from 20 threads at once.
SQLITE_SCRIPT = """
import json, threading
import django
django.setup()
from django.core.management import call_command
from django.contrib.auth import get_user_model
from django.db import connections
call_command("migrate", verbosity=0)
from claims.models import Claim
from claims.services import claim_create_with_mention
from tests.factories import make_article
editor = get_user_model().objects.create_user("editor")
article = make_article(%(text)r)
revision = article.current_revision
start = revision.text.index(%(passage)r)
barrier = threading.Barrier(20)
outcomes = []
def job():
    try:
        barrier.wait()
        marked = claim_create_with_mention(
            revision=revision, start=start, end=start + %(length)d, exact=%(passage)r,
            user=editor,
        )
        outcomes.append(marked.created)
    except Exception as error:
        outcomes.append(repr(error))
    finally:
        connections.close_all()
threads = [threading.Thread(target=job) for _ in range(20)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"outcomes": outcomes, "claims": Claim.objects.count()}))
"""


def test_twenty_simultaneous_marks_on_a_sqlite_file_make_one_claim(tmp_path):
    script = SQLITE_SCRIPT % {"text": TEXT, "passage": PASSAGE, "length": len(PASSAGE)}
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "factcheck.settings",
            "DEBUG": "1",
            "SECRET_KEY": "x" * 50,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'marks.sqlite3'}",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert sorted(report["outcomes"], key=str) == [False] * 19 + [True]
    assert report["claims"] == 1
