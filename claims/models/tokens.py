"""API tokens: a newsroom's CMS speaks to the API as one desk user (``claims.tokens``).

A token is made in the desk (``/desk/account/tokens/``), shown once and stored only as a
hash. Its raw form is ``fc_<prefix>_<secret>``: the prefix is public (it names the token
in lists and logs and finds its row), the secret is 32 random bytes. A token acts with its
user's roles and never more; its scopes only narrow what the API lets it do.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        """Neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ_DESK = "read:desk", _("Read the desk: articles and claims in any status")
        WRITE_ARTICLES = "write:articles", _("Write articles: create articles, mark passages")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("revoked")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    # A list of Scope values, at least one (``clean``; ``claims.tokens.issue_token`` checks too).
    scopes = models.JSONField(_("scopes"), default=list)
    # The public part of the raw token: 8 hex characters, shown in lists so people
    # recognise their tokens, and the key the API finds the row by.
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    # SHA-256 (hex) of the whole raw token. The secret is 32 random bytes from
    # secrets.token_urlsafe, not a password a person chose: nobody can guess or brute-force
    # it, so a fast hash is right (a slow password hash would only slow every API request).
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} (fc_{self.prefix}…)"

    def clean(self) -> None:
        super().clean()
        check_scopes(self.scopes)

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.ACTIVE

    @property
    def status_label(self) -> str:
        return self.Status(self.status).label

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def scope_labels(self) -> list[str]:
        return [str(self.Scope(scope).label) for scope in self.scopes if scope in self.Scope]


def check_scopes(scopes) -> None:
    """A non-empty list of known scopes, each once; ValidationError else."""
    if not isinstance(scopes, list) or not scopes:
        raise ValidationError(_("Choose at least one scope."), code="no_scope")
    unknown = [scope for scope in scopes if scope not in ApiToken.Scope.values]
    if unknown or len(set(scopes)) != len(scopes):
        raise ValidationError(_("Choose scopes from the list."), code="unknown_scope")
