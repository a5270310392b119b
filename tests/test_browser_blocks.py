"""The article's own structure in the browser: the demo article's sub-headings are headings
for readers (both languages, both widths), and an editor changes a paragraph's role with
the keyboard."""

import pytest
from playwright.sync_api import Page, expect

from claims.models import Article
from tests.conftest import SEED_ARTICLE_SLUG
from tests.test_browser_desk import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = [
    "USA und Nordkorea könnten Koreakrieg offiziell beenden",
    'Ein Verbindungsbüro wäre eine "großartige Sache"',
]


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
@pytest.mark.parametrize("language", ["", "/de"])
def test_seed_subheadings_are_h2_headings(
    live_server, seeded, page: Page, language, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}{language}/articles/{SEED_ARTICLE_SLUG}/")
    for name in HEADINGS:
        expect(page.get_by_role("heading", name=name, level=2)).to_be_visible()
    # The article's title stays the page's one h1, above them.
    expect(page.get_by_role("heading", level=1)).to_have_count(1)


def test_editor_changes_a_role_with_the_keyboard(live_server, seeded, editor, page: Page):
    article = Article.objects.get(slug=SEED_ARTICLE_SLUG)
    sign_in(page, live_server.url, "editor")
    page.goto(f"{live_server.url}/desk/articles/{article.pk}/")
    summary = page.get_by_text("Paragraph roles: sub-headings, lists, quotes")
    summary.focus()
    page.keyboard.press("Enter")  # unfold the list by keyboard
    select = page.get_by_role("combobox", name="Role of paragraph 2")
    select.focus()
    select.select_option(label="Block quote")  # what arrow keys do in a closed select
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Set: Role of paragraph 2")).to_be_focused()
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("status").filter(has_text="Paragraph 2 is now: Block quote.")
    ).to_be_visible()
    expect(page.locator("#block-1")).to_have_class("desk-block block-quote")
    article.current_revision.refresh_from_db()
    assert article.current_revision.roles()[1] == "quote"
    assert article.revisions.count() == 1
    # Readers see it at once (the page cache was invalidated).
    page.goto(f"{live_server.url}/articles/{SEED_ARTICLE_SLUG}/")
    expect(page.locator("blockquote.article-quote")).to_have_count(1)
