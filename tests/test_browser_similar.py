"""The similar claims shown before a duplicate is marked, in the browser: by mouse and by
keyboard, linking the passage to one of them, and no serious accessibility violation."""

import re

import pytest
from playwright.sync_api import Page, expect

from claims.models import Claim, Mention
from tests.test_browser_a11y import serious_violations
from tests.test_browser_desk import PASSAGE, _open_seed_article, drag_select, htmx_ready, sign_in

pytestmark = pytest.mark.browser

SIMILAR = re.compile(r"^\d+ similar claims? already exists?$")


@pytest.fixture
def desk(live_server, seeded, editor, page: Page):
    return live_server.url


def test_marking_a_repeat_shows_similar_claims_and_links_the_passage_to_one(
    desk, page: Page, console_errors
):
    claims_before = Claim.objects.count()
    sign_in(page, desk, "editor")
    _open_seed_article(page, desk)
    drag_select(page, PASSAGE)
    page.get_by_role("button", name="Mark claim").click()
    heading = page.get_by_role("heading", name=SIMILAR)
    expect(heading).to_be_visible()
    expect(heading).to_be_focused()
    panel = page.locator("#claim-panel")
    expect(panel.locator("mark").first).to_be_visible()  # the shared words
    expect(page.get_by_role("button", name="Mark as a new claim anyway")).to_be_visible()
    assert Claim.objects.count() == claims_before  # nothing made yet
    assert serious_violations(page) == []
    first = panel.locator(".similar-claim").first
    claim_pk = int(first.get_attribute("id").rsplit("-", 1)[1])
    first.get_by_role("button", name=re.compile("^Link the passage to this claim")).click()
    expect(page.locator("#claim-panel[data-claim]")).to_have_attribute("data-claim", str(claim_pk))
    assert Claim.objects.count() == claims_before
    assert Mention.objects.filter(claim_id=claim_pk, exact=PASSAGE).exists()
    assert console_errors == []


def test_by_keyboard_m_shows_the_similar_claims_and_enter_marks_a_new_one(
    desk, page: Page, console_errors
):
    claims_before = Claim.objects.count()
    sign_in(page, desk, "editor")
    _open_seed_article(page, desk)
    drag_select(page, PASSAGE)
    page.keyboard.press("m")
    heading = page.get_by_role("heading", name=SIMILAR)
    expect(heading).to_be_focused()
    htmx_ready(page, "#mark-new-claim-button")
    page.get_by_role("button", name="Mark as a new claim anyway").focus()
    page.keyboard.press("Enter")
    field = page.get_by_label("Claim as reviewed")
    expect(field).to_be_focused()
    expect(field).to_have_value(PASSAGE)
    assert Claim.objects.count() == claims_before + 1
    assert console_errors == []
