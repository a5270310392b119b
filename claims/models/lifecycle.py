"""The claim's lifecycle: ``draft → in_review → published``, with ``changes_requested`` and
``dismissed``, and corrections of published verdicts.

Each transition is a method with a verb name that takes the acting user (``by=``). It
asks the role map (``claims.roles.may``), then re-reads the claim row under a lock and
checks its state there, so two people acting at once are served one after the other and
the second sees what the first did. It writes the change with its history record and a
``ClaimEvent``, or raises :class:`WorkflowError` with a sentence for the user. Nothing is
silently skipped.

A transition may carry the ``version`` the user was looking at; if the claim changed
since, it is refused ("stale"), so nobody approves or publishes text they have not seen.
"""

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.roles import may
from claims.workflow_steps import STEPS

# Models import in one direction: claims.py mixes this in, workflow.py imports claims.py;
# so this module imports no model module and finds the models it needs in the app registry.


class WorkflowError(Exception):
    """A transition that may not happen now; ``message`` says why, in words for the user."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def required_approvals() -> int:
    return settings.FACTCHECK_REQUIRED_APPROVALS


def publish_on_approval() -> bool:
    return settings.FACTCHECK_PUBLISH_ON_APPROVAL


class ClaimLifecycle:
    """Mixed into ``Claim``: the transitions and what the desk may offer a user."""

    # --- Reading the state ----------------------------------------------------------------
    def missing_for_review(self, *, has_sources: bool | None = None) -> list[str]:
        """What the claim still lacks before it can go to review, in words
        (``has_sources``: whether it has sources, when the caller knows already)."""
        missing = []
        if not self.claim_reviewed.strip():
            missing.append(_("the claim as reviewed"))
        if self.rating_id is None:
            missing.append(_("a rating"))
        if not self.conclusion.strip():
            missing.append(_("a conclusion"))
        if not (self.sources.exists() if has_sources is None else has_sources):
            missing.append(_("at least one source"))
        return missing

    def _own_work_ids(self, correction=None) -> set[int]:
        """Who may never approve this version: author, last editor, correction's author."""
        own = {self.author_id, self.last_edited_by_id}
        if correction is not None:
            own.add(correction.created_by_id)
        return {pk for pk in own if pk is not None}

    def approvals_count(self, correction=None) -> int:
        """Approvals that count: on the current version, by someone other than the
        author and the last editor."""
        return (
            self.reviews.filter(
                decision="approve", claim_version=self.version, correction=correction
            )
            .exclude(reviewer_id__in=self._own_work_ids(correction))
            .values("reviewer")
            .distinct()
            .count()
        )

    def is_own_work(self, user, correction=None) -> bool:
        """Four-eyes: the author, the last editor (and a correction's author) never approve."""
        return user.pk in self._own_work_ids(correction)

    def pending_correction(self):
        """The open correction of a published claim (None for any other status)."""
        return self.corrections.open().first() if self.status == self.Status.PUBLISHED else None

    def available_actions(self, user, correction=...) -> set[str]:
        """The workflow steps (names in ``claims.workflow_steps.STEPS``) the desk may offer
        ``user`` on this claim right now (``correction``: the pending correction, when the
        caller has it already)."""
        status, S = self.status, self.Status
        actions: set[str] = set()

        def allowed(name: str) -> bool:
            return STEPS[name].allowed(user)

        if correction is ...:
            correction = self.pending_correction()
        in_review = status == S.IN_REVIEW or (
            correction is not None and correction.status == correction.Status.IN_REVIEW
        )
        if status in (S.DRAFT, S.CHANGES_REQUESTED) and allowed("submit"):
            actions.add("submit")
        if status in (S.DRAFT, S.CHANGES_REQUESTED, S.IN_REVIEW) and allowed("dismiss"):
            actions.add("dismiss")
        if status == S.DISMISSED and allowed("reopen"):
            actions.add("reopen")
        if status == S.PUBLISHED:
            if allowed("unpublish"):
                actions.add("unpublish")
            if correction is None and allowed("correction_start"):
                actions.add("correction_start")
            if correction is not None and allowed("correction_withdraw"):
                actions.add("correction_withdraw")
                if correction.status != correction.Status.IN_REVIEW and allowed(
                    "correction_submit"
                ):
                    actions.add("correction_submit")
        if in_review and allowed("request_changes"):
            decided = self.reviews.filter(reviewer=user, claim_version=self.version).exists()
            approvals = self.approvals_count(correction)
            if not decided:
                actions.add("request_changes")
                if not self.is_own_work(user, correction):
                    # The approval that completes the quota publishes in the same step.
                    completes = approvals + 1 >= required_approvals()
                    if completes and publish_on_approval() and allowed("approve_publish"):
                        actions.add("approve_publish")
                    elif allowed("approve"):
                        actions.add("approve")
            if allowed("publish") and approvals >= required_approvals():
                actions.add("publish")
        return actions

    def articles_to_publish(self):
        """Articles not public yet that publishing this claim makes public: those whose
        current text it is marked in and that were never unpublished."""
        Article = apps.get_model("claims", "Article")
        return Article.objects.filter(
            status=Article.Status.DRAFT,
            current_revision__mentions__claim=self,
        ).distinct()

    # --- Helpers for the transitions ------------------------------------------------------
    def _lock_for(self, by, action: str, version: int | None):
        """The claim row re-read under a lock, once ``by``'s role allows ``action``; refused
        when the claim moved past the ``version`` the user saw."""
        if not may(by, action):
            raise WorkflowError(_("Your role does not allow this."), "forbidden")
        claim = type(self).objects.select_for_update().get(pk=self.pk)
        if version is not None and claim.version != version:
            raise WorkflowError(
                _(
                    "The claim changed since you opened it (it is now at version "
                    "%(version)s). Reload it and check it again."
                )
                % {"version": claim.version},
                "stale",
            )
        return claim

    def _refuse_status(self, message: str):
        raise WorkflowError(message % {"status": self.status_in_sentence()}, "status")

    def _review_target(self):
        """What is waiting for a reviewer: ``None`` for the claim itself, or its correction."""
        if self.status == self.Status.IN_REVIEW:
            return None
        correction = self.pending_correction()
        if correction is None or correction.status != correction.Status.IN_REVIEW:
            self._refuse_status(_("This claim is not waiting for review; it is %(status)s."))
        return correction

    def _record(
        self,
        claim,
        by,
        kind: str,
        *,
        comment="",
        correction=None,
        recipient=None,
        save=True,
        params=None,
    ):
        """Save the locked ``claim`` with its history record (unless ``save`` is off, for
        decisions that change nothing on the claim), log the event, refresh ``self``."""
        if save:
            claim._history_user = by
            claim._change_reason = comment[:100] or kind
            claim.save()
        claim.events.create(
            kind=kind,
            actor=by,
            comment=comment,
            claim_version=claim.version,
            correction=correction,
            recipient=recipient,
            params=params or {},
        )
        self.refresh_from_db()

    @staticmethod
    def _required_text(value: str, message: str) -> str:
        value = (value or "").strip()
        if not value:
            raise WorkflowError(message, "required")
        return value

    # --- Transitions ----------------------------------------------------------------------
    @transaction.atomic
    def submit(self, *, by, version: int | None = None) -> None:
        claim = self._lock_for(by, "submit", version)
        if claim.status not in (self.Status.DRAFT, self.Status.CHANGES_REQUESTED):
            claim._refuse_status(
                _(
                    "Only a draft or a claim with changes requested goes to review; "
                    "this one is %(status)s."
                )
            )
        missing = claim.missing_for_review()
        if missing:
            raise WorkflowError(
                _("Before it goes to review, the claim needs %(missing)s.")
                % {"missing": ", ".join(missing)},
                "incomplete",
            )
        claim.status = self.Status.IN_REVIEW
        claim.submitted_at, claim.submitted_by = timezone.now(), by
        self._record(claim, by, "submitted")

    @transaction.atomic
    def approve(self, *, by, version: int | None = None, comment: str = "") -> None:
        claim = self._lock_for(by, "review", version)
        correction = claim._review_target()
        if claim.is_own_work(by, correction):
            raise WorkflowError(
                _("You wrote or last edited this, so another reviewer must approve it."),
                "four_eyes",
            )
        claim._decide(by, "approve", comment, correction)
        self._record(claim, by, "approved", comment=comment, correction=correction, save=False)

    @transaction.atomic
    def request_changes(self, *, by, comment: str, version: int | None = None) -> None:
        comment = self._required_text(
            comment, _("Say what needs to change: the comment is required.")
        )
        claim = self._lock_for(by, "review", version)
        correction = claim._review_target()
        claim._decide(by, "request_changes", comment, correction)
        if correction is not None:
            correction.status = correction.Status.CHANGES_REQUESTED
            correction.save(update_fields=["status"])
        else:
            claim.status = self.Status.CHANGES_REQUESTED
        self._record(claim, by, "changes_requested", comment=comment, correction=correction)

    def _decide(self, by, decision: str, comment: str, correction) -> None:
        if self.reviews.filter(reviewer=by, claim_version=self.version).exists():
            raise WorkflowError(_("You already gave your decision on this version."), "duplicate")
        self.reviews.create(
            reviewer=by,
            decision=decision,
            comment=comment,
            claim_version=self.version,
            correction=correction,
        )

    @transaction.atomic
    def approve_publish(self, *, by, version: int | None = None, comment: str = ""):
        """The approval that completes the quota, and publication, as one step: both
        happen or neither does. Returns the articles that became public with it."""
        if not publish_on_approval():
            raise WorkflowError(
                _("Here publishing is a separate step: approve, then publish."), "forbidden"
            )
        correction = self._review_target()
        required, count = required_approvals(), self.approvals_count(correction)
        if count + 1 < required:
            raise WorkflowError(
                ngettext(
                    "Publishing needs %(required)d approval of this version by someone "
                    "other than its authors; with yours it would have %(count)d.",
                    "Publishing needs %(required)d approvals of this version by people "
                    "other than its authors; with yours it would have %(count)d.",
                    required,
                )
                % {"required": required, "count": count + 1},
                "approvals",
            )
        self.approve(by=by, version=version, comment=comment)
        return self.publish(by=by, version=version)

    @transaction.atomic
    def publish(self, *, by, version: int | None = None):
        """Publish the claim (or its correction in review). A claim's first publication
        also makes public the articles it is marked in that readers cannot see yet;
        returns those articles."""
        claim = self._lock_for(by, "publish", version)
        correction = claim._review_target()
        required, count = required_approvals(), claim.approvals_count(correction)
        if count < required:
            raise WorkflowError(
                ngettext(
                    "Publishing needs %(required)d approval of this version by someone "
                    "other than its authors; it has %(count)d.",
                    "Publishing needs %(required)d approvals of this version by people "
                    "other than its authors; it has %(count)d.",
                    required,
                )
                % {"required": required, "count": count},
                "approvals",
            )
        now = timezone.now()
        articles = []
        if correction is None:
            claim.refresh_slug()  # its last chance: the public address is fixed from now on
            claim.status = self.Status.PUBLISHED
            claim.published_at = claim.published_at or now
            # Its passages were reviewed with it: none waits any more.
            claim._settle_appearances(by)
            articles = [
                article
                for article in claim.articles_to_publish()
                if article.publish_with_claim(by=by, claim=claim)
            ]
        else:
            for name in correction.FIELDS:
                setattr(correction, f"old_{name}", getattr(claim, name))
                setattr(claim, name, getattr(correction, f"new_{name}"))
            correction.status, correction.published_at = correction.Status.PUBLISHED, now
            correction.save()
            claim.version += 1
        self._record(
            claim,
            by,
            "published",
            comment=correction.note if correction else "",
            correction=correction,
        )
        return articles

    @transaction.atomic
    def dismiss(self, *, by, reason: str, version: int | None = None) -> None:
        reason = self._required_text(reason, _("Say why the claim is dismissed."))
        claim = self._lock_for(by, "dismiss", version)
        if claim.status not in (
            self.Status.DRAFT,
            self.Status.CHANGES_REQUESTED,
            self.Status.IN_REVIEW,
        ):
            claim._refuse_status(_("A claim that is %(status)s cannot be dismissed."))
        claim.status = self.Status.DISMISSED
        self._record(claim, by, "dismissed", comment=reason)

    @transaction.atomic
    def reopen(self, *, by) -> None:
        claim = self._lock_for(by, "dismiss", None)
        if claim.status != self.Status.DISMISSED:
            claim._refuse_status(
                _("Only a dismissed claim can be reopened; this one is %(status)s.")
            )
        claim.status = self.Status.DRAFT
        self._record(claim, by, "reopened")

    @transaction.atomic
    def unpublish(self, *, by, reason: str) -> None:
        """Take a published claim off the public site and back to the desk as a draft."""
        reason = self._required_text(reason, _("Say why the claim is unpublished."))
        claim = self._lock_for(by, "unpublish", None)
        if claim.status != self.Status.PUBLISHED:
            claim._refuse_status(
                _("Only a published claim can be unpublished; this one is %(status)s.")
            )
        for correction in claim.corrections.open():
            correction.status = correction.Status.WITHDRAWN
            correction.save(update_fields=["status"])
        claim.status = self.Status.DRAFT
        # Back on the desk as a draft, its passages are edited freely and reviewed with it.
        claim._settle_appearances(by)
        self._record(claim, by, "unpublished", comment=reason)

    @transaction.atomic
    def assign(self, *, by, to) -> None:
        """Give the claim to an editor (``to=None`` leaves it unassigned)."""
        claim = self._lock_for(by, "edit", None)
        if to is not None and not may(to, "edit"):
            raise WorkflowError(
                _("Claims can only be assigned to editors and reviewers."), "assignee"
            )
        claim.assignee = to
        self._record(claim, by, "assigned", recipient=to)

    # --- Corrections of published verdicts ------------------------------------------------
    @transaction.atomic
    def correction_start(self, *, by, kind: str, note: str, version: int | None = None):
        """Open a correction: the verdict can then be changed in it, and goes to review."""
        Correction = apps.get_model("claims", "Correction")
        note = self._required_text(note, _("Write the public correction note."))
        if kind not in Correction.Kind.values:
            raise WorkflowError(_("Choose the kind of correction."), "kind")
        claim = self._lock_for(by, "correct", version)
        if claim.status != self.Status.PUBLISHED:
            claim._refuse_status(
                _(
                    "Only a published claim takes a correction; this one is %(status)s. "
                    "Edit it directly."
                )
            )
        if claim.corrections.open().exists():
            raise WorkflowError(_("This claim already has an open correction."), "duplicate")
        correction = claim.corrections.create(
            kind=kind,
            note=note,
            created_by=by,
            **{f"new_{name}": getattr(claim, name) for name in Correction.FIELDS},
        )
        # A new version: approvals given before do not carry over to the correction.
        claim.version += 1
        claim.last_edited_by = by
        self._record(claim, by, "correction_opened", comment=note, correction=correction)
        return correction

    @transaction.atomic
    def correction_submit(self, *, by, version: int | None = None) -> None:
        claim = self._lock_for(by, "submit", version)
        correction = claim.pending_correction()
        if correction is None or correction.status == correction.Status.IN_REVIEW:
            raise WorkflowError(
                _("There is no correction waiting to be sent to review."), "status"
            )
        if not correction.proposed_changes():
            raise WorkflowError(
                _("The correction does not change the rating, conclusion or explanation yet."),
                "incomplete",
            )
        correction.status = correction.Status.IN_REVIEW
        correction.save(update_fields=["status"])
        claim.submitted_at, claim.submitted_by = timezone.now(), by
        self._record(claim, by, "submitted", comment=correction.note, correction=correction)

    @transaction.atomic
    def correction_withdraw(self, *, by) -> None:
        claim = self._lock_for(by, "correct", None)
        correction = claim.corrections.open().first()
        if correction is None:
            raise WorkflowError(_("This claim has no open correction."), "status")
        correction.status = correction.Status.WITHDRAWN
        correction.save(update_fields=["status"])
        self._record(claim, by, "correction_withdrawn", correction=correction)

    # --- Appearances (passages) of published claims ---------------------------------------
    # A passage linked to a published claim is not public until a second person approves
    # it; an approved one is removed only when a second person approves the removal. The
    # one who linked it (or asked for the removal) never decides, superusers included.
    def _settle_appearances(self, by) -> None:
        """Nothing of this claim's passages waits any more: it is being (re)published
        after review, or goes back to the desk as a draft."""
        for mention in self.mentions.exclude(awaiting=""):
            mention.awaiting, mention.requested_by, mention.requested_at = "", None, None
            mention._history_user = by
            mention._change_reason = "reviewed with the claim"
            mention.save(update_fields=["awaiting", "requested_by", "requested_at"])

    def _locked_appearance(self, by, action: str, mention_pk: int):
        Mention = apps.get_model("claims", "Mention")
        claim = self._lock_for(by, action, None)
        mention = (
            Mention.objects.select_for_update()
            .select_related("revision__article")
            .filter(pk=mention_pk, claim=claim)
            .first()
        )
        if mention is None:
            raise WorkflowError(_("This passage no longer exists."), "status")
        if claim.status != self.Status.PUBLISHED:
            claim._refuse_status(
                _(
                    "Passages are reviewed one by one only for a published claim; "
                    "this one is %(status)s."
                )
            )
        return claim, mention

    @staticmethod
    def appearance_params(mention) -> dict:
        """What the timeline keeps of a passage (it may be deleted later)."""
        return {
            "mention": mention.pk,
            "quote": mention.exact[:300],
            "article": mention.revision.article.title[:300],
        }

    @transaction.atomic
    def request_appearance_removal(self, *, by, mention) -> None:
        """Ask for an approved passage of a published claim to be removed: it stays public
        until a second person approves the removal."""
        claim, mention = self._locked_appearance(by, "mark", mention.pk)
        if mention.awaiting == "removal":
            raise WorkflowError(
                _("Removing this passage is already waiting for review."), "duplicate"
            )
        if mention.awaiting == "addition":
            raise WorkflowError(
                _("This passage is not approved yet: remove it directly."), "status"
            )
        mention.awaiting, mention.requested_by = "removal", by
        mention.requested_at = timezone.now()
        mention._history_user = by
        mention._change_reason = "removal requested"
        mention.save(update_fields=["awaiting", "requested_by", "requested_at"])
        params = self.appearance_params(mention)
        self._record(claim, by, "removal_requested", save=False, params=params)

    @transaction.atomic
    def withdraw_appearance(self, *, by, mention) -> None:
        """Remove a passage of a published claim that was never approved (readers never
        saw it), e.g. linked by mistake."""
        claim, mention = self._locked_appearance(by, "mark", mention.pk)
        if mention.awaiting != "addition":
            raise WorkflowError(
                _("Readers see this passage: removing it needs a reviewer's approval."),
                "status",
            )
        params = self.appearance_params(mention)
        mention._history_user = by
        mention.delete()
        self._record(claim, by, "appearance_withdrawn", save=False, params=params)

    @transaction.atomic
    def approve_appearance(self, *, by, mention) -> None:
        """A second person approves a new appearance (it becomes public) or the removal
        of one (it is deleted)."""
        claim, mention = self._locked_appearance(by, "review", mention.pk)
        if mention.awaiting not in ("addition", "removal"):
            raise WorkflowError(_("This passage is not waiting for review."), "status")
        if mention.requested_by_id is not None and mention.requested_by_id == by.pk:
            raise WorkflowError(
                _(
                    "You linked this passage or asked to remove it, so another reviewer "
                    "must decide."
                ),
                "four_eyes",
            )
        params = self.appearance_params(mention)
        mention._history_user = by
        if mention.awaiting == "addition":
            kind = "appearance_approved"
            mention._change_reason = "appearance approved"
            mention.awaiting, mention.requested_by, mention.requested_at = "", None, None
            mention.save(update_fields=["awaiting", "requested_by", "requested_at"])
        else:
            kind = "removal_approved"
            mention.delete()
        self._record(claim, by, kind, save=False, params=params)

    @transaction.atomic
    def reject_appearance(self, *, by, mention, comment: str = "") -> None:
        """A reviewer turns down a new appearance (it is deleted, readers never saw it) or
        the removal of one (it stays)."""
        claim, mention = self._locked_appearance(by, "review", mention.pk)
        if mention.awaiting not in ("addition", "removal"):
            raise WorkflowError(_("This passage is not waiting for review."), "status")
        params = self.appearance_params(mention)
        mention._history_user = by
        if mention.awaiting == "addition":
            kind = "appearance_rejected"
            mention.delete()
        else:
            kind = "removal_rejected"
            mention._change_reason = "removal declined"
            mention.awaiting, mention.requested_by, mention.requested_at = "", None, None
            mention.save(update_fields=["awaiting", "requested_by", "requested_at"])
        self._record(claim, by, kind, comment=comment, save=False, params=params)
