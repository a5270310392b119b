"""The verdict card in another site's article, in Chromium: a newsroom site named in
FACTCHECK_FRAME_ANCESTORS shows it; any other site gets nothing (CSP frame-ancestors)."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PUBLISHED_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser_type, browser_type_launch_args):
    """A page of a browser that lets a made-up public site frame the local test server
    (Chromium's local network access checks would block the frame before our CSP)."""
    args = {
        **browser_type_launch_args,
        "args": [
            *browser_type_launch_args.get("args", []),
            "--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessForNavigations",
        ],
    }
    browser = browser_type.launch(**args)
    try:
        yield browser.new_page()
    finally:
        browser.close()


SHOTS = Path("/tmp/shots-share")  # noqa: S108 (screenshots to look at, not secrets)
NEWSROOM = "http://www.newsroom.example"  # http: the live server is http (no mixed content)
OTHER = "http://elsewhere.example"


def _article_with_embed(page: Page, origin: str, html: str) -> None:
    """A page of ``origin`` (served by the browser itself) with the oEmbed html in it."""
    page.route(
        f"{origin}/article",
        lambda route: route.fulfill(
            content_type="text/html",
            body=f"<!doctype html><html lang='de'><title>Artikel</title><main>{html}</main>",
        ),
    )
    page.goto(f"{origin}/article")


def _embed_html(page: Page, site: str, language: str = "") -> str:
    answer = page.request.get(
        f"{site}/oembed", params={"url": f"{site}{language}/claims/{PUBLISHED_SLUG}/"}
    )
    assert answer.ok
    return json.loads(answer.body())["html"]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
@pytest.mark.parametrize("language", ["", "/de"], ids=["en", "de"])
def test_newsroom_site_shows_the_card_and_it_opens_the_claim_in_a_new_tab(
    live_server, seeded, settings, page: Page, width, language
):
    settings.FACTCHECK_FRAME_ANCESTORS = [NEWSROOM]
    settings.FACTCHECK_SITE_URL = live_server.url
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 900})
    html = _embed_html(page, live_server.url, language)
    _article_with_embed(page, NEWSROOM, html)
    card = page.frame_locator("iframe")
    expect(card.get_by_role("heading", level=1)).to_have_text(
        "Seit dem Waffenstillstand von 1953 herrscht formal noch Kriegszustand"
    )
    expect(card.get_by_text("Wahr" if language else "True", exact=True)).to_be_visible()
    more = card.get_by_role(
        "link",
        name=re.compile("Den ganzen Faktencheck" if language else "Read the full fact-check"),
    )
    expect(more).to_have_attribute("target", "_blank")
    with page.context.expect_page() as opened:
        more.click()
    claim_page = opened.value
    claim_page.wait_for_load_state()
    assert claim_page.url == f"{live_server.url}{language}/claims/{PUBLISHED_SLUG}/"
    name = f"card-{language.strip('/') or 'en'}-{width}.png"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


def test_other_sites_cannot_frame_the_card(live_server, seeded, settings, page: Page):
    settings.FACTCHECK_FRAME_ANCESTORS = [NEWSROOM]
    settings.FACTCHECK_SITE_URL = live_server.url
    html = _embed_html(page, live_server.url)
    blocked = []
    page.on("console", lambda message: blocked.append(message.text))
    _article_with_embed(page, OTHER, html)
    page.wait_for_load_state("load")
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", level=1)).to_have_count(0)
    assert any("frame-ancestors" in text for text in blocked), blocked
