"""The steps of a claim's workflow, one table: each step's one name is the ``Claim``
lifecycle method, the key in ``Claim.available_actions`` and, with hyphens, the URL part
(``correction_start`` → ``/desk/claims/<id>/correction-start/``, URL name
``claims:desk-claim-correction-start``).

The claim's lifecycle (availability), the transition view, the workflow box's template,
the admin and the tests read this table. It imports only the role map, so the models may
import it too.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from claims.roles import may


@dataclass(frozen=True)
class Step:
    name: str
    # The roles (keys of ``claims.roles.ACTION_ROLES``) a user needs, all of them, before the
    # desk offers the step; the lifecycle method checks the claim's state on top of them.
    roles: tuple[str, ...]
    success: Promise  # the message after the step, on the desk
    # The workflow box's form the step posts (``claims.workspace.workflow_forms``), if any,
    # and the fields of it passed to the lifecycle method.
    form: str | None = None
    fields: tuple[str, ...] = ()
    versioned: bool = True  # the method takes the claim's ``version`` the user saw
    publishes: bool = False  # returns the articles that became public with the claim

    @property
    def method(self) -> str:
        return self.name

    @property
    def slug(self) -> str:
        return self.name.replace("_", "-")

    @property
    def url_name(self) -> str:
        return f"claims:desk-claim-{self.slug}"

    def allowed(self, user) -> bool:
        """Whether ``user``'s role allows the step (not whether the claim's state does)."""
        return all(may(user, role) for role in self.roles)


STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step("submit", ("submit",), _("Sent to review.")),
        Step("approve", ("review",), _("Approved."), "decision_form", ("comment",)),
        Step(
            "approve_publish",
            ("review", "publish"),
            _("Approved and published."),
            "decision_form",
            ("comment",),
            publishes=True,
        ),
        Step(
            "request_changes",
            ("review",),
            _("Changes requested."),
            "decision_form",
            ("comment",),
        ),
        Step("publish", ("review", "publish"), _("Published."), publishes=True),
        Step("dismiss", ("dismiss",), _("Dismissed."), "reason_form", ("reason",)),
        Step("reopen", ("dismiss",), _("Reopened as a draft."), versioned=False),
        Step(
            "unpublish",
            ("unpublish",),
            _("Unpublished: the claim is back on the desk."),
            "reason_form",
            ("reason",),
            versioned=False,
        ),
        Step(
            "correction_start",
            ("correct",),
            _("Correction opened."),
            "start_form",
            ("kind", "note"),
        ),
        Step("correction_submit", ("correct", "submit"), _("Correction sent to review.")),
        Step("correction_withdraw", ("correct",), _("Correction withdrawn."), versioned=False),
    )
}
