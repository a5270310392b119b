"""The admin of sign-in security: failed sign-ins (django-axes) with an "Unlock" action.

Moderators (``view`` and ``delete`` of ``axes.AccessAttempt``, claims.roles) and superusers
see who is locked out and unlock an account or a client. Unlocking deletes the counted
attempts, exactly what django-axes' own "reset" does. The client is shown as the
pseudonymous address claims.signin gives django-axes, never a real one. The devices of
the second factor (django-otp) stay with superusers: django-otp's own admin, with the
secret keys hidden (``OTP_ADMIN_HIDE_SENSITIVE_DATA``).
"""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class LockedFilter(admin.SimpleListFilter):
    title = _("locked out")
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return [("yes", _("Locked out")), ("no", _("Not locked out"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
        if self.value() == "no":
            return queryset.filter(failures_since_start__lt=settings.AXES_FAILURE_LIMIT)
        return queryset


@admin.register(AccessAttempt)
class AccessAttemptAdmin(admin.ModelAdmin):
    list_display = ["username", "client", "failures", "state", "attempt_time", "path_info"]
    list_filter = [LockedFilter, "path_info"]
    search_fields = ["username"]
    date_hierarchy = "attempt_time"
    ordering = ["-attempt_time"]
    actions = ["unlock"]
    fields = ["username", "client", "failures", "state", "attempt_time", "path_info"]
    readonly_fields = fields

    @admin.display(description=_("client (pseudonymous)"), ordering="ip_address")
    def client(self, attempt: AccessAttempt) -> str:
        return attempt.ip_address or "—"

    @admin.display(description=_("failed sign-ins"), ordering="failures_since_start")
    def failures(self, attempt: AccessAttempt) -> int:
        return attempt.failures_since_start

    @admin.display(description=_("state"))
    def state(self, attempt: AccessAttempt) -> str:
        if attempt.failures_since_start < settings.AXES_FAILURE_LIMIT:
            return _("counting")
        until = timezone.localtime(attempt.attempt_time + settings.AXES_COOLOFF_TIME)
        if until <= timezone.now():
            return _("expired")
        return _("locked out until %(time)s") % {"time": until.strftime("%H:%M")}

    @admin.action(description=_("Unlock: forget these failed sign-ins"), permissions=["delete"])
    def unlock(self, request, queryset):
        names = sorted({attempt.username or "—" for attempt in queryset})
        _total, deleted = queryset.delete()
        count = deleted.get(AccessAttempt._meta.label, 0)
        self.message_user(
            request,
            ngettext(
                "Unlocked: %(count)d record of failed sign-ins deleted (%(names)s).",
                "Unlocked: %(count)d records of failed sign-ins deleted (%(names)s).",
                count,
            )
            % {"count": count, "names": ", ".join(names)},
            messages.SUCCESS,
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
