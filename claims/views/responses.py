"""Error answers the desk shows in words: in the alert area for htmx, as a page otherwise."""

from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

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


def max_body(limit: int, *, template: str | None = None):
    """Refuse requests whose body is larger than ``limit`` bytes with 413 and a message
    (on the desk's error page, or in ``template`` with ``message`` in its context)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                message = _(
                    "The request is too large (%(size)s MB; the limit is %(limit)s MB). "
                    "Nothing was saved."
                ) % {"size": round(length / 1_000_000, 1), "limit": round(limit / 1_000_000, 1)}
                if template:
                    return render(request, template, {"message": message}, status=413)
                return error_response(request, message, 413)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
