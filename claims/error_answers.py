"""Answers in words for a refused request, below the views: the desk's error answer
(``error_response``) and the 413 for a body over its limit (``too_large``).

The views use them through ``claims.views.responses`` and ``claims.views.limits``; the
project's ``factcheck.limits`` middleware uses them directly, so that the project never
imports the view layer. Nothing here imports the rest of the project.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def error_response(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """A 4xx answer with ``message``; htmx swaps it into ``#desk-alert``."""
    if getattr(request, "htmx", False):
        response = render(request, "claims/desk/_alert.html", {"message": message}, status=status)
        response["HX-Retarget"] = "#desk-alert"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "claims/desk/error.html", {"message": message}, status=status)


def content_length(request: HttpRequest) -> int:
    """The body size the client announced (0 when absent or unreadable)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def too_large(
    request: HttpRequest, length: int, limit: int, *, template: str | None = None
) -> HttpResponse:
    """413 with a sentence: how large the request was and what the limit is."""
    size, most = _megabytes(length, limit)
    message = _(
        "The request is too large (%(size)s MB; the limit is %(limit)s MB). Nothing was saved."
    ) % {"size": size, "limit": most}
    if template:
        return render(request, template, {"message": message}, status=413)
    return error_response(request, message, 413)


def _megabytes(size: int, limit: int) -> tuple[str, str]:
    """Both in MB with as few decimals as tell them apart (a body just over its limit
    does not read "0.1 MB; the limit is 0.1 MB")."""
    for digits in range(1, 7):
        shown = (f"{size / 1_000_000:.{digits}f}", f"{limit / 1_000_000:.{digits}f}")
        if shown[0] != shown[1] and float(shown[1]):
            break
    return shown
