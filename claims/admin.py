"""The Django admin: moderation, the rating scale, and every object's history."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models.constants import LOOKUP_SEP
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from claims import services
from claims.models import (
    Article,
    ArticleRevision,
    Claim,
    ClaimEvent,
    Correction,
    ErrorReport,
    Mention,
    Rating,
    Review,
    Source,
    Tip,
    WorkflowError,
)
from claims.models.reader_input import ModerationStatus
from claims.permissions import PANEL_STATUSES
from claims.roles import EDITORS, REVIEWERS, may
from claims.wording import ago, language_name

admin.site.site_header = _("Fact-checking desk administration")
admin.site.site_title = _("Fact-checking desk")


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
        codes = model_admin.get_queryset(request).order_by().values_list("language", flat=True)
        named = {code: language_name(code) for code in set(codes) if code}
        return sorted(named.items(), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


class LanguageColumn:
    """A "language" column that names the language."""

    @admin.display(description=_("language"), ordering="language")
    def language_name(self, obj) -> str:
        return language_name(obj.language)


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
class ClaimAdmin(LanguageColumn, HistoryAdmin):
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
        return may(request.user, "unpublish")

    @admin.action(
        description=_("Unpublish selected %(verbose_name_plural)s…"), permissions=["unpublish"]
    )
    def unpublish(self, request, queryset):
        """Take published claims off the site (``Claim.unpublish``), with a reason.

        Only on the change list: on the claim's change form, the actions' Run button would
        come first, so Enter in a text field would run no action and drop the edits."""
        form = UnpublishForm(_confirmed(request))
        if form.is_bound and form.is_valid():
            for claim in queryset:
                try:
                    claim.unpublish(by=request.user, reason=form.cleaned_data["reason"])
                except WorkflowError as refusal:
                    self.message_user(
                        request, f"{Truncator(claim).chars(60)}: {refusal.message}", messages.ERROR
                    )
                else:
                    self.message_user(
                        request,
                        gettext("Unpublished: “%(claim)s”. Its page now says it was withdrawn.")
                        % {"claim": claim},
                        messages.SUCCESS,
                    )
            return None
        return action_page(
            self,
            request,
            queryset,
            action="unpublish",
            form=form,
            title=gettext("Unpublish"),
            intro=gettext(
                "The claim goes back to the desk as a draft. Its public page answers “410 "
                "Gone” with a notice that the fact-check was withdrawn, and shows nothing of "
                "it."
            ),
            submit=gettext("Unpublish"),
        )


@admin.register(Mention)
class MentionAdmin(ReadOnlyHistoryAdmin):
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
class ClaimEventAdmin(ReadOnlyAdmin):
    """The claims' timelines, as the lifecycle methods wrote them."""

    list_display = ["created_at", "claim", "kind", "actor", "claim_version"]
    list_filter = ["kind", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["claim__claim_reviewed", "actor__username", "comment"]
    list_select_related = ["claim", "actor"]


# --- Moderation of reader input -----------------------------------------------------------
# Moderators (and superusers) handle tips and error reports here: every change is saved on
# its own object with the moderator as its history's user. Only they see readers' email
# addresses; staff with just a view permission read the input without them.
BOTH_LOCATIONS = [admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM]
CHANGE_FORM_ACTION = f"{admin.ActionLocation.CHANGE_FORM.value}-action"


def action_page(model_admin, request, queryset, *, action, form, title, intro, submit):
    """The page between choosing an action and running it, for actions that need input (an
    editor, a note, a reason). It posts back where it came from: the change list or the
    change form (Django's change-form actions name their field differently)."""
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


def _confirmed(request):
    """The intermediate page's data once it was sent (``post``), else None."""
    return request.POST if "post" in request.POST else None


def desk_users():
    """Who can be given a claim: active members of the Editors and Reviewers groups."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[EDITORS, REVIEWERS])
        .distinct()
        .order_by("username")
    )


class DraftClaimForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=get_user_model().objects.none(),
        help_text=_("The claim appears under “Assigned to me” on this person’s desk."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = desk_users()


class ResolveForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Resolution"),
        choices=[
            (ModerationStatus.ACCEPTED, ModerationStatus.ACCEPTED.label),
            (ModerationStatus.REJECTED, ModerationStatus.REJECTED.label),
        ],
    )
    note = forms.CharField(
        label=_("Moderator note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For the newsroom: what was checked and decided. Readers do not see it."),
    )


class ReportCorrectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Correction.Kind.choices)
    note = forms.CharField(
        label=_("Public correction note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What changes and why, for readers. Editors can refine it on the desk before "
            "the correction goes to review."
        ),
    )


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


class ReaderInputAdmin(LanguageColumn, HistoryAdmin):
    """What tips and error reports share: moderation status, note, actions, history."""

    list_filter = ["status", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["claim", "handled_by"]
    ordering = ["-created_at", "-pk"]  # newest first
    show_facets = admin.ShowFacets.ALWAYS  # "New (3)" in the status filter
    change_list_template = "admin/claims/reader_input_change_list.html"
    history_list_display = ["status", "handled_by", "moderator_note"]
    actions = ["mark_spam", "reject", "accept", "mark_in_progress", "resolve"]
    # Set by the subclasses: what the reader sent, the reader's private data, what the
    # moderator sets.
    reader_fields: list[str] = []
    private_fields: list[str] = ["email", "client_hash"]
    moderation_fields: list[str] = ["status", "moderator_note"]
    editable_fields: list[str] = ["status", "moderator_note"]

    # --- Who sees and does what ---------------------------------------------------------
    @staticmethod
    def sees_reader_email(request) -> bool:
        return may(request.user, "moderate")

    def has_add_permission(self, request) -> bool:
        return False  # readers send input through the public forms

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and may(request.user, "moderate")

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and may(request.user, "moderate")

    def has_moderate_permission(self, request) -> bool:
        return self.has_change_permission(request)

    def get_search_fields(self, request):
        fields = list(super().get_search_fields(request))
        return [*fields, "email"] if self.sees_reader_email(request) else fields

    def lookup_allowed(self, lookup, value, request) -> bool:
        # The admin accepts any lookup on a model's own fields in the query string;
        # ?email__startswith=… would let others guess addresses from the result count.
        if lookup.split(LOOKUP_SEP)[0] in self.private_fields:
            return self.sees_reader_email(request)
        return super().lookup_allowed(lookup, value, request)

    def get_fieldsets(self, request, obj=None):
        reader = list(self.reader_fields)
        if self.sees_reader_email(request):
            # A boolean shows as an icon whose alt text Django leaves in English.
            reader += ["consent_given" if f == "consent" else f for f in self.private_fields]
        return [
            (_("From the reader"), {"fields": reader}),
            (_("Moderation"), {"fields": [*self.moderation_fields, "handled_by", "updated_at"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        shown = flatten_fieldsets(self.get_fieldsets(request, obj))
        return [name for name in shown if name not in self.editable_fields]

    def save_model(self, request, obj, form, change):
        if change and set(form.changed_data) & set(self.editable_fields):
            obj.handled_by = request.user
        super().save_model(request, obj, form, change)  # sets the history's user

    def changelist_view(self, request, extra_context=None):
        new = self.model.objects.filter(status=ModerationStatus.NEW).count()
        return super().changelist_view(request, {"new_count": new, **(extra_context or {})})

    # --- Columns --------------------------------------------------------------------------
    @admin.display(description=_("consent to be contacted"))
    def consent_given(self, obj) -> str:
        return gettext("Yes") if obj.consent else gettext("No")

    @admin.display(description=_("age"), ordering="created_at")
    def age(self, obj) -> str:
        return ago(obj.created_at, depth=1)

    @admin.display(description=_("claim"), ordering="claim__claim_reviewed")
    def claim_link(self, obj):
        if obj.claim_id is None:
            return self.get_empty_value_display()
        url = reverse("admin:claims_claim_change", args=[obj.claim_id])
        return format_html('<a href="{}">{}</a>', url, Truncator(obj.claim).chars(80))

    # --- Actions --------------------------------------------------------------------------
    def _set_status(self, request, queryset, status: str, note: str = "") -> None:
        try:
            changed = services.reader_input_moderate(
                items=queryset, status=status, user=request.user, note=note
            )
        except WorkflowError as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return
        self.message_user(
            request,
            ngettext(
                "%(count)d item changed to “%(status)s”.",
                "%(count)d items changed to “%(status)s”.",
                changed,
            )
            % {"count": changed, "status": ModerationStatus(status).label},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Mark selected %(verbose_name_plural)s as spam"), permissions=["moderate"]
    )
    def mark_spam(self, request, queryset):
        self._set_status(request, queryset, ModerationStatus.SPAM)

    @admin.action(
        description=_("Reject selected %(verbose_name_plural)s"), permissions=["moderate"]
    )
    def reject(self, request, queryset):
        self._set_status(request, queryset, ModerationStatus.REJECTED)

    @admin.action(
        description=_("Accept selected %(verbose_name_plural)s"), permissions=["moderate"]
    )
    def accept(self, request, queryset):
        self._set_status(request, queryset, ModerationStatus.ACCEPTED)

    @admin.action(
        description=_("Mark selected %(verbose_name_plural)s as in progress"),
        permissions=["moderate"],
    )
    def mark_in_progress(self, request, queryset):
        self._set_status(request, queryset, ModerationStatus.IN_PROGRESS)

    @admin.action(
        description=_("Resolve with a note…"),
        description_plural=_("Resolve selected %(verbose_name_plural)s with a note…"),
        permissions=["moderate"],
        location=BOTH_LOCATIONS,
    )
    def resolve(self, request, queryset):
        form = ResolveForm(_confirmed(request))
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            self._set_status(request, queryset, data["status"], data["note"])
            return None
        return action_page(
            self,
            request,
            queryset,
            action="resolve",
            form=form,
            title=gettext("Resolve with a note"),
            intro=gettext("Accept or reject, and say why. The note stays in the newsroom."),
            submit=gettext("Resolve"),
        )


@admin.register(Tip)
class TipAdmin(ReaderInputAdmin):
    list_display = ["summary", "status", "age", "claim_link", "language_name", "handled_by"]
    search_fields = ["claim_text", "seen_at", "seen_at_url", "moderator_note"]
    # Link a tip to a claim found by its text (no bare id field: Enter in a text field
    # would press the change form's first button, the actions' Run).
    autocomplete_fields = ["claim"]
    reader_fields = ["claim_text", "seen_at", "seen_at_url", "language_name", "created_at"]
    private_fields = ["email", "consent", "client_hash"]
    moderation_fields = ["status", "moderator_note", "claim"]
    editable_fields = ["status", "moderator_note", "claim"]
    actions = [*ReaderInputAdmin.actions, "make_draft_claim"]

    @admin.display(description=_("tip"), ordering="claim_text")
    def summary(self, obj) -> str:
        return Truncator(obj.claim_text).chars(80)

    @admin.action(
        description=_("Turn into a draft claim…"),
        description_plural=_("Turn selected %(verbose_name_plural)s into draft claims…"),
        permissions=["moderate"],
        location=BOTH_LOCATIONS,
    )
    def make_draft_claim(self, request, queryset):
        form = DraftClaimForm(_confirmed(request))
        if form.is_bound and form.is_valid():
            assignee = form.cleaned_data["assignee"]
            for tip in queryset:
                try:
                    claim = services.claim_create_from_tip(
                        tip=tip, assignee=assignee, user=request.user
                    )
                except WorkflowError as refusal:
                    self.message_user(
                        request, f"{Truncator(tip).chars(60)}: {refusal.message}", messages.ERROR
                    )
                else:
                    self.message_user(
                        request,
                        gettext("Draft claim “%(claim)s” created and assigned to %(name)s.")
                        % {"claim": claim, "name": assignee.get_username()},
                        messages.SUCCESS,
                    )
            return None
        return action_page(
            self,
            request,
            queryset,
            action="make_draft_claim",
            form=form,
            title=gettext("Turn tips into draft claims"),
            intro=gettext(
                "Each tip becomes a draft claim with the tip’s text, assigned to the person "
                "you choose, who is notified on the desk. The tip is marked accepted."
            ),
            submit=gettext("Create draft claims"),
        )


@admin.register(ErrorReport)
class ErrorReportAdmin(ReaderInputAdmin):
    list_display = [
        "summary",
        "reason",
        "status",
        "age",
        "claim_link",
        "language_name",
        "handled_by",
    ]
    list_filter = ["status", "reason", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["message", "moderator_note", "claim__claim_reviewed"]
    reader_fields = ["claim", "reason", "message", "language_name", "created_at"]
    moderation_fields = ["status", "moderator_note", "correction"]
    actions = [*ReaderInputAdmin.actions, "open_correction"]

    @admin.display(description=_("message"), ordering="message")
    def summary(self, obj) -> str:
        return Truncator(obj.message).chars(80)

    @admin.action(
        description=_("Open a correction of the claim…"),
        permissions=["moderate"],
        location=BOTH_LOCATIONS,
    )
    def open_correction(self, request, queryset):
        reports = list(queryset.select_related("claim"))
        if len(reports) != 1:
            self.message_user(
                request, gettext("Choose one error report to open a correction."), messages.ERROR
            )
            return None
        report = reports[0]
        if report.claim.status != Claim.Status.PUBLISHED:
            self.message_user(
                request,
                gettext("Only a published claim takes a correction; this one is %(status)s.")
                % {"status": report.claim.status_in_sentence()},
                messages.ERROR,
            )
            return None
        form = ReportCorrectionForm(_confirmed(request))
        if form.is_bound and form.is_valid():
            try:
                services.correction_open_from_report(
                    report=report,
                    kind=form.cleaned_data["kind"],
                    note=form.cleaned_data["note"],
                    user=request.user,
                )
            except WorkflowError as refusal:
                form.add_error(None, refusal.message)
            else:
                self.message_user(
                    request,
                    gettext(
                        "Correction opened: the claim’s author and assignee see it on the desk, "
                        "where it is edited and sent to review."
                    ),
                    messages.SUCCESS,
                )
                return None
        return action_page(
            self,
            request,
            queryset,
            action="open_correction",
            form=form,
            title=gettext("Open a correction"),
            intro=gettext(
                "The published verdict stays public until the correction is reviewed and "
                "published. The report is marked accepted and linked to the correction."
            ),
            submit=gettext("Open the correction"),
        )


from claims import admin_security  # noqa: E402, F401 (sign-in security: failed sign-ins, unlock)
