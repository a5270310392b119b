"""The API: one ``NinjaAPI`` mounted at /api/ (factcheck/urls.py), version 1 under
/api/v1/, its schema at /api/openapi.json and Swagger UI at /api/docs (the package's own
static files, under the site's CSP: no inline script, no CDN).

Every error leaves as an RFC 9457 problem (claims.api.problems); every operation counts
against its client's rate limit (``ClientThrottle``).
"""

import logging
import threading

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.openapi.docs import Swagger
from ninja.throttling import BaseThrottle

from claims.api import desk, public
from claims.api.limits import count_request, rate_limited
from claims.api.problems import PROBLEM_TYPE, Problem, parameter_errors, problem_response

logger = logging.getLogger(__name__)


class ClientThrottle(BaseThrottle):
    """ninja's hook for the rate limit (claims.api.limits): per token (``request.auth``,
    set by the token authentication, which runs first) or else per address."""

    _local = threading.local()

    def allow_request(self, request) -> bool:
        token = getattr(request, "auth", None)
        decision = count_request(request, token if getattr(token, "pk", None) else None)
        self._local.wait = decision.retry_after
        return decision.allowed

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


class FactcheckAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The schema, with every error answer documented as what it is: a problem
        document (``application/problem+json``), not plain JSON."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[PROBLEM_TYPE] = content.pop("application/json")
        return schema


api = FactcheckAPI(
    title="Factcheck API",
    version="1",
    description=(
        "Published fact-checks as data: claims with their verdicts, sources and "
        "appearances, articles with their marked passages, the rating scale and "
        "corrections. See docs/api.md for tokens, webhooks and the conventions "
        "(cursor pagination, ETag, CORS, RFC 9457 problems, rate limits)."
    ),
    urls_namespace="api",
    # No deep links: Swagger UI puts them as links inside each operation's button, which
    # screen readers cannot reach (axe: nested-interactive).
    docs=Swagger(
        settings={"persistAuthorization": False, "tryItOutEnabled": True, "deepLinking": False}
    ),
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[ClientThrottle()],
)
api.add_router("/v1/", public.router)
api.add_router("/v1/desk/", desk.router)


@api.exception_handler(Problem)
def _problem(request, exc: Problem):
    return problem_response(
        request, exc.status, exc.detail, code=exc.code, errors=exc.errors, headers=exc.headers
    )


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    errors = parameter_errors(exc.errors)
    names = ", ".join(sorted({error["name"] or error["location"] for error in errors}))
    return problem_response(
        request,
        400,
        gettext("Some parameters are not valid: %(names)s.") % {"names": names},
        code="invalid_parameters",
        errors=errors,
    )


@api.exception_handler(Throttled)
def _throttled(request, exc: Throttled):
    return _problem(request, rate_limited(int(exc.wait or 1)))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc: AuthenticationError):
    return problem_response(
        request, 401, code="unauthorized", headers={"WWW-Authenticate": 'Bearer realm="api"'}
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc: PermissionDenied):
    return problem_response(request, 403, str(exc) or None)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return problem_response(request, exc.status_code)


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    return problem_response(request, 404)


@api.exception_handler(Exception)
def _server_error(request, exc: Exception):
    logger.exception("API error on %s", request.path, exc_info=exc)
    return problem_response(request, 500)
