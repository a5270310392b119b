"""Spans of stored text: validation and quote context.

Offsets are Unicode code points, i.e. Python ``str`` indices into the normalised text.
Browsers count UTF-16 code units instead, where astral characters (most emoji, flags) take
two units; the desk's JavaScript converts before it sends an offset (``static/js/desk.js``).
"""

from dataclasses import dataclass
from typing import ClassVar, TypeGuard

__all__ = [
    "InvalidOffsets",
    "OffsetsOutOfRange",
    "Quote",
    "QuoteMismatch",
    "SpanError",
    "quote_context",
    "validate_span",
]


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
