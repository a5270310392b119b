"""A source's link check and its archived copy: what the tasks of ``claims.tasks.links``
found, written with what follows from it (the unreachable flag and its notification, the
archive address on the source)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from claims.archiving import ArchiveAnswer
from claims.caching import invalidate_public_pages
from claims.importing.fetch import ProbeResult
from claims.models import Claim, ClaimEvent, Source, SourceCheck, WorkflowError
from claims.models.links import UNREACHABLE_AFTER
from claims.permissions import can_edit_claim


def _check_row(source: Source) -> SourceCheck:
    """The source's check row, locked; its state starts afresh when the address changed."""
    check, _created = SourceCheck.objects.select_for_update().get_or_create(
        source=source, defaults={"url": source.url}
    )
    if check.url != source.url:
        check.url = source.url
        check.checked_at, check.result, check.http_status = None, "", None
        check.failures, check.unreachable_since = 0, None
    return check


@transaction.atomic
def source_check_record(
    *, source_pk: int, url: str, result: ProbeResult, started_at: datetime
) -> SourceCheck | None:
    """Record a check of ``url``, the address source ``source_pk`` had when the probe
    started at ``started_at`` (``None`` when the source is gone or its address changed
    since: the new one gets its own check; or when another worker recorded a check that
    started later, so one failure is never counted twice). The third failure in a row flags
    the source as unreachable and tells the claim's author and assignee (a
    ``source_unreachable`` event); a success clears the flag."""
    source = Source.objects.select_related("claim").filter(pk=source_pk).first()
    if source is None or source.url != url:
        return None
    check = _check_row(source)
    if check.checked_at is not None and check.checked_at >= started_at:
        return None
    now = timezone.now()
    was_flagged = check.unreachable_since is not None
    check.checked_at = now
    check.result = "ok" if result.ok else result.code
    check.http_status = result.status
    if result.ok:
        check.failures, check.unreachable_since = 0, None
    else:
        check.failures += 1
        if check.failures >= UNREACHABLE_AFTER and not was_flagged:
            check.unreachable_since = now
            claim = source.claim
            if claim.status == Claim.Status.PUBLISHED:
                ClaimEvent.objects.create(
                    claim=claim,
                    kind=ClaimEvent.Kind.SOURCE_UNREACHABLE,
                    params={"source": source.pk, "url": url},
                    claim_version=claim.version,
                )
    check.save()
    if was_flagged != (check.unreachable_since is not None):
        # The claim page marks the original address as unreachable (or no longer).
        invalidate_public_pages()
        transaction.on_commit(invalidate_public_pages)
    return check


@transaction.atomic
def source_archive_request(*, source: Source, user=None) -> bool:
    """Note that an archived copy of ``source`` is wanted (the caller enqueues the task
    that asks the archive, when this returns True); a failed or finished earlier request
    is replaced, one still waiting is left alone (False). ``user``: who asked on the desk,
    who must be allowed to edit the claim's sources (the system asks with None)."""
    source = Source.objects.select_related("claim").get(pk=source.pk)
    if user is not None and not can_edit_claim(user, source.claim):
        raise WorkflowError(
            gettext("You may not request archived copies of this claim’s sources."), "forbidden"
        )
    check = _check_row(source)
    if check.archive_waiting:
        return False
    check.archive_state = SourceCheck.Archive.REQUESTED
    check.archive_requested_at = timezone.now()
    check.archive_job = check.archive_error = check.archive_detail = ""
    check.save()
    return True


@transaction.atomic
def source_archive_answer(*, source_pk: int, job_id: str, answer: ArchiveAnswer) -> bool:
    """Record the archive's answer to the request ``job_id`` ("" for the first answer to
    a request). A copy's address goes to ``Source.archive_url`` (with its history record).
    False when the answer is stale: another request replaced this one, or none is open."""
    check = SourceCheck.objects.select_for_update().filter(source_id=source_pk).first()
    if check is None or check.archive_job != job_id or not check.archive_waiting:
        return False
    if answer.state == "pending":
        check.archive_state, check.archive_job = SourceCheck.Archive.PENDING, answer.job_id
    elif answer.state == "done" and _valid_archive_url(answer.archive_url):
        check.archive_state = SourceCheck.Archive.DONE
        source = Source.objects.get(pk=source_pk)
        source.archive_url = answer.archive_url
        source.save(update_fields=["archive_url"])
    elif answer.state == "done":
        check.archive_state, check.archive_error = SourceCheck.Archive.FAILED, "bad_answer"
        check.archive_detail = ""
    else:
        check.archive_state = SourceCheck.Archive.FAILED
        check.archive_error, check.archive_detail = answer.error, answer.detail[:300]
    check.save()
    return True


def _valid_archive_url(url: str) -> bool:
    """An http(s) address that fits ``Source.archive_url``."""
    try:
        Source._meta.get_field("archive_url").clean(url, None)
    except ValidationError:
        return False
    return True
