from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims.models.base import WebURLField, validate_language_tag
from claims.text import normalize


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        return self.filter(status=Article.Status.PUBLISHED)


class Article(models.Model):
    """A news article whose claims are checked. Its text lives in revisions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-created_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Another article's revision here would show its (maybe unpublished) text.
        self._check_current_revision(ValueError)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("claims:article", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        self._check_current_revision(ValidationError)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

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
    origin = models.CharField(
        _("origin"), max_length=20, choices=Origin.choices, default=Origin.PASTE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
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

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("Article revisions are immutable; create a new revision instead.")
        # Offsets point into the normalised text: never store anything else.
        self.text = normalize(self.text)
        super().save(*args, **kwargs)
