"""Small pieces shared by the models."""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from claims.wording import LANGUAGE_TAG

# Only http and https: a javascript: or data: URL in a source link is an attack.
web_url_validator = URLValidator(schemes=["http", "https"])

# What may be an href: http:// or https:// in any case, then no white space or control
# character anywhere (browsers drop tabs and newlines from an address, and trim it).
_WEB_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)


def is_web_url(value: object) -> bool:
    """Tell whether a stored address may be written as a link (``href``): an http(s)
    address, whatever else was stored (templatetags/weblinks.py shows the rest as text)."""
    return isinstance(value, str) and _WEB_URL.fullmatch(value) is not None


def user_field(verbose_name: str, related_name: str, **kwargs: object) -> models.ForeignKey:
    """A person who did something to the record (created it, edited it, was assigned it):
    optional, and kept as empty when the account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        **kwargs,
    )


def validate_language_tag(value: str) -> None:
    """A BCP 47 language tag such as ``de``, ``en-GB`` or ``pt-BR``."""
    if not LANGUAGE_TAG.match(value):
        raise ValidationError(
            _("%(value)s is not a language tag such as “de” or “en-GB”."),
            params={"value": value},
            code="invalid_language",
        )


class WebURLField(models.URLField):
    """A URL field that accepts only http and https links.

    The validator guards forms; :func:`web_url_check` is the same rule in the database
    (every model with a ``WebURLField`` lists one per field in its ``Meta.constraints``;
    a test checks that none is forgotten), for addresses written without a form."""

    default_validators = [web_url_validator]

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(
            **{"form_class": forms.URLField, "assume_scheme": "https", **kwargs}
        )


def web_url_check(field: str, name: str) -> models.CheckConstraint:
    """A CHECK constraint: ``field`` is empty or starts with http:// or https:// (in any
    case). A ``javascript:``, ``data:`` or ``vbscript:`` address, or one with leading
    white space, cannot be stored however it is written (script, import, data migration).
    """
    return models.CheckConstraint(
        condition=models.Q(**{field: ""})
        | models.Q(**{f"{field}__istartswith": "http://"})
        | models.Q(**{f"{field}__istartswith": "https://"}),
        name=name,
        violation_error_message=_("Enter a web address that starts with http:// or https://."),
    )


# German spelling without umlauts, as German addresses are written: "Rückzug" → "rueckzug".
_GERMAN_LETTERS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)
SLUG_WORDS = 8
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slug_for(text: str, *, max_words: int = SLUG_WORDS, max_length: int = 80) -> str:
    """An ASCII slug of the first ``max_words`` words of ``text``.

    Umlauts and ß are spelt the German way (ü → ue, ß → ss), other accents are dropped,
    punctuation, quotes and emoji disappear. The slug is cut between words only, so it
    never ends in a hyphen, and keeps within ``max_length`` (a single longer word is cut).
    Empty when nothing of ``text`` is left.
    """
    ascii_text = unicodedata.normalize("NFC", text).translate(_GERMAN_LETTERS)
    words = [word for word in slugify(ascii_text.replace("_", " ")).split("-") if word]
    slug = ""
    for word in words[:max_words]:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > max_length:
            break
        slug = longer
    return slug or (words[0][:max_length] if words else "")


def unique_slug(
    model: type[models.Model], text: str, *, max_length: int = 80, exclude_pk=None
) -> str:
    """A slug for ``text`` (see :func:`slug_for`) that no other row of ``model`` has yet:
    ``-2``, ``-3``… on clashes. ``exclude_pk`` is the row the slug is for, if it exists."""
    base = slug_for(text, max_length=max_length) or model._meta.model_name
    others = model._default_manager.exclude(pk=exclude_pk)
    slug, n = base, 1
    while others.filter(slug=slug).exists():
        n += 1
        suffix = f"-{n}"
        slug = slug_for(base, max_length=max_length - len(suffix)) + suffix
    return slug


def older_than(field: str, when, pk) -> models.Q:
    """The rows after (``when``, ``pk``) in newest-first order (``-field``, ``-pk``): a
    keyset page's condition. The first part is implied by the second and is there for the
    index: the database starts reading at the cursor instead of filtering every newer row
    (docs/performance-work.md)."""
    return models.Q(**{f"{field}__lte": when}) & (
        models.Q(**{f"{field}__lt": when}) | models.Q(**{field: when, "pk__lt": pk})
    )
