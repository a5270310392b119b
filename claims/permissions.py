"""Who may do what on the desk. Views ask these functions; templates show only what they allow.

Roles are the groups in ``claims.roles``. Superusers may do everything.
"""

from claims.models import Claim
from claims.roles import EDITORS, REVIEWERS

DESK_ROLES = frozenset({EDITORS, REVIEWERS})

# Statuses in which the desk may change a claim's text, verdict and sources. Claims in
# review wait for the reviewer; published claims change only through a correction.
EDITABLE_STATUSES = frozenset({Claim.Status.DRAFT, Claim.Status.CHANGES_REQUESTED})


def _roles(user) -> frozenset[str]:
    if not hasattr(user, "_factcheck_roles"):
        user._factcheck_roles = frozenset(user.groups.values_list("name", flat=True))
    return user._factcheck_roles


def can_use_desk(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or bool(_roles(user) & DESK_ROLES)


def can_mark_claims(user) -> bool:
    return can_use_desk(user)


def can_edit_claim(user, claim: Claim) -> bool:
    return can_use_desk(user) and claim.status in EDITABLE_STATUSES
