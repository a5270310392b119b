"""Webhooks against a real local receiver (tests/webserver.PageServer, a threaded
http.server that records every request and answers what the test says): the events and
their public payloads, the signature, retries with backoff, replays, the SSRF guard at
registration and at delivery, and who may manage webhooks on the desk."""

import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from claims import webhooks
from claims.importing.cleaning import ImportedText
from claims.models import Article, Webhook, WebhookDelivery
from claims.services import article_revise_from_publisher
from claims.tasks.base import events_without_tasks
from claims.tasks.webhooks import WEBHOOK_RETRIES
from tests.factories import make_article, make_ready_claim, mark
from tests.helpers import run_tasks
from tests.webserver import PageServer, Reply

pytestmark = pytest.mark.django_db

TEXT = "Nordkorea hat seit Jahren nichts getestet. Ein zweiter Satz."
SECRET_DRAFT = "Interne Notiz: noch nicht veröffentlichen"


class Receiver:
    """A CMS's endpoint: answers the statuses in ``statuses`` in turn (then 200)."""

    def __init__(self, server: PageServer) -> None:
        self.server = server
        self.statuses: list[int] = []
        server.page("/hooks/factcheck", self._answer)

    def _answer(self, request) -> Reply:
        status = self.statuses.pop(0) if self.statuses else 200
        return Reply(status=status, body=f"answer {status}", content_type="text/plain")

    @property
    def url(self) -> str:
        return self.server.url("/hooks/factcheck")

    @property
    def requests(self) -> list:
        return self.server.requests_to("/hooks/factcheck")


@pytest.fixture
def allow_private(settings):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True


@pytest.fixture
def receiver():
    with PageServer() as server:
        yield Receiver(server)


def _webhook(owner, receiver, events=("claim.published",)) -> Webhook:
    return Webhook.objects.create(owner=owner, url=receiver.url, events=list(events))


def _publish(editor, reviewer2, capture, article_status=Article.Status.DRAFT):
    article = make_article(TEXT, status=article_status, created_by=editor)
    claim = make_ready_claim(editor, claim_reviewed="Nordkorea testet nicht")
    mark(claim, article, 0, 9)
    claim.submit(by=editor)
    with capture(execute=True):
        claim.approve(by=reviewer2, comment=SECRET_DRAFT)
        claim.publish(by=reviewer2)
    claim.refresh_from_db()
    return claim, article


def _due_now() -> None:
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def _verified(request, secret: str) -> dict:
    webhooks.verify_signature(secret, request.headers["factcheck-signature"], request.body)
    return json.loads(request.body)


# --- Events and payloads --------------------------------------------------------------------
def test_publishing_a_claim_delivers_it_once_signed_without_draft_data(
    allow_private, receiver, editor, reviewer, reviewer2, django_capture_on_commit_callbacks
):
    webhook = _webhook(reviewer, receiver)
    claim, _article = _publish(editor, reviewer2, django_capture_on_commit_callbacks)
    run_tasks()

    [request] = receiver.requests
    delivery = WebhookDelivery.objects.get()
    assert request.method == "POST"
    assert request.headers["factcheck-event"] == "claim.published"
    assert request.headers["factcheck-delivery"] == str(delivery.pk)
    assert request.headers["content-type"] == "application/json"
    body = _verified(request, webhook.secret)
    assert body["id"] == str(delivery.pk)
    assert body["type"] == "claim.published"
    data = body["data"]
    assert data["slug"] == claim.slug
    assert data["url"].endswith(f"/claims/{claim.slug}/")
    assert data["claimReviewed"] == "Nordkorea testet nicht"
    assert data["rating"]["name"] == claim.rating.label
    assert set(data) == {
        "slug", "url", "claimReviewed", "claimant", "language", "rating", "conclusion",
        "datePublished", "dateModified",
    }  # fmt: skip
    raw = request.body.decode()
    assert SECRET_DRAFT not in raw
    assert "editor" not in raw
    assert "reviewer" not in raw
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    assert delivery.last_response == "answer 200"
    # Sent once: running the queue again sends nothing more.
    run_tasks()
    assert len(receiver.requests) == 1


def test_only_subscribed_active_webhooks_get_an_event(
    allow_private, receiver, editor, reviewer, reviewer2, django_capture_on_commit_callbacks
):
    _webhook(reviewer, receiver, events=["article.published"])
    Webhook.objects.create(
        owner=reviewer, url=receiver.url, events=["claim.published"], is_active=False
    )
    _claim, article = _publish(editor, reviewer2, django_capture_on_commit_callbacks)
    run_tasks()
    # The claim's publication made its article public: only that event was asked for.
    [request] = receiver.requests
    assert request.headers["factcheck-event"] == "article.published"
    assert json.loads(request.body)["data"]["slug"] == article.slug


def test_unpublishing_sends_the_slug_and_address_only(
    allow_private, receiver, editor, reviewer, reviewer2, django_capture_on_commit_callbacks
):
    _webhook(reviewer, receiver, events=["claim.unpublished", "article.unpublished"])
    claim, article = _publish(editor, reviewer2, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        claim.unpublish(by=reviewer, reason="Quelle zurückgezogen.")
        article.unpublish(by=reviewer, reason="Rechtliche Prüfung.")
    run_tasks()
    bodies = {r.headers["factcheck-event"]: json.loads(r.body) for r in receiver.requests}
    assert set(bodies) == {"claim.unpublished", "article.unpublished"}
    assert set(bodies["claim.unpublished"]["data"]) == {"slug", "url"}
    assert set(bodies["article.unpublished"]["data"]) == {"slug", "url"}
    assert "zurückgezogen" not in json.dumps(bodies)
    assert "Rechtliche" not in json.dumps(bodies)


def test_a_published_correction_is_claim_corrected(
    allow_private,
    receiver,
    editor,
    editor2,
    reviewer,
    reviewer2,
    django_capture_on_commit_callbacks,
):
    _webhook(reviewer, receiver, events=["claim.corrected"])
    claim, _article = _publish(editor, reviewer2, django_capture_on_commit_callbacks)
    correction = claim.correction_start(by=editor2, kind="correction", note="Die Zahl war falsch.")
    correction.new_conclusion = "Teilweise richtig."
    correction.save()
    claim.correction_submit(by=editor2)
    with django_capture_on_commit_callbacks(execute=True):
        claim.approve(by=reviewer2)
        claim.publish(by=reviewer2)
    run_tasks()
    [request] = receiver.requests
    data = json.loads(request.body)["data"]
    assert request.headers["factcheck-event"] == "claim.corrected"
    assert data["conclusion"] == "Teilweise richtig."
    assert data["correction"]["note"] == "Die Zahl war falsch."


def test_the_publishers_new_text_is_article_changed(
    allow_private, receiver, reviewer, django_capture_on_commit_callbacks
):
    _webhook(reviewer, receiver, events=["article.changed"])
    article = make_article(TEXT)
    with django_capture_on_commit_callbacks(execute=True):
        article_revise_from_publisher(
            article=article, imported=ImportedText(text="Vorweg.\n\n" + TEXT, notices=())
        )
    run_tasks()
    [request] = receiver.requests
    data = json.loads(request.body)["data"]
    assert (request.headers["factcheck-event"], data["revision"]) == ("article.changed", 2)


def test_seeded_history_fires_no_webhook(
    allow_private, receiver, editor, reviewer, reviewer2, django_capture_on_commit_callbacks
):
    _webhook(reviewer, receiver, events=[e.value for e in webhooks.EVENTS])
    with events_without_tasks():
        _publish(editor, reviewer2, django_capture_on_commit_callbacks)
    assert not WebhookDelivery.objects.exists()
    assert run_tasks() == 0
    assert receiver.requests == []


# --- Retries, give-up, replay ---------------------------------------------------------------
def test_a_500_is_tried_again_after_the_backoff_and_then_delivered(
    allow_private,
    receiver,
    editor,
    reviewer,
    reviewer2,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.FACTCHECK_TASK_RETRY_SECONDS = 30
    webhook = _webhook(reviewer, receiver)
    receiver.statuses = [500]
    _publish(editor, reviewer2, django_capture_on_commit_callbacks)
    run_tasks()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.last_response == "answer 500"
    assert "500" in delivery.last_error
    assert run_tasks() == 0  # the retry waits for its time
    assert len(receiver.requests) == 1

    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=True):
        assert run_tasks() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 2, 200)
    assert delivery.last_error == ""
    first, second = receiver.requests
    assert first.body == second.body  # the same delivery…
    assert first.headers["factcheck-signature"] != second.headers["factcheck-signature"]
    _verified(second, webhook.secret)  # …signed anew


def test_a_receiver_that_keeps_failing_fails_the_delivery_after_the_last_try(
    allow_private, receiver, reviewer
):
    webhook = _webhook(reviewer, receiver)
    receiver.statuses = [503] * 20
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="ping", payload={})
    from claims.tasks.webhooks import deliver_webhook

    deliver_webhook.enqueue(str(delivery.pk))
    for _ in range(WEBHOOK_RETRIES + 1):
        run_tasks()
        _due_now()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", WEBHOOK_RETRIES + 1)
    assert len(receiver.requests) == WEBHOOK_RETRIES + 1


def test_a_replay_is_a_new_delivery_that_verifies(
    allow_private, receiver, client, reviewer, django_capture_on_commit_callbacks
):
    webhook = _webhook(reviewer, receiver)
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("claims:desk-webhook-ping", args=[webhook.pk]))
    assert response.status_code == 302
    run_tasks()
    original = WebhookDelivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("claims:desk-webhook-replay", args=[webhook.pk]), {"delivery": original.pk}
        )
    assert response.status_code == 302
    run_tasks()
    replay = WebhookDelivery.objects.exclude(pk=original.pk).get()
    assert replay.replay_of == original
    assert replay.status == "delivered"
    first, second = receiver.requests
    body = _verified(second, webhook.secret)
    assert body["id"] == str(replay.pk)
    assert body["type"] == "ping"
    assert body["data"] == json.loads(first.body)["data"]
    page = client.get(reverse("claims:desk-webhook", args=[webhook.pk])).content.decode()
    assert page.count('name="delivery"') == 2
    assert page.count("answer 200") == 2  # the receiver's answer, logged per delivery


# --- The SSRF guard -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest"]
)
def test_a_private_address_is_refused_at_registration(client, reviewer, url):
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:desk-webhooks"), {"url": url, "events": ["claim.published"]}
    )
    assert response.status_code == 422
    assert "only pages on the public internet" in response.content.decode()
    assert not Webhook.objects.exists()


def test_a_cloud_metadata_address_stays_refused_when_private_ones_are_allowed(
    allow_private, client, reviewer
):
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:desk-webhooks"),
        {"url": "http://169.254.169.254/latest", "events": ["claim.published"]},
    )
    assert response.status_code == 422
    assert not Webhook.objects.exists()


def test_a_private_address_is_refused_at_delivery_too(receiver, reviewer):
    """Registered while private addresses were allowed (or a name that now points
    inside): the task checks again, fails at once and nothing reaches the address."""
    webhook = _webhook(reviewer, receiver)
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="ping", payload={})
    from claims.tasks.webhooks import deliver_webhook

    deliver_webhook.enqueue(str(delivery.pk))
    run_tasks()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "loopback" in delivery.last_error
    assert receiver.requests == []
    assert not DBTaskResult.objects.filter(status="READY").exists()  # no retry


# --- The signature --------------------------------------------------------------------------
def test_the_signature_refuses_an_old_timestamp_another_secret_and_a_changed_body():
    body = b'{"id":"x","type":"ping","created":"2026-01-01T00:00:00+00:00","data":{}}'
    now = int(time.time())
    assert webhooks.verify_signature("s3cret", webhooks.sign("s3cret", body), body) >= now
    old = webhooks.sign("s3cret", body, timestamp=now - 301)
    with pytest.raises(webhooks.SignatureError, match="tolerance"):
        webhooks.verify_signature("s3cret", old, body)
    assert webhooks.verify_signature("s3cret", old, body, tolerance=600) == now - 301
    with pytest.raises(webhooks.SignatureError):
        webhooks.verify_signature("other", webhooks.sign("s3cret", body), body)
    with pytest.raises(webhooks.SignatureError):
        webhooks.verify_signature("s3cret", webhooks.sign("s3cret", body), body + b" ")
    with pytest.raises(webhooks.SignatureError, match="malformed"):
        webhooks.verify_signature("s3cret", "v1=abc", body)


# --- The desk -------------------------------------------------------------------------------
def test_a_reviewer_adds_a_webhook_and_sees_its_secret(allow_private, client, reviewer, receiver):
    client.force_login(reviewer)
    assert (
        reverse("claims:desk-webhooks") in client.get(reverse("claims:account")).content.decode()
    )
    response = client.post(
        reverse("claims:desk-webhooks"),
        {
            "url": receiver.url,
            "events": ["claim.published", "article.changed"],
            "description": "<b>CMS</b>",
        },
    )
    webhook = Webhook.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("claims:desk-webhook", args=[webhook.pk])
    assert webhook.owner == reviewer
    assert webhook.events == ["claim.published", "article.changed"]
    assert len(webhook.secret) >= 43
    page = client.get(response.url).content.decode()
    assert webhook.secret in page
    assert "&lt;b&gt;CMS&lt;/b&gt;" in page
    assert "<b>CMS</b>" not in page
    old = webhook.secret
    client.post(reverse("claims:desk-webhook-rotate", args=[webhook.pk]))
    webhook.refresh_from_db()
    assert webhook.secret != old


def test_unknown_events_are_refused_in_words(allow_private, client, reviewer, receiver):
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:desk-webhooks"), {"url": receiver.url, "events": ["claim.drafted"]}
    )
    assert response.status_code == 422
    assert not Webhook.objects.exists()
    assert "is not one of the available choices" in response.content.decode()


def test_an_editor_may_not_manage_webhooks(client, editor):
    client.force_login(editor)
    assert (
        reverse("claims:desk-webhooks")
        not in client.get(reverse("claims:account")).content.decode()
    )
    assert client.get(reverse("claims:desk-webhooks")).status_code == 403
    response = client.post(
        reverse("claims:desk-webhooks"),
        {"url": "https://example.org/hook", "events": ["claim.published"]},
    )
    assert response.status_code == 403
    assert not Webhook.objects.exists()


def test_another_reviewers_webhook_is_not_found(client, reviewer, reviewer2, superuser):
    webhook = Webhook.objects.create(
        owner=reviewer, url="https://example.org/hook", events=["claim.published"]
    )
    client.force_login(reviewer2)
    assert client.get(reverse("claims:desk-webhook", args=[webhook.pk])).status_code == 404
    for name in ("desk-webhook-rotate", "desk-webhook-delete", "desk-webhook-ping"):
        assert client.post(reverse(f"claims:{name}", args=[webhook.pk])).status_code == 404
    assert webhook.url not in client.get(reverse("claims:desk-webhooks")).content.decode()
    assert Webhook.objects.filter(pk=webhook.pk, secret=webhook.secret).exists()
    # A superuser sees every webhook, but the secret only its owner.
    client.force_login(superuser)
    page = client.get(reverse("claims:desk-webhook", args=[webhook.pk]))
    assert page.status_code == 200
    assert webhook.secret not in page.content.decode()


def test_the_admin_lists_deliveries_for_superusers_and_replays_one(
    allow_private,
    client,
    superuser,
    moderator,
    reviewer,
    receiver,
    django_capture_on_commit_callbacks,
):
    webhook = _webhook(reviewer, receiver)
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="ping", payload={"a": 1})
    client.force_login(moderator)
    assert client.get(reverse("admin:claims_webhookdelivery_changelist")).status_code == 403
    client.force_login(superuser)
    assert client.get(reverse("admin:claims_webhookdelivery_changelist")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:claims_webhookdelivery_changelist"),
            {"action": "replay", "_selected_action": [delivery.pk]},
        )
    run_tasks()
    replay = WebhookDelivery.objects.get(replay_of=delivery)
    assert replay.status == "delivered"
    assert _verified(receiver.requests[-1], webhook.secret)["data"] == {"a": 1}
