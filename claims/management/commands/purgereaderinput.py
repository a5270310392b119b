"""Delete reader tips and error reports older than FACTCHECK_READER_RETENTION_DAYS.

The scheduler runs it daily (``purge-reader-input`` in FACTCHECK_SCHEDULE); this command
is for operators. ``--dry-run`` only counts what would go. It deletes in batches, each in
its own short transaction (``reader_input_purge``), so it can run while moderators work.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from claims.services import reader_input_purge


class Command(BaseCommand):
    help = "Delete reader tips and error reports older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be deleted, delete nothing.",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        cutoff, counts = reader_input_purge(dry_run=dry_run)
        verb = "would be deleted" if dry_run else "deleted"
        days = settings.FACTCHECK_READER_RETENTION_DAYS
        for name, count in counts:
            self.stdout.write(
                f"{name}: {count} {verb} "
                f"(received before {cutoff:%Y-%m-%d %H:%M} UTC, retention {days} days)."
            )
