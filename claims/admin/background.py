"""The admin of the background work, for administrators (superusers; no role holds its
permissions): the tasks of the queue with the errors of failed ones and "Retry", the
periodic jobs with their last run and "Run now", and the workers that are alive."""

from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult, get_date_max

from claims import scheduling
from claims.admin.base import BOTH_LOCATIONS, ReadOnlyAdmin
from claims.models import BackgroundTask, ScheduledJob, TaskWorker
from claims.models.background import TASK_STATUS_LABELS
from claims.wording import ago

# django-tasks-db's own admin shows the same rows in English only, without "Retry".
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


class NeedsAttention(admin.SimpleListFilter):
    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("failed", _("Failed and not retried"))]

    def queryset(self, request, queryset):
        if self.value() == "failed":
            return queryset.filter(status="FAILED").exclude(return_value__has_key="retried_as")
        return queryset


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return list(TASK_STATUS_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(BackgroundTask)
class BackgroundTaskAdmin(ReadOnlyAdmin):
    list_display = [
        "task_name",
        "status_shown",
        "attempt_shown",
        "enqueued_at",
        "finished_at",
        "error",
        "retried",
    ]
    list_filter = [NeedsAttention, StatusFilter, "queue_name"]
    search_fields = ["task_path", "exception_class_path"]
    date_hierarchy = "enqueued_at"
    show_full_result_count = False
    actions = ["retry"]
    fields = [
        "task_path",
        "status_shown",
        "attempt_shown",
        "args_kwargs",
        "enqueued_at",
        "run_after_shown",
        "started_at",
        "finished_at",
        "worker_ids",
        "return_value",
        "exception_class_path",
        "traceback_shown",
    ]
    readonly_fields = fields

    @admin.display(description=_("status"), ordering="status")
    def status_shown(self, task: BackgroundTask) -> str:
        return task.status_label

    @admin.display(description=_("try"))
    def attempt_shown(self, task: BackgroundTask) -> int:
        return task.attempt

    @admin.display(description=_("error"))
    def error(self, task: BackgroundTask) -> str:
        if not task.exception_class_path:
            return ""
        last_line = (task.traceback or "").strip().splitlines()[-1:] or [""]
        return last_line[0][:160]

    @admin.display(description=_("retried"), boolean=True)
    def retried(self, task: BackgroundTask) -> bool | None:
        return bool(task.retried_as) if task.status == "FAILED" else None

    @admin.display(description=_("run after"))
    def run_after_shown(self, task: BackgroundTask):
        return "—" if task.run_after == get_date_max() else task.run_after

    @admin.display(description=_("traceback"))
    def traceback_shown(self, task: BackgroundTask) -> str:
        return format_html("<pre>{}</pre>", task.traceback) if task.traceback else "—"

    def has_retry_permission(self, request) -> bool:
        return request.user.is_superuser

    @admin.action(
        description=_("Retry the failed tasks"),
        permissions=["retry"],
        location=BOTH_LOCATIONS,
    )
    def retry(self, request, queryset) -> None:
        """Start each failed task again from its first try, once: the failed row keeps
        its error and notes the new task's id."""
        retried = skipped = 0
        for row in queryset:
            if row.status != "FAILED" or row.retried_as:
                skipped += 1
                continue
            kwargs = dict(row.args_kwargs.get("kwargs") or {})
            kwargs.pop("attempt", None)
            result = row.task.using(run_after=None).enqueue(*row.args_kwargs["args"], **kwargs)
            row.return_value = {"retried_as": str(result.id), "by": request.user.get_username()}
            row.save(update_fields=["return_value"])
            retried += 1
        if retried:
            self.message_user(
                request,
                ngettext(
                    "%(count)d task is queued again.", "%(count)d tasks are queued again.", retried
                )
                % {"count": retried},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d task was not retried: only failed tasks not yet retried can be.",
                    "%(count)d tasks were not retried: only failed tasks not yet retried can be.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


@admin.register(ScheduledJob)
class ScheduledJobAdmin(ReadOnlyAdmin):
    list_display = [
        "name",
        "every",
        "last_enqueued_at",
        "last_status",
        "last_outcome",
        "next_run_at",
    ]
    fields = list_display
    readonly_fields = fields
    search_fields = ["name"]
    list_filter = ["last_enqueued_at"]
    actions = ["run_now"]

    @admin.display(description=_("every"))
    def every(self, job: ScheduledJob) -> str:
        spec = settings.FACTCHECK_SCHEDULE.get(job.name)
        return str(spec["every"]) if spec else gettext("(no longer scheduled)")

    @staticmethod
    def _last_result(job: ScheduledJob):
        """The job's last task result, read once per row (two columns show it)."""
        if not hasattr(job, "_last_result"):
            job._last_result = scheduling.last_result(job)
        return job._last_result

    @admin.display(description=_("last run"))
    def last_status(self, job: ScheduledJob) -> str:
        result = self._last_result(job)
        return str(TASK_STATUS_LABELS.get(result.status, result.status)) if result else "—"

    @admin.display(description=_("outcome"))
    def last_outcome(self, job: ScheduledJob) -> str:
        result = self._last_result(job)
        if result is None or result.status not in ("SUCCESSFUL", "FAILED"):
            return "—"
        if result.errors:
            return result.errors[-1].traceback.strip().splitlines()[-1][:160]
        return str(result.return_value)[:160]

    def has_run_now_permission(self, request) -> bool:
        return request.user.is_superuser

    @admin.action(description=_("Run now"), permissions=["run_now"], location=BOTH_LOCATIONS)
    def run_now(self, request, queryset) -> None:
        count = scheduling.run_now(list(queryset.values_list("name", flat=True)))
        self.message_user(
            request,
            ngettext(
                "%(count)d job runs at the worker’s next round (within %(seconds)d seconds).",
                "%(count)d jobs run at the worker’s next round (within %(seconds)d seconds).",
                count,
            )
            % {"count": count, "seconds": settings.FACTCHECK_WORKER_HEARTBEAT_SECONDS},
            messages.SUCCESS,
        )


@admin.register(TaskWorker)
class TaskWorkerAdmin(ReadOnlyAdmin):
    list_display = ["hostname", "pid", "started_at", "seen", "alive"]
    fields = ["worker_id", "hostname", "pid", "started_at", "seen_at"]
    search_fields = ["hostname", "worker_id"]
    list_filter = ["hostname"]
    readonly_fields = fields

    @admin.display(description=_("last seen"), ordering="seen_at")
    def seen(self, worker: TaskWorker) -> str:
        return ago(worker.seen_at)

    @admin.display(description=_("alive"), boolean=True)
    def alive(self, worker: TaskWorker) -> bool:
        limit = settings.FACTCHECK_WORKER_LOST_AFTER_SECONDS
        return (timezone.now() - worker.seen_at).total_seconds() <= limit
