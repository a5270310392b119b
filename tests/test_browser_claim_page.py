"""The claim page in Chromium, in English and German, on a desktop and a phone: the claim is
the first heading, the verdict block comes first and is in view at once, axe finds nothing
serious."""

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PUBLISHED_SLUG
from tests.test_browser_a11y import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLAIM = "Seit dem Waffenstillstand von 1953 herrscht formal noch Kriegszustand"
WORDS = {
    "": {
        "verdict": "Our verdict: True",
        "explanation": "Explanation",
        "sources": "Sources",
        "scale": "True: step 1 of 6 on our scale from True to False",
    },
    "/de": {
        "verdict": "Unser Urteil: Wahr",
        "explanation": "Begründung",
        "sources": "Quellen",
        "scale": "Wahr: Stufe 1 von 6 auf unserer Skala von Wahr bis Falsch",
    },
}


@pytest.mark.parametrize("size", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
@pytest.mark.parametrize("language", ["", "/de"], ids=["en", "de"])
def test_claim_page_leads_with_its_verdict(
    live_server, seeded, page: Page, console_errors, language, size
):
    words = WORDS[language]
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{live_server.url}{language}/claims/{PUBLISHED_SLUG}/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading").first).to_have_text(CLAIM)
    expect(page.get_by_role("heading", level=1)).to_have_text(CLAIM)

    verdict = main.get_by_role("region", name=words["verdict"])
    expect(verdict).to_be_visible()
    scale = verdict.get_by_role("img", name=words["scale"])
    expect(scale).to_be_visible()
    explanation = main.get_by_role("heading", name=words["explanation"])
    sources = main.get_by_role("heading", name=words["sources"])
    verdict_box, explanation_box = verdict.bounding_box(), explanation.bounding_box()
    assert verdict_box["y"] + verdict_box["height"] <= explanation_box["y"]
    assert explanation_box["y"] < sources.bounding_box()["y"]
    # Seen at once: the verdict's label and scale are inside the first screen, phone too.
    label = verdict.get_by_role("heading", name=words["verdict"])
    assert label.bounding_box()["y"] + label.bounding_box()["height"] <= size[1]
    assert scale.bounding_box()["y"] + scale.bounding_box()["height"] <= size[1]
    # The block uses the width it has on a phone, and never more.
    assert verdict_box["x"] >= 0
    assert verdict_box["x"] + verdict_box["width"] <= size[0]

    # The header: the logo named by the organisation, the brand colour as the accent.
    brand = page.get_by_role("banner").get_by_role("img", name="Factcheck Desk")
    expect(brand).to_be_visible()
    assert brand.bounding_box()["height"] == 32
    accent = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).borderTopColor"
    )
    assert accent == "rgb(31, 78, 121)"  # FACTCHECK_BRAND_COLOR's default, #1f4e79

    assert serious_violations(page) == []
    assert console_errors == []  # no CSP violation, no failed request


def test_printed_claim_page_shows_source_addresses_and_no_navigation(
    live_server, seeded, page: Page
):
    page.goto(f"{live_server.url}/claims/{PUBLISHED_SLUG}/")
    page.emulate_media(media="print")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Search")
    ).to_be_hidden()
    expect(page.get_by_role("link", name="Report an error")).to_be_hidden()
    link = page.get_by_role("link", name="Korean Armistice Agreement")
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert after == '" (https://en.wikipedia.org/wiki/Korean_Armistice_Agreement)"'
    # Links that are not sources print as they are.
    other = page.get_by_role(
        "link", name="„Ich bin in keiner Eile“ – Trump dämpft Erwartungen an Nordkoreas Abrüstung"
    ).first
    assert other.evaluate("a => getComputedStyle(a, '::after').content") == "none"
    expect(page.get_by_role("region", name="Our verdict: True")).to_be_visible()
