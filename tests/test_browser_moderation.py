"""A reader reports an error, a moderator resolves it in the admin, in Chromium (issue #6)."""

import re

import pytest
from playwright.sync_api import Page, expect

from claims.models import ErrorReport, Tip
from tests.conftest import PASSWORD, PUBLISHED_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MESSAGE = "Die Markierung umfasst den falschen Satz: gemeint ist der zweite Absatz."
NOTE = "Stimmt, Markierung wird korrigiert."


@pytest.fixture
def site(live_server, seeded):
    return live_server.url


def _errors(page: Page) -> list[str]:
    """Script errors, CSP violations and failed requests (but the admin's favicon, which
    the browser asks for on its own)."""
    errors: list[str] = []

    def console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def response(response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            errors.append(f"{response.status} {response.url}")

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", response)
    return errors


def test_reader_reports_and_a_moderator_resolves_it_in_the_admin(
    site, page: Page, browser, moderator
):
    # The reader, on the 1953 armistice claim.
    page.goto(site + f"/claims/{PUBLISHED_SLUG}/")
    page.get_by_role("link", name="Report an error").click()
    page.get_by_role("radio", name="Wrong passage marked").check()
    page.get_by_label("Tell us more").fill(MESSAGE)
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    report = ErrorReport.objects.get()
    assert report.status == ErrorReport.Status.NEW

    # The moderator, in a browser of their own.
    context = browser.new_context()
    admin = context.new_page()
    errors = _errors(admin)
    admin.goto(site + "/admin/")
    admin.get_by_label("Username").fill("moderator")
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Site administration")
    waiting = admin.get_by_role("table", name="Waiting for moderation")
    expect(waiting.get_by_role("row", name="New error reports")).to_contain_text("1")

    waiting.get_by_role("link", name="New error reports").click()
    expect(admin).to_have_url(re.compile(r"/admin/claims/errorreport/\?status__exact=new$"))
    expect(admin.get_by_text("1 new item waiting for moderation")).to_be_visible()
    row = admin.get_by_role("row").filter(has_text="Wrong passage marked")
    expect(row).to_contain_text("Seit dem Waffenstillstand von 1953")
    row.get_by_role("link", name=re.compile("^Die Markierung umfasst")).click()

    expect(admin.get_by_role("heading", level=1)).to_have_text("Change error report")
    expect(admin.get_by_text(MESSAGE)).to_be_visible()
    admin.get_by_label("Status").select_option(label="Accepted")
    admin.get_by_label("Moderator note").fill(NOTE)
    admin.get_by_role("button", name="Save", exact=True).click()

    expect(admin.get_by_text("was changed successfully")).to_be_visible()
    # Back on the list of new reports, which is empty now; all reports show the resolution.
    expect(admin.get_by_text("0 new items waiting for moderation")).to_be_visible()
    # No whole-table count on this list ("N total"): the search bar's "Show all" link.
    admin.get_by_role("link", name="Show all").click()
    row = admin.get_by_role("row").filter(has_text="Wrong passage marked")
    expect(row).to_contain_text("Accepted")
    expect(row).to_contain_text("moderator")
    assert errors == []
    context.close()

    report.refresh_from_db()
    assert report.status == ErrorReport.Status.ACCEPTED
    assert report.moderator_note == NOTE
    assert report.handled_by == moderator
    assert report.history.first().history_user == moderator


def test_moderator_turns_a_tip_into_a_draft_claim_from_its_page(
    site, page: Page, moderator, editor
):
    tip = Tip.objects.create(claim_text="Der Mond ist aus Käse.", language="de")
    errors = _errors(page)
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(site + f"/admin/claims/tip/{tip.pk}/change/")
    page.get_by_label("Action").select_option(label="Turn into a draft claim…")
    page.get_by_role("button", name="Run").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Turn tips into draft claims")
    page.get_by_label("Assign to").select_option(label="editor")
    page.get_by_role("button", name="Create draft claims").click()
    expect(page.get_by_text("created and assigned to editor")).to_be_visible()
    tip.refresh_from_db()
    assert tip.claim.assignee == editor
    assert tip.claim.status == "draft"
    # Back on the tip, which now names its claim and is accepted.
    expect(page.get_by_label("Resulting claim")).to_have_value(str(tip.claim_id))
    expect(page.get_by_role("group", name="Moderation")).to_contain_text("Der Mond ist aus Käse.")
    expect(page.get_by_label("Status")).to_have_value("accepted")
    assert errors == []
