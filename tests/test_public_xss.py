"""Hostile text in every user-written field stays inert on every public page."""

import re

import lxml.html
import pytest
from django.utils import timezone

from claims.models import Correction
from tests.factories import add_source, make_article, make_claim, make_rating, mark_quote

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '<script>alert("x")</script>',
    "</script><script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
]
HOSTILE = " ".join(PAYLOADS)


@pytest.fixture
def hostile_world():
    rating = make_rating(
        label='<b onclick="x">Wahr</b>'[:50], value=6, slug="wahr", description=HOSTILE
    )
    article = make_article(
        f"Einleitung {HOSTILE} Ende.\n\nZweiter Absatz {HOSTILE}.",
        title=HOSTILE,
        outlet=HOSTILE[:200],
        byline=HOSTILE[:300],
        original_url="https://example.org/artikel",
    )
    claim = make_claim(
        rating=rating,
        claim_reviewed=HOSTILE[:250],
        claimant=HOSTILE[:200],
        claimant_url="https://example.org/person",
        conclusion=HOSTILE[:300],
        explanation=HOSTILE + "\n\n[klick](javascript:alert(3)) <a href=javascript:alert(4)>a</a>",
    )
    mark_quote(claim, article, "Einleitung")
    add_source(claim, title=HOSTILE[:300], publisher=HOSTILE[:200], quote=HOSTILE)
    Correction.objects.create(
        claim=claim, kind="update", note=HOSTILE, status="published", published_at=timezone.now()
    )
    return article, claim


def _assert_no_live_markup(body: str, url: str) -> None:
    """Parse the page as a browser would: no handler attribute, no javascript: link, no
    image, and no script but our own files and JSON-LD data blocks."""
    document = lxml.html.fromstring(body)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        handlers = [name for name in element.attrib if name.lower().startswith("on")]
        assert handlers == [], (url, element.tag, handlers)
        assert not element.get("href", "").strip().lower().startswith("javascript:"), url
        assert element.tag != "img", url
        if element.tag == "script":
            assert element.get("src") or element.get("type") == "application/ld+json", url


def test_every_public_page_renders_hostile_text_inert(reader, hostile_world):
    article, claim = hostile_world
    urls = [
        "/",
        "/claims/",
        "/claims/?q=script",
        article.get_absolute_url(),
        claim.get_absolute_url(),
        "/articles/",
        "/corrections/",
        "/methodology/",
        "/feeds/claims.atom",
        "/feeds/corrections.atom",
        "/sitemap-claims.xml",
        "/sitemap-articles.xml",
    ]
    for url in urls:
        response = reader.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "<script>alert" not in body, url
        assert "<img src=x" not in body, url
        if "html" in response["Content-Type"]:
            _assert_no_live_markup(body, url)
        # JSON-LD blocks cannot be closed early by the payload.
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S):
            assert "<" not in block, url
