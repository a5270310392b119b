"""Tests for ``claims.text.spans``: span validation, and quote context."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.text import (
    InvalidOffsets,
    OffsetsOutOfRange,
    Quote,
    QuoteMismatch,
    SpanError,
    quote_context,
    validate_span,
)
from tests.text_strategies import EXAMPLES, normalized_texts, texts_with_mentions

SEED = Path(__file__).resolve().parent.parent / "seeds" / "hanoi-summit-2019.de.txt"
QUOTE = "Waffenstillstands von 1953"
TEXT = "„Größer“, sagte er 👍🏽"  # 19 BMP code points, then two astral ones


# validate_span: examples


def test_valid_span_passes_with_and_without_its_quote() -> None:
    validate_span(TEXT, 1, 7)
    validate_span(TEXT, 1, 7, exact="Größer")
    validate_span(TEXT, 0, len(TEXT), exact=TEXT)


def test_emoji_count_as_one_code_point_each() -> None:
    validate_span(TEXT, 19, 21, exact="👍🏽")
    with pytest.raises(OffsetsOutOfRange):
        validate_span(TEXT, 19, 23)  # the UTF-16 end would be out of range here


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (True, 3),
        (0, True),
        (False, 1),
        (1.0, 3),
        (0, 2.5),
        ("0", 3),
        (None, 3),
        (0, None),
        (-1, 3),
        (0, -1),
        (3, 3),
        (4, 3),
        (len(TEXT), len(TEXT)),
    ],
)
def test_invalid_offsets_are_rejected(start: object, end: object) -> None:
    with pytest.raises(InvalidOffsets) as caught:
        validate_span(TEXT, start, end)  # type: ignore[arg-type]
    assert caught.value.code == "invalid_offsets"
    assert caught.value.start is start
    assert caught.value.end is end


@pytest.mark.parametrize(("start", "end"), [(0, len(TEXT) + 1), (len(TEXT), len(TEXT) + 5)])
def test_span_ending_past_the_text_is_out_of_range(start: int, end: int) -> None:
    with pytest.raises(OffsetsOutOfRange) as caught:
        validate_span(TEXT, start, end)
    assert caught.value.code == "out_of_range"
    assert (caught.value.start, caught.value.end, caught.value.length) == (start, end, len(TEXT))


def test_stale_quote_is_a_mismatch_that_reports_both_strings() -> None:
    with pytest.raises(QuoteMismatch) as caught:
        validate_span(TEXT, 1, 7, exact="Grösser")
    error = caught.value
    assert error.code == "quote_mismatch"
    assert (error.start, error.end, error.expected, error.found) == (1, 7, "Grösser", "Größer")
    assert "Größer" in str(error)


def test_quote_is_compared_code_point_for_code_point() -> None:
    with pytest.raises(QuoteMismatch):
        validate_span("Café", 0, 4, exact="Cafe\u0301")  # same glyphs, not the same text


def test_span_errors_are_value_errors_with_plain_messages() -> None:
    for error_type in (InvalidOffsets, OffsetsOutOfRange, QuoteMismatch):
        assert issubclass(error_type, SpanError)
    assert issubclass(SpanError, ValueError)
    with pytest.raises(ValueError, match="must be before its end"):
        validate_span(TEXT, 4, 2)


# quote_context: examples


def test_quote_context_keeps_width_code_points_each_side() -> None:
    text = "abcdefghij"
    assert quote_context(text, 4, 6, width=3) == Quote(exact="ef", prefix="bcd", suffix="ghi")


def test_quote_context_is_shorter_at_the_text_edges() -> None:
    assert quote_context(TEXT, 0, 1) == Quote(exact="„", prefix="", suffix=TEXT[1:])
    assert quote_context(TEXT, 19, 21, width=4) == Quote(exact="👍🏽", prefix=" er ", suffix="")


def test_quote_context_with_zero_width_has_no_context() -> None:
    assert quote_context(TEXT, 1, 7, width=0) == Quote(exact="Größer", prefix="", suffix="")


@pytest.mark.parametrize("width", [-1, 2.0, True])
def test_quote_context_rejects_a_bad_width(width: object) -> None:
    with pytest.raises(ValueError, match="width"):
        quote_context(TEXT, 1, 7, width=width)  # type: ignore[arg-type]


def test_quote_context_validates_the_span_first() -> None:
    with pytest.raises(OffsetsOutOfRange):
        quote_context(TEXT, 0, 99)


def test_quote_is_immutable() -> None:
    quote = quote_context(TEXT, 1, 7)
    with pytest.raises(AttributeError):
        quote.exact = "x"  # type: ignore[misc]


def test_seed_quote_is_found_validated_and_given_full_context() -> None:
    seed = SEED.read_text(encoding="utf-8")
    start = seed.index(QUOTE)
    end = start + len(QUOTE)
    validate_span(seed, start, end, exact=QUOTE)
    quote = quote_context(seed, start, end)
    assert quote.exact == QUOTE
    assert len(quote.prefix) == 32
    assert len(quote.suffix) == 32
    assert seed[start - 32 : end + 32] == quote.prefix + QUOTE + quote.suffix


# Properties


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts_with_mentions())
def test_quote_context_is_the_text_around_the_span(
    case: tuple[str, list[tuple[int, int, int]]],
) -> None:
    text, spans = case
    for _key, start, end in spans:
        quote = quote_context(text, start, end)
        assert quote.exact == text[start:end]
        assert len(quote.prefix) <= 32
        assert len(quote.suffix) <= 32
        assert len(quote.prefix) == min(32, start)
        assert len(quote.suffix) == min(32, len(text) - end)
        around = quote.prefix + quote.exact + quote.suffix
        assert text[start - len(quote.prefix) : end + len(quote.suffix)] == around


def expected_error(length: int, start: object, end: object) -> type[SpanError] | None:
    """The error ``validate_span`` must raise for these offsets, spelled out independently."""
    if any(type(value) is not int for value in (start, end)):
        return InvalidOffsets
    assert isinstance(start, int)
    assert isinstance(end, int)
    if start < 0 or end < 0 or start >= end:
        return InvalidOffsets
    if end > length:
        return OffsetsOutOfRange
    return None


offsets = st.one_of(
    st.integers(-5, 70),
    st.booleans(),
    st.floats(-5, 70),
    st.none(),
    st.integers(0, 70).map(str),
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(normalized_texts(), offsets, offsets)
def test_validate_span_rejects_every_invalid_span_with_the_right_error(
    text: str, start: object, end: object
) -> None:
    error = expected_error(len(text), start, end)
    if error is None:
        validate_span(text, start, end)  # type: ignore[arg-type]
    else:
        with pytest.raises(error):
            validate_span(text, start, end)  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts_with_mentions(), st.text(max_size=5))
def test_validate_span_accepts_only_the_exact_quote(
    case: tuple[str, list[tuple[int, int, int]]], other: str
) -> None:
    text, spans = case
    for _key, start, end in spans:
        validate_span(text, start, end, exact=text[start:end])
        if other != text[start:end]:
            with pytest.raises(QuoteMismatch):
                validate_span(text, start, end, exact=other)
