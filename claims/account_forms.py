"""Forms of the account pages: the code step at sign-in, setting up an authenticator app,
confirming the password before the second factor is removed, email preferences, the
password reset by email, and a new API token."""

import re

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims.emails import may_receive
from claims.forms.layout import FieldsOnly
from claims.models import ApiToken, DeskProfile, EmailFrequency, EmailKind
from claims.tokens import default_lifetime, lifetime_choices

_SEPARATORS = re.compile(r"[\s\-]+")
_TOTP_CODE = re.compile(r"\d{6}")


def _normalise(code: str) -> str:
    """Codes as people type them: spaces and dashes dropped, any case."""
    return _SEPARATORS.sub("", code or "").lower()


def _throttled(device) -> str | None:
    """The sentence for a device that refuses codes for a while after wrong ones."""
    allowed, details = device.verify_is_allowed()
    if allowed or not details or "locked_until" not in details:
        return None
    seconds = max(1, int((details["locked_until"] - timezone.now()).total_seconds()) + 1)
    return ngettext(
        "Too many wrong codes. Wait %(seconds)d second and try again.",
        "Too many wrong codes. Wait %(seconds)d seconds and try again.",
        seconds,
    ) % {"seconds": seconds}


class _CodeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            max_length=32,
            strip=True,
            widget=forms.TextInput(
                attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "size": 12}
            ),
            **kwargs,
        )


class SignInCodeForm(FieldsOnly, forms.Form):
    """The second step of signing in: a code from the app, or a recovery code.

    Six digits go to the authenticator app's device, anything else to the recovery codes,
    so a mistyped code of one kind never counts against the other's throttle.
    """

    code = _CodeField(
        label=_("Code"),
        help_text=_(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        ),
        error_messages={"required": _("Enter the code from your authenticator app.")},
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        self.device = None
        super().__init__(*args, **kwargs)

    def clean_code(self) -> str:
        code = _normalise(self.cleaned_data["code"])
        model = TOTPDevice if _TOTP_CODE.fullmatch(code) else StaticDevice
        devices = list(model.objects.devices_for_user(self.user, confirmed=True))
        for device in devices:
            waiting = _throttled(device)
            if waiting:
                raise forms.ValidationError(waiting, code="throttled")
        for device in devices:
            self.device = verify_token(self.user, device.persistent_id, code)
            if self.device is not None:
                return code
        if model is StaticDevice:
            raise forms.ValidationError(
                _("This is not one of your recovery codes, or it was used already."),
                code="invalid",
            )
        raise forms.ValidationError(
            _("This code is not right. Check the time on your phone, then try the next code."),
            code="invalid",
        )


class EnrolForm(FieldsOnly, forms.Form):
    """Setting up an authenticator app: its first code proves it holds the key."""

    code = _CodeField(
        label=_("Code from the app"),
        help_text=_("After adding the account, type the 6-digit code the app shows."),
        error_messages={"required": _("Enter the 6-digit code the app shows.")},
    )

    def __init__(self, device: TOTPDevice, *args, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_code(self) -> str:
        code = _normalise(self.cleaned_data["code"])
        if not _TOTP_CODE.fullmatch(code):
            raise forms.ValidationError(
                _("The app shows a code of 6 digits; enter those."), code="invalid"
            )
        waiting = _throttled(self.device)
        if waiting:
            raise forms.ValidationError(waiting, code="throttled")
        if verify_token(self.device.user, self.device.persistent_id, code) is None:
            raise forms.ValidationError(
                _(
                    "This code is not right. Check that the app shows the account you just "
                    "added and that your phone's time is correct, then try the next code."
                ),
                code="invalid",
            )
        return code


def _password_is_right(request, user, password: str) -> bool:
    """Checked through ``authenticate`` like a sign-in, so wrong passwords typed here count
    towards the account's lockout too: a borrowed session cannot guess the password."""
    return authenticate(request, username=user.get_username(), password=password) == user


class ConfirmPasswordForm(FieldsOnly, forms.Form):
    """The user's password again, before something that weakens the account."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password to confirm.")},
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not _password_is_right(self.request, self.request.user, password):
            raise forms.ValidationError(
                _("This is not your password. Nothing was changed."), code="invalid"
            )
        return password


class DeskPasswordChangeForm(FieldsOnly, PasswordChangeForm):
    """Django's password change, laid out like the desk's other forms; the old password is
    checked like a sign-in (see ``_password_is_right``)."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        if not _password_is_right(self.request, self.user, old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


# --- Email ------------------------------------------------------------------------------
# Which kinds of email a user can get at all: by what their role lets them do.


class EmailPreferencesForm(FieldsOnly, forms.ModelForm):
    """Per kind of email (those the user's role can get): at once, in the daily digest,
    or never; the language of the emails and the hour of the digest."""

    class Meta:
        model = DeskProfile
        fields = ["email_language", "digest_hour"]
        labels = {"email_language": _("Language of your emails")}
        help_texts = {
            "email_language": _(
                "If you choose none: the language of the desk when you last signed in."
            ),
            "digest_hour": _("The digest arrives once a day, from this hour on (0–23)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance.user
        self.fields["email_language"].choices = [("", _("As the desk"))] + [
            choice for choice in self.fields["email_language"].choices if choice[0]
        ]
        self.kinds = [kind for kind in EmailKind if may_receive(user, kind)]
        for kind in self.kinds:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=EmailFrequency.choices,
                initial=self.instance.frequency(kind.value),
                widget=forms.RadioSelect,
            )
        # The kinds first, then when and in which language.
        self.order_fields([kind.value for kind in self.kinds])

    def save(self, commit: bool = True) -> DeskProfile:
        self.instance.email_preferences = {
            **self.instance.email_preferences,
            **{kind.value: self.cleaned_data[kind.value] for kind in self.kinds},
        }
        return super().save(commit)


class DeskPasswordResetForm(FieldsOnly, PasswordResetForm):
    """Django's form for asking a reset link; the view sends nothing itself (a task does,
    ``claims.tasks.email.send_password_reset``)."""


class DeskSetPasswordForm(FieldsOnly, SetPasswordForm):
    """Django's form for the new password, laid out like the desk's other forms."""


class ApiTokenForm(FieldsOnly, forms.Form):
    """A new API token: its name, what it may do, how long it lives."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Say where it is used, e.g. “CMS production”."),
        error_messages={"required": _("Give the token a name.")},
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A token acts with your roles and never more: what your role does not allow, "
            "it cannot do either."
        ),
        error_messages={"required": _("Choose at least one thing the token may do.")},
    )
    lifetime = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        help_text=_("After that, the token stops working; make a new one."),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["lifetime"].choices = [
            (days, ngettext("%(days)d day", "%(days)d days", days) % {"days": days})
            for days in lifetime_choices()
        ]
        self.fields["lifetime"].initial = default_lifetime()

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if ApiToken.objects.active().filter(user=self.user, name__iexact=name).exists():
            raise forms.ValidationError(
                _("You already have an active token of this name. Choose another name."),
                code="duplicate",
            )
        return name
