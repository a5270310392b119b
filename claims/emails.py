"""Desk emails: who hears of which event, what a user's digest holds, and the messages.

The tasks in ``claims.tasks.email`` send what is built here; nothing here sends. Each
``ClaimEvent`` kind that is worth an email belongs to one ``EmailKind`` (``EVENT_EMAIL_KINDS``,
by the kinds' string values), and each user chooses per ``EmailKind`` how often to hear of
it (``DeskProfile.frequency``). Readers' tips have no claim and so no event: they are
reader reports for the moderators in their own right.

Every message is in the recipient's language (``DeskProfile.language``), with a plain-text
and an HTML part from ``templates/email/``, links on ``FACTCHECK_SITE_URL`` and the header
``Auto-Submitted: auto-generated`` (RFC 3834: no auto-replies, no bounce loops). Readers'
email addresses never appear in a desk email.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from claims.claimreview import on_site
from claims.models import ClaimEvent, DeskProfile, EmailKind, ErrorReport, Tip
from claims.models.reader_input import ModerationStatus
from claims.roles import ACTION_ROLES, may

# ClaimEvent.kind value → what kind of email it makes. Kinds not listed send no email.
EVENT_EMAIL_KINDS: dict[str, str] = {
    "submitted": EmailKind.REVIEW_REQUESTS,
    "approved": EmailKind.DECISIONS,
    "changes_requested": EmailKind.DECISIONS,
    "published": EmailKind.DECISIONS,
    "error_reported": EmailKind.READER_REPORTS,
    "article_changed": EmailKind.ARTICLE_CHANGES,
    "source_unreachable": EmailKind.DEAD_SOURCES,
}
# The kinds that go to the claim's author and assignee; the others go to a role.
_TO_CLAIM_PEOPLE = {EmailKind.DECISIONS, EmailKind.ARTICLE_CHANGES, EmailKind.DEAD_SOURCES}
_TO_ROLE = {EmailKind.REVIEW_REQUESTS: "review", EmailKind.READER_REPORTS: "moderate"}


def may_receive(user, kind: str) -> bool:
    """Whether ``user``'s role can get emails of ``kind`` at all (the preferences page
    offers only those): a role's kinds to its members, the claim's kinds to desk users."""
    return may(user, _TO_ROLE.get(kind, "use_desk"))


def _reachable():
    return get_user_model().objects.filter(is_active=True).exclude(email="")


def _role_members(*actions: str):
    """Reachable users whose role may take any of ``actions`` (superusers may all)."""
    roles = set().union(*(ACTION_ROLES[action] for action in actions))
    return _reachable().filter(Q(is_superuser=True) | Q(groups__name__in=roles)).distinct()


def digest_recipients():
    """Everyone who may get a digest: desk users and moderators with an address."""
    return _role_members("use_desk", "moderate").order_by("pk")


def event_recipients(event: ClaimEvent) -> list:
    """The users (with an email address) whom ``event`` concerns, the actor never."""
    kind = EVENT_EMAIL_KINDS.get(event.kind)
    if kind is None:
        return []
    if kind in _TO_CLAIM_PEOPLE:
        people = {event.claim.author_id, event.claim.assignee_id, event.recipient_id} - {None}
        users = _reachable().filter(pk__in=people)
    else:
        users = _role_members(_TO_ROLE[kind])
    if event.actor_id is not None:
        users = users.exclude(pk=event.actor_id)
    return list(users.order_by("pk"))


def tip_recipients() -> list:
    """Who hears of a reader's tip: the moderators (a tip has no claim, so no author)."""
    return list(_role_members("moderate").order_by("pk"))


def profile_for(user) -> DeskProfile:
    return DeskProfile.objects.get_or_create(user=user)[0]


def digest_events(user, kinds: set[str], since: datetime | None, until: datetime) -> QuerySet:
    """The events of ``kinds`` (``EmailKind`` values) that concern ``user``, from after
    ``since`` until ``until``: what ``event_recipients`` would have sent them, as a query."""
    mine = ClaimEvent.concerning(user)  # the desk's notifications: the same people
    wanted = Q(pk__in=[])
    for event_kind, email_kind in EVENT_EMAIL_KINDS.items():
        if email_kind not in kinds:
            continue
        if email_kind in _TO_CLAIM_PEOPLE:
            wanted |= Q(kind=event_kind) & mine
        elif may(user, _TO_ROLE[email_kind]):
            wanted |= Q(kind=event_kind)
    events = ClaimEvent.objects.filter(wanted, created_at__lte=until).exclude(actor=user)
    if since is not None:
        events = events.filter(created_at__gt=since)
    return events.select_related("claim", "actor", "correction").order_by("created_at", "pk")


def digest_tips(user, kinds: set[str], since: datetime | None, until: datetime) -> QuerySet:
    if EmailKind.READER_REPORTS not in kinds or not may(user, "moderate"):
        return Tip.objects.none()
    tips = Tip.objects.filter(created_at__lte=until).exclude(status=ModerationStatus.SPAM)
    if since is not None:
        tips = tips.filter(created_at__gt=since)
    return tips.order_by("created_at", "pk")


# --- Messages -----------------------------------------------------------------------------
@dataclass
class Item:
    """One thing a message tells of: a sentence, what a person wrote, and where to look."""

    title: str
    what: str
    url: str
    details: list[tuple[str, str]]
    comment: str = ""


def _claim_desk_url(event: ClaimEvent) -> str:
    if event.kind == "error_reported" and event.params.get("report"):
        return on_site(reverse("admin:claims_errorreport_change", args=[event.params["report"]]))
    if event.kind == "article_changed" and event.params.get("article"):
        # Straight to the passages that need checking.
        return on_site(reverse("claims:desk-article-anchors", args=[event.params["article"]]))
    return on_site(reverse("claims:desk-claim-review", kwargs={"pk": event.claim_id}))


def _what(event: ClaimEvent) -> str:
    """What happened, as a sentence that can stand at the head of an email (the desk's
    timeline puts the actor's name and ``describe()`` in two columns instead)."""
    actor = {"actor": event.by}
    match event.kind:
        case "submitted":
            return _("%(actor)s asks for a review") % actor
        case "approved":
            return _("%(actor)s approved the claim") % actor
        case "changes_requested":
            return _("%(actor)s asks for changes") % actor
        case "published":
            return _("%(actor)s published the fact-check") % actor
        case "error_reported":
            return _("A reader reported an error")
        case "article_changed" | "source_unreachable":
            return event.describe()  # a whole sentence, nobody's name in it
    return f"{event.by} {event.describe()}"


def event_item(event: ClaimEvent) -> Item:
    """``event`` in the active language."""
    details = event.details()
    reason = event.params.get("reason")
    if event.kind == "error_reported" and reason in ErrorReport.Reason.values:
        details = [*details, (_("Reason:"), str(ErrorReport.Reason(reason).label))]
    return Item(
        title=event.claim.claim_reviewed,
        what=_what(event),
        url=_claim_desk_url(event),
        details=details,
        comment=event.comment,
    )


def tip_item(tip: Tip) -> Item:
    where = " · ".join(part for part in (tip.seen_at, tip.seen_at_url) if part)
    return Item(
        title=tip.claim_text,
        what=_("A reader suggested a claim to check"),
        url=on_site(reverse("admin:claims_tip_change", args=[tip.pk])),
        details=[(_("Seen at:"), where)] if where else [],
    )


def _subject(text: str) -> str:
    subject = f"[{settings.FACTCHECK_ORGANIZATION_SHORT_NAME}] {text}"
    return " ".join(subject.split())[:200]  # no line breaks in a header


def preferences_url() -> str:
    return on_site(reverse("claims:account-email"))


def _message(user, subject: str, template: str, context: dict, headers: dict):
    context = {
        "user": user,
        "organization_name": settings.FACTCHECK_ORGANIZATION_NAME,
        "organization_short_name": settings.FACTCHECK_ORGANIZATION_SHORT_NAME,
        "preferences_url": preferences_url(),
        **context,
    }
    message = EmailMultiAlternatives(
        subject=_subject(subject),
        body=render_to_string(f"email/{template}.txt", context),
        to=[user.email],
        headers={"Auto-Submitted": "auto-generated", **headers},
    )
    message.attach_alternative(render_to_string(f"email/{template}.html", context), "text/html")
    return message


def notification_message(user, item: Item) -> EmailMultiAlternatives:
    """One event (or tip) for ``user``, in the active language: the caller builds the item
    and the message inside ``translation.override(profile.language)``."""
    return _message(user, f"{item.what}: {item.title}", "notification", {"item": item}, {})


def digest_message(user, items: list[Item]) -> EmailMultiAlternatives:
    """The daily digest for ``user``: every item since the last one, in the active language
    (as :func:`notification_message`). ``List-Unsubscribe`` points to the preferences page
    (RFC 2369), where digests are turned off."""
    subject = translation.ngettext(
        "Your daily digest: %(count)d new item",
        "Your daily digest: %(count)d new items",
        len(items),
    ) % {"count": len(items)}
    return _message(
        user,
        subject,
        "digest",
        {"items": items},
        {"List-Unsubscribe": f"<{preferences_url()}>"},
    )


def password_reset_message(user, reset_url: str) -> EmailMultiAlternatives:
    """The link to set a new password (in the active language)."""
    return _message(user, _("Reset your password"), "password_reset", {"reset_url": reset_url}, {})


def reader_reply_message(item: Tip | ErrorReport) -> EmailMultiAlternatives:
    """A moderator's reply to the reader who sent ``item``, in the language of the page
    the reader wrote on."""
    codes = {code for code, _name in settings.LANGUAGES}
    language = item.language.split("-")[0] if item.language else ""
    with translation.override(language if language in codes else settings.LANGUAGE_CODE):
        if isinstance(item, Tip):
            subject, sent = _("Your suggestion"), item.claim_text
        else:
            subject, sent = _("Your error report"), item.message
        context = {
            "reply": item.reply,
            "sent": sent,
            "organization_name": settings.FACTCHECK_ORGANIZATION_NAME,
            "claim_url": (
                on_site(item.claim.get_absolute_url()) if isinstance(item, ErrorReport) else ""
            ),
        }
        message = EmailMultiAlternatives(
            subject=_subject(subject),
            body=render_to_string("email/reader_reply.txt", context),
            to=[item.email],
            headers={"Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(
            render_to_string("email/reader_reply.html", context), "text/html"
        )
        return message
