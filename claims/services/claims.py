"""Saving a claim from the desk panel (with its sources, and the edit-conflict check)
and an open correction of a published claim."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from claims.models import Claim, ClaimEvent, Correction, Source, WorkflowError
from claims.models.claims import SOURCE_FIELDS
from claims.permissions import PANEL_STATUSES


@dataclass(frozen=True)
class FieldChange:
    """A field someone else changed; ``you_changed`` when this editor changed it too."""

    field: str
    label: str
    theirs: object
    yours: object
    you_changed: bool


@dataclass(frozen=True)
class SourceData:
    """One source of the claim as the editor left it in the panel (``claim_update``).

    ``pk`` is the stored source it edits (``None`` for a new one); with ``delete`` it is
    removed and the other values do not matter. ``order`` is the editor's position number
    (``None`` puts the source last); the sources are numbered from it, in list order
    where equal."""

    pk: int | None = None
    url: str = ""
    title: str = ""
    publisher: str = ""
    published_on: datetime.date | None = None
    accessed_on: datetime.date | None = None
    archive_url: str = ""
    kind: str = ""
    stance: str = ""
    quote: str = ""
    order: int | None = None
    delete: bool = False

    def values(self) -> dict[str, object]:
        """The source's fields (``SOURCE_FIELDS``) by name."""
        return {name: getattr(self, name) for name in SOURCE_FIELDS}


class EditConflict(Exception):
    """Someone else saved the claim since the editor loaded it."""

    def __init__(self, claim: Claim, changes: list[FieldChange]) -> None:
        super().__init__(f"claim {claim.pk} changed since version was loaded")
        self.claim = claim
        self.changes = changes


def default_claim_text(exact: str) -> str:
    """A first ``claim_reviewed`` for a fresh claim: the quote on one line, shortened."""
    line = " ".join(exact.split())
    return line if len(line) <= 250 else line[:249].rstrip() + "…"


def _conflicts(claim: Claim, expected_version: int, submitted: Claim) -> list[FieldChange]:
    """What others changed since ``expected_version`` (a three-way comparison with the
    version this editor loaded), and whether this editor changed the same field."""
    seen = claim.history.filter(version=expected_version).order_by("-history_date").first()
    if seen is None:  # no record of what was loaded: every field may have changed
        theirs = yours = [Claim._meta.get_field(name) for name in Claim.PANEL_FIELDS]
    else:
        theirs, yours = Claim.panel_changes(seen, claim), Claim.panel_changes(seen, submitted)
    return [
        FieldChange(
            field=field.name,
            label=str(field.verbose_name),
            theirs=getattr(claim, field.name),
            yours=getattr(submitted, field.name),
            you_changed=field in yours,
        )
        for field in theirs
    ]


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    expected_version: int,
    sources: list[SourceData],
    user: AbstractBaseUser,
) -> Claim:
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
    _save_sources(claim, sources, user)
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
def correction_update(
    *, correction: Correction, expected_version: int, user: AbstractBaseUser
) -> Correction:
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


def _save_sources(claim: Claim, sources: list[SourceData], user: AbstractBaseUser) -> None:
    """Delete, change, add and renumber ``claim``'s sources as ``sources`` says. A source
    whose values and position stay as they are is not saved again (no history record
    for nothing); a ``pk`` that is not one of the claim's sources is saved as a new one."""
    stored: dict[int, Source] = {}
    if any(data.pk for data in sources):
        stored = {source.pk: source for source in claim.sources.all()}
    for data in sources:
        if data.delete and data.pk in stored:
            source = stored.pop(data.pk)
            source._history_user = user
            source.delete()
    kept = [(index, data) for index, data in enumerate(sources) if not data.delete]
    # Editors reorder by the Order numbers; new sources without a number go last.
    kept.sort(key=lambda item: (item[1].order or float("inf"), item[0]))
    for position, (_index, data) in enumerate(kept):
        values = data.values()
        source = stored.get(data.pk) if data.pk else None
        if source is None:
            source = Source(claim=claim, **values)
        elif source.position == position and all(
            getattr(source, name) == value for name, value in values.items()
        ):
            continue  # untouched: no history record for nothing
        for name, value in values.items():
            setattr(source, name, value)
        source.claim = claim
        source.position = position
        source._history_user = user
        source.save()
