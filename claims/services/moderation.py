"""Reader input: storing a reader's tip or error report, and what moderators do with them
(in the admin): set their status, turn a tip into a draft claim, answer a tip with an
existing fact-check, open a correction from an error report."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Claim, ClaimEvent, Correction, ErrorReport, Tip, WorkflowError
from claims.models.base import unique_slug, validate_language_tag
from claims.models.reader_input import ModerationStatus
from claims.roles import may
from claims.services.claims import default_claim_text


@transaction.atomic
def tip_submit(*, tip: Tip, client_hash: str, language: str) -> Tip:
    """Store a reader's ``tip`` (unsaved, as the form gave it), with the reader's
    pseudonymous ``client_hash`` and the ``language`` of the page they wrote it on."""
    tip.client_hash, tip.language = client_hash, language
    tip.save()
    return tip


@transaction.atomic
def error_report_submit(*, report: ErrorReport, client_hash: str, language: str) -> ErrorReport:
    """Store a reader's error ``report`` (unsaved, as the form gave it) like ``tip_submit``,
    and the claim's "error reported" event: its author and assignee see it in their desk
    notifications."""
    report.client_hash, report.language = client_hash, language
    report.save()
    report.claim.events.create(
        kind=ClaimEvent.Kind.ERROR_REPORTED,
        params={"reason": report.reason, "report": report.pk},
        claim_version=report.claim.version,
    )
    return report


def _require_moderator(user: AbstractBaseUser) -> None:
    if not may(user, "moderate"):
        raise WorkflowError(_("Your role does not allow this."), "forbidden")


@transaction.atomic
def reader_input_moderate(
    *, items: Iterable[Tip | ErrorReport], status: str, user: AbstractBaseUser, note: str = ""
) -> int:
    """Give reader tips or error reports ``status``, handled by ``user``: each saved on its
    own, so its history records the moderator (never ``QuerySet.update()``). Items already
    in that status are left alone. Returns how many changed."""
    _require_moderator(user)
    if status not in ModerationStatus.values:
        raise WorkflowError(_("Choose a moderation status."), "status")
    changed = 0
    for item in items:
        if item.status == status:
            continue
        item.status, item.handled_by = status, user
        if note:
            item.moderator_note = note
        item._history_user = user
        item._change_reason = f"status: {status}"
        item.save()
        changed += 1
    return changed


def _claim_language(tip: Tip) -> str:
    try:
        validate_language_tag(tip.language)
    except ValidationError:
        return Claim._meta.get_field("language").default
    return tip.language


@transaction.atomic
def claim_create_from_tip(
    *, tip: Tip, assignee: AbstractBaseUser | None, user: AbstractBaseUser
) -> Claim:
    """Turn a reader's tip into a draft claim assigned to an editor.

    The claim takes the tip's text (shortened to a claim's length) and language; it has no
    author yet (the assignee writes it; the moderator is its history's first user and the
    actor of its "assigned" event, which carries the tip for the editor's notifications).
    The tip then points to the claim and is accepted.
    """
    _require_moderator(user)
    if assignee is None or not may(assignee, "edit"):
        raise WorkflowError(_("Claims can only be assigned to editors and reviewers."), "assignee")
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    if tip.claim_id is not None:
        raise WorkflowError(_("This tip already has a claim."), "duplicate")
    text = default_claim_text(tip.claim_text)
    claim = Claim(
        slug=unique_slug(Claim, text),
        claim_reviewed=text,
        language=_claim_language(tip),
        assignee=assignee,
    )
    claim._history_user = user
    claim._change_reason = f"from reader tip {tip.pk}"
    claim.save()
    where = " · ".join(part for part in (tip.seen_at, tip.seen_at_url) if part)
    claim.events.create(
        kind=ClaimEvent.Kind.ASSIGNED,
        actor=user,
        recipient=assignee,
        params={"tip": tip.pk, "tip_text": tip.claim_text, "seen_at": where},
        claim_version=claim.version,
    )
    tip.claim, tip.status, tip.handled_by = claim, ModerationStatus.ACCEPTED, user
    tip._history_user = user
    tip._change_reason = "draft claim created"
    tip.save()
    return claim


@transaction.atomic
def correction_open_from_report(
    *, report: ErrorReport, kind: str, note: str, user: AbstractBaseUser
) -> Correction:
    """Open a correction of the reported (published) claim from a reader's error report.

    ``Claim.correction_start`` checks the role, the claim's state and the note, and writes
    the claim's "opened a correction" event (the author's and assignee's notification). The
    report is then accepted and linked to the correction.
    """
    _require_moderator(user)
    report = ErrorReport.objects.select_for_update().select_related("claim").get(pk=report.pk)
    if report.status in (ModerationStatus.REJECTED, ModerationStatus.SPAM):
        raise WorkflowError(
            _("This report was rejected or marked as spam; accept it first."), "status"
        )
    if report.correction_id is not None:
        raise WorkflowError(_("A correction was already opened from this report."), "duplicate")
    correction = report.claim.correction_start(by=user, kind=kind, note=note)
    # The event says in each reader's language why it was opened (its note stays as typed).
    correction.events.filter(kind=ClaimEvent.Kind.CORRECTION_OPENED).update(
        params={"reason": report.reason, "report": report.pk}
    )
    report.status, report.handled_by = ModerationStatus.ACCEPTED, user
    report.correction = correction
    report._history_user = user
    report._change_reason = "correction opened"
    report.save()
    return correction


@transaction.atomic
def reader_input_reply(*, item: Tip | ErrorReport, text: str, user: AbstractBaseUser) -> None:
    """A moderator's reply to the reader who sent ``item``: recorded on it (and in its
    history); the caller enqueues ``claims.tasks.email.send_reader_reply``. Only to a reader
    who gave an address and consent; a second reply replaces the first and is sent too."""
    _require_moderator(user)
    item = type(item).objects.select_for_update().get(pk=item.pk)
    if not item.may_be_answered:
        raise WorkflowError(
            _("The reader gave no email address with consent to be written to."), "no_consent"
        )
    text = text.strip()
    if not text:
        raise WorkflowError(_("Write the reply."), "empty")
    item.reply, item.reply_by, item.reply_sent_at = text, user, None
    if item.status == ModerationStatus.NEW:
        item.status = ModerationStatus.IN_PROGRESS
    item.handled_by = user
    item._history_user = user
    item._change_reason = "reply written"
    item.save()


@transaction.atomic
def tip_answer_with_claim(
    *, tip: Tip, claim: Claim, reply: str, note: str, user: AbstractBaseUser
) -> bool:
    """Answer a tip that repeats a published ``claim``: the tip points to the claim and
    is accepted with the moderator's ``note``; when the reader gave an address and
    consent, ``reply`` (with the claim's link) is recorded as by ``reader_input_reply``
    and True returned: the caller enqueues ``claims.tasks.email.send_reader_reply``."""
    _require_moderator(user)
    if claim.status != Claim.Status.PUBLISHED:
        raise WorkflowError(
            _("Only a published fact-check can answer a tip; this claim is %(status)s.")
            % {"status": claim.status_in_sentence()},
            "not_published",
        )
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    reply = reply.strip()
    replying = tip.may_be_answered
    if replying and not reply:
        raise WorkflowError(_("Write the reply."), "empty")
    tip.claim, tip.status, tip.handled_by = claim, ModerationStatus.ACCEPTED, user
    tip.moderator_note = note.strip()
    if replying:
        tip.reply, tip.reply_by, tip.reply_sent_at = reply, user, None
    tip._history_user = user
    tip._change_reason = "answered with an existing fact-check"
    tip.save()
    return replying


# Rows deleted per transaction by ``reader_input_purge``: each batch holds its row locks
# for a moment, never the whole purge.
READER_INPUT_PURGE_BATCH = 2_000


def reader_input_purge(*, dry_run: bool = False) -> tuple[datetime, list[tuple[str, int]]]:
    """Delete tips and error reports older than ``FACTCHECK_READER_RETENTION_DAYS`` with
    their moderation history and admin log entries (they hold the reader's words too).
    Returns the cut-off and, per kind, how many went (or would go, with ``dry_run``).

    In batches of ``READER_INPUT_PURGE_BATCH``, each in its own transaction: the items by
    primary key with their history and log entries, then any history older than the
    cut-off that is left (of input deleted before). A purge stopped half-way has deleted
    whole batches only; the next run deletes the rest."""
    cutoff = timezone.now() - timedelta(days=settings.FACTCHECK_READER_RETENTION_DAYS)
    size = READER_INPUT_PURGE_BATCH
    counts = []
    for name, model in (("Tips", Tip), ("Error reports", ErrorReport)):
        old = model.objects.filter(created_at__lt=cutoff)
        if dry_run:
            counts.append((name, old.count()))
            continue
        content_type = ContentType.objects.get_for_model(model)
        deleted, last = 0, None
        while True:
            with transaction.atomic():
                batch = old.filter(pk__gt=last) if last is not None else old
                pks = list(batch.order_by("pk").values_list("pk", flat=True)[:size])
                if not pks:
                    break
                last = pks[-1]
                deleted += _delete_rows(model.objects.filter(pk__in=pks, created_at__lt=cutoff))
                _delete_rows(model.history.filter(id__in=pks, created_at__lt=cutoff))
                LogEntry.objects.filter(
                    content_type=content_type, object_id__in=[str(pk) for pk in pks]
                ).delete()
        counts.append((name, deleted))
        old_history = model.history.filter(created_at__lt=cutoff).order_by()
        while ids := list(old_history.values_list("history_id", flat=True)[:size]):
            with transaction.atomic():
                _delete_rows(model.history.filter(history_id__in=ids))
    return cutoff, counts


def _delete_rows(rows) -> int:
    """DELETE the rows, without loading them: no signals, so django-simple-history writes
    no "deleted" record of input whose history goes too (and ``claims.signals`` ignores
    reader input). Only for a model no other row points at; else Django's delete()."""
    if rows.model._meta.related_objects:
        return rows.delete()[1].get(rows.model._meta.label, 0)
    return rows._raw_delete(rows.db)
