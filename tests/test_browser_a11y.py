"""Accessibility: axe-core finds no serious or critical violations on the public pages and
on every desk page, in English and German."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page

from claims.models import Article, ArticleImport, Claim, Webhook, WebhookDelivery
from claims.tokens import issue_token
from tests.conftest import DRAFT_SLUG, PASSWORD, PUBLISHED_SLUG, SEED_ARTICLE_SLUG
from tests.test_browser_desk import SIGN_IN, sign_in
from tests.test_browser_two_factor import app_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def serious_violations(page: Page) -> list[str]:
    # Evaluated through the DevTools protocol: the page's own strict CSP (rightly) refuses
    # injected <script> tags, and the test must not weaken it.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("async () => await axe.run(document)")
    assert len(result["passes"]) > 10  # axe really ran its rules
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


PUBLIC_PAGES = [
    "/",
    f"/articles/{SEED_ARTICLE_SLUG}/",
    f"/claims/{PUBLISHED_SLUG}/",
    "/claims/",
    "/claims/?q=Nordkorea",
    "/articles/",
    "/corrections/",
    "/methodology/",
    "/corrections-policy/",
    "/tips/new/",
    f"/claims/{PUBLISHED_SLUG}/report/",
    f"/claims/{PUBLISHED_SLUG}/card/",  # the verdict card for other sites' iframes
]


@pytest.mark.parametrize("language", ["", "/de"], ids=["en", "de"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_serious_accessibility_violations(
    live_server, seeded, page, path, language
):
    assert Claim.objects.published().exists()
    page.goto(live_server.url + language + path)
    assert serious_violations(page) == []


def test_withdrawn_article_page_has_no_serious_accessibility_violations(
    live_server, seeded, reviewer, page
):
    article = Article.objects.get(slug=SEED_ARTICLE_SLUG)
    article.unpublish(by=reviewer, reason="Test")
    for language in ("", "/de"):
        response = page.goto(f"{live_server.url}{language}/articles/{article.slug}/")
        assert response.status == 410
        assert serious_violations(page) == []


def _desk_pages() -> list[tuple[str, str]]:
    """(name, path) of every desk page a journey visits, with the demo's objects."""
    article = Article.objects.get(slug=SEED_ARTICLE_SLUG)
    draft = Claim.objects.get(slug=DRAFT_SLUG)
    published = Claim.objects.get(slug=PUBLISHED_SLUG)
    reviewer = get_user_model().objects.get(username="reviewer")
    ready = ArticleImport.objects.create(
        requested_by=reviewer,
        url="https://example.org/artikel",
        status="ready",
        title="Ein Artikel",
        text="Erster Absatz.\n\nZweiter Absatz.",
        final_url="https://example.org/artikel",
        notices=["Von der Webseite wurde nur der Artikel übernommen."],
    )
    failed = ArticleImport.objects.create(
        requested_by=reviewer, url="https://example.org/weg", status="failed", error="404."
    )
    queued = ArticleImport.objects.create(
        requested_by=reviewer, url="https://example.org/bald", status="queued"
    )
    issue_token(reviewer, "CMS", ["read:desk"], timedelta(days=30))
    webhook = Webhook.objects.create(
        owner=reviewer, url="https://cms.example.org/hook", events=["claim.published"]
    )
    WebhookDelivery.objects.create(
        webhook=webhook,
        event="claim.published",
        payload={},
        status="delivered",
        attempts=1,
        last_status_code=200,
        last_response="ok",
    )
    return [
        ("dashboard", "/desk/"),
        ("claims by status", "/desk/claims/?status=published"),
        ("new article", "/desk/articles/new/"),
        ("workspace", f"/desk/articles/{article.pk}/"),
        ("workspace with the panel open", f"/desk/articles/{article.pk}/claims/{draft.pk}/"),
        ("article details", f"/desk/articles/{article.pk}/edit/"),
        ("update the text", f"/desk/articles/{article.pk}/revise/"),
        ("revisions", f"/desk/articles/{article.pk}/revisions/"),
        ("anchors", f"/desk/articles/{article.pk}/anchors/"),
        ("review queue", "/desk/review/"),
        ("review screen", f"/desk/claims/{published.pk}/"),
        ("review screen, reason form open", f"/desk/claims/{published.pk}/?open=reason"),
        ("timeline", f"/desk/claims/{published.pk}/history/"),
        ("notifications", "/desk/notifications/"),
        ("your account", "/desk/account/"),
        ("change your password", "/desk/account/password/"),
        ("set up two-factor sign-in", "/desk/account/two-factor/setup/"),
        ("email notifications", "/desk/account/email/"),
        ("import, queued", f"/desk/imports/{queued.pk}/"),
        ("import, ready to check", f"/desk/imports/{ready.pk}/"),
        ("import, failed", f"/desk/imports/{failed.pk}/"),
        ("unreachable sources", "/desk/sources/unreachable/"),
        ("API tokens", "/desk/account/tokens/"),
        ("webhooks", "/desk/webhooks/"),
        ("a webhook and its deliveries", f"/desk/webhooks/{webhook.pk}/"),
        ("export claims", "/desk/claims/export/"),
    ]


@pytest.mark.parametrize("language", ["", "/de"], ids=["en", "de"])
def test_desk_pages_have_no_serious_accessibility_violations(
    live_server, seeded, reviewer, page, language
):
    sign_in(page, live_server.url, "reviewer")
    found = {}
    for name, path in _desk_pages():
        response = page.goto(live_server.url + language + path)
        assert response.status == 200, (name, response.status)
        if "panel" in name:
            page.locator("#claim-panel form").first.wait_for()
        if name == "workspace":  # with the unpublish form unfolded
            page.locator("#article-state summary").click()
            page.locator("#article-unpublish-form").wait_for()
        violations = serious_violations(page)
        if violations:
            found[name] = violations
    assert found == {}


@pytest.mark.parametrize("language", ["", "/de"], ids=["en", "de"])
def test_desk_pages_of_an_unpublished_article_have_no_serious_violations(
    live_server, seeded, reviewer, page, language
):
    """The workspace's unpublished notice and the dashboard's list of published claims
    whose article readers cannot see."""
    article = Article.objects.get(slug=SEED_ARTICLE_SLUG)
    article.unpublish(by=reviewer, reason="Rechtliche Prüfung")
    sign_in(page, live_server.url, "reviewer")
    page.goto(f"{live_server.url}{language}/desk/")
    assert page.locator("#stranded-claims li").count() > 0
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}{language}/desk/articles/{article.pk}/")
    assert "Rechtliche Prüfung" in page.locator("#article-state").inner_text()
    assert serious_violations(page) == []


@pytest.mark.parametrize("language", ["", "/de"], ids=["en", "de"])
def test_sign_in_security_pages_have_no_serious_accessibility_violations(
    live_server, editor, page, language, settings
):
    """Recovery codes, removing the second factor, the code step and the lockout page."""
    base = live_server.url + language
    user_label, password_label, button = SIGN_IN[language]

    def password_step(password: str) -> None:
        page.goto(base + "/desk/login/")
        page.get_by_label(user_label).fill("editor")
        page.get_by_label(password_label).fill(password)
        page.get_by_role("button", name=button).click()

    found = {}
    password_step(PASSWORD)
    page.goto(base + "/desk/password-reset/")  # forgot the password
    assert serious_violations(page) == []
    page.goto(base + "/desk/password-reset/sent/")
    assert serious_violations(page) == []
    page.goto(base + "/desk/password-reset/MQ/set-password/")  # a link no longer valid
    assert serious_violations(page) == []
    page.goto(base + "/desk/account/two-factor/setup/")
    key = page.locator("#manual-key").inner_text()
    page.locator("input[name=code]").fill(app_code(key))
    page.locator("main button[type=submit]").click()
    page.locator("#recovery-codes").wait_for()
    found["recovery codes"] = serious_violations(page)
    page.goto(base + "/desk/account/two-factor/remove/")
    found["remove two-factor sign-in"] = serious_violations(page)

    page.context.clear_cookies()
    password_step(PASSWORD)
    page.locator("input[name=code]").wait_for()
    assert "/desk/login/code/" in page.url
    found["code step"] = serious_violations(page)

    page.context.clear_cookies()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        password_step("not the password")
    page.locator("#lockout-message").wait_for()
    found["lockout"] = serious_violations(page)
    assert {name: v for name, v in found.items() if v} == {}
