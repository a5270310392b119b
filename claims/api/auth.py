"""Token authentication for the desk endpoints (/api/v1/desk/): ``Authorization: Bearer
fc_…``. A token acts with its user's roles and never more: the operation sees
``request.user`` = the token's user and checks ``may()`` as the desk does. A session
cookie never authenticates the API (no CSRF question arises: browsers do not send bearer
tokens on their own).
"""

from django.utils.translation import gettext
from ninja.security import HttpBearer

from claims.api.limits import count_request, rate_limited
from claims.api.problems import Problem
from claims.models import ApiToken
from claims.tokens import TokenError, authenticate, has_scope, touch

CHALLENGE = 'Bearer realm="api"'


def _refusals() -> dict[str, str]:
    return {
        "malformed": gettext("This is not an API token. Tokens start with “fc_”."),
        "unknown": gettext("This API token is not known."),
        "revoked": gettext("This API token was revoked. Make a new one on your account page."),
        "expired": gettext("This API token has expired. Make a new one on your account page."),
        "inactive_user": gettext("The account this API token belongs to is deactivated."),
    }


class TokenAuth(HttpBearer):
    """A valid token with ``scope``: 401 for a missing, unknown, revoked or expired one
    (with the reason as ``code``: ``token_revoked`` …), 403 for a token without the scope."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token: str) -> ApiToken:
        try:
            api_token = authenticate(token)
        except TokenError as error:
            # Refusals count against the address (throttles run only after a success):
            # guessing costs a lookup each, and not an unlimited number of them.
            decision = count_request(request)
            if not decision.allowed:
                raise rate_limited(decision.retry_after) from None
            raise Problem(
                401,
                _refusals()[error.reason],
                code=f"token_{error.reason}",
                headers={"WWW-Authenticate": CHALLENGE},
            ) from None
        if not has_scope(api_token, self.scope):
            raise Problem(
                403,
                gettext("This token lacks the scope “%(scope)s” that this needs.")
                % {"scope": self.scope},
                code="insufficient_scope",
            )
        touch(api_token)
        request.user = api_token.user
        return api_token


READ_DESK = TokenAuth(ApiToken.Scope.READ_DESK)
WRITE_ARTICLES = TokenAuth(ApiToken.Scope.WRITE_ARTICLES)
