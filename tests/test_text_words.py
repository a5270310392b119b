"""Character boundaries and word-wise adjustment of spans (claims.text.words)."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from claims.text import (
    SplitsCharacter,
    boundary_before,
    check_boundaries,
    is_character_boundary,
    narrow_end,
    narrow_start,
    widen_end,
    widen_start,
)
from tests.text_strategies import EXAMPLES, normalized_texts

SENTENCE = "Er wisse es aber zu schätzen, dass Nordkorea seit mehr als einem Jahr getestet habe."


def test_widen_and_narrow_move_one_word():
    start = SENTENCE.index("dass")
    end = start + len("dass")
    assert SENTENCE[start : widen_end(SENTENCE, start, end)] == "dass Nordkorea"
    assert SENTENCE[widen_start(SENTENCE, start, end) : end] == "schätzen, dass"
    whole = len(SENTENCE)
    assert SENTENCE[start : narrow_end(SENTENCE, start, whole)] == SENTENCE[start:-1]
    assert SENTENCE[narrow_start(SENTENCE, start, whole) : whole].startswith("Nordkorea")


def test_hyphenated_words_count_as_one():
    text = "Der Abzug von US-Truppen aus Südkorea"
    start = text.index("von")
    assert text[start : widen_end(text, start, start + 3)] == "von US-Truppen"


def test_adjusting_never_crosses_a_paragraph_break():
    text = "Erster Absatz endet hier.\n\nZweiter Absatz."
    end = text.index(".") + 1
    start = text.index("hier")
    assert widen_end(text, start, end) == end
    second = text.index("Zweiter")
    assert widen_start(text, second, second + 7) == second


@pytest.mark.parametrize(
    ("text", "position", "boundary"),
    [
        ("e\u0301x", 1, False),  # before a combining accent
        ("e\u0301x", 2, True),
        ("👍🏽!", 1, False),  # before a skin-tone modifier
        ("👩\u200d💻", 2, False),  # after a zero-width joiner
        ("❤\ufe0f", 1, False),  # before a variation selector
        ("abc", 0, True),
        ("abc", 3, True),
    ],
)
def test_character_boundaries(text, position, boundary):
    assert is_character_boundary(text, position) is boundary


def test_check_boundaries_names_the_problem():
    with pytest.raises(SplitsCharacter) as error:
        check_boundaries("Cafe\u0301", 0, 4)
    assert error.value.code == "splits_character"


@st.composite
def text_and_span(draw):
    text = draw(normalized_texts(max_size=80).filter(lambda t: len(t) >= 1))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


@settings(max_examples=EXAMPLES, deadline=None)
@given(text_and_span())
def test_adjusted_spans_stay_valid_and_move_the_right_way(case):
    text, start, end = case
    assert start <= widen_end(text, start, end) <= len(text)
    assert widen_end(text, start, end) >= end
    assert 0 <= widen_start(text, start, end) <= start
    narrowed_end = narrow_end(text, start, end)
    assert start < narrowed_end <= end
    narrowed_start = narrow_start(text, start, end)
    assert start <= narrowed_start < end


@settings(max_examples=EXAMPLES, deadline=None)
@given(text_and_span())
def test_widening_stops_at_word_ends(case):
    text, start, end = case
    assume(is_character_boundary(text, start) and is_character_boundary(text, end))
    new_end = widen_end(text, start, end)
    if new_end != end:
        # The new end closes a word, on a character boundary: a character that starts
        # with a word character before it (a letter with its accents), none after it.
        assert is_character_boundary(text, new_end)
        last = text[boundary_before(text, new_end - 1)]
        assert last.isalnum() or last == "_"
        assert new_end == len(text) or not (text[new_end].isalnum() or text[new_end] == "_")
