"""The embed script's server side (docs/embed.md): /embed.js and its versioned script, the
annotations of a publisher's page by address, and CORS only for FACTCHECK_EMBED_ORIGINS.
The script in a browser: tests/test_browser_embed_script.py."""

import json
import re

import pytest

from claims.annotations import page_addresses
from claims.models import Article, Claim
from claims.views.embed_script import build
from tests.factories import make_article, make_claim, make_rating, mark_quote

pytestmark = pytest.mark.django_db

PAGE = "https://www.news.example/politik/gipfel-123.html"
NEWSROOM = "https://www.news.example"


@pytest.fixture
def page_article(db):
    article = make_article("Eins ist wahr. Zwei ist falsch. Drei bleibt offen.", original_url=PAGE)
    rating = make_rating("Falsch", colour="#b3261e")
    claim = make_claim(rating=rating, conclusion="Das stimmt nicht.", claim_reviewed="Zwei.")
    mark_quote(claim, article, "Zwei ist falsch")
    return article


def _config(body: str) -> dict:
    match = re.search(r"const CONFIG = (\{.*?\});\n", body)
    assert match, "the script's configuration was not filled in"
    return json.loads(match.group(1))


# --- /embed.js and the versioned script ---------------------------------------------------
def test_the_loader_is_short_lived_and_names_the_current_version_of_each_language(client):
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert not response.cookies
    body = response.content.decode()
    for language in ("de", "en"):
        version, _script = build(language)
        assert f"/embed/{version}/{language}.js" in body


def test_the_current_version_is_cached_for_a_year_and_an_old_one_briefly(client):
    version, script = build("de")
    current = client.get(f"/embed/{version}/de.js")
    assert current.status_code == 200
    assert current["Cache-Control"] == "public, max-age=31536000, immutable"
    assert current.content.decode() == script
    # A loader cached before a release asks for a version that is gone: it gets the
    # current script, not a 404, but only for as long as the loader is cached.
    old = client.get("/embed/0123456789ab/de.js")
    assert old.status_code == 200
    assert old["Cache-Control"] == "public, max-age=300"
    assert old.content.decode() == script
    assert client.get(f"/embed/{version}/fr.js").status_code == 404
    assert client.post(f"/embed/{version}/de.js").status_code == 405


def test_the_script_speaks_the_page_language_from_the_catalogues(client):
    german = _config(build("de")[1])
    english = _config(build("en")[1])
    assert german["strings"]["list"] == "Faktenchecks zu diesem Artikel"
    assert german["strings"]["open"] == "Faktencheck: %s. Urteil anzeigen"
    assert english["strings"]["list"] == "Fact-checks of this article"
    assert german["strings"].keys() == english["strings"].keys()
    assert german["api"] == english["api"] == "/api/v1/annotations"
    # Each language and each change of the script is its own version.
    assert build("de")[0] != build("en")[0]


def test_the_script_builds_no_code_or_markup_from_strings():
    """No eval, no HTML parsing of text, no style attribute, no cookie: what a strict CSP
    would block or a hostile annotation could abuse (the browser tests run it under one)."""
    script = build("en")[1]
    for forbidden in (
        "eval(",
        "new Function",
        "innerHTML",
        'setAttribute("style"',
        "document.cookie",
    ):
        assert forbidden not in script, forbidden
    assert "adoptedStyleSheets" in script


def test_the_script_is_small(client):
    import gzip

    for language in ("de", "en"):
        assert len(gzip.compress(build(language)[1].encode(), 9)) <= 10 * 1024
    response = client.get(f"/embed/{build('de')[0]}/de.js", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"


# --- The annotations of a page ------------------------------------------------------------
@pytest.mark.parametrize(
    "asked",
    [
        PAGE,
        PAGE + "#kommentare",
        PAGE.replace("https:", "http:"),
        PAGE + "/",
        "https://WWW.NEWS.EXAMPLE/politik/gipfel-123.html",
    ],
)
def test_the_page_is_found_by_its_address_in_any_usual_spelling(client, page_article, asked):
    response = client.get("/api/v1/annotations", {"url": asked})
    assert response.status_code == 200
    collection = json.loads(response.content)
    assert collection["total"] == 1
    [annotation] = collection["first"]["items"]
    quote = annotation["target"]["selector"][0]
    assert quote["exact"] == "Zwei ist falsch"
    # The same collection, under the same ids, as by the article's slug.
    assert collection["id"].endswith(f"/api/v1/articles/{page_article.slug}/annotations")
    purposes = [body["purpose"] for body in annotation["body"]]
    assert purposes == ["assessing", "linking", "classifying", "identifying", "describing"]


def test_a_page_with_query_string_is_another_page(client, page_article):
    other = client.get("/api/v1/annotations", {"url": PAGE + "?page=2"})
    assert json.loads(other.content)["total"] == 0


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.WITHDRAWN])
def test_an_article_readers_cannot_see_has_nothing_to_show(client, page_article, status):
    Article.objects.filter(pk=page_article.pk).update(status=status)
    response = client.get("/api/v1/annotations", {"url": PAGE})
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "http://testserver/api/v1/annotations?url=https%3A%2F%2Fwww.news.example"
        "%2Fpolitik%2Fgipfel-123.html",
        "type": "AnnotationCollection",
        "total": 0,
    }


def test_claims_not_published_stay_out(client, page_article):
    draft = make_claim(status=Claim.Status.IN_REVIEW, claim_reviewed="LEAK")
    mark_quote(draft, page_article, "Drei bleibt offen")
    response = client.get("/api/v1/annotations", {"url": PAGE})
    assert "LEAK" not in response.content.decode()
    assert json.loads(response.content)["total"] == 1


@pytest.mark.parametrize(
    "url",
    [
        "",
        "javascript:alert(1)",
        "ftp://news.example/a",
        "https://a b.example/",
        "x" * 2001,
        "https://news.example/\x00",
    ],
)
def test_a_bad_address_gets_a_problem_in_words(client, url):
    response = client.get("/api/v1/annotations", {"url": url})
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["detail"]


def test_an_unparsable_address_is_a_page_the_desk_does_not_know(client):
    response = client.get("/api/v1/annotations", {"url": "http://[news.example/a"})
    assert response.status_code == 200
    assert json.loads(response.content)["total"] == 0
    assert page_addresses("http://[news.example/a") == []


def test_the_query_count_does_not_grow_with_the_passages(
    client, page_article, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10) as few:
        client.get("/api/v1/annotations", {"url": PAGE})
    text = " ".join(f"Satz {n} ist ein Satz." for n in range(40))
    many = make_article(text, original_url=PAGE.replace("123", "456"))
    rating = make_rating("Wahr", value=5)
    for n in range(40):
        mark_quote(make_claim(rating=rating, conclusion=f"Fazit {n}"), many, f"Satz {n} ist")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/api/v1/annotations", {"url": PAGE.replace("123", "456")})
    assert json.loads(response.content)["total"] == 40


# --- CORS: only the newsroom's sites --------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [f"/api/v1/annotations?url={PAGE}", "/api/v1/articles/{slug}/annotations"],
)
def test_only_listed_origins_may_read_the_annotations(client, page_article, settings, path):
    settings.FACTCHECK_EMBED_ORIGINS = [NEWSROOM, "https://*.partner.example"]
    path = path.format(slug=page_article.slug)
    allowed = client.get(path, HTTP_ORIGIN=NEWSROOM)
    assert allowed["Access-Control-Allow-Origin"] == NEWSROOM
    assert "Origin" in allowed["Vary"]
    assert "Access-Control-Allow-Credentials" not in allowed
    sub = client.get(path, HTTP_ORIGIN="https://blog.partner.example")
    assert sub["Access-Control-Allow-Origin"] == "https://blog.partner.example"
    for stranger in ("https://evil.example", "https://partner.example", "http://www.news.example"):
        refused = client.get(path, HTTP_ORIGIN=stranger)
        assert refused.status_code == 200  # the data is public; the browser keeps it
        assert "Access-Control-Allow-Origin" not in refused, stranger
    preflight = client.options(path, HTTP_ORIGIN=NEWSROOM)
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == NEWSROOM
    assert "Access-Control-Allow-Origin" not in client.options(
        path, HTTP_ORIGIN="https://x.example"
    )


def test_no_listed_origin_means_no_site_embeds_and_star_means_every_site(
    client, page_article, settings
):
    path = f"/api/v1/annotations?url={PAGE}"
    settings.FACTCHECK_EMBED_ORIGINS = []
    assert "Access-Control-Allow-Origin" not in client.get(path, HTTP_ORIGIN=NEWSROOM)
    settings.FACTCHECK_EMBED_ORIGINS = ["*"]
    assert client.get(path, HTTP_ORIGIN=NEWSROOM)["Access-Control-Allow-Origin"] == "*"


def test_the_rest_of_the_public_api_stays_open_to_every_origin(client, page_article, settings):
    settings.FACTCHECK_EMBED_ORIGINS = [NEWSROOM]
    response = client.get("/api/v1/claims", HTTP_ORIGIN="https://researcher.example")
    assert response["Access-Control-Allow-Origin"] == "*"
