"""The admin of sign-in security: failed sign-ins (django-axes) with "Unlock" actions.

Moderators (``view`` and ``delete`` of ``axes.AccessAttempt``, claims.roles) and superusers
see who is locked out (an account's failures add up over every address, an address's over
every account name, as django-axes counts them) and unlock an account or a client address.
Unlocking deletes the counted attempts, exactly what django-axes' own "reset" does. The
client is shown as the pseudonymous address claims.signin gives django-axes, never a real
one. The devices of the second factor (django-otp) stay with superusers: django-otp's own
admin, with the secret keys hidden (``OTP_ADMIN_HIDE_SENSITIVE_DATA``).
"""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


def _recent():
    """Attempts that still count (within the cool-off), as django-axes counts them."""
    return AccessAttempt.objects.filter(
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )


def _total(field: str):
    """The failures of every recent row sharing this row's ``field``: what axes compares
    with the limit (an account's rows from many addresses, an address's for many names)."""
    return Subquery(
        _recent()
        .filter(**{field: OuterRef(field)})
        .values(field)
        .annotate(total=Sum("failures_since_start"))
        .values("total")[:1]
    )


def _locked_out() -> Q:
    """The rows whose failures lock their account or address out now."""
    limit = settings.AXES_FAILURE_LIMIT
    return Q(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME) & (
        Q(account_failures__gte=limit) | Q(client_failures__gte=limit)
    )


class LockedFilter(admin.SimpleListFilter):
    title = _("locked out")
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return [("yes", _("Locked out")), ("no", _("Not locked out"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(_locked_out())
        if self.value() == "no":
            return queryset.exclude(_locked_out())
        return queryset


@admin.register(AccessAttempt)
class AccessAttemptAdmin(admin.ModelAdmin):
    list_display = ["username", "client", "failures", "state", "attempt_time", "path_info"]
    list_filter = [LockedFilter, "path_info"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    ordering = ["-attempt_time"]
    actions = ["unlock_accounts", "unlock_clients"]
    fields = ["username", "client", "failures", "state", "attempt_time", "path_info"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                account_failures=Coalesce(_total("username"), 0),
                client_failures=Coalesce(_total("ip_address"), 0),
            )
        )

    @admin.display(description=_("client (pseudonymous)"), ordering="ip_address")
    def client(self, attempt: AccessAttempt) -> str:
        return attempt.ip_address or "—"

    @admin.display(description=_("failed sign-ins"), ordering="failures_since_start")
    def failures(self, attempt: AccessAttempt) -> int:
        return attempt.failures_since_start

    @admin.display(description=_("state"))
    def state(self, attempt: AccessAttempt) -> str:
        until = timezone.localtime(attempt.attempt_time + settings.AXES_COOLOFF_TIME)
        if until <= timezone.now():
            return _("expired")
        limit = settings.AXES_FAILURE_LIMIT
        if getattr(attempt, "account_failures", 0) >= limit:
            return _("account locked out until %(time)s") % {"time": until.strftime("%H:%M")}
        if getattr(attempt, "client_failures", 0) >= limit:
            return _("client locked out until %(time)s") % {"time": until.strftime("%H:%M")}
        return _("counting")

    def _unlock(self, request, field: str, values: set) -> None:
        _total_deleted, deleted = AccessAttempt.objects.filter(**{f"{field}__in": values}).delete()
        count = deleted.get(AccessAttempt._meta.label, 0)
        self.message_user(
            request,
            ngettext(
                "Unlocked: %(count)d record of failed sign-ins deleted (%(names)s).",
                "Unlocked: %(count)d records of failed sign-ins deleted (%(names)s).",
                count,
            )
            % {"count": count, "names": ", ".join(sorted(str(v) for v in values))},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Unlock the accounts: forget their failed sign-ins from every address"),
        permissions=["delete"],
    )
    def unlock_accounts(self, request, queryset):
        self._unlock(request, "username", {a.username for a in queryset if a.username})

    @admin.action(
        description=_("Unlock the client addresses: forget their failed sign-ins"),
        permissions=["delete"],
    )
    def unlock_clients(self, request, queryset):
        self._unlock(request, "ip_address", {a.ip_address for a in queryset if a.ip_address})

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
