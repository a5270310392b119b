from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims.models.base import WebURLField, user_field, web_url_check
from claims.models.claims import Claim


class ModerationStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


# Personal data kept out of the moderation history (see ``purgereaderinput``).
HISTORY_EXCLUDED = ["email", "client_hash"]


class ReaderInput(models.Model):
    """Fields every piece of reader input has: moderation state and privacy-safe origin."""

    Status = ModerationStatus

    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ModerationStatus.choices,
        default=ModerationStatus.NEW,
        db_index=True,
    )
    # A salted hash of the client address: enough to spot floods, useless to identify.
    client_hash = models.CharField(_("client hash"), max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=35, blank=True)
    # Given with an email address only (the public forms refuse one without the other).
    consent = models.BooleanField(_("consent to be contacted"), default=False)
    moderator_note = models.TextField(_("moderator note"), blank=True)
    # A moderator's answer to the reader (only to an address given with consent); sent
    # by a task (claims.tasks.email.send_reader_reply), which sets reply_sent_at.
    reply = models.TextField(_("reply to the reader"), blank=True)
    reply_by = user_field(_("replied by"), "+")
    reply_sent_at = models.DateTimeField(_("reply sent"), null=True, blank=True)
    handled_by = user_field(_("handled by"), "+")
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def may_be_answered(self) -> bool:
        """Whether the reader gave an address and consent to be written to."""
        return bool(self.email) and self.consent


class Tip(ReaderInput):
    """A claim a reader suggests for checking."""

    claim_text = models.TextField(_("claim"), max_length=2000)
    seen_at_url = WebURLField(_("where it was seen (URL)"), max_length=2000, blank=True)
    seen_at = models.CharField(_("where it was seen"), max_length=500, blank=True)
    claim = models.ForeignKey(
        Claim,
        verbose_name=_("resulting claim"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tips",
    )

    # Every moderation step with the moderator (history_user). The reader's address and
    # client hash stay out of the history, so deleting the tip deletes them.
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta(ReaderInput.Meta):
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        constraints = [web_url_check("seen_at_url", "tip_seen_at_url_web")]

    def __str__(self) -> str:
        return self.claim_text[:80]


class ErrorReport(ReaderInput):
    """A reader's report that a published fact-check is wrong."""

    class Reason(models.TextChoices):
        WRONG_PASSAGE = "wrong_passage", _("Wrong passage marked")
        VERDICT_DISPUTED = "verdict_disputed", _("Verdict disputed")
        SOURCE_PROBLEM = "source_problem", _("Source broken or wrong")
        OTHER = "other", _("Other")

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="error_reports"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    message = models.TextField(_("message"), max_length=5000)
    # The correction a moderator opened from this report, if any.
    correction = models.ForeignKey(
        "Correction",
        verbose_name=_("correction"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="error_reports",
    )

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta(ReaderInput.Meta):
        verbose_name = _("error report")
        verbose_name_plural = _("error reports")

    def __str__(self) -> str:
        return f"{self.get_reason_display()} · {self.claim}"


class ReaderRateCount(models.Model):
    """Reader submissions of one client in one rate-limit window, counted in the database
    while the shared cache (where they are normally counted) cannot be reached
    (``claims.abuse.hit``). Rows of past windows are deleted as new ones are made."""

    client_hash = models.CharField(_("client hash"), max_length=64)
    # The window's start, in seconds since the epoch (a multiple of the window length).
    window_start = models.BigIntegerField(_("window start"))
    count = models.PositiveIntegerField(_("submissions"), default=0)

    class Meta:
        verbose_name = _("reader rate count")
        verbose_name_plural = _("reader rate counts")
        constraints = [
            models.UniqueConstraint(
                fields=["client_hash", "window_start"], name="reader_rate_one_row_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_hash[:12]} @ {self.window_start}: {self.count}"
