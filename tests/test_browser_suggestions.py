"""In Chromium: an editor loads a German article that repeats the demo's 1953 armistice
claim in other words; once the background analysis ran, the workspace suggests the
published fact-check, N goes to the sentence, A links it, and the new appearance waits
for a reviewer. N / Shift+N also visit the hints and say why; axe finds nothing serious."""

import re

import pytest
from playwright.sync_api import Page, expect

from claims.models import Article, Claim, Mention, TextAnalysis
from tests.conftest import PUBLISHED_SLUG
from tests.helpers import run_tasks
from tests.test_browser_a11y import serious_violations
from tests.test_browser_desk import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPEAT = (
    "Formal befinden sich beide Koreas seit dem Waffenstillstand von 1953 noch immer im "
    "Kriegszustand."
)
HINTED = "Die Preise für Reis stiegen 2023 um 40 Prozent, so stark wie nie, sagte Lena Brandt."
TEXT = (
    "Der Gipfel in Hanoi endete ohne Einigung.\n\n"
    f"{REPEAT} Beobachter zeigten sich enttäuscht.\n\n"
    f"{HINTED} Das Wetter in Hanoi war mild."
)


def _load_article(page: Page, base: str, language: str) -> Article:
    """Paste the article on the desk's new-article page; the workspace opens."""
    labels = {
        "/de": ("Titel", "Text", "Artikel laden"),
        "": ("Title", "Text", "Load article"),
    }[language]
    page.goto(base + language + "/desk/articles/new/")
    page.get_by_label(labels[0], exact=True).fill("Koreas ohne Frieden")
    page.get_by_label(labels[1], exact=True).fill(TEXT)
    page.get_by_role("button", name=labels[2]).click()
    expect(page.locator("#article-text")).to_contain_text("Waffenstillstand von 1953")
    return Article.objects.get(title="Koreas ohne Frieden")


def _analysed(page: Page, article: Article, waiting: str) -> None:
    """Run the queued analysis; the page shows its result by polling, not reloading."""
    expect(page.get_by_text(waiting)).to_be_visible()
    page.evaluate("() => { window.notReloaded = true; }")
    assert run_tasks() >= 1
    assert TextAnalysis.objects.get(revision=article.current_revision).status == "done"


def test_an_editor_links_a_repeated_claim_with_one_key(live_server, seeded, editor, page: Page):
    published = Claim.objects.get(slug=PUBLISHED_SLUG)
    sign_in(page, live_server.url, "editor", "/de")
    article = _load_article(page, live_server.url, "/de")
    text_before = page.locator("#article-text").inner_html()
    _analysed(page, article, "Der Text wird mit früheren Faktenchecks abgeglichen …")

    sidebar = page.get_by_role("region", name="Bereits geprüft")
    expect(
        sidebar.get_by_text(re.compile(r"Mit \d+ veröffentlichten Faktenchecks"))
    ).to_be_visible(timeout=10_000)
    expect(sidebar.get_by_role("link", name=published.claim_reviewed)).to_be_visible()
    expect(sidebar.locator("mark", has_text="Waffenstillstand")).to_be_visible()
    assert page.evaluate("() => window.notReloaded") is True
    # The text's DOM is untouched: the hints and suggestions are drawn over it.
    assert page.locator("#article-text").inner_html() == text_before
    page.wait_for_function("() => CSS.highlights.get('already-checked')?.size === 1")
    assert page.evaluate("() => CSS.highlights.get('worth-checking').size") >= 1

    status = page.locator("#desk-status")
    page.locator("body").focus()
    for _ in range(4):
        page.keyboard.press("n")
        if "Bereits geprüft:" in status.inner_text():
            break
    expect(status).to_contain_text(f"Bereits geprüft: „{published.claim_reviewed}“")
    expect(status).to_contain_text("Drücken Sie A")
    assert page.evaluate("() => window.getSelection().toString()") == REPEAT
    expect(page.locator("#toolbar-reason")).to_contain_text("Bereits geprüft:")
    expect(page.get_by_role("button", name="Behauptung markieren")).to_be_visible()

    page.keyboard.press("a")
    expect(status).to_contain_text(re.compile(r"verknüpft"))
    panel = page.locator("#claim-panel")
    expect(panel).to_contain_text(published.claim_reviewed)
    expect(panel.get_by_text("Wartet auf Prüfung · neue Fundstelle")).to_be_visible()
    expect(sidebar.get_by_role("button", name="Als Fundstelle verknüpfen")).to_have_count(0)
    mention = Mention.objects.get(claim=published, revision=article.current_revision)
    assert mention.awaiting == Mention.Awaiting.ADDITION
    assert (mention.exact, mention.created_by) == (REPEAT, editor)
    page.wait_for_function("() => CSS.highlights.get('already-checked').size === 0")
    assert page.evaluate("() => window.notReloaded") is True


def test_n_and_shift_n_announce_why_a_sentence_is_worth_checking(
    live_server, seeded, editor, page: Page
):
    sign_in(page, live_server.url, "editor")
    article = _load_article(page, live_server.url, "")
    _analysed(page, article, "Comparing the text with earlier fact-checks…")
    expect(page.get_by_text(re.compile(r"sentences? worth checking — press N"))).to_be_visible(
        timeout=10_000
    )
    status = page.locator("#desk-status")
    page.locator("body").focus()
    page.keyboard.press("n")  # the first in text order: the sentence already checked
    expect(status).to_contain_text("Already checked:")
    page.keyboard.press("n")
    expect(status).to_have_text(
        "Worth checking: number + date + comparison + statistics, attributed to Lena Brandt"
    )
    assert page.evaluate("() => window.getSelection().toString()") == HINTED
    expect(page.locator("#toolbar-reason")).to_have_text(status.inner_text())
    page.keyboard.press("Shift+N")  # back to the one before
    expect(status).to_contain_text("Already checked:")
    assert page.evaluate("() => window.getSelection().toString()") == REPEAT
    page.keyboard.press("n")
    expect(status).to_contain_text("Worth checking:")
    assert not Claim.objects.filter(claim_reviewed=HINTED).exists()  # only a suggestion
    page.keyboard.press("m")  # the editor marks it: M works as after S
    expect(status).to_contain_text("Claim marked.")
    expect(page.get_by_label("Claim as reviewed")).to_have_value(HINTED)


@pytest.mark.parametrize("language", ["", "/de"], ids=["en", "de"])
def test_the_workspace_with_hints_and_suggestions_has_no_serious_accessibility_violations(
    live_server, seeded, editor, page: Page, language
):
    sign_in(page, live_server.url, "editor", language)
    article = _load_article(page, live_server.url, language)
    assert run_tasks() >= 1
    page.reload()
    expect(page.locator("#suggestions li")).to_have_count(1)
    assert article.current_revision.analysis.hints
    page.locator("body").focus()
    page.keyboard.press("n")  # the toolbar open with its reason
    expect(page.locator("#toolbar-reason")).to_be_visible()
    assert serious_violations(page) == []
