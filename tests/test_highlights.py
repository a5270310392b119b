"""The highlighted text of the public article page and the desk workspace
(``claims.highlights``: ``public``, ``desk`` and their ``writer``): the text comes out
exactly, escaped, with the right links."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.highlights.desk import DeskHighlights
from claims.highlights.public import PublicHighlights
from claims.highlights.runs import paragraph_runs
from claims.highlights.writer import ReversedUrl, join_markup
from claims.models import Claim, Mention, Rating
from claims.text import normalize

SYMBOLS = [*"ab <>&\"'/=\n", "\n\n", "ä", "😀", "</mark>", "<script>", "&amp;"]


def _claim(pk: int, *, rated: bool) -> Claim:
    rating = Rating(pk=1, slug="false", scale="default", label="False") if rated else None
    return Claim(
        pk=pk,
        slug=f"claim-{pk}",
        claim_reviewed=f'Claim {pk} <b>"quoted"</b>',
        conclusion="It is <i>wrong</i>." if rated else "",
        language="en",
        rating=rating,
        status=Claim.Status.PUBLISHED,
    )


@st.composite
def texts_with_mentions(draw):
    text = normalize("".join(draw(st.lists(st.sampled_from(SYMBOLS), min_size=1, max_size=40))))
    if not text.strip():
        text = "plain text"
    spans = draw(
        st.lists(
            st.tuples(st.integers(0, len(text) - 1), st.integers(1, len(text))).filter(
                lambda span: span[0] < span[1]
            ),
            max_size=6,
        )
    )
    mentions = []
    for pk, (start, end) in enumerate(spans, start=1):
        claim = _claim(pk, rated=pk % 2 == 0)
        mentions.append(Mention(pk=pk, claim=claim, start=start, end=end))
    return text, mentions


def _visible_text(fragment: str) -> str:
    """What a reader sees of the article text itself: no screen-reader notes, no verdict
    badges, tags dropped, line breaks back to newlines."""
    fragment = re.sub(r'<span class="visually-hidden"[^>]*>[^<]*</span>', "", fragment)
    fragment = re.sub(r'<a class="rating-badge[^>]*>.*?</a>', "", fragment)
    fragment = fragment.replace("<br>", "\n")
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@settings(max_examples=300, deadline=None)
@given(texts_with_mentions())
def test_public_paragraphs_keep_the_text_exactly_and_escaped(example):
    text, mentions = example
    paragraphs = paragraph_runs(text, mentions)
    with translation.override("en"):
        highlights = PublicHighlights()
        rendered = [highlights.paragraph(runs) for runs in paragraphs]
    for runs, fragment in zip(paragraphs, rendered, strict=True):
        assert isinstance(fragment, SafeString)
        assert "<script>" not in fragment
        assert "<b>" not in fragment
        assert _visible_text(fragment) == "".join(run.text for run in runs)
    # Every mention is announced once where it begins and closed by one verdict badge
    # (one lying only on the blank line between paragraphs shows nowhere).
    joined = "".join(rendered)
    shown = {m.pk for runs in paragraphs for run in runs for m in run.mentions}
    for mention in mentions:
        assert joined.count(f'id="mention-{mention.pk}"') == (mention.pk in shown)
    assert joined.count('<a class="rating-badge') == len(shown)
    assert joined.count("<mark") == joined.count("</mark>")
    # A verdict badge never falls inside another claim's passage: where it is written, no
    # claim of the paragraph is open (nothing began before it that goes on after it), or it
    # is at the paragraph's end (a claim going on into the next paragraph).
    for runs, fragment in zip(paragraphs, rendered, strict=True):
        if not runs:
            continue
        base = runs[0].start
        for badge in re.finditer(r'<a class="rating-badge', fragment):
            offset = base + len(_visible_text(fragment[: badge.start()]))
            if offset == runs[-1].end:
                continue
            for run in runs:
                for mention in run.mentions:
                    assert not (mention.start < offset < mention.end), (offset, mention)
    # Claims are numbered in the order they first appear; screen readers hear each start
    # and each end with its verdict.
    starts = [int(n) for n in re.findall(r">Claim (\d+) starts: </span>", joined)]
    first = list(dict.fromkeys(starts))
    assert first == list(range(1, len(first) + 1))
    ends = re.findall(r"> Claim \d+ ends, verdict: (?:False|Not rated)\.</span>", joined)
    assert len(ends) == joined.count('<a class="rating-badge')


@settings(max_examples=300, deadline=None)
@given(texts_with_mentions())
def test_desk_paragraphs_keep_every_offset_and_the_text(example):
    text, mentions = example
    paragraphs = paragraph_runs(text, mentions)
    with translation.override("en"):
        highlights = DeskHighlights()
        for index, runs in enumerate(paragraphs):
            fragment = highlights.paragraph(index, runs)
            assert fragment.startswith(f'<p id="para-{index}" class="desk-paragraph"')
            assert "<script>" not in fragment
            assert "<b>" not in fragment
            starts = [int(value) for value in re.findall(r' data-start="(\d+)"', fragment)]
            # The paragraph's own start, then one per run, in order.
            assert starts == [runs[0].start] + [run.start for run in runs]
            assert html.unescape(re.sub(r"<[^>]+>", "", fragment)) == "".join(
                run.text for run in runs
            )


def test_claim_markup_is_built_once_per_claim():
    claim = _claim(1, rated=True)
    mentions = [
        Mention(pk=1, claim=claim, start=0, end=5),
        Mention(pk=2, claim=claim, start=12, end=17),
    ]
    highlights = PublicHighlights()
    highlights.paragraph(paragraph_runs("Alpha beta. Gamma delta.", mentions)[0])
    assert list(highlights._claims) == [1]


@pytest.mark.parametrize("language", ["en", "de"])
def test_reversed_urls_match_reverse(language):
    with translation.override(language):
        claim_url = ReversedUrl("claims:claim")
        for slug in ("a", "claim-1953", "under_score", "8675309011", "8675309011-b"):
            assert claim_url(slug) == reverse("claims:claim", kwargs={"slug": slug})
        panel_url = ReversedUrl("claims:desk-claim", 12)
        for pk in (1, 12, 999999, 8675309011):
            assert panel_url(pk) == reverse("claims:desk-claim", args=[12, pk])


def test_a_slug_that_needs_quoting_cannot_break_out_of_the_url():
    # Slugs are validated, so this only guards against a row edited in the database.
    with translation.override("en"):
        assert ReversedUrl("claims:claim")('x/"><b>') == "/claims/x%2F%22%3E%3Cb%3E/"


def test_join_escapes_anything_not_already_safe():
    assert join_markup([SafeString("<b>"), "<i>", 3]) == "<b>&lt;i&gt;3"


@pytest.mark.parametrize("language", ["en", "de"])
def test_desk_claim_rows_link_each_panel_with_state_and_verdict_escaped(language):
    rating = Rating(pk=1, slug="false", scale="default", label="False", label_de="Falsch <b>!</b>")
    rated = Claim(pk=7, claim_reviewed='Sie sagte: "<script>x</script>"', rating=rating)
    rated.status = Claim.Status.IN_REVIEW
    unrated = Claim(pk=8, claim_reviewed="Plain", status=Claim.Status.DRAFT)
    rows = [
        Mention(pk=70, claim=rated, start=0, end=3),
        Mention(pk=80, claim=unrated, start=5, end=9),
    ]
    with translation.override(language):
        fragment = str(DeskHighlights().claim_rows(12, rows))
        url = reverse("claims:desk-claim", args=[12, 7])
        status = str(Claim.Status.IN_REVIEW.label)
        verdict = rating.local_label
    items = re.findall(r"<li .*?</li>", fragment)
    assert len(items) == 2
    assert items[0] == (
        f'<li id="claim-row-7" class="mb-2"><a href="{url}" hx-get="{url}"'
        ' data-focus-mention="70" data-claim="7">'
        "Sie sagte: &quot;&lt;script&gt;x&lt;/script&gt;&quot;</a>"
        f' <span class="badge text-bg-light border">{html.escape(status)}</span>'
        f' <span class="rating-badge rating-false">{html.escape(verdict)}</span></li>'
    )
    assert "<script>" not in fragment
    assert "<b>" not in fragment
    assert 'id="claim-row-8"' in items[1]
    assert "rating-badge" not in items[1]
    # The same row, replacing the one on the page:
    oob = str(DeskHighlights().claim_row(12, rows[1], oob=True))
    assert oob.startswith('<li id="claim-row-8" class="mb-2" hx-swap-oob="true">')
