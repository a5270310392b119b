"""The API's interactive documentation (/api/docs) works in a browser under the site's
strict CSP, from the installed package's files only, and is accessible; a request tried
from it reaches the API."""

import pytest
from playwright.sync_api import Page, expect

from tests.test_browser_a11y import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_the_api_under_the_csp(live_server, seeded, page: Page):
    problems, requests = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(live_server.url + "/api/docs")
    expect(page.get_by_role("heading", name="Factcheck API")).to_be_visible()
    claims = page.get_by_text("/api/v1/claims", exact=True).first
    expect(claims).to_be_visible()
    claims.click()  # open the operation
    # Opened ready to try (tryItOutEnabled): the parameters are editable at once.
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_contain_text(
        "200"
    )
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert all(url.startswith(live_server.url) for url in requests), requests  # no CDN
    assert serious_violations(page) == []
