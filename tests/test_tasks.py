"""The task machinery: retries with backoff, the scheduler's one-enqueue-per-turn rule, lost
workers' tasks handed back, the housekeeping jobs and the admin of failed tasks."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from claims import scheduling
from claims.models import BackgroundTask, ScheduledJob, TaskWorker
from claims.tasks import retry_delay
from claims.tasks.maintenance import clear_sessions, prune_task_results
from tests import task_fixtures
from tests.helpers import run_tasks, run_together

pytestmark = pytest.mark.django_db


def _due_now() -> None:
    """Move every waiting row's run_after to now (the retry's delay has passed)."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


# --- Retries --------------------------------------------------------------------------------


def test_a_failing_task_is_tried_again_after_a_growing_delay_and_then_succeeds(tmp_path, settings):
    settings.FACTCHECK_TASK_RETRY_SECONDS = 30
    marker = str(tmp_path / "tries")
    task_fixtures.fail_until.enqueue(marker, 3)
    before = timezone.now()
    assert run_tasks() == 1
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after >= before + timedelta(seconds=30)
    assert run_tasks() == 0  # not due yet: nothing runs before its time

    _due_now()
    started = timezone.now()
    assert run_tasks() == 1
    third = DBTaskResult.objects.get(status="READY")
    assert third.args_kwargs["kwargs"] == {"attempt": 3}
    assert third.run_after >= started + timedelta(seconds=60)  # doubled

    _due_now()
    assert run_tasks() == 1
    last = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert last.status == "SUCCESSFUL"
    assert last.return_value == "done after 3"
    assert not DBTaskResult.objects.filter(status="FAILED").exists()


def test_a_task_that_keeps_failing_fails_for_good_with_its_error(tmp_path) -> None:
    marker = str(tmp_path / "tries")
    task_fixtures.fail_until.enqueue(marker, 99)  # retries=2: three tries in all
    for _ in range(3):
        run_tasks()
        _due_now()
    failed = BackgroundTask.objects.get(status="FAILED")
    assert failed.attempt == 3
    assert "RuntimeError: try 3 fails" in failed.traceback
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_the_retry_delay_doubles_and_is_capped(settings) -> None:
    settings.FACTCHECK_TASK_RETRY_SECONDS = 30
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(30) == timedelta(days=1)


# --- The scheduler --------------------------------------------------------------------------

JOBS = {
    "clear-sessions": {
        "task": "claims.tasks.maintenance.clear_sessions",
        "every": timedelta(hours=1),
    },
}


def test_a_job_is_enqueued_once_per_turn(settings) -> None:
    settings.FACTCHECK_SCHEDULE = JOBS
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert scheduling.run_due_jobs() == ["clear-sessions"]
        assert scheduling.run_due_jobs() == []
    assert DBTaskResult.objects.count() == 1
    run_tasks()
    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        assert scheduling.run_due_jobs() == []
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        assert scheduling.run_due_jobs() == ["clear-sessions"]
    assert DBTaskResult.objects.count() == 2
    job = ScheduledJob.objects.get()
    assert job.next_run_at == start + timedelta(hours=2)
    assert job.last_task_id == str(DBTaskResult.objects.order_by("-enqueued_at").first().pk)


def test_a_job_whose_last_run_has_not_finished_skips_its_turn(settings) -> None:
    settings.FACTCHECK_SCHEDULE = JOBS
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        scheduling.run_due_jobs()
    # No worker ran it: an hour later it is still queued.
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        assert scheduling.run_due_jobs() == []
    assert DBTaskResult.objects.count() == 1


def test_run_now_makes_a_job_due(settings) -> None:
    settings.FACTCHECK_SCHEDULE = JOBS
    scheduling.run_due_jobs()
    run_tasks()
    assert scheduling.run_due_jobs() == []
    assert scheduling.run_now(["clear-sessions"]) == 1
    assert scheduling.run_due_jobs() == ["clear-sessions"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
def test_workers_at_the_same_moment_enqueue_a_job_once(settings) -> None:
    settings.FACTCHECK_SCHEDULE = JOBS
    ScheduledJob.objects.create(name="clear-sessions", next_run_at=timezone.now())
    outcomes = run_together([scheduling.run_due_jobs] * 6)
    assert sorted(map(str, outcomes)) == sorted(["['clear-sessions']"] + ["[]"] * 5)
    assert DBTaskResult.objects.count() == 1


def test_the_scheduled_tasks_exist(settings) -> None:
    from django.conf import settings as real

    assert {job.name for job in scheduling.schedule()} == set(real.FACTCHECK_SCHEDULE)


# --- Lost workers ---------------------------------------------------------------------------


def _running(worker_id: str, runs: int = 1) -> DBTaskResult:
    result = task_fixtures.nothing.enqueue()
    row = DBTaskResult.objects.get(pk=result.id)
    row.status = "RUNNING"
    row.started_at = timezone.now()
    row.worker_ids = [f"{worker_id}-{n}" for n in range(runs - 1)] + [worker_id]
    row.save()
    return row


def test_the_task_of_a_worker_gone_silent_goes_back_to_the_queue_and_runs(settings) -> None:
    settings.FACTCHECK_WORKER_LOST_AFTER_SECONDS = 60
    lost = _running("gone")
    alive = _running("alive")
    scheduling.worker_seen("alive")
    TaskWorker.objects.create(
        worker_id="gone", hostname="h", pid=1, seen_at=timezone.now() - timedelta(seconds=61)
    )
    assert scheduling.requeue_lost_tasks() == 1
    lost.refresh_from_db()
    alive.refresh_from_db()
    assert lost.status == "READY"
    assert alive.status == "RUNNING"
    assert run_tasks() == 1
    lost.refresh_from_db()
    assert lost.status == "SUCCESSFUL"
    assert len(lost.worker_ids) == 2


def test_a_task_that_lost_its_worker_three_times_fails_for_good() -> None:
    row = _running("gone", runs=scheduling.MAX_LOST_RUNS)
    assert scheduling.requeue_lost_tasks() == 0
    row.refresh_from_db()
    assert row.status == "FAILED"
    assert "stopped 3 times" in row.traceback


def test_an_import_whose_worker_was_lost_too_often_fails_in_words(editor) -> None:
    """Nobody waits for ever: the import's page says it failed."""
    from claims.models import ArticleImport
    from claims.tasks.imports import import_article

    job = ArticleImport.objects.create(
        requested_by=editor, url="https://example.org/a", status="fetching"
    )
    row = DBTaskResult.objects.get(pk=import_article.enqueue(job.pk).id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        status="RUNNING", worker_ids=["a", "b", "c"], started_at=timezone.now()
    )
    scheduling.requeue_lost_tasks()
    job.refresh_from_db()
    assert job.status == "failed"
    assert "error on our side" in job.error


# --- Housekeeping ---------------------------------------------------------------------------


def test_old_task_results_are_pruned_failed_ones_later(settings) -> None:
    settings.FACTCHECK_TASK_RESULT_DAYS = 14
    now = timezone.now()
    for status, age in (("SUCCESSFUL", 15), ("SUCCESSFUL", 13), ("FAILED", 15), ("FAILED", 43)):
        row = DBTaskResult.objects.get(pk=task_fixtures.nothing.enqueue().id)
        DBTaskResult.objects.filter(pk=row.pk).update(
            status=status, finished_at=now - timedelta(days=age)
        )
    prune_task_results.call()
    left = sorted(
        (r.status, (now - r.finished_at).days)
        for r in DBTaskResult.objects.exclude(finished_at=None)
    )
    assert left == [("FAILED", 15), ("SUCCESSFUL", 13)]


def test_finished_imports_go_after_thirty_days_pending_ones_stay(editor) -> None:
    from claims.models import ArticleImport
    from claims.tasks.maintenance import prune_imports

    now = timezone.now()
    for status, age in (("ready", 31), ("failed", 29), ("queued", 40)):
        ArticleImport.objects.create(
            requested_by=editor,
            url=f"https://example.org/{status}",
            status=status,
            finished_at=None if status == "queued" else now - timedelta(days=age),
        )
    assert prune_imports.call() == {"deleted": 1}
    assert sorted(ArticleImport.objects.values_list("status", flat=True)) == ["failed", "queued"]


def test_expired_sessions_are_cleared(client, editor, settings) -> None:
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    client.force_login(editor)
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    assert clear_sessions.call() == {"deleted": 1}
    assert Session.objects.count() == 1


# --- The admin ------------------------------------------------------------------------------


def _failed_task(tmp_path) -> BackgroundTask:
    task_fixtures.fail_until.enqueue(str(tmp_path / "tries"), 99)
    for _ in range(3):
        run_tasks()
        _due_now()
    return BackgroundTask.objects.get(status="FAILED")


def test_an_administrator_sees_failed_tasks_with_their_error_and_retries_one(
    client, superuser, tmp_path
) -> None:
    failed = _failed_task(tmp_path)
    client.force_login(superuser)
    listing = client.get(
        reverse("admin:claims_backgroundtask_changelist"), {"attention": "failed"}
    )
    assert listing.status_code == 200
    assert "RuntimeError: try 3 fails" in listing.text
    answer = client.post(
        reverse("admin:claims_backgroundtask_changelist"),
        {"action": "retry", "_selected_action": [failed.pk]},
        follow=True,
    )
    assert "1 task is queued again." in answer.text
    failed.refresh_from_db()
    fresh = BackgroundTask.objects.get(pk=failed.retried_as)
    assert fresh.status == "READY"
    assert fresh.attempt == 1
    assert fresh.args_kwargs["args"] == failed.args_kwargs["args"]
    # Not twice, and gone from "needs attention".
    client.post(
        reverse("admin:claims_backgroundtask_changelist"),
        {"action": "retry", "_selected_action": [failed.pk]},
    )
    assert BackgroundTask.objects.filter(status="READY").count() == 1
    listing = client.get(
        reverse("admin:claims_backgroundtask_changelist"), {"attention": "failed"}
    )
    assert "RuntimeError: try 3 fails" not in listing.text


def test_the_task_admin_is_for_administrators_only(client, moderator, tmp_path) -> None:
    _failed_task(tmp_path)
    client.force_login(moderator)
    for name in ("backgroundtask", "scheduledjob", "taskworker"):
        assert client.get(reverse(f"admin:claims_{name}_changelist")).status_code == 403


def test_the_jobs_admin_shows_the_last_run_in_german(client, superuser, settings) -> None:
    settings.FACTCHECK_SCHEDULE = JOBS
    scheduling.run_due_jobs()
    run_tasks()
    client.force_login(superuser)
    with translation.override("de"):
        page = client.get(reverse("admin:claims_scheduledjob_changelist"))
    assert page.status_code == 200
    assert "Geplante Aufträge" in page.text
    assert "Letzter Lauf" in page.text
    assert "Erledigt" in page.text
    assert "clear-sessions" in page.text
    assert "{&#x27;deleted&#x27;: 0}" in page.text
