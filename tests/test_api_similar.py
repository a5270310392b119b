"""GET /api/v1/claims/similar: the published claims a text may repeat, with the score
and the words of the text that matched; the text's limits are 400 problems in words."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from tests.factories import make_claim, make_rating

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/similar"
TEXT = "Laut dem Senat ist die Arbeitslosigkeit in Bremen 2023 um zwölf Prozent gesunken."


def _json(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def _problem(response, status=400):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return json.loads(response.content)


@pytest.fixture
def claims():
    rating = make_rating(label="False", value=1, slug="false", label_de="Falsch")
    published = make_claim(
        claim_reviewed="Die Arbeitslosigkeit in Bremen ist 2023 um zwölf Prozent gesunken",
        rating=rating,
        slug="bremen",
    )
    draft = make_claim(
        status=Claim.Status.DRAFT,
        claim_reviewed="Arbeitslosigkeit in Bremen 2023 um zwölf Prozent gesunken (Entwurf)",
        slug="bremen-draft",
    )
    make_claim(claim_reviewed="Der Hafen von Hamburg hat einen neuen Kran", slug="hafen")
    return published, draft


def test_similar_finds_the_published_claim_with_score_and_matched_words(client, claims):
    body = _json(client.get(URL, {"text": TEXT, "language": "de"}))
    assert [item["slug"] for item in body["items"]] == ["bremen"]
    item = body["items"][0]
    assert 0 < item["score"] <= 1
    assert item["url"].startswith("http")
    assert item["url"].endswith("/bremen/")
    assert item["rating"]["slug"] == "false"
    matched = {word["text"] for word in item["matched"]}
    assert {"Arbeitslosigkeit", "Bremen", "2023"} <= matched
    assert "Senat" not in matched
    for word in item["matched"]:
        assert TEXT[word["start"] : word["end"]] == word["text"]
    assert response_is_public(client)


def response_is_public(client):
    response = client.get(URL, {"text": TEXT})
    return response["Cache-Control"].startswith("public")


def test_drafts_never_appear(client, claims):
    body = _json(client.get(URL, {"text": "Arbeitslosigkeit Bremen 2023 Entwurf"}))
    assert "bremen-draft" not in json.dumps(body)


def test_an_unrelated_text_finds_nothing(client, claims):
    assert _json(client.get(URL, {"text": "Die Sonne scheint über dem Meer."}))["items"] == []


def test_limit_caps_the_answer(client, claims):
    for n in range(4):
        make_claim(
            claim_reviewed=f"Die Arbeitslosigkeit in Bremen ist 2023 um zwölf Prozent gesunken {n}"
        )
    assert len(_json(client.get(URL, {"text": TEXT, "limit": 2}))["items"]) == 2
    assert len(_json(client.get(URL, {"text": TEXT}))["items"]) == 5


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": "Bremen\x00"}, "text"),
        ({"text": "Bremen", "limit": 0}, "limit"),
        ({"text": "Bremen", "limit": 21}, "limit"),
        ({"text": "Bremen", "language": "de'; drop"}, "language"),
        ({"text": "Bremen", "language": "oaa"}, "language"),
    ],
    ids=["missing", "empty", "too-long", "nul", "limit-0", "limit-21", "language", "unknown"],
)
def test_bad_parameters_are_400_problems_in_words(client, params, name):
    english = _problem(client.get(URL, params))
    german = _problem(client.get(URL, params, HTTP_ACCEPT_LANGUAGE="de"))
    assert english["code"] == german["code"] == "invalid_parameters"
    assert german["errors"][0]["name"] == name
    assert german["errors"][0]["location"] == "query"
    assert english["errors"][0]["detail"] != german["errors"][0]["detail"]


def test_2000_characters_are_allowed(client, claims):
    text = (TEXT + " ") * (2000 // (len(TEXT) + 1))
    assert len(text) <= 2000
    assert _json(client.get(URL, {"text": text}))["items"]


def test_the_slug_similar_does_not_hide_the_endpoint_nor_a_claim(client, claims):
    make_claim(claim_reviewed="Ein Anspruch namens ähnlich", slug="similar-claim")
    assert _json(client.get("/api/v1/claims/similar-claim"))["slug"] == "similar-claim"


def test_the_query_count_does_not_grow_with_the_claims(client, claims):
    client.get(URL, {"text": TEXT})
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"text": TEXT})
    for n in range(20):
        make_claim(claim_reviewed=f"Arbeitslosigkeit in Bremen 2023 gesunken {n}")
    client.get(URL, {"text": TEXT})
    with CaptureQueriesContext(connection) as many:
        body = _json(client.get(URL, {"text": TEXT}))
    assert len(body["items"]) == 5
    assert len(many.captured_queries) <= len(few.captured_queries)


def test_the_rate_limit_applies(client, settings, claims):
    settings.FACTCHECK_API_RATE_LIMIT = 2
    for _ in range(2):
        assert client.get(URL, {"text": TEXT}, REMOTE_ADDR="198.51.100.9").status_code == 200
    body = _problem(client.get(URL, {"text": TEXT}, REMOTE_ADDR="198.51.100.9"), 429)
    assert body["code"] == "rate_limited"


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = json.loads(client.get("/api/openapi.json").content)
    operation = schema["paths"]["/api/v1/claims/similar"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"text", "language", "limit"} <= names
