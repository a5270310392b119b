"""Tests for ``claims.text.segments``: overlapping mentions rendered as flat runs."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.text import (
    InvalidOffsets,
    OffsetsOutOfRange,
    Paragraph,
    Run,
    paragraph_spans,
    segment,
)
from tests.text_strategies import EXAMPLES, texts, texts_with_mentions

SEED = Path(__file__).resolve().parent.parent / "seeds" / "hanoi-summit-2019.de.txt"

Case = tuple[str, list[tuple[int, int, int]]]


def cuts(paragraphs: list[Paragraph[str]]) -> list[list[tuple[str, tuple[str, ...]]]]:
    """The runs of each paragraph as (text, keys), for compact comparisons."""
    return [[(run.text, run.keys) for run in paragraph.runs] for paragraph in paragraphs]


def runs_of(paragraphs: list[Paragraph[str]]) -> list[Run[str]]:
    """All runs of the text, in order."""
    return [run for paragraph in paragraphs for run in paragraph.runs]


# Examples


def test_text_without_mentions_is_one_plain_run_per_paragraph() -> None:
    paragraphs = segment("Erster Absatz\nmit Umbruch\n\nZweiter", [])
    assert paragraphs == [
        Paragraph(0, 25, (Run(0, 25, "Erster Absatz\nmit Umbruch"),)),
        Paragraph(27, 34, (Run(27, 34, "Zweiter"),)),
    ]


def test_empty_text_has_no_paragraphs() -> None:
    assert segment("", []) == []


def test_one_mention_cuts_its_paragraph_in_three() -> None:
    text = "Er sagte „Größer“ dazu."
    paragraphs = segment(text, [("a", 9, 17)])
    assert cuts(paragraphs) == [[("Er sagte ", ()), ("„Größer“", ("a",)), (" dazu.", ())]]
    middle = paragraphs[0].runs[1]
    assert (middle.start, middle.end, middle.opens, middle.closes) == (9, 17, ("a",), ("a",))


def test_nested_mentions_list_the_outermost_first() -> None:
    text = "0123456789"
    paragraphs = segment(text, [("inner", 3, 5), ("outer", 2, 8)])
    assert cuts(paragraphs) == [
        [
            ("01", ()),
            ("2", ("outer",)),
            ("34", ("outer", "inner")),
            ("567", ("outer",)),
            ("89", ()),
        ]
    ]
    runs = runs_of(paragraphs)
    assert [(run.opens, run.closes) for run in runs] == [
        ((), ()),
        (("outer",), ()),
        (("inner",), ("inner",)),
        ((), ("outer",)),
        ((), ()),
    ]


def test_overlapping_mentions_are_ordered_by_start() -> None:
    paragraphs = segment("abcdefgh", [("late", 3, 8), ("early", 1, 5)])
    assert cuts(paragraphs) == [
        [
            ("a", ()),
            ("bc", ("early",)),
            ("de", ("early", "late")),
            ("fgh", ("late",)),
        ]
    ]


def test_mentions_with_the_same_start_put_the_longer_first() -> None:
    paragraphs = segment("abcdef", [("short", 0, 2), ("long", 0, 4)])
    assert cuts(paragraphs) == [[("ab", ("long", "short")), ("cd", ("long",)), ("ef", ())]]


def test_identical_mentions_are_all_kept_in_the_order_given() -> None:
    paragraphs = segment("abcdef", [("b", 1, 3), ("a", 1, 3)])
    assert cuts(paragraphs) == [[("a", ()), ("bc", ("b", "a")), ("def", ())]]
    run = paragraphs[0].runs[1]
    assert run.opens == run.closes == ("b", "a")


def test_runs_are_cut_at_mention_boundaries_even_if_the_keys_do_not_change() -> None:
    paragraphs = segment("abcdef", [("x", 0, 3), ("x", 3, 6)])
    assert cuts(paragraphs) == [[("abc", ("x",)), ("def", ("x",))]]


def test_adjacent_mentions_do_not_share_a_run() -> None:
    paragraphs = segment("abcdef", [("left", 0, 3), ("right", 3, 6)])
    assert cuts(paragraphs) == [[("abc", ("left",)), ("def", ("right",))]]


def test_mention_across_a_paragraph_break_is_cut_at_the_paragraph_edges() -> None:
    text = "eins zwei\n\n\ndrei vier\n\nfünf"
    start, end = text.index("zwei"), text.index("fünf") + 2
    paragraphs = segment(text, [("claim", start, end)])
    assert cuts(paragraphs) == [
        [("eins ", ()), ("zwei", ("claim",))],
        [("drei vier", ("claim",))],
        [("fü", ("claim",)), ("nf", ())],
    ]
    runs = [run for run in runs_of(paragraphs) if run.keys]
    assert [(run.opens, run.closes) for run in runs] == [
        (("claim",), ()),
        ((), ()),
        ((), ("claim",)),
    ]


def test_mention_covering_only_a_paragraph_separator_shows_nowhere() -> None:
    paragraphs = segment("eins\n\nzwei", [("gap", 4, 6)])
    assert cuts(paragraphs) == [[("eins", ())], [("zwei", ())]]


def test_offsets_are_code_points_so_emoji_and_combining_marks_stay_whole() -> None:
    text = "Daumen 👍🏽 für q\u0307 🇩🇪"
    start = text.index("👍🏽")
    flag = text.index("🇩🇪")
    paragraphs = segment(text, [("thumb", start, start + 2), ("flag", flag, flag + 2)])
    assert [(run.text, run.keys) for run in paragraphs[0].runs if run.keys] == [
        ("👍🏽", ("thumb",)),
        ("🇩🇪", ("flag",)),
    ]


@pytest.mark.parametrize(
    ("mention", "error"),
    [
        (("k", 0, 99), OffsetsOutOfRange),
        (("k", 3, 3), InvalidOffsets),
        (("k", 4, 2), InvalidOffsets),
        (("k", -1, 2), InvalidOffsets),
        (("k", True, 2), InvalidOffsets),
    ],
)
def test_invalid_mentions_raise_instead_of_being_clipped(
    mention: tuple[str, int, int], error: type[Exception]
) -> None:
    with pytest.raises(error):
        segment("abcdef", [("fine", 0, 2), mention])


def test_keys_can_be_any_object_and_are_passed_through_untouched() -> None:
    key = {"claim": 7}  # unhashable on purpose
    paragraphs = segment("abc", [(key, 0, 1)])
    assert paragraphs[0].runs[0].keys[0] is key


def test_mentions_may_be_any_iterable() -> None:
    paragraphs = segment("abc", ((key, key, key + 1) for key in range(3)))
    assert [run.keys for run in runs_of(paragraphs)] == [(0,), (1,), (2,)]


def test_seed_quote_is_one_run_of_its_paragraph() -> None:
    seed = SEED.read_text(encoding="utf-8")
    quote = "Waffenstillstands von 1953"
    start = seed.index(quote)
    paragraphs = segment(seed, [("claim", start, start + len(quote))])
    assert len(paragraphs) == 7
    marked = [(index, run) for index, p in enumerate(paragraphs) for run in p.runs if run.keys]
    assert len(marked) == 1
    index, run = marked[0]
    assert index == 4
    assert (run.text, run.keys, run.opens, run.closes) == (
        quote,
        ("claim",),
        ("claim",),
        ("claim",),
    )


# Properties


def check_round_trip(text: str, paragraphs: list[Paragraph[int]]) -> None:
    """Runs tile each paragraph exactly; only blank text lies outside paragraphs."""
    assert [(p.start, p.end) for p in paragraphs] == paragraph_spans(text)
    for paragraph in paragraphs:
        assert paragraph.runs
        assert "".join(run.text for run in paragraph.runs) == text[paragraph.start : paragraph.end]
        assert paragraph.runs[0].start == paragraph.start
        assert paragraph.runs[-1].end == paragraph.end
        for run, following in zip(paragraph.runs, paragraph.runs[1:], strict=False):
            assert run.end == following.start
        for run in paragraph.runs:
            assert run.start < run.end
            assert run.text == text[run.start : run.end]
    inside = {i for p in paragraphs for i in range(p.start, p.end)}
    assert all(text[i].isspace() for i in range(len(text)) if i not in inside)


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts_with_mentions())
def test_runs_reconstruct_every_paragraph_exactly(case: Case) -> None:
    text, mentions = case
    check_round_trip(text, segment(text, mentions))


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts_with_mentions(texts()))
def test_runs_reconstruct_every_paragraph_of_unnormalised_text(case: Case) -> None:
    text, mentions = case
    check_round_trip(text, segment(text, mentions))


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts_with_mentions())
def test_every_mention_covers_exactly_its_characters_inside_paragraphs(case: Case) -> None:
    text, mentions = case
    paragraphs = segment(text, mentions)
    inside = {i for p in paragraphs for i in range(p.start, p.end)}
    covered: dict[int, set[int]] = {key: set() for key, _, _ in mentions}
    for run in runs_of(paragraphs):
        for key in run.keys:
            covered[key] |= set(range(run.start, run.end))
    for key, start, end in mentions:
        assert covered[key] == set(range(start, end)) & inside
    for run in runs_of(paragraphs):
        expected = [key for key, start, end in mentions if start <= run.start and run.end <= end]
        assert sorted(run.keys) == sorted(expected)
        for key, start, end in mentions:
            if key not in run.keys:
                assert run.end <= start or end <= run.start


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts_with_mentions())
def test_keys_in_a_run_go_outermost_first_then_in_the_order_given(case: Case) -> None:
    text, mentions = case
    order = {key: (start, -end, key) for key, start, end in mentions}  # keys are input indices
    for run in runs_of(segment(text, mentions)):
        assert list(run.keys) == sorted(run.keys, key=order.__getitem__)
        assert list(run.opens) == sorted(run.opens, key=order.__getitem__)
        assert list(run.closes) == sorted(run.closes, key=order.__getitem__)


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts_with_mentions())
def test_runs_are_cut_only_at_mention_boundaries(case: Case) -> None:
    text, mentions = case
    boundaries = {offset for _, start, end in mentions for offset in (start, end)}
    for paragraph in segment(text, mentions):
        for run in paragraph.runs[1:]:
            assert run.start in boundaries


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts_with_mentions())
def test_each_mention_opens_once_at_its_first_run_and_closes_once_at_its_last(
    case: Case,
) -> None:
    text, mentions = case
    runs = runs_of(segment(text, mentions))
    for key, _, _ in mentions:
        holding = [index for index, run in enumerate(runs) if key in run.keys]
        opening = [index for index, run in enumerate(runs) if key in run.opens]
        closing = [index for index, run in enumerate(runs) if key in run.closes]
        if holding:
            assert opening == [holding[0]]
            assert closing == [holding[-1]]
        else:
            assert opening == closing == []


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts_with_mentions(), st.sets(st.integers(0, 12)))
def test_only_selected_paragraphs_get_the_same_runs_as_the_whole(case: Case, only) -> None:
    text, mentions = case
    whole = segment(text, mentions)
    some = segment(text, mentions, only=only)
    assert [(p.start, p.end) for p in some] == [(p.start, p.end) for p in whole]
    for index, (part, full) in enumerate(zip(some, whole, strict=True)):
        assert part.runs == (full.runs if index in only else ())
