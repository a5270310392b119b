"""Absolute URLs never come from the request in cached pages (issue 15, section 4).

With DEBUG off, FACTCHECK_SITE_URL is required (system check, tests/test_settings.py) and
every absolute URL is built on it; with DEBUG on and none set, the request's host is used
and the page cache keys include it. Django's allowed-hosts check ignores the port, so
``Host: localhost:1337`` is accepted wherever ``localhost`` is.
"""

import pytest

from tests.conftest import PUBLISHED_SLUG, SEED_ARTICLE_SLUG

pytestmark = pytest.mark.django_db

SITE = "https://factcheck.example.org"
ODD_HOST = "localhost:1337"
CLAIM_URL = f"/claims/{PUBLISHED_SLUG}/"


@pytest.mark.parametrize(
    "url",
    [
        CLAIM_URL,
        f"/de{CLAIM_URL}",
        "/feeds/claims.atom",
        "/feeds/corrections.atom",
        "/sitemap.xml",
        "/sitemap-claims.xml",
        "/sitemap-articles.xml",
        "/robots.txt",
    ],
)
def test_every_absolute_url_is_on_the_site_url_whatever_the_host(reader, seeded, settings, url):
    settings.FACTCHECK_SITE_URL = SITE
    odd = reader.get(url, HTTP_HOST=ODD_HOST)
    assert odd.status_code == 200
    text = odd.content.decode()
    assert "1337" not in text
    assert SITE in text
    assert "http://localhost" not in text
    assert "http://testserver" not in text
    later = reader.get(url)  # the next visitor, from the cache where there is one
    assert "1337" not in later.content.decode()


def test_the_claim_page_carries_the_site_url_in_canonical_og_and_claimreview(
    reader, seeded, settings
):
    settings.FACTCHECK_SITE_URL = SITE
    page = reader.get(CLAIM_URL, HTTP_HOST=ODD_HOST).content.decode()
    expected = f"{SITE}{CLAIM_URL}"
    assert f'<link rel="canonical" href="{expected}">' in page
    assert f'<meta property="og:url" content="{expected}">' in page
    assert f'"url": "{expected}"' in page  # ClaimReview JSON-LD


def test_with_debug_on_and_no_site_url_the_cache_key_includes_the_host(reader, seeded, settings):
    settings.DEBUG = True
    settings.FACTCHECK_SITE_URL = ""
    odd = reader.get(CLAIM_URL, HTTP_HOST=ODD_HOST)
    assert (odd["X-Cache"], f"http://{ODD_HOST}{CLAIM_URL}" in odd.content.decode()) == (
        "miss",
        True,
    )
    normal = reader.get(CLAIM_URL)
    assert normal["X-Cache"] == "miss"  # not the page made for the other host
    assert ODD_HOST not in normal.content.decode()
    assert f"http://testserver{CLAIM_URL}" in normal.content.decode()
    assert reader.get(CLAIM_URL)["X-Cache"] == "hit"


def test_with_a_site_url_one_page_serves_every_host(reader, seeded, settings):
    settings.FACTCHECK_SITE_URL = SITE
    url = f"/articles/{SEED_ARTICLE_SLUG}/"
    assert reader.get(url, HTTP_HOST=ODD_HOST)["X-Cache"] == "miss"
    assert reader.get(url)["X-Cache"] == "hit"
