"""Passage edges fall on extended grapheme cluster boundaries (UAX #29): a selection
never splits a flag, a ZWJ sequence, a skin tone, a keycap, a letter and its combining
marks, or a Hangul syllable written as jamo (claims.text.words)."""

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.text import (
    SplitsCharacter,
    boundary_after,
    boundary_before,
    check_boundaries,
    is_character_boundary,
    snap_outward,
)
from tests.text_strategies import CHARACTERS, EXAMPLES, PIECES

FLAG_DE = "\N{REGIONAL INDICATOR SYMBOL LETTER D}\N{REGIONAL INDICATOR SYMBOL LETTER E}"
FLAG_FR = "\N{REGIONAL INDICATOR SYMBOL LETTER F}\N{REGIONAL INDICATOR SYMBOL LETTER R}"
FAMILY = "\N{WOMAN}\u200d\N{WOMAN}\u200d\N{GIRL}"  # 👩‍👩‍👧
THUMBS = "\N{THUMBS UP SIGN}\N{EMOJI MODIFIER FITZPATRICK TYPE-4}"  # 👍🏽
KEYCAP = "1\ufe0f\u20e3"  # 1️⃣
ACCENT = "e\u0301"  # e + combining acute (as typed; NFC would compose it)
DOT = "q\N{COMBINING DOT ABOVE}"  # no precomposed form: two code points even after NFC
JAMO = "\u1100\u1161\u11a8"  # ᄀ ᅡ ᆨ: one syllable (각) written as three jamo
SCOTLAND = "\N{WAVING BLACK FLAG}\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
CLUSTERS = [FLAG_DE, FLAG_FR, FAMILY, THUMBS, KEYCAP, ACCENT, DOT, JAMO, SCOTLAND, "\r\n"]


@pytest.mark.parametrize(
    "cluster",
    CLUSTERS,
    ids=["flag", "flag2", "zwj", "skin", "keycap", "accent", "dot", "jamo", "tags", "crlf"],
)
def test_no_position_inside_a_cluster_is_a_boundary(cluster):
    text = f"a {cluster} b"
    start = 2
    end = start + len(cluster)
    assert is_character_boundary(text, start)
    assert is_character_boundary(text, end)
    for inside in range(start + 1, end):
        assert not is_character_boundary(text, inside), inside
        assert boundary_before(text, inside) == start
        assert boundary_after(text, inside) == end
        assert snap_outward(text, inside, inside + 1 if inside + 1 < end else end) == (start, end)
        with pytest.raises(SplitsCharacter):
            check_boundaries(text, 0, inside)
        with pytest.raises(SplitsCharacter):
            check_boundaries(text, inside, len(text))


def test_two_flags_in_a_row_split_between_them_only():
    text = FLAG_DE + FLAG_FR + FLAG_DE
    assert [p for p in range(len(text) + 1) if is_character_boundary(text, p)] == [0, 2, 4, 6]
    # Half of the second flag, selected: the whole second flag.
    assert snap_outward(text, 3, 4) == (2, 4)
    assert snap_outward(text, 1, 5) == (0, 6)


def test_a_zwj_sequence_is_one_character_but_its_neighbours_are_not():
    text = f"x{FAMILY}{THUMBS}y"
    expected = [0, 1, 1 + len(FAMILY), 1 + len(FAMILY) + len(THUMBS), len(text)]
    assert [p for p in range(len(text) + 1) if is_character_boundary(text, p)] == expected


# --- Property: the same boundaries as the whole text's clusters ------------------------
GRAPHEME_PIECES = [*CLUSTERS, "\u200d", "\ufe0f", "\u20e3", "\u0301", "\u1161", "\u11a8", "\n"]


def texts_with_clusters(max_size: int = 40) -> st.SearchStrategy[str]:
    """Text made of every awkward piece, including loose parts of clusters (a lone ZWJ, a
    mark at the start of a line, a regional indicator without its partner)."""
    return st.lists(st.sampled_from(CHARACTERS + PIECES + GRAPHEME_PIECES), max_size=max_size).map(
        "".join
    )


def _oracle(text: str) -> set[int]:
    """Boundaries from segmenting the whole text at once (no shortcut)."""
    return {0} | {match.end() for match in regex.finditer(r"\X", text)}


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts_with_clusters())
def test_boundaries_are_those_of_the_whole_texts_clusters(text):
    expected = _oracle(text)
    for position in range(len(text) + 1):
        assert is_character_boundary(text, position) == (position in expected), position


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.data())
def test_snapping_widens_to_the_nearest_whole_characters(data):
    text = data.draw(texts_with_clusters().filter(lambda t: len(t) >= 1))
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    new_start, new_end = snap_outward(text, start, end)
    boundaries = _oracle(text)
    assert new_start in boundaries
    assert new_end in boundaries
    assert new_start <= start < end <= new_end
    # Nearest: no boundary between the new and the old edges.
    assert not any(new_start < p <= start for p in boundaries)
    assert not any(end <= p < new_end for p in boundaries)
    check_boundaries(text, new_start, new_end)
