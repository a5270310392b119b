"""Pictures that travel: the share image (og:image), the verdict card for other sites'
iframes and the oEmbed endpoint (claims/views/embed.py, claims/share/image.py)."""

import io
import json
import re
from html import unescape

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from PIL import Image, ImageChops

from claims.models import Claim, Rating
from claims.share.image import fit, font, wrap
from tests.conftest import DRAFT_SLUG, PUBLISHED_SLUG
from tests.factories import make_claim, make_rating

pytestmark = pytest.mark.django_db

SITE = "https://factcheck.example.org"


def _meta(html: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    assert match, f"no {key} in the page"
    return unescape(match.group(1))


def _path(url: str) -> str:
    return url.removeprefix(SITE).removeprefix("http://testserver")


def _image_path(reader, page: str) -> str:
    return _path(_meta(reader.get(page).content.decode(), "og:image"))


# --- The share image ------------------------------------------------------------------


@override_settings(FACTCHECK_SITE_URL=SITE)
def test_claim_page_names_its_share_image_with_size_alt_and_large_card(reader, seeded):
    html = reader.get(f"/claims/{PUBLISHED_SLUG}/").content.decode()
    image = _meta(html, "og:image")
    assert image.startswith(f"{SITE}/claims/{PUBLISHED_SLUG}/share-")
    assert image.endswith(".png")
    assert _meta(html, "twitter:image") == image
    assert _meta(html, "og:image:width") == "1200"
    assert _meta(html, "og:image:height") == "630"
    assert _meta(html, "twitter:card") == "summary_large_image"
    assert html.count('name="twitter:card"') == 1
    claim = Claim.objects.get(slug=PUBLISHED_SLUG)
    alt = _meta(html, "og:image:alt")
    assert claim.claim_reviewed in alt
    assert "Verdict: True" in alt
    assert _meta(html, "twitter:image:alt") == alt
    german = reader.get(f"/de/claims/{PUBLISHED_SLUG}/").content.decode()
    assert "Urteil: Wahr" in _meta(german, "og:image:alt")
    # The German page shows the German image: another drawing, another address.
    assert _meta(german, "og:image") != image
    assert "/de/claims/" in _meta(german, "og:image")


def test_share_image_is_a_1200_by_630_png_cached_for_long_without_cookies(reader, seeded):
    path = _image_path(reader, f"/claims/{PUBLISHED_SLUG}/")
    response = reader.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "max-age=31536000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    assert not response.cookies
    assert "Set-Cookie" not in response
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    assert image.size == (1200, 630)


def test_share_image_pixels_and_address_change_with_the_verdict(reader, seeded):
    claim = Claim.objects.get(slug=PUBLISHED_SLUG)
    before_path = _image_path(reader, claim.get_absolute_url())
    before = Image.open(io.BytesIO(reader.get(before_path).content)).convert("RGB")
    claim.rating = Rating.objects.get(slug="false")
    claim.version += 1
    claim.save()
    after_path = _image_path(reader, claim.get_absolute_url())
    assert after_path != before_path
    after = Image.open(io.BytesIO(reader.get(after_path).content)).convert("RGB")
    assert after.size == before.size
    difference = ImageChops.difference(before, after).getbbox()
    assert difference is not None  # the verdict's colour and label were drawn anew
    # The old address leads to the current image, never to the old picture.
    old = reader.get(before_path)
    assert old.status_code == 302
    assert old["Location"] == after_path
    assert "max-age=300" in old["Cache-Control"]


def test_share_image_address_changes_when_the_rating_scale_changes(reader, seeded):
    claim = Claim.objects.get(slug=PUBLISHED_SLUG)
    before = _image_path(reader, claim.get_absolute_url())
    rating = claim.rating
    rating.colour = "#123456"
    rating.save()
    recoloured = _image_path(reader, claim.get_absolute_url())
    assert recoloured != before
    rating.label = "Correct"
    rating.save()
    assert _image_path(reader, claim.get_absolute_url()) not in (before, recoloured)


def test_share_image_address_changes_after_a_correction_of_the_claim(reader, seeded):
    claim = Claim.objects.get(slug=PUBLISHED_SLUG)
    before = _image_path(reader, claim.get_absolute_url())
    claim.claim_reviewed += " (korrigiert)"
    claim.version += 1
    claim.save()
    after = _image_path(reader, claim.get_absolute_url())
    assert after != before
    assert reader.get(after).status_code == 200


def test_share_image_of_a_draft_or_unknown_claim_is_404(reader, seeded):
    published = _image_path(reader, f"/claims/{PUBLISHED_SLUG}/")
    key = published.rsplit("share-", 1)[1]
    assert reader.get(f"/claims/{DRAFT_SLUG}/share-{key}").status_code == 404
    assert reader.get(f"/claims/no-such-claim/share-{key}").status_code == 404


def test_share_image_queries_are_constant_and_the_png_is_reused(reader, seeded):
    path = _image_path(reader, f"/claims/{PUBLISHED_SLUG}/")
    with CaptureQueriesContext(connection) as first:
        reader.get(path)
    with CaptureQueriesContext(connection) as second:
        reader.get(path)
    assert len(first) == len(second) == 1


def test_share_image_draws_long_german_claims_and_missing_ratings(reader):
    rating = make_rating("Mostly false", value=2, label_de="Größtenteils falsch", colour="#fd7e14")
    claim = make_claim(
        rating=rating,
        language="de",
        claimant="Donaudampfschifffahrtsgesellschaftskapitänswitwe",
        claim_reviewed=(
            "Die Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt"
            " hat laut Bundesverfassungsgerichts-Urteil drei Milliarden Euro ausgegeben, "
            "ohne dass es jemand merkte, und das schon seit zwölf Jahren in jedem Quartal" * 2
        )[: Claim._meta.get_field("claim_reviewed").max_length],  # as long as a claim may be
    )
    response = reader.get(_image_path(reader, "/de" + claim.get_absolute_url()))
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)
    unrated = make_claim(rating=None)
    response = reader.get(_image_path(reader, unrated.get_absolute_url()))
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)


# --- Wrapping -------------------------------------------------------------------------


def test_a_long_german_compound_wraps_with_hyphens_inside_the_box():
    face = font(56, bold=True)
    width = 600
    text = (
        "Die Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt "
        "zahlt laut Bundesverfassungsgerichts-Urteil keine Grundstücksverkehrsgenehmigungen"
    )
    lines = wrap(text, face, width)
    assert len(lines) > 3
    assert all(face.getlength(line) <= width for line in lines)
    # Nothing lost or added but the hyphens of the breaks and the spaces between lines.
    assert "".join(lines).replace(" ", "").replace("-", "") == text.replace(" ", "").replace(
        "-", ""
    )
    broken = [line for line in lines if line.endswith("-")]
    assert broken, "the compound wider than the box is broken with a hyphen"
    # The existing hyphen of a compound is a break opportunity without a second hyphen.
    assert not any(line.endswith("--") for line in lines)


def test_wrapping_keeps_letters_with_their_marks():
    face = font(40)
    word = "Bu\u0308rgerversicherungsgesetzesnovellierungsentwurfsbegru\u0308ndung"
    lines = wrap(word, face, 300)
    assert all(face.getlength(line) <= 300 for line in lines)
    assert not any(line.startswith("\u0308") for line in lines)


def test_fit_shrinks_then_cuts_with_an_ellipsis():
    short_face, short = fit("Die Rente ist sicher.", (56, 40), 1000, 3)
    assert short_face.size == 56
    assert short == ["Die Rente ist sicher."]
    face, lines = fit("Wort " * 200, (56, 40), 1000, 3)
    assert face.size == 40
    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert all(face.getlength(line) <= 1000 for line in lines)
    face, lines = fit("Ein Satz mit einigen Wörtern " * 3, (56, 40), 1000, 5, max_height=120)
    assert len(lines) * round(face.size * 1.22) <= 120


# --- The verdict card -----------------------------------------------------------------


@override_settings(FACTCHECK_FRAME_ANCESTORS=["https://www.example.org", "https://*.example.net"])
def test_card_may_be_framed_by_the_newsrooms_sites_only(reader, seeded):
    response = reader.get(f"/claims/{PUBLISHED_SLUG}/card/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    csp = response["Content-Security-Policy"]
    ancestors = re.search(r"frame-ancestors ([^;]*)", csp).group(1).split()
    assert ancestors == ["'self'", "https://www.example.org", "https://*.example.net"]
    # The rest of the policy is the site's own: no inline script or style.
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "Set-Cookie" not in response
    assert not response.cookies
    # Every other page stays unframable.
    page = reader.get(f"/claims/{PUBLISHED_SLUG}/")
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_card_without_the_setting_allows_only_this_site(reader, seeded):
    response = reader.get(f"/claims/{PUBLISHED_SLUG}/card/")
    assert "frame-ancestors 'self';" in response["Content-Security-Policy"] + ";"
    # Served again from the page cache: the same headers.
    again = reader.get(f"/claims/{PUBLISHED_SLUG}/card/")
    assert again["X-Cache"] == "hit"
    assert "X-Frame-Options" not in again
    assert "frame-ancestors 'self'" in again["Content-Security-Policy"]
    assert "Set-Cookie" not in again


def test_card_shows_claim_verdict_and_opens_the_claim_page_in_a_new_tab(reader, seeded):
    claim = Claim.objects.get(slug=PUBLISHED_SLUG)
    html = reader.get(f"/de/claims/{PUBLISHED_SLUG}/card/").content.decode()
    assert claim.claim_reviewed in unescape(html)
    assert "Wahr" in html
    assert "Urteil" in html
    assert 'class="navbar' not in html  # its own minimal page
    links = re.findall(r"<a [^>]*>", html)
    assert links
    assert all('target="_blank"' in a and 'rel="noopener"' in a for a in links)
    assert "<script" not in html
    assert "style=" not in html
    assert 'name="csrfmiddlewaretoken"' not in html


def test_card_of_a_draft_is_404(reader, seeded):
    assert reader.get(f"/claims/{DRAFT_SLUG}/card/").status_code == 404


def test_card_queries_do_not_depend_on_the_claim(reader, seeded):
    rating = Rating.objects.get(slug="false")
    short = make_claim(rating=rating, claimant="A")
    with CaptureQueriesContext(connection) as first:
        reader.get(f"/claims/{short.slug}/card/")
    other = make_claim(rating=None, claimant="", conclusion="Viel Text. " * 20)
    with CaptureQueriesContext(connection) as second:
        reader.get(f"/claims/{other.slug}/card/")
    assert len(first) == len(second)


# --- oEmbed ---------------------------------------------------------------------------


@override_settings(FACTCHECK_SITE_URL=SITE)
def test_claim_page_links_its_oembed_and_the_answer_is_valid_oembed_rich(reader, seeded):
    html = reader.get(f"/claims/{PUBLISHED_SLUG}/").content.decode()
    link = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', html)
    assert link
    response = reader.get(_path(unescape(link.group(1))))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    # Required of every oEmbed 1.0 answer, and of the type "rich".
    assert data["version"] == "1.0"
    assert data["type"] == "rich"
    for field in ("html", "width", "height"):
        assert field in data
    assert isinstance(data["width"], int)
    assert isinstance(data["height"], int)
    assert data["html"].startswith("<iframe ")
    assert data["html"].endswith("</iframe>")
    assert f'src="{SITE}/claims/{PUBLISHED_SLUG}/card/"' in data["html"]
    assert 'title="Fact-check: ' in data["html"]
    claim = Claim.objects.get(slug=PUBLISHED_SLUG)
    assert data["title"] == claim.claim_reviewed
    assert data["provider_name"] == "Factcheck Desk"
    assert data["provider_url"].startswith("https://")
    # The thumbnail is the share image, with its size (all three or none).
    assert data["thumbnail_url"] == _meta(html, "og:image")
    assert (data["thumbnail_width"], data["thumbnail_height"]) == (1200, 630)
    assert "Set-Cookie" not in response


@override_settings(FACTCHECK_SITE_URL=SITE)
def test_oembed_respects_maxwidth_and_speaks_the_urls_language(reader, seeded):
    url = f"{SITE}/de/claims/{PUBLISHED_SLUG}/"
    data = reader.get("/oembed", {"url": url, "maxwidth": "400", "format": "json"}).json()
    assert data["width"] <= 400
    assert f"{SITE}/de/claims/{PUBLISHED_SLUG}/card/" in data["html"]
    assert "Faktencheck: " in data["html"]
    # A thumbnail larger than maxwidth is left out (oEmbed 1.0, 2.3.4).
    assert "thumbnail_url" not in data
    wide = reader.get("/oembed", {"url": url, "maxwidth": "2000"}).json()
    assert wide["thumbnail_width"] == 1200


@override_settings(FACTCHECK_SITE_URL=SITE)
def test_oembed_refuses_bad_requests_clearly(reader, seeded):
    page = f"{SITE}/claims/{PUBLISHED_SLUG}/"
    assert reader.get("/oembed", {"url": page, "format": "xml"}).status_code == 501
    assert reader.get("/oembed").status_code == 400
    for bad in (
        "not a url",
        "javascript:alert(1)",
        f"https://evil.example.com/claims/{PUBLISHED_SLUG}/",
        f"{SITE}/articles/",
        f"{SITE}/desk/",
    ):
        response = reader.get("/oembed", {"url": bad})
        assert response.status_code == 400, bad
        assert response.json()["error"]
    assert reader.get("/oembed", {"url": page, "maxwidth": "-5"}).status_code == 400
    assert reader.get("/oembed", {"url": page, "maxwidth": "abc"}).status_code == 400
    assert reader.get("/oembed", {"url": f"{SITE}/claims/{DRAFT_SLUG}/"}).status_code == 404
    assert reader.get("/oembed", {"url": f"{SITE}/claims/nothing-here/"}).status_code == 404


@override_settings(FACTCHECK_SITE_URL=SITE)
def test_oembed_queries_are_constant(reader, seeded):
    first_claim = Claim.objects.get(slug=PUBLISHED_SLUG)
    other = make_claim(rating=None)
    with CaptureQueriesContext(connection) as first:
        reader.get("/oembed", {"url": SITE + first_claim.get_absolute_url()})
    with CaptureQueriesContext(connection) as second:
        reader.get("/oembed", {"url": SITE + other.get_absolute_url()})
    assert len(first) == len(second) == 1


def test_head_tags_escape_the_claim_once(reader):
    claim = make_claim(claim_reviewed='Er sagte "A & B" <b>laut</b>', rating=make_rating("False"))
    html = reader.get(claim.get_absolute_url()).content.decode()
    alt = re.search(r'<meta property="og:image:alt" content="([^"]*)"', html).group(1)
    assert "&quot;A &amp; B&quot; &lt;b&gt;laut&lt;/b&gt;" in alt
    assert "&amp;amp;" not in html
    assert "<b>laut" not in html
    card = reader.get(f"/claims/{claim.slug}/card/").content.decode()
    assert "<b>laut" not in card
    assert "&lt;b&gt;laut" in card
