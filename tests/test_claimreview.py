"""ClaimReview structured data on claim pages, checked field by field."""

import json
import re

import pytest

from claims.models import Article, Claim
from tests.factories import make_article, make_claim, make_rating, mark_quote

pytestmark = pytest.mark.django_db


def _json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_claim_page_carries_one_claimreview(reader, seeded, settings):
    settings.FACTCHECK_ORGANIZATION_NAME = "Faktencheck-Redaktion"
    settings.FACTCHECK_ORGANIZATION_URL = "https://factcheck.example.org"
    settings.FACTCHECK_SITE_URL = "https://factcheck.example.org"
    claim = Claim.objects.get(slug="nordkorea-keine-atom-und-raketentests-seit-ueber-einem-jahr")
    html = reader.get(claim.get_absolute_url()).content.decode()
    [review] = _json_ld(html)
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"https://factcheck.example.org{claim.get_absolute_url()}"
    assert review["claimReviewed"] == claim.claim_reviewed
    assert review["datePublished"] == "2019-03-01"
    assert review["author"] == {
        "@type": "Organization",
        "name": "Faktencheck-Redaktion",
        "url": "https://factcheck.example.org",
        # The brand's logo (FACTCHECK_BRAND_LOGO), absolute on the site's address.
        "logo": {
            "@type": "ImageObject",
            "url": "https://factcheck.example.org/static/brand/logo.png",
        },
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "True",
        "ratingValue": 6,
        "bestRating": 6,
        "worstRating": 1,
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {
        "@type": "Person",
        "name": "Donald Trump",
        "sameAs": "https://en.wikipedia.org/wiki/Donald_Trump",
    }
    assert item["datePublished"] == "2019-02-28"
    article = Article.objects.get()
    appearance = {
        "@type": "CreativeWork",
        "url": f"https://factcheck.example.org{article.get_absolute_url()}",
        "headline": article.title,
        "datePublished": "2019-02-28",
    }
    assert item["appearance"] == [appearance]
    assert item["firstAppearance"] == appearance
    assert (
        f'<link rel="canonical" href="https://factcheck.example.org{claim.get_absolute_url()}">'
        in html
    )
    assert f'<meta property="og:title" content="{claim.claim_reviewed}">' in html


def test_appearances_use_original_urls_oldest_first(reader):
    rating = make_rating(label="False", value=1, slug="f")
    claim = make_claim(rating=rating, claim_reviewed="Die Erde ist eine Scheibe")
    later = make_article("Sie sagt: Die Erde ist flach.", original_url="https://news.example/b")
    earlier = make_article("Er sagt: Die Erde ist flach.", original_url="https://news.example/a")
    later.published_on, earlier.published_on = "2024-05-02", "2024-05-01"
    later.save()
    earlier.save()
    draft_article = make_article("Entwurf: Die Erde ist flach.", status=Article.Status.DRAFT)
    for article in (later, earlier, draft_article):
        mark_quote(claim, article, "Die Erde ist flach")
    [review] = _json_ld(reader.get(claim.get_absolute_url()).content.decode())
    urls = [work["url"] for work in review["itemReviewed"]["appearance"]]
    assert urls == ["https://news.example/a", "https://news.example/b"]  # no draft article
    assert review["itemReviewed"]["firstAppearance"]["url"] == "https://news.example/a"


def test_unproven_rating_has_a_label_but_no_number(reader):
    rating = make_rating(label="Unproven", value=None, slug="u")
    claim = make_claim(rating=rating)
    [review] = _json_ld(reader.get(claim.get_absolute_url()).content.decode())
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Unproven"}


def test_user_text_cannot_break_out_of_the_json_ld_block(reader):
    hostile = '</script><script>alert(1)</script>"><img src=x onerror=alert(2)>'
    claim = make_claim(claim_reviewed=hostile[:250], claimant=hostile, conclusion=hostile)
    html = reader.get(claim.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    [review] = _json_ld(html)
    assert review["claimReviewed"] == hostile[:250]  # intact once parsed
    assert review["itemReviewed"]["author"]["name"] == hostile


def test_drafts_have_no_structured_data_anywhere(reader, seeded):
    draft = Claim.objects.get(status=Claim.Status.DRAFT)
    for url in ("/", Article.objects.get().get_absolute_url()):
        html = reader.get(url).content.decode()
        assert draft.claim_reviewed not in html
    assert reader.get(draft.get_absolute_url()).status_code == 404
