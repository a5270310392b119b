"""Codes and times put into words in the current language: "Deutsch" rather than "de",
"just now" rather than "0 minutes ago"."""

import re
from datetime import datetime, timedelta

from django.conf.locale import LANG_INFO
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext

# A BCP 47 language tag such as "de", "en-GB" or "pt-BR", at most as long as the language
# columns hold (the models validate with it, the HTML import reads pages' tags with it).
LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
LANGUAGE_TAG_MAX_LENGTH = 35


def is_language_tag(value: str) -> bool:
    return len(value) <= LANGUAGE_TAG_MAX_LENGTH and LANGUAGE_TAG.match(value) is not None


def language_name(code: str) -> str:
    """The name of a BCP 47 language tag in the current language: "de" → "German" on
    English pages, "Deutsch" on German ones; "en-GB" → "British English"; a region Django
    has no name for is kept as its code ("de-AT" → "German (AT)"). Unknown tags stay as
    they are."""
    if not code:
        return ""
    tag = code.replace("_", "-")
    info = LANG_INFO.get(tag.lower())
    if info and "name" in info:
        return gettext(info["name"])
    language, _sep, rest = tag.partition("-")
    info = LANG_INFO.get(language.lower())
    if not info or "name" not in info:
        return code
    name = gettext(info["name"])
    region = next((part for part in rest.split("-") if len(part) == 2 or part.isdigit()), "")
    return f"{name} ({region.upper()})" if region else name


def ago(value: datetime, *, depth: int = 2, now: datetime | None = None) -> str:
    """How long ago ``value`` was: "just now" under a minute, else "3 hours ago"."""
    now = now or timezone.now()
    if now - value < timedelta(minutes=1):
        return gettext("just now")
    return gettext("%(age)s ago") % {"age": timesince(value, now, depth=depth)}
