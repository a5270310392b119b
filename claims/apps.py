from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Fact-checks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save
        from simple_history.signals import post_create_historical_record

        from claims import checks, matching, signals  # noqa: F401 (checks, cache invalidation)
        from claims.models import Article, ArticleRevision, ClaimEvent
        from claims.signin import connect_signals
        from claims.tasks import links, webhooks
        from claims.tasks import matching as matching_tasks
        from claims.tasks.email import queue_event_emails

        connect_signals()  # sign-in failures, lockouts and sign-ins in the log
        # Desk events → their emails, enqueued once the event is committed.
        post_save.connect(queue_event_emails, sender=ClaimEvent, dispatch_uid="event-emails")
        links.connect_signals()  # archived copies of sources when a claim is published
        matching.connect_signals()  # claims' profiles for the matching follow their texts
        # Public events → webhook deliveries, created once the write is committed.
        post_save.connect(
            webhooks.on_claim_event, sender=ClaimEvent, dispatch_uid="webhooks-claim"
        )
        post_save.connect(
            webhooks.on_revision, sender=ArticleRevision, dispatch_uid="webhooks-text"
        )
        # Every new text: hints and "Already checked" suggestions, in the background.
        post_save.connect(
            matching_tasks.on_revision, sender=ArticleRevision, dispatch_uid="text-analysis"
        )
        post_create_historical_record.connect(
            webhooks.on_article_history,
            sender=Article.history.model,
            dispatch_uid="webhooks-article",
        )
