"""Request body limits, for public and desk views alike: ``max_body`` (413 with a
sentence when a view's body is too large) and ``bad_request``, the ``handler400``.

A view with its own 413 page names it (``max_body(limit, template=...)``, as the reader
forms do); every other view answers with the desk's error answer
(``claims.error_answers.error_response``; the 413 answer ``too_large`` lives there too).
factcheck.limits checks the same limits before anything reads the body.
"""

from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from claims.error_answers import content_length, error_response, too_large


def max_body(limit: int, *, template: str | None = None):
    """Refuse requests whose body is larger than ``limit`` bytes with 413 and a message
    (on the desk's error page, or in ``template`` with ``message`` in its context).

    The limit is also kept on the view (``view.max_body``): factcheck.limits checks it
    before any middleware reads the body (CSRF does, for every POST), so a body between
    this limit and ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is never parsed at all."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            length = content_length(request)
            if length > limit:
                return too_large(request, length, limit, template=template)
            return view(request, *args, **kwargs)

        wrapper.max_body = BodyLimit(limit, template)
        return wrapper

    return decorator


@dataclass(frozen=True, slots=True)
class BodyLimit:
    limit: int
    template: str | None = None


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: every 400 in words (Django's own is a bare "Bad Request (400)").

    A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is 413, as is one with more fields or files
    than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` / ``DATA_UPLOAD_MAX_NUMBER_FILES`` allow: the
    request is too large, whichever way it is counted. factcheck.limits answers most of
    these before the body is read; this catches the rest (a body read by other code)."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        return too_large(
            request, content_length(request), limit, template=_view_limit(request).template
        )
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        message = _(
            "The request has too many fields or files to be read. Nothing was saved. "
            "Reload the page and try again."
        )
        template = _view_limit(request).template
        if template:
            return render(request, template, {"message": message}, status=413)
        return error_response(request, message, 413)
    message = _(
        "The request could not be understood, so nothing was done. Reload the page and try again."
    )
    return error_response(request, message, 400)


def _view_limit(request: HttpRequest) -> BodyLimit:
    """The ``max_body`` of the view the request was for (limit 0 when it has none)."""
    match = getattr(request, "resolver_match", None)
    limit = getattr(match.func, "max_body", None) if match else None
    return limit or BodyLimit(0)
