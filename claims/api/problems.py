"""Errors as RFC 9457 problem details (``application/problem+json``), in the request's
language (LocaleMiddleware picks it from Accept-Language: the API's paths carry no
language prefix).

Every problem has ``type`` "about:blank" with the HTTP status's phrase as its ``title``
(RFC 9457 §4.2.1), a ``detail`` sentence for people, and a machine ``code`` that clients
branch on (``invalid_cursor``, ``rate_limited``, ``token_expired`` …); invalid parameters
come with ``errors``, one entry per parameter.
"""

import json
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PROBLEM_TYPE = "application/problem+json"

# The titles: HTTP's status phrases, in the request's language.
TITLES = {
    400: _("Bad Request"),
    401: _("Unauthorized"),
    403: _("Forbidden"),
    404: _("Not Found"),
    405: _("Method Not Allowed"),
    406: _("Not Acceptable"),
    409: _("Conflict"),
    410: _("Gone"),
    413: _("Content Too Large"),
    415: _("Unsupported Media Type"),
    422: _("Unprocessable Content"),
    429: _("Too Many Requests"),
    500: _("Internal Server Error"),
    503: _("Service Unavailable"),
}

# What each status means when nothing more precise is known.
DETAILS = {
    400: _("The request could not be read."),
    401: _("This needs an API token: send it as “Authorization: Bearer <token>”."),
    403: _("Your token may not do this."),
    404: _("There is nothing at this address."),
    405: _("This address does not accept this method."),
    406: _("This address answers only in JSON."),
    410: _("This was public once and has been withdrawn."),
    413: _("The request is too large."),
    415: _("Send the request body as JSON (Content-Type: application/json)."),
    429: _("Too many requests. Try again later."),
    500: _("Something went wrong on our side. It has been logged; try again later."),
    503: _("The service is unavailable for a moment. Try again shortly."),
}

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    410: "gone",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


class Problem(Exception):
    """Raised anywhere below an API operation; answered as a problem document."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        code: str | None = None,
        errors: list[dict] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or "")
        self.status = status
        self.detail = detail
        self.code = code
        self.errors = errors
        self.headers = headers or {}


def problem_body(
    status: int,
    detail: str | None = None,
    *,
    code: str | None = None,
    instance: str | None = None,
    errors: list[dict] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": str(TITLES.get(status, gettext("Error"))),
        "status": status,
        "detail": str(detail or DETAILS.get(status, TITLES.get(status, gettext("Error")))),
        "code": code or CODES.get(status, "error"),
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return body


def problem_response(
    request,
    status: int,
    detail: str | None = None,
    *,
    code: str | None = None,
    errors: list[dict] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body = problem_body(
        status,
        detail,
        code=code,
        errors=errors,
        instance=request.get_full_path() if request else None,
    )
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# Pydantic's error types → a sentence in the request's language.
_PARAMETER_ERRORS = {
    "missing": _("This is required."),
    "int_parsing": _("Enter a whole number."),
    "int_type": _("Enter a whole number."),
    "greater_than_equal": _("The number is too small."),
    "less_than_equal": _("The number is too large."),
    "greater_than": _("The number is too small."),
    "less_than": _("The number is too large."),
    "string_too_long": _("This is too long."),
    "string_too_short": _("This is too short."),
    "date_parsing": _("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
    "datetime_parsing": _("Enter a date (YYYY-MM-DD) or a date and time in ISO 8601."),
    "datetime_from_date_parsing": _("Enter a date (YYYY-MM-DD) or a date and time in ISO 8601."),
    "bool_parsing": _("Enter true or false."),
    "string_type": _("Enter text."),
    "list_type": _("Enter a list."),
    "dict_type": _("Enter an object."),
    "model_attributes_type": _("Enter an object."),
    "json_invalid": _("The body is not valid JSON."),
    "enum": _("Choose one of the allowed values."),
    "literal_error": _("Choose one of the allowed values."),
    "url_parsing": _("Enter a web address."),
    "url_scheme": _("Enter a web address starting with http:// or https://."),
    "extra_forbidden": _("This field is not known."),
    "string_pattern_mismatch": _(
        "This holds a character that is not allowed here (e.g. a NUL character, or in a "
        "slug anything but letters, digits, hyphens and underscores)."
    ),
}


def parameter_errors(errors: list[dict]) -> list[dict]:
    """Pydantic's validation errors as the problem's ``errors``: where (``location``: query,
    path, body), which parameter (``name``, dotted inside a body), and a sentence."""
    found = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        where = location[0] if location else ""
        # ninja's locations: ("query", "limit"), ("body", "payload", "text") …
        parts = location[1:]
        if where == "body" and len(parts) > 1:
            parts = parts[1:]
        elif where != "body":  # a parameter's name; pydantic may add a union member's tag
            parts = parts[:1]
        message = _PARAMETER_ERRORS.get(error.get("type", ""))
        found.append(
            {
                "location": where,
                "name": ".".join(parts),
                "detail": str(message) if message else gettext("This value is not valid."),
            }
        )
    return found
