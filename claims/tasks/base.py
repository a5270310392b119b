"""The decorator every task of the desk is made with, and enqueueing after a commit."""

import functools
import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import Task, task, task_backends
from django.utils import timezone

logger = logging.getLogger("claims.tasks")

# Imports the editor waits for go before the periodic jobs (the database backend runs the
# highest priority first).
PRIORITY_INTERACTIVE = 10
PRIORITY_PERIODIC = -10


# Task path → its on_give_up, for the tasks that fail for good outside their own run (a
# task whose worker was lost too often: claims.scheduling.requeue_lost_tasks).
_GIVE_UP: dict[str, Callable[..., None]] = {}


def give_up(task_path: str, args: list, kwargs: dict) -> None:
    """Run the ``on_give_up`` of the task at ``task_path`` (if it has one) for a run with
    these arguments; its own error is logged, never raised."""
    hook = _GIVE_UP.get(task_path)
    if hook is None:
        return
    kwargs = {name: value for name, value in kwargs.items() if name != "attempt"}
    try:
        hook(*args, **kwargs)
    except Exception:
        logger.exception("The give-up of %s failed.", task_path)


def retry_delay(attempt: int) -> timedelta:
    """How long to wait before try ``attempt + 1``: the base delay doubled each time
    (30 s, 1 min, 2 min, 4 min … with the defaults), at most a day."""
    seconds = settings.FACTCHECK_TASK_RETRY_SECONDS * 2 ** (attempt - 1)
    return timedelta(seconds=min(seconds, 86_400))


def background_task(
    func: Callable | None = None,
    *,
    priority: int = 0,
    retries: int | None = None,
    on_give_up: Callable[..., None] | None = None,
) -> Task | Callable[[Callable], Task]:
    """Make ``func`` a task that is tried again when it raises.

    A try that raises enqueues the next one after :func:`retry_delay` and ends as
    successful with ``{"retry": <next attempt>, "error": …}`` as its result, so the admin's
    list of failed tasks holds only the tasks that failed for good: the last try raises.
    ``retries`` defaults to ``FACTCHECK_TASK_RETRIES``. Errors a task expects (a page that
    cannot be fetched, an address refused) are the task's own business: it records them
    where the user looks and returns; only the unexpected is raised.

    ``on_give_up(*args, **kwargs)`` runs when the last try failed, before the error is
    raised: where the user waits for the outcome (an import's progress), it records that
    there will be none, so nobody waits for ever.

    The attempt travels as the keyword argument ``attempt``, so it is the same on every
    backend (the database backend and RQ count runs differently).
    """

    def decorate(func: Callable) -> Task:
        @functools.wraps(func)
        def run(*args, attempt: int = 1, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception as error:
                allowed = settings.FACTCHECK_TASK_RETRIES if retries is None else retries
                if attempt > allowed:
                    logger.error(
                        "Task %s failed for good after %d tries: %r", func.__name__, attempt, error
                    )
                    if on_give_up is not None:
                        on_give_up(*args, **kwargs)
                    raise
                delay = retry_delay(attempt)
                the_task.using(run_after=timezone.now() + delay).enqueue(
                    *args, attempt=attempt + 1, **kwargs
                )
                logger.warning(
                    "Task %s failed (try %d of %d), trying again in %s: %r",
                    func.__name__,
                    attempt,
                    allowed + 1,
                    delay,
                    error,
                )
                return {"retry": attempt + 1, "error": f"{type(error).__name__}: {error}"}

        # RQ has no priorities: there the priority is left out.
        supported = task_backends["default"].supports_priority
        the_task = task(priority=priority if supported else 0)(run)
        if on_give_up is not None:
            _GIVE_UP[the_task.module_path] = on_give_up
        return the_task

    return decorate(func) if func is not None else decorate


_quiet = threading.local()


@contextmanager
def events_without_tasks():
    """Inside, saved events start no task (no email, no archive request): for history
    that did not happen now, such as the demo's 2019 story (``loadseeds``)."""
    _quiet.on = True
    try:
        yield
    finally:
        _quiet.on = False


def events_start_tasks() -> bool:
    """False inside :func:`events_without_tasks` (the ``post_save`` hooks ask)."""
    return not getattr(_quiet, "on", False)


def enqueue_on_commit(the_task: Task, *args, **kwargs) -> None:
    """Enqueue once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: the_task.enqueue(*args, **kwargs))
