"""An editor sets up two-factor sign-in and signs in with a code, in Chromium."""

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.test_browser_desk import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(key_text: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed from the page."""
    key = key_text.replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    return f"{totp(secret, t0=-30 * steps_ahead):06d}"


def test_editor_sets_up_two_factor_sign_in_and_signs_in_with_a_code(
    live_server, editor, page: Page, console_errors
):
    base = live_server.url
    sign_in(page, base, "editor")
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", name="Your account", level=1)).to_be_visible()
    page.get_by_role("link", name="Set up two-factor sign-in").click()

    qr = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.naturalWidth") > 100  # the data: image really drew
    key = page.locator("#manual-key").inner_text()
    page.get_by_label("Code from the app").fill(app_code(key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    page.get_by_role("link", name="I have saved them — continue").click()
    expect(page.get_by_role("heading", name="Desk", level=1)).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.goto(base + "/desk/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your code")).to_be_visible()
    # Nothing of the desk before the code.
    page.goto(base + "/desk/claims/")
    expect(page.get_by_role("heading", name="Your code")).to_be_visible()
    page.get_by_label("Code").fill(app_code(key, steps_ahead=1))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/desk/claims/$"))
    expect(page.get_by_role("link", name="Your account")).to_be_visible()
    assert console_errors == []
