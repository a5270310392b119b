"""What the admin's pages share: nothing written past the rules (``NoWrites``,
``ReadOnlyAdmin``, ``HistoryAdmin``), languages by name, and actions that ask for input
before they call a service (``form_action``, ``for_each``)."""

from collections.abc import Callable, Iterable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from claims.models import WorkflowError
from claims.wording import language_name


# --- No back door around four-eyes ----------------------------------------------------------
# What a reviewer decided and what happened to a claim is the record the public page
# credits; nobody writes it here, superusers included: no add, change or delete (the
# permission methods, not only read-only fields, so no URL, action or inline gets round
# them). Claims move only through their lifecycle methods (the desk, or the admin actions
# below that call them).
class NoWrites:
    """For admins and inlines: shown, never written; no add, change or delete for anyone."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(NoWrites, admin.ModelAdmin):
    """Shown, never written: no add, change or delete for anyone."""


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin with the history read-only: its "revert" page saves
    the old record as it was (status, verdict, version and all), past every rule, so it
    only shows the record; a POST is refused."""

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def has_change_history_permission(self, request, obj=None) -> bool:
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied(_("The history is read-only."))
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyHistoryAdmin(ReadOnlyAdmin, HistoryAdmin):
    """History shown, nothing written."""


class LanguageFilter(admin.SimpleListFilter):
    """The languages in use, by name in the admin's language ("Deutsch", not "de")."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        # The distinct codes from the database, not one row per claim.
        codes = model_admin.get_queryset(request).order_by().values_list("language", flat=True)
        named = {code: language_name(code) for code in codes.distinct() if code}
        return sorted(named.items(), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


class LanguageColumn:
    """A "language" column that names the language."""

    @admin.display(description=_("language"), ordering="language")
    def language_name(self, obj) -> str:
        return language_name(obj.language)


# --- Actions that ask for input ---------------------------------------------------------------
BOTH_LOCATIONS = [admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM]
CHANGE_FORM_ACTION = f"{admin.ActionLocation.CHANGE_FORM.value}-action"


def form_action(
    model_admin: admin.ModelAdmin,
    request,
    queryset,
    form_class: type[forms.Form],
    *,
    action: str,
    title: str,
    intro: str,
    submit: str,
    run: Callable[[forms.Form], None],
) -> TemplateResponse | None:
    """An action that needs input (an editor, a note, a reason): the page between choosing
    it and running it, then ``run(form)`` once that page was sent (``post``) and its form
    is valid. ``run`` calls the service and tells the user; a refusal it adds to the form
    (``form.add_error``) brings the page back with it.

    The page posts back where it came from: the change list or the change form (Django's
    change-form actions name their field differently)."""
    form = form_class(request.POST if "post" in request.POST else None)
    if form.is_bound and form.is_valid():
        run(form)
        if not form.errors:
            return None
    return TemplateResponse(
        request,
        "admin/claims/action_form.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "submit_label": submit,
            "opts": model_admin.opts,
            "queryset": queryset,
            "form": form,
            "media": model_admin.media + form.media,
            "action": action,
            "action_field": CHANGE_FORM_ACTION if CHANGE_FORM_ACTION in request.POST else "action",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )


def for_each[T, R](
    model_admin: admin.ModelAdmin,
    request,
    items: Iterable[T],
    write: Callable[[T], R],
    done: Callable[[T, R], str],
) -> None:
    """``write`` each item (a service or lifecycle call) and say how it went: ``done``'s
    sentence, or the refusal after the item's name."""
    for item in items:
        try:
            result = write(item)
        except WorkflowError as refusal:
            model_admin.message_user(
                request, f"{Truncator(item).chars(60)}: {refusal.message}", messages.ERROR
            )
        else:
            model_admin.message_user(request, done(item, result), messages.SUCCESS)
