"""Webhooks on the desk (docs/api.md, "Webhooks"): a reviewer's list of webhooks and the
form to add one, a webhook's page (its secret, its last deliveries) and its buttons:
test ping, pause/resume, rotate the secret, delete, replay a delivery. Someone else's
webhook is not found (404); users who may not publish get 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from claims import services
from claims.forms.webhooks import WebhookForm
from claims.models import Webhook, WebhookDelivery, WorkflowError
from claims.tasks import enqueue_on_commit
from claims.tasks.webhooks import deliver_webhook
from claims.views.access import desk_required
from claims.views.responses import error_response, refusal_status

#: Deliveries shown on a webhook's page.
SHOWN_DELIVERIES = 50


def _require_manager(user) -> None:
    if not services.may_manage_webhooks(user):
        raise PermissionDenied(_("Only reviewers manage webhooks."))


def _webhook_for(user, pk: int) -> Webhook:
    _require_manager(user)
    return get_object_or_404(Webhook.objects.visible_to(user), pk=pk)


def _refused(request: HttpRequest, refusal: WorkflowError) -> HttpResponse:
    if refusal.code == "not_found":
        raise Http404(refusal.message)
    return error_response(request, refusal.message, refusal_status(refusal.code))


@require_http_methods(["GET", "HEAD", "POST"])
@desk_required
def webhook_list(request: HttpRequest) -> HttpResponse:
    """The user's webhooks (everyone's for a superuser) and the form to add one."""
    _require_manager(request.user)
    form = WebhookForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                webhook = services.webhook_create(
                    user=request.user,
                    url=form.cleaned_data["url"],
                    events=form.cleaned_data["events"],
                    description=form.cleaned_data["description"],
                )
            except (WorkflowError, ValidationError) as refusal:
                form.add_error(None, getattr(refusal, "message", str(refusal)))
            else:
                messages.success(
                    request,
                    _(
                        "The webhook was added. Its secret is on its page: your system "
                        "checks every delivery's signature with it."
                    ),
                )
                return redirect("claims:desk-webhook", pk=webhook.pk)
        status = 422
    webhooks = Webhook.objects.visible_to(request.user).select_related("owner")
    return render(
        request, "claims/desk/webhooks.html", {"form": form, "webhooks": webhooks}, status=status
    )


@require_safe
@never_cache  # the secret: never in a browser's or a proxy's cache
@desk_required
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A webhook: its address, events and secret, and its last deliveries."""
    webhook = _webhook_for(request.user, pk)
    deliveries = list(webhook.deliveries.order_by("-created_at")[:SHOWN_DELIVERIES])
    return render(
        request,
        "claims/desk/webhook.html",
        {"webhook": webhook, "deliveries": deliveries, "shown": len(deliveries)},
    )


@require_POST
@desk_required
def webhook_ping(request: HttpRequest, pk: int) -> HttpResponse:
    webhook = _webhook_for(request.user, pk)
    try:
        delivery = services.webhook_ping(webhook=webhook, user=request.user)
    except WorkflowError as refusal:
        return _refused(request, refusal)
    enqueue_on_commit(deliver_webhook, str(delivery.pk))
    messages.success(request, _("A test delivery (ping) is on its way; reload to see it."))
    return redirect("claims:desk-webhook", pk=webhook.pk)


@require_POST
@desk_required
def webhook_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause (``active=0``) or resume (``active=1``) the webhook."""
    webhook = _webhook_for(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        services.webhook_set_active(webhook=webhook, user=request.user, active=active)
    except WorkflowError as refusal:
        return _refused(request, refusal)
    if active:
        messages.success(request, _("The webhook is active again."))
    else:
        messages.success(request, _("The webhook is paused: nothing is sent to it."))
    return redirect("claims:desk-webhook", pk=webhook.pk)


@require_POST
@desk_required
def webhook_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    webhook = _webhook_for(request.user, pk)
    try:
        services.webhook_rotate_secret(webhook=webhook, user=request.user)
    except WorkflowError as refusal:
        return _refused(request, refusal)
    messages.warning(
        request,
        _(
            "The webhook has a new secret. Give it to your system now: deliveries are "
            "signed with it from now on, and the old one no longer verifies."
        ),
    )
    return redirect("claims:desk-webhook", pk=webhook.pk)


@require_POST
@desk_required
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    webhook = _webhook_for(request.user, pk)
    shown = str(webhook)
    try:
        services.webhook_delete(webhook=webhook, user=request.user)
    except WorkflowError as refusal:
        return _refused(request, refusal)
    messages.success(request, _("The webhook “%(webhook)s” was deleted.") % {"webhook": shown})
    return redirect("claims:desk-webhooks")


@require_POST
@desk_required
def webhook_replay(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a delivery (``delivery``: its id) again: a new delivery, signed anew."""
    webhook = _webhook_for(request.user, pk)
    try:
        delivery = webhook.deliveries.get(pk=request.POST.get("delivery", ""))
    except (WebhookDelivery.DoesNotExist, ValidationError, ValueError):
        raise Http404(_("This delivery does not exist.")) from None
    try:
        replay = services.delivery_replay(delivery=delivery, user=request.user)
    except WorkflowError as refusal:
        return _refused(request, refusal)
    enqueue_on_commit(deliver_webhook, str(replay.pk))
    messages.success(request, _("The delivery is sent again; reload to see the new try."))
    return redirect("claims:desk-webhook", pk=webhook.pk)
