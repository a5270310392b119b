"""Housekeeping jobs of the scheduler (``settings.FACTCHECK_SCHEDULE``). Each returns a
short summary, which the admin shows as the job's last result."""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from claims.models import ArticleImport, Claim
from claims.services import reader_input_purge
from claims.share.image import cached_png, share_card
from claims.tasks.base import PRIORITY_PERIODIC, background_task


@background_task(priority=PRIORITY_PERIODIC)
def purge_reader_input() -> dict:
    """Tips and error reports past their retention period (``purgereaderinput``)."""
    cutoff, counts = reader_input_purge()
    return {"before": cutoff.isoformat(), **dict(counts)}


@background_task(priority=PRIORITY_PERIODIC)
def clear_sessions() -> dict:
    """Expired sessions, as ``manage.py clearsessions`` clears them for the configured
    store (the database rows of the database and cached-database stores)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    in_database = issubclass(store, DatabaseStore)
    expired = Session.objects.filter(expire_date__lt=timezone.now()).count() if in_database else 0
    store.clear_expired()
    return {"deleted": expired}


@background_task(priority=PRIORITY_PERIODIC)
def prune_task_results() -> dict:
    """Finished task results older than ``FACTCHECK_TASK_RESULT_DAYS`` (failed ones are
    kept three times as long, for the administrators to look at)."""
    days = settings.FACTCHECK_TASK_RESULT_DAYS
    now = timezone.now()
    old = DBTaskResult.objects.filter(
        Q(status="SUCCESSFUL", finished_at__lt=now - timedelta(days=days))
        | Q(status="FAILED", finished_at__lt=now - timedelta(days=3 * days))
    )
    deleted, _ = old.delete()
    return {"deleted": deleted}


#: How long a finished import (saved as an article, failed, or never saved) is kept in
#: the editor's list of imports; its copy of the page's text goes with it.
IMPORT_KEEP_DAYS = 30


@background_task(priority=PRIORITY_PERIODIC)
def prune_imports() -> dict:
    """Imports finished more than ``IMPORT_KEEP_DAYS`` ago."""
    cutoff = timezone.now() - timedelta(days=IMPORT_KEEP_DAYS)
    deleted, _ = (
        ArticleImport.objects.exclude(finished_at=None).filter(finished_at__lt=cutoff).delete()
    )
    return {"deleted": deleted}


@background_task(priority=PRIORITY_PERIODIC)
def render_share_images(within_hours: int = 24) -> dict:
    """Draw the share images of claims published or corrected lately, in each language,
    before a social network asks for them (drawing takes a few hundred milliseconds)."""
    since = timezone.now() - timedelta(hours=within_hours)
    claims = Claim.objects.published().filter(updated_at__gte=since).select_related("rating")
    drawn = 0
    for claim in claims.iterator():
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                drawn += cached_png(share_card(claim))[1]
    return {"drawn": drawn}
