"""Strict readers for settings that come from the environment.

Every helper names the variable in its error, so a typo in a deployment stops the
process at start-up with a message an operator can act on, instead of running with
a silently different configuration.
"""

import os
import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    """The variable's value, or ``default`` when it is unset."""
    return os.environ.get(name, default)


def env_required(name: str, why: str) -> str:
    """The variable's value; refuse to start when it is unset or blank."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set: {why}")
    return value


def env_bool(name: str, default: bool) -> bool:
    """A boolean written as 1/0, true/false, yes/no or on/off (any case)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of 1, 0, true, false, yes, no, on, off."
    )


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """A whole number, at least ``minimum`` and at most ``maximum`` when they are given."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name}={value} must be at most {maximum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; blank items are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_origins(name: str, *, any_origin: bool = False) -> list[str]:
    """A comma-separated list of web origins ("https://www.example.org", or
    "https://*.example.org" for any subdomain), in lower case without a trailing slash;
    ``any_origin`` also allows "*". Anything else stops the start naming ``name``."""
    origins = [origin.rstrip("/").lower() for origin in env_list(name, [])]
    for origin in origins:
        if any_origin and origin == "*":
            continue
        if not re.fullmatch(r"https?://(\*\.)?[a-z0-9.-]+(:[0-9]{1,5})?", origin):
            alternative = ", or *" if any_origin else ""
            raise ImproperlyConfigured(
                f"{name} must list origins such as https://www.example.org "
                f"(scheme and host, no path{alternative}; got {origin!r})."
            )
    return origins


def env_choice(name: str, default: str, choices: set[str]) -> str:
    """One value out of a fixed set."""
    value = os.environ.get(name, default).strip()
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise ImproperlyConfigured(f"{name}={value!r} is not one of: {allowed}.")
    return value


def env_url(name: str, default: str | None, schemes: set[str]) -> str | None:
    """A URL whose scheme is one of ``schemes``."""
    value = os.environ.get(name, default)
    if value is None or not value.strip():
        return None
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in schemes:
        allowed = ", ".join(f"{s}://" for s in sorted(schemes))
        raise ImproperlyConfigured(
            f"{name} must start with one of {allowed} (got {parts.scheme or 'no scheme'!r})."
        )
    return value
