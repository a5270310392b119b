"""Spans of stored text: validation, quote context and UTF-16 offset conversion.

Offsets are Unicode code points, i.e. Python ``str`` indices into the normalised text.
Browsers count UTF-16 code units instead, where astral characters (most emoji, flags) take
two units; :func:`utf16_to_codepoint` and :func:`codepoint_to_utf16` convert between the two.
"""

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import ClassVar, TypeGuard

__all__ = [
    "InvalidOffsets",
    "OffsetsOutOfRange",
    "Quote",
    "QuoteMismatch",
    "SpanError",
    "codepoint_to_utf16",
    "quote_context",
    "utf16_to_codepoint",
    "validate_span",
]

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class SpanError(ValueError):
    """A span that cannot be used on a text.

    ``code`` is a stable machine-readable identifier; the message is plain English for logs.
    ``start`` and ``end`` hold the offending values exactly as received (they may not even be
    integers), so callers can build their own, translated message.
    """

    code: ClassVar[str] = "invalid_span"

    def __init__(self, message: str, *, start: object, end: object) -> None:
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end


class InvalidOffsets(SpanError):
    """Offsets that are not integers, are negative, or do not satisfy ``start < end``."""

    code: ClassVar[str] = "invalid_offsets"


class OffsetsOutOfRange(SpanError):
    """A span that ends past the end of the text (``end > len(text)``)."""

    code: ClassVar[str] = "out_of_range"

    def __init__(self, message: str, *, start: object, end: object, length: int) -> None:
        super().__init__(message, start=start, end=end)
        self.length = length


class QuoteMismatch(SpanError):
    """``text[start:end]`` differs from the quote the client saw: its selection is stale."""

    code: ClassVar[str] = "quote_mismatch"

    def __init__(self, message: str, *, start: int, end: int, expected: str, found: str) -> None:
        super().__init__(message, start=start, end=end)
        self.expected = expected
        self.found = found


def _is_offset(value: object) -> TypeGuard[int]:
    """Tell whether ``value`` is a usable offset type: an ``int`` but not a ``bool``."""
    return isinstance(value, int) and not isinstance(value, bool)


def validate_span(text: str, start: int, end: int, exact: str | None = None) -> None:
    """Check that ``[start, end)`` is a non-empty span of ``text``, and that it reads ``exact``.

    Raises, checking in this order:

    - :class:`InvalidOffsets` if an offset is not an ``int`` (``bool`` is refused), is
      negative, or ``start >= end``;
    - :class:`OffsetsOutOfRange` if ``end > len(text)``;
    - :class:`QuoteMismatch` if ``exact`` is given and ``text[start:end] != exact``.
    """
    for name, value in (("start", start), ("end", end)):
        if not _is_offset(value):
            raise InvalidOffsets(
                f"Span {name} must be an integer, got {type(value).__name__} {value!r}.",
                start=start,
                end=end,
            )
        if value < 0:
            raise InvalidOffsets(
                f"Span {name} must not be negative, got {value}.", start=start, end=end
            )
    if start >= end:
        raise InvalidOffsets(
            f"Span start must be before its end, got start {start} and end {end}.",
            start=start,
            end=end,
        )
    if end > len(text):
        raise OffsetsOutOfRange(
            f"Span {start}-{end} ends past the end of the text ({len(text)} characters).",
            start=start,
            end=end,
            length=len(text),
        )
    if exact is not None and text[start:end] != exact:
        found = text[start:end]
        raise QuoteMismatch(
            f"Span {start}-{end} reads {found!r}, not the expected {exact!r}.",
            start=start,
            end=end,
            expected=exact,
            found=found,
        )


@dataclass(frozen=True, slots=True)
class Quote:
    """The quoted characters of a span with up to ``width`` characters of context each side.

    This is the W3C Web Annotation "text quote selector" shape; it lets a stale selection be
    detected, and shown, after the text has changed.
    """

    exact: str
    prefix: str
    suffix: str


def quote_context(text: str, start: int, end: int, width: int = 32) -> Quote:
    """Return the :class:`Quote` of ``text[start:end]`` with ``width`` code points of context.

    The prefix and suffix are shorter where the span is near the edges of the text. The span is
    validated first with :func:`validate_span`; ``width`` must be a non-negative integer.
    """
    validate_span(text, start, end)
    if not _is_offset(width) or width < 0:
        raise ValueError(f"Context width must be a non-negative integer, got {width!r}.")
    return Quote(
        exact=text[start:end],
        prefix=text[max(0, start - width) : start],
        suffix=text[end : end + width],
    )


def _astral_positions(text: str) -> list[int]:
    """Return the code-point indices of the astral characters (two UTF-16 units) in ``text``."""
    return [match.start() for match in _ASTRAL.finditer(text)]


def _check_offset(offset: object, what: str) -> None:
    """Raise :class:`InvalidOffsets` unless ``offset`` is a non-negative ``int``."""
    if not _is_offset(offset):
        raise InvalidOffsets(
            f"{what} must be an integer, got {type(offset).__name__} {offset!r}.",
            start=offset,
            end=None,
        )
    if offset < 0:
        raise InvalidOffsets(f"{what} must not be negative, got {offset}.", start=offset, end=None)


def codepoint_to_utf16(text: str, offset: int) -> int:
    """Convert a code-point offset in ``text`` to the matching UTF-16 code-unit offset.

    ``offset`` may be anything from 0 to ``len(text)`` included; anything else raises
    :class:`InvalidOffsets` (with the offset as ``start`` and ``end`` set to ``None``).
    """
    _check_offset(offset, "Code-point offset")
    if offset > len(text):
        raise InvalidOffsets(
            f"Code-point offset {offset} is past the end of the text ({len(text)} characters).",
            start=offset,
            end=None,
        )
    # Each astral character before the offset takes one extra code unit.
    return offset + bisect_left(_astral_positions(text), offset)


def utf16_to_codepoint(text: str, offset: int) -> int:
    """Convert a UTF-16 code-unit offset in ``text`` (as a browser counts) to a code-point one.

    Raises :class:`InvalidOffsets` (with the offset as ``start`` and ``end`` set to ``None``)
    if ``offset`` is not a non-negative ``int``, falls between the two halves of a surrogate
    pair, or lies past the end of the text.
    """
    _check_offset(offset, "UTF-16 offset")
    # The k-th astral character (0-based) starts at UTF-16 unit position[k] + k.
    unit_starts = [position + k for k, position in enumerate(_astral_positions(text))]
    length = len(text) + len(unit_starts)
    if offset > length:
        raise InvalidOffsets(
            f"UTF-16 offset {offset} is past the end of the text ({length} code units).",
            start=offset,
            end=None,
        )
    inside = bisect_left(unit_starts, offset - 1)
    if inside < len(unit_starts) and unit_starts[inside] == offset - 1:
        raise InvalidOffsets(
            f"UTF-16 offset {offset} falls inside a surrogate pair.", start=offset, end=None
        )
    # Astral characters that end at or before the offset each took one unit too many.
    return offset - bisect_right(unit_starts, offset - 2)
