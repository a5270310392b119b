"""The public read API (/api/v1/): resources, filters, cursor pages, conditional requests,
CORS, problem documents in the request's language, rate limits."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Claim, Correction
from tests.factories import add_source, make_article, make_claim, make_rating, mark_quote

pytestmark = pytest.mark.django_db


def _json(response):
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return json.loads(response.content)


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"]
    assert body["detail"]
    assert body["code"]
    return body


@pytest.fixture
def rating():
    return make_rating(label="False", value=1, slug="false", label_de="Falsch")


def _claims(n, rating, **fields):
    now = timezone.now()
    return [
        make_claim(
            rating=rating,
            claim_reviewed=f"Claim {i}",
            published_at=now - timedelta(minutes=i),
            **fields,
        )
        for i in range(n)
    ]


# --- Resources ----------------------------------------------------------------------------
def test_claim_list_shows_published_claims_newest_first_with_absolute_links(client, rating):
    _claims(3, rating)
    make_claim(status=Claim.Status.DRAFT, claim_reviewed="A draft")
    body = _json(client.get("/api/v1/claims"))
    assert [item["claim_reviewed"] for item in body["items"]] == ["Claim 0", "Claim 1", "Claim 2"]
    first = body["items"][0]
    assert first["url"].startswith("http://testserver/claims/")
    assert first["api_url"] == f"http://testserver/api/v1/claims/{first['slug']}"
    assert first["rating"]["slug"] == "false"
    assert first["rating"]["label"] == "False"
    assert body["next"] is None


def test_labels_follow_accept_language(client, rating):
    _claims(1, rating)
    body = _json(client.get("/api/v1/claims", HTTP_ACCEPT_LANGUAGE="de"))
    assert body["items"][0]["rating"]["label"] == "Falsch"
    assert (
        _json(client.get("/api/v1/ratings", HTTP_ACCEPT_LANGUAGE="de"))["items"][0]["label"]
        == "Falsch"
    )


def test_claim_detail_has_sources_appearances_corrections_and_claim_review(client, rating):
    article = make_article("Der Himmel ist grün, sagte er.", original_url="https://news.example/a")
    claim = make_claim(rating=rating, claim_reviewed="Der Himmel ist grün")
    mark_quote(claim, article, "Der Himmel ist grün")
    add_source(claim, url="https://science.example/sky", title="Sky")
    Correction.objects.create(
        claim=claim,
        kind="update",
        note="Quelle ergänzt",
        status="published",
        published_at=timezone.now(),
        old_rating=rating,
        new_rating=rating,
    )
    body = _json(client.get(f"/api/v1/claims/{claim.slug}"))
    assert body["sources"][0]["url"] == "https://science.example/sky"
    appearance = body["appearances"][0]
    assert appearance["exact"] == "Der Himmel ist grün"
    assert (appearance["start"], appearance["end"]) == (0, 19)
    assert appearance["article"]["slug"] == article.slug
    assert appearance["original_url"] == "https://news.example/a"
    assert body["corrections"][0]["note"] == "Quelle ergänzt"
    assert body["claim_review"]["@type"] == "ClaimReview"
    assert body["claim_review"]["claimReviewed"] == "Der Himmel ist grün"


def test_article_detail_has_text_and_published_mentions_only(client, rating):
    article = make_article("Eins ist wahr. Zwei ist falsch.")
    shown = make_claim(rating=rating)
    mark_quote(shown, article, "Eins ist wahr")
    hidden = make_claim(status=Claim.Status.IN_REVIEW, claim_reviewed="LEAK")
    mark_quote(hidden, article, "Zwei ist falsch")
    body = _json(client.get(f"/api/v1/articles/{article.slug}"))
    assert body["revision"]["text"] == "Eins ist wahr. Zwei ist falsch."
    assert [m["claim"] for m in body["mentions"]] == [shown.slug]
    text = body["revision"]["text"]
    mention = body["mentions"][0]
    assert text[mention["start"] : mention["end"]] == mention["exact"]
    assert "LEAK" not in json.dumps(body)


def test_filters(client, rating):
    other = make_rating(label="True", value=5, slug="true")
    a, b = _claims(2, rating)
    c = make_claim(rating=other, claimant="Lena Brandt", language="en", claim_reviewed="Zahl")
    article = make_article("Die Zahl stimmt.")
    mark_quote(c, article, "Zahl")

    def slugs(query):
        return {item["slug"] for item in _json(client.get(f"/api/v1/claims?{query}"))["items"]}

    assert slugs("rating=true") == {c.slug}
    assert slugs("claimant=brandt") == {c.slug}
    assert slugs("language=en") == {c.slug}
    assert slugs(f"article={article.slug}") == {c.slug}
    assert slugs("q=Zahl") == {c.slug}
    Claim.objects.filter(pk=a.pk).update(published_at=timezone.now() - timedelta(days=10))
    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    assert slugs(f"published_since={since}") == {b.slug, c.slug}
    assert slugs("updated_since=2999-01-01T00:00:00Z") == set()


# --- Cursor pages ---------------------------------------------------------------------
def test_cursor_pages_walk_every_claim_once_even_while_new_ones_are_published(client, rating):
    _claims(7, rating)
    seen, url = [], "/api/v1/claims?limit=3"
    while url:
        body = _json(client.get(url))
        seen += [item["slug"] for item in body["items"]]
        if len(seen) == 3:  # a new claim published between two pages
            make_claim(rating=rating, claim_reviewed="Newcomer")
        url = body["next"] and body["next"].removeprefix("http://testserver")
    assert len(seen) == 7
    assert len(set(seen)) == 7
    assert "Newcomer" not in seen


def test_a_tampered_or_foreign_cursor_is_a_400_problem_in_german(client, rating):
    _claims(3, rating)
    cursor = _json(client.get("/api/v1/claims?limit=1"))["next_cursor"]
    body = _problem(
        client.get(f"/api/v1/claims?cursor={cursor[:-2]}xx", HTTP_ACCEPT_LANGUAGE="de"), 400
    )
    assert body["code"] == "invalid_cursor"
    assert body["title"] == "Ungültige Anfrage"
    assert "Cursor" in body["detail"]
    assert _problem(client.get(f"/api/v1/articles?cursor={cursor}"), 400)["code"] == (
        "invalid_cursor"
    )


def test_query_count_does_not_grow_with_the_page_size(client, rating):
    _claims(30, rating)
    counts = []
    for limit in (3, 30):
        with CaptureQueriesContext(connection) as queries:
            assert len(_json(client.get(f"/api/v1/claims?limit={limit}"))["items"]) == limit
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Conventions ----------------------------------------------------------------------
def test_etag_and_last_modified_answer_304_and_a_change_anywhere_answers_200(client, rating):
    (claim,) = _claims(1, rating)
    other = make_claim(rating=rating, claim_reviewed="Another")
    url = f"/api/v1/claims/{claim.slug}"
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        response = client.get(url, HTTP_ORIGIN="https://elsewhere.example")
        assert response.status_code == 200
        assert response["ETag"]
        assert response["Last-Modified"]
        again = client.get(
            url, HTTP_IF_NONE_MATCH=response["ETag"], HTTP_ORIGIN="https://x.example"
        )
        assert again.status_code == 304
        assert not again.content
        # A 304 keeps what a browser script needs to read it.
        assert again["Access-Control-Allow-Origin"] == "*"
        assert "RateLimit-Remaining" in again
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert since.status_code == 304
        # Withdrawing another claim changes no row of this answer, but it changes what
        # the public sees: the date moves, so nobody keeps a stale feed or page.
        other.status = Claim.Status.DRAFT
        other.save()
        fresh = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert fresh.status_code == 200
        assert "Last-Modified" not in fresh  # a change less than a second old: no date yet
    with time_machine.travel(timezone.now() + timedelta(seconds=10), tick=False):
        later = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert later.status_code == 200
        assert later["Last-Modified"] != response["Last-Modified"]
        claim.conclusion = "Neu"
        claim.save()
    with time_machine.travel(timezone.now() + timedelta(seconds=15), tick=False):
        changed = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert changed.status_code == 200


def test_cors_is_open_for_reads_without_credentials(client, rating):
    response = client.get("/api/v1/claims", HTTP_ORIGIN="https://elsewhere.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/claims",
        HTTP_ORIGIN="https://elsewhere.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 204
    assert "GET" in preflight["Access-Control-Allow-Methods"]


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/v1/claims/no-such-claim", 404, "not_found"),
        ("/api/v1/nowhere", 404, "not_found"),
        ("/api/v1/claims?limit=1000", 400, "invalid_parameters"),
        ("/api/v1/claims?limit=zwei", 400, "invalid_parameters"),
        ("/api/v1/claims?published_since=gestern", 400, "invalid_parameters"),
    ],
)
def test_errors_are_problem_documents_in_the_request_language(client, url, status, code):
    english = _problem(client.get(url), status)
    german = _problem(client.get(url, HTTP_ACCEPT_LANGUAGE="de"), status)
    assert english["code"] == german["code"] == code
    assert english["detail"] != german["detail"]
    if status == 400:
        assert german["errors"][0]["location"] == "query"
        assert german["errors"][0]["name"]


def test_a_method_not_allowed_is_a_problem_too(client):
    body = _problem(client.post("/api/v1/claims", {}), 405)
    assert body["code"] == "method_not_allowed"


def test_withdrawn_claims_answer_410(client, rating):
    claim = make_claim(
        status=Claim.Status.DRAFT, published_at=timezone.now(), claim_reviewed="LEAK-gone"
    )
    body = _problem(client.get(f"/api/v1/claims/{claim.slug}"), 410)
    assert "LEAK" not in json.dumps(body)


def test_the_rate_limit_answers_429_with_retry_after(client, settings, rating):
    settings.FACTCHECK_API_RATE_LIMIT = 3
    for _ in range(3):
        ok = client.get("/api/v1/ratings", REMOTE_ADDR="198.51.100.7")
        assert ok.status_code == 200
    assert ok["RateLimit-Remaining"] == "0"
    response = client.get("/api/v1/ratings", REMOTE_ADDR="198.51.100.7", HTTP_ACCEPT_LANGUAGE="de")
    body = _problem(response, 429)
    assert body["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60
    # Another client is not affected.
    assert client.get("/api/v1/ratings", REMOTE_ADDR="198.51.100.8").status_code == 200


def test_openapi_schema_and_docs_are_served_without_a_cdn(client):
    schema = _json(client.get("/api/openapi.json"))
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/claims" in schema["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "script-src 'self'" in docs["Content-Security-Policy"]


# --- Standard formats ---------------------------------------------------------------------
def test_annotations_endpoint_serves_a_valid_w3c_collection_of_published_passages(
    client, rating, settings
):
    # CORS for the publishers' sites that embed the verdicts (tests/test_embed_script.py).
    settings.FACTCHECK_EMBED_ORIGINS = ["https://news.example"]
    from tests.test_annotations import assert_quotes_match, assert_valid_collection

    article = make_article(
        "Eins ist wahr. Zwei ist falsch.", original_url="https://news.example/a"
    )
    shown = make_claim(rating=rating, conclusion="Stimmt nicht.")
    mark_quote(shown, article, "Eins ist wahr")
    hidden = make_claim(status=Claim.Status.IN_REVIEW, claim_reviewed="LEAK")
    mark_quote(hidden, article, "Zwei ist falsch")
    url = f"/api/v1/articles/{article.slug}/annotations"
    response = client.get(url, HTTP_ORIGIN="https://news.example")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    )
    assert response["Access-Control-Allow-Origin"] == "https://news.example"
    collection = json.loads(response.content)
    assert_valid_collection(collection)
    assert_quotes_match(collection, article.current_revision.text)
    assert collection["id"] == f"http://testserver{url}"
    [annotation] = collection["first"]["items"]
    assert annotation["motivation"] == "assessing"
    assert annotation["target"]["source"] == "https://news.example/a"
    assert "LEAK" not in response.content.decode()
    page = json.loads(client.get(f"{url}?page=1").content)
    assert page["type"] == "AnnotationPage"
    assert page["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert page["items"] == collection["first"]["items"]
    _problem(client.get(f"{url}?page=2"), 404)
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_annotations_of_an_unpublished_article_are_404(client, rating):
    article = make_article("Geheim.", status="draft")
    _problem(client.get(f"/api/v1/articles/{article.slug}/annotations"), 404)


def test_claimreview_feed_holds_every_published_claim_review(client, rating):
    (claim,) = _claims(1, rating)
    make_claim(status=Claim.Status.DRAFT, claim_reviewed="LEAK draft")
    response = client.get("/api/v1/claimreview-feed.json")
    assert response["Content-Type"] == "application/ld+json"
    feed = json.loads(response.content)
    assert feed["@type"] == "DataFeed"
    [element] = feed["dataFeedElement"]
    assert element["item"]["@type"] == "ClaimReview"
    assert element["item"]["claimReviewed"] == claim.claim_reviewed
    assert element["dateModified"]
    assert "LEAK" not in response.content.decode()


def test_the_methodology_page_links_the_feed_and_the_api(client):
    page = client.get("/methodology/").content.decode()
    assert 'href="/api/v1/claimreview-feed.json"' in page
    assert 'href="/api/docs"' in page
    german = client.get("/de/methodology/").content.decode()
    assert "Datenfeed" in german


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/claims?q=a%00b",
        "/api/v1/claims?article=x%00",
        "/api/v1/claims?cursor=%00",
        "/api/v1/claims/mond%00",
        "/api/v1/articles/a%20b",
    ],
)
def test_a_nul_character_or_a_non_slug_is_a_400_in_words_on_every_database(client, url):
    """PostgreSQL text cannot hold NUL: such a parameter is refused before any query."""
    body = _problem(client.get(url, HTTP_ACCEPT_LANGUAGE="de"), 400)
    assert body["code"] == "invalid_parameters"
    assert "nicht erlaubt" in body["errors"][0]["detail"]
