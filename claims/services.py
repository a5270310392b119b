"""Writes that touch several models, each in one transaction.

Views call these with validated input; every function re-checks what the database must
guarantee (current revision, exact quote, claim version) so nothing is half-saved.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from claims.models import (
    ArticleRevision,
    Claim,
    ClaimEvent,
    Correction,
    Mention,
    Source,
    WorkflowError,
)
from claims.models.base import unique_slug
from claims.text import validate_span

# Statuses in which the claim panel saves (a published claim without its verdict).
PANEL_EDITABLE = (Claim.Status.DRAFT, Claim.Status.CHANGES_REQUESTED, Claim.Status.PUBLISHED)


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


@transaction.atomic
def claim_create_with_mention(
    *, revision: ArticleRevision, start: int, end: int, exact: str, user
) -> Mention:
    """Create a draft claim for the passage ``[start, end)`` and the mention that marks it."""
    _check_span(revision, start, end, exact)
    text = default_claim_text(exact)
    claim = Claim.objects.create(
        slug=unique_slug(Claim, text),
        claim_reviewed=text,
        language=revision.article.language,
        author=user,
        last_edited_by=user,
        assignee=user,
    )
    return _new_mention(claim, revision, start, end, user)


@transaction.atomic
def mention_link(
    *, claim: Claim, revision: ArticleRevision, start: int, end: int, exact: str, user
) -> Mention:
    """Attach the passage to an existing claim (the same statement made again)."""
    _check_span(revision, start, end, exact)
    existing = Mention.objects.filter(claim=claim, revision=revision, start=start, end=end)
    if existing.exists():
        return existing.get()
    return _new_mention(claim, revision, start, end, user)


@transaction.atomic
def mention_move(*, mention: Mention, start: int, end: int, user) -> Mention:
    """Give a mention new edges within its revision (widen or narrow it)."""
    revision = mention.revision
    _check_span(revision, start, end, revision.text[start:end])
    mention.start, mention.end = start, end
    mention.take_quote()
    mention._history_user = user
    mention.save()
    return mention


@transaction.atomic
def mention_delete(*, mention: Mention, delete_claim: bool, user) -> bool:
    """Remove a mention; with ``delete_claim``, also its draft claim when nothing else marks it.

    Returns whether the claim was deleted.
    """
    claim = mention.claim
    mention._history_user = user
    mention.delete()
    if delete_claim and claim.status == Claim.Status.DRAFT and not claim.mentions.exists():
        claim._history_user = user
        claim.delete()
        return True
    return False


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
    if claim.status not in PANEL_EDITABLE:
        raise WorkflowError(_("This claim cannot be edited now."), "status")
    won = Claim.objects.filter(pk=claim.pk, version=expected_version, status=claim.status).update(
        version=F("version") + 1
    )
    if not won:
        current = Claim.objects.select_related("rating", "assignee").get(pk=claim.pk)
        if current.status != claim.status:
            raise WorkflowError(
                _("Meanwhile the claim became %(status)s; nothing was saved.")
                % {"status": current.get_status_display().lower()},
                "status",
            )
        raise EditConflict(current, _conflicts(current, expected_version, claim))
    previous_assignee = Claim.objects.values_list("assignee", flat=True).get(pk=claim.pk)
    claim.version = expected_version + 1
    claim.last_edited_by = user
    claim._history_user = user
    # The panel's fields only: the status and dates belong to the lifecycle methods.
    claim.save(update_fields=[*Claim.PANEL_FIELDS, "version", "last_edited_by", "updated_at"])
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
        source.claim = formset.instance
        source.position = position
        source._history_user = user
        source.save()
