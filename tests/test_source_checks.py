"""Sources checked for dead links and archived copies of them (claims.tasks.links), against
real local servers: the sources' sites and a web archive speaking Save Page Now."""

import json
import socket
import time
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html

from claims.importing.fetch import probe
from claims.models import Claim, ClaimEvent, SourceCheck
from claims.tasks import links
from tests.factories import add_source, make_article, make_claim, make_ready_claim, mark_quote
from tests.helpers import run_tasks
from tests.webserver import PageServer, Reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def allow_private(settings):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True


@pytest.fixture
def site():
    with PageServer() as server:
        server.page("/ok", "<html><body>Quelle</body></html>")
        server.page("/gone", "weg", status=404)
        server.page("/broken", "kaputt", status=500)
        server.page(
            "/no-head",
            lambda request: Reply(status=405 if request.method == "HEAD" else 200, body="ok"),
        )
        server.page("/moved", status=301, headers={"Location": "/ok"})
        yield server


def _slow(request):
    time.sleep(1.5)
    return Reply(body="late")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- The probe ---------------------------------------------------------------------------


def test_a_page_that_answers_is_ok_with_one_head_request(allow_private, site):
    result = probe(site.url("/ok"))
    assert (result.ok, result.status) == (True, 200)
    assert [r.method for r in site.requests_to("/ok")] == ["HEAD"]


@pytest.mark.parametrize(("path", "status"), [("/gone", 404), ("/broken", 500)])
def test_an_http_error_fails_with_its_status(allow_private, site, path, status):
    result = probe(site.url(path))
    assert (result.ok, result.code, result.status) == (False, "http_error", status)


def test_a_site_refusing_head_is_asked_with_get(allow_private, site):
    result = probe(site.url("/no-head"))
    assert result.ok
    assert [r.method for r in site.requests_to("/no-head")] == ["HEAD", "GET"]


def test_redirects_are_followed(allow_private, site):
    result = probe(site.url("/moved"))
    assert result.ok
    assert result.final_url == site.url("/ok")


def test_an_unknown_host_is_a_dns_failure():
    assert probe("http://no-such-source.invalid/page").code == "dns_failed"


def test_a_server_that_does_not_answer_in_time_is_a_timeout(allow_private, site, settings):
    settings.FACTCHECK_FETCH_TIMEOUT = 0.3
    site.page("/slow", _slow)
    started = time.monotonic()
    assert probe(site.url("/slow")).code == "timeout"
    assert time.monotonic() - started < 1.4


def test_a_refused_connection_fails(allow_private):
    assert probe(f"http://127.0.0.1:{_closed_port()}/").code == "connection_failed"


def test_the_ssrf_guard_refuses_private_addresses(site):
    # FACTCHECK_FETCH_ALLOW_PRIVATE is off: the local server is not on the public internet.
    assert probe(site.url("/ok")).code == "forbidden_address"
    assert site.requests == []


# --- Checks on a schedule ----------------------------------------------------------------


@pytest.fixture
def flagged_world(editor, reviewer, allow_private, site):
    """A published claim by the editor, assigned to the reviewer, with a dead source."""
    claim = make_claim(author=editor, assignee=reviewer, claim_reviewed="Die Zahl stimmt")
    source = add_source(claim, url=site.url("/gone"), title="Statistik")
    return claim, source


def _check_round(days: int) -> None:
    """The scheduler's hourly job, ``days`` after now, and the checks it enqueued."""
    with time_machine.travel(timezone.now() + timedelta(days=days), tick=False):
        links.check_due_sources.enqueue()
        run_tasks()


def test_three_failures_in_a_row_flag_the_source_and_tell_author_and_assignee(
    flagged_world, client, editor, reviewer
):
    claim, source = flagged_world
    for round_, days in enumerate((0, 8, 16), start=1):
        _check_round(days)
        check = SourceCheck.objects.get(source=source)
        assert check.failures == round_
        assert (check.unreachable_since is not None) == (round_ == 3)
    assert (check.result, check.http_status) == ("http_error", 404)
    [event] = ClaimEvent.objects.filter(kind="source_unreachable")
    assert event.claim == claim
    assert event.actor is None
    assert event.params == {"source": source.pk, "url": source.url}
    assert event.describe() == f"A source is no longer reachable: {source.url}"
    for user in (editor, reviewer):
        client.force_login(user)
        page = client.get(reverse("claims:desk-notifications")).content.decode()
        assert f"A source is no longer reachable: {source.url}" in page
    _check_round(24)  # a fourth failure: still flagged, no second notification
    assert ClaimEvent.objects.filter(kind="source_unreachable").count() == 1
    assert SourceCheck.objects.get(source=source).failures == 4


def test_the_notification_is_in_german(flagged_world):
    _claim, source = flagged_world
    for days in (0, 8, 16):
        _check_round(days)
    from django.utils import translation

    with translation.override("de"):
        text = ClaimEvent.objects.get(kind="source_unreachable").describe()
    assert text == f"Eine Quelle ist nicht mehr erreichbar: {source.url}"


def test_a_source_checked_lately_is_not_checked_again(flagged_world, site):
    _claim, source = flagged_world
    _check_round(0)
    links.check_source.enqueue(source.pk)  # a second copy in the queue
    links.check_due_sources.enqueue()
    run_tasks()
    assert SourceCheck.objects.get(source=source).failures == 1
    assert len(site.requests_to("/gone")) == 1


def test_two_workers_probing_at_once_count_one_failure(flagged_world):
    """Two copies of a check ran side by side (their probes started before either was
    recorded): the second record is dropped, so three failures still mean three checks."""
    from claims.importing.fetch import ProbeResult
    from claims.services import source_check_record

    _claim, source = flagged_world
    started = timezone.now()
    failed = ProbeResult(ok=False, code="http_error", status=404)
    first = source_check_record(
        source_pk=source.pk, url=source.url, result=failed, started_at=started
    )
    second = source_check_record(
        source_pk=source.pk, url=source.url, result=failed, started_at=started
    )
    assert first is not None
    assert second is None
    assert SourceCheck.objects.get(source=source).failures == 1


def test_drafts_are_not_checked(editor, allow_private, site):
    draft = make_claim(status=Claim.Status.DRAFT, author=editor)
    add_source(draft, url=site.url("/gone"))
    _check_round(0)
    assert not SourceCheck.objects.exists()
    assert site.requests_to("/gone") == []


def test_a_later_success_clears_the_flag(flagged_world, site):
    _claim, source = flagged_world
    for days in (0, 8, 16):
        _check_round(days)
    site.page("/gone", "wieder da")
    _check_round(24)
    check = SourceCheck.objects.get(source=source)
    assert (check.failures, check.unreachable_since, check.result) == (0, None, "ok")
    assert not SourceCheck.objects.unreachable().exists()


def test_a_new_address_starts_afresh(flagged_world, site):
    _claim, source = flagged_world
    for days in (0, 8, 16):
        _check_round(days)
    source.url = site.url("/ok")
    source.save()
    source.refresh_from_db()
    assert source.link_state is None
    assert source.unreachable_since is None
    assert not SourceCheck.objects.unreachable().exists()
    _check_round(17)  # due at once, not a week later
    check = SourceCheck.objects.get(source=source)
    assert (check.url, check.result, check.failures) == (source.url, "ok", 0)


# --- The desk ----------------------------------------------------------------------------


def _flag(claim, url: str, *, days_ago: int = 2, code="http_error", status=404):
    source = add_source(claim, url=url, title=f"Quelle {url[-6:]}")
    SourceCheck.objects.create(
        source=source,
        url=url,
        checked_at=timezone.now(),
        result=code,
        http_status=status,
        failures=3,
        unreachable_since=timezone.now() - timedelta(days=days_ago),
    )
    return source


def test_the_dashboard_counts_unreachable_sources_and_lists_them(desk):
    claim = make_claim(claim_reviewed="Die Mauer fiel 1989")
    article = make_article("Die Mauer fiel 1989 in Berlin.")
    mark_quote(claim, article, "Die Mauer fiel 1989")
    _flag(claim, "https://example.org/a-0001")
    _flag(claim, "https://example.org/a-0002", code="dns_failed", status=None)
    draft = make_claim(status=Claim.Status.DRAFT)
    _flag(draft, "https://example.org/draft")  # not a published claim: not counted

    home = desk.get(reverse("claims:desk")).content.decode()
    assert "2 sources of published claims are unreachable" in home
    assert reverse("claims:desk-sources-unreachable") in home

    response = desk.get(reverse("claims:desk-sources-unreachable"))
    page = html.fromstring(response.content.decode())
    rows = page.xpath("//table[@id='unreachable-sources']/tbody/tr")
    assert len(rows) == 2
    text = (
        " ".join(rows[0].text_content().split()) + " " + " ".join(rows[1].text_content().split())
    )
    assert "Die Mauer fiel 1989" in text
    assert "https://example.org/a-0001" in text
    assert "The site answered with HTTP status 404" in text
    assert "The site's name was not found (DNS)" in text
    assert "https://example.org/draft" not in text
    link = rows[0].xpath(".//td[1]/a/@href")[0]
    assert link == reverse("claims:desk-claim", args=[article.pk, claim.pk])


def test_the_list_of_unreachable_sources_takes_as_many_queries_for_many(desk):
    claim = make_claim()
    _flag(claim, "https://example.org/b-0001")
    with CaptureQueriesContext(connection) as few:
        assert desk.get(reverse("claims:desk-sources-unreachable")).status_code == 200
    for n in range(2, 12):
        _flag(make_claim(), f"https://example.org/b-{n:04}")
    with CaptureQueriesContext(connection) as many:
        response = desk.get(reverse("claims:desk-sources-unreachable"))
    assert "11 sources of published claims are unreachable" in response.content.decode()
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as home:
        desk.get(reverse("claims:desk"))
    _flag(make_claim(), "https://example.org/c-0001")
    with CaptureQueriesContext(connection) as home_more:
        desk.get(reverse("claims:desk"))
    assert len(home_more) == len(home)


def test_the_claim_panel_flags_an_unreachable_source_with_the_date(desk, client):
    claim = make_claim(claim_reviewed="Die Mauer fiel 1989")
    article = make_article("Die Mauer fiel 1989 in Berlin.")
    mark_quote(claim, article, "Die Mauer fiel 1989")
    source = _flag(claim, "https://example.org/tot-01")
    source.link_check.unreachable_since = timezone.make_aware(timezone.datetime(2025, 3, 3, 12, 0))
    source.link_check.save()
    add_source(claim, url="https://example.org/lebt", title="Lebt")
    url = reverse("claims:desk-claim", args=[article.pk, claim.pk])
    page = desk.get(url).content.decode()
    assert "Unreachable since March 3, 2025" in page
    assert page.count("Request an archived copy") == 2
    german = desk.get("/de" + url).content.decode()
    assert "Nicht erreichbar seit 3. März 2025" in german


# --- The public claim page ---------------------------------------------------------------


def test_the_claim_page_shows_the_archived_copy_first(reader):
    claim = make_claim(slug="mauer", claim_reviewed="Die Mauer fiel 1989")
    source = _flag(claim, "https://example.org/tot-02")
    source.archive_url = "https://web.archive.org/web/2025/https://example.org/tot-02"
    source.save()
    add_source(claim, url="https://example.org/plain", title="Ohne Kopie")
    page = html.fromstring(reader.get(claim.get_absolute_url()).content.decode())
    first, second = page.xpath("//section[contains(@class, 'claim-sources')]//li")
    hrefs = first.xpath(".//a/@href")
    assert hrefs == [source.archive_url, source.url]
    assert first.xpath(".//a")[0].text_content() == "Archived copy"
    assert "(no longer reachable)" in first.text_content()
    assert second.xpath(".//a/@href") == ["https://example.org/plain"]
    assert "no longer reachable" not in second.text_content()
    german = reader.get("/de" + claim.get_absolute_url()).content.decode()
    assert "Archivierte Fassung" in german


# --- Archived copies ---------------------------------------------------------------------


class SavePageNow:
    """A local web archive in the Save Page Now (SPN2) format: POST /save answers a job,
    GET /save/status/<job> is pending once, then done."""

    def __init__(self, site: PageServer, *, pending: int = 1):
        self.site, self.pending, self.saved = site, pending, []
        site.page("/save", self.save)

    def save(self, request):
        url = parse_qs(request.body.decode())["url"][0]
        job = f"job-{len(self.saved) + 1}"
        self.saved.append(url)
        left = [self.pending]

        def status(_request):
            if left[0]:
                left[0] -= 1
                return _json({"status": "pending", "job_id": job})
            return _json({"status": "success", "timestamp": "20250303120000", "original_url": url})

        self.site.page(f"/save/status/{job}", status)
        return _json({"url": url, "job_id": job})


def _json(data, status=200):
    return Reply(status=status, body=json.dumps(data), content_type="application/json")


@pytest.fixture
def archive(settings, site):
    settings.FACTCHECK_ARCHIVE_ENDPOINT = site.url("/save")
    return SavePageNow(site)


def _request_copy(client, source, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("claims:desk-source-archive", args=[source.pk]), data)


def test_an_archived_copy_is_requested_polled_and_stored(
    desk, archive, site, settings, django_capture_on_commit_callbacks
):
    settings.FACTCHECK_ARCHIVE_ACCESS_KEY, settings.FACTCHECK_ARCHIVE_ACCESS_SECRET = "k", "s"
    claim = make_claim()
    source = add_source(claim, url="https://example.org/beleg?id=7")
    response = _request_copy(
        desk, source, django_capture_on_commit_callbacks, next="/desk/claims/"
    )
    assert response.status_code == 302
    assert response["Location"] == "/desk/claims/"
    assert SourceCheck.objects.get(source=source).archive_state == "requested"

    run_tasks()
    [post] = site.requests_to("/save")
    assert post.method == "POST"
    assert parse_qs(post.body.decode()) == {"url": [source.url]}
    assert post.headers["accept"] == "application/json"
    assert post.headers["authorization"] == "LOW k:s"
    check = SourceCheck.objects.get(source=source)
    assert (check.archive_state, check.archive_job) == ("pending", "job-1")

    now = timezone.now()
    for seconds in (20, 40):  # pending once, then done
        with time_machine.travel(now + timedelta(seconds=seconds), tick=False):
            assert run_tasks() == 1
    source.refresh_from_db()
    expected = site.url("/web/20250303120000/https://example.org/beleg?id=7")
    assert source.archive_url == expected
    assert SourceCheck.objects.get(source=source).archive_state == "done"
    assert len(site.requests_to("/save/status/job-1")) == 2
    # The change of evidence is in the source's history, like an editor's.
    assert source.history.first().archive_url == expected


def test_an_spn1_redirect_is_taken_as_the_copy(
    desk, site, settings, django_capture_on_commit_callbacks
):
    settings.FACTCHECK_ARCHIVE_ENDPOINT = site.url("/save")
    site.page(
        "/save",
        status=302,
        headers={"Location": "/web/20250101000000/https://example.org/x"},
    )
    source = add_source(make_claim(), url="https://example.org/x")
    _request_copy(desk, source, django_capture_on_commit_callbacks)
    run_tasks()
    source.refresh_from_db()
    assert source.archive_url == site.url("/web/20250101000000/https://example.org/x")


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (_json({"message": "Cannot save this page"}, status=503), "Cannot save this page"),
        (_json({"status": "error", "message": "Too many captures"}), "Too many captures"),
        (Reply(status=200, body="<html>no</html>"), "could not be understood"),
    ],
)
def test_a_failed_request_is_shown_on_the_source_in_words(
    desk, site, settings, django_capture_on_commit_callbacks, reply, words
):
    settings.FACTCHECK_ARCHIVE_ENDPOINT = site.url("/save")
    site.page("/save", lambda request: reply)
    claim = make_claim()
    article = make_article("Die Mauer fiel 1989 in Berlin.")
    mark_quote(claim, article, "Die Mauer fiel 1989")
    source = add_source(claim, url="https://example.org/y")
    _request_copy(desk, source, django_capture_on_commit_callbacks)
    run_tasks()
    source.refresh_from_db()
    assert source.archive_url == ""
    assert SourceCheck.objects.get(source=source).archive_state == "failed"
    page = desk.get(reverse("claims:desk-claim", args=[article.pk, claim.pk])).content.decode()
    assert "No archived copy:" in page
    assert words in html.fromstring(page).text_content()


def test_an_unreachable_archive_is_a_failure_not_an_error(
    desk, settings, django_capture_on_commit_callbacks
):
    settings.FACTCHECK_ARCHIVE_ENDPOINT = f"http://127.0.0.1:{_closed_port()}/save"
    source = add_source(make_claim(), url="https://example.org/z")
    _request_copy(desk, source, django_capture_on_commit_callbacks)
    run_tasks()
    check = SourceCheck.objects.get(source=source)
    assert (check.archive_state, check.archive_error) == ("failed", "connection")
    assert check.archive_problem() == "the archive could not be reached"


def test_requesting_a_copy_needs_a_post_and_a_desk_role(
    client, moderator, desk, django_capture_on_commit_callbacks
):
    source = add_source(make_claim())
    url = reverse("claims:desk-source-archive", args=[source.pk])
    assert desk.get(url).status_code == 405
    client.logout()
    assert client.post(url).status_code == 302  # to the sign-in page
    client.force_login(moderator)
    assert client.post(url).status_code == 403
    assert not SourceCheck.objects.exists()


def test_a_copy_is_asked_for_once_while_one_is_on_its_way_and_not_for_a_closed_claim(
    desk, editor, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    source = add_source(make_claim(author=editor, status=Claim.Status.DRAFT))
    url = reverse("claims:desk-source-archive", args=[source.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert desk.post(url).status_code == 302
        again = desk.post(url, follow=True)
    assert "already requested" in again.content.decode()
    assert DBTaskResult.objects.filter(task_path__endswith="request_archive").count() == 1

    dismissed = add_source(make_claim(author=editor, status=Claim.Status.DISMISSED))
    refused = desk.post(reverse("claims:desk-source-archive", args=[dismissed.pk]))
    assert refused.status_code == 403
    assert not SourceCheck.objects.filter(source=dismissed).exists()


@pytest.mark.parametrize("on", [True, False])
def test_publishing_requests_copies_when_the_setting_is_on(
    editor, reviewer, archive, site, settings, django_capture_on_commit_callbacks, on
):
    settings.FACTCHECK_ARCHIVE_ON_PUBLISH = on
    claim = make_ready_claim(editor)  # one source, no copy
    kept = add_source(claim, url="https://example.org/hat", archive_url="https://a.example/1")
    claim.submit(by=editor)
    claim.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        claim.approve_publish(by=reviewer, version=claim.version)
    run_tasks()
    assert archive.saved == (["https://example.org/evidence"] if on else [])
    kept.refresh_from_db()
    assert kept.archive_url == "https://a.example/1"
