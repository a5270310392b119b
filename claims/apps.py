from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Fact-checks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from claims import checks, signals  # noqa: F401 (system checks, cache invalidation)
        from claims.signin import connect_signals
        from claims.tasks import links

        connect_signals()  # sign-in failures, lockouts and sign-ins in the log
        links.connect_signals()  # archived copies of sources when a claim is published
