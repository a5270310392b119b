"""The API keeps its published contract: schemathesis generates requests for every
operation in /api/openapi.json (valid and invalid parameters, unknown methods) and checks
each answer — no 5xx, a documented status, a documented content type, a body that fits
the documented schema. Run anonymously here; with tokens in tests/test_api_desk.py.

Real answers with real data are checked against the schema too: generated slugs hit
nothing, so every resource is also fetched by its slug and validated.
"""

from datetime import timedelta

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from claims.models import Correction
from claims.tokens import issue_token
from tests.factories import add_source, make_article, make_claim, make_rating, mark_quote

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def api_data(db):
    """A little of everything public, and something hidden."""
    rating = make_rating(label="False", value=1, slug="false", label_de="Falsch")
    article = make_article("Der Mond ist aus Käse, sagte sie. Die Erde ist flach.")
    claim = make_claim(rating=rating, claim_reviewed="Der Mond ist aus Käse", slug="mond")
    mark_quote(claim, article, "Der Mond ist aus Käse")
    add_source(claim)
    Correction.objects.create(
        claim=claim,
        kind="update",
        note="Ergänzt",
        status="published",
        published_at=claim.published_at,
    )
    hidden = make_claim(status="draft", claim_reviewed="LEAK draft")
    mark_quote(hidden, article, "Die Erde ist flach")
    return {"claim": claim, "article": article}


PLAIN = {"Accept-Encoding": "identity"}
BOTH = ["read:desk", "write:articles"]
# Loaded once, when the tests are collected: the schema needs no database.
APP = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", APP)


@pytest.fixture(autouse=True)
def wsgi_app(api_data, settings):
    """The project's WSGI application, as a server runs it, inside the test's transaction:
    like Django's test client, without closing the connection after each request."""
    settings.FACTCHECK_API_RATE_LIMIT = 1_000_000
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield APP
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_keeps_the_contract_anonymously(case):
    # The WSGI transport does not decompress: ask for the body as it is. A cursor is
    # opaque and signed: a generated one, however well-formed, is rightly refused (400).
    excluded = [positive_data_acceptance] if (case.query or {}).get("cursor") else []
    case.call_and_validate(headers=PLAIN, excluded_checks=excluded)


@pytest.fixture
def tokens(editor):
    """An editor's token with both scopes, and one that may only read the desk."""
    return {
        "editor": issue_token(editor, "CMS", BOTH, timedelta(days=30))[1],
        "read": issue_token(editor, "Reader", ["read:desk"], timedelta(days=30))[1],
    }


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.parametrize("persona", ["editor", "read"])
def test_every_operation_keeps_the_contract_with_a_token(case, tokens, persona):
    """The desk's writes check more than the schema can say (an empty article, a passage
    whose quote is not the text there, a revision that is no longer current): those are
    refused in words (409/422, documented), so "schema-valid but refused" is no fault
    there."""
    excluded = (
        [positive_data_acceptance]
        if ((case.query or {}).get("cursor") or case.method == "POST")
        else []
    )
    headers = {**PLAIN, "Authorization": f"Bearer {tokens[persona]}"}
    case.call_and_validate(headers=headers, excluded_checks=excluded)


def test_real_resources_fit_the_schema(api_data):
    claim, article = api_data["claim"], api_data["article"]
    for path, params in [
        ("/api/v1/claims", {}),
        (f"/api/v1/claims/{claim.slug}", {}),
        ("/api/v1/articles", {}),
        (f"/api/v1/articles/{article.slug}", {}),
        ("/api/v1/ratings", {}),
        ("/api/v1/corrections", {}),
    ]:
        template = path.replace(claim.slug, "{slug}").replace(article.slug, "{slug}")
        operation = schema[template]["GET"]
        case = operation.Case(
            path_parameters={"slug": claim.slug if "claims/" in path else article.slug}
            if "{slug}" in template
            else None,
            query=params or None,
        )
        response = case.call(headers=PLAIN)
        assert response.status_code == 200, (path, response.text[:300])
        assert "LEAK" not in response.text  # the draft
        case.validate_response(response)
