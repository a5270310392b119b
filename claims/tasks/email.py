"""Sending email: desk notifications at once or in the daily digest, password resets, and
moderators' replies to readers. A request never sends; it enqueues one of these.

Whom a message goes to and what it says is decided in ``claims.emails``. Every task
re-reads the state and the recipients' preferences when it runs, so a preference changed
in between counts. Delivery is one SMTP session per task: a connection that fails raises
and the task is tried again (``background_task``); a message the server accepted is not
sent again by a retry of the digest (``last_digest_at`` is moved on first) or of a reply
(``reply_sent_at``).
"""

import logging
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import mailers
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from claims import emails
from claims.claimreview import on_site
from claims.models import ClaimEvent, DeskProfile, EmailFrequency, EmailKind, ErrorReport, Tip
from claims.tasks.base import (
    PRIORITY_INTERACTIVE,
    PRIORITY_PERIODIC,
    background_task,
    enqueue_on_commit,
    events_start_tasks,
)

logger = logging.getLogger("claims.tasks")


def _send(messages: list) -> int:
    if not messages:
        return 0
    return mailers.default.send_messages(messages) or 0


# --- Notifications ----------------------------------------------------------------------------
def _immediate(users, kind: str, item_of) -> int:
    """Send ``item_of()`` (built in each recipient's language) to those of ``users`` who
    want ``kind`` at once; how many were sent. One profile read per recipient."""
    messages = []
    for user in users:
        profile = emails.profile_for(user)
        if profile.frequency(kind) == EmailFrequency.IMMEDIATELY:
            with translation.override(profile.language):
                messages.append(emails.notification_message(user, item_of()))
    return _send(messages)


@background_task
def send_event_emails(event_pk: int) -> dict:
    """One email per user whom the event concerns and who wants its kind at once."""
    event = (
        ClaimEvent.objects.select_related("claim", "actor", "correction")
        .filter(pk=event_pk)
        .first()
    )
    if event is None or event.kind not in emails.EVENT_EMAIL_KINDS:
        return {"sent": 0}
    kind = emails.EVENT_EMAIL_KINDS[event.kind]
    return {
        "sent": _immediate(emails.event_recipients(event), kind, lambda: emails.event_item(event))
    }


@background_task
def send_tip_emails(tip_pk: int) -> dict:
    """A reader's tip to the moderators who want reader reports at once."""
    tip = Tip.objects.filter(pk=tip_pk).first()
    if tip is None:
        return {"sent": 0}
    recipients = emails.tip_recipients()
    return {"sent": _immediate(recipients, EmailKind.READER_REPORTS, lambda: emails.tip_item(tip))}


def queue_event_emails(sender, instance: ClaimEvent, created: bool, raw: bool = False, **kwargs):
    """``post_save`` of ``ClaimEvent`` (connected in ``claims.apps``): events are written
    in many places (lifecycle methods, services, tasks), so one receiver enqueues their
    emails once the event is committed."""
    if created and not raw and instance.kind in emails.EVENT_EMAIL_KINDS and events_start_tasks():
        enqueue_on_commit(send_event_emails, instance.pk)


# --- The daily digest ---------------------------------------------------------------------
def _last_digest_slot(profile: DeskProfile, now: datetime) -> datetime:
    """The latest moment, not after ``now``, at which the user's digest hour began."""
    local = timezone.localtime(now)
    slot = local.replace(hour=profile.digest_hour, minute=0, second=0, microsecond=0)
    return slot if slot <= local else slot - timedelta(days=1)


@background_task(priority=PRIORITY_PERIODIC)
def send_digests() -> dict:
    """Each user whose digest hour has come and who had no digest since gets one email
    with what happened since their last digest (from a day before the first one), of the
    kinds they chose "daily digest" for. The period is claimed before sending by a
    conditional update of ``last_digest_at``: two runs never send the same period twice.
    An empty period sends nothing and still counts as covered."""
    now = timezone.now()
    sent = covered = 0
    for user in emails.digest_recipients():
        profile = emails.profile_for(user)
        kinds = {
            kind for kind in EmailKind.values if profile.frequency(kind) == EmailFrequency.DAILY
        }
        slot = _last_digest_slot(profile, now)
        previous = profile.last_digest_at
        if not kinds or (previous is not None and previous >= slot):
            continue
        same = Q(last_digest_at=previous) if previous else Q(last_digest_at__isnull=True)
        if not DeskProfile.objects.filter(same, pk=profile.pk).update(last_digest_at=now):
            continue  # another run took this period
        covered += 1
        since = previous or slot - timedelta(days=1)
        with translation.override(profile.language):
            items = [emails.event_item(e) for e in emails.digest_events(user, kinds, since, now)]
            items += [emails.tip_item(t) for t in emails.digest_tips(user, kinds, since, now)]
            if not items:
                continue
            try:
                sent += _send([emails.digest_message(user, items)])
            except Exception:
                # Not sent: give the period back, so the retry covers it.
                DeskProfile.objects.filter(pk=profile.pk, last_digest_at=now).update(
                    last_digest_at=previous
                )
                raise
    return {"sent": sent, "periods": covered}


# --- Password reset -------------------------------------------------------------------------
@background_task(priority=PRIORITY_INTERACTIVE)
def send_password_reset(user_pk: int, language: str) -> dict:
    """The password-reset link for a user who asked for it (``claims.views.account``),
    in the language of the page they asked on. The token is made here, not passed in: task
    arguments are kept in the queue and shown in the admin. A user gone or without an
    address since gets nothing; a used or stale token is refused by the reset page."""
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
    if user is None or not user.email:
        return {"sent": 0}
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    with translation.override(language):
        path = reverse("claims:password-reset-confirm", kwargs={"uidb64": uid, "token": token})
        message = emails.password_reset_message(user, on_site(path))
    return {"sent": _send([message])}


# --- Replies to readers ---------------------------------------------------------------------
_READER_MODELS = {"tip": Tip, "errorreport": ErrorReport}


@background_task
def send_reader_reply(model: str, pk: int) -> dict:
    """A moderator's reply (``reader_input_reply``) to the reader's address, if the reader
    still may be answered and it was not sent yet; then ``reply_sent_at`` records it."""
    model_class = _READER_MODELS[model]
    item = model_class.objects.filter(pk=pk).first()
    if item is None or not item.reply or item.reply_sent_at or not item.may_be_answered:
        return {"sent": 0}
    # Claim the sending first, so two runs (a reply saved twice in a row) send it once;
    # a failed send gives the claim back for the retry.
    now = timezone.now()
    if not model_class.objects.filter(pk=pk, reply_sent_at=None).update(reply_sent_at=now):
        return {"sent": 0}
    try:
        sent = _send([emails.reader_reply_message(item)])
    except Exception:
        model_class.objects.filter(pk=pk, reply_sent_at=now).update(reply_sent_at=None)
        raise
    if not sent:
        model_class.objects.filter(pk=pk, reply_sent_at=now).update(reply_sent_at=None)
        return {"sent": 0}
    # The history records who answered and when (the claim above wrote no record).
    item.reply_sent_at = now
    item._history_user = item.reply_by
    item._change_reason = "reply sent"
    item.save(update_fields=["reply_sent_at", "updated_at"])
    return {"sent": sent}
