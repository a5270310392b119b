"""Who may do what on the desk: the role map in ``claims.roles`` plus the claim's state.

Views ask these functions (and ``Claim.available_actions``); templates show only what they
allow.
"""

from claims.models import Claim
from claims.roles import may

# Statuses in which the desk may change a claim's text, verdict and sources. Claims in
# review wait for the reviewer; published claims change their verdict only through a
# correction (their sources and claimant details stay editable, with history).
EDITABLE_STATUSES = frozenset({Claim.Status.DRAFT, Claim.Status.CHANGES_REQUESTED})
# Statuses in which the claim panel saves (a published claim without its verdict fields).
PANEL_STATUSES = EDITABLE_STATUSES | {Claim.Status.PUBLISHED}


def can_use_desk(user) -> bool:
    return may(user, "use_desk")


def can_mark_claims(user) -> bool:
    return may(user, "mark")


def can_edit_claim(user, claim: Claim) -> bool:
    """The claim panel's form is open to this user (for a published claim: without the
    verdict, which only a correction changes)."""
    if not may(user, "edit"):
        return False
    return claim.status in PANEL_STATUSES


def can_change_mentions(user, claim: Claim) -> bool:
    return may(user, "mark") and claim.status in EDITABLE_STATUSES


def can_remove_mention(user, claim: Claim) -> bool:
    """Removing a passage: directly while the claim is editable; for a published claim, a
    passage not yet approved goes at once and an approved one waits for a reviewer."""
    return may(user, "mark") and claim.status in PANEL_STATUSES
