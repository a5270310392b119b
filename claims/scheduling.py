"""The scheduler of the periodic jobs, and the care of the database workers.

``run_due_jobs`` enqueues each job of ``settings.FACTCHECK_SCHEDULE`` whose time has come.
Every worker calls it (``manage.py runworker``), or cron does (``manage.py runscheduler
--once``), so it must never enqueue a job twice: it takes the job's row with
``select_for_update(skip_locked=True)`` (PostgreSQL: a second worker skips the row) and
moves ``next_run_at`` on in an update conditional on the value it read (SQLite, which
has no row locks, lets exactly one of two such updates match). A job whose last run is
still queued or running is not enqueued again; its next turn is simply skipped.

``requeue_lost_tasks`` gives a task back to the queue when the worker that was running
it stopped saying it is alive (killed, out of memory, machine gone): no task is lost.
Tasks are written to be run twice (``claims.tasks``). A task handed back
``MAX_LOST_RUNS`` times fails for good instead, so a task that kills its worker cannot
take every worker down in turn.
"""

import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import Task, TaskResultStatus, task_backends
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone
from django.utils.module_loading import import_string

from claims.models import ScheduledJob, TaskWorker
from claims.tasks.base import give_up

logger = logging.getLogger("claims.scheduling")

MAX_LOST_RUNS = 3
PENDING = {TaskResultStatus.READY, TaskResultStatus.RUNNING}


@dataclass(frozen=True)
class JobSpec:
    name: str
    task: Task  # or the RQ backend's task class
    every: timedelta


def schedule() -> list[JobSpec]:
    """The jobs of ``settings.FACTCHECK_SCHEDULE``, their tasks imported."""
    jobs = []
    for name, spec in settings.FACTCHECK_SCHEDULE.items():
        the_task = import_string(spec["task"])
        # (Each backend makes its own Task class: RQ's comes from the django-tasks backport.)
        if not callable(getattr(the_task, "enqueue", None)):
            raise TypeError(f"FACTCHECK_SCHEDULE[{name!r}]: {spec['task']} is not a task")
        jobs.append(JobSpec(name=name, task=the_task, every=spec["every"]))
    return jobs


def last_result(job: ScheduledJob):
    """The task result of the job's last run, or None when there is none (any more)."""
    if not job.last_task_id:
        return None
    try:
        return task_backends["default"].get_result(job.last_task_id)
    except TaskResultDoesNotExist:
        return None


def run_due_jobs(now: datetime | None = None) -> list[str]:
    """Enqueue every job that is due; the names of those enqueued by this call."""
    now = now or timezone.now()
    jobs = {job.name: job for job in schedule()}
    known = set(ScheduledJob.objects.values_list("name", flat=True))
    ScheduledJob.objects.bulk_create(
        [ScheduledJob(name=name, next_run_at=now) for name in jobs if name not in known],
        ignore_conflicts=True,  # another worker may add them at the same moment
    )
    started = []
    due = ScheduledJob.objects.filter(name__in=jobs, next_run_at__lte=now)
    for name in due.values_list("name", flat=True):
        spec = jobs[name]
        with transaction.atomic():
            row = (
                ScheduledJob.objects.select_for_update(skip_locked=True)
                .filter(name=name, next_run_at__lte=now)
                .first()
            )
            if row is None:  # another worker has it
                continue
            claimed = ScheduledJob.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
                next_run_at=now + spec.every
            )
            if not claimed:
                continue
            previous = last_result(row)
            if previous is not None and previous.status in PENDING:
                logger.info("Scheduled job %s: the last run has not finished; skipped.", name)
                continue
            result = spec.task.enqueue()
            ScheduledJob.objects.filter(pk=row.pk).update(
                last_enqueued_at=now, last_task_id=str(result.id)
            )
        started.append(name)
    return started


def run_now(names: list[str]) -> int:
    """Make the named jobs due at the next tick (the admin's "Run now")."""
    return ScheduledJob.objects.filter(name__in=names).update(next_run_at=timezone.now())


# --- Workers -------------------------------------------------------------------------------


def worker_seen(worker_id: str) -> None:
    """Record that the worker ``worker_id`` (of this process) is alive."""
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": timezone.now()},
        create_defaults={
            "seen_at": timezone.now(),
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )


def worker_gone(worker_id: str) -> None:
    TaskWorker.objects.filter(worker_id=worker_id).delete()


def live_workers(now: datetime | None = None):
    now = now or timezone.now()
    lost_after = timedelta(seconds=settings.FACTCHECK_WORKER_LOST_AFTER_SECONDS)
    return TaskWorker.objects.filter(seen_at__gte=now - lost_after)


def no_worker_alive() -> bool:
    """Whether no database worker has said it is alive lately (the desk then says why an
    import waits). RQ's workers do not report here: with RQ, this never claims so."""
    if settings.FACTCHECK_TASK_BACKEND != "database":
        return False
    return not live_workers().exists()


def requeue_lost_tasks(now: datetime | None = None) -> int:
    """Hand the running tasks of workers not seen lately back to the queue; the number."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    alive = set(live_workers(now).values_list("worker_id", flat=True))
    handed_back = 0
    for result in DBTaskResult.objects.running().only(
        "id", "worker_ids", "task_path", "args_kwargs"
    ):
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        running = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING)
        if len(result.worker_ids) >= MAX_LOST_RUNS:
            running.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="claims.scheduling.WorkerLost",
                traceback=(
                    f"The worker running this task stopped {len(result.worker_ids)} times "
                    "without finishing it; it is not handed out again. Retry it from the "
                    "admin once the cause is found."
                ),
            )
            logger.error("Task %s (%s) lost its worker too often.", result.pk, result.task_path)
            # Whoever waits for its outcome (an import's progress) learns there is none.
            give_up(result.task_path, result.args_kwargs["args"], result.args_kwargs["kwargs"])
            continue
        handed_back += running.update(status=TaskResultStatus.READY, started_at=None)
        logger.warning(
            "Task %s (%s): its worker %s is gone; back in the queue.",
            result.pk,
            result.task_path,
            result.worker_ids[-1] if result.worker_ids else "?",
        )
    # Forget workers gone for a day.
    TaskWorker.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return handed_back
