"""Enqueue the periodic jobs that are due: ``manage.py runscheduler --once`` from cron
(every minute), for deployments whose workers run with ``--no-scheduler`` or on RQ.
Without ``--once`` it keeps doing so every ``--interval`` seconds."""

import time

from django.core.management.base import BaseCommand

from claims import scheduling


class Command(BaseCommand):
    help = "Enqueue the periodic jobs of FACTCHECK_SCHEDULE that are due."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="One round, then stop.")
        parser.add_argument("--interval", type=float, default=30.0)

    def handle(self, *, once: bool, interval: float, **options) -> None:
        while True:
            started = scheduling.run_due_jobs()
            if options["verbosity"] and started:
                self.stdout.write("Enqueued: " + ", ".join(started))
            if once:
                return
            time.sleep(interval)
