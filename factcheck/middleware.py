"""Project middleware."""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware


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
