"""Webhooks: addresses of a newsroom's systems (its CMS) that hear of public events, and
the log of every delivery to them (docs/api.md, "Webhooks"). What a payload holds and how
it is signed is in ``claims.webhooks``; the sending in ``claims.tasks.webhooks``."""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from claims.models.base import WebURLField, web_url_check


class WebhookEvent(models.TextChoices):
    """The events a webhook may subscribe to: only what readers can see happen."""

    CLAIM_PUBLISHED = "claim.published", _("A claim is published")
    CLAIM_CORRECTED = "claim.corrected", _("A correction to a published claim is published")
    CLAIM_UNPUBLISHED = "claim.unpublished", _("A claim is unpublished")
    ARTICLE_PUBLISHED = "article.published", _("An article is published")
    ARTICLE_UNPUBLISHED = "article.unpublished", _("An article is unpublished")
    ARTICLE_CHANGED = "article.changed", _("The publisher changed a public article")


#: The event of a test delivery sent from the desk; never subscribed to.
PING = "ping"


def new_secret() -> str:
    """A webhook's signing secret: 32 random bytes, URL-safe base64."""
    return secrets.token_urlsafe(32)


def validate_events(value: object) -> None:
    """A list of known event names, at least one, no repeats."""
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one event."), code="no_events")
    unknown = [name for name in value if name not in WebhookEvent.values]
    if unknown or len(set(value)) != len(value):
        raise ValidationError(
            _("Unknown or repeated events: %(events)s."),
            params={"events": ", ".join(map(str, unknown or value))},
            code="unknown_event",
        )


class WebhookQuerySet(models.QuerySet):
    def subscribed(self, event: str) -> list["Webhook"]:
        """Active webhooks that asked for ``event``."""
        # JSON containment differs between databases (SQLite has none): filtered here.
        return [webhook for webhook in self.filter(is_active=True) if event in webhook.events]

    def visible_to(self, user) -> "WebhookQuerySet":
        """A user's own webhooks; a superuser's, everyone's."""
        return self if user.is_superuser else self.filter(owner=user)


class Webhook(models.Model):
    """An address that gets a signed POST for each event it subscribed to."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="webhooks",
    )
    url = WebURLField(_("address"), max_length=2000)
    events = models.JSONField(_("events"), default=list, validators=[validate_events])
    secret = models.CharField(_("secret"), max_length=100, default=new_secret, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = WebhookQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        constraints = [web_url_check("url", "webhook_url_web")]

    def __str__(self) -> str:
        return self.description or self.url

    def wants(self, event: str) -> bool:
        return self.is_active and event in self.events

    def events_in_words(self) -> list[str]:
        labels = dict(WebhookEvent.choices)
        return [str(labels.get(name, name)) for name in self.events]


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one webhook, with what its last try got back."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    webhook = models.ForeignKey(
        Webhook, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tries"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True)
    last_response = models.TextField(_("last response"), blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    replay_of = models.ForeignKey(
        "self",
        verbose_name=_("replay of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replays",
    )

    #: Characters of a response body kept.
    RESPONSE_EXCERPT = 2000

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.id})"
