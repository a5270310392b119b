"""Errors where the editor looks, in Chromium: a failed panel save brings its error summary
into view with the focus on it; the fetching notice waits for a fetch; highlights show
their verdict in words."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from claims.models import Claim
from tests.test_browser_desk import drag_select, mark_claim, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")  # noqa: S108 (screenshots to look at, not secrets)


def _summary_in_view(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const summary = document.querySelector("#claim-panel .error-summary");
            const box = summary.getBoundingClientRect();
            return {
                focused: document.activeElement === summary,
                top: box.top, bottom: box.bottom, height: window.innerHeight,
            };
        }"""
    )


def _incomplete_source_then_fix(page: Page, base: str, lang: str, words: dict) -> None:
    sign_in(page, base, "editor")
    page.goto(f"{base}{lang}/desk/")
    page.get_by_role("link", name=re.compile("Trump dämpft Erwartungen")).click()
    expect(page.locator("#article-text")).to_be_visible()
    drag_select(page, "Verbindungsbüro der USA")
    mark_claim(page, button=words["mark"], language="de" if lang else "en")
    expect(page.get_by_label(words["reviewed"])).to_have_value("Verbindungsbüro der USA")
    page.get_by_label(words["conclusion"], exact=True).fill("Mein Fazit")
    page.get_by_role("button", name=words["add"]).click()
    page.get_by_label(re.compile(r"^\s*URL\s*\*?\s*$")).fill("https://example.org/bericht")
    page.get_by_label(re.compile(rf"^\s*{words['title']}\s*\*?\s*$")).fill("Ein Bericht")
    page.get_by_label(re.compile(rf"^\s*{words['stance']}")).select_option(label=words["refutes"])
    page.get_by_role("button", name=words["save"]).click()

    summary = page.get_by_role("alert").filter(has_text=words["heading"])
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name=words["problem"])).to_be_visible()
    expect(summary).to_be_focused()
    seen = _summary_in_view(page)
    assert seen["focused"]
    assert 0 <= seen["top"] < seen["bottom"] <= seen["height"], seen
    # Nothing typed was lost.
    expect(page.get_by_label(words["conclusion"], exact=True)).to_have_value("Mein Fazit")
    expect(page.get_by_label(re.compile(r"^\s*URL\s*\*?\s*$"))).to_have_value(
        "https://example.org/bericht"
    )
    SHOTS.mkdir(exist_ok=True)
    page.locator("#claim-panel").screenshot(
        path=str(SHOTS / f"errors-panel-{lang.strip('/') or 'en'}.png")
    )
    page.screenshot(path=str(SHOTS / f"errors-page-{lang.strip('/') or 'en'}.png"))
    source = page.locator(".source-form").last
    source.scroll_into_view_if_needed()
    source.screenshot(path=str(SHOTS / f"errors-source-{lang.strip('/') or 'en'}.png"))

    # The link takes the editor to the field, which is fixed and saved.
    summary.get_by_role("link", name=words["problem"]).click()
    kind = page.get_by_label(re.compile(rf"^\s*{words['kind']}"))
    expect(kind).to_be_focused()
    kind.select_option(label=words["primary"])
    page.get_by_role("button", name=words["save"]).click()
    expect(page.get_by_text(words["saved"])).to_be_visible()
    expect(page.locator(".error-summary")).to_have_count(0)
    claim = Claim.objects.get(mentions__exact="Verbindungsbüro der USA")
    assert claim.conclusion == "Mein Fazit"
    assert [(s.title, s.kind, s.stance) for s in claim.sources.all()] == [
        ("Ein Bericht", "primary", "refutes")
    ]


def test_german_panel_save_with_an_incomplete_source_shows_the_summary_focused_in_view(
    live_server, seeded, editor, page: Page
):
    _incomplete_source_then_fix(
        page,
        live_server.url,
        "/de",
        {
            "mark": "Behauptung markieren",
            "reviewed": "Geprüfte Behauptung",
            "conclusion": "Fazit",
            "add": "Quelle hinzufügen",
            "title": "Titel",
            "stance": "Haltung",
            "refutes": "Widerlegt",
            "kind": "Art",
            "primary": "Primärdokument",
            "save": "Behauptung speichern",
            "heading": "Bitte eine Angabe korrigieren",
            "problem": "Quelle 1: Art auswählen.",
            "saved": "Gespeichert.",
        },
    )


def test_english_panel_save_with_an_incomplete_source_shows_the_summary(
    live_server, seeded, editor, page: Page
):
    _incomplete_source_then_fix(
        page,
        live_server.url,
        "",
        {
            "mark": "Mark claim",
            "reviewed": "Claim as reviewed",
            "conclusion": "Conclusion",
            "add": "Add source",
            "title": "Title",
            "stance": "Stance",
            "refutes": "Refutes",
            "kind": "Kind",
            "primary": "Primary document",
            "save": "Save claim",
            "heading": "Please fix 1 problem",
            "problem": "Source 1: Choose its kind.",
            "saved": "Saved.",
        },
    )


def test_the_fetching_notice_is_hidden_until_a_fetch_starts(live_server, editor, page: Page):
    sign_in(page, live_server.url, "editor")
    page.goto(live_server.url + "/desk/articles/new/")
    busy = page.locator("#article-busy")
    expect(busy).to_be_hidden()
    # The page would now wait for the server to fetch the address: keep it on this page
    # (desk.js has already seen the submit) to look at it meanwhile.
    page.evaluate(
        """() => document.getElementById("article-form")
            .addEventListener("submit", (event) => event.preventDefault())"""
    )
    page.get_by_label("…or fetch it from a web address").fill("https://example.org/artikel")
    page.get_by_role("button", name="Load article").click()
    expect(busy).to_be_visible()
    expect(busy).to_contain_text("Fetching the page")


def test_desk_highlights_show_their_verdict_as_a_label(live_server, seeded, editor, page: Page):
    sign_in(page, live_server.url, "editor")
    page.goto(live_server.url + "/de/desk/")
    page.get_by_role("link", name=re.compile("Trump dämpft Erwartungen")).click()
    starts = page.locator("#article-text mark[data-verdict]")
    expect(starts.first).to_be_visible()
    drawn, verdict, claims = starts.first.evaluate(
        "(mark) => [getComputedStyle(mark, '::before').content, mark.dataset.verdict,"
        " mark.dataset.claims]"
    )
    innermost = Claim.objects.select_related("rating").get(pk=claims.split()[-1])
    assert verdict == innermost.rating.label_de  # in the page's language
    assert verdict in drawn  # and drawn before the passage
    expect(starts.first).to_have_attribute("aria-description", f"Urteil: {verdict}")
    starts.first.hover()  # the tooltip names the claim, its state and its verdict
    expect(starts.first).to_have_attribute("title", re.compile(rf", {verdict}\)$"))
    page.screenshot(path=str(SHOTS / "errors-highlights-de.png"))
