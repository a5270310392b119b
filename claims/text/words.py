"""Character and word boundaries for spans: where a mention may start and end.

A span must not split a user-perceived character: a base letter and its combining marks, an
emoji and its skin-tone modifier or variation selector, or the parts of a ZWJ sequence belong
together. Adjusting a mention "by word" moves one edge to the next or previous word edge.
"""

import re
import unicodedata

from .spans import SpanError, validate_span

__all__ = [
    "SplitsCharacter",
    "check_boundaries",
    "is_character_boundary",
    "narrow_end",
    "narrow_start",
    "widen_end",
    "widen_start",
]

_ZWJ = "\u200d"
# A word: letters/digits/underscore, with inner hyphens and apostrophes ("US-Truppen", "don't").
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


class SplitsCharacter(SpanError):
    """A span edge falls inside a user-perceived character (e.g. before a combining mark)."""

    code = "splits_character"


def _extends(char: str) -> bool:
    """Tell whether ``char`` attaches to the character before it."""
    point = ord(char)
    return (
        unicodedata.category(char) in {"Mn", "Me", "Mc"}
        or char == _ZWJ
        or 0xFE00 <= point <= 0xFE0F  # variation selectors
        or 0xE0100 <= point <= 0xE01EF
        or 0x1F3FB <= point <= 0x1F3FF  # emoji skin-tone modifiers
        or 0xE0020 <= point <= 0xE007F  # emoji tag sequences
    )


def is_character_boundary(text: str, position: int) -> bool:
    """Tell whether a span may start or end at ``position`` without splitting a character."""
    if position <= 0 or position >= len(text):
        return True
    return not (_extends(text[position]) or text[position - 1] == _ZWJ)


def check_boundaries(text: str, start: int, end: int) -> None:
    """Raise :class:`SplitsCharacter` when ``start`` or ``end`` splits a character."""
    for edge in (start, end):
        if not is_character_boundary(text, edge):
            raise SplitsCharacter(f"offset {edge} falls inside a character", start=start, end=end)


def _words(text: str, start: int, end: int) -> list[re.Match[str]]:
    return list(_WORD.finditer(text, start, end))


def _paragraph_bounds(text: str, position: int) -> tuple[int, int]:
    """The paragraph around ``position``: edges stop at blank lines."""
    before = text.rfind("\n\n", 0, position)
    after = text.find("\n\n", position)
    return (0 if before < 0 else before + 2), (len(text) if after < 0 else after)


def widen_end(text: str, start: int, end: int) -> int:
    """``end`` moved to the end of the next word in the same paragraph (or unchanged)."""
    validate_span(text, start, end)
    _, limit = _paragraph_bounds(text, end - 1)
    for match in _WORD.finditer(text, end, limit):
        if match.end() > end:
            return match.end()
    return end


def narrow_end(text: str, start: int, end: int) -> int:
    """``end`` moved back to the end of the previous word; never empties the span."""
    validate_span(text, start, end)
    candidates = [m.end() for m in _words(text, start, end) if start < m.end() < end]
    if candidates:
        return candidates[-1]
    # The span is one word (or less): trim it to that word if it has trailing punctuation.
    return end


def widen_start(text: str, start: int, end: int) -> int:
    """``start`` moved to the start of the previous word in the same paragraph."""
    validate_span(text, start, end)
    floor, _ = _paragraph_bounds(text, start)
    before = [m.start() for m in _words(text, floor, start) if m.start() < start]
    return before[-1] if before else start


def narrow_start(text: str, start: int, end: int) -> int:
    """``start`` moved forward to the start of the next word; never empties the span."""
    validate_span(text, start, end)
    later = [m.start() for m in _words(text, start, end) if start < m.start() < end]
    return later[0] if later else start
