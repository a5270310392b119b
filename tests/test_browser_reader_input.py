"""Readers report an error and suggest a claim, in Chromium (issue #6)."""

import re

import pytest
from playwright.sync_api import Page, expect

from claims.models import ErrorReport, Tip
from tests.conftest import PUBLISHED_SLUG
from tests.test_browser_a11y import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MESSAGE = "Der Waffenstillstand ist korrekt beschrieben, aber die Quelle 2 fehlt. 🙏 «شكرا»"


@pytest.fixture
def site(live_server, seeded):
    return live_server.url


def test_reader_reports_an_error_on_the_1953_claim(site, page: Page, console_errors):
    page.goto(site + f"/claims/{PUBLISHED_SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Waffenstillstand von 1953")
    page.get_by_role("link", name="Report an error").click()
    expect(page).to_have_url(re.compile(rf"/claims/{PUBLISHED_SLUG}/report/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Report an error")
    # The honeypot is not there for people: not in the accessibility tree.
    expect(page.get_by_role("textbox", name="Leave this field empty")).to_have_count(0)

    page.get_by_role("radio", name="Source broken or wrong").check()
    page.get_by_label("Tell us more").fill(MESSAGE)
    page.get_by_label("Your email address (optional)").fill("leserin@example.org")
    page.get_by_role("button", name="Send report").click()

    # An email without consent: the form comes back, with everything typed still in it.
    expect(page.get_by_role("alert")).to_contain_text("Tick this box")
    expect(page.get_by_label("Tell us more")).to_have_value(MESSAGE)
    expect(page.get_by_role("radio", name="Source broken or wrong")).to_be_checked()
    assert ErrorReport.objects.count() == 0

    page.get_by_label("You may write to me at this address").check()
    page.get_by_role("button", name="Send report").click()
    # Address and consent given: the thanks page may promise an answer.
    expect(page).to_have_url(re.compile(rf"/claims/{PUBLISHED_SLUG}/report/thanks/\?reply=1$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")

    report = ErrorReport.objects.get()
    assert report.claim.slug == PUBLISHED_SLUG
    assert report.reason == ErrorReport.Reason.SOURCE_PROBLEM
    assert report.message == MESSAGE
    assert report.email == "leserin@example.org"
    assert len(report.client_hash) == 64
    assert "127.0.0.1" not in report.client_hash

    page.get_by_role("link", name="Back to the fact-check").click()
    expect(page).to_have_url(re.compile(rf"/claims/{PUBLISHED_SLUG}/$"))
    # The reader saw a 422 on the way, which the console records; nothing else failed.
    assert [e for e in console_errors if "422" not in e] == []


def test_keyboard_skips_the_honeypot(site, page: Page):
    page.goto(site + "/tips/new/")
    page.get_by_label("You may write to me at this address").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Send suggestion")).to_be_focused()


def test_reader_suggests_a_claim_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/")
    page.get_by_role("link", name="Suggest a claim").click()
    expect(page).to_have_url(re.compile(r"/tips/new/$"))
    page.get_by_label("The claim, as you saw or heard it").fill("Die Erde ist eine Scheibe.")
    page.get_by_label("Link to where you saw it").fill("https://example.org/video")
    page.get_by_role("button", name="Send suggestion").click()
    expect(page).to_have_url(re.compile(r"/tips/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    context.close()
    tip = Tip.objects.get()
    assert tip.claim_text == "Die Erde ist eine Scheibe."
    assert tip.seen_at_url == "https://example.org/video"


@pytest.mark.parametrize("path", ["/tips/new/", f"/claims/{PUBLISHED_SLUG}/report/"])
def test_reader_forms_have_no_serious_accessibility_violations(site, page: Page, path):
    page.goto(site + path)
    assert serious_violations(page) == []
    # With the browser's own checks off, the server's error summary and messages.
    page.evaluate("document.querySelector('form').noValidate = true")
    page.get_by_role("button", name=re.compile("^Send")).click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert serious_violations(page) == []
