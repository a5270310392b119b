"""The public claims index: search, filters, sorting, pagination (SQLite and PostgreSQL)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from tests.factories import make_claim, make_rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims():
    true = make_rating(label="Wahr", value=6, slug="wahr")
    false = make_rating(label="Falsch", value=1, slug="falsch")
    base = datetime(2024, 5, 1, 12, tzinfo=UTC)
    return {
        "armistice": make_claim(
            claim_reviewed="Der Waffenstillstand von 1953 gilt bis heute",
            claimant="Zeitung",
            rating=true,
            language="de",
            published_at=base,
        ),
        "tests": make_claim(
            claim_reviewed="North Korea has not tested missiles for a year",
            claimant="Donald Trump",
            conclusion="True, no test since November 2017.",
            rating=true,
            language="en",
            published_at=base + timedelta(days=10),
        ),
        "summit": make_claim(
            claim_reviewed="Der Gipfel endet mit einer Erklärung",
            claimant="Zeitung",
            rating=false,
            language="de",
            published_at=base + timedelta(days=20),
        ),
        "draft": make_claim(
            claim_reviewed="Waffenstillstand draft claim", status=Claim.Status.DRAFT
        ),
    }


def _titles(reader, query: str) -> list[str]:
    html = reader.get(f"/claims/{query}").content.decode()
    return [c.claim_reviewed for c in Claim.objects.all() if c.get_absolute_url() in html]


def _ordered(reader, query: str) -> list[str]:
    html = reader.get(f"/claims/{query}").content.decode()
    found = [(html.find(c.get_absolute_url()), c.claim_reviewed) for c in Claim.objects.all()]
    return [title for position, title in sorted(found) if position >= 0]


def test_without_a_query_all_published_claims_newest_first(reader, claims):
    assert _ordered(reader, "") == [
        claims["summit"].claim_reviewed,
        claims["tests"].claim_reviewed,
        claims["armistice"].claim_reviewed,
    ]


def test_search_finds_words_in_claim_claimant_and_conclusion(reader, claims):
    assert _titles(reader, "?q=Waffenstillstand") == [claims["armistice"].claim_reviewed]
    assert _titles(reader, "?q=trump") == [claims["tests"].claim_reviewed]
    assert _titles(reader, "?q=november") == [claims["tests"].claim_reviewed]
    assert _titles(reader, "?q=Zeitung+Gipfel") == [claims["summit"].claim_reviewed]
    assert _titles(reader, "?q=nothing-like-this") == []


def test_filters_combine(reader, claims):
    assert _titles(reader, "?rating=falsch") == [claims["summit"].claim_reviewed]
    assert _titles(reader, "?language=en") == [claims["tests"].claim_reviewed]
    assert set(_titles(reader, "?claimant=zeitung")) == {
        claims["armistice"].claim_reviewed,
        claims["summit"].claim_reviewed,
    }
    assert _titles(reader, "?claimant=zeitung&rating=wahr") == [claims["armistice"].claim_reviewed]
    assert _titles(reader, "?date_from=2024-05-05&date_to=2024-05-15") == [
        claims["tests"].claim_reviewed
    ]


def test_sorting(reader, claims):
    assert _ordered(reader, "?sort=oldest")[0] == claims["armistice"].claim_reviewed
    assert _ordered(reader, "?sort=newest")[0] == claims["summit"].claim_reviewed


def test_drafts_are_never_found(reader, claims):
    assert claims["draft"].claim_reviewed not in _titles(reader, "?q=Waffenstillstand")
    html = reader.get("/claims/?q=draft").content.decode()
    assert "0 fact-checks" in html


def test_htmx_gets_only_the_results(reader, claims):
    response = reader.get("/claims/?q=Gipfel", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html
    assert claims["summit"].get_absolute_url() in html


def test_bad_input_is_harmless(reader, claims):
    for query in ("?date_from=yesterday", "?rating=unknown", "?page=999", "?sort=sideways"):
        assert reader.get(f"/claims/{query}").status_code == 200, query
    html = reader.get("/claims/?q=%3Cscript%3Ealert(1)%3C/script%3E").content.decode()
    assert "<script>alert(1)" not in html
    assert reader.get("/claims/?q=" + "x" * 5000).status_code == 200


def test_pagination_keeps_the_filters(reader):
    rating = make_rating(label="Wahr", value=6, slug="wahr")
    for i in range(25):
        make_claim(claim_reviewed=f"Behauptung {i}", rating=rating)
    html = reader.get("/claims/?rating=wahr").content.decode()
    assert "Page 1 of 2" in html
    assert "?rating=wahr&amp;page=2" in html


def test_query_count_does_not_grow_with_claims(reader):
    rating = make_rating(label="Wahr", value=6, slug="wahr")
    counts = []
    for total in (3, 40):
        Claim.objects.all().delete()
        for i in range(total):
            make_claim(claim_reviewed=f"Behauptung Nummer {i}", rating=rating)
        with CaptureQueriesContext(connection) as queries:
            assert reader.get("/claims/?q=Behauptung").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
