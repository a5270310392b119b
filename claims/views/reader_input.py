"""Reader input: suggest a claim to check, report an error in a published fact-check.

These pages carry a form with a CSRF token, so they are never cached (``never_cache``:
private, no-store), unlike the public pages. A submission goes through, in this order:
the body size limit (413), CSRF (middleware, 403), the honeypot (silently dropped, the
normal thank-you page), validation (422 with the form as typed), the per-client rate
limit (429 with ``Retry-After``, the form as typed), and only then the database.
See ``claims/abuse.py``.
"""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from claims import abuse, services
from claims.forms.public import ErrorReportForm, ReaderInputForm, TipForm
from claims.models import Claim, ErrorReport
from claims.tasks import enqueue_on_commit
from claims.tasks.email import send_tip_emails
from claims.views.limits import max_body

logger = logging.getLogger(__name__)

# Generous for the longest fields (5,000 characters, up to 12 bytes each once
# percent-encoded) and far below anything that could hurt.
READER_MAX_BODY = 128_000
TOO_LARGE_TEMPLATE = "claims/reader/too_large.html"
TIP_TEMPLATE = "claims/reader/tip_form.html"
REPORT_TEMPLATE = "claims/reader/report_form.html"


def _context(**extra) -> dict:
    return {"retention_days": settings.FACTCHECK_READER_RETENTION_DAYS, **extra}


def _submit(
    request: HttpRequest,
    form: ReaderInputForm,
    *,
    kind: str,
    template: str,
    thanks_url: str,
    context: dict,
) -> HttpResponse:
    """Handle a POSTed reader form: drop bots, re-show errors, enforce the limit, store
    (``services.tip_submit`` / ``services.error_report_submit``)."""
    if abuse.honeypot_filled(request.POST):
        abuse.record_honeypot(request, kind)
        return redirect(thanks_url)
    if not form.is_valid():
        return render(request, template, {**context, "form": form}, status=422)
    decision = abuse.check_rate(request)
    if not decision.allowed:
        response = render(
            request,
            "claims/reader/too_many.html",
            {**context, "form": form, "form_template": template, "decision": decision},
            status=429,
        )
        response["Retry-After"] = str(decision.retry_after)
        return response
    item = form.save(commit=False)
    client_hash = abuse.client_hash(request)
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    if isinstance(item, ErrorReport):
        services.error_report_submit(report=item, client_hash=client_hash, language=language)
    else:
        services.tip_submit(tip=item, client_hash=client_hash, language=language)
        # A tip has no claim and so no event: the moderators hear of it by email directly.
        enqueue_on_commit(send_tip_emails, item.pk)
    logger.info("reader input: %s %s received", kind, item.pk)
    # The thanks page promises a reply only to a reader who may be answered.
    return redirect(f"{thanks_url}?reply=1" if item.may_be_answered else thanks_url)


@require_http_methods(["GET", "POST"])
@never_cache
@max_body(READER_MAX_BODY, template=TOO_LARGE_TEMPLATE)
def tip_new(request: HttpRequest) -> HttpResponse:
    """Suggest a claim to check."""
    context = _context()
    if request.method == "POST":
        return _submit(
            request,
            TipForm(request.POST),
            kind="tip",
            template=TIP_TEMPLATE,
            thanks_url=reverse("claims:tip-thanks"),
            context=context,
        )
    return render(request, TIP_TEMPLATE, {**context, "form": TipForm()})


@require_safe
@never_cache
def tip_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/reader/thanks.html", {"kind": "tip", **_reply(request)})


def _reply(request: HttpRequest) -> dict:
    return {"reply_possible": request.GET.get("reply") == "1"}


@require_http_methods(["GET", "POST"])
@never_cache
@max_body(READER_MAX_BODY, template=TOO_LARGE_TEMPLATE)
def claim_report(request: HttpRequest, slug: str) -> HttpResponse:
    """Report an error in a published fact-check; any other slug is 404."""
    claim = get_object_or_404(Claim.objects.published(), slug=slug)
    context = _context(claim=claim)
    if request.method == "POST":
        return _submit(
            request,
            ErrorReportForm(request.POST, instance=ErrorReport(claim=claim)),
            kind="error report",
            template=REPORT_TEMPLATE,
            thanks_url=reverse("claims:claim-report-thanks", kwargs={"slug": claim.slug}),
            context=context,
        )
    return render(request, REPORT_TEMPLATE, {**context, "form": ErrorReportForm()})


@require_safe
@never_cache
def claim_report_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.published(), slug=slug)
    return render(
        request,
        "claims/reader/thanks.html",
        {"kind": "report", "claim": claim, **_reply(request)},
    )
