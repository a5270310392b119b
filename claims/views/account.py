"""Account pages: the sign-in lockout page, the code step of signing in, the second factor
(set up, recovery codes, remove), the password change, email preferences, the password
reset by email, and API tokens (desk users only).

Every signed-in user reaches them, not only the desk's roles: moderators, who work in the
admin, change their password and set up their second factor here too.
"""

import base64
import math
from datetime import timedelta

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import (
    PasswordChangeView,
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
    redirect_to_login,
)
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims import abuse, tokens
from claims.account_forms import (
    ApiTokenForm,
    ConfirmPasswordForm,
    DeskPasswordChangeForm,
    DeskPasswordResetForm,
    DeskSetPasswordForm,
    EmailPreferencesForm,
    EnrolForm,
    SignInCodeForm,
)
from claims.models import ApiToken, DeskProfile
from claims.permissions import can_use_desk
from claims.services import may_manage_webhooks
from claims.signin import has_second_factor, log_second_factor, two_factor_required
from claims.tasks import enqueue_on_commit
from claims.tasks.email import send_password_reset
from claims.views.access import desk_required, get_token_for_user
from claims.views.responses import safe_next

RECOVERY_CODE_COUNT = 10
_SESSION_CODES = "factcheck_recovery_codes"
_SESSION_NEXT = "factcheck_recovery_next"


# --- Lockout ----------------------------------------------------------------------------
def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a sign-in while the account or the client is locked out
    (``AXES_LOCKOUT_CALLABLE``): 429 with a page that says when to try again."""
    cool_off = settings.AXES_COOLOFF_TIME
    minutes = math.ceil(cool_off.total_seconds() / 60)
    response = render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "until": timezone.localtime() + cool_off},
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


# --- Where to go next -----------------------------------------------------------------
def _landing(user) -> str:
    if can_use_desk(user):
        return reverse("claims:desk")
    if user.is_staff:
        return reverse("admin:index")
    return reverse("claims:account")


def _next_url(request: HttpRequest, value: str | None = None) -> str:
    """The ``next`` address if it stays on this site, else the user's landing page."""
    target = value if value is not None else request.POST.get("next") or request.GET.get("next")
    return safe_next(request, target) or _landing(request.user)


# --- The code step of signing in --------------------------------------------------------
@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the authenticator app, or a recovery code."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = _next_url(request)
    if user.is_verified() or not has_second_factor(user):
        return redirect(next_url)
    form = SignInCodeForm(user, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            otp_login(request, form.device)
            if isinstance(form.device, StaticDevice):
                left = form.device.token_set.count()
                log_second_factor(request, f"code accepted (recovery code, {left} left)")
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code; %(count)d is left. "
                        "Set up your authenticator app again to get new ones.",
                        "You signed in with a recovery code; %(count)d are left. "
                        "Set up your authenticator app again to get new ones.",
                        left,
                    )
                    % {"count": left},
                )
            else:
                log_second_factor(request, "code accepted")
            return redirect(next_url)
        log_second_factor(request, "wrong code")
        status = 422
    return render(
        request, "account/login_code.html", {"form": form, "next": next_url}, status=status
    )


# --- The account page ---------------------------------------------------------------------
@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    totp = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    recovery_left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return render(
        request,
        "account/account.html",
        {
            "totp": totp,
            "recovery_left": recovery_left,
            "two_factor_required": two_factor_required(user),
            "may_manage_webhooks": may_manage_webhooks(user),
        },
    )


# --- Setting up the second factor ---------------------------------------------------------
def _qr_data_uri(device: TOTPDevice) -> str:
    """The QR code of the device's ``otpauth://`` address, as an SVG data: URI made here
    (the page's CSP allows ``img-src data:``; nothing goes to another service)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def _manual_key(device: TOTPDevice) -> str:
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@never_cache
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the QR code (or type the key), confirm with a first
    code; then the recovery codes are shown once."""
    user = request.user
    next_url = _next_url(request)
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        messages.info(
            request,
            _(
                "Two-factor sign-in is already on. To use another phone, remove it first, "
                "then set it up again."
            ),
        )
        return redirect("claims:account")
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    form = EnrolForm(device, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            codes = _activate(user, device)
            otp_login(request, device)
            log_second_factor(request, "set up")
            request.session[_SESSION_CODES] = codes
            request.session[_SESSION_NEXT] = next_url
            return redirect("claims:account-recovery-codes")
        log_second_factor(request, "wrong code while setting up")
        status = 422
    return render(
        request,
        "account/two_factor_setup.html",
        {
            "form": form,
            "qr_code": _qr_data_uri(device),
            "manual_key": _manual_key(device),
            "issuer": settings.OTP_TOTP_ISSUER,
            "next": request.POST.get("next") or request.GET.get("next") or "",
            "required": two_factor_required(user),
        },
        status=status,
    )


@transaction.atomic
def _activate(user, device: TOTPDevice) -> list[str]:
    """Confirm ``device`` as the user's only app and give them new recovery codes."""
    device.confirmed = True
    device.save()
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, once: they leave the session as they are shown."""
    codes = request.session.pop(_SESSION_CODES, None)
    next_url = _next_url(request, request.session.pop(_SESSION_NEXT, ""))
    if not codes:
        messages.info(
            request,
            _(
                "Recovery codes are shown only once, right after setting up. To get new "
                "ones, remove two-factor sign-in and set it up again."
            ),
        )
        return redirect("claims:account")
    return render(request, "account/recovery_codes.html", {"codes": codes, "next": next_url})


@never_cache
@login_required
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    """Turn the second factor off (after the password): the app and the recovery codes."""
    user = request.user
    if not has_second_factor(user) and not TOTPDevice.objects.filter(user=user).exists():
        return redirect("claims:account")
    form = ConfirmPasswordForm(request, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user).delete()
                StaticDevice.objects.filter(user=user).delete()
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
            log_second_factor(request, "removed")
            if two_factor_required(user):
                messages.warning(
                    request,
                    _(
                        "Two-factor sign-in is off. Your role requires it: set up your "
                        "authenticator app again to go on."
                    ),
                )
                return redirect("claims:account-two-factor-setup")
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("claims:account")
        status = 422
    return render(
        request,
        "account/two_factor_remove.html",
        {"form": form, "required": two_factor_required(user)},
        status=status,
    )


# --- Password -----------------------------------------------------------------------------
class InvalidIs422:
    """For Django's form views: a form sent back with errors answers 422, like every
    form of the desk (tests and htmx tell a refused form from a page by it)."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 422
        return response


@method_decorator(never_cache, name="dispatch")
class PasswordChange(InvalidIs422, PasswordChangeView):
    """Django's password change in the desk's layout. The session stays signed in (and
    verified); the old password is checked like a sign-in, lockout included."""

    template_name = "account/password_change.html"
    form_class = DeskPasswordChangeForm
    success_url = reverse_lazy("claims:account")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is changed."))
        return response


# --- Email --------------------------------------------------------------------------------
@never_cache
@login_required
def email_preferences(request: HttpRequest) -> HttpResponse:
    """Which emails the user gets, how often, in which language (``DeskProfile``)."""
    # A GET writes nothing: the profile is saved with the first preferences sent.
    profile = DeskProfile.objects.filter(user=request.user).first() or DeskProfile(
        user=request.user
    )
    form = EmailPreferencesForm(request.POST or None, instance=profile)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your email preferences are saved."))
            return redirect("claims:account-email")
        status = 422
    return render(request, "account/email_preferences.html", {"form": form}, status=status)


# --- API tokens -------------------------------------------------------------------------
@never_cache
@desk_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens and the form for a new one. The new token's raw value is in
    this one answer only (no redirect, session or message carries it), and the answer is
    not stored by any cache (``never_cache``: ``Cache-Control: no-store``)."""
    user = request.user
    form = ApiTokenForm(user, request.POST or None)
    status, new_token, raw = 200, None, ""
    if request.method == "POST":
        if form.is_valid():
            new_token, raw = tokens.issue_token(
                user,
                form.cleaned_data["name"],
                form.cleaned_data["scopes"],
                timedelta(days=form.cleaned_data["lifetime"]),
            )
            form = ApiTokenForm(user)
        else:
            status = 422
    return render(
        request,
        "account/api_tokens.html",
        {
            "form": form,
            "tokens": ApiToken.objects.filter(user=user).select_related("revoked_by"),
            "new_token": new_token,
            "raw_token": raw,
        },
        status=status,
    )


@never_cache
@desk_required
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of one's tokens: a confirmation (GET), then the revocation (POST)."""
    token = get_token_for_user(request.user, pk)
    if request.method == "POST":
        if tokens.revoke(token, by=request.user):
            messages.success(
                request,
                _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name},
            )
        else:
            messages.info(
                request, _("The token “%(name)s” was already revoked.") % {"name": token.name}
            )
        return redirect("claims:account-tokens")
    return render(request, "account/api_token_revoke.html", {"token": token})


# --- Password reset by email ---------------------------------------------------------------
# Emails to one address per hour, however many clients ask: beyond, the same answer and
# no email (nobody can fill someone's inbox).
RESET_EMAILS_PER_ADDRESS = 3


def _rate_identity(kind: str, value: str) -> str:
    return salted_hmac(f"claims.password-reset.{kind}", value, algorithm="sha256").hexdigest()


@method_decorator(never_cache, name="dispatch")
class PasswordReset(InvalidIs422, PasswordResetView):
    """Django's "forgot your password" page. The answer is the same whether or not an
    account has the address; the link is sent by a task, never in the request. A client
    that asks too often gets a 429 (``FACTCHECK_PASSWORD_RESET_LIMIT`` per hour)."""

    template_name = "registration/password_reset_form.html"
    form_class = DeskPasswordResetForm
    success_url = reverse_lazy("claims:password-reset-done")

    def form_valid(self, form):
        client = abuse.hit(
            _rate_identity("client", abuse.client_hash(self.request)),
            limit=settings.FACTCHECK_PASSWORD_RESET_LIMIT,
            window=3600,
        )
        if not client.allowed:
            response = render(
                self.request,
                "registration/password_reset_too_many.html",
                {"decision": client},
                status=429,
            )
            response["Retry-After"] = str(client.retry_after)
            return response
        email = form.cleaned_data["email"]
        address = abuse.hit(
            _rate_identity("address", email.strip().lower()),
            limit=RESET_EMAILS_PER_ADDRESS,
            window=3600,
        )
        if address.allowed:
            for user in form.get_users(email):
                # The token is made in the task: a task's arguments are stored (and shown
                # to administrators), a reset token must not be.
                enqueue_on_commit(send_password_reset, user.pk, translation.get_language())
        return redirect(self.success_url)


class PasswordResetDone(PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


@method_decorator(never_cache, name="dispatch")
class PasswordResetConfirm(InvalidIs422, PasswordResetConfirmView):
    """The link from the email: a new password (twice). A used or stale link says so."""

    template_name = "registration/password_reset_confirm.html"
    form_class = DeskSetPasswordForm
    success_url = reverse_lazy("claims:password-reset-complete")


class PasswordResetComplete(PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
