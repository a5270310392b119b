"""What the claim matching and the check-worthiness hints keep (``claims/matching.py``).

All of it is derived data, made again from the texts whenever they change, so none of it
has a history: a claim's profile, a revision's analysis (hints and the state of its
matching) and the suggestions it found. Only the editors' "Not the same claim" is a
decision, kept per article so it survives a new revision of the text.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from claims.models.articles import Article, ArticleRevision
from claims.models.claims import Claim
from claims.text.terms import words


def sentence_key(text: str, language: str) -> str:
    """What identifies a sentence across revisions: the SHA-256 of its word keys, so a
    sentence written again with other quotation marks, case or spacing is the same."""
    keys = " ".join(word.key for word in words(text, language))
    return hashlib.sha256(keys.encode()).hexdigest()


class ClaimProfile(models.Model):
    """A claim's texts as the matching compares them: the claim as reviewed and every
    passage marked for it (``claims.matching.profile_texts``)."""

    claim = models.OneToOneField(
        Claim, on_delete=models.CASCADE, primary_key=True, related_name="match_profile"
    )
    # The informative keys of all its texts, space-separated: PostgreSQL's full-text
    # index (migration 0030) is built on this column; SQLite's in-process index reads it.
    keys = models.TextField(blank=True, default="")
    # One stored text profile per text (``claims.text.similarity.Profile.to_data``).
    profiles = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("claim profile for matching")
        verbose_name_plural = _("claim profiles for matching")

    def __str__(self) -> str:
        return str(self.claim_id)


class TextAnalysis(models.Model):
    """The hints and the matching of one revision's text, made in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    revision = models.OneToOneField(
        ArticleRevision,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="analysis",
        verbose_name=_("revision"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    # [[start, end, score, [reason codes], speaker], …] in text order.
    hints = models.JSONField(_("hints"), default=list, blank=True)
    # How many published claims the text was compared with.
    claims_compared = models.PositiveIntegerField(_("fact-checks compared"), default=0)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("text analysis")
        verbose_name_plural = _("text analyses")

    def __str__(self) -> str:
        return f"{self.revision_id}: {self.status}"


class ClaimSuggestion(models.Model):
    """A published claim that a sentence of a revision may repeat ("Already checked")."""

    revision = models.ForeignKey(
        ArticleRevision, on_delete=models.CASCADE, related_name="suggestions"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    sentence_key = models.CharField(max_length=64)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    # [[start, end], …]: the words of the sentence the claim shares, in the revision's text.
    words = models.JSONField(default=list)
    # 1 for the sentence's best match, 2 and 3 for the next.
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["start", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "start", "claim"], name="suggestion_once_per_sentence"
            ),
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="suggestion_start_before_end"
            ),
        ]
        verbose_name = _("claim suggestion")
        verbose_name_plural = _("claim suggestions")

    def __str__(self) -> str:
        return f"{self.revision_id} [{self.start}, {self.end}) → {self.claim_id}"


class SuggestionDismissal(models.Model):
    """An editor's "Not the same claim": this claim is not suggested again for this
    sentence of this article, in this revision or any later one."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="+", verbose_name=_("claim")
    )
    sentence_key = models.CharField(_("sentence key"), max_length=64)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dismissed by"),
    )
    dismissed_at = models.DateTimeField(_("dismissed"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "claim", "sentence_key"], name="dismissal_once"
            )
        ]
        verbose_name = _("dismissed suggestion")
        verbose_name_plural = _("dismissed suggestions")

    def __str__(self) -> str:
        return f"{self.article_id} ✕ {self.claim_id}"
