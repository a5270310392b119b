"""The real publisher pages published with fact-checks (``tests/embed_pages.py``), the test
data of the embed script (issue #21): their passages reach the public annotations API."""

import lxml.html
import pytest

from claims.models import Article, Claim, Mention
from tests.embed_pages import MAX_PASSAGE, MIN_PASSAGE, REALWORLD_PAGES, publish_page

pytestmark = pytest.mark.django_db

# What each page has, as found: (a passage with a link's text, one with typographic quotes).
EXPECTED_KINDS = {
    "correctiv.org.zusage.html": (True, True),
    "dw.com.colonial.html": (True, False),  # straight quotes only
    "heise.de.lithium.html": (True, True),
    "reuters.com.parasite.html": (False, True),  # no link inside the article's paragraphs
    "spiegel.de.albtraum.html": (False, True),  # no link inside the article's paragraphs
}
TYPOGRAPHIC_QUOTES = "„“”‚«»‹›"


def _squash(text: str) -> str:
    return " ".join(text.split())


def _paragraph_links(html: bytes) -> list[tuple[str, str]]:
    """(paragraph text, link text) of every ``<a>`` inside a ``<p>`` of the page."""
    tree = lxml.html.document_fromstring(html)
    return [
        (_squash(p.text_content()), _squash(a.text_content()))
        for p in tree.iter("p")
        for a in p.iter("a")
        if a.text_content().strip()
    ]


@pytest.fixture
def published(editor, reviewer):
    def publish(name: str):
        return publish_page(
            name, editor=editor, reviewer=reviewer, original_url=f"https://news.example/{name}"
        )

    return publish


def test_the_five_real_pages_are_the_fixtures():
    assert set(REALWORLD_PAGES) == set(EXPECTED_KINDS)


@pytest.mark.parametrize("name", REALWORLD_PAGES)
def test_page_is_published_with_a_published_claim_on_each_passage(name, published, editor):
    page = published(name)
    article = page.article
    assert article.status == Article.Status.PUBLISHED
    assert article.original_url == f"https://news.example/{name}"
    assert article.title
    text = article.current_revision.text
    assert len(page.passages) >= 5
    assert page.passages == sorted(page.passages, key=text.index)
    assert len(set(page.passages)) == len(page.passages)
    visible = _squash(lxml.html.document_fromstring(page.html).text_content())
    for passage in page.passages:
        assert MIN_PASSAGE <= len(passage) <= MAX_PASSAGE
        assert text.count(passage) >= 1
        assert _squash(passage) in visible
    # Spread over the text: one in each quarter.
    starts = [text.index(passage) for passage in page.passages]
    for quarter in range(4):
        low, high = quarter * len(text) / 4, (quarter + 1) * len(text) / 4
        assert any(low <= start < high for start in starts), quarter

    mentions = Mention.objects.filter(revision=article.current_revision).select_related("claim")
    assert sorted(m.exact for m in mentions) == sorted(page.passages)
    claims = [mention.claim for mention in mentions]
    assert all(claim.status == Claim.Status.PUBLISHED for claim in claims)
    assert all(claim.author == editor and claim.submitted_by == editor for claim in claims)
    assert len({claim.claim_reviewed for claim in claims}) == len(claims)
    assert len({claim.conclusion for claim in claims}) == len(claims)
    for claim in claims:
        assert claim.reviews.get().reviewer.username == "reviewer"
        assert claim.sources.count() == 1


@pytest.mark.parametrize("name", REALWORLD_PAGES)
def test_annotations_api_serves_exactly_the_passages_in_text_order(name, published, client):
    page = published(name)
    response = client.get(f"/api/v1/articles/{page.article.slug}/annotations")
    assert response.status_code == 200
    items = response.json()["first"]["items"]
    exacts = []
    for item in items:
        (quote,) = [s for s in item["target"]["selector"] if s["type"] == "TextQuoteSelector"]
        exacts.append(quote["exact"])
        assert item["target"]["source"] == f"https://news.example/{name}"
    assert exacts == page.passages
    bodies = {item["body"][0]["value"] for item in items}
    assert len(bodies) == len(items)  # a conclusion of its own per passage


@pytest.mark.parametrize("name", REALWORLD_PAGES)
def test_page_has_a_link_passage_and_a_quote_passage_where_it_has_them(name, published):
    page = published(name)
    has_link, has_quotes = EXPECTED_KINDS[name]
    links = _paragraph_links(page.html)
    if has_link:
        assert page.link_passage in page.passages
        passage = _squash(page.link_passage)
        assert any(passage in paragraph and link in passage for paragraph, link in links)
    else:
        assert page.link_passage is None
        # None of the article's sentences is in a paragraph with a link.
        text = page.article.current_revision.text
        for paragraph in text.split("\n\n"):
            assert not any(_squash(paragraph) in linked for linked, _link in links)
    if has_quotes:
        assert page.quote_passage in page.passages
        assert any(mark in page.quote_passage for mark in TYPOGRAPHIC_QUOTES)
    else:
        assert page.quote_passage is None
        text = page.article.current_revision.text
        assert not any(mark in text for mark in TYPOGRAPHIC_QUOTES)
