"""Atom feeds, sitemap and robots.txt: published things only, text escaped."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Article, Claim, Correction
from claims.sitemaps import SITEMAPS, ClaimSitemap, SiteSitemap
from tests.factories import make_article, make_claim, mark

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


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


def _locs(response, tag: str = "loc") -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}{tag}")]


def sitemap_paths(client) -> list[str]:
    """Every page path in the sitemap: the index, then each section page it names."""
    paths = []
    for section in _locs(client.get("/sitemap.xml")):
        paths += [loc.split("testserver", 1)[1] for loc in _locs(client.get(section))]
    return paths


def test_sitemap_lists_published_articles_and_claims_in_both_languages(reader, seeded):
    draft_article = make_article(status=Article.Status.DRAFT, slug="secret-draft")
    mark(make_claim(slug="claim-in-draft-article"), draft_article, 0, 5)
    paths = set(sitemap_paths(reader))
    article = Article.objects.get(status=Article.Status.PUBLISHED)
    assert article.get_absolute_url() in paths
    assert "/de" + article.get_absolute_url() in paths
    for claim in Claim.objects.exclude(status=Claim.Status.PUBLISHED):
        assert claim.get_absolute_url() not in paths
    assert "/articles/secret-draft/" not in paths
    published = Claim.objects.published().count() + Article.objects.published().count()
    assert len(paths) == 2 * published


def test_sitemap_is_an_index_of_sections_with_their_newest_change(reader):
    older = make_claim(slug="older")
    newer = make_claim(slug="newer")
    Claim.objects.filter(pk=older.pk).update(updated_at=datetime(2024, 3, 1, tzinfo=UTC))
    Claim.objects.filter(pk=newer.pk).update(updated_at=datetime(2025, 6, 2, 12, tzinfo=UTC))
    make_claim(slug="draft", status=Claim.Status.DRAFT)  # drafts change no lastmod
    Claim.objects.filter(slug="draft").update(updated_at=datetime(2026, 1, 1, tzinfo=UTC))
    response = reader.get("/sitemap.xml")
    assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    sections = {
        entry.find(f"{SITEMAP}loc").text: entry.find(f"{SITEMAP}lastmod")
        for entry in root.iter(f"{SITEMAP}sitemap")
    }
    assert set(sections) == {
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-claims.xml",
    }
    assert sections["http://testserver/sitemap-articles.xml"] is None  # no article yet
    lastmod = sections["http://testserver/sitemap-claims.xml"].text
    assert datetime.fromisoformat(lastmod) == datetime(2025, 6, 2, 12, tzinfo=UTC)


def test_a_section_page_holds_at_most_its_limit_of_urls_and_the_next_page_the_rest(
    reader, monkeypatch
):
    monkeypatch.setattr(ClaimSitemap, "limit", 10)  # URLs a page: 5 claims × 2 languages
    claims = [make_claim(slug=f"claim-{n:02}") for n in range(12)]
    make_claim(slug="a-draft", status=Claim.Status.DRAFT)
    index = _locs(reader.get("/sitemap.xml"))
    assert [loc for loc in index if "claims" in loc] == [
        "http://testserver/sitemap-claims.xml",
        "http://testserver/sitemap-claims.xml?p=2",
        "http://testserver/sitemap-claims.xml?p=3",
    ]
    pages = [_locs(reader.get(f"/sitemap-claims.xml?p={n}")) for n in (1, 2, 3)]
    assert [len(page) for page in pages] == [10, 10, 4]
    assert _locs(reader.get("/sitemap-claims.xml")) == pages[0]
    found = [loc.split("testserver", 1)[1] for page in pages for loc in page]
    expected = []
    for claim in claims:  # by primary key, each claim in both languages
        expected += [f"/claims/{claim.slug}/", f"/de/claims/{claim.slug}/"]
    assert found == expected
    assert reader.get("/sitemap-claims.xml?p=4").status_code == 404
    assert reader.get("/sitemap-claims.xml?p=0").status_code == 404
    assert reader.get("/sitemap-claims.xml?p=two").status_code == 404
    assert reader.get("/sitemap-tips.xml").status_code == 404


def test_a_section_page_keeps_lastmod_and_hreflang_alternates(reader, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    claim = make_claim(slug="late-at-night")
    # 23:30 UTC is the next day in Berlin, as Django's template wrote it.
    Claim.objects.filter(pk=claim.pk).update(updated_at=datetime(2025, 6, 2, 23, 30, tzinfo=UTC))
    response = reader.get("/sitemap-claims.xml")
    assert response["Last-Modified"] == "Mon, 02 Jun 2025 23:30:00 GMT"
    assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"
    urls = ET.fromstring(response.content).findall(f"{SITEMAP}url")
    assert [url.find(f"{SITEMAP}loc").text for url in urls] == [
        "http://testserver/claims/late-at-night/",
        "http://testserver/de/claims/late-at-night/",
    ]
    for url in urls:
        assert url.find(f"{SITEMAP}lastmod").text == "2025-06-03"
        assert url.find(f"{SITEMAP}changefreq").text == "monthly"
        links = url.findall(f"{XHTML}link")
        assert [(link.get("rel"), link.get("hreflang"), link.get("href")) for link in links] == [
            ("alternate", "en", "http://testserver/claims/late-at-night/"),
            ("alternate", "de", "http://testserver/de/claims/late-at-night/"),
        ]


def test_a_section_page_is_what_djangos_sitemap_would_write(reader, seeded):
    """Written without Django's template and its Sitemap._urls: the same XML as a plain
    i18n sitemap with alternates over the same items."""
    for name, sitemap_class in SITEMAPS.items():

        class Plain(SiteSitemap):
            i18n = True
            alternates = True
            changefreq = sitemap_class.changefreq
            section = sitemap_class

            def items(self):
                return self.section().queryset().order_by("pk")

            def lastmod(self, item):
                return item.updated_at

        assert Plain().items().exists(), name
        ours = reader.get(f"/sitemap-{name}.xml").content
        django = render_to_string("sitemap.xml", {"urlset": Plain().get_urls(protocol="http")})
        assert _canonical(ours) == _canonical(django.encode()), name


def _canonical(xml: bytes) -> str:
    return ET.canonicalize(xml, strip_text=True)


@pytest.mark.parametrize("section", ["claims", "articles"])
def test_a_section_page_costs_the_same_queries_for_10_and_60_items(
    reader, monkeypatch, section, django_assert_max_num_queries
):
    monkeypatch.setattr(SITEMAPS[section], "limit", 1000)

    def make(n: int) -> None:
        for _ in range(n):
            make_claim() if section == "claims" else make_article()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert reader.get(f"/sitemap-{section}.xml").status_code == 200
            assert reader.get("/sitemap.xml").status_code == 200
        return len(captured)

    make(10)
    few = queries()
    make(50)
    assert queries() == few
    # The index and a page: a count and a MAX() per section, then a count and a slice.
    assert few == 2 * len(SITEMAPS) + 2


def test_robots_txt_keeps_crawlers_out_of_the_desk(reader):
    text = reader.get("/robots.txt").content.decode()
    assert "Disallow: /desk/" in text
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
