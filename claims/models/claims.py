from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from claims.models.articles import Article, ArticleRevision
from claims.models.base import (
    WebURLField,
    unique_slug,
    validate_language_tag,
    web_url_check,
)
from claims.models.lifecycle import ClaimLifecycle
from claims.text import SpanError, check_boundaries, quote_context

# "This claim is %(status)s.": English lowercases the label; German sentences say
# "Status: %(status)s" and keep it as it is (capitalised nouns).
STATUS_IN_SENTENCE = {
    "draft": pgettext_lazy("this claim is …", "draft"),
    "in_review": pgettext_lazy("this claim is …", "in review"),
    "changes_requested": pgettext_lazy("this claim is …", "changes requested"),
    "published": pgettext_lazy("this claim is …", "published"),
    "dismissed": pgettext_lazy("this claim is …", "dismissed"),
}


class ClaimQuerySet(models.QuerySet):
    def published(self) -> "ClaimQuerySet":
        """Claims the public may see. Every public read starts here."""
        return self.filter(status=Claim.Status.PUBLISHED)

    def withdrawn(self) -> "ClaimQuerySet":
        """Claims published once and no longer public (unpublished). Their public page
        says only that the fact-check was withdrawn (410), nothing of the claim."""
        return self.exclude(status=Claim.Status.PUBLISHED).filter(published_at__isnull=False)

    def awaiting_review(self) -> "ClaimQuerySet":
        """Claims in review, and published claims whose correction is in review; the
        longest-waiting first."""
        return self.filter(
            models.Q(status=Claim.Status.IN_REVIEW)
            | models.Q(status=Claim.Status.PUBLISHED, corrections__status="in_review")
        ).order_by("submitted_at", "pk")


class Claim(ClaimLifecycle, models.Model):
    """A checkable statement, its verdict and the evidence for it.

    Its status changes only through the lifecycle methods (``submit_for_review``,
    ``approve``, ``publish`` …) in ``claims.models.lifecycle``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        DISMISSED = "dismissed", _("Dismissed")

    RECOMMENDED_CLAIM_LENGTH = 75
    # What the desk's claim panel edits (and compares when two editors collide).
    PANEL_FIELDS = [
        "claim_reviewed",
        "slug",
        "claimant",
        "claimant_url",
        "claim_date",
        "rating",
        "conclusion",
        "explanation",
        "assignee",
    ]

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    # Until the first publication, a slug nobody set by hand follows the claim as reviewed.
    slug_set_by_hand = models.BooleanField(_("slug set by hand"), default=False)
    claim_reviewed = models.CharField(
        _("claim as reviewed"),
        max_length=250,
        help_text=_(
            "The statement in one short sentence (under 75 characters), no verdict in it."
        ),
    )
    claimant = models.CharField(_("claimant"), max_length=200, blank=True)
    claimant_url = WebURLField(_("claimant URL"), max_length=2000, blank=True)
    claim_date = models.DateField(_("claim date"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=35, default="de", validators=[validate_language_tag]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    rating = models.ForeignKey(
        "Rating",
        verbose_name=_("rating"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
    )
    conclusion = models.CharField(_("conclusion"), max_length=300, blank=True)
    explanation = models.TextField(_("explanation"), blank=True, help_text=_("Markdown."))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authored_claims",
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_claims",
    )
    # Bumped on every saved edit: reviews approve one version, and a stale form is
    # refused instead of overwriting someone else's change.
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted for review"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="claim_published_has_date",
            ),
            web_url_check("claimant_url", "claim_claimant_url_web"),
        ]

    def __str__(self) -> str:
        return self.claim_reviewed

    def get_absolute_url(self) -> str:
        return reverse("claims:claim", kwargs={"slug": self.slug})

    def status_in_sentence(self) -> str:
        """The status as it reads after "this claim is …" ("draft", "in review"); the
        German labels are capitalised nouns, and lowercasing them would be wrong."""
        return str(STATUS_IN_SENTENCE.get(self.status, self.get_status_display()))

    def refresh_slug(self) -> None:
        """Make the slug from the claim as reviewed, unless an editor set it by hand or the
        claim was ever published (its public address never changes). Not saved here."""
        if self.published_at is None and not self.slug_set_by_hand:
            self.slug = unique_slug(Claim, self.claim_reviewed, exclude_pk=self.pk)


class MentionQuerySet(models.QuerySet):
    def published(self) -> "MentionQuerySet":
        return self.filter(claim__status=Claim.Status.PUBLISHED)

    def in_public_articles(self) -> "MentionQuerySet":
        """Mentions in the current text of a published article (claims not filtered)."""
        return self.filter(
            revision__article__status=Article.Status.PUBLISHED,
            revision__article__current_revision=models.F("revision"),
        ).shown()

    def shown(self) -> "MentionQuerySet":
        """Without mentions whose quoted text changed in a new revision and that nobody
        has confirmed yet: the verdict may not apply to the new wording."""
        return self.exclude(anchor=Mention.Anchor.REANCHORED, quote_changed=True)

    def needing_review(self, article) -> "MentionQuerySet":
        """Mentions re-anchoring moved (on the current text) or orphaned (left on an
        older revision) in ``article``: the editor confirms or fixes them."""
        return self.filter(revision__article=article).filter(
            models.Q(anchor=Mention.Anchor.REANCHORED, revision=article.current_revision_id)
            | models.Q(anchor=Mention.Anchor.ORPHANED)
        )

    def in_revision(self, revision: ArticleRevision) -> "MentionQuerySet":
        return self.filter(revision=revision)


class Mention(models.Model):
    """Where a claim appears: a span of one article revision's text.

    ``start``/``end`` are Unicode code-point offsets into ``revision.text``; ``exact``,
    ``prefix`` and ``suffix`` keep the quote and its context so the mention can be
    re-anchored when the article's text changes.
    """

    class Anchor(models.TextChoices):
        ANCHORED = "anchored", _("Anchored")
        REANCHORED = "reanchored", _("Re-anchored")
        ORPHANED = "orphaned", _("Orphaned")

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="mentions"
    )
    revision = models.ForeignKey(
        ArticleRevision,
        verbose_name=_("article revision"),
        on_delete=models.CASCADE,
        related_name="mentions",
    )
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    exact = models.TextField(_("quote"))
    prefix = models.CharField(_("text before"), max_length=32, blank=True)
    suffix = models.CharField(_("text after"), max_length=32, blank=True)
    anchor = models.CharField(
        _("anchor state"), max_length=20, choices=Anchor.choices, default=Anchor.ANCHORED
    )
    anchor_confidence = models.FloatField(_("anchor confidence"), null=True, blank=True)
    # Set by re-anchoring when the article's text changed: the quote now found at the new
    # place differs from the one that was checked, and where the mention was before.
    quote_changed = models.BooleanField(_("quoted text changed"), default=False)
    previous_revision = models.ForeignKey(
        ArticleRevision,
        verbose_name=_("previous revision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    previous_exact = models.TextField(_("previous quote"), blank=True)
    previous_prefix = models.CharField(_("previous text before"), max_length=32, blank=True)
    previous_suffix = models.CharField(_("previous text after"), max_length=32, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["revision", "start", "-end", "pk"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        # A revision's passages are read in text order (the article page, the workspace) and
        # by range (the paragraphs an edit touched): both walk this index.
        indexes = [models.Index(fields=["revision", "start"], name="mention_revision_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="mention_start_before_end"
            ),
            models.UniqueConstraint(
                fields=["claim", "revision", "start", "end"], name="mention_unique_span_per_claim"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exact[:60]} ({self.start}–{self.end})"

    def clean(self) -> None:
        """Offsets must fit the revision's text; the quote and context follow from them."""
        super().clean()
        if self.revision_id is None or self.start is None or self.end is None:
            return
        try:
            self.take_quote()
        except SpanError as error:
            raise ValidationError(
                _("The passage %(start)s–%(end)s does not fit the article text (%(problem)s)."),
                params={"start": self.start, "end": self.end, "problem": error.message},
                code=error.code,
            ) from error

    @property
    def context_before(self) -> str:
        """The text before the quote for display: whole words, "…" when cut."""
        if self.start <= len(self.prefix):  # the prefix reaches the start of the text
            return self.prefix
        head, _, rest = self.prefix.partition(" ")
        return "…" + (rest if rest else head)

    @property
    def context_after(self) -> str:
        """The text after the quote for display: whole words, "…" when cut."""
        if len(self.suffix) < 32:  # the suffix reaches the end of the text
            return self.suffix
        rest, _, tail = self.suffix.rpartition(" ")
        return (rest if rest else tail) + "…"

    @classmethod
    def for_span(cls, *, claim, revision, start: int, end: int, created_by=None) -> "Mention":
        """An unsaved mention of ``[start, end)`` in ``revision``, quote and context taken
        from the text (raises the text engine's ``SpanError`` for a span that does not fit)."""
        mention = cls(claim=claim, revision=revision, start=start, end=end, created_by=created_by)
        mention.take_quote()
        return mention

    def take_quote(self) -> None:
        """Set ``exact``, ``prefix`` and ``suffix`` from the revision text and the offsets."""
        text = self.revision.text
        check_boundaries(text, self.start, self.end)
        quote = quote_context(text, self.start, self.end)
        self.exact, self.prefix, self.suffix = quote.exact, quote.prefix, quote.suffix


class Source(models.Model):
    """A piece of evidence for or against a claim."""

    class Kind(models.TextChoices):
        PRIMARY = "primary", _("Primary document")
        OFFICIAL = "official", _("Official statement")
        DATASET = "dataset", _("Dataset")
        EXPERT = "expert", _("Expert")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    class Stance(models.TextChoices):
        SUPPORTS = "supports", _("Supports")
        REFUTES = "refutes", _("Refutes")
        CONTEXT = "context", _("Context")

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="sources"
    )
    url = WebURLField(_("URL"), max_length=2000)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    accessed_on = models.DateField(_("accessed"), null=True, blank=True)
    archive_url = WebURLField(_("archive URL"), max_length=2000, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    stance = models.CharField(
        _("stance"), max_length=20, choices=Stance.choices, default=Stance.CONTEXT
    )
    quote = models.TextField(_("quoted passage"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "position", "pk"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            web_url_check("url", "source_url_web"),
            web_url_check("archive_url", "source_archive_url_web"),
        ]

    def __str__(self) -> str:
        return self.title
