from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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
        return self.filter(published_at__isnull=False, claim__status=Claim.Status.PUBLISHED)


class Correction(models.Model):
    """A public note recording how and why a published verdict changed."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")
        CLARIFICATION = "clarification", _("Clarification")

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.TextField(_("public note"))
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.claim}"
