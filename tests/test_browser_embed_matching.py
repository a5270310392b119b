"""The embed script's text matching, property-based (hypothesis) in Chromium: whatever a
publisher's page does to the text of the article — passages split across links, <em> and
spans, line breaks, collapsed, doubled and non-breaking white space, soft hyphens,
zero-width spaces, typographic or straight quotation marks, ligatures — every passage is
found and marked exactly, never in a hidden copy of it, and a teaser that repeats a
passage with other context never takes its place. Also: the box where the newsroom puts it
(``data-list-target``), the end of each claim for screen readers, and annotations treated
as untrusted (markup stays text, only web links are links, only #rrggbb colours).

The page and the desk are made-up origins served by the browser itself (``page.route``);
the annotations are built from the desk's text as the API builds them
(``claims.text.quote_context``, 32 code points of context). The real pages:
tests/test_browser_embed_script.py."""

import html
import json
import random
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Page, Route, expect

from claims.annotations import CONTEXT_WIDTH
from claims.text import normalize, quote_context
from claims.text.sentences import sentences
from claims.views.embed_script import build

pytestmark = pytest.mark.browser

PAGE = "https://news.example/politik/gipfel.html"
DESK = "https://desk.example"
SEED = Path(__file__).resolve().parents[1] / "seeds" / "hanoi-summit-2019.de.txt"
TEXT = normalize("\n\n".join(SEED.read_text(encoding="utf-8").split("\n\n")[1:7]))
PARAGRAPHS = TEXT.split("\n\n")
SENTENCES = [
    (s.start, s.end)
    for s in sentences(TEXT, "de")
    if s.end - s.start >= 20 and "\n" not in TEXT[s.start : s.end]
]


def fold(text: str) -> str:
    """Text as the script compares it, without any white space."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub("[\u00ad\u200b-\u200d\u2060\ufeff]", "", text)
    text = re.sub("[\u2018\u2019\u201a\u201b\u2032\u2039\u203a]", "'", text)
    text = re.sub("[\u201c-\u201f\u2033\u00ab\u00bb]", '"', text)
    return re.sub(r"\s+", "", text).lower()


def annotations(spans: list[tuple[int, int]]) -> dict:
    items = []
    for number, (start, end) in enumerate(spans):
        quote = quote_context(TEXT, start, end, CONTEXT_WIDTH)
        items.append(
            {
                "type": "Annotation",
                "body": [
                    {
                        "type": "TextualBody",
                        "purpose": "classifying",
                        "value": "Falsch",
                        "schema:color": "#b3261e",
                    },
                    {"type": "TextualBody", "purpose": "identifying", "value": f"Claim {number}"},
                    {"type": "TextualBody", "purpose": "describing", "value": f"Fazit {number}"},
                ],
                "target": {
                    "source": PAGE,
                    "selector": [
                        {
                            "type": "TextQuoteSelector",
                            "exact": quote.exact,
                            "prefix": quote.prefix,
                            "suffix": quote.suffix,
                        },
                        {"type": "TextPositionSelector", "start": start, "end": end},
                    ],
                },
            }
        )
    return {"type": "AnnotationCollection", "total": len(items), "first": {"items": items}}


# --- What a publisher's CMS does to a paragraph ----------------------------------------
SPACES = [" ", " ", " ", "\n      ", "&nbsp;", "  ", "\u200b "]
OPENING = {"„": ["„", "&quot;", "»", "“"], "“": ["“", "&quot;", "«", "”"], '"': ['"', "“", "”"]}


def dress(text: str, rng: random.Random) -> str:
    """``text`` as HTML text with the page's typographic habits."""
    out = []
    for word in re.split(r"( )", text):
        if word == " ":
            out.append(rng.choice(SPACES) if rng.random() < 0.3 else " ")
            continue
        if "fi" in word and rng.random() < 0.5:
            word = word.replace("fi", "\ufb01")
        if len(word) >= 8 and rng.random() < 0.3:
            middle = len(word) // 2
            out.append(html.escape(word[:middle], quote=False) + "&shy;")
            word = word[middle:]
        escaped = html.escape(word, quote=False)
        for mark, choices in OPENING.items():
            escaped = escaped.replace(mark, rng.choice(choices))
        out.append(escaped)
    return "".join(out)


def markup(paragraph: str, rng: random.Random) -> str:
    """``paragraph`` cut at random places into pieces, some in links, <em>, <strong>,
    spans; a space now and then a <br>."""
    cuts = sorted({rng.randrange(1, max(2, len(paragraph))) for _ in range(rng.randrange(0, 8))})
    cuts = [cut for cut in cuts if cut < len(paragraph)]
    pieces = [paragraph[a:b] for a, b in zip([0, *cuts], [*cuts, len(paragraph)], strict=True)]
    out = []
    for piece in pieces:
        text = dress(piece, rng)
        if rng.random() < 0.1:
            text = text.replace(" ", "<br>", 1)
        tag = rng.choice(["", "", "a", "em", "strong", "span"])
        attributes = ' href="/dossier/korea"' if tag == "a" else ""
        out.append(f"<{tag}{attributes}>{text}</{tag}>" if tag else text)
    return "".join(out)


def publisher_page(
    spans: list[tuple[int, int]], rng: random.Random, *, hidden: bool, teaser: bool
) -> str:
    body = []
    for paragraph in PARAGRAPHS:
        start = TEXT.index(paragraph)
        for a, b in spans:
            if hidden and start <= a < start + len(paragraph):
                # A copy for another screen size, not shown here.
                body.append(f'<div class="mobile-only">{html.escape(TEXT[a:b])}</div>')
        body.append(f"<p>{markup(paragraph, rng)}</p>")
    aside = ""
    if teaser:
        a, b = spans[0]
        aside = (
            f"<aside><p>Lesen Sie auch: {html.escape(TEXT[a:b])} Mehr dazu im Dossier.</p></aside>"
        )
    return f"""<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Gipfel</title>
<style>.mobile-only{{display:none}} body{{font:18px/1.6 Georgia,serif;max-width:40em}}</style>
</head><body><header><a href="/">Nachrichten</a></header>{aside}
<article><h1>Gipfel in Hanoi</h1>{"".join(body)}</article><footer>Impressum</footer>
<script src="{DESK}/embed/x/de.js" data-api="{DESK}/annotations" data-article-url="{PAGE}"
 async></script>
</body></html>"""


MARKED_JS = """() => {
    const byId = new Map();
    for (const mark of document.querySelectorAll("mark.fcx-mark")) {
        if (!byId.has(mark.dataset.fcx)) byId.set(mark.dataset.fcx, []);
        byId.get(mark.dataset.fcx).push(mark);
    }
    return [...byId].map(([id, marks]) => {
        const range = document.createRange();
        range.setStartBefore(marks[0]);
        range.setEndAfter(marks[marks.length - 1]);
        const text = range.cloneContents();
        for (const own of text.querySelectorAll(".fcx-labels")) own.remove();
        return {
            id: Number(id),
            text: text.textContent,
            inArticle: marks.every(
                (mark) => mark.closest("article") && !mark.closest(".mobile-only")
            ),
        };
    });
}"""


@pytest.fixture
def embed_page(page: Page) -> dict:
    """The page with both made-up origins answered; ``state`` holds what they answer."""
    state = {"html": "", "annotations": b"{}"}
    script = build("de")[1]

    def publisher(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=state["html"])

    def desk(route: Route) -> None:
        headers = {"Access-Control-Allow-Origin": "https://news.example"}
        if "/embed/" in route.request.url:
            route.fulfill(status=200, content_type="text/javascript", body=script, headers=headers)
        else:
            route.fulfill(
                status=200,
                content_type="application/ld+json",
                body=state["annotations"],
                headers=headers,
            )

    page.route("https://news.example/**", publisher)
    page.route(f"{DESK}/**", desk)
    return {"page": page, "state": state}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    chosen=st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=5, unique=True),
    seed=st.integers(0, 2**32 - 1),
    hidden=st.booleans(),
    teaser=st.booleans(),
)
def test_every_passage_is_found_exactly_whatever_the_page_does_to_its_text(
    embed_page, chosen, seed, hidden, teaser
):
    page, state = embed_page["page"], embed_page["state"]
    spans = sorted(chosen)
    state["html"] = publisher_page(spans, random.Random(seed), hidden=hidden, teaser=teaser)
    state["annotations"] = json.dumps(annotations(spans)).encode()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(PAGE)
    page.wait_for_function("() => document.querySelector('.fcx-host[data-found]')")
    marked = {item["id"]: item for item in page.evaluate(MARKED_JS)}
    assert sorted(marked) == list(range(len(spans))), (marked, state["html"])
    for number, (start, end) in enumerate(spans):
        assert fold(marked[number]["text"]) == fold(TEXT[start:end]), (number, marked[number])
        assert marked[number]["inArticle"], (number, "marked outside the article's text")
    assert errors == []


def _load(embed_page, page_html: str, collection: dict) -> Page:
    page, state = embed_page["page"], embed_page["state"]
    state["html"], state["annotations"] = page_html, json.dumps(collection).encode()
    page.goto(PAGE)
    page.wait_for_function("() => document.querySelector('.fcx-host[data-found]')")
    return page


def test_the_box_goes_where_the_newsroom_says_and_screen_readers_hear_the_end(embed_page):
    spans = SENTENCES[:2]
    html_text = publisher_page(spans, random.Random(1), hidden=False, teaser=False).replace(
        "<footer>", '<div id="factchecks"></div><footer>'
    )
    html_text = html_text.replace(" async>", ' data-list-target="#factchecks" async>')
    page = _load(embed_page, html_text, annotations(spans))
    assert page.evaluate("() => document.querySelector('#factchecks > .fcx-host') !== null")
    # Screen readers hear where each claim ends: the last mark's generated content, which
    # takes no room on the page.
    ends = page.locator("mark.fcx-end")
    assert ends.count() == 2
    for number in range(2):
        assert "Ende der geprüften Behauptung" in ends.nth(number).aria_snapshot()
    # …and nobody sees it.
    assert "Ende der geprüften Behauptung" not in page.locator("article").inner_text()


def test_what_the_annotations_say_is_shown_as_text_and_only_web_links_are_links(embed_page):
    """An annotation is data from the desk, but the script treats it as untrusted: markup
    stays text, a javascript: link is left out, a colour that is not #rrggbb is not used."""
    collection = annotations(SENTENCES[:1])
    bodies = collection["first"]["items"][0]["body"]
    bodies[0]["value"] = '<img src=x onerror="window.hacked=1">Falsch'
    bodies[0]["schema:color"] = "red;}body{display:none"
    bodies[1]["value"] = "<script>window.hacked=2</script>"
    bodies.append({"purpose": "linking", "source": {"id": "javascript:window.hacked=3"}})
    page = _load(
        embed_page,
        publisher_page(SENTENCES[:1], random.Random(2), hidden=False, teaser=False),
        collection,
    )
    label = page.locator(".fcx-label")
    assert label.text_content() == '<img src=x onerror="window.hacked=1">Falsch'
    label.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    assert "<script>window.hacked=2</script>" in dialog.inner_text()
    assert dialog.get_by_role("link").count() == 0
    assert page.evaluate("() => window.hacked") is None
    assert page.evaluate("() => getComputedStyle(document.body).display") == "block"


def test_a_passage_inside_another_opens_its_own_verdict_by_mouse_and_tab_leaves_the_popover(
    embed_page,
):
    """Two claims on one sentence and a third on part of it: each label and each mark
    opens its own claim; Tab past the popover's last control closes it on its label, and
    the next Tab reaches the next label."""
    start, end = SENTENCES[1]
    inner = (start + 5, end - 5)
    collection = annotations([(start, end), (start, end), inner])
    for number, item in enumerate(collection["first"]["items"]):
        item["body"].append(
            {"purpose": "linking", "source": {"id": f"https://desk.example/claims/{number}/"}}
        )
    # Without links: a click on the text of a passage in a link follows the link.
    page_html = publisher_page([(start, end)], random.Random(3), hidden=False, teaser=False)
    page = _load(embed_page, re.sub(r"</?a\b[^>]*>", "", page_html), collection)
    dialog = page.get_by_role("dialog")
    labels = page.locator(".fcx-label")
    assert labels.count() == 3
    for number in range(3):
        labels.nth(number).click()
        expect(dialog).to_contain_text(f"Claim {number}")
        page.keyboard.press("Escape")
    inner_mark = page.locator('mark.fcx-mark[data-fcx="2"]').first
    inner_mark.click()
    expect(dialog).to_contain_text("Claim 2")
    page.keyboard.press("Escape")

    labels.nth(0).focus()
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Tab")  # the close button
    page.keyboard.press("Tab")  # the link to the claim
    expect(dialog.get_by_role("link")).to_be_focused()
    page.keyboard.press("Tab")  # past the last control: back on the label, closed
    expect(dialog).to_be_hidden()
    expect(labels.nth(0)).to_be_focused()
    page.keyboard.press("Tab")
    expect(labels.nth(1)).to_be_focused()
