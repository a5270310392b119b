"""Editors' journeys through the annotation workspace, in Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from claims.models import Article, Claim, Mention
from tests.conftest import PASSWORD
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSAGE = "seit mehr als einem Jahr keine Atomwaffen und Raketen mehr getestet"


# The sign-in form's words in each language of the desk.
SIGN_IN = {
    "": ("Username", "Password", "Sign in"),
    "/de": ("Benutzername", "Passwort", "Anmelden"),
}


def sign_in(page: Page, base: str, username: str, language: str = "") -> None:
    """Sign in on the desk's login page, in English or (``language="/de"``) German."""
    user_label, password_label, button = SIGN_IN[language]
    page.goto(base + language + "/desk/login/")
    page.get_by_label(user_label).fill(username)
    page.get_by_label(password_label).fill(PASSWORD)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", name="Desk", level=1)).to_be_visible()


def drag_select(page: Page, phrase: str) -> None:
    """Select ``phrase`` in the article text with a real mouse drag."""
    rects = page.evaluate(
        """(phrase) => {
            const root = document.getElementById("article-text");
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            const nodes = []; let all = "";
            while (walker.nextNode()) {
                nodes.push([walker.currentNode, all.length]);
                all += walker.currentNode.data;
            }
            const at = all.indexOf(phrase);
            if (at < 0) return null;
            const locate = (offset) => {
                for (const [node, base] of nodes) {
                    if (offset <= base + node.data.length) return [node, offset - base];
                }
            };
            const range = document.createRange();
            range.setStart(...locate(at));
            range.setEnd(...locate(at + phrase.length));
            const target = range.startContainer.parentElement;
            target.scrollIntoView({block: "center", behavior: "instant"});
            const list = range.getClientRects();
            const first = list[0], last = list[list.length - 1];
            return {x1: first.left, y1: first.top + first.height / 2,
                    x2: last.right, y2: last.top + last.height / 2};
        }""",
        phrase,
    )
    assert rects, f"{phrase!r} not found in the article text"
    # Press just inside the first letter's left half, release at the last one's right edge.
    page.mouse.move(rects["x1"] + 1, rects["y1"])
    page.mouse.down()
    page.mouse.move(rects["x2"], rects["y2"], steps=8)
    page.mouse.up()


ANYWAY = {"en": "Mark as a new claim anyway", "de": "Trotzdem als neue Behauptung markieren"}


def htmx_ready(page: Page, selector: str) -> None:
    """Wait until htmx has taken over the form of the element at ``selector`` (just
    swapped in): a key pressed before that submits it without htmx, as a whole page."""
    page.wait_for_function(
        """(selector) => {
            const form = document.querySelector(selector)?.closest("form");
            return Boolean(form && form["htmx-internal-data"]);
        }""",
        arg=selector,
    )


def mark_claim(page: Page, *, button: str = "Mark claim", key: str = "", language: str = "en"):
    """Choose Mark claim (or press ``key``) and, where the panel first lists similar
    claims (there are such claims in the demo data), mark a new claim anyway — by
    keyboard when the mark was made by keyboard."""
    with page.expect_response(
        lambda r: r.url.endswith("/mark/") and r.request.method == "POST"
    ) as answer:
        if key:
            page.keyboard.press(key)
        else:
            page.get_by_role("button", name=button).click()
    if "mark-new-claim-button" not in answer.value.text():
        return
    anyway = page.get_by_role("button", name=ANYWAY[language])
    expect(anyway).to_be_visible()
    htmx_ready(page, "#mark-new-claim-button")
    if not key:
        anyway.click()
        return
    expect(page.locator("#panel-heading")).to_be_focused()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "mark-new-claim-button":
            break
    else:
        pytest.fail("Mark as a new claim anyway could not be reached with Tab")
    page.keyboard.press("Enter")


@pytest.fixture
def desk(live_server, seeded, editor, editor2, page: Page):
    return live_server.url


def _open_seed_article(page: Page, base: str) -> None:
    page.goto(base + "/desk/")
    page.get_by_role("link", name=re.compile("Trump dämpft Erwartungen")).click()
    expect(page.get_by_role("button", name="Keyboard shortcuts")).to_be_visible()


def _mark_on_seed_article(page: Page, base: str, phrase: str) -> None:
    """Sign in as the editor, open the demo article and mark ``phrase`` as a new claim."""
    sign_in(page, base, "editor")
    _open_seed_article(page, base)
    drag_select(page, phrase)
    mark_claim(page)


def test_editor_marks_a_claim_with_the_mouse(desk, page: Page, console_errors):
    sign_in(page, desk, "editor")
    _open_seed_article(page, desk)
    drag_select(page, PASSAGE)
    mark_claim(page)
    expect(page.get_by_role("status").filter(has_text="Claim marked")).to_be_visible()
    expect(page.get_by_label("Claim as reviewed")).to_have_value(PASSAGE)
    mention = Mention.objects.get(exact=PASSAGE)
    assert mention.claim.status == Claim.Status.DRAFT
    # The highlight is in the text without a reload: the passage sits inside the demo claim.
    expect(page.locator("mark.depth-2").first).to_contain_text("seit mehr als einem Jahr")
    expect(page.get_by_role("link", name=PASSAGE)).to_be_visible()  # in the claims list
    assert console_errors == []


def test_editor_widens_and_narrows_the_marked_passage(desk, page: Page, console_errors):
    _mark_on_seed_article(page, desk, "keine Atomwaffen und Raketen")
    passages = page.get_by_role("group", name="Adjust the passage")
    expect(passages).to_be_visible()
    passages.get_by_role("button", name="Widen end →").click()
    expect(page.locator("#claim-panel q")).to_have_text("keine Atomwaffen und Raketen mehr")
    passages.get_by_role("button", name="Narrow start →").click()
    expect(page.locator("#claim-panel q")).to_have_text("Atomwaffen und Raketen mehr")
    mention = Mention.objects.get(claim__claim_reviewed="keine Atomwaffen und Raketen")
    assert mention.exact == "Atomwaffen und Raketen mehr"
    # The new passage lies inside the demo claim's: its words are the doubly marked ones.
    nested = page.locator("#article-text mark.depth-2")
    expect(nested).to_have_text(["Atomwaffen und Raketen mehr"])


def test_a_click_on_a_highlight_opens_its_innermost_claim(desk, page: Page, console_errors):
    _mark_on_seed_article(page, desk, "keine Atomwaffen und Raketen")
    expect(page.get_by_label("Claim as reviewed")).to_have_value("keine Atomwaffen und Raketen")
    page.get_by_role("link", name="Close the claim panel").click()
    expect(page.get_by_role("heading", name="Claim panel")).to_be_visible()
    outer = Mention.objects.get(exact__contains="seit mehr als einem Jahr keine").claim
    # The words only the demo claim covers open the demo claim…
    page.locator("#article-text mark.depth-1", has_text="seit mehr als einem Jahr").click()
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim", str(outer.pk))
    expect(page).to_have_url(re.compile(rf"/claims/{outer.pk}/$"))
    # …the doubly marked ones the new claim inside it, which their tooltip names.
    nested = page.locator("#article-text mark.depth-2")
    nested.hover()
    expect(nested).to_have_attribute("title", "keine Atomwaffen und Raketen (Draft)")
    nested.click()
    expect(page.get_by_label("Claim as reviewed")).to_have_value("keine Atomwaffen und Raketen")
    assert console_errors == []


def test_unsaved_panel_changes_are_not_dropped_without_asking(desk, page: Page):
    _mark_on_seed_article(page, desk, "keine Atomwaffen und Raketen")
    page.get_by_label("Conclusion").fill("Noch nicht gespeichert")
    messages = []

    def answer(dialog):
        messages.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    other = page.locator("#claims-list-items a").first
    other.click()
    expect(page.get_by_label("Conclusion")).to_have_value("Noch nicht gespeichert")
    assert messages == ["The claim panel has changes that are not saved. Discard them?"]


def test_editor_fills_the_panel_and_adds_a_source(desk, page: Page, console_errors):
    _mark_on_seed_article(page, desk, "Waffenstillstands von 1953")
    field = page.get_by_label("Claim as reviewed")
    field.fill("Der Waffenstillstand wurde 1953 geschlossen")
    expect(page.locator("#claim-reviewed-count")).to_contain_text("43 characters")
    page.get_by_label("Claimant", exact=True).fill("Autoren")
    page.get_by_label("Rating").select_option(label="Mostly true")
    page.get_by_label("Conclusion").fill("Stimmt, am 27. Juli 1953.")
    page.get_by_label("Explanation", exact=True).fill("Unterzeichnet in **Panmunjom**.")
    page.get_by_role("button", name="Preview explanation").click()
    expect(page.locator("#explanation-preview strong")).to_have_text("Panmunjom")
    page.get_by_role("button", name="Add source").click()
    page.get_by_label(re.compile(r"^\s*URL\s*\*?\s*$")).fill(
        "https://www.archives.gov/milestone-documents/"
    )
    page.get_by_label(re.compile(r"^\s*Title\s*\*?\s*$")).fill("Armistice Agreement")
    page.get_by_label(re.compile(r"^\s*Kind")).select_option(label="Primary document")
    page.get_by_label(re.compile(r"^\s*Stance")).select_option(label="Supports")
    page.get_by_role("button", name="Save claim").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    claim = Claim.objects.get(claim_reviewed="Der Waffenstillstand wurde 1953 geschlossen")
    assert claim.rating.label == "Mostly true"
    assert claim.conclusion == "Stimmt, am 27. Juli 1953."
    assert [s.title for s in claim.sources.all()] == ["Armistice Agreement"]
    assert claim.version == 2
    assert console_errors == []


def test_a_failed_save_keeps_what_was_typed(desk, page: Page):
    _mark_on_seed_article(page, desk, "Verbindungsbüro der USA")
    page.get_by_label("Conclusion").fill("Meine Schlussfolgerung")
    page.get_by_role("button", name="Add source").click()
    page.get_by_label(re.compile(r"^\s*URL\s*\*?\s*$")).fill("javascript:alert(1)")
    page.get_by_label(re.compile(r"^\s*Title\s*\*?\s*$")).fill("Bad link")
    page.get_by_role("button", name="Save claim").click()
    expect(page.get_by_role("link", name="Source 1, URL: Enter a valid URL.")).to_be_visible()
    expect(page.get_by_text("Enter a valid URL.", exact=True)).to_be_visible()  # at the field
    expect(page.get_by_label("Conclusion")).to_have_value("Meine Schlussfolgerung")
    claim = Claim.objects.get(mentions__exact="Verbindungsbüro der USA")
    assert claim.conclusion == ""
    assert not claim.sources.exists()


def test_editor_marks_a_claim_by_keyboard_alone(desk, page: Page):
    sign_in(page, desk, "editor")
    _open_seed_article(page, desk)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('desk-paragraph')"):
            break
    else:
        pytest.fail("no paragraph could be reached with Tab")
    page.keyboard.press("s")  # first sentence of the first paragraph
    page.keyboard.press("Shift+ArrowLeft")  # drop the full stop…
    page.keyboard.press("Shift+ArrowLeft")  # …and the last word
    expect(page.get_by_role("button", name="Mark claim")).to_be_visible()
    mark_claim(page, key="m")
    field = page.get_by_label("Claim as reviewed")
    expect(field).to_be_focused()
    expected = (
        "US-Präsident Donald Trump hat die Erwartungen an eine schnelle atomare Abrüstung "
        "Nordkoreas"
    )
    expect(field).to_have_value(expected)
    page.keyboard.press("Control+a")
    page.keyboard.type("Trump dämpft Erwartungen")
    for _ in range(100):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim() === 'Save claim'"):
            break
    else:
        pytest.fail("the Save claim button could not be reached with Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Saved.")).to_be_visible()
    assert Claim.objects.filter(claim_reviewed="Trump dämpft Erwartungen").exists()
    assert Mention.objects.get(claim__claim_reviewed="Trump dämpft Erwartungen").exact == expected


def test_spans_after_emoji_and_german_quotes_are_stored_exactly(live_server, editor, page: Page):
    article = make_article(
        "Er sagte „Das ist wahr“ und lachte.\n\nDann 😀👍🏽 kam die Behauptung über Zahlen.",
        title="Emoji-Test",
    )
    sign_in(page, live_server.url, "editor")
    page.goto(f"{live_server.url}/desk/articles/{article.pk}/")
    drag_select(page, "kam die Behauptung")
    page.get_by_role("button", name="Mark claim").click()
    expect(page.get_by_label("Claim as reviewed")).to_have_value("kam die Behauptung")
    drag_select(page, "Das ist wahr")
    page.get_by_role("button", name="Mark claim").click()
    expect(page.get_by_label("Claim as reviewed")).to_have_value("Das ist wahr")
    text = Article.objects.get(pk=article.pk).current_revision.text
    for mention in Mention.objects.filter(revision__article=article):
        assert text[mention.start : mention.end] == mention.exact
    assert sorted(Mention.objects.values_list("exact", flat=True)) == [
        "Das ist wahr",
        "kam die Behauptung",
    ]


def test_two_editors_saving_the_same_claim_get_a_conflict(desk, browser, page: Page):
    claim = Claim.objects.get(status=Claim.Status.DRAFT)
    article = Article.objects.get()
    url = f"{desk}/desk/articles/{article.pk}/claims/{claim.pk}/"
    other = browser.new_context().new_page()
    sign_in(page, desk, "editor")
    sign_in(other, desk, "editor2")
    page.goto(url)
    other.goto(url)
    page.get_by_label("Conclusion").fill("Erste Fassung")
    page.get_by_role("button", name="Save claim").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    other.get_by_label("Conclusion").fill("Zweite Fassung")
    other.get_by_role("button", name="Save claim").click()
    expect(other.get_by_text("Someone else saved this claim")).to_be_visible()
    expect(other.locator("#panel-conflict")).to_contain_text("Erste Fassung")
    expect(other.get_by_label("Conclusion")).to_have_value("Zweite Fassung")
    claim.refresh_from_db()
    assert claim.conclusion == "Erste Fassung"
    other.context.close()


def test_selections_at_paragraph_edges_and_across_paragraphs(live_server, editor, page: Page):
    article = make_article(
        "Erster Absatz endet hier.\n\n\n\nZweiter Absatz beginnt nach Leerzeilen.",
        title="Absätze",
    )
    sign_in(page, live_server.url, "editor")
    page.goto(f"{live_server.url}/desk/articles/{article.pk}/")
    drag_select(page, "Zweiter Absatz")  # starts at the very edge of a paragraph
    page.get_by_role("button", name="Mark claim").click()
    expect(page.get_by_label("Claim as reviewed")).to_have_value("Zweiter Absatz")
    page.keyboard.press("Escape")
    # From the end of one paragraph into the next (the DOM has no text between them).
    drag_select(page, "hier.Zweiter")
    mark_claim(page)  # "Zweiter Absatz" is listed as similar first
    expect(page.get_by_text("2 claims in this article")).to_be_visible()
    text = article.current_revision.text
    for mention in Mention.objects.filter(revision__article=article):
        assert text[mention.start : mention.end] == mention.exact
    assert Mention.objects.filter(exact__contains="hier.\n\n\n\nZweiter").exists()
