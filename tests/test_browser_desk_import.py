"""An editor loads an article from a web address in Chromium: the desk answers at once,
shows the import waiting, and the preview appears by itself once the task has run."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from claims.models import Article, ArticleImport
from tests.helpers import run_tasks
from tests.test_browser_desk import sign_in
from tests.webserver import PageServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = (Path(__file__).parent / "fixtures" / "dw.com.colonial.html").read_bytes()


def test_the_preview_appears_without_a_reload_once_the_task_ran(
    live_server, editor, page: Page, settings
):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    with PageServer() as site:
        site.page("/article", PAGE)
        sign_in(page, live_server.url, "editor", "/de")
        page.goto(live_server.url + "/de/desk/articles/new/")
        page.get_by_label("… oder von einer Webadresse abrufen").fill(site.url("/article"))
        page.get_by_role("button", name="Artikel laden").click()

        progress = page.get_by_role("status").filter(has_text="In der Warteschlange")
        expect(progress).to_be_visible()
        assert site.requests == []  # the desk answered without fetching
        page.evaluate("() => { window.notReloaded = true; }")

        assert run_tasks() == 1  # the worker's turn, here in the test's thread
        title = ArticleImport.objects.get().title
        expect(page.get_by_role("status").filter(has_text="Bereit zur Durchsicht")).to_be_visible()
        expect(page.get_by_label("Titel")).to_have_value(title)
        assert page.evaluate("() => window.notReloaded") is True  # polled, not reloaded

        page.get_by_role("button", name="Artikel laden").click()
        expect(page.locator("#article-text")).to_be_visible()
        article = Article.objects.get()
        assert article.original_url == site.url("/article")
        assert article.current_revision.origin == "url"
        assert ArticleImport.objects.get().article == article
