"""Sources checked for dead links, and archived copies of them (docs/tasks.md, "Source
checks and archived copies").

- :func:`check_due_sources` (periodic, ``check-sources``) enqueues :func:`check_source`
  for every source of a published claim not checked for ``FACTCHECK_SOURCE_CHECK_DAYS``.
- :func:`check_source` probes the address (``claims.importing.fetch.probe``: HEAD, GET
  where HEAD is refused, the URL import's SSRF guard) and records the result
  (``services.source_check_record``). It checks only a source that is due, so a second
  copy of it in the queue does nothing.
- :func:`request_archive` asks the web archive for a copy (``claims.archiving``);
  :func:`poll_archive` asks again after :data:`POLL_EVERY` until the archive's job is
  done, as a task enqueued with ``run_after`` (nothing sleeps in a worker).
- :func:`archive_claim_sources`: the requests for a claim's sources without a copy, when
  it is published and ``FACTCHECK_ARCHIVE_ON_PUBLISH`` is on (:func:`archive_on_publish`,
  connected in ``claims.apps``).
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.db.models.signals import post_save
from django.utils import timezone

from claims import archiving, services
from claims.importing.fetch import probe
from claims.models import Claim, ClaimEvent, Source, SourceCheck
from claims.tasks.base import (
    PRIORITY_INTERACTIVE,
    PRIORITY_PERIODIC,
    background_task,
    enqueue_on_commit,
    events_start_tasks,
)

#: How long to wait before asking the archive again whether its copy is ready.
POLL_EVERY = timedelta(seconds=15)
#: How often to ask before giving up (10 minutes with POLL_EVERY).
MAX_POLLS = 40


def _check_cutoff():
    return timezone.now() - timedelta(days=settings.FACTCHECK_SOURCE_CHECK_DAYS)


def due_sources():
    """Sources of published claims never checked, checked before the cut-off, or whose
    address changed since their last check."""
    return Source.objects.filter(claim__status=Claim.Status.PUBLISHED).filter(
        Q(link_check__isnull=True)
        | Q(link_check__checked_at__isnull=True)
        | Q(link_check__checked_at__lt=_check_cutoff())
        | ~Q(link_check__url=F("url"))
    )


@background_task(priority=PRIORITY_PERIODIC)
def check_due_sources() -> dict:
    """Enqueue a check of every source that is due, the longest unchecked first."""
    pks = list(
        due_sources()
        .order_by(F("link_check__checked_at").asc(nulls_first=True), "pk")
        .values_list("pk", flat=True)
    )
    for pk in pks:
        check_source.enqueue(pk)
    return {"enqueued": len(pks)}


@background_task(priority=PRIORITY_PERIODIC)
def check_source(source_pk: int) -> dict:
    """Check one source's address, if it is still due."""
    source = due_sources().filter(pk=source_pk).first()
    if source is None:
        return {"skipped": "not due"}
    started_at = timezone.now()
    result = probe(source.url)
    if not services.source_check_record(
        source_pk=source.pk, url=source.url, result=result, started_at=started_at
    ):
        return {"skipped": "checked meanwhile"}
    return {"ok": result.ok, "result": result.code or "ok", "status": result.status}


def _archive_gave_up(source_pk: int, *args) -> None:
    """The request failed unexpectedly for good: say so on the source (a new request can
    be made) instead of showing "requested" for ever."""
    SourceCheck.objects.filter(
        source_id=source_pk,
        archive_state__in=[SourceCheck.Archive.REQUESTED, SourceCheck.Archive.PENDING],
    ).update(archive_state=SourceCheck.Archive.FAILED, archive_error="bad_answer")


@background_task(priority=PRIORITY_INTERACTIVE, on_give_up=_archive_gave_up)
def request_archive(source_pk: int) -> dict:
    """Ask the archive for a copy of the source (requested by ``source_archive_request``)."""
    check = (
        SourceCheck.objects.select_related("source")
        .filter(source_id=source_pk, archive_state=SourceCheck.Archive.REQUESTED)
        .first()
    )
    if check is None:
        return {"skipped": "no open request"}
    answer = archiving.save_page(check.source.url)
    if services.source_archive_answer(source_pk=source_pk, job_id="", answer=answer):
        _poll_later(source_pk, answer, 1)
    return {"state": answer.state, "error": answer.error}


@background_task(priority=PRIORITY_INTERACTIVE, on_give_up=_archive_gave_up)
def poll_archive(source_pk: int, job_id: str, poll: int = 1) -> dict:
    """Ask the archive whether job ``job_id`` saved the source; again later if not yet."""
    waiting = SourceCheck.objects.filter(
        source_id=source_pk, archive_state=SourceCheck.Archive.PENDING, archive_job=job_id
    )
    if not waiting.exists():
        return {"skipped": "stale"}
    answer = archiving.save_status(job_id)
    if answer.state == "pending" and poll >= MAX_POLLS:
        answer = archiving.ArchiveAnswer("failed", error="too_slow")
    if services.source_archive_answer(source_pk=source_pk, job_id=job_id, answer=answer):
        _poll_later(source_pk, answer, poll + 1)
    return {"state": answer.state, "error": answer.error, "poll": poll}


def _poll_later(source_pk: int, answer: archiving.ArchiveAnswer, poll: int) -> None:
    if answer.state == "pending":
        poll_archive.using(run_after=timezone.now() + POLL_EVERY).enqueue(
            source_pk, answer.job_id, poll
        )


@background_task(priority=PRIORITY_PERIODIC)
def archive_claim_sources(claim_pk: int) -> dict:
    """Request copies of the published claim's sources that have none and none waiting."""
    sources = (
        Source.objects.filter(claim_id=claim_pk, claim__status=Claim.Status.PUBLISHED)
        .filter(archive_url="")
        .exclude(
            link_check__archive_state__in=[
                SourceCheck.Archive.REQUESTED,
                SourceCheck.Archive.PENDING,
            ]
        )
    )
    requested = 0
    for source in sources:
        if services.source_archive_request(source=source):  # committed: the task may start
            request_archive.enqueue(source.pk)
            requested += 1
    return {"requested": requested}


def archive_on_publish(sender, instance: ClaimEvent, created: bool, **kwargs) -> None:
    """When a claim is published (not a correction), request copies of its sources if
    ``FACTCHECK_ARCHIVE_ON_PUBLISH`` is on. A receiver of ``ClaimEvent``'s ``post_save``:
    the lifecycle (floor 2) records every publication as an event and knows no task."""
    if (
        created
        and events_start_tasks()
        and settings.FACTCHECK_ARCHIVE_ON_PUBLISH
        and instance.kind == ClaimEvent.Kind.PUBLISHED
        and instance.correction_id is None
    ):
        enqueue_on_commit(archive_claim_sources, instance.claim_id)


def connect_signals() -> None:
    post_save.connect(archive_on_publish, sender=ClaimEvent, dispatch_uid="archive-on-publish")
