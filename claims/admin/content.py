"""The admin of the content: articles and their revisions, claims and their passages and
sources, the rating scale, and the record of reviews, corrections and timelines (shown,
never written)."""

from django import forms
from django.contrib import admin
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims.admin.base import (
    HistoryAdmin,
    LanguageColumn,
    LanguageFilter,
    NoWrites,
    ReadOnlyAdmin,
    ReadOnlyHistoryAdmin,
    for_each,
    form_action,
)
from claims.admin.paginator import LargeTableAdmin
from claims.models import (
    Article,
    ArticleRevision,
    ArticleWatch,
    Claim,
    ClaimEvent,
    Correction,
    Mention,
    Rating,
    Review,
    Source,
)
from claims.permissions import PANEL_STATUSES
from claims.search import SearchDocument, text_query
from claims.workflow_steps import STEPS


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept in the claim’s timeline on the desk. Readers only learn that the "
            "fact-check was withdrawn."
        ),
    )


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
class ArticleAdmin(LanguageColumn, HistoryAdmin):
    list_display = ["title", "outlet", "published_on", "language_name", "status", "updated_at"]
    list_filter = ["status", LanguageFilter, "outlet"]
    search_fields = ["title", "outlet", "byline", "original_url", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_on"
    raw_id_fields = ["current_revision", "created_by"]
    # Whether readers see the article changes on the desk (Article.publish / unpublish),
    # which records who did it and why; here it is shown, not edited.
    # The text readers see is the current revision, changed only by "new text" on the
    # desk (which re-anchors the passages).
    readonly_fields = ["status", "published_at", "withdrawal_reason", "current_revision"]
    inlines = [RevisionInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Readers saw it: it leaves the site by unpublishing (410, with a reason), not by
        # deletion, which would take its claims' approved passages along. No bulk delete.
        if obj is None or obj.published_at is not None:
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.published_at is not None:
            fields.append("slug")  # public once: its address never changes
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.published_at is not None:
            return {}
        return super().get_prepopulated_fields(request, obj)


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


@admin.register(ArticleWatch)
class ArticleWatchAdmin(admin.ModelAdmin):
    """The article watch of each article (claims/tasks/watch.py): how its checks went.
    Administrators may pause it or set its interval, as editors do in the workspace."""

    list_display = ["article", "paused", "interval", "last_checked_at", "error_count"]
    list_filter = ["paused", "error_count"]
    search_fields = ["article__title", "article__original_url", "last_error"]
    list_select_related = ["article"]
    fields = [
        "article",
        "paused",
        "interval",
        "next_check_at",
        "last_checked_at",
        "last_changed_at",
        "error_count",
        "last_error",
        "etag",
        "last_modified",
    ]
    readonly_fields = [f for f in fields if f not in ("paused", "interval", "next_check_at")]

    def has_add_permission(self, request) -> bool:
        return False  # made by the watch the first time an article is due


class MentionInline(NoWrites, admin.TabularInline):
    """A claim's passages, shown: they are marked, linked and removed on the desk, where a
    new passage of a published claim waits for a second person's approval."""

    model = Mention
    fields = ["revision", "start", "end", "exact", "anchor", "awaiting", "requested_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class SourceInline(admin.StackedInline):
    """Sources are edited as on the desk's panel: while the claim is a draft, has changes
    requested, or is published (then listed in its public history), never in review."""

    model = Source
    extra = 0

    def _open(self, obj) -> bool:
        return obj is None or obj.status in PANEL_STATUSES

    def has_add_permission(self, request, obj=None) -> bool:
        return self._open(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._open(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._open(obj) and super().has_delete_permission(request, obj)

    fields = [
        ("title", "publisher"),
        ("url", "archive_url"),
        ("published_on", "accessed_on"),
        ("kind", "stance", "position"),
        "quote",
    ]


@admin.register(Claim)
class ClaimAdmin(LargeTableAdmin, LanguageColumn, HistoryAdmin):
    list_display = [
        "claim_reviewed",
        "claimant",
        "rating",
        "status",
        "language_name",
        "assignee",
        "updated_at",
    ]
    list_filter = [
        "status",
        "rating",
        LanguageFilter,
        ("assignee", admin.RelatedOnlyFieldListFilter),
        ("author", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["claim_reviewed", "claimant", "conclusion", "slug"]
    list_select_related = ["rating", "assignee"]
    raw_id_fields = ["assignee"]
    # Newest first, read from the primary key (the model's order, by publication date,
    # would sort every claim for each page of this list).
    ordering = ["-pk"]
    # Status changes go through the review workflow (and the unpublish action below),
    # never a plain field edit; the verdict is written on the desk (and, once published,
    # changed only through a reviewed correction); who wrote and last edited the claim
    # decides who may approve it (four-eyes), so it is not for editing either.
    readonly_fields = [
        "status",
        "version",
        "created_at",
        "updated_at",
        "published_at",
        "submitted_at",
        "submitted_by",
        "author",
        "last_edited_by",
        "claim_reviewed",
        "rating",
        "conclusion",
        "explanation",
    ]
    # Bookkeeping of the slug rules (set when someone edits the slug), not for editing.
    exclude = ["slug_set_by_hand"]
    inlines = [MentionInline, SourceInline]
    actions = ["unpublish"]

    def get_search_results(self, request, queryset, search_term):
        """On PostgreSQL the words are looked up in the claims' full-text index (the
        public search's, by whole words), or the slug as typed; a substring search
        (LIKE '%…%' over four columns) would read every claim. Elsewhere Django's own."""
        term = search_term.strip()
        if connection.vendor != "postgresql" or not term:
            return super().get_search_results(request, queryset, search_term)
        # One set of ids from both indexes (full-text OR slug): OR-ed outside the
        # subquery, the slug made PostgreSQL test every claim against the found set.
        found = Claim.objects.annotate(document=SearchDocument()).filter(
            Q(document=text_query(term)) | Q(slug=term)
        )
        return queryset.filter(pk__in=found.values("pk")), False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.published_at is not None:
            fields.append("slug")  # published once: the public address never changes
        return fields

    def has_add_permission(self, request) -> bool:
        return False  # claims are marked in an article on the desk (or made from a tip)

    def has_change_permission(self, request, obj=None) -> bool:
        # As on the desk: a claim in review waits for its reviewers, a dismissed one is
        # reopened first.
        if obj is not None and obj.status not in PANEL_STATUSES:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Only a draft nobody reviewed and readers never saw (its reviews and timeline
        # would go with it). No bulk delete.
        if obj is None or obj.published_at is not None or obj.reviews.exists():
            return False
        if obj.status not in (Claim.Status.DRAFT, Claim.Status.DISMISSED):
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "slug" in form.base_fields:
            # Empty: made from the claim as reviewed, the way the desk makes it.
            form.base_fields["slug"].required = False
            form.base_fields["slug"].help_text = _(
                "Leave empty to make it from the claim as reviewed. Fixed once published."
            )
        return form

    def save_model(self, request, obj, form, change) -> None:
        # An edit here is an edit like any other: approvals given before it lapse.
        if change and form.has_changed():
            obj.version += 1
            obj.last_edited_by = request.user
        if not obj.slug:
            obj.slug_set_by_hand = False
            obj.refresh_slug()
        elif "slug" in form.changed_data:
            obj.slug_set_by_hand = True  # typed by someone: kept from now on
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # A change to the sources alone is an edit too.
        if change and not form.has_changed() and any(fs.has_changed() for fs in formsets):
            obj = form.instance
            obj.version += 1
            obj.last_edited_by = request.user
            obj._history_user = request.user
            obj.save(update_fields=["version", "last_edited_by", "updated_at"])

    def has_unpublish_permission(self, request) -> bool:
        return STEPS["unpublish"].allowed(request.user)

    @admin.action(
        description=_("Unpublish selected %(verbose_name_plural)s…"), permissions=["unpublish"]
    )
    def unpublish(self, request, queryset):
        """Take published claims off the site (``Claim.unpublish``), with a reason.

        Only on the change list: on the claim's change form, the actions' Run button would
        come first, so Enter in a text field would run no action and drop the edits."""

        def run(form: UnpublishForm) -> None:
            for_each(
                self,
                request,
                queryset,
                lambda claim: claim.unpublish(by=request.user, reason=form.cleaned_data["reason"]),
                lambda claim, _result: (
                    gettext("Unpublished: “%(claim)s”. Its page now says it was withdrawn.")
                    % {"claim": claim}
                ),
            )

        return form_action(
            self,
            request,
            queryset,
            UnpublishForm,
            action="unpublish",
            title=gettext("Unpublish"),
            intro=gettext(
                "The claim goes back to the desk as a draft. Its public page answers “410 "
                "Gone” with a notice that the fact-check was withdrawn, and shows nothing of "
                "it."
            ),
            submit=gettext("Unpublish"),
            run=run,
        )


@admin.register(Mention)
class MentionAdmin(LargeTableAdmin, ReadOnlyHistoryAdmin):
    """Passages, shown: marked, linked, moved and removed on the desk, where those of a
    published claim are reviewed one by one."""

    list_display = ["exact", "claim", "revision", "start", "end", "anchor", "awaiting"]
    list_filter = ["anchor", "awaiting"]
    search_fields = ["exact", "claim__claim_reviewed"]
    list_select_related = ["claim", "revision__article"]
    # A boolean shows as an icon whose alt text Django leaves in English: said in words.
    exclude = ["quote_changed"]
    readonly_fields = ["quote_changed_words"]

    @admin.display(description=_("quoted text changed"))
    def quote_changed_words(self, obj) -> str:
        return gettext("Yes") if obj.quote_changed else gettext("No")


@admin.register(Source)
class SourceAdmin(ReadOnlyHistoryAdmin):
    """Sources, shown: edited with their claim (its change form, or the desk's panel), so
    the claim's version and history follow."""

    list_display = ["title", "publisher", "kind", "stance", "claim"]
    list_filter = ["kind", "stance"]
    search_fields = ["title", "publisher", "url", "claim__claim_reviewed"]
    list_select_related = ["claim"]
    raw_id_fields = ["claim"]


@admin.register(Rating)
class RatingAdmin(HistoryAdmin):
    list_display = ["label", "label_de", "slug", "value", "colour", "position", "scale"]
    list_editable = ["position"]
    list_filter = ["scale"]
    ordering = ["scale", "position", "pk"]
    search_fields = ["label", "label_de", "slug", "description", "description_de"]
    prepopulated_fields = {"slug": ["label"]}
    # What a published verdict says: its label in both languages, its address and its
    # value in ClaimReview. Changing them would change reviewed verdicts without review.
    VERDICT_FIELDS = ("label", "label_de", "slug", "value")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and self._in_published_verdicts(obj):
            fields += [name for name in self.VERDICT_FIELDS if name not in fields]
        return fields

    @staticmethod
    def _in_published_verdicts(rating) -> bool:
        # Asked several times per admin page (fields, form, prepopulated fields): once.
        if not hasattr(rating, "_in_published_verdicts"):
            rating._in_published_verdicts = rating.claims.filter(
                status=Claim.Status.PUBLISHED
            ).exists()
        return rating._in_published_verdicts

    def get_prepopulated_fields(self, request, obj=None):
        if "slug" in self.get_readonly_fields(request, obj):
            return {}
        return super().get_prepopulated_fields(request, obj)


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    """Reviewers' decisions: made on the desk's review screen, never here."""

    list_display = ["claim", "reviewer", "decision", "claim_version", "created_at"]
    list_filter = ["decision"]
    search_fields = ["claim__claim_reviewed", "reviewer__username", "comment"]
    list_select_related = ["claim", "reviewer"]


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    """Corrections: opened from an error report (the action there) or on the desk, edited,
    reviewed and published there."""

    list_display = ["claim", "kind", "status", "published_at", "created_by"]
    list_filter = ["kind", "status"]
    search_fields = ["claim__claim_reviewed", "note"]
    list_select_related = ["claim", "created_by"]


@admin.register(ClaimEvent)
class ClaimEventAdmin(LargeTableAdmin, ReadOnlyAdmin):
    """The claims' timelines, as the lifecycle methods wrote them."""

    list_display = ["created_at", "claim", "kind", "actor", "claim_version"]
    list_filter = ["kind", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["claim__claim_reviewed", "actor__username", "comment"]
    list_select_related = ["claim", "actor"]
