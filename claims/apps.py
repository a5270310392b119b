from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Fact-checks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from claims import checks, signals  # noqa: F401 (system checks, cache invalidation)
        from claims.models import ClaimEvent
        from claims.signin import connect_signals
        from claims.tasks import links
        from claims.tasks.email import queue_event_emails

        connect_signals()  # sign-in failures, lockouts and sign-ins in the log
        # Desk events → their emails, enqueued once the event is committed.
        post_save.connect(queue_event_emails, sender=ClaimEvent, dispatch_uid="event-emails")
        links.connect_signals()  # archived copies of sources when a claim is published
