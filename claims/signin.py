"""Sign-in policy: password guessing (django-axes) and the second factor (django-otp).

- **Throttling.** django-axes counts failed sign-ins on every page that signs in through
  ``django.contrib.auth`` (the desk's and the admin's), per account and per client address
  (settings: ``AXES_*``, ``FACTCHECK_SIGNIN_*``). The client is the one ``claims.abuse``
  sees (``FACTCHECK_TRUSTED_PROXY_COUNT``); axes stores and shows it only as a
  pseudonymous address made from its salted hash (:func:`axes_client_address`), so no
  table holds a reader's or an editor's real address.
- **Logging.** Every failed sign-in, lockout and sign-in is logged (logger
  ``claims.signin``) with the user name and the first 12 hex digits of the client's hash,
  never the address.
- **Second factor.** :class:`TwoFactorMiddleware` keeps a signed-in user who has a device
  but has not given a code in this session out of the desk and the admin (they are sent to
  the code step), and, when their role requires a second factor
  (``FACTCHECK_2FA_REQUIRED_ROLES``), a user without one (sent to the set-up page).
"""

import ipaddress
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from claims.abuse import client_hash
from claims.roles import EDITORS, MODERATORS, REVIEWERS, user_roles

logger = logging.getLogger(__name__)

# FACTCHECK_2FA_REQUIRED_ROLES names → the role groups ("superusers" is a user flag).
ROLE_GROUPS = {"editors": EDITORS, "reviewers": REVIEWERS, "moderators": MODERATORS}


# --- The client, pseudonymous ---------------------------------------------------------
def client_label(request: HttpRequest) -> str:
    """What the logs say about the client: the start of its salted hash."""
    return client_hash(request)[:12]


def axes_client_address(request: HttpRequest) -> str:
    """The client's address for django-axes: a unique-local IPv6 address (``fd…``) made of
    the first 120 bits of its salted hash. Equal for the same client (an IPv6 client's
    whole /64, as for the reader rate limit), different for others, and it says nothing
    about where the client is. Its hex digits after ``fd`` are the hash's, so an address
    in the admin matches the ``client`` of a log line."""
    return str(ipaddress.IPv6Address(int("fd" + client_hash(request)[:30], 16)))


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """How django-axes' own log lines name the client: user name, hash, path."""
    if isinstance(path_info, (tuple, list)):
        path_info = path_info[0]
    return f"{{username: {username!r}, client: {client_label(request)}, path: {path_info!r}}}"


def _longest_user_name() -> int:
    model = get_user_model()
    return model._meta.get_field(model.USERNAME_FIELD).max_length or 150


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The user name django-axes counts failures for: as typed, cut to the longest a user
    name can be. A longer one names no account, would not fit axes' table (PostgreSQL
    refuses it) and has no place in a log line."""
    source = credentials if credentials else getattr(request, "POST", {})
    value = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return None if value is None else str(value)[: _longest_user_name()]


# --- Logging ----------------------------------------------------------------------------
def _log_failure(sender, credentials, request=None, **kwargs) -> None:
    if request is None:
        return
    logger.warning(
        "sign-in failed: user %r, client %s, path %s%s",
        str((credentials or {}).get("username"))[: _longest_user_name()],
        client_label(request),
        request.path,
        " (locked out)" if getattr(request, "axes_locked_out", False) else "",
    )


def _log_lockout(sender, request=None, username=None, **kwargs) -> None:
    if request is None:
        return
    logger.warning(
        "sign-in locked out: user %r, client %s, after %s failed attempts; "
        "refused for %d minutes after the last one",
        username,
        client_label(request),
        getattr(request, "axes_failures_since_start", None) or settings.AXES_FAILURE_LIMIT,
        settings.FACTCHECK_SIGNIN_COOLOFF_MINUTES,
    )


def _log_sign_in(sender, request=None, user=None, **kwargs) -> None:
    if request is None or user is None or not getattr(request, "path", ""):
        return  # the test client's force_login
    logger.info("signed in: user %r, client %s", user.get_username(), client_label(request))
    _remember_language(request, user)


def _remember_language(request, user) -> None:
    """The language of the desk at sign-in: the user's emails are in it unless they
    chose one (``DeskProfile.language``)."""
    from claims.models import DeskProfile

    language = getattr(request, "LANGUAGE_CODE", "")
    if language in {code for code, _name in settings.LANGUAGES}:
        DeskProfile.objects.update_or_create(user=user, defaults={"desk_language": language})


def log_second_factor(request: HttpRequest, event: str) -> None:
    """One line for an event of the second factor ("code accepted", "wrong code" …)."""
    logger.log(
        logging.INFO if event.startswith(("code accepted", "set up")) else logging.WARNING,
        "second factor %s: user %r, client %s",
        event,
        request.user.get_username(),
        client_label(request),
    )


def connect_signals() -> None:
    from axes.signals import user_locked_out

    user_login_failed.connect(_log_failure, dispatch_uid="claims.signin.failure")
    user_locked_out.connect(_log_lockout, dispatch_uid="claims.signin.lockout")
    user_logged_in.connect(_log_sign_in, dispatch_uid="claims.signin.sign_in")


# --- The second factor ------------------------------------------------------------------
def two_factor_required(user) -> bool:
    """Whether ``user``'s role requires a second factor (FACTCHECK_2FA_REQUIRED_ROLES)."""
    required = settings.FACTCHECK_2FA_REQUIRED_ROLES
    if not required or not user.is_authenticated:
        return False
    if "superusers" in required and user.is_superuser:
        return True
    groups = {ROLE_GROUPS[role] for role in required if role in ROLE_GROUPS}
    return bool(groups & user_roles(user))


def has_second_factor(user) -> bool:
    """Whether ``user`` has a confirmed device (an authenticator app or recovery codes)."""
    return user_has_device(user, confirmed=True)


def _without_language(path: str) -> str:
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


# While a code is due: only the code step and signing out. While a second factor must be
# set up: only the set-up and signing out (the recovery codes come after, verified).
_CODE_STEP = {"claims:login-code", "claims:logout", "admin:logout"}
_SET_UP = {"claims:account-two-factor-setup", "claims:logout", "admin:logout"}


class TwoFactorMiddleware:
    """Keeps the desk and the admin closed to a session without its second factor.

    Public pages are not affected (they show nothing a signed-in user could not see
    signed out). Requests under ``/desk/`` and ``/admin/`` (in every language) from a
    signed-in user who is not verified in this session are sent to the code step when the
    user has a device, or to the set-up page when their role requires one; nothing else
    there answers until then.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.gate(request) or self.get_response(request)

    @staticmethod
    def gate(request: HttpRequest) -> HttpResponseRedirect | None:
        path = _without_language(request.path_info)
        if not path.startswith(("/desk/", "/admin/")):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if has_second_factor(user):
            allowed, target = _CODE_STEP, "claims:login-code"
        elif two_factor_required(user):
            allowed, target = _SET_UP, "claims:account-two-factor-setup"
        else:
            return None
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            view_name = ""
        if view_name in allowed:
            return None
        return HttpResponseRedirect(
            reverse(target) + "?" + urlencode({"next": request.get_full_path()})
        )
