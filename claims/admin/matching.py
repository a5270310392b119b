"""The matching in the admin: editors' "Not the same claim" decisions (shown; deleting one
lets the claim be suggested again) and the analyses of texts (shown)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from claims.admin.base import ReadOnlyAdmin
from claims.models import SuggestionDismissal, TextAnalysis


@admin.register(SuggestionDismissal)
class SuggestionDismissalAdmin(admin.ModelAdmin):
    list_display = ("article", "claim", "dismissed_by", "dismissed_at")
    list_filter = ("dismissed_at",)
    search_fields = ("article__title", "claim__claim_reviewed", "dismissed_by__username")
    list_select_related = ("article", "claim", "dismissed_by")
    readonly_fields = ("article", "claim", "sentence_key", "dismissed_by", "dismissed_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TextAnalysis)
class TextAnalysisAdmin(ReadOnlyAdmin):
    list_display = ("revision", "status", "hint_count", "claims_compared", "finished_at")
    list_filter = ("status",)
    search_fields = ("revision__article__title",)
    list_select_related = ("revision__article",)

    @admin.display(description=_("sentences worth checking"))
    def hint_count(self, analysis: TextAnalysis) -> int:
        return len(analysis.hints)
