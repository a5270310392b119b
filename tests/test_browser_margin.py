"""The annotated article in Chromium: verdict cards in the margin beside their passages on a
desktop, the inline badge and popover on a phone, overlapping claims kept apart; in English
and German."""

import itertools
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import SEED_ARTICLE_SLUG
from tests.factories import make_article, make_claim, make_rating, mark
from tests.test_browser_a11y import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ARMISTICE = "Trotz des Waffenstillstands von 1953"
ARMISTICE_CARD = "#claim-waffenstillstand-1953-kriegszustand"
LANGUAGES = pytest.mark.parametrize("language", ["", "/de"], ids=["en", "de"])


@pytest.fixture
def open_page(browser: Browser, live_server):
    contexts = []

    def open_page(path: str, viewport: dict) -> Page:
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.errors = errors
        page.goto(live_server.url + path)
        return page

    yield open_page
    for context in contexts:
        context.close()


def _passage(page: Page, name: str):
    """The highlighted passage (its <mark>) whose link is named ``name``."""
    link = page.get_by_role("link", name=re.compile(re.escape(name)))
    return link, page.locator("mark.claim-mark").filter(has=link).first


def _level(page: Page, card, passage) -> None:
    # The cards settle after the fonts and a frame: wait until the card is level.
    for _ in range(40):
        card_box, passage_box = card.bounding_box(), passage.bounding_box()
        if abs(card_box["y"] - passage_box["y"]) <= 4:
            break
        page.wait_for_timeout(50)
    assert abs(card_box["y"] - passage_box["y"]) <= 4, (card_box, passage_box)
    assert card_box["x"] > passage_box["x"] + 600  # beside the text, in the right column


@LANGUAGES
def test_desktop_margin_card_is_level_with_its_passage(seeded, open_page, language):
    page = open_page(f"{language}/articles/{SEED_ARTICLE_SLUG}/", DESKTOP)
    link, passage = _passage(page, ARMISTICE)
    card = page.locator(ARMISTICE_CARD)
    expect(card).to_be_visible()
    expect(card).to_contain_text("Wahr" if language else "True")
    expect(card).to_contain_text("ein Friedensvertrag wurde nie geschlossen")
    expect(
        card.get_by_role("link", name=re.compile("Seit dem Waffenstillstand"))
    ).to_have_attribute("href", re.compile(r"/claims/waffenstillstand-1953-kriegszustand/$"))
    _level(page, card, passage)

    # No two cards overlap; they come in the order of the text.
    boxes = [c.bounding_box() for c in page.locator(".verdict-card").all()]
    assert len(boxes) == 5
    for above, below in itertools.pairwise(boxes):
        assert below["y"] >= above["y"] + above["height"], (above, below)

    # Focusing the passage marks its card, and focusing the card marks the passage.
    link.focus()
    expect(card).to_have_class(re.compile(r"\bis-paired\b"))
    expect(page.locator(".verdict-card.is-paired")).to_have_count(1)
    card.get_by_role("link", name=re.compile("Seit dem Waffenstillstand")).focus()
    expect(link).to_have_class(re.compile(r"\bis-paired\b"))
    page.locator(".verdict-card").first.hover()
    expect(link).not_to_have_class(re.compile(r"\bis-paired\b"))
    # The passage is described by its card for screen readers; the card names its passage.
    expect(link).to_have_attribute("aria-describedby", re.compile(r"^card-\d+$"))
    described = page.locator("#" + link.get_attribute("aria-describedby"))
    expect(described).to_contain_text("ein Friedensvertrag wurde nie geschlossen")
    in_text = "Behauptung 4 im Text" if language else "Claim 4 in the text"
    expect(card.get_by_role("link", name=in_text)).to_be_attached()

    # A click on the passage goes to its card (no popover beside the margin notes).
    link.click()
    expect(card).to_be_focused()
    expect(page.locator("#claim-popover:popover-open")).to_have_count(0)
    assert page.errors == []


@LANGUAGES
def test_phone_keeps_the_inline_badge_and_popover(seeded, open_page, language):
    page = open_page(f"{language}/articles/{SEED_ARTICLE_SLUG}/", PHONE)
    verdict = "Urteil: Wahr" if language else "verdict: True"
    # The badges after the passages.
    expect(page.get_by_role("link", name=re.compile(verdict))).to_have_count(4)
    link, _ = _passage(page, ARMISTICE)
    card = page.locator(ARMISTICE_CARD)
    # No margin column: the cards are the list below the text.
    assert (
        card.bounding_box()["y"]
        > page.locator(".article-text").bounding_box()["y"]
        + (page.locator(".article-text").bounding_box()["height"])
    )
    link.click()
    popover = page.locator("#claim-popover:popover-open")
    expect(popover).to_have_count(1)
    expect(popover).to_contain_text("Wahr" if language else "True")
    expect(popover).to_contain_text("ein Friedensvertrag wurde nie geschlossen")
    read = popover.get_by_role(
        "link", name="Zum Faktencheck" if language else "Read the fact-check"
    )
    expect(read).to_be_focused()
    expect(read).to_have_attribute(
        "href", re.compile(r"/claims/waffenstillstand-1953-kriegszustand/$")
    )
    page.keyboard.press("Escape")
    expect(popover).to_have_count(0)
    expect(link).to_be_focused()
    assert page.errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@LANGUAGES
def test_article_page_has_no_serious_accessibility_violations(
    seeded, open_page, language, viewport
):
    page = open_page(f"{language}/articles/{SEED_ARTICLE_SLUG}/", viewport)
    assert serious_violations(page) == []


@pytest.fixture
def overlapping(db):
    false = make_rating(label="False", label_de="Falsch", value=1, slug="false")
    true = make_rating(label="True", label_de="Wahr", value=5, slug="true")
    article = make_article("Alpha beta gamma delta epsilon zeta eta.")
    first, second = (
        make_claim(rating=false, claim_reviewed="First"),
        make_claim(rating=true, claim_reviewed="Second"),
    )
    mark(first, article, 0, 22)  # Alpha beta gamma delta
    mark(second, article, 17, 35)  # delta epsilon zeta
    return article


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@LANGUAGES
def test_overlapping_claims_show_both_extents_and_verdicts(
    overlapping, open_page, language, viewport
):
    page = open_page(language + overlapping.get_absolute_url(), viewport)
    marks = page.locator(".article-text mark.claim-mark")
    expect(marks).to_have_count(3)  # "Alpha beta gamma ", "delta", " epsilon zeta"
    # Each claim keeps its own underline (lane) across its whole extent.
    expect(marks.nth(0)).to_have_class(re.compile(r"\blane-1\b"))
    expect(marks.nth(1)).to_have_class(re.compile(r"\blane-1 lane-2\b"))
    expect(marks.nth(2)).to_have_class(re.compile(r"\blane-2\b"))
    expect(marks.nth(2)).not_to_have_class(re.compile(r"\blane-1\b"))
    # Both verdicts are written out, numbered, after the overlapping stretch: never inside a
    # passage.
    false, true = ("Falsch", "Wahr") if language else ("False", "True")
    claim = "Behauptung" if language else "Claim"
    badges = page.locator(".article-text a.rating-badge")
    expect(badges).to_have_count(2)
    expect(badges.nth(0)).to_contain_text(false)
    expect(badges.nth(1)).to_contain_text(true)
    for badge in badges.all():
        expect(badge.locator("xpath=ancestor::mark")).to_have_count(0)
    after_last = marks.nth(2).evaluate(
        "m => [m.nextElementSibling.className, m.nextElementSibling.nextElementSibling.className]"
    )
    assert [name.split()[0] for name in after_last] == ["rating-badge", "rating-badge"]
    # Screen readers hear which claim starts and which ends, in the text's order.
    hidden = page.locator(".article-text .visually-hidden").all_inner_texts()
    ends = "endet, Urteil" if language else "ends, verdict"
    starts = "beginnt" if language else "starts"
    assert [h.strip() for h in hidden[:4]] == [
        f"{claim} 1 {starts}:",
        f"{claim} 2 {starts}:",
        f"{claim} 1 {ends}: {false}.",
        f"{claim} 2 {ends}: {true}.",
    ]
    # Both cards, numbered like the text.
    cards = page.locator(".verdict-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text(false)
    expect(cards.nth(1)).to_contain_text(true)
    assert page.errors == []
