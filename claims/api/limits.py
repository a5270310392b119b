"""The API's rate limit per client: a token, or else the client's address, hashed as for
reader input (claims.abuse). Fixed windows in the shared cache; while it is down, not
counted."""

import logging

from django.conf import settings
from django.utils.translation import gettext

from claims.abuse import RateDecision, client_hash, hit
from claims.api.problems import Problem

logger = logging.getLogger(__name__)

API_RATE_PREFIX = "factcheck:api-rate"


def count_request(request, token=None) -> RateDecision:
    """Count one request of ``token``'s (when given) or of the client address's, and
    remember the decision on the request for the answer's RateLimit-* headers."""
    if token is not None:
        identity, limit = f"token:{token.pk}", settings.FACTCHECK_API_TOKEN_RATE_LIMIT
    else:
        identity, limit = f"ip:{client_hash(request)}", settings.FACTCHECK_API_RATE_LIMIT
    decision = hit(
        identity,
        limit=limit,
        window=settings.FACTCHECK_API_RATE_WINDOW,
        prefix=API_RATE_PREFIX,
        count_in_database=False,
    )
    request.rate_limit = decision
    if not decision.allowed:
        logger.warning("API rate limit: %s over %d requests", identity[:20], limit)
    return decision


def rate_limited(seconds: int) -> Problem:
    """The 429 answer, with when to try again."""
    return Problem(
        429,
        gettext("Too many requests from this client. Try again in %(seconds)d seconds.")
        % {"seconds": seconds},
        code="rate_limited",
        headers={"Retry-After": str(seconds)},
    )
