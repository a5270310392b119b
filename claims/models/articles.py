from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims.models.base import WebURLField, user_field, validate_language_tag, web_url_check
from claims.models.lifecycle import WorkflowError
from claims.roles import may
from claims.text import normalize, paragraph_spans
from claims.text.blocks import ROLES, BlockError, check_blocks, compact


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """Articles readers can see. Every public read of articles starts here."""
        return self.filter(status=Article.Status.PUBLISHED)

    def withdrawn(self) -> "ArticleQuerySet":
        """Articles that were public and were unpublished: their page answers 410."""
        return self.filter(status=Article.Status.WITHDRAWN)


class Article(models.Model):
    """A news article whose claims are checked. Its text lives in revisions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not public yet")
        PUBLISHED = "published", _("Public")
        WITHDRAWN = "withdrawn", _("Unpublished")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    outlet = models.CharField(_("outlet"), max_length=200, blank=True)
    original_url = WebURLField(_("original URL"), max_length=2000, blank=True)
    byline = models.CharField(_("byline"), max_length=300, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=35, default="de", validators=[validate_language_tag]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # The revision shown and annotated now; older revisions stay for the record.
    current_revision = models.ForeignKey(
        "ArticleRevision",
        verbose_name=_("current revision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = user_field(_("created by"), "+")
    # When readers first could see it; kept when it is unpublished.
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Why it was last unpublished (desk only; readers see a plain notice).
    withdrawal_reason = models.TextField(_("reason for unpublishing"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = ArticleQuerySet.as_manager()

    # Fields the desk's article form edits (the text changes only through a new revision).
    METADATA_FIELDS = ["title", "outlet", "byline", "original_url", "published_on", "language"]

    class Meta:
        ordering = ["-published_on", "-created_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
            web_url_check("original_url", "article_original_url_web"),
        ]
        indexes = [
            # Published articles newest first: the home page and the articles index read
            # their page in this order instead of sorting every article.
            models.Index(
                fields=["status", "-published_on", "-created_at"], name="article_status_newest"
            ),
            # The desk's latest articles (any status).
            models.Index(fields=["-created_at"], name="article_created"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Another article's revision here would show its (maybe unpublished) text.
        self._check_current_revision(ValueError)
        self._check_slug_frozen(kwargs.get("update_fields"))
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("claims:article", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        self._check_current_revision(ValidationError)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    # --- Lifecycle: who may make the article public, and take it back ---------------------
    # An article becomes public with its first published claim (Claim.publish calls
    # publish_with_claim) or by a reviewer's action on the desk; unpublishing needs a
    # reason and makes its public page answer 410. Both are recorded in its history.
    def may_unpublish(self, user) -> bool:
        return may(user, "publish") and self.status == self.Status.PUBLISHED

    @transaction.atomic
    def publish(self, *, by) -> None:
        if not may(by, "publish"):
            raise WorkflowError(gettext("Only reviewers publish articles."), "forbidden")
        article = type(self).objects.select_for_update().get(pk=self.pk)
        if article.status == self.Status.PUBLISHED:
            raise WorkflowError(gettext("The article is public already."), "status")
        if article.current_revision_id is None:
            raise WorkflowError(gettext("The article has no text yet."), "status")
        article._make_public(by, "published:desk")
        self.refresh_from_db()

    @transaction.atomic
    def unpublish(self, *, by, reason: str) -> None:
        if not may(by, "publish"):
            raise WorkflowError(gettext("Only reviewers unpublish articles."), "forbidden")
        reason = (reason or "").strip()
        if not reason:
            raise WorkflowError(gettext("Say why the article is unpublished."), "required")
        article = type(self).objects.select_for_update().get(pk=self.pk)
        if article.status != self.Status.PUBLISHED:
            raise WorkflowError(gettext("Only a public article can be unpublished."), "status")
        article.status = self.Status.WITHDRAWN
        article.withdrawal_reason = reason
        article._history_user = by
        article._change_reason = "unpublished"
        article.save()
        self.refresh_from_db()

    def publish_with_claim(self, *, by, claim) -> bool:
        """Make the article public because ``claim``, marked in it, was just published.
        Only an article never made public: an unpublished one stays unpublished until a
        reviewer publishes it again on purpose. Call inside the claim's transaction."""
        article = type(self).objects.select_for_update().get(pk=self.pk)
        if article.status != self.Status.DRAFT or article.current_revision_id is None:
            return False
        article._make_public(by, f"published:claim:{claim.slug}")
        self.refresh_from_db()
        return True

    def _make_public(self, by, reason: str) -> None:
        """``reason``: a code for the history record, put into words in the reader's
        language when shown (``claims.views.articles.article_history``)."""
        self.status = self.Status.PUBLISHED  # save() dates a first publication
        self._history_user = by
        self._change_reason = reason[:100]
        self.save()

    def last_withdrawal(self):
        """The history record of the unpublishing that holds now (who, when), or None
        while the article is not unpublished."""
        if not self.is_withdrawn:
            return None
        last_public = (
            self.history.filter(status=self.Status.PUBLISHED)
            .order_by("-history_date", "-history_id")
            .values_list("history_date", flat=True)
            .first()
        )
        records = self.history.filter(status=self.Status.WITHDRAWN)
        if last_public is not None:
            records = records.filter(history_date__gt=last_public)
        return (
            records.select_related("history_user").order_by("history_date", "history_id").first()
        )

    def _check_slug_frozen(self, update_fields) -> None:
        """Readers may have linked to a public article: its address never changes (in the
        desk, the admin or anywhere else) once it was first published."""
        if self.pk is None or self._state.adding:
            return
        if update_fields is not None and "slug" not in update_fields:
            return  # a save of other fields (a new current revision…): nothing to read
        stored = type(self).objects.filter(pk=self.pk).values("slug", "published_at").first()
        if stored and stored["published_at"] is not None and stored["slug"] != self.slug:
            raise ValueError("A published article's slug never changes.")

    def _check_current_revision(self, error: type[Exception]) -> None:
        revision = self.current_revision
        if revision is not None and (self.pk is None or revision.article_id != self.pk):
            raise error(_("The current revision must be a revision of this article."))


class ArticleRevision(models.Model):
    """An immutable snapshot of an article's normalised text.

    Mention offsets point into ``text``; a changed text is a new revision, never an edit.
    """

    class Origin(models.TextChoices):
        PASTE = "paste", _("Pasted")
        UPLOAD = "upload", _("Uploaded file")
        URL = "url", _("Fetched from URL")
        SEED = "seed", _("Seed data")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"))
    # One role per paragraph of the text ("p", "h2", "h3", "li", "quote"; see
    # claims.text.blocks), or empty: every paragraph a plain one. Metadata beside the text,
    # never characters in it, so offsets do not depend on it; the one field an editor may
    # change on a saved revision (services.revision_block_set).
    blocks = models.JSONField(_("paragraph roles"), default=list, blank=True)
    origin = models.CharField(
        _("origin"), max_length=20, choices=Origin.choices, default=Origin.PASTE
    )
    created_by = user_field(_("created by"), "+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["article", "number"]
        get_latest_by = "number"
        verbose_name = _("article revision")
        verbose_name_plural = _("article revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="revision_unique_number_per_article"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="revision_number_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article} · r{self.number}"

    ROLES = ROLES

    def save(self, *args, **kwargs) -> None:
        only_blocks = set(kwargs.get("update_fields") or ()) == {"blocks"}
        if self.pk is not None and not self._state.adding and not only_blocks:
            raise ValueError("Article revisions are immutable; create a new revision instead.")
        # Offsets point into the normalised text: never store anything else.
        self.text = normalize(self.text)
        try:
            self.blocks = compact(check_blocks(self.text, self.blocks or []))
        except BlockError as error:
            raise ValueError(str(error)) from None
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        try:
            check_blocks(normalize(self.text), self.blocks or [])
        except BlockError as error:
            if error.code == "role":
                message = _("Each paragraph's role must be one of: %(roles)s.")
                raise ValidationError({"blocks": message % {"roles": ", ".join(ROLES)}}) from None
            raise ValidationError(
                {"blocks": _("Give one role for each paragraph of the text.")}
            ) from None

    def roles(self) -> list[str]:
        """One role per paragraph (``"p"`` for all when none are stored)."""
        return list(self.blocks) or ["p"] * len(paragraph_spans(self.text))
