"""Delete reader tips and error reports older than FACTCHECK_READER_RETENTION_DAYS.

Run it daily (cron, systemd timer). ``--dry-run`` only counts what would go.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from claims.models import ErrorReport, Tip


class Command(BaseCommand):
    help = "Delete reader tips and error reports older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be deleted, delete nothing.",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        days = settings.FACTCHECK_READER_RETENTION_DAYS
        cutoff = timezone.now() - timedelta(days=days)
        verb = "would be deleted" if dry_run else "deleted"
        with transaction.atomic():
            for name, model in (("Tips", Tip), ("Error reports", ErrorReport)):
                old = model.objects.filter(created_at__lt=cutoff)
                count = old.count() if dry_run else old.delete()[1].get(model._meta.label, 0)
                self.stdout.write(
                    f"{name}: {count} {verb} "
                    f"(received before {cutoff:%Y-%m-%d %H:%M} UTC, retention {days} days)."
                )
