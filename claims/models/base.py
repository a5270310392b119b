"""Small pieces shared by the models."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

# Only http and https: a javascript: or data: URL in a source link is an attack.
web_url_validator = URLValidator(schemes=["http", "https"])

_BCP47 = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")


def validate_language_tag(value: str) -> None:
    """A BCP 47 language tag such as ``de``, ``en-GB`` or ``pt-BR``."""
    if not _BCP47.match(value):
        raise ValidationError(
            _("%(value)s is not a language tag such as “de” or “en-GB”."),
            params={"value": value},
            code="invalid_language",
        )


class WebURLField(models.URLField):
    """A URL field that accepts only http and https links."""

    default_validators = [web_url_validator]

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(
            **{"form_class": forms.URLField, "assume_scheme": "https", **kwargs}
        )


def unique_slug(model: type[models.Model], text: str, *, max_length: int = 80) -> str:
    """A slug for ``text`` that no row of ``model`` has yet (``-2``, ``-3``… on clashes)."""
    base = slugify(text, allow_unicode=False)[:max_length].strip("-") or "item"
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        suffix = f"-{n}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
    return slug
