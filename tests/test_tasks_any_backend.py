"""What the task machinery promises on every backend: the database one (every run) and RQ
on Redis (CI runs the tests marked ``tasks`` once more with FACTCHECK_TASK_BACKEND=rq)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from claims import scheduling
from claims.models import ScheduledJob
from tests import task_fixtures
from tests.helpers import run_tasks

pytestmark = [pytest.mark.tasks, pytest.mark.django_db]


def test_a_task_enqueued_runs_and_its_result_can_be_read() -> None:
    result = task_fixtures.nothing.enqueue()
    assert run_tasks() == 1
    result.refresh()
    assert result.status == "SUCCESSFUL"


def test_a_failed_try_runs_again_after_its_delay(tmp_path, settings) -> None:
    settings.FACTCHECK_TASK_RETRY_SECONDS = 30
    marker = tmp_path / "tries"
    task_fixtures.fail_until.enqueue(str(marker), 2)
    assert run_tasks() == 1
    assert marker.read_text() == "1"
    assert run_tasks() == 0  # the retry waits for its time
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert run_tasks() == 1
    assert marker.read_text() == "2"


def test_the_scheduler_enqueues_a_job_and_reads_its_last_run(settings) -> None:
    settings.FACTCHECK_SCHEDULE = {
        "clear-sessions": {
            "task": "claims.tasks.maintenance.clear_sessions",
            "every": timedelta(hours=1),
        }
    }
    assert scheduling.run_due_jobs() == ["clear-sessions"]
    assert scheduling.run_due_jobs() == []
    assert run_tasks() == 1
    last = scheduling.last_result(ScheduledJob.objects.get())
    assert last.status == "SUCCESSFUL"
