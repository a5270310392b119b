"""A reader's journey in Chromium: from the home page to a verdict and back, in two languages."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import SEED_ARTICLE_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, seeded):
    return live_server.url


def test_reader_follows_a_highlight_to_its_verdict(site, page: Page, console_errors):
    page.goto(site + "/")
    page.get_by_role("link", name=re.compile("Trump dämpft Erwartungen")).click()
    expect(page).to_have_url(re.compile(f"/articles/{SEED_ARTICLE_SLUG}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ich bin in keiner Eile")

    highlights = page.locator("mark.claim-mark")
    expect(highlights).to_have_count(4)
    # The verdict is written out, and announced with its label.
    expect(page.get_by_role("link", name="Verdict: True")).to_have_count(4)

    page.get_by_role("link", name=re.compile("Trotz des Waffenstillstands von 1953")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Seit dem Waffenstillstand von 1953 herrscht formal noch Kriegszustand"
    )
    expect(page.get_by_text("Conclusion:")).to_be_visible()
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    assert console_errors == []  # no CSP violation, no script error


def test_highlights_are_reachable_by_keyboard(site, page: Page):
    page.goto(site + f"/articles/{SEED_ARTICLE_SLUG}/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.closest('mark') !== null")
        if focused:
            break
    assert focused, "no highlighted claim could be reached with the Tab key"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/claims/[\w-]+/$"))


def test_reader_switches_to_german(site, page: Page, console_errors):
    page.goto(site + f"/articles/{SEED_ARTICLE_SLUG}/")
    page.get_by_role("link", name="Deutsch").click()
    expect(page).to_have_url(re.compile(f"/de/articles/{SEED_ARTICLE_SLUG}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("link", name="Zum Hauptinhalt springen")).to_be_attached()
    expect(page.get_by_role("link", name="Urteil: True")).to_have_count(4)
    assert console_errors == []
