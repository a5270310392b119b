"""Email: desk notifications (at once, daily digest, none), password reset by email and
moderators' replies to readers, sent through a real local SMTP server (aiosmtpd) and read
back as it arrived."""

import email
import re
import socket
from datetime import datetime
from email import policy
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.urls import reverse

from claims import services
from claims.models import ClaimEvent, DeskProfile, ErrorReport, Tip, WorkflowError
from tests.conftest import PUBLISHED_SLUG
from tests.factories import make_article, make_ready_claim
from tests.helpers import run_tasks

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


class Inbox:
    """What the SMTP server received: (envelope recipients, parsed message)."""

    def __init__(self):
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for rcpt, message in self.received if address in rcpt]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def inbox(settings):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    settings.DEFAULT_FROM_EMAIL = "desk@factcheck.test"
    settings.FACTCHECK_ORGANIZATION_SHORT_NAME = "Faktencheck"
    yield handler
    controller.stop()


def _parts(message) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def _with_email(*users):
    for user in users:
        user.email = f"{user.username}@newsroom.test"
        user.save()


def _prefer(user, language: str = "", **kinds):
    DeskProfile.objects.update_or_create(
        user=user, defaults={"email_language": language, "email_preferences": kinds}
    )


# --- At once -----------------------------------------------------------------------------
def test_submit_in_the_desk_emails_reviewers_later_in_their_language(
    client, editor, reviewer, reviewer2, inbox, django_capture_on_commit_callbacks
):
    _with_email(editor, reviewer, reviewer2)
    _prefer(reviewer, "de")
    _prefer(reviewer2, "en")
    claim = make_ready_claim(editor, claim_reviewed="Der Mond ist aus Käse")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("claims:desk-claim-submit", args=[claim.pk]), {"version": claim.version}
        )
    assert response.status_code == 302
    assert inbox.received == []  # the request only enqueued
    assert run_tasks() >= 1

    assert not inbox.to("editor@newsroom.test")  # never the actor
    [german] = inbox.to("reviewer@newsroom.test")
    [english] = inbox.to("reviewer2@newsroom.test")
    assert german["Subject"].startswith("[Faktencheck] editor bittet um Prüfung")
    assert "Der Mond ist aus Käse" in german["Subject"]
    assert english["Subject"].startswith("[Faktencheck] editor asks for a review")
    desk_url = f"http://testserver/desk/claims/{claim.pk}/"
    for message, open_it in ((german, "Auf dem Desk öffnen"), (english, "Open it on the desk")):
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["From"] == "desk@factcheck.test"
        assert message["List-Unsubscribe"] is None  # only digests
        text, html = _parts(message)
        assert desk_url.replace("/desk", "/de/desk") in text or desk_url in text
        assert open_it in text
        assert open_it in html
        assert 'href="http://testserver' in html
    assert "http://testserver/de/desk/claims/" in _parts(german)[0]
    print("\n--- German notification ---\n", german.as_string()[:3000])


def test_decisions_go_to_author_not_to_the_reviewer_and_none_sends_nothing(
    editor, editor2, reviewer, inbox, django_capture_on_commit_callbacks
):
    _with_email(editor, editor2, reviewer)
    claim = make_ready_claim(editor)
    claim.assignee = editor2
    claim.save()
    _prefer(editor2, decisions="none")
    with django_capture_on_commit_callbacks(execute=True):
        claim.submit(by=editor, version=claim.version)
    run_tasks()
    inbox.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        claim.request_changes(by=reviewer, comment="Quelle fehlt.", version=claim.version)
    run_tasks()
    assert [rcpt for rcpt, _m in inbox.received] == [["editor@newsroom.test"]]
    [message] = inbox.to("editor@newsroom.test")
    text, html = _parts(message)
    assert "reviewer asks for changes" in message["Subject"]
    assert "Quelle fehlt." in text
    assert "Quelle fehlt." in html


def test_an_article_change_tells_the_author_in_a_sentence_and_links_the_passages(
    editor, inbox, django_capture_on_commit_callbacks
):
    """The article watch's event has no person behind it: the email says what happened
    and leads to the anchors review, where the passages are checked."""
    _with_email(editor)
    _prefer(editor, "de", article_changes="immediately")
    claim = make_ready_claim(editor)
    article = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        ClaimEvent.objects.create(
            claim=claim,
            kind="article_changed",
            params={"article": article.pk, "revision": 2, "count": 2},
            claim_version=claim.version,
        )
    run_tasks()
    [message] = inbox.to("editor@newsroom.test")
    assert message["Subject"].startswith(
        "[Faktencheck] Der Verlag hat den Artikel geändert: 2 Passagen müssen geprüft werden"
    )
    assert "System" not in message["Subject"]
    assert f"http://testserver/de/desk/articles/{article.pk}/anchors/" in _parts(message)[0]


def test_error_report_reaches_moderators_without_the_readers_address(
    reader, moderator, editor, inbox, django_capture_on_commit_callbacks, seeded
):
    _with_email(moderator, editor)
    _prefer(moderator, reader_reports="immediately")
    with django_capture_on_commit_callbacks(execute=True):
        response = reader.post(
            f"/claims/{PUBLISHED_SLUG}/report/",
            {
                "reason": "verdict_disputed",
                "message": "Die Zahl stimmt nicht.",
                "email": "leserin@example.org",
                "consent": "on",
            },
        )
    assert response.status_code == 302
    assert inbox.received == []
    run_tasks()
    [message] = inbox.to("moderator@newsroom.test")
    assert "A reader reported an error" in message["Subject"]
    assert "leserin@example.org" not in message.as_string()
    report = ErrorReport.objects.get()
    assert f"/admin/claims/errorreport/{report.pk}/change/" in _parts(message)[0]
    assert not inbox.to("editor@newsroom.test")  # reader reports are the moderators'


def test_tip_reaches_moderators_at_once_when_they_want(
    reader, moderator, inbox, django_capture_on_commit_callbacks
):
    _with_email(moderator)
    _prefer(moderator, "de", reader_reports="immediately")
    with django_capture_on_commit_callbacks(execute=True):
        reader.post("/tips/new/", {"claim_text": "Windräder machen krank."})
    assert inbox.received == []
    run_tasks()
    [message] = inbox.to("moderator@newsroom.test")
    assert "Eine Leserin oder ein Leser hat eine Behauptung vorgeschlagen" in message["Subject"]
    assert "Windräder machen krank." in _parts(message)[0]


# --- The daily digest --------------------------------------------------------------------
def test_digest_once_per_period_with_list_unsubscribe(
    editor, reviewer, inbox, django_capture_on_commit_callbacks
):
    _with_email(editor, reviewer)
    _prefer(reviewer, "de", review_requests="daily")
    DeskProfile.objects.filter(user=reviewer).update(digest_hour=7)
    with time_machine.travel(datetime(2025, 3, 3, 6, 0, tzinfo=BERLIN), tick=False):
        DeskProfile.objects.filter(user=reviewer).update(
            last_digest_at=datetime(2025, 3, 2, 7, 0, tzinfo=BERLIN)
        )
        first = make_ready_claim(editor, claim_reviewed="Erste Behauptung")
        second = make_ready_claim(editor, claim_reviewed="Zweite Behauptung")
        with django_capture_on_commit_callbacks(execute=True):
            first.submit(by=editor, version=first.version)
            second.submit(by=editor, version=second.version)
        run_tasks()
        assert not inbox.to("reviewer@newsroom.test")  # digest only
        services_result = _digests()
        assert services_result["sent"] == 0  # 06:00: the digest hour has not come
    with time_machine.travel(datetime(2025, 3, 3, 7, 5, tzinfo=BERLIN), tick=False):
        assert _digests()["sent"] == 1
        assert _digests()["sent"] == 0  # the same period again: nothing
    with time_machine.travel(datetime(2025, 3, 3, 12, 0, tzinfo=BERLIN), tick=False):
        assert _digests()["sent"] == 0
    [digest] = inbox.to("reviewer@newsroom.test")
    # (the parser may keep a space of the folded encoded words twice)
    assert (
        " ".join(digest["Subject"].split())
        == "[Faktencheck] Ihre tägliche Übersicht: 2 neue Einträge"
    )
    assert digest["Auto-Submitted"] == "auto-generated"
    assert digest["List-Unsubscribe"] == "<http://testserver/de/desk/account/email/>"
    text, html = _parts(digest)
    assert "Erste Behauptung" in text
    assert "Zweite Behauptung" in html
    assert f"http://testserver/de/desk/claims/{first.pk}/" in text
    print("\n--- German digest ---\n", text)
    # The next day's digest covers only what came after.
    with time_machine.travel(datetime(2025, 3, 4, 7, 0, tzinfo=BERLIN), tick=False):
        third = make_ready_claim(editor, claim_reviewed="Dritte Behauptung")
        with django_capture_on_commit_callbacks(execute=True):
            third.submit(by=editor, version=third.version)
        run_tasks()
        assert _digests()["sent"] == 1
    latest = inbox.to("reviewer@newsroom.test")[-1]
    assert "1 neuer Eintrag" in latest["Subject"]
    assert "Erste Behauptung" not in _parts(latest)[0]


def _digests() -> dict:
    from claims.tasks.email import send_digests

    return send_digests.call()


def test_nothing_at_all_for_none(editor, reviewer, inbox, django_capture_on_commit_callbacks):
    _with_email(editor, reviewer)
    _prefer(reviewer, review_requests="none")
    claim = make_ready_claim(editor)
    with django_capture_on_commit_callbacks(execute=True):
        claim.submit(by=editor, version=claim.version)
    run_tasks()
    with time_machine.travel(datetime(2030, 1, 1, 23, 0, tzinfo=BERLIN), tick=False):
        _digests()
    assert inbox.received == []


# --- Preferences page ----------------------------------------------------------------------
def test_preferences_page_saves_choices(client, reviewer):
    client.force_login(reviewer)
    url = reverse("claims:account-email")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "review_requests": "daily",
            "decisions": "none",
            "article_changes": "immediately",
            "dead_sources": "daily",
            "email_language": "de",
            "digest_hour": "18",
        },
    )
    assert response.status_code == 302
    profile = DeskProfile.objects.get(user=reviewer)
    assert profile.frequency("review_requests") == "daily"
    assert profile.frequency("decisions") == "none"
    assert (profile.language, profile.digest_hour) == ("de", 18)
    bad = client.post(url, {"review_requests": "hourly", "digest_hour": "25"})
    assert bad.status_code == 422
    assert DeskProfile.objects.get(user=reviewer).digest_hour == 18


def test_preferences_page_needs_sign_in(client):
    response = client.get(reverse("claims:account-email"))
    assert response.status_code == 302
    assert "/desk/login/" in response["Location"]


# --- Password reset ------------------------------------------------------------------------
def test_password_reset_mail_arrives_and_its_link_sets_a_new_password(
    client, editor, inbox, django_capture_on_commit_callbacks
):
    _with_email(editor)
    assert "/desk/password-reset/" in client.get(reverse("claims:login")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/de/desk/password-reset/", {"email": "EDITOR@newsroom.test"})
        unknown = client.post("/de/desk/password-reset/", {"email": "nobody@newsroom.test"})
    assert response.status_code == unknown.status_code == 302
    assert response["Location"] == unknown["Location"]  # the same answer either way
    assert inbox.received == []
    # The queue holds whom to write and in which language, never the reset token.
    from django_tasks_db.models import DBTaskResult

    [queued] = DBTaskResult.objects.filter(task_path__endswith="send_password_reset")
    assert queued.args_kwargs["args"] == [editor.pk, "de"]
    run_tasks()
    [message] = inbox.to("editor@newsroom.test")
    assert len(inbox.received) == 1
    assert message["Subject"] == "[Faktencheck] Passwort zurücksetzen"
    assert message["Auto-Submitted"] == "auto-generated"
    text, html = _parts(message)
    link = re.search(r"http://testserver(/de/desk/password-reset/\S+/)", text).group(1)
    assert link in html
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    new = "a brand new passphrase 42"
    done = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password(new)
    # The link works once.
    assert "reset-invalid" in client.get(link, follow=True).content.decode()


def test_password_reset_is_rate_limited_per_client(client, settings, editor, inbox):
    settings.FACTCHECK_PASSWORD_RESET_LIMIT = 2
    for _ in range(2):
        assert client.post("/desk/password-reset/", {"email": "x@y.test"}).status_code == 302
    refused = client.post("/desk/password-reset/", {"email": "x@y.test"})
    assert refused.status_code == 429
    assert refused["Retry-After"]


# --- Replies to readers --------------------------------------------------------------------
def _moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def test_moderator_replies_to_a_reader_from_the_admin(
    client, moderator, inbox, django_capture_on_commit_callbacks
):
    tip = Tip.objects.create(
        claim_text="Die Erde ist eine Scheibe.",
        email="leser@example.org",
        consent=True,
        language="de",
    )
    _moderator_client(client, moderator)
    url = reverse("admin:claims_tip_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "action": "reply_to_reader",
                "_selected_action": [tip.pk],
                "post": "yes",
                "reply": "Danke, wir prüfen das.",
            },
        )
    assert response.status_code == 302
    assert inbox.received == []
    tip.refresh_from_db()
    assert tip.reply == "Danke, wir prüfen das."
    assert tip.reply_by == moderator
    assert tip.reply_sent_at is None
    run_tasks()
    [message] = inbox.to("leser@example.org")
    assert message["Subject"] == "[Faktencheck] Ihr Vorschlag"
    text, html = _parts(message)
    assert "Danke, wir prüfen das." in text
    assert "Die Erde ist eine Scheibe." in html
    tip.refresh_from_db()
    assert tip.reply_sent_at is not None
    assert tip.history.filter(history_change_reason="reply sent").exists()
    page = client.get(reverse("admin:claims_tip_change", args=[tip.pk])).content.decode()
    assert "Danke, wir prüfen das." in page
    run_tasks()
    assert len(inbox.received) == 1  # sent once
    print("\n--- German reply to a reader ---\n", text)


def test_no_reply_without_consent(client, moderator, inbox):
    tip = Tip.objects.create(claim_text="Ohne Adresse.", language="de")
    _moderator_client(client, moderator)
    response = client.post(
        reverse("admin:claims_tip_changelist"),
        {"action": "reply_to_reader", "_selected_action": [tip.pk], "post": "yes", "reply": "x"},
        follow=True,
    )
    assert "gave no email address" in response.content.decode()
    tip.refresh_from_db()
    assert tip.reply == ""
    with pytest.raises(WorkflowError) as refusal:
        services.reader_input_reply(item=tip, text="x", user=moderator)
    assert refusal.value.code == "no_consent"


def test_editor_cannot_reply(editor):
    tip = Tip.objects.create(claim_text="T", email="a@b.test", consent=True)
    with pytest.raises(WorkflowError) as refusal:
        services.reader_input_reply(item=tip, text="x", user=editor)
    assert refusal.value.code == "forbidden"
    tip.refresh_from_db()
    assert tip.reply == ""


# --- The thanks page tells the truth ---------------------------------------------------------
def test_thanks_page_promises_a_reply_only_with_address_and_consent(reader, db):
    with_address = reader.post(
        "/tips/new/", {"claim_text": "A", "email": "r@example.org", "consent": "on"}, follow=True
    )
    assert "will answer you by email" in with_address.content.decode()
    without = reader.post("/tips/new/", {"claim_text": "B"}, follow=True)
    page = without.content.decode()
    assert "we will not reply" in page
    assert "will answer you by email" not in page


def test_report_form_stores_consent(reader, seeded):
    reader.post(
        f"/claims/{PUBLISHED_SLUG}/report/",
        {"reason": "other", "message": "M", "email": "r@example.org", "consent": "on"},
    )
    assert ErrorReport.objects.get().consent is True


def test_events_of_other_kinds_send_nothing(
    editor, reviewer, inbox, django_capture_on_commit_callbacks
):
    _with_email(editor, reviewer)
    claim = make_ready_claim(editor)
    with django_capture_on_commit_callbacks(execute=True):
        claim.events.create(kind=ClaimEvent.Kind.DISMISSED, actor=reviewer, claim_version=1)
    assert run_tasks() == 0
    assert inbox.received == []
