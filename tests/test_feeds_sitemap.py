"""Atom feeds, sitemap and robots.txt: published things only, text escaped."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from claims.models import Article, Claim, Correction
from tests.factories import make_article, make_claim, mark

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_claims_feed_lists_published_claims_only(reader, seeded):
    response = reader.get("/feeds/claims.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    published = set(Claim.objects.published().values_list("claim_reviewed", flat=True))
    assert set(titles) == published
    assert len(titles) == 5
    assert Claim.objects.get(status=Claim.Status.DRAFT).claim_reviewed not in titles


def test_feed_escapes_user_text(reader):
    claim = make_claim(claim_reviewed="<script>alert(1)</script> & more", conclusion="<b>x</b>")
    raw = reader.get("/feeds/claims.atom").content.decode()
    assert "<script>alert(1)" not in raw
    feed = ET.fromstring(raw)
    [entry] = feed.iter(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == claim.claim_reviewed  # intact once parsed


def test_corrections_feed_lists_public_corrections_of_published_claims(reader):
    public = make_claim(claim_reviewed="Public claim")
    hidden = make_claim(claim_reviewed="Hidden claim", status=Claim.Status.DRAFT)
    now = timezone.now()
    Correction.objects.create(
        claim=public, kind="correction", note="Fixed a date.", status="published", published_at=now
    )
    Correction.objects.create(claim=public, kind="update", note="Not yet public.")
    Correction.objects.create(
        claim=hidden, kind="update", note="Draft claim.", status="published", published_at=now
    )
    feed = ET.fromstring(reader.get("/feeds/corrections.atom").content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Correction: Public claim"]


def test_sitemap_lists_published_articles_and_claims_in_both_languages(reader, seeded):
    draft_article = make_article(status=Article.Status.DRAFT, slug="secret-draft")
    mark(make_claim(slug="claim-in-draft-article"), draft_article, 0, 5)
    response = reader.get("/sitemap.xml")
    locations = [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
    paths = {loc.split("testserver", 1)[1] for loc in locations}
    article = Article.objects.get(status=Article.Status.PUBLISHED)
    assert article.get_absolute_url() in paths
    assert "/de" + article.get_absolute_url() in paths
    for claim in Claim.objects.exclude(status=Claim.Status.PUBLISHED):
        assert claim.get_absolute_url() not in paths
    assert "/articles/secret-draft/" not in paths
    published = Claim.objects.published().count() + Article.objects.published().count()
    assert len(paths) == 2 * published


def test_robots_txt_keeps_crawlers_out_of_the_desk(reader):
    text = reader.get("/robots.txt").content.decode()
    assert "Disallow: /desk/" in text
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
