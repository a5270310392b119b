"""The article watch: articles with published claims are fetched again on a schedule, so
the desk learns when a publisher silently edits one (docs/tasks.md, "Article watch").

``watch_due_articles`` (every 5 minutes, ``watch-articles`` in FACTCHECK_SCHEDULE) hands
each due article to ``watch_article``, which fetches the page conditionally (ETag,
Last-Modified), extracts the article like a URL import and compares it with the text it
extracted last time. A changed text becomes a new revision through the re-anchoring
service (``services.article_revise_from_publisher``), which notifies the people whose
passages need checking. Boilerplate (ads, dates, counters) never reaches the comparison:
trafilatura leaves it out of the extracted text.

A page that cannot be fetched is the watch's business, not the queue's: the error is
stored on the article's watch (the workspace shows it) and the next check waits twice as
long per error in a row, at most a week.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims.importing.errors import ArticleImportError
from claims.importing.fetch import NotModified, article_from_page, fetch
from claims.models import Article, ArticleWatch
from claims.models.watch import text_digest, watch_started, watched_articles
from claims.services import SameText
from claims.services.watch import article_revise_from_publisher
from claims.tasks.base import PRIORITY_PERIODIC, background_task

logger = logging.getLogger(__name__)

#: How long an article handed to ``watch_article`` is not handed out again, should that
#: task never report back (its own check sets the real next check).
LEASE = timedelta(hours=1)


@dataclass(frozen=True)
class WatchOutcome:
    """What one check found: ``unchanged``, ``changed`` (``revision``, ``to_check``
    passages), ``error`` (``message``) or ``skipped`` (not watched any more)."""

    state: str
    revision: int | None = None
    to_check: int = 0
    message: str = ""


def due_article_ids(now: datetime) -> list[int]:
    """The watched articles due at ``now`` (never checked, or their next check has
    come), each leased for :data:`LEASE` so the next tick does not hand it out again.
    A fixed number of queries, however many articles there are."""
    watched = watched_articles()
    missing = watched.filter(watch__isnull=True).values_list("pk", flat=True)
    ArticleWatch.objects.bulk_create(
        [ArticleWatch(article_id=pk) for pk in missing], ignore_conflicts=True
    )
    with transaction.atomic():
        due = ArticleWatch.objects.filter(
            Q(next_check_at__isnull=True) | Q(next_check_at__lte=now),
            paused=False,
            article__in=watched,
        )
        ids = list(due.select_for_update(skip_locked=True).values_list("article_id", flat=True))
        ArticleWatch.objects.filter(article_id__in=ids).update(next_check_at=now + LEASE)
    return ids


@background_task(priority=PRIORITY_PERIODIC)
def watch_due_articles() -> dict:
    """Hand every due article to :func:`watch_article` (the scheduler's job)."""
    ids = due_article_ids(timezone.now())
    for pk in ids:
        watch_article.enqueue(pk)
    return {"enqueued": len(ids)}


@background_task(priority=PRIORITY_PERIODIC)
def watch_article(article_id: int) -> dict:
    """Check one article now (:func:`check_article`); the outcome as the task's result."""
    outcome = check_article(article_id)
    return {"state": outcome.state, "revision": outcome.revision, "to_check": outcome.to_check}


def check_article(article_id: int) -> WatchOutcome:
    """Fetch the article's page again and make a new revision when its text changed.

    Due or not (``watcharticles --now`` checks every watched article), but skipped when
    the article is no longer watched (paused, no web address, no published claim).
    Expected failures (the page cannot be fetched or holds no article) are stored on the
    watch and returned as ``error``."""
    article = watched_articles().filter(pk=article_id).select_related("current_revision").first()
    if article is None:
        return WatchOutcome("skipped")
    watch, _created = ArticleWatch.objects.get_or_create(article=article)
    try:
        page = fetch(article.original_url, etag=watch.etag, last_modified=watch.last_modified)
        imported = article_from_page(page)
    except NotModified:
        _record(watch, article, changed=False)
        return WatchOutcome("unchanged")
    except ArticleImportError as error:  # FetchError included
        message = str(error)
        _record(watch, article, error=message)
        return WatchOutcome("error", message=message)
    digest = text_digest(imported.text)
    validators = {"etag": page.etag, "last_modified": page.last_modified}
    if not watch.text_digest:
        # The first look at an article that was not loaded from its page here (pasted, or
        # uploaded): what the page says now is the baseline. Comparing it with the desk's
        # text would take an editor's corrections for the publisher's.
        _record(watch, article, changed=True, digest=digest, **validators)
        return WatchOutcome("unchanged")
    if digest == watch.text_digest:
        # The same text as last time (the markup around it may have changed).
        _record(watch, article, digest=digest, **validators)
        return WatchOutcome("unchanged")
    try:
        result = article_revise_from_publisher(article=article, imported=imported)
    except SameText:  # the desk's text is the publisher's new one already
        _record(watch, article, changed=True, digest=digest, **validators)
        return WatchOutcome("unchanged")
    _record(watch, article, changed=True, digest=digest, **validators)
    to_check = result.reanchored + result.orphaned
    logger.info(
        "Article %s changed at its source: revision %s, %s passages to check.",
        article.pk,
        result.revision.number,
        to_check,
    )
    return WatchOutcome("changed", revision=result.revision.number, to_check=to_check)


def _record(
    watch: ArticleWatch,
    article: Article,
    *,
    changed: bool = False,
    error: str = "",
    digest: str = "",
    etag: str | None = None,
    last_modified: str | None = None,
) -> None:
    """Store how a check went and when the next one is due."""
    now = timezone.now()
    watch.last_checked_at = now
    if error:
        watch.error_count += 1
        watch.last_error = error
    else:
        watch.error_count = 0
        watch.last_error = ""
        if changed or watch.last_changed_at is None:
            watch.last_changed_at = now
        if digest:
            watch.text_digest = digest
        if etag is not None:  # a full answer: its validators replace the old ones
            watch.etag, watch.last_modified = etag, last_modified or ""
    # An interval chosen on the desk while the page was fetched counts for the next check.
    watch.interval = (
        ArticleWatch.objects.filter(pk=watch.pk).values_list("interval", flat=True).first()
    )
    watch.next_check_at = now + watch.interval_at(now, watch_started(article))
    # Only the watch's own fields: a pause or an interval set meanwhile stays.
    watch.save(
        update_fields=[
            "last_checked_at",
            "last_changed_at",
            "text_digest",
            "etag",
            "last_modified",
            "error_count",
            "last_error",
            "next_check_at",
        ]
    )
