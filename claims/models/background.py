"""What the background machinery keeps in the database besides the tasks themselves
(those are ``django_tasks_db.DBTaskResult`` rows): the periodic jobs of the scheduler and
the heartbeats of the database workers. See docs/tasks.md."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_tasks_db.models import DBTaskResult


class ScheduledJob(models.Model):
    """One periodic job of ``settings.FACTCHECK_SCHEDULE``, as the scheduler last left it.

    The row is the lock: the scheduler enqueues a job only after it moved ``next_run_at``
    forward in a conditional update of this row, so two workers never enqueue it twice
    (``claims.scheduling.run_due_jobs``)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    next_run_at = models.DateTimeField(_("next run"))
    last_enqueued_at = models.DateTimeField(_("last started"), null=True, blank=True)
    # The task result of the last run (django.tasks result id), for its status and error.
    last_task_id = models.CharField(_("last task"), max_length=64, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.name


class TaskWorker(models.Model):
    """A database worker that said it is alive (``manage.py runworker``).

    A running task whose worker has not been seen for
    ``FACTCHECK_WORKER_LOST_AFTER_SECONDS`` goes back to the queue
    (``claims.scheduling.requeue_lost_tasks``)."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


# Django's task statuses have no German yet: the desk's words for them.
TASK_STATUS_LABELS = {
    "READY": pgettext_lazy("task status", "Queued"),
    "RUNNING": pgettext_lazy("task status", "Running"),
    "SUCCESSFUL": pgettext_lazy("task status", "Done"),
    "FAILED": pgettext_lazy("task status", "Failed"),
}


class BackgroundTask(DBTaskResult):
    """A task of the queue (django-tasks-db's row), as the admin shows it, in the desk's
    words and languages: what ran, how it ended, and the error of a failed one."""

    class Meta:
        proxy = True
        ordering = ["-enqueued_at"]
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")

    @property
    def attempt(self) -> int:
        """The try this row was (``claims.tasks.background_task``'s ``attempt``)."""
        kwargs = (self.args_kwargs or {}).get("kwargs") or {}
        return int(kwargs.get("attempt", 1))

    @property
    def status_label(self) -> str:
        return str(TASK_STATUS_LABELS.get(self.status, self.status))

    @property
    def retried_as(self) -> str:
        """The id of the task an administrator started again from this failed one."""
        value = self.return_value
        return value.get("retried_as", "") if isinstance(value, dict) else ""
