"""Passages on whole characters at the desk: the server refuses a span that splits one
(stored offsets are never moved), the browser widens a selection to whole characters."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from claims.models import Claim, Mention
from tests.factories import make_article
from tests.test_browser_desk import sign_in

FLAG = "\N{REGIONAL INDICATOR SYMBOL LETTER D}\N{REGIONAL INDICATOR SYMBOL LETTER E}"
FAMILY = "\N{WOMAN}\u200d\N{WOMAN}\u200d\N{GIRL}"
KEYCAP = "1\ufe0f\u20e3"
TEXT = f"Die Fahne {FLAG} weht über Berlin und {FAMILY} feiert {KEYCAP} Tag lang."


def _mark(client, article, start, end):
    text = article.current_revision.text
    data = {
        "revision": article.current_revision_id,
        "start": start,
        "end": end,
        "exact": text[start:end],
    }
    return client.post(
        reverse("claims:desk-mark", args=[article.pk]), data, headers={"HX-Request": "true"}
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cluster", "inside"),
    [(FLAG, 1), (FAMILY, 1), (FAMILY, 2), (FAMILY, 4), (KEYCAP, 1), (KEYCAP, 2)],
    ids=["flag", "family-1", "family-zwj", "family-4", "keycap-1", "keycap-2"],
)
def test_the_server_refuses_a_span_that_splits_a_character(desk, cluster, inside):
    article = make_article(TEXT)
    at = TEXT.index(cluster)
    for start, end in ((at + inside, at + len(cluster) + 5), (0, at + inside)):
        response = _mark(desk, article, start, end)
        assert response.status_code == 400
        assert "inside a character" in response.text
    assert Claim.objects.count() == 0
    # Whole characters are fine.
    assert _mark(desk, article, at, at + len(cluster)).status_code == 200
    assert Mention.objects.get().exact == cluster


def _select_utf16(page: Page, anchor: str, start_delta: int, end_anchor: str, end_delta: int):
    """Select from ``start_delta`` UTF-16 units after the start of ``anchor`` to
    ``end_delta`` units after the start of ``end_anchor`` (a programmatic selection, as a
    drag that starts in the middle of an emoji makes)."""
    page.evaluate(
        """([anchor, startDelta, endAnchor, endDelta]) => {
            const root = document.getElementById("article-text");
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            const nodes = []; let all = "";
            while (walker.nextNode()) {
                nodes.push([walker.currentNode, all.length]);
                all += walker.currentNode.data;
            }
            const locate = (offset) => {
                for (const [node, base] of nodes) {
                    if (offset <= base + node.data.length) return [node, offset - base];
                }
            };
            const range = document.createRange();
            range.setStart(...locate(all.indexOf(anchor) + startDelta));
            range.setEnd(...locate(all.indexOf(endAnchor) + endDelta));
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [anchor, start_delta, end_anchor, end_delta],
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_selection_inside_a_flag_takes_the_whole_flag(live_server, editor, page: Page):
    article = make_article(TEXT, title="Flaggen")
    sign_in(page, live_server.url, "editor")
    page.goto(f"{live_server.url}/desk/articles/{article.pk}/")
    # From between 🇩 and 🇪 (each two UTF-16 units) to the end of "weht".
    _select_utf16(page, FLAG, 2, "weht", 4)
    page.get_by_role("button", name="Mark claim").click()
    expect(page.get_by_label("Claim as reviewed")).to_have_value(f"{FLAG} weht")
    # From "Berlin" to just after the first woman of the family (a ZWJ follows).
    _select_utf16(page, "Berlin", 0, FAMILY, 2)
    page.get_by_role("button", name="Mark claim").click()
    expect(page.get_by_label("Claim as reviewed")).to_have_value(f"Berlin und {FAMILY}")
    # From "feiert" into the keycap (after its digit).
    _select_utf16(page, "feiert", 0, KEYCAP, 1)
    page.get_by_role("button", name="Mark claim").click()
    expect(page.get_by_label("Claim as reviewed")).to_have_value(f"feiert {KEYCAP}")
    text = article.current_revision.text
    stored = sorted(Mention.objects.values_list("start", "end", "exact"))
    assert [exact for _start, _end, exact in stored] == [
        f"{FLAG} weht",
        f"Berlin und {FAMILY}",
        f"feiert {KEYCAP}",
    ]
    for start, end, exact in stored:
        assert text[start:end] == exact
