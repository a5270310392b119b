"""The Django admin: the content (``content``), moderation of reader input (``moderation``),
the background tasks and periodic jobs (``background``), API tokens (``tokens``), the
matching's dismissed suggestions and text analyses (``matching``) and failed
sign-ins (``claims.admin_security``), on the pages and actions of ``base``.

Django's autodiscovery imports this package: importing the modules registers their admins.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Fact-checking desk administration")
admin.site.site_title = _("Fact-checking desk")

from claims import admin_security  # noqa: E402, F401 (sign-in security: failed sign-ins, unlock)
from claims.admin import (  # noqa: E402, F401
    background,
    content,
    matching,
    moderation,
    tokens,
    webhooks,
)
