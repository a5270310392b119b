"""Project middleware."""

import logging

from django.conf import settings
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control

from claims.db_errors import DATABASE_UNAVAILABLE
from claims.log_throttle import ThrottledLog

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying again while the database is down.
RETRY_AFTER = 30
LOG_INTERVAL = 30


class AnonymousGZipMiddleware(GZipMiddleware):
    """Django's ``GZipMiddleware``, for visitors without a session only.

    Compressing a response that holds both text an attacker can choose (a search term) and
    a secret (a draft claim, a reader's tip) lets BREACH guess the secret from response
    sizes; Django's random padding makes that harder, not impossible. A visitor without a
    session cookie sees nothing secret, so their answers are compressed; the desk's and
    the admin's are not. Cached public pages arrive compressed already (claims.caching)
    and are left alone, whoever asks.
    """

    def process_response(self, request, response):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return response
        return super().process_response(request, response)


class DatabaseUnavailableMiddleware:
    """The database cannot be reached: answer 503 with ``Retry-After`` on a page in the
    visitor's language that needs no database, instead of a 500.

    ``process_exception`` catches what a view raises and what goes wrong while its
    template response is rendered; ``factcheck.urls.handler500`` catches the rest (a
    middleware saving a session, with ``DEBUG`` off). Pages still in the page cache are
    served before it comes to this (``claims.caching``). A write that fails is rolled back
    by its transaction, so nothing is half saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable(request, exception)
        return None


_log_outage = ThrottledLog(logger, LOG_INTERVAL)


def database_unavailable(request, exception) -> HttpResponse:
    """The 503 page; the error is logged with its traceback at most every 30 s."""
    _log_outage.error(
        "database unavailable: answering 503",
        exc_info=(type(exception), exception, exception.__traceback__),
    )
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        # No request: no context processors, nothing that could query.
        content = render_to_string(
            "503.html",
            {
                "LANGUAGE_CODE": language,
                "organization_name": settings.FACTCHECK_ORGANIZATION_NAME,
                "retry_after": RETRY_AFTER,
            },
        )
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Content-Language"] = language
    patch_cache_control(response, no_store=True)
    return response
