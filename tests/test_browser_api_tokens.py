"""An editor makes an API token in Chromium, copies it with the Copy button (a static
script under the site's CSP) and never sees it again."""

import pytest
from playwright.sync_api import Page, expect

from claims import tokens
from claims.models import ApiToken
from tests.test_browser_desk import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_makes_copies_and_revokes_a_token(live_server, editor, page: Page, console_errors):
    base = live_server.url
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    sign_in(page, base, "editor")
    page.goto(base + "/desk/account/")
    page.get_by_role("link", name="Manage your API tokens").click()
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()

    page.get_by_label("Name").fill("CMS production")
    page.get_by_label("Read the desk").check()
    page.get_by_label("Expires after").select_option("30")
    page.get_by_role("button", name="Make the token").click()

    expect(page.get_by_text("Copy it now: it will not be shown again.")).to_be_visible()
    field = page.get_by_role("textbox", name="Your new token")
    raw = field.input_value()
    assert tokens.authenticate(raw).name == "CMS production"
    page.get_by_role("button", name="Copy", exact=True).click()
    expect(page.locator("#new-token-copied")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == raw

    page.goto(base + "/desk/account/tokens/")
    expect(page.get_by_role("cell", name="CMS production", exact=True)).to_be_visible()
    assert raw not in page.content()
    page.get_by_role("link", name="Revoke CMS production").click()
    page.get_by_role("button", name="Revoke the token").click()
    expect(page.get_by_text("is revoked: it no longer works.")).to_be_visible()
    assert ApiToken.objects.get().revoked_at is not None
    assert console_errors == []
