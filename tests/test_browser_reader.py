"""A reader's journey in Chromium: from the home page to a verdict and back, in two languages."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import SEED_ARTICLE_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def site(live_server, seeded):
    return live_server.url


def test_reader_follows_a_highlight_to_its_verdict(site, page: Page, console_errors):
    page.set_viewport_size(PHONE)  # the popover; wide screens show the margin cards
    page.goto(site + "/")
    page.get_by_role("link", name=re.compile("Trump dämpft Erwartungen")).first.click()
    expect(page).to_have_url(re.compile(f"/articles/{SEED_ARTICLE_SLUG}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ich bin in keiner Eile")

    highlights = page.locator("mark.claim-mark")
    expect(highlights).to_have_count(5)
    # The verdict is written out, and announced with its label.
    expect(page.get_by_role("link", name="Verdict: True")).to_have_count(4)

    page.get_by_role("link", name=re.compile("Trotz des Waffenstillstands von 1953")).click()
    popover = page.locator(".claim-popover:popover-open")
    expect(popover).to_have_count(1)
    expect(popover).to_contain_text("True")
    expect(popover).to_contain_text("ein Friedensvertrag wurde nie geschlossen")
    popover.get_by_role("link", name="Read the fact-check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Seit dem Waffenstillstand von 1953 herrscht formal noch Kriegszustand"
    )
    expect(page.get_by_text("Conclusion:")).to_be_visible()
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    assert console_errors == []  # no CSP violation, no script error


def test_reader_opens_the_1953_claim_by_keyboard(site, page: Page, console_errors):
    page.set_viewport_size(PHONE)
    page.goto(site + f"/articles/{SEED_ARTICLE_SLUG}/")
    target = page.get_by_role("link", name=re.compile("Trotz des Waffenstillstands von 1953"))
    for _ in range(40):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("the 1953 claim's highlight could not be reached with the Tab key")
    page.keyboard.press("Enter")
    popover = page.locator(".claim-popover:popover-open")
    expect(popover).to_contain_text("True")
    read = popover.get_by_role("link", name="Read the fact-check")
    expect(read).to_be_focused()
    page.keyboard.press("Escape")
    expect(popover).to_have_count(0)
    expect(target).to_be_focused()  # back where the reader was
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # on "Read the fact-check"
    expect(page).to_have_url(re.compile(r"/claims/waffenstillstand-1953-kriegszustand/$"))
    expect(page.get_by_role("region", name="Our verdict: True")).to_be_visible()
    assert console_errors == []


def test_without_javascript_a_highlight_leads_to_the_claims_list(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + f"/articles/{SEED_ARTICLE_SLUG}/")
    page.get_by_role("link", name=re.compile("Trotz des Waffenstillstands von 1953")).click()
    expect(page).to_have_url(re.compile("#claim-waffenstillstand-1953-kriegszustand$"))
    item = page.locator("#claim-waffenstillstand-1953-kriegszustand")
    expect(item).to_contain_text("True")
    item.get_by_role("link", name=re.compile("Seit dem Waffenstillstand")).click()
    expect(page).to_have_url(re.compile(r"/claims/waffenstillstand-1953-kriegszustand/$"))
    context.close()


def test_reader_switches_to_german(site, page: Page, console_errors):
    page.goto(site + f"/articles/{SEED_ARTICLE_SLUG}/")
    page.get_by_role("link", name="Deutsch").click()
    expect(page).to_have_url(re.compile(f"/de/articles/{SEED_ARTICLE_SLUG}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("link", name="Zum Hauptinhalt springen")).to_be_attached()
    expect(page.get_by_role("link", name="Urteil: Wahr")).to_have_count(4)
    assert console_errors == []
