"""Helpers for tests that need a separate Django process (settings are read at start-up),
or several threads at once."""

import os
import subprocess
import sys
import threading
from pathlib import Path
from unittest import mock

from django.db import connections

ROOT = Path(__file__).resolve().parent.parent


def run_manage(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Run ``manage.py`` with production settings and only ``env`` set."""
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "PYTHONPATH"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "factcheck.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_together(jobs, *, timeout: float = 120) -> list:
    """Start every job at the same moment, each on its own thread and database
    connection; their outcomes (a result or the exception raised), in order."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            outcomes[index] = job()
        except Exception as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes


def run_tasks(max_tasks: int | None = None) -> int:
    """Run the queued tasks that are due in this process, the way ``manage.py runworker
    --batch`` does (the database backend), until none is left; how many ran. Tasks that
    a task enqueues run too when they are due; a retry waits for its time (move the clock
    with ``time_machine`` or set ``run_after`` back to see it run).

    With ``FACTCHECK_TASK_BACKEND=rq`` (CI runs the tests marked ``tasks`` so) an RQ worker
    in burst mode runs them instead, in this process too."""
    from django.conf import settings

    if settings.FACTCHECK_TASK_BACKEND == "rq":
        return _run_rq_tasks(max_tasks)

    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    before = DBTaskResult.objects.finished().count()
    # The worker closes connections that are not in autocommit mode between tasks, as
    # Django does between requests; inside a test's transaction that would close the test's
    # own connection (the test client skips it the same way).
    with mock.patch.object(db_worker, "close_old_connections", return_value=None):
        _worker(max_tasks).run()
    return DBTaskResult.objects.finished().count() - before


def _worker(max_tasks: int | None):
    from claims.management.commands.runworker import DeskWorker

    return DeskWorker(
        scheduler=False,
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
    )


def _run_rq_tasks(max_tasks: int | None) -> int:
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker
    from rq.scheduler import RQScheduler

    queue = django_rq.get_queue("default", job_class=Job)
    scheduler = RQScheduler([queue], connection=queue.connection)
    scheduler.prepare_registries([queue.name])

    def finished() -> int:
        return queue.finished_job_registry.count + queue.failed_job_registry.count

    before = finished()
    while True:
        scheduler.enqueue_scheduled_jobs()  # retries whose time has come
        done = finished() - before
        if not queue.count or (max_tasks and done >= max_tasks):
            return done
        worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
        worker.work(burst=True, max_jobs=max_tasks and max_tasks - done, with_scheduler=False)
