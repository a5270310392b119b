"""Work done outside a web request, through Django's task framework (``django.tasks``).

Every task of the desk is made with :func:`background_task`, which adds what the framework
leaves to the application: retries with backoff, and a log line for each failure. A task
takes plain values (primary keys, URLs), re-reads what it needs and checks the state it
finds, so running it twice does no harm: a killed worker's task runs again
(``claims.scheduling.requeue_lost_tasks``), and an administrator may retry any failed
task from the admin.

- ``maintenance``: the housekeeping jobs of the scheduler (``settings.FACTCHECK_SCHEDULE``).
- ``links``: sources checked for dead links, and archived copies of them.

Views enqueue with :func:`enqueue_on_commit`, so a task never runs before the rows it
reads are committed, whichever backend holds the queue. See docs/tasks.md.
"""

from claims.tasks.base import background_task, enqueue_on_commit, retry_delay

__all__ = ["background_task", "enqueue_on_commit", "retry_delay"]
