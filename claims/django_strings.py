"""Django 6.1 strings the project shows that Django's own German catalogue lacks.

Never imported: the markers are here for ``makemessages``, so the project's catalogue
(which Django consults before its own) carries their translations. Remove an entry once
Django translates it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_STRINGS = [
    # django/db/models/fields: the empty choice of a select
    gettext_noop("- Select an option -"),
    # django/contrib/admin: change lists, action bar, delete confirmation, pagination
    gettext_noop("Run"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Pagination %(name)s entries"),
    gettext_noop(", "),
    gettext_noop("Logout"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? All of "
        "the following related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting the "
        "following protected related objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would result in deleting related "
        "objects, but your account doesn't have permission to delete the following types "
        "of objects:"
    ),
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count"),
    # django/contrib/auth: the user admin's password section
    gettext_noop("Password-based authentication"),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop("Set password"),
    gettext_noop("Reset password"),
]
