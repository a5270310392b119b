"""Marking passages: a new claim for a passage, and linking, moving, removing and
confirming the passages (mentions) of a claim."""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import ArticleRevision, Claim, ClaimEvent, Mention, WorkflowError
from claims.models.base import unique_slug
from claims.services.claims import default_claim_text
from claims.text import validate_span


class StaleRevision(Exception):
    """The editor's page shows an older revision of the article than the current one."""


def _check_span(revision: ArticleRevision, start: int, end: int, exact: str) -> None:
    """The revision is still current and ``exact`` is what the editor selected there."""
    if revision.article.current_revision_id != revision.pk:
        raise StaleRevision
    validate_span(revision.text, start, end, exact)


def _new_mention(
    claim: Claim, revision: ArticleRevision, start: int, end: int, user: AbstractBaseUser
) -> Mention:
    mention = Mention.for_span(
        claim=claim, revision=revision, start=start, end=end, created_by=user
    )
    mention.save()
    return mention


@dataclass(frozen=True)
class Marked:
    """The mention a mark made, or found: ``created`` is False when the passage was
    already marked by a draft claim and that one is returned instead."""

    mention: Mention
    created: bool


@transaction.atomic
def claim_create_with_mention(
    *, revision: ArticleRevision, start: int, end: int, exact: str, user: AbstractBaseUser
) -> Marked:
    """Create a draft claim for the passage ``[start, end)`` and the mention that marks it.

    Marking a passage that a draft claim already marks exactly (a double click, a second
    tab, a colleague at the same moment) returns that claim's mention instead of a second
    claim. Marks of one revision queue on its row (``select_for_update`` on PostgreSQL;
    SQLite runs IMMEDIATE transactions, one writer at a time), so the check sees every
    mark made before it, however many arrive at once."""
    list(ArticleRevision.objects.select_for_update().filter(pk=revision.pk).values_list("pk"))
    _check_span(revision, start, end, exact)
    existing = (
        Mention.objects.filter(
            revision=revision, start=start, end=end, claim__status=Claim.Status.DRAFT
        )
        .select_related("claim")
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return Marked(existing, created=False)
    text = default_claim_text(exact)
    claim = Claim.objects.create(
        slug=unique_slug(Claim, text),
        claim_reviewed=text,
        language=revision.article.language,
        author=user,
        last_edited_by=user,
        assignee=user,
    )
    return Marked(_new_mention(claim, revision, start, end, user), created=True)


def _passages_changed(claim: Claim, user: AbstractBaseUser) -> None:
    """A passage of a claim not yet public was linked, moved or removed: that is an edit
    of the claim like any other, so its version goes up (approvals given before no longer
    count) and ``user`` becomes its last editor (who may not approve it). ``claim`` is
    the row locked by the caller; a published claim's passages are reviewed one by one
    instead (``Claim.approve_appearance``)."""
    if claim.status == Claim.Status.PUBLISHED:
        return
    claim.version += 1
    claim.last_edited_by = user
    claim._history_user = user
    claim._change_reason = "passages changed"
    claim.save(update_fields=["version", "last_edited_by", "updated_at"])


def _locked_claim(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().get(pk=claim.pk)


@transaction.atomic
def mention_link(
    *,
    claim: Claim,
    revision: ArticleRevision,
    start: int,
    end: int,
    exact: str,
    user: AbstractBaseUser,
) -> Mention:
    """Attach the passage to an existing claim (the same statement made again).

    For a published claim the new appearance waits for a second person's approval
    before readers see it; for any other claim it is an edit (the version goes up)."""
    _check_span(revision, start, end, exact)
    claim = _locked_claim(claim)
    existing = Mention.objects.filter(claim=claim, revision=revision, start=start, end=end).first()
    if existing is not None:
        return existing
    mention = Mention.for_span(
        claim=claim, revision=revision, start=start, end=end, created_by=user
    )
    mention._history_user = user
    if claim.status == Claim.Status.PUBLISHED:
        _await_review(claim, mention, user)
        return mention
    mention.save()
    _passages_changed(claim, user)
    return mention


def _await_review(claim: Claim, mention: Mention, user: AbstractBaseUser) -> None:
    """A passage readers would see under a published verdict (new, or newly worded):
    it waits for someone other than ``user`` to approve it (``Claim.approve_appearance``)."""
    mention.awaiting = Mention.Awaiting.ADDITION
    mention.requested_by, mention.requested_at = user, timezone.now()
    mention.save()
    claim.events.create(
        kind=ClaimEvent.Kind.APPEARANCE_ADDED,
        actor=user,
        claim_version=claim.version,
        params=Claim.appearance_params(mention),
    )


@transaction.atomic
def mention_move(*, mention: Mention, start: int, end: int, user: AbstractBaseUser) -> Mention:
    """Give a mention new edges within its revision (widen or narrow it)."""
    revision = mention.revision
    _check_span(revision, start, end, revision.text[start:end])
    claim = _locked_claim(mention.claim)
    if claim.status == Claim.Status.PUBLISHED:
        raise WorkflowError(_("The passages of a published claim cannot be moved."), "status")
    mention.start, mention.end = start, end
    mention.take_quote()
    mention._history_user = user
    mention.save()
    _passages_changed(claim, user)
    mention.claim = claim
    return mention


class Removal:
    """What removing a passage did (``mention_delete``)."""

    REMOVED = "removed"
    CLAIM_DELETED = "claim_deleted"
    REQUESTED = "requested"  # a published passage: removal waits for a reviewer


@transaction.atomic
def mention_delete(*, mention: Mention, delete_claim: bool, user: AbstractBaseUser) -> str:
    """Remove a mention; with ``delete_claim``, also its draft claim when nothing else marks it.

    A passage of a published claim that readers see is not removed: the removal waits for
    a second person's approval (``Removal.REQUESTED``); one not approved yet is removed.
    Returns a ``Removal`` value.
    """
    claim = _locked_claim(mention.claim)
    if claim.status == Claim.Status.PUBLISHED:
        if mention.is_pending:
            claim.withdraw_appearance(by=user, mention=mention)
            return Removal.REMOVED
        claim.request_appearance_removal(by=user, mention=mention)
        return Removal.REQUESTED
    mention._history_user = user
    mention.delete()
    if delete_claim and claim.status == Claim.Status.DRAFT and not claim.mentions.exists():
        claim._history_user = user
        claim.delete()
        return Removal.CLAIM_DELETED
    _passages_changed(claim, user)
    return Removal.REMOVED


@transaction.atomic
def mention_confirm(*, mention: Mention, user: AbstractBaseUser) -> Mention:
    """The editor accepts a re-anchored mention's new place (and, if the quoted text
    changed, that the verdict still applies to the new wording).

    New wording is a change readers would see: on a published claim the passage then
    waits for a second person's approval like a new appearance (``mention.awaiting``),
    and on any other claim it is an edit (the version goes up). A passage that only
    moved, with its words unchanged, is shown all along and needs no review."""
    claim = _locked_claim(mention.claim)
    mention = Mention.objects.select_for_update().get(pk=mention.pk)
    mention._history_user = user
    mention.anchor = Mention.Anchor.ANCHORED
    if mention.awaiting:
        # Already waiting for a reviewer (a new appearance, or its removal): that request
        # and the person who made it stay as they are, so four-eyes still applies.
        mention.save()
        return mention
    if mention.quote_changed and claim.status == Claim.Status.PUBLISHED:
        _await_review(claim, mention, user)
        return mention
    mention.save()
    if mention.quote_changed:
        _passages_changed(claim, user)
    return mention
