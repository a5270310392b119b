"""Loading an article from a web address in the background: the desk answers at once, a
task fetches and extracts, the editor watches the progress and checks the preview."""

import html as html_module
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from claims.importing.fetch import fetch_article
from claims.models import Article, ArticleImport, TaskWorker
from tests.helpers import run_tasks
from tests.webserver import PageServer

pytestmark = pytest.mark.django_db

NEW = reverse("claims:desk-article-new")
PAGE = (Path(__file__).parent / "fixtures" / "dw.com.colonial.html").read_bytes()


@pytest.fixture
def site():
    with PageServer() as server:
        server.page("/article", PAGE)
        yield server


@pytest.fixture
def allow_private(settings):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True


def _post(client, url: str, data: dict | None = None):
    """A POST whose tasks are enqueued as the view's transaction commits (the test's own
    transaction never does)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data or {})


def _submit(client, url: str, **fields):
    return _post(client, NEW, {"fetch_url": url, "language": "", **fields})


def _progress(client, job: ArticleImport, **headers):
    return client.get(reverse("claims:desk-import", args=[job.pk]), **headers)


def test_submitting_an_address_answers_at_once_and_fetches_nothing_yet(
    desk, editor, site, allow_private
):
    response = _submit(desk, site.url("/article"))
    job = ArticleImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:desk-import", args=[job.pk])
    assert (job.status, job.requested_by, job.url) == ("queued", editor, site.url("/article"))
    assert site.requests == []  # nothing fetched inside the request
    page = _progress(desk, job).content.decode()
    assert "Queued…" in page
    assert 'role="status" aria-live="polite"' in page
    assert 'hx-trigger="every 1s"' in page
    assert not Article.objects.exists()


def test_the_task_fetches_extracts_and_the_preview_is_ready(desk, site, allow_private):
    _submit(desk, site.url("/article"))
    assert run_tasks() == 1
    job = ArticleImport.objects.get()
    expected = fetch_article(site.url("/article"))  # the synchronous path, for comparison
    assert job.status == "ready"
    assert job.title == expected.title
    assert job.title
    assert job.finished_at is not None
    assert len(site.requests_to("/article")) == 2  # the task's fetch and the comparison's
    html = _progress(desk, job).content.decode()
    assert "Ready to check" in html
    assert "Check what was fetched before it is saved." in html
    assert html_module.escape(job.title) in html
    assert f'name="fetched_from" value="{site.url("/article")}"' in html
    assert f'name="from_import" value="{job.pk}"' in html
    assert "hx-trigger" not in html  # no more polling


def test_saving_the_preview_makes_the_article_with_its_origin_url(desk, site, allow_private):
    _submit(desk, site.url("/article"), title="Mein eigener Titel")
    run_tasks()
    job = ArticleImport.objects.get()
    preview = _progress(desk, job).content.decode()
    assert 'value="Mein eigener Titel"' in preview  # what the editor typed wins
    text = re.search(r'<textarea name="text"[^>]*>\n?(.*?)</textarea>', preview, re.S).group(1)
    response = desk.post(
        NEW,
        {
            "title": "Korrigierter Titel",
            "text": html_module.unescape(text),
            "language": "en",
            "fetched_from": site.url("/article"),
            "original_url": site.url("/article"),
            "from_import": job.pk,
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.title == "Korrigierter Titel"
    assert article.current_revision.origin == "url"
    assert article.original_url == site.url("/article")
    job.refresh_from_db()
    assert job.article == article
    again = _progress(desk, job).content.decode()
    assert "was saved as the article" in again
    assert 'name="text"' not in again  # no second save from the same import
    listing = desk.get(NEW).content.decode()
    assert reverse("claims:desk-article", args=[article.pk]) in listing


def test_the_preview_shows_the_pages_language_and_saving_keeps_it(desk, site, allow_private):
    """DW's English page: the language the page declares is in the preview's field (an
    empty field would make the article German, and its verdicts German on an English
    page)."""
    _submit(desk, site.url("/article"))
    run_tasks()
    job = ArticleImport.objects.get()
    assert job.language == "en"
    preview = _progress(desk, job).content.decode()
    assert re.search(r'<input type="text" name="language" value="en"', preview), preview
    text = re.search(r'<textarea name="text"[^>]*>\n?(.*?)</textarea>', preview, re.S).group(1)
    desk.post(
        NEW,
        {
            "title": job.title,
            "text": html_module.unescape(text),
            "language": "en",
            "original_url": site.url("/article"),
            "fetched_from": site.url("/article"),
            "from_import": job.pk,
        },
    )
    assert Article.objects.get().language == "en"


def test_a_finished_import_is_not_fetched_again(desk, site, allow_private):
    from claims.tasks.imports import import_article

    _submit(desk, site.url("/article"))
    run_tasks()
    job = ArticleImport.objects.get()
    import_article.enqueue(job.pk)
    run_tasks()
    assert len(site.requests_to("/article")) == 1


def test_an_unexpected_error_is_tried_again_then_told_to_the_editor(
    desk, site, allow_private, monkeypatch
):
    """A bug, not a bad page: one retry, then the import fails in words instead of showing
    "fetching" for ever, and the task stays failed for the administrators."""
    import claims.tasks.imports

    def broken(page):
        raise RuntimeError("extraction crashed")

    monkeypatch.setattr(claims.tasks.imports, "article_from_page", broken)
    _submit(desk, site.url("/article"))
    run_tasks()
    job = ArticleImport.objects.get()
    assert job.status == "extracting"  # where it broke; the retry waits
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        run_tasks()
    job.refresh_from_db()
    assert job.status == "failed"
    assert "error on our side" in job.error
    page = _progress(desk, job).content.decode()
    assert "error on our side" in page
    from claims.models import BackgroundTask

    assert "extraction crashed" in BackgroundTask.objects.get(status="FAILED").traceback


def test_a_missing_page_fails_with_the_sites_status(desk, site, allow_private):
    _submit(desk, site.url("/gone"))
    run_tasks()
    job = ArticleImport.objects.get()
    assert job.status == "failed"
    assert job.error == (
        "The site answered with HTTP status 404 (Not Found); the page was not loaded."
    )
    html = _progress(desk, job).content.decode()
    assert job.error in html
    assert "Try again" in html
    assert f'value="{site.url("/gone")}"' in html  # the address kept for editing
    assert not Article.objects.exists()


def test_a_private_address_is_refused_when_private_addresses_are_not_allowed(desk, site):
    _submit(desk, site.url("/article"))
    run_tasks()
    job = ArticleImport.objects.get()
    assert job.status == "failed"
    assert "127.0.0.1" in job.error
    assert site.requests == []  # refused before connecting


def test_a_page_over_the_limit_fails_with_todays_message(desk, site, allow_private, settings):
    settings.FACTCHECK_FETCH_MAX_BYTES = 20_000
    _submit(desk, site.url("/article"))
    run_tasks()
    job = ArticleImport.objects.get()
    assert job.status == "failed"
    assert "20\N{NO-BREAK SPACE}kB" in job.error
    assert "too large" in job.error


def test_the_reason_is_in_the_editors_language(client, editor, site):
    client.force_login(editor)
    _post(client, "/de" + NEW, {"fetch_url": site.url("/article"), "language": ""})
    run_tasks()
    job = ArticleImport.objects.get()
    assert job.message_language == "de"
    with translation.override("de"):
        page = client.get(reverse("claims:desk-import", args=[job.pk])).content.decode()
    assert job.error in page
    assert "127.0.0.1" in job.error
    assert "Die Seite konnte nicht geladen werden." in page


def test_trying_again_queues_the_failed_import(desk, site, allow_private):
    _submit(desk, site.url("/later"))
    run_tasks()
    job = ArticleImport.objects.get()
    assert job.status == "failed"
    site.page("/later", PAGE)
    retry = reverse("claims:desk-import-retry", args=[job.pk])
    assert desk.get(retry).status_code == 405
    assert _post(desk, retry).status_code == 302
    job.refresh_from_db()
    assert (job.status, job.error) == ("queued", "")
    run_tasks()
    job.refresh_from_db()
    assert job.status == "ready"


def test_another_editor_gets_404_on_someones_import(client, desk, editor2, site, allow_private):
    _submit(desk, site.url("/article"))
    job = ArticleImport.objects.get()
    client.force_login(editor2)
    assert _progress(client, job).status_code == 404
    assert client.post(reverse("claims:desk-import-discard", args=[job.pk])).status_code == 404
    assert client.post(reverse("claims:desk-import-retry", args=[job.pk])).status_code == 404
    assert site.url("/article") not in client.get(NEW).content.decode()
    assert ArticleImport.objects.filter(pk=job.pk).exists()


def test_a_superuser_may_look_at_any_import(client, desk, superuser, site, allow_private):
    _submit(desk, site.url("/article"))
    job = ArticleImport.objects.get()
    client.force_login(superuser)
    assert _progress(client, job).status_code == 200


def test_the_owner_can_discard_an_import(desk, site, allow_private):
    _submit(desk, site.url("/article"))
    job = ArticleImport.objects.get()
    listing = desk.get(NEW).content.decode()
    assert site.url("/article") in listing
    assert "Your recent imports" in listing
    discard = reverse("claims:desk-import-discard", args=[job.pk])
    assert desk.get(discard).status_code == 405
    assert desk.post(discard).status_code == 302
    assert not ArticleImport.objects.exists()
    assert run_tasks() == 1  # the task finds nothing to do
    assert site.requests == []


def test_the_polling_fragment_swaps_state_out_of_band(desk, site, allow_private):
    _submit(desk, site.url("/article"))
    job = ArticleImport.objects.get()
    pending = _progress(desk, job, HTTP_HX_REQUEST="true").content.decode()
    assert '<div id="import-status" hx-swap-oob="innerHTML">' in pending
    assert 'hx-trigger="every 1s"' in pending
    assert "<html" not in pending
    assert "import-result" not in pending
    run_tasks()
    done = _progress(desk, job, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done  # the poller stops
    assert '<div id="import-result" hx-swap-oob="innerHTML">' in done
    assert 'id="article-form"' in done


def test_the_polling_fragment_costs_the_same_with_many_imports(desk, editor, site):
    _submit(desk, site.url("/article"))
    job = ArticleImport.objects.get()
    run_tasks()  # failed: its fragment lists the recent imports too

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert _progress(desk, job, HTTP_HX_REQUEST="true").status_code == 200
        return len(captured)

    few = queries()
    ArticleImport.objects.bulk_create(
        [ArticleImport(requested_by=editor, url=f"https://example.org/{n}") for n in range(15)]
    )
    assert queries() == few


def test_a_queue_without_a_worker_is_said_plainly(desk, site):
    _submit(desk, site.url("/article"))
    job = ArticleImport.objects.get()
    message = "No task worker is running; the import waits for one."
    assert message not in _progress(desk, job).content.decode()  # just asked
    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        assert message in _progress(desk, job).content.decode()
        TaskWorker.objects.create(worker_id="w1", hostname="h", pid=1, seen_at=timezone.now())
        assert message not in _progress(desk, job).content.decode()


def test_progress_is_for_the_desk_only(client, desk, site, moderator):
    _submit(desk, site.url("/article"))
    job = ArticleImport.objects.get()
    client.logout()
    assert _progress(client, job).status_code == 302  # to the login page
    client.force_login(moderator)
    assert _progress(client, job).status_code == 403
