"""What the link check knows about a source's web address, and what became of a request
for an archived copy (docs/tasks.md, "Source checks and archived copies").

Kept apart from ``Source`` on purpose: a weekly check must not add a row to the source's
history (django-simple-history records every save of ``Source``, and its history is the
claim's public record of changed evidence). Only the archive address the archive returns is
written to ``Source.archive_url``, a change readers should see.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims.models.base import WebURLField, web_url_check
from claims.models.claims import Claim, Source

# A source is flagged as unreachable after this many failed checks in a row.
UNREACHABLE_AFTER = 3


class SourceCheckQuerySet(models.QuerySet):
    def current(self) -> "SourceCheckQuerySet":
        """Checks of the address the source has now (an edited address starts afresh)."""
        return self.filter(url=models.F("source__url"))

    def unreachable(self) -> "SourceCheckQuerySet":
        """Sources of published claims whose address failed its last checks in a row."""
        return self.current().filter(
            unreachable_since__isnull=False, source__claim__status=Claim.Status.PUBLISHED
        )


class SourceCheck(models.Model):
    """The link check of one source, and its archive request.

    ``url`` is the address the state belongs to: when an editor changes the source's
    address, the state no longer applies (``Source.link_state`` is then ``None``) and the
    next check starts counting from zero.
    """

    class Archive(models.TextChoices):
        NONE = "", _("Not requested")
        REQUESTED = "requested", _("Requested")
        PENDING = "pending", _("Archiving")
        DONE = "done", _("Archived")
        FAILED = "failed", _("Failed")

    source = models.OneToOneField(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="link_check"
    )
    url = WebURLField(_("address checked"), max_length=2000)
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True, db_index=True)
    # "ok", or the FetchError code of the failure (http_error, dns_failed, timeout …);
    # worded in the viewer's language by reason().
    result = models.CharField(_("last result"), max_length=30, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    failures = models.PositiveSmallIntegerField(_("failed checks in a row"), default=0)
    unreachable_since = models.DateTimeField(_("unreachable since"), null=True, blank=True)

    archive_state = models.CharField(
        _("archive request"), max_length=20, choices=Archive.choices, blank=True, default=""
    )
    archive_requested_at = models.DateTimeField(_("archive requested"), null=True, blank=True)
    # The Save Page Now job being polled.
    archive_job = models.CharField(_("archive job"), max_length=200, blank=True)
    # Why archiving failed: a code of claims.archiving, and what the archive said (its
    # own words, or the HTTP status).
    archive_error = models.CharField(_("archive error"), max_length=30, blank=True)
    archive_detail = models.CharField(_("archive message"), max_length=300, blank=True)

    objects = SourceCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("source check")
        verbose_name_plural = _("source checks")
        constraints = [web_url_check("url", "sourcecheck_url_web")]

    def __str__(self) -> str:
        return self.url

    @property
    def is_ok(self) -> bool:
        return self.result == "ok"

    @property
    def archive_waiting(self) -> bool:
        return self.archive_state in (self.Archive.REQUESTED, self.Archive.PENDING)

    def reason(self) -> str:
        """Why the last check failed, in the current language ("" after a success)."""
        if not self.result or self.is_ok:
            return ""
        if self.result == "http_error" and self.http_status:
            return gettext("the site answered with HTTP status %(status)s") % {
                "status": self.http_status
            }
        words = _CHECK_REASONS.get(self.result)
        return str(words) if words else gettext("the address could not be checked")

    def archive_problem(self) -> str:
        """Why the archive request failed, in the current language."""
        if self.archive_state != self.Archive.FAILED:
            return ""
        words = str(_ARCHIVE_ERRORS.get(self.archive_error, _ARCHIVE_ERRORS["bad_answer"]))
        if self.archive_detail:
            words = gettext("%(problem)s (the archive said: %(detail)s)") % {
                "problem": words,
                "detail": self.archive_detail,
            }
        return words


_CHECK_REASONS = {
    "dns_failed": _("the site's name was not found (DNS)"),
    "timeout": _("the site did not answer in time"),
    "connection_failed": _("the connection was refused or broke off"),
    "forbidden_address": _("the address is not on the public internet"),
    "tls_error": _("the site's certificate could not be verified"),
    "too_many_redirects": _("the address redirects too many times"),
    "bad_redirect": _("the address redirects to an address that cannot be checked"),
    "invalid_url": _("the address is not a valid web address"),
    "unsupported_scheme": _("the address is not an http(s) address"),
    "credentials": _("the address contains a user name or password"),
}

_ARCHIVE_ERRORS = {
    "not_configured": _("no web archive is configured (FACTCHECK_ARCHIVE_ENDPOINT)"),
    "connection": _("the archive could not be reached"),
    "timeout": _("the archive did not answer in time"),
    "http_error": _("the archive refused the request"),
    "busy": _("the archive is busy; try again later"),
    "refused": _("the archive could not save the page"),
    "too_slow": _("the archive took too long to save the page"),
    "bad_answer": _("the archive's answer could not be understood"),
}
