"""Writes that touch several models, each in one transaction.

Views call these with validated input; every function re-checks what the database must
guarantee (current revision, exact quote, claim version) so nothing is half-saved.
"""

import dataclasses
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import (
    Article,
    ArticleRevision,
    Claim,
    ClaimEvent,
    Correction,
    ErrorReport,
    Mention,
    Source,
    Tip,
    WorkflowError,
)
from claims.models.base import unique_slug, validate_language_tag
from claims.models.reader_input import ModerationStatus
from claims.permissions import PANEL_STATUSES
from claims.roles import may
from claims.text import normalize, validate_span
from claims.text.reanchor import reanchor_all


class StaleRevision(Exception):
    """The editor's page shows an older revision of the article than the current one."""


@dataclass(frozen=True)
class FieldChange:
    """A field someone else changed; ``you_changed`` when this editor changed it too."""

    field: str
    label: str
    theirs: object
    yours: object
    you_changed: bool


class EditConflict(Exception):
    """Someone else saved the claim since the editor loaded it."""

    def __init__(self, claim: Claim, changes: list[FieldChange]) -> None:
        super().__init__(f"claim {claim.pk} changed since version was loaded")
        self.claim = claim
        self.changes = changes


def _check_span(revision: ArticleRevision, start: int, end: int, exact: str) -> None:
    """The revision is still current and ``exact`` is what the editor selected there."""
    if revision.article.current_revision_id != revision.pk:
        raise StaleRevision
    validate_span(revision.text, start, end, exact)


def _new_mention(claim, revision, start, end, user) -> Mention:
    mention = Mention.for_span(
        claim=claim, revision=revision, start=start, end=end, created_by=user
    )
    mention.save()
    return mention


def default_claim_text(exact: str) -> str:
    """A first ``claim_reviewed`` for a fresh claim: the quote on one line, shortened."""
    line = " ".join(exact.split())
    return line if len(line) <= 250 else line[:249].rstrip() + "…"


@dataclass(frozen=True)
class Marked:
    """The mention a mark made, or found: ``created`` is False when the passage was
    already marked by a draft claim and that one is returned instead."""

    mention: Mention
    created: bool


@transaction.atomic
def claim_create_with_mention(
    *, revision: ArticleRevision, start: int, end: int, exact: str, user
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


def _passages_changed(claim: Claim, user) -> None:
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
    *, claim: Claim, revision: ArticleRevision, start: int, end: int, exact: str, user
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


def _await_review(claim: Claim, mention: Mention, user) -> None:
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
def mention_move(*, mention: Mention, start: int, end: int, user) -> Mention:
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
def mention_delete(*, mention: Mention, delete_claim: bool, user) -> str:
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


def _conflicts(claim: Claim, expected_version: int, submitted: Claim) -> list[FieldChange]:
    """What others changed since ``expected_version`` (a three-way comparison with the
    version this editor loaded), and whether this editor changed the same field."""
    seen = claim.history.filter(version=expected_version).order_by("-history_date").first()
    changes = []
    for name in Claim.PANEL_FIELDS:
        field = Claim._meta.get_field(name)
        attname = field.attname
        current = getattr(claim, attname)
        before = getattr(seen, attname) if seen else None
        if seen is None or current != before:
            changes.append(
                FieldChange(
                    field=name,
                    label=str(field.verbose_name),
                    theirs=getattr(claim, name),
                    yours=getattr(submitted, name),
                    you_changed=seen is None or getattr(submitted, attname) != before,
                )
            )
    return changes


@transaction.atomic
def claim_update(*, claim: Claim, expected_version: int, sources_formset, user) -> Claim:
    """Save the edited ``claim`` (an unsaved instance with new values) and its sources.

    The version and status checks happen in the UPDATE itself, so two editors saving at
    once cannot both win, on SQLite (no row locks) as on PostgreSQL, and nobody edits a
    claim that went to review meanwhile. The loser gets :class:`EditConflict` listing what
    the winner changed (or ``WorkflowError`` when the status moved); nothing is written.
    """
    if claim.status not in PANEL_STATUSES:
        raise WorkflowError(_("This claim cannot be edited now."), "status")
    won = Claim.objects.filter(pk=claim.pk, version=expected_version, status=claim.status).update(
        version=F("version") + 1
    )
    if not won:
        current = Claim.objects.select_related("rating", "assignee").get(pk=claim.pk)
        if current.status != claim.status:
            raise WorkflowError(
                _("Meanwhile the claim became %(status)s; nothing was saved.")
                % {"status": current.status_in_sentence()},
                "status",
            )
        raise EditConflict(current, _conflicts(current, expected_version, claim))
    stored = Claim.objects.values("assignee", "slug", "published_at").get(pk=claim.pk)
    previous_assignee = stored["assignee"]
    _take_slug(claim, stored)
    claim.version = expected_version + 1
    claim.last_edited_by = user
    claim._history_user = user
    # The panel's fields only: the status and dates belong to the lifecycle methods.
    claim.save(
        update_fields=[
            *Claim.PANEL_FIELDS,
            "slug_set_by_hand",
            "version",
            "last_edited_by",
            "updated_at",
        ]
    )
    sources_formset.instance = claim
    _save_sources(sources_formset, user)
    if claim.assignee_id != previous_assignee and claim.assignee_id not in (None, user.pk):
        claim.events.create(
            kind=ClaimEvent.Kind.ASSIGNED,
            actor=user,
            recipient=claim.assignee,
            claim_version=claim.version,
        )
    return claim


def _take_slug(claim: Claim, stored: dict) -> None:
    """The slug a panel save leaves: fixed once the claim was published; else the one the
    editor typed (kept from then on), or, when the field is untouched or emptied, the one
    the claim as reviewed gives."""
    if stored["published_at"] is not None:
        if claim.slug != stored["slug"]:
            raise WorkflowError(
                _("The address of a claim is fixed once it has been published."), "slug"
            )
        return
    if not claim.slug:
        claim.slug_set_by_hand = False
    elif claim.slug != stored["slug"]:
        claim.slug_set_by_hand = True
    claim.refresh_slug()


@transaction.atomic
def correction_update(*, correction: Correction, expected_version: int, user) -> Correction:
    """Save the edited, still open ``correction`` of a published claim.

    Editing a correction is editing the claim's next version: the claim's version goes up
    (approvals given before do not count) and the editor becomes its last editor, so the
    four-eyes rule covers corrections too.
    """
    claim = correction.claim
    won = Claim.objects.filter(
        pk=claim.pk, version=expected_version, status=Claim.Status.PUBLISHED
    ).update(version=F("version") + 1)
    stored = Correction.objects.filter(pk=correction.pk).values_list("status", flat=True).first()
    if not won or stored not in (Correction.Status.DRAFT, Correction.Status.CHANGES_REQUESTED):
        raise WorkflowError(
            _("The claim or its correction changed meanwhile; reload and check it again."),
            "stale",
        )
    claim.refresh_from_db()
    claim.last_edited_by = user
    claim._history_user = user
    claim._change_reason = "correction edited"
    claim.save(update_fields=["last_edited_by", "updated_at"])
    correction.save()
    return correction


def _save_sources(formset, user) -> None:
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance._history_user = user
            form.instance.delete()
    kept = [
        (index, form)
        for index, form in enumerate(formset.forms)
        if form.cleaned_data
        and form not in formset.deleted_forms
        and (form.has_changed() or form.instance.pk)
    ]
    # Editors reorder by the Order numbers; new sources without a number go last.
    kept.sort(key=lambda item: (item[1].cleaned_data.get("ORDER") or float("inf"), item[0]))
    for position, (_index, form) in enumerate(kept):
        source: Source = form.save(commit=False)
        if source.pk and not form.has_changed() and source.position == position:
            continue  # untouched: no history record for nothing
        source.claim = formset.instance
        source.position = position
        source._history_user = user
        source.save()


# --- New revisions of an article ------------------------------------------------------------
class ArticleChanged(Exception):
    """Someone else saved the article's metadata since the editor loaded the form."""

    def __init__(self, article: Article) -> None:
        super().__init__(f"article {article.pk} changed since the form was loaded")
        self.article = article


@transaction.atomic
def article_update(*, article: Article, loaded_updated_at: str, user) -> Article:
    """Save ``article`` (metadata changed by a form, not yet saved) unless the stored
    article changed since the form was loaded; its history records ``user``."""
    current = Article.objects.select_for_update().get(pk=article.pk)
    if current.updated_at.isoformat() != loaded_updated_at:
        raise ArticleChanged(current)
    if current.published_at is not None:
        article.slug = current.slug  # frozen once readers could see it, whatever was posted
    article.status, article.published_at = current.status, current.published_at
    article.current_revision_id = current.current_revision_id
    article._history_user = user
    article._change_reason = "metadata"
    article.save()
    return article


@dataclass(frozen=True)
class RevisionResult:
    revision: ArticleRevision
    anchored: int
    reanchored: int
    orphaned: int
    quote_changed: int


class SameText(Exception):
    """The new text is the article's current text: no revision is made."""


@transaction.atomic
def article_revise(*, article: Article, text: str, origin: str, user) -> RevisionResult:
    """Make ``text`` the article's new current revision and re-anchor every mention of
    the previous one onto it (``claims.text.reanchor``).

    A mention found at the same place keeps being ``anchored``; one found elsewhere, or
    fuzzily with enough confidence, moves and becomes ``reanchored`` (with where it was
    before, so an editor can compare); one that cannot be placed without doubt stays on
    the old revision as ``orphaned``. Nothing moves silently with low confidence.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    old = article.current_revision
    text = normalize(text)
    if old is not None and old.text == text:
        raise SameText
    number = (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = ArticleRevision.objects.create(
        article=article, number=number, text=text, origin=origin, created_by=user
    )
    article.current_revision = revision
    article._history_user = user
    article.save(update_fields=["current_revision", "updated_at"])
    counts = {"anchored": 0, "reanchored": 0, "orphaned": 0, "quote_changed": 0}
    if old is None:
        return RevisionResult(revision, **counts)
    mentions = list(Mention.objects.filter(revision=old).select_related("claim"))
    results = reanchor_all(
        old.text,
        text,
        [(m, m.start, m.end, m.exact, m.prefix, m.suffix) for m in mentions],
    )
    placed: set[tuple[int, int, int]] = set()
    for mention, anchoring in results:
        mention._history_user = user
        spot = (mention.claim_id, anchoring.start, anchoring.end)
        if anchoring.state != Mention.Anchor.ORPHANED and spot in placed:
            # Two passages of one claim landed on the same place: neither is certain.
            anchoring = dataclasses.replace(
                anchoring, state="orphaned", start=None, end=None, confidence=0.0
            )
        placed.add(spot)
        if anchoring.state == Mention.Anchor.ORPHANED:
            counts["orphaned"] += 1
            mention.anchor, mention.anchor_confidence = Mention.Anchor.ORPHANED, 0.0
            mention.save()
            continue
        before = (mention.exact, mention.prefix, mention.suffix)
        mention.revision = revision
        mention.start, mention.end = anchoring.start, anchoring.end
        mention.take_quote()
        state = anchoring.state
        if (
            state == Mention.Anchor.REANCHORED
            and (mention.exact, mention.prefix, mention.suffix) == before
        ):
            # Same words in the same surroundings, only shifted by edits elsewhere: nothing
            # for an editor to decide.
            state = Mention.Anchor.ANCHORED
        if state == Mention.Anchor.REANCHORED:
            mention.previous_revision = old
            mention.previous_exact, mention.previous_prefix, mention.previous_suffix = before
        counts[state] += 1
        mention.anchor = state
        mention.anchor_confidence = anchoring.confidence
        mention.quote_changed = anchoring.quote_changed
        counts["quote_changed"] += anchoring.quote_changed
        mention.save()
    return RevisionResult(revision, **counts)


@transaction.atomic
def mention_confirm(*, mention: Mention, user) -> Mention:
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


# --- Moderation of reader input (the admin) -------------------------------------------------
def _require_moderator(user) -> None:
    if not may(user, "moderate"):
        raise WorkflowError(_("Your role does not allow this."), "forbidden")


@transaction.atomic
def set_moderation_status(*, items, status: str, user, note: str = "") -> int:
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
def claim_from_tip(*, tip: Tip, assignee, user) -> Claim:
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
def correction_from_report(*, report: ErrorReport, kind: str, note: str, user) -> Correction:
    """Open a correction of the reported (published) claim from a reader's error report.

    ``Claim.start_correction`` checks the role, the claim's state and the note, and writes
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
    correction = report.claim.start_correction(by=user, kind=kind, note=note)
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
