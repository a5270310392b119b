"""Fetch watched articles again to notice a publisher's silent edits.

The scheduler runs the watch every 5 minutes (``watch-articles`` in FACTCHECK_SCHEDULE),
through the worker. For operators and tests, ``--now`` checks every watched article at
once, in this process, due or not, and prints one line per article. Without it, the due
articles are handed to the worker, as the scheduler would.
"""

from django.core.management.base import BaseCommand

from claims.models.watch import watched_articles
from claims.tasks.watch import check_article, watch_due_articles


class Command(BaseCommand):
    help = "Check watched articles for changes at their source."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="Check every watched article now, here, instead of queueing the due ones.",
        )

    def handle(self, *args, now: bool = False, **options):
        if not now:
            handed = watch_due_articles.call()["enqueued"]
            self.stdout.write(f"{handed} due articles handed to the worker.")
            return
        articles = list(watched_articles().order_by("pk").values_list("pk", "slug"))
        if not articles:
            self.stdout.write("No article is watched.")
        for pk, slug in articles:
            outcome = check_article(pk)
            if outcome.state == "changed":
                said = (
                    f"changed: new revision {outcome.revision}, "
                    f"{outcome.to_check} passage{'' if outcome.to_check == 1 else 's'} to check"
                )
            elif outcome.state == "error":
                said = f"error: {outcome.message}"
            else:
                said = outcome.state
            self.stdout.write(f"{slug}: {said}")
