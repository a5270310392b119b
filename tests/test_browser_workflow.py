"""The whole editorial journey in Chromium, with two people at two browsers: an editor
marks and researches a claim and sends it to review; a reviewer asks for changes; the
editor fixes it; the reviewer approves and publishes; a reader sees it highlighted."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from claims.models import Claim
from tests.conftest import SEED_ARTICLE_SLUG
from tests.test_browser_desk import _open_seed_article, drag_select, mark_claim, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSAGE = "seit mehr als einem Jahr keine Atomwaffen und Raketen mehr getestet"
CLAIM_TEXT = "Nordkorea testet seit über einem Jahr keine Atomwaffen"


def test_editor_and_reviewer_take_a_claim_from_marking_to_publication(
    live_server, seeded, editor, reviewer, page: Page, browser: Browser, console_errors
):
    base = live_server.url
    # The editor marks and researches the claim, then sends it to review.
    sign_in(page, base, "editor")
    _open_seed_article(page, base)
    drag_select(page, PASSAGE)
    mark_claim(page)
    page.get_by_label("Claim as reviewed").fill(CLAIM_TEXT)
    page.get_by_label("Claimant", exact=True).fill("Donald Trump")
    page.get_by_label("Rating").select_option(label="True")
    page.get_by_label("Conclusion").fill("Stimmt: letzter Test im November 2017.")
    page.get_by_role("button", name="Add source").click()
    page.get_by_label(re.compile(r"^\s*URL\s*\*?\s*$")).fill("https://www.ctbto.org/")
    page.get_by_label(re.compile(r"^\s*Title\s*\*?\s*$")).fill("CTBTO: DPRK tests")
    page.get_by_label(re.compile(r"^\s*Kind")).select_option(label="Dataset")
    page.get_by_label(re.compile(r"^\s*Stance")).select_option(label="Supports")
    page.get_by_role("button", name="Save claim").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.get_by_role("button", name="Send to review").click()
    expect(page.get_by_role("status").filter(has_text="Sent to review.")).to_be_visible()
    claim = Claim.objects.get(claim_reviewed=CLAIM_TEXT)
    assert claim.status == Claim.Status.IN_REVIEW

    # The reviewer, at another browser, finds it in the queue and asks for changes.
    reviewer_context = browser.new_context()
    review = reviewer_context.new_page()
    sign_in(review, base, "reviewer")
    expect(review.get_by_role("link", name=re.compile(r"^Review queue \d"))).to_contain_text(
        "2"
    )  # with the demo claim in review
    review.get_by_role("link", name=re.compile(r"^Review queue \d")).click()
    review.get_by_role("link", name=CLAIM_TEXT).click()
    expect(
        review.get_by_role("heading", name="Changes since the last review round")
    ).to_be_visible()
    review.get_by_label("Comment for the editor").fill("Bitte das genaue Datum nennen.")
    review.get_by_role("button", name="Request changes").click()
    expect(review.get_by_role("status").filter(has_text="Changes requested.")).to_be_visible()

    # The editor sees the request in the notifications, fixes the claim and resubmits.
    page.goto(base + "/desk/")
    page.get_by_role("link", name=re.compile("Notifications")).click()
    expect(page.get_by_text("Bitte das genaue Datum nennen.")).to_be_visible()
    page.get_by_role("link", name=CLAIM_TEXT).click()
    # From the review screen, the passage's article opens the workspace with the panel.
    page.get_by_role("link", name=re.compile("Trump dämpft Erwartungen")).first.click()
    expect(page.get_by_role("heading", name=re.compile("^Claim"))).to_be_visible()
    page.get_by_label("Conclusion").fill("Stimmt: letzter Test am 29. November 2017.")
    page.get_by_role("button", name="Save claim").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.get_by_role("button", name="Send to review").click()
    expect(page.get_by_role("status").filter(has_text="Sent to review.")).to_be_visible()

    # The reviewer sees what changed, and approves and publishes in one click.
    review.reload()
    review.get_by_role("link", name=re.compile(r"^Review queue \d")).click()
    review.get_by_role("link", name=CLAIM_TEXT).click()
    expect(review.locator("ins.diff-ins").first).to_contain_text("29")
    expect(review.get_by_role("button", name="Approve", exact=True)).to_have_count(0)
    review.get_by_role("button", name="Approve and publish").click()
    expect(review.get_by_role("status").filter(has_text="Approved and published.")).to_be_visible()
    reviewer_context.close()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED

    # A reader, signed in as nobody, sees it highlighted on the article page.
    reader_context = browser.new_context()
    reader = reader_context.new_page()
    reader.goto(f"{base}/articles/{SEED_ARTICLE_SLUG}/")
    highlight = reader.locator("mark.claim-mark", has_text="keine Atomwaffen und Raketen")
    expect(highlight.first).to_be_visible()
    expect(reader.get_by_role("link", name=re.compile(CLAIM_TEXT)).first).to_be_attached()
    reader_context.close()
    assert console_errors == []


LINKED = "USA und Nordkorea könnten Koreakrieg offiziell beenden"
ARMISTICE_CLAIM = "Seit dem Waffenstillstand von 1953 herrscht formal noch Kriegszustand"


def test_a_new_appearance_of_a_published_claim_reaches_readers_after_a_second_look(
    live_server, seeded, editor, reviewer, page: Page, browser: Browser, console_errors
):
    """Issue #15: the editor links a passage to a published claim; it waits in the review
    queue, readers do not see it; a reviewer approves it and readers do."""
    base = live_server.url
    sign_in(page, base, "editor")
    _open_seed_article(page, base)
    drag_select(page, LINKED)
    page.get_by_role("button", name="Link to existing claim").click()
    page.get_by_label("Search claims").fill("Waffenstillstand")
    page.locator("#link-results li", has_text=ARMISTICE_CLAIM).get_by_role(
        "button", name=re.compile("^Link to this claim")
    ).click()
    expect(
        page.get_by_role("status").filter(
            has_text="Passage linked. Readers see it once a reviewer approves it."
        )
    ).to_be_visible()
    panel = page.locator("#claim-panel")
    expect(panel.get_by_text("Waiting for review").first).to_be_visible()
    expect(page.locator("mark.claim-waiting", has_text="Koreakrieg")).to_have_count(1)

    reader_context = browser.new_context()
    reader = reader_context.new_page()
    article_url = f"{base}/articles/{SEED_ARTICLE_SLUG}/"
    reader.goto(article_url)
    expect(reader.locator("mark.claim-mark", has_text="Koreakrieg")).to_have_count(0)

    reviewer_context = browser.new_context()
    review = reviewer_context.new_page()
    sign_in(review, base, "reviewer")
    review.get_by_role("link", name=re.compile(r"^Review queue \d")).click()
    row = review.locator("tr", has_text=LINKED)
    expect(row).to_contain_text("New appearance")
    expect(row).to_contain_text("editor")
    row.get_by_role("button", name="Approve the appearance").click()
    expect(
        review.get_by_role("status").filter(has_text="Approved: readers now see the change.")
    ).to_be_visible()
    expect(review.locator("tr", has_text=LINKED)).to_have_count(0)
    reviewer_context.close()

    reader_context.close()  # a new reader (the browser may keep the page for a minute)
    reader_context = browser.new_context()
    reader = reader_context.new_page()
    reader.goto(article_url)
    expect(reader.locator("mark.claim-mark", has_text="Koreakrieg").first).to_be_visible()
    reader_context.close()
    assert console_errors == []
