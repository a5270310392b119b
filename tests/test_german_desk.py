"""German throughout (issue #14, section 4): ratings, events, language names and times in
the page's language; the footer knows who is signed in on the desk."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone, translation

from claims import services, wording
from claims.models import ClaimEvent, ErrorReport, Rating, Tip
from tests.conftest import PUBLISHED_SLUG

pytestmark = pytest.mark.django_db


def _report(client, language: str, reason="verdict_disputed"):
    prefix = "/de" if language == "de" else ""
    response = client.post(
        f"{prefix}/claims/{PUBLISHED_SLUG}/report/",
        {"reason": reason, "message": "Das war kein Frieden.", "email": "", "homepage": ""},
    )
    assert response.status_code == 302
    return ErrorReport.objects.latest("pk")


def test_claim_panel_offers_german_rating_names_on_german_pages(desk, article, draft):
    false = Rating.objects.get(label="False")
    assert false.label_de == "Falsch"
    german = desk.get(f"/de/desk/articles/{article.pk}/claims/{draft.pk}/").content.decode()
    english = desk.get(f"/desk/articles/{article.pk}/claims/{draft.pk}/").content.decode()
    assert f'<option value="{false.pk}">Falsch</option>' in german
    assert f'<option value="{false.pk}">False</option>' in english


def test_correction_form_offers_german_ratings_and_a_worded_empty_choice(
    client, editor, editor2, published
):
    published.correction_start(by=editor2, kind="update", note="Neue Zahlen.")
    client.force_login(editor)
    page = client.get(f"/de/desk/claims/{published.pk}/correction/").content.decode()
    assert ">Falsch</option>" in page
    assert ">False</option>" not in page
    assert "---------" not in page
    assert "— Bewertung wählen —" in page or "– bitte wählen –" in page


def test_reader_error_report_reads_in_each_viewers_language(client, published, editor):
    published.author = editor
    published.save()
    report = _report(client, "de")
    event = published.events.get(kind=ClaimEvent.Kind.ERROR_REPORTED)
    # Stored as machine values, not in the reader's language.
    assert event.params == {"reason": "verdict_disputed", "report": report.pk}
    assert event.comment == ""
    client.force_login(editor)
    english = client.get("/desk/notifications/").content.decode()
    german = client.get("/de/desk/notifications/").content.decode()
    assert "A reader</strong> reported an error (Verdict disputed)" in english
    assert "Bewertung bestritten" not in english
    assert "Fehler gemeldet (Bewertung bestritten)" in german
    history = client.get(f"/desk/claims/{published.pk}/history/").content.decode()
    assert "Reported an error (Verdict disputed)" in history
    assert "a reader or the system" not in history


def test_correction_opened_from_a_report_names_the_reason_in_the_viewers_language(
    client, published, moderator
):
    report = _report(client, "de", reason="source_problem")
    correction = services.correction_open_from_report(
        report=report, kind="correction", note="Quelle ersetzt.", user=moderator
    )
    event = correction.events.get(kind=ClaimEvent.Kind.CORRECTION_OPENED)
    assert event.params == {"reason": "source_problem", "report": report.pk}
    assert event.comment == "Quelle ersetzt."  # typed by a person: kept as typed
    with translation.override("en"):
        assert "(Source broken or wrong)" in event.describe()
    with translation.override("de"):
        assert "(Quelle defekt oder falsch)" in event.describe()


def test_claim_from_tip_keeps_the_readers_words_and_labels_them_per_language(moderator, editor):
    tip = Tip.objects.create(claim_text="Die Erde ist flach.", seen_at="Talkshow", language="de")
    claim = services.claim_create_from_tip(tip=tip, assignee=editor, user=moderator)
    event = claim.events.get()
    assert event.params == {
        "tip": tip.pk,
        "tip_text": "Die Erde ist flach.",
        "seen_at": "Talkshow",
    }
    with translation.override("en"):
        assert event.describe() == "made a claim from a reader’s tip"
        assert event.details() == [
            ("The reader’s tip:", "Die Erde ist flach."),
            ("Seen at:", "Talkshow"),
        ]
    with translation.override("de"):
        assert event.describe() == "Behauptung aus einem Leserhinweis angelegt"


def test_plain_events_still_take_only_a_kind_and_a_comment(published, editor):
    event = ClaimEvent.objects.create(
        claim=published, kind="approved", actor=editor, comment="Quellen geprüft.", claim_version=1
    )
    assert event.params == {}
    with translation.override("de"):
        assert event.describe() == "freigegeben"
        assert event.by == "editor"


def test_migration_turns_stored_reason_labels_and_tip_sentences_into_params(published, editor):
    migration = importlib.import_module("claims.migrations.0013_claimevent_params")
    german = ClaimEvent.objects.create(
        claim=published, kind="error_reported", comment="Bewertung bestritten", claim_version=1
    )
    unknown = ClaimEvent.objects.create(
        claim=published, kind="error_reported", comment="Something else", claim_version=1
    )
    tip = Tip.objects.create(claim_text="Der Mond ist aus Käse.", claim=published, language="de")
    from_tip = ClaimEvent.objects.create(
        claim=published,
        kind="assigned",
        actor=editor,
        comment="Aus einem Leserhinweis: Der Mond ist aus Käse.",
        claim_version=1,
    )
    migration.forwards(apps, None)
    german.refresh_from_db()
    unknown.refresh_from_db()
    from_tip.refresh_from_db()
    assert (german.params, german.comment) == ({"reason": "verdict_disputed"}, "")
    assert (unknown.params, unknown.comment) == ({}, "Something else")
    assert from_tip.params == {"tip": tip.pk, "tip_text": "Der Mond ist aus Käse.", "seen_at": ""}
    assert from_tip.comment == ""


@pytest.mark.parametrize(
    ("code", "english", "german"),
    [
        ("de", "German", "Deutsch"),
        ("en-GB", "British English", "Britisches Englisch"),
        ("de-AT", "German (AT)", "Deutsch (AT)"),
        ("fr", "French", "Französisch"),
        ("x-klingon", "x-klingon", "x-klingon"),
    ],
)
def test_language_tags_are_named_in_the_page_language(code, english, german):
    with translation.override("en"):
        assert wording.language_name(code) == english
    with translation.override("de"):
        assert wording.language_name(code) == german


def test_claim_search_filter_names_languages(reader, seeded):
    assert '<option value="de">Deutsch</option>' in reader.get("/de/claims/").content.decode()
    assert '<option value="de">German</option>' in reader.get("/claims/").content.decode()


def test_admin_names_languages_and_runs_actions_in_german(client, superuser, seeded):
    client.force_login(superuser)
    page = client.get("/de/admin/claims/claim/").content.decode()
    assert ">Ausführen</button>" in page
    assert 'alt="Suche"' in page
    assert ">Deutsch</td>" in page
    assert "?language=de" in page  # the language filter, by name
    assert ">de</td>" not in page


def test_relative_times_say_just_now_under_a_minute():
    now = timezone.now()
    with translation.override("de"):
        assert wording.ago(now - timedelta(seconds=20), now=now) == "gerade eben"
        assert wording.ago(now - timedelta(minutes=5), now=now) == "vor 5\xa0Minuten"
    with translation.override("en"):
        assert wording.ago(now, now=now) == "just now"
        assert wording.ago(now - timedelta(hours=3), now=now) == "3\xa0hours ago"


def test_review_queue_says_just_now(client, reviewer, editor, article):
    from tests.factories import make_ready_claim, mark_quote

    claim = make_ready_claim(editor)
    mark_quote(claim, article, article.current_revision.text.split()[3])
    claim.submit(by=editor)
    client.force_login(reviewer)
    assert "gerade eben" in client.get("/de/desk/review/").content.decode()
    assert "vor 0 Minuten" not in client.get("/de/desk/review/").content.decode()


def test_footer_tells_a_signed_in_editor_who_they_are(desk, reader, seeded):
    page = desk.get("/de/desk/").content.decode()
    assert "Angemeldet als editor" in page
    assert "Anmeldung für die Redaktion" not in page
    # Public pages are cached for everyone: their footer names nobody.
    desk.logout()
    public = reader.get("/de/").content.decode()
    assert "Für die Redaktion: zum Desk" in public
    assert "Angemeldet als" not in public
