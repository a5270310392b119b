"""The article watch: which articles the desk fetches again to notice a publisher's silent
edits, and how each one's watch stands (``claims/tasks/watch.py`` does the fetching; see
docs/tasks.md, "Article watch").

The state lives beside the article, not on it: ``Article`` keeps a history record of every
save, and a check every hour would bury its real changes under "checked again".
"""

import hashlib
from datetime import datetime, timedelta

from django.db import models
from django.db.models import Exists, Min, OuterRef
from django.utils.translation import gettext_lazy as _

from claims.models.articles import Article
from claims.models.claims import Claim, Mention

#: The default schedule: (age of the watch, interval until then). Past the last, weekly.
SCHEDULE = (
    (timedelta(days=2), timedelta(hours=1)),
    (timedelta(days=30), timedelta(days=1)),
)
WEEKLY = timedelta(days=7)
#: The longest wait after errors (unless the article's own interval is longer).
MAX_BACKOFF = WEEKLY


def published_claims_in(article_id) -> models.QuerySet:
    """Published claims with a passage in the article (in any of its revisions); the
    article as a pk or an ``OuterRef``."""
    return Claim.objects.published().filter(
        Exists(Mention.objects.filter(claim=OuterRef("pk"), revision__article=article_id))
    )


def watched_articles() -> models.QuerySet:
    """Articles the watch fetches again: with an original web address, at least one
    published claim, and watching not paused. One query, however many articles."""
    return (
        Article.objects.exclude(original_url="")
        .filter(
            Exists(
                Mention.objects.filter(
                    revision__article=OuterRef("pk"), claim__status=Claim.Status.PUBLISHED
                )
            )
        )
        .exclude(watch__paused=True)
    )


def default_interval(age: timedelta) -> timedelta:
    """How often an article is fetched again ``age`` after its watch began: hourly for
    two days, daily until a month, then weekly (publishers edit fresh articles most)."""
    for until, interval in SCHEDULE:
        if age < until:
            return interval
    return WEEKLY


def text_digest(text: str) -> str:
    """What the watch compares: the SHA-256 of an article's text as extracted from its page
    (``ImportedText.text``), never of the desk's revision, which editors may correct."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ArticleWatch(models.Model):
    """How the watch of one article stands. Made the first time the article is due."""

    article = models.OneToOneField(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="watch",
    )
    paused = models.BooleanField(_("watching paused"), default=False)
    # Empty: the default schedule (default_interval).
    interval = models.DurationField(_("check every"), null=True, blank=True)
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    # When the publisher's text last changed, or when the watch first saw it.
    last_changed_at = models.DateTimeField(_("text unchanged since"), null=True, blank=True)
    # SHA-256 of the text last extracted from the page: a change is a change of the
    # publisher's text, not a difference from a text an editor corrected by hand.
    text_digest = models.CharField(_("digest of the last text"), max_length=64, blank=True)
    # The validators of the last answer, sent back as If-None-Match / If-Modified-Since.
    etag = models.CharField(_("ETag"), max_length=500, blank=True)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True)
    error_count = models.PositiveIntegerField(_("errors in a row"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # Empty: due now (never checked, or the interval changed).
    next_check_at = models.DateTimeField(_("next check"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("article watch")
        verbose_name_plural = _("article watches")

    def __str__(self) -> str:
        return str(self.article)

    def interval_at(self, now: datetime, since: datetime | None) -> timedelta:
        """The wait after a check at ``now`` for a watch that began at ``since``: the
        article's own interval or the default schedule, doubled for each error in a row
        (at most a week, or the article's own interval if that is longer)."""
        base = self.interval or default_interval(now - since if since else timedelta(0))
        if not self.error_count:
            return base
        cap = max(MAX_BACKOFF, base)
        return min(base * 2 ** min(self.error_count, 16), cap)


def watch_started(article: Article) -> datetime | None:
    """When the article's watch began: when it was public with a published claim, the
    later of its first publication and the publication of its earliest published claim."""
    first_claim = published_claims_in(article.pk).aggregate(first=Min("published_at"))["first"]
    moments = [moment for moment in (article.published_at, first_claim) if moment]
    return max(moments) if moments else None


__all__ = [
    "ArticleWatch",
    "default_interval",
    "published_claims_in",
    "watch_started",
    "watched_articles",
]
