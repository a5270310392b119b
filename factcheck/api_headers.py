"""The API's HTTP conventions that hold for every answer under /api/ (claims.api), also
for the ones no API operation made (an unknown address, a method not allowed, a body too
large, a server error):

- the language of labels and errors is the request's Accept-Language;
- errors are RFC 9457 problem documents (``application/problem+json``) in the request's
  language, never an HTML page;
- the public reads are open to every origin (CORS, without credentials: no cookie, no
  token is ever sent cross-origin on a reader's behalf), preflights answered here; the
  token-authenticated desk endpoints (/api/v1/desk/) answer no CORS at all — a CMS calls
  them from its server;
- the Web Annotation endpoints, which the embed script reads on publishers' pages
  (docs/embed.md), answer CORS only for the origins in ``FACTCHECK_EMBED_ORIGINS``.
"""

import json
import re

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from claims.api.problems import PROBLEM_TYPE as PROBLEM
from claims.api.problems import problem_body

API_PREFIX = "/api/"
DESK_PREFIX = "/api/v1/desk/"
# What a browser script may read of a public answer besides the simple headers.
EXPOSED = (
    "ETag, Last-Modified, Link, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset"
)
ALLOWED_HEADERS = "If-None-Match, If-Modified-Since, Accept-Language"
# The annotations of one article (by slug) and of a page address (the embed script's).
ANNOTATIONS = re.compile(r"^/api/v1/(annotations|articles/[^/]+/annotations)/?$")


def embed_origin_allowed(origin: str) -> bool:
    """Whether a page of ``origin`` (as a browser sends it: scheme, host, port) may read
    the annotations: it is listed in ``FACTCHECK_EMBED_ORIGINS``, or matches a listed
    ``https://*.example.org`` (any subdomain, not the bare domain), or "*" is listed."""
    for allowed in settings.FACTCHECK_EMBED_ORIGINS:
        if allowed == "*" or allowed == origin:
            return True
        scheme, _, host = allowed.partition("://*.")
        if host and origin.startswith(f"{scheme}://") and origin.endswith(f".{host}"):
            return True
    return False


def _allow_origin(request, response) -> None:
    """Access-Control-Allow-Origin for the request's origin, by the path's policy."""
    if ANNOTATIONS.match(request.path_info):
        # Answers differ by Origin: caches keep one per origin.
        patch_vary_headers(response, ["Origin"])
        origin = request.META.get("HTTP_ORIGIN", "")
        if origin and embed_origin_allowed(origin):
            response["Access-Control-Allow-Origin"] = (
                "*" if "*" in settings.FACTCHECK_EMBED_ORIGINS else origin
            )
            response["Access-Control-Expose-Headers"] = EXPOSED
        return
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED


def _problem(request, status: int) -> HttpResponse:
    body = problem_body(status, instance=request.get_full_path())
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM)


class ApiCorsMiddleware:
    """CORS for the public reads and the client's rate-limit state, on every answer under
    /api/ — a 304 too: this sits above ConditionalGetMiddleware, which makes 304s with
    only the validators of the answer it replaces."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.startswith(API_PREFIX):
            return self.get_response(request)
        public = not path.startswith(DESK_PREFIX)
        if request.method == "OPTIONS" and public and "HTTP_ORIGIN" in request.META:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = self.get_response(request)
        if public:
            _allow_origin(request, response)
        # Counted by the API's throttle (claims.api.main.ClientThrottle), also for errors.
        decision = getattr(request, "rate_limit", None)
        if decision is not None and decision.count:
            response["RateLimit-Limit"] = str(decision.limit)
            response["RateLimit-Remaining"] = str(max(0, decision.limit - decision.count))
            response["RateLimit-Reset"] = str(decision.retry_after)
        return response


class ApiHeadersMiddleware:
    """The language of the API's answers, and problem documents for every error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.startswith(API_PREFIX):
            return self.get_response(request)
        # The site's pages take their language from the URL (/de/…); the API has one
        # address for all, so Accept-Language decides (LocaleMiddleware would give the
        # default language to every address without a prefix).
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            (PROBLEM, "application/json")
        ):
            replaced = _problem(request, response.status_code)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    replaced[header] = response[header]
            response = replaced
        return response
