"""API tokens, the rules: issue one (the only place a raw token exists), authenticate a
raw token, note its use, check its scopes, revoke it (docs/api.md, "API tokens").

A token acts with its user's roles and never more: the API sets ``request.user`` to
``token.user`` and asks ``claims.roles.may`` as the desk does. A token of a user who is no
longer active is refused here; one whose user lost a role simply may no longer do what the
role allowed.
"""

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from claims.models import ApiToken
from claims.models.tokens import check_scopes

# Lifetimes a user may choose (days); FACTCHECK_API_TOKEN_MAX_DAYS caps them.
LIFETIME_DAYS = (30, 90, 365)
DEFAULT_LIFETIME_DAYS = 90
# last_used_at is written at most once in this many seconds per token.
TOUCH_INTERVAL = timedelta(seconds=60)

PREFIX_BYTES = 4  # 8 hex characters
SECRET_BYTES = 32
_RAW = re.compile(r"fc_([0-9a-f]{8})_([A-Za-z0-9_-]{43,})")


class TokenError(Exception):
    """A raw token that does not authenticate. ``reason`` is one of ``REASONS``."""

    REASONS = frozenset({"malformed", "unknown", "revoked", "expired", "inactive_user"})

    def __init__(self, reason: str) -> None:
        assert reason in self.REASONS, reason
        super().__init__(reason)
        self.reason = reason


def max_days() -> int:
    return settings.FACTCHECK_API_TOKEN_MAX_DAYS


def lifetime_choices() -> list[int]:
    """The lifetimes on offer, in days: those up to the cap (the cap alone if it is below
    all of them)."""
    cap = max_days()
    return [days for days in LIFETIME_DAYS if days <= cap] or [cap]


def default_lifetime() -> int:
    choices = lifetime_choices()
    return DEFAULT_LIFETIME_DAYS if DEFAULT_LIFETIME_DAYS in choices else choices[-1]


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user, name: str, scopes, lifetime: timedelta) -> tuple[ApiToken, str]:
    """A new token of ``user``: the row and the raw token, which is never stored (only its
    hash) and must be shown to the user now."""
    scopes = list(scopes)
    check_scopes(scopes)
    if lifetime <= timedelta(0) or lifetime > timedelta(days=max_days()):
        raise ValueError(f"A token lives 1 to {max_days()} days.")
    now = timezone.now()
    while True:
        prefix = secrets.token_hex(PREFIX_BYTES)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    raw = f"fc_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        scopes=scopes,
        prefix=prefix,
        secret_hash=hash_token(raw),
        created_at=now,
        expires_at=now + lifetime,
    )
    return token, raw


def authenticate(raw: str) -> ApiToken:
    """The token of ``raw``, with its user; ``TokenError`` if it does not authenticate."""
    match = _RAW.fullmatch((raw or "").strip())
    if match is None:
        raise TokenError("malformed")
    token = ApiToken.objects.select_related("user").filter(prefix=match[1]).first()
    # Compared in constant time; an unknown prefix costs the same hash.
    expected = token.secret_hash if token else "0" * 64
    if not hmac.compare_digest(hash_token(match[0]), expected) or token is None:
        raise TokenError("unknown")
    if token.revoked_at is not None:
        raise TokenError("revoked")
    if token.expires_at <= timezone.now():
        raise TokenError("expired")
    if not token.user.is_active:
        raise TokenError("inactive_user")
    return token


def touch(token: ApiToken) -> bool:
    """Note that ``token`` was used now, at most once per ``TOUCH_INTERVAL``: one UPDATE
    that changes no row when it was noted less than a minute ago (a busy CMS does not
    write on every request). Whether it wrote."""
    now = timezone.now()
    written = ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOUCH_INTERVAL), pk=token.pk
    ).update(last_used_at=now)
    if written:
        token.last_used_at = now
    return bool(written)


def has_scope(token: ApiToken, scope: str) -> bool:
    return scope in token.scopes


def revoke(token: ApiToken, by) -> bool:
    """Revoke ``token`` (once: a revoked token keeps its first revocation). Whether this
    call revoked it."""
    now = timezone.now()
    written = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=by
    )
    token.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return bool(written)
