"""Tests for ``claims.text.normalize``: canonical text and its paragraphs."""

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings

from claims.text import normalize, paragraph_spans
from tests.text_strategies import EXAMPLES, normalized_texts, texts

SEED = Path(__file__).resolve().parent.parent / "seeds" / "hanoi-summit-2019.de.txt"


def seed_text() -> str:
    """The demo article exactly as stored in the repository."""
    return SEED.read_text(encoding="utf-8")


# normalize: examples


def test_crlf_and_lone_cr_become_lf() -> None:
    assert normalize("eins\r\nzwei\rdrei\n\r\nvier") == "eins\nzwei\ndrei\n\nvier"


def test_trailing_spaces_and_tabs_are_stripped_from_every_line() -> None:
    assert normalize("Grüße \t\nan alle\t\nund\N{NO-BREAK SPACE}\N{EM SPACE}\nEnde  ") == (
        "Grüße\nan alle\nund\nEnde"
    )


def test_leading_and_trailing_blank_lines_go_but_the_first_indent_stays() -> None:
    assert normalize("\n  \n\t\n   eingerückt\nText\n\n \n") == "   eingerückt\nText"


def test_whitespace_only_lines_between_paragraphs_become_empty() -> None:
    assert normalize("Absatz eins\n \t \nAbsatz zwei") == "Absatz eins\n\nAbsatz zwei"


def test_runs_of_blank_lines_between_paragraphs_are_not_collapsed() -> None:
    assert normalize("eins\n\n\n\nzwei") == "eins\n\n\n\nzwei"


def test_decomposed_accents_and_umlauts_are_composed() -> None:
    assert normalize("Caf" + "e\u0301" + " f" + "u\u0308" + "r") == "Café für"


def test_combining_mark_without_precomposed_form_is_kept() -> None:
    text = normalize("q\u0307")
    assert text == "q\u0307"
    assert len(text) == 2


def test_singleton_decomposition_is_replaced() -> None:
    assert normalize("\N{ANGSTROM SIGN}") == "\N{LATIN CAPITAL LETTER A WITH RING ABOVE}"


def test_german_quotes_umlauts_emoji_and_flags_are_untouched() -> None:
    text = "„Größer“, sagte er 👍🏽 🇩🇪 🇰🇷"
    assert normalize(text) == text


@pytest.mark.parametrize("raw", ["", "\n", "\r\n\r\n", " \t \n\n  "])
def test_empty_and_blank_only_text_normalises_to_empty(raw: str) -> None:
    assert normalize(raw) == ""


def test_seed_article_is_a_fixed_point() -> None:
    seed = seed_text()
    assert "\n\n\n\n" in seed  # the run of three blank lines that must survive
    assert normalize(seed) == seed


# normalize: properties


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts())
def test_normalize_is_idempotent(raw: str) -> None:
    once = normalize(raw)
    assert normalize(once) == once


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts())
def test_normalized_text_is_nfc_without_cr_trailing_whitespace_or_outer_blank_lines(
    raw: str,
) -> None:
    text = normalize(raw)
    assert "\r" not in text
    assert unicodedata.is_normalized("NFC", text)
    assert all(line == line.rstrip() for line in text.split("\n"))
    assert not text.startswith("\n")
    assert not text.endswith("\n")


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts())
def test_normalize_changes_nothing_but_whitespace_and_composition(raw: str) -> None:
    def visible(text: str) -> str:
        return unicodedata.normalize("NFC", "".join(text.split()))

    assert visible(normalize(raw)) == visible(raw)


# paragraph_spans: examples


def test_empty_text_has_no_paragraphs() -> None:
    assert paragraph_spans("") == []


def test_single_newline_stays_inside_a_paragraph() -> None:
    assert paragraph_spans("Zeile eins\nZeile zwei") == [(0, 21)]


def test_blank_lines_separate_paragraphs() -> None:
    text = "eins\n\nzwei\n\n\n\ndrei"
    assert [text[start:end] for start, end in paragraph_spans(text)] == ["eins", "zwei", "drei"]


def test_whitespace_only_line_separates_paragraphs_in_unnormalised_text() -> None:
    text = "\n eins \n \t \nzwei\n"
    assert [text[start:end] for start, end in paragraph_spans(text)] == [" eins ", "zwei"]


def test_offsets_count_code_points_not_utf16_units() -> None:
    text = "👍🏽 🇩🇪\n\nü"
    assert paragraph_spans(text) == [(0, 5), (7, 8)]


def test_seed_article_has_seven_paragraphs() -> None:
    seed = seed_text()
    spans = paragraph_spans(seed)
    assert len(spans) == 7
    assert (
        seed[spans[2][0] : spans[2][1]] == "USA und Nordkorea könnten Koreakrieg offiziell beenden"
    )
    assert seed[spans[3][1] : spans[4][0]] == "\n\n\n\n"


# paragraph_spans: properties


def check_paragraph_invariants(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """Assert what holds for any text; return the separators, before, between and after."""
    bounds = [0] + [offset for span in spans for offset in span] + [len(text)]
    assert bounds == sorted(bounds)
    for start, end in spans:
        assert start < end
        paragraph = text[start:end]
        assert not paragraph.startswith("\n")
        assert not paragraph.endswith("\n")
        assert all(line.strip() for line in paragraph.split("\n"))
    separators = [text[bounds[i] : bounds[i + 1]] for i in range(0, len(bounds), 2)]
    pieces = [separators[0]]
    for (start, end), separator in zip(spans, separators[1:], strict=True):
        pieces += [text[start:end], separator]
    assert "".join(pieces) == text
    for separator in separators:
        assert not separator.strip()
    for separator in separators[1:-1]:
        lines = separator.split("\n")
        assert len(lines) >= 3  # ends a line, holds a blank line, starts a line
        assert lines[0] == ""
        assert lines[-1] == ""
    # Leading and trailing blank text only when there is text before/after it in that line.
    if spans:
        assert "\n" not in separators[0] or separators[0].endswith("\n")
        assert "\n" not in separators[-1] or separators[-1].startswith("\n")
    return separators


@settings(max_examples=EXAMPLES, deadline=None)
@given(normalized_texts())
def test_paragraphs_of_normalised_text_are_separated_by_newlines_only(text: str) -> None:
    spans = paragraph_spans(text)
    separators = check_paragraph_invariants(text, spans)
    assert separators[0] == ""
    assert separators[-1] == ""
    for separator in separators[1:-1]:
        assert set(separator) == {"\n"}
        assert len(separator) >= 2
    assert (spans == []) == (text == "")


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts())
def test_paragraphs_of_raw_text_cover_every_non_blank_line(text: str) -> None:
    check_paragraph_invariants(text, paragraph_spans(text))
