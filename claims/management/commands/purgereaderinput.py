"""Delete reader tips and error reports older than FACTCHECK_READER_RETENTION_DAYS.

Run it daily (cron, systemd timer). ``--dry-run`` only counts what would go.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
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
                if dry_run:
                    count = old.count()
                else:
                    ids = [str(pk) for pk in old.values_list("pk", flat=True)]
                    count = old.delete()[1].get(model._meta.label, 0)
                    # The moderation history and the admin's log hold the reader's text
                    # too (never the address): they go with the input they record.
                    model.history.filter(created_at__lt=cutoff).delete()
                    content_type = ContentType.objects.get_for_model(model)
                    for start in range(0, len(ids), 500):
                        LogEntry.objects.filter(
                            content_type=content_type, object_id__in=ids[start : start + 500]
                        ).delete()
                self.stdout.write(
                    f"{name}: {count} {verb} "
                    f"(received before {cutoff:%Y-%m-%d %H:%M} UTC, retention {days} days)."
                )
