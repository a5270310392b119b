"""A web page being loaded as an article in the background (``claims.tasks.imports``).

The editor gives an address; the desk answers at once with an :class:`ArticleImport`
row, which the task moves from ``queued`` through ``fetching`` and ``extracting`` to
``ready`` (the extracted article waits here for the editor's check) or ``failed`` (with
the sentence that says why, as the synchronous import showed it). The editor may leave
and come back: the desk lists the imports of each editor until they are discarded.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArticleImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ArticleImportQuerySet":
        """An editor sees only their own imports (administrators see all)."""
        if user.is_superuser:
            return self
        return self.filter(requested_by=user)


class ArticleImport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        FETCHING = "fetching", _("Fetching the page")
        EXTRACTING = "extracting", _("Reading the text")
        READY = "ready", _("Ready to check")
        FAILED = "failed", _("Failed")

    PENDING = (Status.QUEUED, Status.FETCHING, Status.EXTRACTING)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="article_imports",
    )
    url = models.CharField(_("web address"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    # The editor's language when asking: the task writes errors and notices in it.
    message_language = models.CharField(max_length=35, default="en")
    # What the editor typed beside the address (title, outlet …): it wins over the page.
    given = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    error = models.TextField(_("error"), blank=True)
    # The extracted article, as the preview shows it.
    title = models.CharField(max_length=300, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    site_name = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=35, blank=True)
    final_url = models.CharField(max_length=2000, blank=True)
    # With the block markers of ``claims.text.blocks.marked_text`` (sub-headings, lists).
    text = models.TextField(blank=True)
    notices = models.JSONField(default=list, blank=True)
    # The digest of the text extracted from the page (claims.models.watch.text_digest): the
    # article watch's baseline, so a correction made in the preview is never taken for a
    # change by the publisher.
    source_digest = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    article = models.ForeignKey(
        "claims.Article",
        verbose_name=_("article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imports",
    )

    objects = ArticleImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("article import")
        verbose_name_plural = _("article imports")
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return self.url

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING

    def move_to(self, status: str, *, from_statuses=PENDING, **fields) -> bool:
        """Set the status (and ``fields``) if the row is still in one of ``from_statuses``
        and still exists: a conditional update, so a discarded or finished import is left
        alone. Whether it moved."""
        if status in (self.Status.READY, self.Status.FAILED):
            fields["finished_at"] = timezone.now()
        fields.update(status=status, updated_at=timezone.now())
        moved = ArticleImport.objects.filter(pk=self.pk, status__in=from_statuses).update(**fields)
        if moved:
            for name, value in fields.items():
                setattr(self, name, value)
        return bool(moved)

    def try_again(self) -> bool:
        """A failed import back to the queue (the caller enqueues the task)."""
        return self.move_to(
            self.Status.QUEUED, from_statuses=[self.Status.FAILED], error="", finished_at=None
        )
