"""Webhooks' writes: registering, rotating, deactivating and deleting a webhook (its owner
on the desk), the deliveries of an event, a test ping and a replay, and what each try of
a delivery got back (the delivery task, ``claims/tasks/webhooks.py``). The caller
enqueues the deliveries these return; nothing here sends."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Webhook, WebhookDelivery, WorkflowError
from claims.models.webhooks import PING, new_secret, validate_events
from claims.roles import may
from claims.webhooks import ping_data


def may_manage_webhooks(user) -> bool:
    """Webhooks announce what readers see: those who decide it (reviewers, who may
    publish) and superusers register them."""
    return may(user, "publish")


def _check(user, webhook: Webhook | None = None) -> None:
    if not may_manage_webhooks(user):
        raise WorkflowError(_("Only reviewers manage webhooks."), "forbidden")
    if webhook is not None and not user.is_superuser and webhook.owner_id != user.pk:
        raise WorkflowError(_("This webhook is someone else’s."), "not_found")


def webhook_create(*, user, url: str, events: list[str], description: str = "") -> Webhook:
    """A new active webhook of ``user``'s with a fresh secret. The address must have
    passed the fetch guard already (the form checks it; the task checks it again)."""
    _check(user)
    validate_events(list(events))
    return Webhook.objects.create(
        owner=user, url=url, events=list(events), description=description.strip()
    )


def webhook_rotate_secret(*, webhook: Webhook, user) -> str:
    """A new secret; the old one signs nothing from now on. Returns the new secret."""
    _check(user, webhook)
    webhook.secret = new_secret()
    webhook.save(update_fields=["secret"])
    return webhook.secret


def webhook_set_active(*, webhook: Webhook, user, active: bool) -> None:
    """Pause (no deliveries, waiting ones are not sent) or resume a webhook."""
    _check(user, webhook)
    webhook.is_active = active
    webhook.save(update_fields=["is_active"])


def webhook_delete(*, webhook: Webhook, user) -> None:
    """Delete the webhook with its log of deliveries."""
    _check(user, webhook)
    webhook.delete()


def webhook_ping(*, webhook: Webhook, user) -> WebhookDelivery:
    """A test delivery (event ``ping``) to an active webhook; the caller enqueues it."""
    _check(user, webhook)
    if not webhook.is_active:
        raise WorkflowError(_("The webhook is paused; resume it first."), "status")
    return WebhookDelivery.objects.create(
        webhook=webhook, event=PING, payload=ping_data(webhook.pk)
    )


def delivery_replay(*, delivery: WebhookDelivery, user) -> WebhookDelivery:
    """A new delivery of the same event and payload (signed anew when it is sent),
    recorded as a replay of ``delivery``; the caller enqueues it."""
    _check(user, delivery.webhook)
    if not delivery.webhook.is_active:
        raise WorkflowError(_("The webhook is paused; resume it first."), "status")
    return WebhookDelivery.objects.create(
        webhook=delivery.webhook,
        event=delivery.event,
        payload=delivery.payload,
        replay_of=delivery,
    )


@transaction.atomic
def deliveries_create(*, event: str, data: dict) -> list[WebhookDelivery]:
    """One pending delivery of ``event`` per active webhook subscribed to it."""
    return [
        WebhookDelivery.objects.create(webhook=webhook, event=event, payload=data)
        for webhook in Webhook.objects.subscribed(event)
    ]


def delivery_record_try(
    *, delivery: WebhookDelivery, status_code: int | None, response: str, error: str
) -> None:
    """Note one try: its status (None: no answer), the answer's start, the problem in
    words. A 2xx answer delivers; anything else leaves the delivery waiting for the
    next try."""
    delivered = status_code is not None and 200 <= status_code < 300
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=F("attempts") + 1,
        last_status_code=status_code,
        last_response=response[: WebhookDelivery.RESPONSE_EXCERPT],
        last_error=error,
        status=WebhookDelivery.Status.DELIVERED if delivered else WebhookDelivery.Status.PENDING,
        delivered_at=timezone.now() if delivered else None,
    )


def delivery_give_up(*, delivery_pk, error: str = "") -> None:
    """The last try failed (or the delivery may not be sent at all): failed for good."""
    changes = {"status": WebhookDelivery.Status.FAILED}
    if error:
        changes["last_error"] = error
    WebhookDelivery.objects.filter(pk=delivery_pk).exclude(
        status=WebhookDelivery.Status.DELIVERED
    ).update(**changes)
