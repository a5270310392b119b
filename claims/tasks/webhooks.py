"""Webhook deliveries: the ``post_save`` hooks that turn public events into deliveries
(connected in ``claims.apps``), and the task that sends one, signed, through the fetch
guard, tried again with backoff (docs/api.md, "Webhooks").

Events and their sources:

- ``claim.published`` / ``claim.corrected`` / ``claim.unpublished``: a ``ClaimEvent``
  ``published`` without / with a correction, ``unpublished``;
- ``article.published`` / ``article.unpublished``: an article's history record with the
  change reason of ``Article._make_public`` (``published:…``) or ``unpublish``;
- ``article.changed``: a new revision of a public article's text fetched from its address
  (the article watch, ``claims/tasks/watch.py``, or a re-fetch on the desk).

The payload is built once the write is committed, from what readers can see then, and
kept with each delivery, so a retry or a replay sends the same data (signed anew).
"""

import logging
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from claims import services, webhooks
from claims.importing import fetch
from claims.importing.errors import FetchError
from claims.models import Article, ArticleRevision, ClaimEvent, Webhook, WebhookDelivery
from claims.models.webhooks import WebhookEvent
from claims.tasks.base import background_task, events_start_tasks

logger = logging.getLogger("claims.tasks")

#: Tries after the first: with the default 30 s base delay the last is about two hours
#: after the first (30 s, 1, 2, 4, 8, 16, 32, 64 min).
WEBHOOK_RETRIES = 8
# Refusals that no later try can change: the address itself is not allowed.
_FINAL = frozenset({"invalid_url", "unsupported_scheme", "credentials", "forbidden_address"})


class DeliveryFailed(Exception):
    """The receiver did not accept the delivery (try again later)."""


# --- Events → deliveries --------------------------------------------------------------------
def dispatch(event: str, data: dict) -> int:
    """One delivery per subscribed webhook, each sent by its own task; how many."""
    deliveries = services.deliveries_create(event=event, data=data)
    for delivery in deliveries:
        deliver_webhook.enqueue(str(delivery.pk))
    return len(deliveries)


def _later(fire, *args) -> None:
    """Run ``fire(*args)`` once the current write is committed, if anyone listens."""
    if events_start_tasks():
        transaction.on_commit(partial(_if_listened, fire, *args))


def _if_listened(fire, *args) -> None:
    if Webhook.objects.filter(is_active=True).exists():
        fire(*args)


def _claim_event_name(event: ClaimEvent) -> str | None:
    if event.kind == ClaimEvent.Kind.PUBLISHED:
        return (
            WebhookEvent.CLAIM_CORRECTED if event.correction_id else WebhookEvent.CLAIM_PUBLISHED
        )
    if event.kind == ClaimEvent.Kind.UNPUBLISHED:
        return WebhookEvent.CLAIM_UNPUBLISHED
    return None


def on_claim_event(sender, instance: ClaimEvent, created: bool, raw: bool = False, **kwargs):
    """``post_save`` of ``ClaimEvent``: a claim published, corrected or unpublished."""
    if created and not raw and _claim_event_name(instance):
        _later(_fire_claim_event, instance.pk)


def _fire_claim_event(event_pk: int) -> None:
    event = (
        ClaimEvent.objects.select_related("claim__rating", "correction")
        .filter(pk=event_pk)
        .first()
    )
    name = event and _claim_event_name(event)
    if not name:
        return
    claim = event.claim
    if name != WebhookEvent.CLAIM_UNPUBLISHED and claim.status != claim.Status.PUBLISHED:
        return  # public data only: it is not public (any more)
    dispatch(name, webhooks.claim_data(claim, name, event.correction))


def on_article_history(sender, instance: Article, history_change_reason=None, **kwargs):
    """``post_create_historical_record`` of ``Article``: published or unpublished (the
    change reasons the article's lifecycle methods write)."""
    reason = str(history_change_reason or "")
    if reason.startswith("published:") and instance.status == Article.Status.PUBLISHED:
        _later(_fire_article, instance.pk, WebhookEvent.ARTICLE_PUBLISHED)
    elif reason == "unpublished" and instance.status == Article.Status.WITHDRAWN:
        _later(_fire_article, instance.pk, WebhookEvent.ARTICLE_UNPUBLISHED)


def on_revision(sender, instance: ArticleRevision, created: bool, raw: bool = False, **kwargs):
    """``post_save`` of ``ArticleRevision``: the publisher's changed text, fetched again."""
    if (
        created
        and not raw
        and instance.origin == ArticleRevision.Origin.URL
        and instance.number > 1
    ):
        _later(_fire_article_changed, instance.pk)


def _fire_article(article_pk: int, name: str) -> None:
    article = Article.objects.select_related("current_revision").filter(pk=article_pk).first()
    if article is None:
        return
    public = article.status == Article.Status.PUBLISHED
    if public != (name != WebhookEvent.ARTICLE_UNPUBLISHED):
        return  # changed again since: its own event follows
    dispatch(name, webhooks.article_data(article, name))


def _fire_article_changed(revision_pk: int) -> None:
    revision = ArticleRevision.objects.select_related("article").filter(pk=revision_pk).first()
    if revision is None:
        return
    article = revision.article
    if article.status != Article.Status.PUBLISHED or article.current_revision_id != revision.pk:
        return
    article.current_revision = revision
    name = WebhookEvent.ARTICLE_CHANGED
    dispatch(name, webhooks.article_data(article, name))


# --- Sending ----------------------------------------------------------------------------------
def _give_up(delivery_pk: str) -> None:
    services.delivery_give_up(delivery_pk=delivery_pk)


@background_task(retries=WEBHOOK_RETRIES, on_give_up=_give_up)
def deliver_webhook(delivery_pk: str) -> dict:
    """POST one delivery, signed now, to its webhook's address through the fetch guard
    (checked again at each try: the name may point elsewhere by now). A 2xx answer
    delivers it; another status or no answer is noted and raised, so the task is tried
    again later; after the last try the delivery has failed. An address the guard
    refuses fails at once: no later try would be allowed either."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_pk).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return {"delivered": False, "skipped": True}
    if not delivery.webhook.is_active:
        services.delivery_give_up(
            delivery_pk=delivery.pk, error=_("The webhook was paused before it was sent.")
        )
        return {"delivered": False, "paused": True}
    body = webhooks.body_of(delivery)
    try:
        result = fetch.post(delivery.webhook.url, body, webhooks.headers_for(delivery, body))
    except FetchError as error:
        services.delivery_record_try(
            delivery=delivery, status_code=None, response="", error=error.message
        )
        if error.code in _FINAL:
            services.delivery_give_up(delivery_pk=delivery.pk)
            return {"delivered": False, "refused": error.code}
        raise DeliveryFailed(error.code) from error
    ok = 200 <= result.status < 300
    error = (
        ""
        if ok
        else _("The receiver answered with HTTP status %(status)s.") % {"status": result.status}
    )
    services.delivery_record_try(
        delivery=delivery, status_code=result.status, response=result.text, error=error
    )
    if not ok:
        raise DeliveryFailed(f"HTTP {result.status}")
    return {"delivered": True, "status": result.status}
