"""Work done outside a web request, through Django's task framework (``django.tasks``).

Every task of the desk is made with :func:`background_task`, which adds what the framework
leaves to the application: retries with backoff, a log line for each failure, and a
give-up hook for whoever waits for the outcome. A task takes plain values (primary keys,
URLs), re-reads what it needs and checks the state it finds, so running it twice does no
harm: a killed worker's task runs again (``claims.scheduling.requeue_lost_tasks``), and an
administrator may retry any failed task from the admin.

- ``imports``: a web page loaded as an article (the desk's "Load from a web address").
- ``watch``: articles fetched again to notice the publisher's silent edits.
- ``links``: the sources of published claims checked; archived copies requested.
- ``email``: notifications (at once and daily digests), password resets, replies to readers.
- ``matching``: a new revision's check-worthiness hints and "Already checked" suggestions.
- ``webhooks``: signed deliveries of public events to the newsroom's systems (docs/api.md).
- ``maintenance``: the housekeeping jobs of the scheduler (``settings.FACTCHECK_SCHEDULE``).

Tasks sit above the services (floor 4.5 in tests/test_layers.py): they call services to
write; services never enqueue. The views and the admin enqueue with
:func:`enqueue_on_commit` after the service call, so a task never runs before the rows it
reads are committed, whichever backend holds the queue; events that send email are
enqueued by the ``post_save`` hooks connected in ``claims.apps``. See docs/tasks.md.
"""

from claims.tasks.base import background_task, enqueue_on_commit, retry_delay

__all__ = ["background_task", "enqueue_on_commit", "retry_delay"]
