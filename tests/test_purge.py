"""``purgereaderinput`` in batches (issue #22): every expired tip and error report goes,
with its moderation history and admin log entries, a batch per transaction; input inside
the retention period stays with its history."""

import io
from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Claim, ErrorReport, Tip
from claims.services import moderation
from tests.factories import make_claim

pytestmark = pytest.mark.django_db
LONG_AGO = timezone.now() - timedelta(days=31)


@pytest.fixture(autouse=True)
def retention(settings):
    settings.FACTCHECK_READER_RETENTION_DAYS = 30


@pytest.fixture
def batch_of_three(monkeypatch):
    monkeypatch.setattr(moderation, "READER_INPUT_PURGE_BATCH", 3)


def make_input(model, n: int, *, old: bool, moderator=None, claim=None):
    """``n`` items saved one by one (a history row each), moderated by ``moderator`` (a
    second history row and an admin log entry), received long ago if ``old``."""
    items = []
    for i in range(n):
        if model is Tip:
            item = Tip.objects.create(claim_text=f"Tip {i}", email="r@example.org")
        else:
            item = ErrorReport.objects.create(claim=claim, reason="other", message=f"R {i}")
        if moderator is not None:
            item.status, item._history_user = Tip.Status.REJECTED, moderator
            item.save()
            LogEntry.objects.log_actions(moderator.pk, [item], CHANGE, change_message="x")
        items.append(item)
    if old:
        pks = [item.pk for item in items]
        model.objects.filter(pk__in=pks).update(created_at=LONG_AGO)
        model.history.filter(id__in=pks).update(created_at=LONG_AGO)
        for item in items:
            item.created_at = LONG_AGO
    return items


def log_entries(model, items) -> int:
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(item.pk) for item in items],
    ).count()


def test_purge_deletes_in_batches_and_counts_every_row(batch_of_three, moderator):
    claim = make_claim()
    old_tips = make_input(Tip, 8, old=True, moderator=moderator)
    new_tips = make_input(Tip, 2, old=False, moderator=moderator)
    old_reports = make_input(ErrorReport, 7, old=True, moderator=moderator, claim=claim)
    new_reports = make_input(ErrorReport, 2, old=False, claim=claim)
    assert Tip.history.count() == 20  # created and rejected
    out = io.StringIO()
    with CaptureQueriesContext(connection) as captured:
        call_command("purgereaderinput", stdout=out)
    assert "Tips: 8 deleted" in out.getvalue()
    assert "Error reports: 7 deleted" in out.getvalue()
    deletes = [q["sql"] for q in captured if q["sql"].startswith('DELETE FROM "claims_tip"')]
    assert len(deletes) == 3  # 3 + 3 + 2
    assert set(Tip.objects.all()) == set(new_tips)
    assert set(ErrorReport.objects.all()) == set(new_reports)
    # The moderation history of the purged input goes with it (no "deleted" record is
    # left behind); the recent input keeps its own, and its admin log entries.
    assert not Tip.history.filter(id__in=[t.pk for t in old_tips]).exists()
    assert not ErrorReport.history.filter(id__in=[r.pk for r in old_reports]).exists()
    assert not Tip.history.filter(history_type="-").exists()
    assert Tip.history.count() == 4
    assert ErrorReport.history.count() == 2
    assert log_entries(Tip, old_tips) == 0
    assert log_entries(ErrorReport, old_reports) == 0
    assert log_entries(Tip, new_tips) == 2
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_purge_takes_old_history_of_input_deleted_before(batch_of_three):
    """As before the batches: every history row older than the cut-off goes, also of
    input a moderator deleted in the admin."""
    tips = make_input(Tip, 5, old=True)
    for tip in tips:
        tip.delete()  # the history keeps the rows, and a "deleted" record of each
    assert Tip.history.count() == 10
    recent = make_input(Tip, 1, old=False)[0]
    recent_pk = recent.pk
    recent.delete()
    _cutoff, counts = moderation.reader_input_purge()
    assert counts == [("Tips", 0), ("Error reports", 0)]
    assert list(Tip.history.values_list("id", flat=True)) == [recent_pk, recent_pk]


def test_dry_run_counts_in_full_and_deletes_nothing(batch_of_three):
    make_input(Tip, 7, old=True)
    make_input(Tip, 2, old=False)
    out = io.StringIO()
    call_command("purgereaderinput", "--dry-run", stdout=out)
    assert "Tips: 7 would be deleted" in out.getvalue()
    assert "Error reports: 0 would be deleted" in out.getvalue()
    assert Tip.objects.count() == 9
    assert Tip.history.count() == 9


def test_rows_others_point_at_go_through_djangos_delete():
    """The purge deletes rows without loading them only where nothing refers to them:
    if something ever points at a tip or report, its on_delete rules still apply."""
    assert Tip._meta.related_objects == ()
    assert ErrorReport._meta.related_objects == ()
    claim = make_claim(status=Claim.Status.DRAFT)
    report = ErrorReport.objects.create(claim=claim, reason="other", message="x")
    assert moderation._delete_rows(Claim.objects.filter(pk=claim.pk)) == 1
    assert not ErrorReport.objects.filter(pk=report.pk).exists()  # CASCADE
