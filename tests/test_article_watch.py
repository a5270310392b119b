"""The article watch (issue #18, section 3): an article with published claims is fetched
again on a schedule from a real local web server whose page changes between fetches; the
clock moves with time_machine, never with sleeps."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from claims.importing.fetch import NotModified, fetch, fetch_article
from claims.importing.html import text_from_html
from claims.models import (
    Article,
    ArticleImport,
    ArticleRevision,
    ArticleWatch,
    ClaimEvent,
    Mention,
)
from claims.scheduling import run_due_jobs
from claims.services import article_watch_set
from claims.tasks.watch import check_article, due_article_ids, watch_due_articles
from tests.factories import make_article, make_claim, mark_quote
from tests.helpers import run_tasks
from tests.webserver import PageServer, Reply

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)

SCHOOLS = (
    "Der Bürgermeister sagte am Montag, die Stadt habe 2024 mehr als 40 neue Schulen "
    "gebaut. Das sei ein Rekord für die ganze Region, so der Politiker im Rathaus."
)
OPPOSITION = (
    "Die Opposition widersprach: Tatsächlich seien es nur zwölf Schulen gewesen, der Rest "
    "seien Sanierungen. Die Zahlen des Landesamts stützen diese Darstellung weitgehend."
)
SPOKESMAN = (
    "Ein Sprecher der Stadt kündigte an, die Zahlen noch einmal prüfen zu lassen und das "
    "Ergebnis in der kommenden Woche zu veröffentlichen."
)
CLAIMED = "die Stadt habe 2024 mehr als 40 neue Schulen gebaut"


def page(paragraphs=(SCHOOLS, OPPOSITION, SPOKESMAN), *, ad="Kaufen Sie Autos!", count=17):
    """The publisher's page: the article, and around it navigation, an ad, a counter and
    a footer that change all the time."""
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        "<!doctype html><html><head><title>Schulen</title></head><body>"
        '<nav><a href="/">Start</a> <a href="/politik">Politik</a></nav>'
        f'<aside class="sidebar"><div class="ad">{ad}</div>'
        f"<p>Meistgelesen: {count} Leser heute, aktualisiert um 9:{count % 60:02d}</p></aside>"
        f"<article><h1>Schulen</h1>{body}</article>"
        f"<footer>© 2026 Stadtzeitung · {count} Kommentare</footer></body></html>"
    )


@pytest.fixture
def site(settings):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    with PageServer() as server:
        server.page("/schulen", page())
        yield server


@pytest.fixture
def watched(site, editor, editor2):
    """A published article imported from the site, with a published claim on one
    passage (by ``editor``, assigned to ``editor2``), made public at START."""
    with time_machine.travel(START, tick=False):
        imported = text_from_html(page())
        article = make_article(imported.text, original_url=site.url("/schulen"))
        claim = make_claim(author=editor, assignee=editor2, published_at=START)
        mark_quote(claim, article, CLAIMED)
        Article.objects.filter(pk=article.pk).update(published_at=START)
    article.refresh_from_db()
    article.claim = claim
    return article


def fetches(site) -> int:
    return len(site.requests_to("/schulen"))


# --- Conditional fetching --------------------------------------------------------------


def test_fetch_sends_the_validators_and_a_304_is_not_modified(site):
    def conditional(request):
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(status=304)
        return Reply(body=page(), headers={"ETag": '"v1"', "Last-Modified": "Tue, 03 Mar 2026"})

    site.page("/schulen", conditional)
    first = fetch(site.url("/schulen"))
    assert (first.etag, first.last_modified) == ('"v1"', "Tue, 03 Mar 2026")
    assert "if-none-match" not in site.requests[-1].headers
    with pytest.raises(NotModified):
        fetch_article(site.url("/schulen"), etag='"v1"', last_modified="Tue, 03 Mar 2026")
    sent = site.requests[-1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Tue, 03 Mar 2026"


def test_a_304_without_validators_is_still_an_http_error(site):
    from claims.importing.errors import FetchError

    site.page("/schulen", status=304)
    with pytest.raises(FetchError) as error:
        fetch(site.url("/schulen"))
    assert error.value.code == "http_error"


# --- Which articles, and when ------------------------------------------------------------


def test_only_articles_with_a_web_address_and_a_published_claim_are_watched(watched, site):
    no_url = make_article()
    mark_quote(make_claim(), no_url, "Erster Absatz")
    draft_only = make_article(original_url=site.url("/other"))
    mark_quote(make_claim(status="draft"), draft_only, "Erster Absatz")
    with time_machine.travel(START, tick=False):
        assert due_article_ids(START) == [watched.pk]


def test_schedule_is_hourly_then_daily_then_weekly(watched, site):
    def check_at(moment):
        with time_machine.travel(moment, tick=False):
            ids = due_article_ids(moment)
            for pk in ids:
                check_article(pk)
            return ids

    assert check_at(START) == [watched.pk]
    assert check_at(START + timedelta(minutes=59)) == []
    assert check_at(START + timedelta(minutes=61)) == [watched.pk]
    # Two days in: daily.
    day_two = START + timedelta(days=2, minutes=5)
    check_at(day_two - timedelta(hours=1))  # the last hourly check
    assert check_at(day_two) == [watched.pk]
    assert check_at(day_two + timedelta(hours=23)) == []
    assert check_at(day_two + timedelta(days=1, minutes=1)) == [watched.pk]
    # A month in: weekly.
    month = START + timedelta(days=31)
    with time_machine.travel(month, tick=False):
        check_article(watched.pk)
    assert check_at(month + timedelta(days=6, hours=23)) == []
    assert check_at(month + timedelta(days=7, minutes=1)) == [watched.pk]
    assert fetches(site) == 7


def test_an_article_of_its_own_interval_follows_it(watched, editor):
    article_watch_set(article=watched, user=editor, interval=timedelta(days=1))
    with time_machine.travel(START, tick=False):
        check_article(watched.pk)
    assert due_article_ids(START + timedelta(hours=23)) == []
    assert due_article_ids(START + timedelta(days=1, minutes=1)) == [watched.pk]


def test_an_article_handed_out_is_not_handed_out_again_before_its_check(watched):
    assert due_article_ids(START) == [watched.pk]
    assert due_article_ids(START + timedelta(minutes=5)) == []


def test_the_due_selection_takes_the_same_queries_for_one_article_or_many(watched, site):
    def queries() -> int:
        ArticleWatch.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            due_article_ids(START)
        return len(captured)

    one = queries()
    for n in range(6):
        article = make_article(original_url=site.url(f"/more-{n}"))
        mark_quote(make_claim(), article, "Erster Absatz")
    assert queries() == one
    assert ArticleWatch.objects.count() == 7


def test_the_scheduler_runs_the_watch_through_the_queue(watched, site):
    with time_machine.travel(START, tick=False):
        assert "watch-articles" in run_due_jobs()
        run_tasks()
    assert fetches(site) == 1
    watch = ArticleWatch.objects.get(article=watched)
    assert watch.last_checked_at == START
    assert watch.next_check_at == START + timedelta(hours=1)


# --- What a check finds ------------------------------------------------------------------


def test_a_304_makes_no_revision(watched, site):
    def conditional(request):
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(status=304)
        return Reply(body=page(), headers={"ETag": '"v1"'})

    site.page("/schulen", conditional)
    with time_machine.travel(START, tick=False):
        assert check_article(watched.pk).state == "unchanged"
    later = START + timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        assert check_article(watched.pk).state == "unchanged"
    assert site.requests[-1].headers["if-none-match"] == '"v1"'
    assert watched.revisions.count() == 1
    watch = ArticleWatch.objects.get(article=watched)
    assert (watch.last_checked_at, watch.last_changed_at) == (later, START)


def test_ads_counters_and_sidebar_changing_make_no_revision(watched, site):
    with time_machine.travel(START, tick=False):
        check_article(watched.pk)
    site.page("/schulen", page(ad="Urlaub in Italien – jetzt buchen", count=4242))
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        assert check_article(watched.pk).state == "unchanged"
    assert fetches(site) == 2
    assert watched.revisions.count() == 1
    assert ArticleWatch.objects.get(article=watched).last_changed_at == START
    assert not ClaimEvent.objects.filter(kind="article_changed").exists()


def test_a_changed_text_becomes_a_revision_and_tells_author_and_assignee(
    watched, site, client, editor, editor2
):
    with time_machine.travel(START, tick=False):
        check_article(watched.pk)
    changed = "Der Bürgermeister sprach am Montag von vielen neuen Schulen in der Region."
    site.page("/schulen", page((changed, OPPOSITION, SPOKESMAN)))
    moment = START + timedelta(hours=1)
    with time_machine.travel(moment, tick=False):
        outcome = check_article(watched.pk)
    assert (outcome.state, outcome.revision, outcome.to_check) == ("changed", 2, 1)
    watched.refresh_from_db()
    revision = watched.current_revision
    assert (revision.number, revision.origin, revision.created_by) == (
        2,
        ArticleRevision.Origin.URL,
        None,
    )
    assert changed in revision.text
    mention = Mention.objects.get(claim=watched.claim)
    assert mention.anchor == Mention.Anchor.ORPHANED
    event = ClaimEvent.objects.get(kind="article_changed")
    assert event.claim == watched.claim
    assert event.actor is None
    assert event.params == {"article": watched.pk, "revision": 2, "count": 1}
    assert ArticleWatch.objects.get(article=watched).last_changed_at == moment

    anchors = f"/desk/articles/{watched.pk}/anchors/"
    for person in (editor, editor2):
        client.force_login(person)
        notes = client.get("/desk/notifications/").content.decode()
        assert "The publisher changed the article: 1 passage needs checking" in notes
        assert f'href="{anchors}"' in notes
    german = client.get("/de/desk/notifications/").content.decode()
    assert "Der Verlag hat den Artikel geändert: 1 Passage muss geprüft werden" in german
    assert client.get(anchors).status_code == 200

    public = client.get(watched.get_absolute_url()).content.decode()
    assert "This article was updated on" in public

    # The same new text again: nothing more.
    with time_machine.travel(moment + timedelta(hours=1), tick=False):
        assert check_article(watched.pk).state == "unchanged"
    assert watched.revisions.count() == 2
    assert ClaimEvent.objects.filter(kind="article_changed").count() == 1


def test_describe_counts_passages_in_both_languages():
    event = ClaimEvent(kind="article_changed", params={"article": 1, "revision": 3, "count": 2})
    assert event.describe() == "The publisher changed the article: 2 passages need checking"
    assert event.by == ""
    with translation.override("de"):
        assert event.describe() == (
            "Der Verlag hat den Artikel geändert: 2 Passagen müssen geprüft werden"
        )


def test_a_moved_passage_keeps_its_place_without_a_notification(watched, site):
    with time_machine.travel(START, tick=False):
        check_article(watched.pk)
    site.page("/schulen", page((OPPOSITION, SCHOOLS, SPOKESMAN)))
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        outcome = check_article(watched.pk)
    assert (outcome.state, outcome.to_check) == ("changed", 0)
    assert Mention.objects.get(claim=watched.claim).revision.number == 2
    assert not ClaimEvent.objects.filter(kind="article_changed").exists()


def test_a_text_corrected_by_hand_is_not_overwritten_while_the_page_stays(watched, site, editor):
    from claims.services import article_revise

    with time_machine.travel(START, tick=False):
        check_article(watched.pk)
    article_revise(
        article=watched,
        text=watched.current_revision.text + "\n\nBildunterschrift entfernt.",
        origin="paste",
        user=editor,
    )
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        assert check_article(watched.pk).state == "unchanged"
    assert watched.revisions.count() == 2


def test_the_first_look_at_a_pasted_article_is_the_baseline_not_a_change(site, editor):
    """Pasted with an original address, and corrected by the editor (here: a paragraph
    left out): the first check takes the page as it is, and only a later change of the
    page becomes a revision."""
    with time_machine.travel(START, tick=False):
        article = make_article(f"{SCHOOLS}\n\n{OPPOSITION}", original_url=site.url("/schulen"))
        mark_quote(make_claim(author=editor, published_at=START), article, CLAIMED)
        assert check_article(article.pk).state == "unchanged"
    assert article.revisions.count() == 1
    site.page("/schulen", page((SCHOOLS, OPPOSITION, "Ein neuer Absatz des Verlags.")))
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        assert check_article(article.pk).state == "changed"
    assert "Ein neuer Absatz des Verlags." in article.revisions.latest("number").text


def test_an_import_corrected_in_the_preview_keeps_its_correction(
    site, client, editor, django_capture_on_commit_callbacks
):
    """Loaded from the page in the background, corrected in the preview, saved: the page's
    text at import is the baseline, so the correction is not taken for the publisher's."""
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/desk/articles/new/", {"fetch_url": site.url("/schulen"), "language": ""})
    run_tasks()
    job = ArticleImport.objects.get()
    corrected = job.text.replace("mehr als 40 neue Schulen", "mehr als 40 neue Schulen (sic)")
    response = client.post(
        "/desk/articles/new/",
        {
            "title": job.title,
            "text": corrected,
            "original_url": job.final_url,
            "fetched_from": job.final_url,
            "from_import": job.pk,
            "language": "de",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert ArticleWatch.objects.get(article=article).text_digest == job.source_digest
    mark_quote(make_claim(author=editor, published_at=START), article, "Schulen (sic)")
    assert check_article(article.pk).state == "unchanged"
    assert article.revisions.count() == 1
    assert "(sic)" in article.current_revision.text


# --- Errors, pausing ---------------------------------------------------------------------


def test_errors_back_off_and_show_in_the_workspace(watched, site, client, editor):
    site.page("/schulen", status=503)
    with time_machine.travel(START, tick=False):
        outcome = check_article(watched.pk)
    assert outcome.state == "error"
    assert "HTTP status 503" in outcome.message
    watch = ArticleWatch.objects.get(article=watched)
    assert (watch.error_count, watch.next_check_at) == (1, START + timedelta(hours=2))
    second = START + timedelta(hours=2)
    with time_machine.travel(second, tick=False):
        check_article(watched.pk)
    watch.refresh_from_db()
    assert (watch.error_count, watch.next_check_at) == (2, second + timedelta(hours=4))
    ArticleWatch.objects.filter(pk=watch.pk).update(error_count=12)
    with time_machine.travel(second, tick=False):
        check_article(watched.pk)
    watch.refresh_from_db()
    assert watch.next_check_at == second + timedelta(days=7)  # capped at a week

    client.force_login(editor)
    workspace = client.get(f"/desk/articles/{watched.pk}/").content.decode()
    assert 'id="article-watch-error"' in workspace
    assert "The last 13 checks failed" in workspace
    assert "HTTP status 503" in workspace

    site.page("/schulen", page())
    with time_machine.travel(second + timedelta(days=7), tick=False):
        assert check_article(watched.pk).state == "unchanged"
    watch.refresh_from_db()
    assert (watch.error_count, watch.last_error) == (0, "")


def test_a_paused_article_is_not_fetched(watched, site, editor):
    article_watch_set(article=watched, user=editor, paused=True)
    with time_machine.travel(START, tick=False):
        assert due_article_ids(START) == []
        watch_due_articles.enqueue()
        run_tasks()
        assert check_article(watched.pk).state == "skipped"
    assert fetches(site) == 0
    article_watch_set(article=watched, user=editor, paused=False)
    assert due_article_ids(START) == [watched.pk]


def test_editors_pause_and_resume_on_the_workspace(watched, client, editor, moderator):
    url = f"/desk/articles/{watched.pk}/watch/"
    client.force_login(editor)
    assert client.get(url).status_code == 405
    response = client.post(url, {"action": "pause"})
    assert response.status_code == 302
    assert ArticleWatch.objects.get(article=watched).paused
    workspace = client.get(f"/desk/articles/{watched.pk}/").content.decode()
    assert "Watching is paused" in workspace
    assert 'value="resume"' in workspace
    client.post(url, {"action": "interval", "interval": "week"})
    assert ArticleWatch.objects.get(article=watched).interval == timedelta(days=7)
    assert client.post(url, {"action": "interval", "interval": "2s"}).status_code == 400
    client.post(url, {"action": "resume"})
    assert not ArticleWatch.objects.get(article=watched).paused

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(url, {"action": "pause"}).status_code == 403
    client.force_login(moderator)
    assert client.post(url, {"action": "pause"}).status_code in (302, 403)
    assert not ArticleWatch.objects.get(article=watched).paused
    client.logout()
    assert client.post(url, {"action": "pause"}).status_code == 302  # to the sign-in
    assert not ArticleWatch.objects.get(article=watched).paused


def test_the_workspace_says_when_it_was_last_checked(watched, client, editor):
    client.force_login(editor)
    workspace = client.get(f"/desk/articles/{watched.pk}/").content.decode()
    assert "checked for changes within a few minutes" in workspace
    with time_machine.travel(START, tick=False):
        check_article(watched.pk)
    with time_machine.travel(START + timedelta(minutes=10), tick=False):
        english = client.get(f"/desk/articles/{watched.pk}/").content.decode()
        german = client.get(f"/de/desk/articles/{watched.pk}/").content.decode()
    assert "<strong>Watched:</strong> last checked 10\xa0minutes ago, unchanged since" in english
    assert "March 3, 2026" in english or "3 March 2026" in english
    assert "<strong>Beobachtet:</strong> zuletzt geprüft vor 10\xa0Minuten" in german
    assert "unverändert seit 3. März 2026" in german


def test_the_workspace_says_why_an_article_is_not_watched(client, editor):
    article = make_article()
    client.force_login(editor)
    page_text = client.get(f"/desk/articles/{article.pk}/").content.decode()
    assert "Not watched: the article has no original web address" in page_text
    Article.objects.filter(pk=article.pk).update(original_url="https://example.org/a")
    page_text = client.get(f"/desk/articles/{article.pk}/").content.decode()
    assert "once one of the article’s claims is published" in page_text


# --- The command -------------------------------------------------------------------------


def test_watcharticles_now_checks_every_watched_article_and_says_what_it_found(watched, site):
    broken = make_article(original_url=site.url("/gone"), slug="gone")
    mark_quote(make_claim(), broken, "Erster Absatz")
    site.page("/gone", status=404)
    out = StringIO()
    with time_machine.travel(START, tick=False):
        call_command("watcharticles", "--now", stdout=out)
    lines = out.getvalue().splitlines()
    assert f"{watched.slug}: unchanged" in lines
    assert any(
        line.startswith("gone: error: The site answered with HTTP status 404") for line in lines
    )

    site.page("/schulen", page(("Ganz neuer Text ohne Schulen.", OPPOSITION, SPOKESMAN)))
    out = StringIO()
    with time_machine.travel(START + timedelta(minutes=1), tick=False):  # not due: checked anyway
        call_command("watcharticles", "--now", stdout=out)
    assert f"{watched.slug}: changed: new revision 2, 1 passage to check" in out.getvalue()
