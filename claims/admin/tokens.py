"""API tokens in the admin, for administrators (superusers) only: read-only (the hash is
never shown), filtered by status and user, and "Revoke the selected tokens". Tokens are
made by their users in the desk, never here."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from claims import tokens
from claims.admin.base import BOTH_LOCATIONS, ReadOnlyAdmin
from claims.models import ApiToken


class TokenStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return ApiToken.Status.choices

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == ApiToken.Status.REVOKED:
            return queryset.filter(revoked_at__isnull=False)
        if self.value() == ApiToken.Status.EXPIRED:
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if self.value() == ApiToken.Status.ACTIVE:
            return queryset.active()
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = [
        "name",
        "user",
        "prefix_shown",
        "scopes_shown",
        "created_at",
        "last_used_at",
        "expires_at",
        "status_shown",
    ]
    list_filter = [TokenStatusFilter, "user"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    actions = ["revoke"]
    # Never secret_hash.
    fields = [*list_display, "revoked_at", "revoked_by"]
    readonly_fields = fields

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_revoke_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    @admin.display(description=_("prefix"), ordering="prefix")
    def prefix_shown(self, token: ApiToken) -> str:
        return f"fc_{token.prefix}…"

    @admin.display(description=_("scopes"))
    def scopes_shown(self, token: ApiToken) -> str:
        return "; ".join(token.scope_labels())

    @admin.display(description=_("status"))
    def status_shown(self, token: ApiToken) -> str:
        return token.status_label

    @admin.action(
        description=_("Revoke the selected tokens"),
        permissions=["revoke"],
        location=BOTH_LOCATIONS,
    )
    def revoke(self, request, queryset) -> None:
        revoked = sum(tokens.revoke(token, by=request.user) for token in queryset)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )
