"""The Django admin: moderation, the rating scale, and every object's history."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from claims.models import (
    Article,
    ArticleRevision,
    Claim,
    Correction,
    ErrorReport,
    Mention,
    Rating,
    Review,
    Source,
    Tip,
)

admin.site.site_header = _("Fact-checking desk administration")
admin.site.site_title = _("Fact-checking desk")


class RevisionInline(admin.TabularInline):
    model = ArticleRevision
    fields = ["number", "origin", "created_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "outlet", "published_on", "language", "status", "updated_at"]
    list_filter = ["status", "language", "outlet"]
    search_fields = ["title", "outlet", "byline", "original_url", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_on"
    raw_id_fields = ["current_revision", "created_by"]
    inlines = [RevisionInline]


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = ["article", "number", "origin", "created_by", "created_at"]
    list_filter = ["origin"]
    search_fields = ["article__title", "text"]
    list_select_related = ["article", "created_by"]
    raw_id_fields = ["article", "created_by"]

    def get_readonly_fields(self, request, obj=None):
        # Revisions are immutable once saved.
        if obj is not None:
            return ["article", "number", "text", "origin", "created_by", "created_at"]
        return []


class MentionInline(admin.TabularInline):
    model = Mention
    fields = ["revision", "start", "end", "exact", "anchor", "anchor_confidence"]
    # The quote and its context are taken from the text by Mention.clean().
    readonly_fields = ["exact"]
    raw_id_fields = ["revision"]
    extra = 0


class SourceInline(admin.StackedInline):
    model = Source
    extra = 0
    fields = [
        ("title", "publisher"),
        ("url", "archive_url"),
        ("published_on", "accessed_on"),
        ("kind", "stance", "position"),
        "quote",
    ]


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ["claim_reviewed", "claimant", "rating", "status", "assignee", "updated_at"]
    list_filter = ["status", "rating", "assignee"]
    search_fields = ["claim_reviewed", "claimant", "conclusion", "slug"]
    list_select_related = ["rating", "assignee"]
    prepopulated_fields = {"slug": ["claim_reviewed"]}
    raw_id_fields = ["author", "last_edited_by", "assignee"]
    # Status changes go through the review workflow, never a plain field edit.
    readonly_fields = ["status", "version", "created_at", "updated_at", "published_at"]
    inlines = [MentionInline, SourceInline]


@admin.register(Mention)
class MentionAdmin(SimpleHistoryAdmin):
    list_display = ["exact", "claim", "revision", "start", "end", "anchor"]
    list_filter = ["anchor"]
    search_fields = ["exact", "claim__claim_reviewed"]
    list_select_related = ["claim", "revision__article"]
    raw_id_fields = ["claim", "revision", "created_by"]
    readonly_fields = ["exact", "prefix", "suffix"]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "kind", "stance", "claim"]
    list_filter = ["kind", "stance"]
    search_fields = ["title", "publisher", "url", "claim__claim_reviewed"]
    list_select_related = ["claim"]
    raw_id_fields = ["claim"]


@admin.register(Rating)
class RatingAdmin(SimpleHistoryAdmin):
    list_display = ["label", "label_de", "slug", "value", "colour", "position", "scale"]
    list_editable = ["position"]
    list_filter = ["scale"]
    search_fields = ["label", "label_de", "slug", "description", "description_de"]
    prepopulated_fields = {"slug": ["label"]}


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["claim", "reviewer", "decision", "claim_version", "created_at"]
    list_filter = ["decision"]
    search_fields = ["claim__claim_reviewed", "reviewer__username", "comment"]
    list_select_related = ["claim", "reviewer"]
    raw_id_fields = ["claim", "reviewer"]


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["claim", "kind", "published_at", "created_by"]
    list_filter = ["kind"]
    search_fields = ["claim__claim_reviewed", "note"]
    list_select_related = ["claim", "created_by"]
    raw_id_fields = ["claim", "old_rating", "new_rating", "created_by"]


@admin.register(Tip)
class TipAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "created_at", "claim"]
    list_filter = ["status", "created_at"]
    search_fields = ["claim_text", "seen_at", "seen_at_url"]
    list_select_related = ["claim"]
    raw_id_fields = ["claim", "handled_by"]
    readonly_fields = ["client_hash", "created_at", "updated_at"]


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    list_display = ["claim", "reason", "status", "created_at"]
    list_filter = ["status", "reason", "created_at"]
    search_fields = ["message", "claim__claim_reviewed"]
    list_select_related = ["claim"]
    raw_id_fields = ["claim", "handled_by"]
    readonly_fields = ["client_hash", "created_at", "updated_at"]
