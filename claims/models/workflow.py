from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from claims.models.base import user_field
from claims.models.claims import Claim


class Review(models.Model):
    """A reviewer's decision on one version of a claim."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REQUEST_CHANGES = "request_changes", _("Request changes")

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    # Set when the decision was on a correction of a published claim.
    correction = models.ForeignKey(
        "Correction",
        verbose_name=_("correction"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
    )
    comment = models.TextField(_("comment"), blank=True)
    # The Claim.version the decision was made on: an approval does not carry over edits.
    claim_version = models.PositiveIntegerField(_("claim version"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["claim", "created_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "reviewer", "claim_version"],
                name="review_one_decision_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} · {self.claim}"


class CorrectionQuerySet(models.QuerySet):
    def public(self) -> "CorrectionQuerySet":
        return self.filter(
            status=Correction.Status.PUBLISHED,
            published_at__isnull=False,
            claim__status=Claim.Status.PUBLISHED,
        )

    def open(self) -> "CorrectionQuerySet":
        return self.filter(status__in=Correction.OPEN_STATUSES)


class Correction(models.Model):
    """A change to a published verdict and the public note explaining it.

    While it is open, ``new_*`` hold the proposed verdict and the claim keeps showing the
    published one; on publish, the claim takes the new values and ``old_*`` keep the
    previous ones for the public record.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATUSES = (Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED)
    # The claim fields a correction changes; everything else is a plain edit.
    FIELDS = ("rating", "conclusion", "explanation")

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")
        CLARIFICATION = "clarification", _("Clarification")

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    note = models.TextField(_("public note"), max_length=5000)
    old_rating = models.ForeignKey(
        "Rating",
        verbose_name=_("previous rating"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    new_rating = models.ForeignKey(
        "Rating",
        verbose_name=_("new rating"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    old_conclusion = models.CharField(_("previous conclusion"), max_length=300, blank=True)
    new_conclusion = models.CharField(_("new conclusion"), max_length=300, blank=True)
    old_explanation = models.TextField(_("previous explanation"), blank=True)
    new_explanation = models.TextField(_("new explanation"), blank=True)
    created_by = user_field(_("created by"), "+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        constraints = [
            models.UniqueConstraint(
                fields=["claim"],
                condition=models.Q(status__in=["draft", "in_review", "changes_requested"]),
                name="correction_one_open_per_claim",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="correction_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.claim}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def proposed_changes(self) -> list[tuple[str, object, object]]:
        """(label, current, proposed) for each verdict field the correction changes."""
        changes = []
        for name in self.FIELDS:
            current, proposed = getattr(self.claim, name), getattr(self, f"new_{name}")
            if current != proposed:
                label = Claim._meta.get_field(name).verbose_name
                changes.append((label, current, proposed))
        return changes


class ClaimEventQuerySet(models.QuerySet):
    def notifications_for(self, user) -> "ClaimEventQuerySet":
        """What others did with the user's claims (authored or assigned), or addressed
        to the user: their desk notifications."""
        return self.filter(ClaimEvent.concerning(user)).exclude(actor=user)

    def unread_by(self, user) -> "ClaimEventQuerySet":
        seen_at = (
            DeskProfile.objects.filter(user=user)
            .values_list("notifications_seen_at", flat=True)
            .first()
        )
        events = self.notifications_for(user)
        return events if seen_at is None else events.filter(created_at__gt=seen_at)


class ClaimEvent(models.Model):
    """Something that happened to a claim: the desk's timeline and notifications."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("submitted for review")
        APPROVED = "approved", _("approved")
        CHANGES_REQUESTED = "changes_requested", _("requested changes")
        PUBLISHED = "published", _("published")
        DISMISSED = "dismissed", _("dismissed")
        REOPENED = "reopened", _("reopened")
        UNPUBLISHED = "unpublished", _("unpublished")
        ASSIGNED = "assigned", _("assigned")
        CORRECTION_OPENED = "correction_opened", _("opened a correction")
        CORRECTION_WITHDRAWN = "correction_withdrawn", _("withdrew a correction")
        ERROR_REPORTED = "error_reported", _("reported an error")
        APPEARANCE_ADDED = "appearance_added", _("linked a new appearance (waiting for review)")
        APPEARANCE_APPROVED = "appearance_approved", _("approved a new appearance")
        APPEARANCE_REJECTED = "appearance_rejected", _("rejected a new appearance")
        APPEARANCE_WITHDRAWN = "appearance_withdrawn", _("removed a new appearance before review")
        REMOVAL_REQUESTED = "removal_requested", _("asked to remove an appearance")
        REMOVAL_APPROVED = "removal_approved", _("approved removing an appearance")
        REMOVAL_REJECTED = "removal_rejected", _("declined removing an appearance")
        # The article watch made a new revision that left passages to check
        # (claims/tasks/watch.py); params {"article": pk, "revision": number, "count": n}.
        ARTICLE_CHANGED = "article_changed", _("the publisher changed the article")
        # By the link check (actor None): {"source": pk, "url": the address checked}.
        SOURCE_UNREACHABLE = "source_unreachable", _("a source is no longer reachable")

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # None for readers (error reports) and the system.
    actor = user_field(_("by"), "+")
    # Whom it concerns besides the claim's author and assignee (e.g. the new assignee).
    recipient = user_field(_("for"), "+")
    # What a person typed (a reviewer's comment, a correction note): shown as typed.
    comment = models.TextField(_("comment"), blank=True)
    # Machine values, put into words in the reader's language when shown (describe()):
    # {"reason": ErrorReport.Reason, "report": pk} for a reader's error report and a
    # correction opened from it; {"tip": pk, "tip_text": …, "seen_at": …} for a claim made
    # from a reader's tip (the tip's words are the reader's, shown as typed).
    params = models.JSONField(_("details"), default=dict, blank=True)
    claim_version = models.PositiveIntegerField(_("claim version"))
    correction = models.ForeignKey(
        Correction,
        verbose_name=_("correction"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = ClaimEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")

    def __str__(self) -> str:
        return f"{self.claim} · {self.get_kind_display()}"

    @staticmethod
    def concerning(user) -> models.Q:
        """The events that concern ``user``: of claims they wrote or are assigned to, or
        addressed to them (their notifications, and the emails of those kinds).

        The user's claims are looked up here (one query) and named in the condition: the
        database then reads the events of those claims and those addressed to the user
        from their two indexes. Written as a join or a subquery, the OR with the recipient
        made PostgreSQL read every event (0.4–0.9 s at two million; docs/performance-work.md).
        """
        mine = list(
            Claim.objects.filter(models.Q(author=user) | models.Q(assignee=user))
            .order_by()
            .values_list("pk", flat=True)
        )
        return models.Q(claim_id__in=mine) | models.Q(recipient=user)

    @property
    def by(self) -> str:
        """Who did it, for the timeline and notifications (empty where :meth:`describe`
        is a whole sentence that names who did it)."""
        if self.kind in (self.Kind.ARTICLE_CHANGED, self.Kind.SOURCE_UNREACHABLE):
            return ""
        if self.actor is not None:
            return self.actor.get_username()
        if self.kind == self.Kind.ERROR_REPORTED:
            return gettext("A reader")
        return pgettext("who did it", "The system")

    def describe(self) -> str:
        """What happened, in the current language: the words after the actor's name
        ("approved the correction", "reported an error: Verdict disputed"). Plain text."""
        from claims.models.reader_input import ErrorReport

        reason = self.params.get("reason")
        reason = ErrorReport.Reason(reason).label if reason in ErrorReport.Reason.values else None
        if self.kind == self.Kind.ERROR_REPORTED and reason:
            return gettext("reported an error (%(reason)s)") % {"reason": reason}
        if self.kind == self.Kind.CORRECTION_OPENED and reason:
            return gettext("opened a correction after a reader’s error report (%(reason)s)") % {
                "reason": reason
            }
        if self.kind == self.Kind.ARTICLE_CHANGED:
            count = int(self.params.get("count") or 0)
            return ngettext(
                "The publisher changed the article: %(count)d passage needs checking",
                "The publisher changed the article: %(count)d passages need checking",
                count,
            ) % {"count": count}
        if self.kind == self.Kind.SOURCE_UNREACHABLE and self.params.get("url"):
            return gettext("A source is no longer reachable: %(url)s") % {
                "url": self.params["url"]
            }
        if self.kind == self.Kind.ASSIGNED and "tip" in self.params:
            return gettext("made a claim from a reader’s tip")
        what = str(self.get_kind_display())
        if self.correction is not None:
            what += f" ({self.correction.get_kind_display()})"
        return what

    def details(self) -> list[tuple[str, str]]:
        """(label, text) pairs from the parameters: the reader's words, labelled in the
        current language."""
        pairs = []
        if self.params.get("tip_text"):
            pairs.append((gettext("The reader’s tip:"), self.params["tip_text"]))
        if self.params.get("seen_at"):
            pairs.append((gettext("Seen at:"), self.params["seen_at"]))
        if self.params.get("quote"):
            pairs.append((gettext("Passage:"), self.params["quote"]))
        if self.params.get("article") and self.kind != self.Kind.ARTICLE_CHANGED:
            pairs.append((gettext("Article:"), self.params["article"]))
        return pairs


class EmailKind(models.TextChoices):
    """What a desk email is about: each user chooses, per kind, how often to hear of it."""

    REVIEW_REQUESTS = "review_requests", _("Review requests")
    DECISIONS = "decisions", _("Decisions on your claims")
    READER_REPORTS = "reader_reports", _("Reader tips and error reports")
    ARTICLE_CHANGES = "article_changes", _("Changed articles")
    DEAD_SOURCES = "dead_sources", _("Unreachable sources")


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("At once")
    DAILY = "daily", _("In the daily digest")
    NONE = "none", _("Never")


# What a user gets before choosing: what waits for them at once, the rest once a day.
EMAIL_DEFAULTS = {
    EmailKind.REVIEW_REQUESTS: EmailFrequency.IMMEDIATELY,
    EmailKind.DECISIONS: EmailFrequency.IMMEDIATELY,
    EmailKind.READER_REPORTS: EmailFrequency.DAILY,
    EmailKind.ARTICLE_CHANGES: EmailFrequency.DAILY,
    EmailKind.DEAD_SOURCES: EmailFrequency.DAILY,
}


class DeskProfile(models.Model):
    """Per-user desk state: when the user last read their notifications, and what they
    want by email (per ``EmailKind`` one ``EmailFrequency``, in which language, and the
    hour of the daily digest)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="desk_profile",
    )
    notifications_seen_at = models.DateTimeField(_("notifications read"), null=True, blank=True)
    # {EmailKind value: EmailFrequency value}; a kind left out has its EMAIL_DEFAULTS.
    email_preferences = models.JSONField(_("email preferences"), default=dict, blank=True)
    # Empty: the language of the user's last sign-in (desk_language), else LANGUAGE_CODE.
    email_language = models.CharField(
        _("language of emails"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    desk_language = models.CharField(_("language of the last sign-in"), max_length=10, blank=True)
    # The local hour (TIME_ZONE) from which the daily digest is sent.
    digest_hour = models.PositiveSmallIntegerField(
        _("hour of the daily digest"),
        default=7,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
    )
    # The end of the period the last digest covered: the next one starts there.
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("desk profile")
        verbose_name_plural = _("desk profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest_hour__lte=23), name="deskprofile_digest_hour_in_day"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    def frequency(self, kind: str) -> str:
        """How often the user wants emails of ``kind`` (an ``EmailKind`` value)."""
        chosen = self.email_preferences.get(kind)
        return chosen if chosen in EmailFrequency.values else EMAIL_DEFAULTS[kind]

    @property
    def language(self) -> str:
        """The language of the user's emails."""
        codes = {code for code, _name in settings.LANGUAGES}
        for code in (self.email_language, self.desk_language):
            if code in codes:
                return code
        return settings.LANGUAGE_CODE
