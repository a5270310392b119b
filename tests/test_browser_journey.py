"""The product's main path, in Chromium, in the German desk, without the admin: an article
lands, two overlapping claims are marked (mouse and keyboard), researched, reviewed and
published in one click each, and an anonymous reader meets them in the article. Then a
reviewer unpublishes the article and every public route forgets it."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from claims.models import Article, Claim
from tests.test_browser_desk import drag_select, mark_claim, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")  # noqa: S108 (screenshots to look at, not secrets)
TITLE = "Bundestag beschließt Haushalt 2027"
TEXT = (
    "Berlin. Der Bundestag hat am Freitag den Haushalt für 2027 beschlossen. "
    "Finanzministerin Weber sagte, die Neuverschuldung sinke damit auf den tiefsten Stand "
    "seit zehn Jahren.\n\n"
    "Die Opposition kritisierte den Entwurf scharf."
)
MOUSE_PASSAGE = "die Neuverschuldung sinke damit auf den tiefsten Stand seit zehn Jahren"
KEYBOARD_SENTENCE = (
    "Finanzministerin Weber sagte, die Neuverschuldung sinke damit auf den tiefsten Stand "
    "seit zehn Jahren."
)
FIRST_CLAIM = "Neuverschuldung auf dem tiefsten Stand seit zehn Jahren"
SECOND_CLAIM = "Weber: Haushalt 2027 senkt die Neuverschuldung"


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"journey-{name}.png"), full_page=True)


def fill_panel(page: Page, claim_text: str, rating: str, conclusion: str) -> None:
    page.get_by_label("Geprüfte Behauptung").fill(claim_text)
    page.get_by_label("Urheber der Behauptung", exact=True).fill("Finanzministerin Weber")
    page.get_by_label("Bewertung", exact=True).select_option(label=rating)
    page.get_by_label("Fazit", exact=True).fill(conclusion)


def add_source(page: Page, *, kind: str | None) -> None:
    page.get_by_role("button", name="Quelle hinzufügen").click()
    page.get_by_label(re.compile(r"^\s*URL\s*\*?\s*$")).last.fill(
        "https://www.bundesfinanzministerium.de/haushalt"
    )
    page.get_by_label(re.compile(r"^\s*Titel\s*\*?\s*$")).last.fill("Haushaltsdaten")
    page.get_by_label(re.compile(r"^\s*Haltung")).last.select_option(label="Widerlegt")
    if kind:
        page.get_by_label(re.compile(r"^\s*Art\b")).last.select_option(label=kind)


def send_to_review(page: Page) -> None:
    page.get_by_role("button", name="Zur Prüfung einreichen").click()
    expect(page.get_by_role("status").filter(has_text="Zur Prüfung eingereicht")).to_be_visible()


def test_german_newsroom_journey_without_the_admin(
    live_server, seeded, editor, reviewer, page: Page, browser: Browser, console_errors
):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})

    # 1. The editor pastes a new article.
    sign_in(page, base, "editor", "/de")
    page.get_by_role("link", name="Artikel laden").first.click()
    page.get_by_label(re.compile(r"^\s*Titel")).fill(TITLE)
    page.get_by_label("Text", exact=True).fill(TEXT)
    page.get_by_role("button", name="Artikel laden").click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.locator("#article-state")).to_contain_text(
        "Die Leserschaft sieht diesen Artikel noch nicht."
    )
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.DRAFT

    # 2. The first claim, marked with the mouse; a first save with an incomplete source
    #    shows the error summary, focused and in view, and loses nothing.
    drag_select(page, MOUSE_PASSAGE)
    mark_claim(page, button="Behauptung markieren", language="de")
    expect(page.get_by_label("Geprüfte Behauptung")).to_have_value(MOUSE_PASSAGE)
    fill_panel(page, FIRST_CLAIM, "Falsch", "Falsch: 2019 lag die Neuverschuldung niedriger.")
    add_source(page, kind=None)
    page.get_by_role("button", name="Behauptung speichern").click()
    summary = page.get_by_role("alert").filter(has_text="Quelle 1")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    box = summary.bounding_box()
    assert box is not None
    assert box["y"] >= 0, box
    assert box["y"] + box["height"] <= 900, box
    expect(page.get_by_label("Fazit", exact=True)).to_have_value(
        "Falsch: 2019 lag die Neuverschuldung niedriger."
    )
    shoot(page, "de-panel-error")
    summary.get_by_role("link").first.click()
    page.get_by_label(re.compile(r"^\s*Art\b")).last.select_option(label="Datensatz")
    page.get_by_role("button", name="Behauptung speichern").click()
    expect(page.get_by_text("Gespeichert.")).to_be_visible()
    send_to_review(page)

    # 3. The second claim, overlapping the first, by keyboard alone: S selects sentences.
    page.goto(f"{base}/de/desk/articles/{article.pk}/")
    paragraph = page.locator(".desk-paragraph").first
    paragraph.focus()
    for _ in range(4):
        page.keyboard.press("s")
        selected = page.evaluate("window.getSelection().toString()")
        if selected.strip() == KEYBOARD_SENTENCE:
            break
    else:
        pytest.fail(f"S never selected the sentence; last: {selected!r}")
    mark_claim(page, key="m", language="de")
    field = page.get_by_label("Geprüfte Behauptung")
    expect(field).to_be_focused()
    fill_panel(page, SECOND_CLAIM, "Überwiegend falsch", "Überwiegend falsch: nur im Plan.")
    add_source(page, kind="Offizielle Stellungnahme")
    page.get_by_role("button", name="Behauptung speichern").click()
    expect(page.get_by_text("Gespeichert.")).to_be_visible()
    send_to_review(page)
    first, second = (
        Claim.objects.get(claim_reviewed=FIRST_CLAIM),
        Claim.objects.get(claim_reviewed=SECOND_CLAIM),
    )
    a, b = first.mentions.get(), second.mentions.get()
    assert a.start < b.end, "the passages overlap"
    assert b.start < a.end, "the passages overlap"
    assert {first.status, second.status} == {Claim.Status.IN_REVIEW}

    # 4. The reviewer approves and publishes each in one click; the queue counts down.
    reviewer_context = browser.new_context(viewport={"width": 1280, "height": 900})
    review = reviewer_context.new_page()
    sign_in(review, base, "reviewer", "/de")
    review.get_by_role("link", name=re.compile(r"^Prüfwarteschlange")).first.click()
    review.get_by_role("link", name=FIRST_CLAIM).click()
    expect(review.locator("#publishes-article")).to_contain_text(
        f"Mit der Veröffentlichung wird auch der Artikel „{TITLE}“ öffentlich."
    )
    expect(review.get_by_role("button", name="Freigeben", exact=True)).to_have_count(0)
    shoot(review, "de-review")
    review.get_by_role("button", name="Freigeben und veröffentlichen").click()
    expect(
        review.get_by_role("status").filter(has_text="Freigegeben und veröffentlicht.")
    ).to_be_visible()
    expect(review.get_by_text(f"Der Artikel „{TITLE}“ ist jetzt öffentlich.")).to_be_visible()
    # The screen offers the next claim and counts the queue down (the demo's own claim
    # in review waits there too).
    expect(review.locator("#queue-next")).to_contain_text("Prüfwarteschlange: 2 warten")
    expect(review.locator("#queue-next").get_by_role("link")).to_have_count(1)
    review.get_by_role("link", name=re.compile(r"^Prüfwarteschlange")).first.click()
    review.get_by_role("link", name=SECOND_CLAIM).click()
    review.get_by_role("button", name="Freigeben und veröffentlichen").click()
    expect(
        review.get_by_role("status").filter(has_text="Freigegeben und veröffentlicht.")
    ).to_be_visible()
    expect(review.locator("#queue-next")).to_contain_text("Prüfwarteschlange: 1 wartet")
    reviewer_context.close()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED

    # 5. An anonymous reader finds the article and both verdicts in it.
    reader_context = browser.new_context(viewport={"width": 1280, "height": 900})
    reader = reader_context.new_page()
    reader.goto(base + "/de/articles/")
    reader.get_by_role("link", name=TITLE).click()
    marks = reader.locator("mark.claim-mark")
    expect(marks.first).to_be_visible()
    # Each verdict follows its passage in words (the label shown, "Urteil:" for screen
    # readers), not as colour alone.
    text = " ".join(reader.locator("#article-body, .article-text").first.text_content().split())
    assert "Urteil: Falsch" in text
    assert "Urteil: Überwiegend falsch" in text
    shoot(reader, "de-reader-article")
    reader.get_by_role("link", name=re.compile(FIRST_CLAIM)).first.click()
    expect(reader.get_by_role("heading", name=FIRST_CLAIM, level=1)).to_be_visible()
    data = json.loads(reader.locator('script[type="application/ld+json"]').first.text_content())
    assert data["@type"] == "ClaimReview"
    assert data["reviewRating"]["alternateName"] in ("Falsch", "False")
    reader_context.close()
    # The one failed save above answered 422, as it should; nothing else went wrong (no
    # CSP violation, no failed request).
    unexpected = [e for e in console_errors if "422" not in e and "[object HTMLElement]" not in e]
    assert unexpected == []


def test_unpublishing_an_article_takes_it_off_every_public_route(
    live_server, seeded, reviewer, page: Page, browser: Browser
):
    base = live_server.url
    article = Article.objects.published().get()
    claim = Claim.objects.published().filter(mentions__revision__article=article).first()
    sign_in(page, base, "reviewer", "/de")
    page.goto(f"{base}/de/desk/articles/{article.pk}/")
    expect(page.locator("#article-state")).to_contain_text("Die Leserschaft sieht diesen Artikel.")
    page.get_by_text("Artikel zurückziehen …").click()
    page.get_by_label("Grund").fill("Einstweilige Verfügung")
    page.get_by_role("button", name="Artikel zurückziehen", exact=True).click()
    expect(page.locator("#article-state")).to_contain_text("Einstweilige Verfügung")
    shoot(page, "de-workspace-unpublished")

    reader = browser.new_context().new_page()
    for prefix in ("", "/de"):
        response = reader.goto(f"{base}{prefix}/articles/{article.slug}/")
        assert response.status == 410
        assert article.title not in reader.content()
        reader.goto(f"{base}{prefix}/claims/{claim.slug}/")
        assert f"/articles/{article.slug}/" not in reader.content()
        for path in ("/", "/articles/", "/claims/"):
            reader.goto(f"{base}{prefix}{path}")
            assert f"/articles/{article.slug}/" not in reader.content(), path
    reader.goto(f"{base}/sitemap-articles.xml")
    assert f"/articles/{article.slug}/" not in reader.content()
