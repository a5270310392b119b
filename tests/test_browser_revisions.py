"""An editor gives the demo article its publisher's new text and checks the passages the
re-anchoring moved, in Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from claims.models import Mention
from tests.conftest import SEED_TEXT
from tests.test_browser_desk import _open_seed_article, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_updates_the_text_and_confirms_a_reworded_passage(
    live_server, seeded, editor, page: Page, console_errors
):
    base = live_server.url
    sign_in(page, base, "editor")
    _open_seed_article(page, base)
    page.get_by_role("link", name="Update the text").click()
    new_text = SEED_TEXT.replace("völkerrechtlicher Sicht", "völkerrechtlicher Perspektive")
    page.get_by_label(re.compile(r"^\s*New text")).fill(new_text)
    page.get_by_role("button", name="Save as a new revision").click()
    expect(
        page.get_by_role("heading", name="Passages to check after the text changed")
    ).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Revision 2 saved.")).to_be_visible()
    card = page.get_by_role("region", name=re.compile("Waffenstillstand von 1953"))
    expect(card.get_by_text("Quoted text changed")).to_be_visible()
    expect(card.locator("blockquote mark").first).to_contain_text("völkerrechtlicher Sicht")
    expect(card.locator("blockquote mark").last).to_contain_text("völkerrechtlicher Perspektive")
    card.get_by_role("button", name="Confirm the new place").click()
    expect(page.get_by_text("Every passage is in place.")).to_be_visible()
    mention = Mention.objects.get(claim__slug="waffenstillstand-1953-kriegszustand")
    assert mention.anchor == Mention.Anchor.ANCHORED
    assert "Perspektive" in mention.exact
    # The workspace shows the new text with the passage marked.
    page.get_by_role("link", name="Back to the text").click()
    expect(page.locator("mark.claim-mark", has_text="Perspektive").first).to_be_visible()
    assert console_errors == []
