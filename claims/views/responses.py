"""Error answers the desk shows in words: in the alert area for htmx, as a page otherwise;
the HTTP status of a refused change; and ``safe_next``, the check of a ``next`` address.

Request body limits (``max_body``, the 413 answer, ``handler400``) are in ``views/limits.py``.
"""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from claims.error_answers import error_response

__all__ = ["error_response", "refusal_status", "safe_next"]

# A refused change (``WorkflowError.code``) → its HTTP status; anything else is 422.
_REFUSAL_STATUS = {
    "forbidden": 403,
    "four_eyes": 403,
    "stale": 409,
    "status": 409,
    "duplicate": 409,
    # A request naming something that is not there (a paragraph, a paragraph role).
    "index": 400,
    "role": 400,
}


def refusal_status(code: str) -> int:
    return _REFUSAL_STATUS.get(code, 422)


def safe_next(request: HttpRequest, target: str | None) -> str:
    """``target`` (a ``next`` parameter) if it is a page of this site, else ""."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""
