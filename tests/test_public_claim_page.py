"""The claim page leads with its verdict; the newsroom's brand; the rating colours' contrast."""

import datetime
import re

import lxml.html
import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from claims.models import Claim, Correction, Rating, Review
from claims.models.ratings import contrast_ratio, text_colour_on
from tests.conftest import PUBLISHED_SLUG
from tests.factories import add_source, make_claim

pytestmark = pytest.mark.django_db

CLAIM_URL = f"/claims/{PUBLISHED_SLUG}/"


def _main(html: str):
    return lxml.html.fromstring(html).xpath("//main")[0]


def _text(element) -> str:
    return " ".join(element.text_content().split())


def test_the_claim_is_the_heading_and_the_verdict_comes_before_the_explanation(reader, seeded):
    main = _main(reader.get(CLAIM_URL).content.decode())
    headings = main.xpath(".//h1|.//h2|.//h3")
    assert headings[0].tag == "h1"
    assert (
        _text(headings[0])
        == "Seit dem Waffenstillstand von 1953 herrscht formal noch Kriegszustand"
    )
    order = [_text(h) for h in headings]
    assert order[1] == "Our verdict: True"
    # Verdict, then explanation and evidence, then appearances, then the review details.
    names = ["Our verdict: True", "Explanation", "Sources", "Where this claim appears"]
    assert [order.index(name) for name in names] == sorted(order.index(name) for name in names)
    assert order[-1] == "About this fact-check"
    # The conclusion and the claimant follow the verdict block, before the explanation.
    body = _text(main)
    verdict = body.index("Our verdict")
    conclusion = body.index("Conclusion: Stimmt: Der Koreakrieg endete 1953")
    origin = body.index("Claimed by Autoren des Artikels on Feb. 28, 2019 in")
    assert verdict < conclusion < origin < body.index("Explanation")
    # The conclusion is in full-strength text, not the pale secondary colour.
    [paragraph] = main.xpath(".//p[contains(@class, 'claim-conclusion')]")
    assert "text-body-secondary" not in paragraph.get("class")
    assert "lead" not in paragraph.get("class").split()


def test_the_scale_graphic_shows_where_the_rating_sits_with_a_text_alternative(reader, seeded):
    claim = Claim.objects.get(slug=PUBLISHED_SLUG)
    claim.rating = Rating.objects.get(slug="mostly-true")
    claim.save()
    for prefix, words in [
        ("", "Mostly true: step 2 of 6 on our scale from True to False"),
        ("/de", "Überwiegend wahr: Stufe 2 von 6 auf unserer Skala von Wahr bis Falsch"),
    ]:
        main = _main(reader.get(prefix + CLAIM_URL).content.decode())
        [svg] = main.xpath(".//section[@id='verdict']//svg")
        assert svg.get("role") == "img"
        [title] = svg.xpath("./title")
        assert svg.get("aria-labelledby") == title.get("id")
        assert title.text == words
        steps = svg.xpath("./rect")
        assert len(steps) == 7  # every rating of the scale, "Unproven" set apart
        current = [rect for rect in steps if "scale-current" in rect.get("class")]
        assert [rect.get("class").split()[-1] for rect in current] == ["rating-mostly-true"]
        assert steps.index(current[0]) == 1
        # Coordinates are plain numbers, whatever the page's language ("12.5", not "12,5").
        assert all(re.fullmatch(r"\d+(\.\d+)?", rect.get("x")) for rect in steps)
        assert "style" not in lxml.html.tostring(svg).decode()  # the CSP forbids inline styles


def test_a_rating_off_the_true_false_axis_says_so(reader, seeded):
    claim = Claim.objects.get(slug=PUBLISHED_SLUG)
    claim.rating = Rating.objects.get(slug="unproven")
    claim.save()
    html = reader.get(CLAIM_URL).content.decode()
    assert (
        '<title id="verdict-scale-title">Unproven: not on our scale from True to False</title>'
        in html
    )


def test_an_unrated_claim_says_so_without_a_scale(reader, seeded):
    claim = make_claim(claim_reviewed="Ohne Bewertung")
    main = _main(reader.get(claim.get_absolute_url()).content.decode())
    [block] = main.xpath(".//section[@id='verdict']")
    assert _text(block) == "Our verdict: Not rated"
    assert not block.xpath(".//svg")


@pytest.mark.parametrize(
    ("prefix", "chips"),
    [
        (
            "",
            [
                "Primary source: the document itself",
                "Supports the claim",
                "Contradicts the claim",
                "Data: figures from a dataset",
                "Background: gives context",
            ],
        ),
        (
            "/de",
            [
                "Primärquelle: das Dokument selbst",
                "Stützt die Behauptung",
                "Widerspricht der Behauptung",
                "Daten: Zahlen aus einem Datensatz",
                "Hintergrund: liefert Kontext",
            ],
        ),
    ],
)
def test_source_chips_speak_plain_words(reader, seeded, prefix, chips):
    claim = Claim.objects.get(slug=PUBLISHED_SLUG)
    add_source(
        claim,
        url="https://example.org/data",
        title="Zahlen",
        kind="dataset",
        stance="refutes",
        position=9,
    )
    main = _main(reader.get(prefix + CLAIM_URL).content.decode())
    shown = [_text(chip) for chip in main.xpath(".//span[contains(@class, 'source-chip')]")]
    assert set(chips) <= set(shown)
    # Every source link is marked so that print shows its address after it.
    links = main.xpath(".//section[contains(@class, 'claim-sources')]//a[@class='source-link']")
    assert len(links) == 3


def _about_dates(reader) -> dict[str, str]:
    main = _main(reader.get(CLAIM_URL).content.decode())
    [about] = main.xpath(".//section[@aria-labelledby='review-heading']")
    labels = [_text(dt) for dt in about.xpath(".//dt")]
    dates = [dd.xpath(".//time/@datetime")[0] for dd in about.xpath(".//dd")]
    return dict(zip(labels, dates, strict=True))


def test_review_dates_agree_with_the_publication(reader, seeded, reviewer):
    """The review details come after the evidence and date the fact-check by its
    publication, its last public correction and its last approval, which precedes them."""
    claim = Claim.objects.get(slug=PUBLISHED_SLUG)
    approved = claim.published_at - datetime.timedelta(hours=2)
    review = Review.objects.create(
        claim=claim, reviewer=reviewer, decision="approve", claim_version=claim.version
    )
    Review.objects.filter(pk=review.pk).update(created_at=approved)
    dates = _about_dates(reader)
    assert list(dates) == ["Published", "Review"]
    assert dates["Published"] == timezone.localtime(claim.published_at).isoformat()
    assert dates["Review"] == timezone.localtime(approved).isoformat()
    assert dates["Review"] <= dates["Published"]
    correction = Correction.objects.create(
        claim=claim,
        kind="update",
        note="Quelle ergänzt.",
        status="published",
        published_at=timezone.now(),
    )
    dates = _about_dates(reader)
    assert list(dates) == ["Published", "Last updated", "Review"]
    assert dates["Last updated"] == timezone.localtime(correction.published_at).isoformat()
    assert dates["Published"] < dates["Last updated"]


def test_the_stylesheet_prints_source_addresses_and_hides_navigation():
    from pathlib import Path

    css = (Path(__file__).parent.parent / "static" / "css" / "factcheck.css").read_text()
    printing = css[css.index("@media print") :]
    assert 'a.source-link[href]::after {\n    content: " (" attr(href) ")";' in printing
    assert ".navbar-nav" in printing
    assert "footer" in printing


def test_the_stylesheet_s_blocks_are_closed_and_screen_rules_stay_out_of_print():
    """A lost brace puts every rule after it inside the block before (it happened once:
    the embeddable card and the paragraph roles ended up inside ``@media print``)."""
    from pathlib import Path

    css = (Path(__file__).parent.parent / "static" / "css" / "factcheck.css").read_text()
    depth, inside = 0, {}
    for line in css.splitlines():
        for selector in (".claim-card-page {", ".article-text .article-subheading {"):
            if line.startswith(selector):
                inside[selector] = depth
        depth += line.count("{") - line.count("}")
        assert depth >= 0
    assert depth == 0
    assert inside == {".claim-card-page {": 0, ".article-text .article-subheading {": 0}


# --- The brand ----------------------------------------------------------------------------
def test_header_shows_the_logo_and_short_name(reader, seeded, settings):
    settings.FACTCHECK_ORGANIZATION_NAME = "Beispiel Faktencheck-Redaktion"
    settings.FACTCHECK_ORGANIZATION_SHORT_NAME = "BFR"
    html = reader.get(CLAIM_URL).content.decode()
    [brand] = lxml.html.fromstring(html).xpath("//header//a[contains(@class, 'navbar-brand')]")
    [logo] = brand.xpath("./span[@role='img']")
    assert logo.get("aria-label") == "Beispiel Faktencheck-Redaktion"
    assert _text(brand) == "BFR"
    assert "data:" not in html  # the logo comes with the stylesheet, not in the page


def test_the_generated_stylesheet_carries_brand_colour_and_logo(reader, settings):
    settings.FACTCHECK_BRAND_COLOR = "#ffcc00"
    css = reader.get("/ratings.css").content.decode()
    assert ":root { --brand-colour: #ffcc00; --brand-text: #000000; }" in css
    assert re.search(
        r"\.brand-logo \{ width: 32px; height: 32px; background-image: "
        r'url\("data:image/png;base64,[A-Za-z0-9+/=]+"\); \}',
        css,
    )


def test_claimreview_author_has_the_logo(reader, seeded, settings):
    settings.FACTCHECK_SITE_URL = "https://factcheck.example.org"
    settings.FACTCHECK_BRAND_LOGO = "favicon.svg"
    html = reader.get(CLAIM_URL).content.decode()
    assert (
        '"logo": {"@type": "ImageObject", "url": "https://factcheck.example.org/static/favicon.svg"}'
        in html
    )


# --- Contrast of the rating scale ---------------------------------------------------------
def test_every_seeded_rating_label_reaches_wcag_aa(reader, seeded):
    css = reader.get("/ratings.css").content.decode()
    ratings = list(Rating.objects.all())
    assert len(ratings) == 7
    for rating in ratings:
        # The colours the site really serves for this rating's badge and verdict label.
        served = re.search(
            rf"\.{rating.css_class} \{{ --rating-colour: (#[0-9a-f]{{6}}); "
            rf"--rating-text: (#[0-9a-f]{{6}}); \}}",
            css,
        )
        background, text = served.groups()
        assert background == rating.colour
        assert contrast_ratio(text, background) >= 4.5, rating.label


def _mix_with_white(colour: str, share: float) -> str:
    """CSS color-mix(in srgb, colour share, #fff)."""
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c * share + 255 * (1 - share)):02x}" for c in channels)


@given(st.from_regex(r"\A#[0-9a-f]{6}\Z"))
def test_whatever_colour_an_admin_enters_the_text_on_it_reaches_aa(colour):
    assert contrast_ratio(text_colour_on(colour), colour) >= 4.5
    assert Rating(colour=colour).text_colour == text_colour_on(colour)
    # The verdict block's own text (body colour) on its 9 % tint of the rating colour.
    assert contrast_ratio("#212529", _mix_with_white(colour, 0.09)) >= 4.5


def test_contrast_ratio_matches_known_values():
    assert round(contrast_ratio("#000000", "#ffffff"), 2) == 21.0
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54
    assert contrast_ratio("#1a7f37", "#ffffff") == contrast_ratio("#ffffff", "#1a7f37")
