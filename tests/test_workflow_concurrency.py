"""Concurrency on PostgreSQL with real threads and connections: many reviewers and editors
acting on one claim at the same moment lose nothing and never publish without the
required approvals. (SQLite serialises writers by itself; this is about row locks.)"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import override_settings

from claims.forms.desk import SourceFormSet
from claims.models import Claim, ClaimEvent, Review, WorkflowError
from claims.roles import REVIEWERS, ensure_role_groups
from claims.services import EditConflict, claim_update
from claims.views.desk import source_data
from tests.conftest import _member
from tests.factories import make_rating, make_ready_claim
from tests.helpers import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are a PostgreSQL matter"
    ),
]


@override_settings(FACTCHECK_REQUIRED_APPROVALS=3)
def test_twenty_reviewers_at_once_never_publish_without_three_approvals(editor):
    ensure_role_groups()
    make_rating("True", 5)
    author = _member("author", REVIEWERS)  # a reviewer, yet never for their own claim
    claim = make_ready_claim(author)
    claim.submit(by=editor)
    reviewers = [_member(f"r{i}", REVIEWERS) for i in range(19)]
    version = claim.version

    def approve_then_publish(user):
        def job():
            mine = Claim.objects.get(pk=claim.pk)
            mine.approve(by=user, version=version)
            try:
                mine.publish(by=user, version=version)
                return "published"
            except WorkflowError as refusal:
                return refusal.code

        return job

    def request_changes():
        try:
            Claim.objects.get(pk=claim.pk).request_changes(
                by=reviewers[0], comment="Halt!", version=version
            )
            return "changes_requested"
        except WorkflowError as refusal:
            return refusal.code

    jobs = [approve_then_publish(user) for user in reviewers[1:]] + [request_changes]
    jobs.append(approve_then_publish(author))  # always refused
    outcomes = run_together(jobs)
    assert len(outcomes) == 20
    claim.refresh_from_db()
    # The author is refused: by four-eyes, or because the claim left review first.
    assert isinstance(outcomes[-1], WorkflowError)
    assert outcomes[-1].code in {"four_eyes", "status"}
    assert not Review.objects.filter(reviewer=author).exists()
    assert outcomes.count("published") <= 1
    changes = Review.objects.filter(decision="request_changes").count()
    if claim.status == Claim.Status.PUBLISHED:
        assert outcomes.count("published") == 1
        assert changes == 0  # a request after publishing is refused, not lost
        published = claim.events.get(kind="published")
        approvals_before = Review.objects.filter(
            decision="approve", claim_version=version, created_at__lte=published.created_at
        ).count()
        assert approvals_before >= 3
    else:
        assert claim.status == Claim.Status.CHANGES_REQUESTED
        assert changes == 1
        assert outcomes.count("published") == 0
    # Every approval that was accepted is stored, none twice.
    accepted = sum(1 for outcome in outcomes[:-2] if not isinstance(outcome, Exception))
    assert Review.objects.filter(decision="approve").count() == accepted
    assert ClaimEvent.objects.filter(kind="approved").count() == accepted


def test_twenty_editors_saving_the_same_version_at_once_one_wins(editor):
    ensure_role_groups()
    make_rating("True", 5)
    claim = make_ready_claim(editor)
    editors = [_member(f"e{i}", "Editors") for i in range(20)]
    assert Group.objects.filter(name="Editors").exists()
    version = claim.version
    source = claim.sources.get()

    def save(index, user):
        def job():
            mine = Claim.objects.get(pk=claim.pk)
            mine.conclusion = f"Fassung {index}"
            data = {
                "sources-TOTAL_FORMS": "1",
                "sources-INITIAL_FORMS": "1",
                "sources-0-id": str(source.pk),
                "sources-0-url": source.url,
                "sources-0-title": f"Titel {index}",
                "sources-0-kind": "other",
                "sources-0-stance": "context",
            }
            formset = SourceFormSet(data, instance=mine, prefix="sources")
            assert formset.is_valid(), formset.errors
            try:
                claim_update(
                    claim=mine,
                    expected_version=version,
                    sources=source_data(formset),
                    user=user,
                )
                return index
            except EditConflict:
                return "conflict"

        return job

    outcomes = run_together([save(i, user) for i, user in enumerate(editors)])
    winners = [outcome for outcome in outcomes if isinstance(outcome, int)]
    assert len(winners) == 1, outcomes
    assert outcomes.count("conflict") == 19
    claim.refresh_from_db()
    assert claim.version == version + 1
    assert claim.conclusion == f"Fassung {winners[0]}"
    assert claim.sources.get().title == f"Titel {winners[0]}"
    assert claim.last_edited_by == editors[winners[0]]
    assert claim.history.filter(version=version + 1).count() == 1
