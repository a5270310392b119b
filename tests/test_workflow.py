"""The claim lifecycle as model methods: guards, four-eyes, approvals per version, events."""

import pytest
from django.test import override_settings

from claims.models import Claim, ClaimEvent, Correction, Rating, Review, WorkflowError
from tests.factories import make_rating, make_ready_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(editor):
    return make_ready_claim(editor)


def _in_review(claim, editor):
    claim.submit(by=editor, version=claim.version)
    return claim


def test_submit_needs_claim_rating_conclusion_and_a_source(editor):
    bare = Claim.objects.create(slug="bare", claim_reviewed="Bare", author=editor)
    with pytest.raises(WorkflowError) as refusal:
        bare.submit(by=editor)
    assert refusal.value.code == "incomplete"
    for missing in ("a rating", "a conclusion", "at least one source"):
        assert missing in refusal.value.message
    bare.refresh_from_db()
    assert bare.status == Claim.Status.DRAFT
    assert not ClaimEvent.objects.exists()


def test_full_round_submit_request_changes_edit_approve_publish(claim, editor, reviewer):
    _in_review(claim, editor)
    assert claim.status == Claim.Status.IN_REVIEW
    assert claim.submitted_by == editor
    assert claim.submitted_at is not None
    claim.request_changes(by=reviewer, comment="Quelle fehlt.", version=claim.version)
    assert claim.status == Claim.Status.CHANGES_REQUESTED
    # The editor edits (a new version) and sends it again.
    Claim.objects.filter(pk=claim.pk).update(version=claim.version + 1)
    claim.refresh_from_db()
    _in_review(claim, editor)
    claim.approve(by=reviewer, version=claim.version)
    claim.publish(by=reviewer, version=claim.version)
    assert claim.status == Claim.Status.PUBLISHED
    assert claim.published_at is not None
    kinds = list(claim.events.order_by("created_at", "pk").values_list("kind", flat=True))
    assert kinds == ["submitted", "changes_requested", "submitted", "approved", "published"]
    assert claim.history.first().history_user == reviewer
    assert claim.history.filter(status="published").exists()


def test_author_cannot_approve_own_claim_even_as_reviewer(reviewer):
    claim = make_ready_claim(reviewer)
    _in_review(claim, reviewer)
    with pytest.raises(WorkflowError) as refusal:
        claim.approve(by=reviewer)
    assert refusal.value.code == "four_eyes"
    assert not Review.objects.exists()


def test_last_editor_cannot_approve(claim, editor, reviewer):
    Claim.objects.filter(pk=claim.pk).update(last_edited_by=reviewer)
    claim.refresh_from_db()
    _in_review(claim, editor)
    with pytest.raises(WorkflowError, match="another reviewer"):
        claim.approve(by=reviewer)


def test_superuser_is_bound_by_four_eyes_too(superuser):
    claim = make_ready_claim(superuser)
    _in_review(claim, superuser)
    with pytest.raises(WorkflowError):
        claim.approve(by=superuser)


def test_editor_cannot_approve_or_publish(claim, editor, editor2):
    _in_review(claim, editor)
    for transition in (claim.approve, claim.publish):
        with pytest.raises(WorkflowError) as refusal:
            transition(by=editor2)
        assert refusal.value.code == "forbidden"


def test_publish_needs_an_approval_of_the_current_version(claim, editor, reviewer):
    _in_review(claim, editor)
    with pytest.raises(WorkflowError) as refusal:
        claim.publish(by=reviewer)
    assert refusal.value.code == "approvals"
    assert "it has 0" in refusal.value.message
    claim.approve(by=reviewer)
    # A later version (an edit after approval) needs a fresh approval.
    Claim.objects.filter(pk=claim.pk).update(version=claim.version + 1)
    claim.refresh_from_db()
    with pytest.raises(WorkflowError, match="it has 0"):
        claim.publish(by=reviewer)
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.IN_REVIEW


@override_settings(FACTCHECK_REQUIRED_APPROVALS=2)
def test_two_approvals_when_the_setting_says_so(claim, editor, reviewer, reviewer2):
    _in_review(claim, editor)
    claim.approve(by=reviewer)
    with pytest.raises(WorkflowError, match="2 approvals"):
        claim.publish(by=reviewer)
    with pytest.raises(WorkflowError) as refusal:
        claim.approve(by=reviewer)  # the same reviewer twice does not count twice
    assert refusal.value.code == "duplicate"
    claim.approve(by=reviewer2)
    claim.publish(by=reviewer2)
    assert claim.status == Claim.Status.PUBLISHED


def test_stale_version_is_refused(claim, editor, reviewer):
    _in_review(claim, editor)
    with pytest.raises(WorkflowError) as refusal:
        claim.approve(by=reviewer, version=claim.version - 1 if claim.version > 1 else 99)
    assert refusal.value.code == "stale"
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("status", "method", "kwargs"),
    [
        ("draft", "approve", {}),
        ("draft", "publish", {}),
        ("draft", "unpublish", {"reason": "x"}),
        ("published", "submit", {}),
        ("published", "dismiss", {"reason": "x"}),
        ("dismissed", "submit", {}),
        ("in_review", "reopen", {}),
        ("changes_requested", "request_changes", {"comment": "x"}),
    ],
)
def test_invalid_transitions_are_clear_errors(superuser, editor, status, method, kwargs):
    claim = make_ready_claim(editor)
    Claim.objects.filter(pk=claim.pk).update(
        status=status, published_at=claim.created_at if status == "published" else None
    )
    claim.refresh_from_db()
    with pytest.raises(WorkflowError) as refusal:
        getattr(claim, method)(by=superuser, **kwargs)
    assert refusal.value.code == "status"
    assert refusal.value.message
    assert Claim.objects.get(pk=claim.pk).status == status


def test_request_changes_and_dismiss_need_words(claim, editor, reviewer):
    _in_review(claim, editor)
    with pytest.raises(WorkflowError, match="comment is required"):
        claim.request_changes(by=reviewer, comment="   ")
    with pytest.raises(WorkflowError, match="why"):
        claim.dismiss(by=editor, reason="")
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.IN_REVIEW


def test_dismiss_and_reopen(claim, editor):
    claim.dismiss(by=editor, reason="Keine Tatsachenbehauptung.")
    assert claim.status == Claim.Status.DISMISSED
    assert claim.events.get(kind="dismissed").comment == "Keine Tatsachenbehauptung."
    claim.reopen(by=editor)
    assert claim.status == Claim.Status.DRAFT


def _publish(claim, editor, reviewer):
    _in_review(claim, editor)
    claim.approve(by=reviewer)
    claim.publish(by=reviewer)


def test_unpublish_returns_the_claim_to_the_desk_with_its_reason(
    claim, editor, reviewer, moderator
):
    _publish(claim, editor, reviewer)
    claim.unpublish(by=moderator, reason="Quelle zurückgezogen.")
    assert claim.status == Claim.Status.DRAFT
    assert claim.events.get(kind="unpublished").actor == moderator
    with pytest.raises(WorkflowError) as refusal:
        claim.unpublish(by=editor, reason="x")
    assert refusal.value.code == "forbidden"


def test_correction_flow_keeps_the_old_verdict_public_until_published(
    claim, editor, reviewer2, reviewer
):
    _publish(claim, editor, reviewer)
    old_rating, new_rating = claim.rating, make_rating("Misleading", 2)
    correction = claim.correction_start(by=reviewer2, kind="correction", note="Neue Zahlen.")
    assert correction.status == Correction.Status.DRAFT
    with pytest.raises(WorkflowError, match="does not change"):
        claim.correction_submit(by=reviewer2)
    correction.new_rating, correction.new_conclusion = new_rating, "Irreführend."
    correction.save()
    claim.correction_submit(by=reviewer2)
    # Still public with the old verdict while the correction is reviewed.
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED
    assert claim.rating == old_rating
    assert Claim.objects.awaiting_review().filter(pk=claim.pk).exists()
    with pytest.raises(WorkflowError, match="another reviewer"):
        claim.approve(by=reviewer2)  # who wrote the correction
    claim.approve(by=reviewer)
    claim.publish(by=reviewer)
    claim.refresh_from_db()
    correction.refresh_from_db()
    assert claim.rating == new_rating
    assert claim.conclusion == "Irreführend."
    assert correction.status == Correction.Status.PUBLISHED
    assert (correction.old_rating, correction.new_rating) == (old_rating, new_rating)
    assert correction.old_conclusion == "Das stimmt so nicht."
    assert Correction.objects.public().get() == correction
    # The old verdict stays in the history.
    assert claim.history.filter(rating=old_rating, status="published").exists()


def test_only_one_open_correction(claim, editor, reviewer):
    _publish(claim, editor, reviewer)
    claim.correction_start(by=editor, kind="update", note="Eins.")
    with pytest.raises(WorkflowError) as refusal:
        claim.correction_start(by=editor, kind="update", note="Zwei.")
    assert refusal.value.code == "duplicate"
    claim.correction_withdraw(by=editor)
    assert claim.corrections.open().first() is None
    assert claim.correction_start(by=editor, kind="clarification", note="Drei.").is_open


def test_available_actions_follow_role_status_and_four_eyes(claim, editor, reviewer):
    assert claim.available_actions(editor) == {"submit", "dismiss"}
    _in_review(claim, editor)
    assert not {"approve", "approve_publish"} & claim.available_actions(editor)
    # One approval is the quota: it is offered as "approve and publish", plain approve not.
    actions = claim.available_actions(reviewer)
    assert {"approve_publish", "request_changes"} <= actions
    assert "approve" not in actions
    claim.approve(by=reviewer)
    assert claim.available_actions(reviewer) == {"publish", "dismiss"}


def test_plain_approve_is_offered_while_more_approvals_are_needed(
    settings, claim, editor, reviewer
):
    settings.FACTCHECK_REQUIRED_APPROVALS = 2
    _in_review(claim, editor)
    actions = claim.available_actions(reviewer)
    assert "approve" in actions
    assert "approve_publish" not in actions


def test_publishing_on_approval_can_be_turned_off(settings, claim, editor, reviewer):
    settings.FACTCHECK_PUBLISH_ON_APPROVAL = False
    _in_review(claim, editor)
    actions = claim.available_actions(reviewer)
    assert "approve" in actions
    assert "approve_publish" not in actions


def test_seed_ratings_exist_for_factories(seeded):
    assert Rating.objects.exists()


def test_every_workflow_step_is_a_lifecycle_method_of_its_name():
    from claims.workflow_steps import STEPS

    for name, step in STEPS.items():
        assert step.name == step.method == name == step.slug.replace("-", "_")
        assert callable(getattr(Claim, step.method))
