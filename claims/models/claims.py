from dataclasses import dataclass
from datetime import datetime

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
    user_field,
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


# What a published claim may change without review (docs/architecture.md, "Changes
# readers see"): who made the claim, and its sources. Each such change is listed in the
# claim's public history (``Claim.unreviewed_changes``).
CLAIMANT_FIELDS = ("claimant", "claimant_url", "claim_date")
SOURCE_FIELDS = (
    "url",
    "title",
    "publisher",
    "published_on",
    "accessed_on",
    "archive_url",
    "kind",
    "stance",
    "quote",
)


@dataclass(frozen=True)
class PublicChange:
    """A change made to a published claim without review, for its public history:
    ``kind`` is "claimant", "source_added", "source_changed" or "source_removed";
    ``title`` the source's title (as it was, for a removed one); ``fields`` the labels of
    what changed."""

    when: datetime
    kind: str
    title: str = ""
    fields: tuple[str, ...] = ()


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
        # The few claims with a correction in review are looked up first and named: joined
        # and OR-ed with the status, they made the database read every claim (and the
        # join needed DISTINCT); named, both halves come from an index.
        corrected = list(
            Claim.objects.filter(
                status=Claim.Status.PUBLISHED, corrections__status="in_review"
            ).values_list("pk", flat=True)
        )
        return self.filter(
            models.Q(status=Claim.Status.IN_REVIEW) | models.Q(pk__in=corrected)
        ).order_by("submitted_at", "pk")


class Claim(ClaimLifecycle, models.Model):
    """A checkable statement, its verdict and the evidence for it.

    Its status changes only through the lifecycle methods (``submit``,
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
    author = user_field(_("author"), "authored_claims")
    last_edited_by = user_field(_("last edited by"), "+")
    assignee = user_field(_("assignee"), "assigned_claims")
    # Bumped on every saved edit: reviews approve one version, and a stale form is
    # refused instead of overwriting someone else's change.
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted for review"), null=True, blank=True)
    submitted_by = user_field(_("submitted by"), "+")
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
        indexes = [
            # Published claims newest first: the API's cursor pages (WHERE (published_at,
            # id) < (…) ORDER BY published_at DESC, id DESC LIMIT n) and the claims index,
            # read from the index instead of sorting every published claim. Not a partial
            # index: SQLite uses one only for a literal status, and Django binds it.
            models.Index(
                "status",
                models.F("published_at").desc(),
                models.F("id").desc(),
                name="claim_status_newest",
            ),
            # One status, latest change first: the desk's claim lists, and the sitemap
            # index's lastmod of the claims section (MAX(updated_at) of the published
            # claims, read from the index's first entry instead of every claim).
            models.Index(
                "status",
                models.F("updated_at").desc(),
                models.F("id").desc(),
                name="claim_status_updated",
            ),
        ]

    def __str__(self) -> str:
        return self.claim_reviewed

    def get_absolute_url(self) -> str:
        return reverse("claims:claim", kwargs={"slug": self.slug})

    @classmethod
    def panel_changes(cls, old, new) -> list[models.Field]:
        """The panel's fields whose stored values differ between two states of a claim
        (claims, unsaved edits or history records): what a diff or an edit conflict shows."""
        fields = (cls._meta.get_field(name) for name in cls.PANEL_FIELDS)
        return [f for f in fields if getattr(old, f.attname) != getattr(new, f.attname)]

    def status_in_sentence(self) -> str:
        """The status as it reads after "this claim is …" ("draft", "in review"); the
        German labels are capitalised nouns, and lowercasing them would be wrong."""
        return str(STATUS_IN_SENTENCE.get(self.status, self.get_status_display()))

    def unreviewed_changes(self) -> list[PublicChange]:
        """Changes to the claimant and the sources since the claim was first published,
        newest first (two queries, from the history records: every write path leaves one,
        the desk's and the admin's alike)."""
        if self.published_at is None:
            return []
        changes = []
        records = list(
            self.history.filter(history_date__gt=self.published_at).order_by("history_date")
        )
        before = (
            self.history.filter(history_date__lte=self.published_at)
            .order_by("-history_date")
            .first()
        )
        for previous, record in zip([before, *records], records, strict=False):
            if previous is None:
                continue
            changed = [
                str(Claim._meta.get_field(name).verbose_name)
                for name in CLAIMANT_FIELDS
                if getattr(previous, name) != getattr(record, name)
            ]
            if changed:
                changes.append(PublicChange(record.history_date, "claimant", "", tuple(changed)))
        last: dict[int, object] = {}
        for record in Source.history.filter(claim_id=self.pk).order_by("history_date", "pk"):
            previous = last.get(record.id)
            last[record.id] = record
            if record.history_date <= self.published_at:
                continue
            if record.history_type == "+":
                changes.append(PublicChange(record.history_date, "source_added", record.title))
            elif record.history_type == "-":
                changes.append(PublicChange(record.history_date, "source_removed", record.title))
            elif previous is not None:
                changed = [
                    str(Source._meta.get_field(name).verbose_name)
                    for name in SOURCE_FIELDS
                    if getattr(previous, name) != getattr(record, name)
                ]
                if changed:  # a new position alone is no change of the evidence
                    changes.append(
                        PublicChange(
                            record.history_date, "source_changed", record.title, tuple(changed)
                        )
                    )
        changes.sort(key=lambda change: change.when, reverse=True)
        return changes

    def refresh_slug(self) -> None:
        """Make the slug from the claim as reviewed, unless an editor set it by hand or the
        claim was ever published (its public address never changes). Not saved here."""
        if self.published_at is None and not self.slug_set_by_hand:
            self.slug = unique_slug(Claim, self.claim_reviewed, exclude_pk=self.pk)


class MentionQuerySet(models.QuerySet):
    def published(self) -> "MentionQuerySet":
        """Passages the public may see: of a published claim, and reviewed (a passage
        linked to an already published claim waits for a second person's approval)."""
        return self.filter(claim__status=Claim.Status.PUBLISHED).approved()

    def approved(self) -> "MentionQuerySet":
        """Without new appearances still waiting for approval (those waiting to be removed
        stay public until a second person approves the removal)."""
        return self.exclude(awaiting=Mention.Awaiting.ADDITION)

    def awaiting_review(self) -> "MentionQuerySet":
        """Appearances of published claims waiting for a reviewer: new ones, and approved
        ones an editor asked to remove; the longest-waiting first."""
        return (
            self.filter(claim__status=Claim.Status.PUBLISHED)
            .exclude(awaiting=Mention.Awaiting.NOTHING)
            .order_by("requested_at", "pk")
        )

    def in_public_articles(self) -> "MentionQuerySet":
        """Mentions in the current text of a published article (claims not filtered)."""
        return (
            self.filter(
                revision__article__status=Article.Status.PUBLISHED,
                revision__article__current_revision=models.F("revision"),
            )
            .shown()
            .approved()
        )

    def appearances(self) -> "MentionQuerySet":
        """Where readers see claims appear: in the current text of published articles,
        with their article, the earliest published article first (claim pages, their
        ClaimReview, the API, the data feed)."""
        return (
            self.in_public_articles()
            .select_related("revision__article")
            .order_by("revision__article__published_on", "pk")
        )

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

    class Awaiting(models.TextChoices):
        # Reviewed with its claim (or before it is published, reviewed when it is).
        NOTHING = "", _("Nothing")
        # Linked to an already published claim: public only once a second person approves.
        ADDITION = "addition", _("New appearance")
        # Approved and public; an editor asked to remove it, a second person decides.
        REMOVAL = "removal", _("Removal")

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
    created_by = user_field(_("created by"), "+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Four-eyes for passages of published claims (Claim.approve_appearance …): what waits
    # for a reviewer, who asked for it (never the one who approves it) and since when.
    awaiting = models.CharField(
        _("waiting for review"),
        max_length=10,
        choices=Awaiting.choices,
        default=Awaiting.NOTHING,
        blank=True,
        db_index=True,
    )
    requested_by = user_field(_("requested by"), "+")
    requested_at = models.DateTimeField(_("requested"), null=True, blank=True)

    history = HistoricalRecords()
    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["revision", "start", "-end", "pk"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        # A revision's passages are read in text order (the article page, the workspace) and
        # by range (the paragraphs an edit touched): both walk this index.
        indexes = [
            models.Index(fields=["revision", "start"], name="mention_revision_start"),
            # The few appearances waiting for a reviewer (the review queue and the desk's
            # counter), found without reading the hundreds of thousands that wait for none.
            models.Index(
                fields=["requested_at", "id"],
                condition=~models.Q(awaiting=""),
                name="mention_awaiting",
            ),
        ]
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

    @property
    def is_pending(self) -> bool:
        """A new appearance of a published claim that readers do not see yet."""
        return self.awaiting == self.Awaiting.ADDITION

    @property
    def removal_requested(self) -> bool:
        return self.awaiting == self.Awaiting.REMOVAL

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

    @property
    def link_state(self):
        """The link check of the address the source has now (a ``SourceCheck``), or
        ``None``: never checked, or checked before an editor changed the address. Load it
        with ``select_related("link_check")`` where sources are listed."""
        check = getattr(self, "link_check", None)  # no row: the accessor raises AttributeError
        return check if check is not None and check.url == self.url else None

    @property
    def unreachable_since(self):
        """When the source's address was flagged as unreachable, or ``None``."""
        check = self.link_state
        return check.unreachable_since if check is not None else None

    @property
    def kind_explained(self) -> str:
        """The kind in plain words for readers (the claim page's chips)."""
        return _SOURCE_KIND_EXPLAINED.get(self.kind, self.get_kind_display())

    @property
    def stance_explained(self) -> str:
        """The stance towards the claim in plain words for readers."""
        return _SOURCE_STANCE_EXPLAINED.get(self.stance, self.get_stance_display())


_SOURCE_KIND_EXPLAINED = {
    Source.Kind.PRIMARY: _("Primary source: the document itself"),
    Source.Kind.OFFICIAL: _("Official statement by an authority or organisation"),
    Source.Kind.DATASET: _("Data: figures from a dataset"),
    Source.Kind.EXPERT: _("Expert: the assessment of a specialist"),
    Source.Kind.REPORT: _("Report: coverage or analysis by others"),
    Source.Kind.OTHER: _("Other source"),
}
_SOURCE_STANCE_EXPLAINED = {
    Source.Stance.SUPPORTS: _("Supports the claim"),
    Source.Stance.REFUTES: _("Contradicts the claim"),
    Source.Stance.CONTEXT: _("Background: gives context"),
}
