"""Error answers the desk shows in words: in the alert area for htmx, as a page otherwise;
the HTTP status of a refused change; and ``safe_next``, the check of a ``next`` address.

Request body limits (``max_body``, the 413 answer, ``handler400``) are in ``views/limits.py``.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

# A refused change (``WorkflowError.code``) → its HTTP status; anything else is 422.
_REFUSAL_STATUS = {
    "forbidden": 403,
    "four_eyes": 403,
    "stale": 409,
    "status": 409,
    "duplicate": 409,
}


def refusal_status(code: str) -> int:
    return _REFUSAL_STATUS.get(code, 422)


def error_response(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """A 4xx answer with ``message``; htmx swaps it into ``#desk-alert``."""
    if getattr(request, "htmx", False):
        response = render(request, "claims/desk/_alert.html", {"message": message}, status=status)
        response["HX-Retarget"] = "#desk-alert"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "claims/desk/error.html", {"message": message}, status=status)


def safe_next(request: HttpRequest, target: str | None) -> str:
    """``target`` (a ``next`` parameter) if it is a page of this site, else ""."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""
