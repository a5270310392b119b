"""Run a database task worker: ``manage.py runworker`` (``make worker``; ``make run``
starts one beside the development server).

It is django-tasks-db's ``db_worker`` (same options: ``--queue-name``, ``--batch``,
``--interval``, ``--max-tasks`` …) with the desk's care added in a side thread: every
``FACTCHECK_WORKER_HEARTBEAT_SECONDS`` it says the worker is alive, hands the tasks of
lost workers back to the queue and enqueues the periodic jobs that are due
(``claims.scheduling``). ``--no-scheduler`` leaves the periodic jobs to other workers or
to cron (``manage.py runscheduler --once``).
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands import db_worker

from claims import scheduling

logger = logging.getLogger("claims.scheduling")


class DeskWorker(db_worker.Worker):
    def __init__(self, *, scheduler: bool, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scheduler = scheduler
        self._stopped = threading.Event()

    def care(self) -> None:
        """One round of the side thread's work."""
        scheduling.worker_seen(self.worker_id)
        scheduling.requeue_lost_tasks()
        if self.scheduler:
            started = scheduling.run_due_jobs()
            if started:
                logger.info("Enqueued the periodic jobs %s.", ", ".join(started))

    def _care_loop(self) -> None:
        interval = settings.FACTCHECK_WORKER_HEARTBEAT_SECONDS
        while not self._stopped.wait(interval):
            try:
                close_old_connections()
                self.care()
            except Exception:  # a database hiccup must not end the thread
                logger.exception("Worker %s: the heartbeat round failed.", self.worker_id)
        connection.close()

    def run(self) -> None:
        if self.batch:  # run what is queued and stop: no heartbeat, no scheduler
            return super().run()
        self.care()
        thread = threading.Thread(target=self._care_loop, name="worker-care", daemon=True)
        thread.start()
        try:
            super().run()
        finally:
            self._stopped.set()
            try:
                scheduling.worker_gone(self.worker_id)
            except Exception:
                logger.exception("Worker %s: could not sign off.", self.worker_id)


class Command(db_worker.Command):
    help = (
        "Run a database task worker, with the heartbeat, the hand-back of lost tasks and "
        "the scheduler of the periodic jobs."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        # An idle worker looks for work twice a second (db_worker: once): an editor waits
        # for an import. The query is one indexed read.
        parser.set_defaults(interval=0.5)
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="scheduler",
            help="Do not enqueue the periodic jobs (another worker or cron does).",
        )

    def handle(self, *, scheduler: bool = True, **options) -> None:
        # db_worker.Command.handle builds db_worker.Worker by that name: give it ours.
        original = db_worker.Worker
        db_worker.Worker = lambda **kwargs: DeskWorker(scheduler=scheduler, **kwargs)
        try:
            super().handle(**options)
        finally:
            db_worker.Worker = original
