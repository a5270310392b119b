"""Webhooks and their deliveries, read-only, for superusers; a delivery can be replayed
(a new delivery of the same payload, signed anew). Webhooks are managed on the desk."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from claims import services
from claims.admin.base import ReadOnlyAdmin
from claims.models import Webhook, WebhookDelivery, WorkflowError
from claims.tasks import enqueue_on_commit
from claims.tasks.webhooks import deliver_webhook


class SuperusersOnly:
    """Webhook addresses and what receivers answered are for administrators only."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(Webhook)
class WebhookAdmin(SuperusersOnly, ReadOnlyAdmin):
    list_display = ["__str__", "url", "owner", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "description", "owner__username"]
    fields = ["owner", "url", "events", "description", "is_active", "created_at"]
    readonly_fields = fields


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(SuperusersOnly, ReadOnlyAdmin):
    list_display = [
        "event",
        "webhook",
        "status",
        "attempts",
        "last_status_code",
        "created_at",
        "delivered_at",
    ]
    list_filter = ["status", "event"]
    search_fields = ["event", "webhook__url", "webhook__description"]
    list_select_related = ["webhook"]
    date_hierarchy = "created_at"
    actions = ["replay"]
    fields = [
        "id",
        "webhook",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "last_response",
        "payload",
        "created_at",
        "delivered_at",
        "replay_of",
    ]
    readonly_fields = fields

    def has_replay_permission(self, request) -> bool:
        return request.user.is_superuser

    @admin.action(description=_("Replay the chosen deliveries"), permissions=["replay"])
    def replay(self, request, queryset) -> None:
        sent = refused = 0
        for delivery in queryset.select_related("webhook"):
            try:
                replay = services.delivery_replay(delivery=delivery, user=request.user)
            except WorkflowError:
                refused += 1
                continue
            enqueue_on_commit(deliver_webhook, str(replay.pk))
            sent += 1
        if sent:
            self.message_user(
                request,
                ngettext(
                    "%(count)d delivery is sent again.",
                    "%(count)d deliveries are sent again.",
                    sent,
                )
                % {"count": sent},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d delivery was not replayed: its webhook is paused.",
                    "%(count)d deliveries were not replayed: their webhooks are paused.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )
