"""The admin of reader input: moderation of tips and error reports, and the forms of
their actions (a tip → a draft claim, an error report → a correction)."""

from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_user_model
from django.db.models.constants import LOOKUP_SEP
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from claims import services
from claims.admin.base import BOTH_LOCATIONS, HistoryAdmin, LanguageColumn, for_each, form_action
from claims.admin.paginator import LargeTableAdmin
from claims.claimreview import absolute
from claims.matching import similar_claims
from claims.models import Claim, Correction, ErrorReport, Tip, WorkflowError
from claims.models.reader_input import ModerationStatus
from claims.roles import desk_users, may
from claims.tasks import enqueue_on_commit
from claims.tasks.email import send_reader_reply
from claims.wording import ago

# --- Moderation of reader input -----------------------------------------------------------
# Moderators (and superusers) handle tips and error reports here: every change is saved on
# its own object with the moderator as its history's user. Only they see readers' email


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


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Your reply"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Sent by email to the address the reader gave, in the language of the page they "
            "wrote on, with what they sent quoted below. Sign it with your name if you wish."
        ),
        error_messages={"required": _("Write the reply.")},
    )


class PublishedClaimChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Claim) -> str:
        return " — ".join(str(part) for part in (obj.claim_reviewed, *_verdict(obj)) if part)


class AnswerWithClaimForm(forms.Form):
    """Answer a tip with a published fact-check: which one, the reply, the note."""

    claim = PublishedClaimChoice(
        label=_("Published fact-check"),
        queryset=Claim.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_(
            "The published claims the tip may repeat, and the claim linked to the tip if it "
            "is published."
        ),
    )
    reply = forms.CharField(
        label=_("Your reply"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Sent by email to the address the reader gave. The link to the fact-check you "
            "choose is added if the reply does not contain it."
        ),
        error_messages={"required": _("Write the reply.")},
    )
    note = forms.CharField(
        label=_("Moderator note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the newsroom. Readers do not see it."),
    )

    def __init__(self, data=None, *, claims, answerable: bool, initial=None):
        super().__init__(data, initial=initial)
        self.fields["claim"].queryset = claims
        if not answerable:
            del self.fields["reply"]


def _verdict(claim: Claim) -> list[str]:
    """A published claim's rating and publication date, for the moderators' lists."""
    if claim.status != Claim.Status.PUBLISHED:
        return []
    return [
        claim.rating.local_label if claim.rating else "",
        date_format(timezone.localtime(claim.published_at), "DATE_FORMAT")
        if claim.published_at
        else "",
    ]


def _tip_language(tip: Tip) -> str:
    """The language the tip's words are read in: its page's, or the site's default."""
    primary = (tip.language or "").split("-")[0].lower()
    known = {code.split("-")[0] for code, _name in settings.LANGUAGES}
    return primary if primary in known else settings.LANGUAGE_CODE.split("-")[0]


def tip_repeats(tip: Tip, *, published_only: bool = False, limit: int = 5):
    """The claims (any status, or only the published ones) the tip may repeat."""
    claims = Claim.objects.published() if published_only else Claim.objects.all()
    return similar_claims(tip.claim_text, _tip_language(tip), claims, limit=limit)


class ReaderInputAdmin(LargeTableAdmin, LanguageColumn, HistoryAdmin):
    """What tips and error reports share: moderation status, note, actions, history."""

    list_filter = ["status", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["claim", "handled_by"]
    ordering = ["-created_at", "-pk"]  # newest first
    # Counts beside the filters only on "Show counts": each is an aggregate over the whole
    # table (two of them, ~55 ms at 140,000 tips). The new items' count is above the list
    # (``new_count``, from the status index).
    show_facets = admin.ShowFacets.ALLOW
    change_list_template = "admin/claims/reader_input_change_list.html"
    history_list_display = ["status", "handled_by", "moderator_note", "reply_sent_at"]
    actions = ["mark_spam", "reject", "accept", "mark_in_progress", "resolve", "reply_to_reader"]
    # Set by the subclasses: what the reader sent, the reader's private data, what the
    # moderator sets.
    reader_fields: list[str] = []
    private_fields: list[str] = ["email", "consent", "client_hash"]
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
        sets = [
            (_("From the reader"), {"fields": reader}),
            (_("Moderation"), {"fields": [*self.moderation_fields, "handled_by", "updated_at"]}),
        ]
        if obj is not None and obj.reply and self.sees_reader_email(request):
            reply = ["reply", "reply_by", "reply_state"]
            sets.append((_("Reply to the reader"), {"fields": reply}))
        return sets

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

    @admin.display(description=_("reply sent"))
    def reply_state(self, obj) -> str:
        if obj.reply_sent_at:
            return date_format(timezone.localtime(obj.reply_sent_at), "DATETIME_FORMAT")
        return gettext("Not yet: it is waiting to be sent.")

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
        def run(form: ResolveForm) -> None:
            data = form.cleaned_data
            self._set_status(request, queryset, data["status"], data["note"])

        return form_action(
            self,
            request,
            queryset,
            ResolveForm,
            action="resolve",
            title=gettext("Resolve with a note"),
            intro=gettext("Accept or reject, and say why. The note stays in the newsroom."),
            submit=gettext("Resolve"),
            run=run,
        )

    @admin.action(
        description=_("Reply to the reader by email…"),
        permissions=["moderate"],
        location=BOTH_LOCATIONS,
    )
    def reply_to_reader(self, request, queryset):
        """Answer the reader who sent one tip or report (``reader_input_reply``)."""
        items = list(queryset)
        if len(items) != 1:
            self.message_user(
                request, gettext("Choose one item to reply to its reader."), messages.ERROR
            )
            return None
        item = items[0]
        if not item.may_be_answered:
            self.message_user(
                request,
                gettext(
                    "The reader gave no email address with consent to be written to: "
                    "nobody can be answered."
                ),
                messages.ERROR,
            )
            return None

        def run(form: ReplyForm) -> None:
            try:
                services.reader_input_reply(
                    item=item, text=form.cleaned_data["reply"], user=request.user
                )
            except WorkflowError as refusal:
                form.add_error(None, refusal.message)
            else:
                enqueue_on_commit(send_reader_reply, item._meta.model_name, item.pk)
                self.message_user(
                    request,
                    gettext("Your reply is on its way to the reader; it is recorded here."),
                    messages.SUCCESS,
                )

        return form_action(
            self,
            request,
            queryset,
            ReplyForm,
            action="reply_to_reader",
            title=gettext("Reply to the reader"),
            intro=gettext(
                "The reader allowed us to write to them. Your reply is sent by email and "
                "recorded with this item."
            ),
            submit=gettext("Send the reply"),
            run=run,
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
    actions = [*ReaderInputAdmin.actions, "make_draft_claim", "answer_with_claim"]

    @admin.display(description=_("tip"), ordering="claim_text")
    def summary(self, obj) -> str:
        return Truncator(obj.claim_text).chars(80)

    def get_fieldsets(self, request, obj=None):
        sets = super().get_fieldsets(request, obj)
        if obj is not None:
            sets.insert(1, (_("Already checked?"), {"fields": ["possible_repeats"]}))
        return sets

    @admin.display(description=_("Possible repeats of existing claims"))
    def possible_repeats(self, obj):
        found = tip_repeats(obj)
        if not found:
            return gettext("No existing claim is like this tip.")
        rows = []
        for one in found:
            claim = one.claim
            parts = (claim.get_status_display(), *_verdict(claim))
            details = " · ".join(part for part in parts if part)
            # Moderators work in the admin (the desk is for editors and reviewers).
            desk = reverse("admin:claims_claim_change", args=[claim.pk])
            public = (
                format_html(
                    ' · <a href="{}">{}</a>', claim.get_absolute_url(), gettext("public page")
                )
                if claim.status == Claim.Status.PUBLISHED
                else ""
            )
            rows.append(
                (
                    claim.claim_reviewed,
                    details,
                    desk,
                    gettext("in the admin"),
                    public,
                )
            )
        return format_html(
            '<ol class="possible-repeats">{}</ol>',
            format_html_join(
                "",
                '<li><strong>{}</strong> ({}) <a href="{}">{}</a>{}</li>',
                rows,
            ),
        )

    @admin.action(
        description=_("Answer with an existing fact-check…"),
        permissions=["moderate"],
        location=BOTH_LOCATIONS,
    )
    def answer_with_claim(self, request, queryset):
        """Answer one tip that repeats a published claim with its link
        (``tip_answer_with_claim``)."""
        tips = list(queryset.select_related("claim"))
        if len(tips) != 1:
            self.message_user(
                request, gettext("Choose one tip to answer with a fact-check."), messages.ERROR
            )
            return None
        tip = tips[0]
        ids = [one.claim.pk for one in tip_repeats(tip, published_only=True)]
        if tip.claim is not None and tip.claim.status == Claim.Status.PUBLISHED:
            ids.append(tip.claim.pk)
        if not ids:
            self.message_user(
                request,
                gettext(
                    "No published fact-check is like this tip. Link the tip to a published "
                    "claim first, then answer with it."
                ),
                messages.ERROR,
            )
            return None
        choices = Claim.objects.filter(pk__in=ids).select_related("rating")
        by_pk = choices.in_bulk()
        first = by_pk[ids[0]]

        def link(claim: Claim) -> str:
            return absolute(request, claim.get_absolute_url())

        initial = {
            "claim": first.pk,
            "reply": gettext(
                "Thank you for your tip. We have checked this claim already:\n\n%(claim)s\n%(url)s"
            )
            % {"claim": first.claim_reviewed, "url": link(first)},
            "note": gettext("Answered with the published fact-check."),
        }
        form_class = partial(
            AnswerWithClaimForm,
            claims=choices,
            answerable=tip.may_be_answered,
            initial=initial,
        )

        def run(form: AnswerWithClaimForm) -> None:
            claim = form.cleaned_data["claim"]
            reply = form.cleaned_data.get("reply", "")
            if reply and link(claim) not in reply:
                reply = f"{reply.rstrip()}\n\n{link(claim)}"
            try:
                replying = services.tip_answer_with_claim(
                    tip=tip,
                    claim=claim,
                    reply=reply,
                    note=form.cleaned_data["note"],
                    user=request.user,
                )
            except WorkflowError as refusal:
                form.add_error(None, refusal.message)
                return
            if replying:
                enqueue_on_commit(send_reader_reply, tip._meta.model_name, tip.pk)
            self.message_user(
                request,
                gettext(
                    "Tip answered with the fact-check; your reply is on its way to the reader."
                )
                if replying
                else gettext(
                    "Tip linked to the fact-check and accepted. The reader gave no address "
                    "with consent: no reply is sent."
                ),
                messages.SUCCESS,
            )

        return form_action(
            self,
            request,
            queryset,
            form_class,
            action="answer_with_claim",
            title=gettext("Answer with an existing fact-check"),
            intro=gettext(
                "The tip is linked to the fact-check you choose and accepted with your note. "
                "If the reader allowed us to write to them, your reply is sent by email."
            )
            if tip.may_be_answered
            else gettext(
                "The tip is linked to the fact-check you choose and accepted with your note. "
                "The reader gave no address with consent: no reply can be sent."
            ),
            submit=gettext("Answer the tip"),
            run=run,
        )

    @admin.action(
        description=_("Turn into a draft claim…"),
        description_plural=_("Turn selected %(verbose_name_plural)s into draft claims…"),
        permissions=["moderate"],
        location=BOTH_LOCATIONS,
    )
    def make_draft_claim(self, request, queryset):
        def run(form: DraftClaimForm) -> None:
            assignee = form.cleaned_data["assignee"]
            for_each(
                self,
                request,
                queryset,
                lambda tip: services.claim_create_from_tip(
                    tip=tip, assignee=assignee, user=request.user
                ),
                lambda _tip, claim: (
                    gettext("Draft claim “%(claim)s” created and assigned to %(name)s.")
                    % {"claim": claim, "name": assignee.get_username()}
                ),
            )

        return form_action(
            self,
            request,
            queryset,
            DraftClaimForm,
            action="make_draft_claim",
            title=gettext("Turn tips into draft claims"),
            intro=gettext(
                "Each tip becomes a draft claim with the tip’s text, assigned to the person "
                "you choose, who is notified on the desk. The tip is marked accepted."
            ),
            submit=gettext("Create draft claims"),
            run=run,
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
    actions = [*ReaderInputAdmin.actions, "correction_start"]

    @admin.display(description=_("message"), ordering="message")
    def summary(self, obj) -> str:
        return Truncator(obj.message).chars(80)

    @admin.action(
        description=_("Open a correction of the claim…"),
        permissions=["moderate"],
        location=BOTH_LOCATIONS,
    )
    def correction_start(self, request, queryset):
        """Open a correction of the report's claim (the step ``correction_start``)."""
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

        def run(form: ReportCorrectionForm) -> None:
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

        return form_action(
            self,
            request,
            queryset,
            ReportCorrectionForm,
            action="correction_start",
            title=gettext("Open a correction"),
            intro=gettext(
                "The published verdict stays public until the correction is reviewed and "
                "published. The report is marked accepted and linked to the correction."
            ),
            submit=gettext("Open the correction"),
            run=run,
        )
