"""Character and word boundaries for spans: where a mention may start and end.

A span must not split a user-perceived character: an extended grapheme cluster of
Unicode's text segmentation (UAX #29), as the ``regex`` module's ``\\X`` finds it and the
browser's ``Intl.Segmenter`` with ``granularity: "grapheme"`` (static/js/desk.js). That
keeps together a base letter and its combining marks, an emoji and its skin tone or
variation selector, a ZWJ sequence (👩‍👩‍👧), a flag (two regional indicators: 🇩🇪),
a keycap (1️⃣) and a Hangul syllable written as jamo. Adjusting a mention "by word" moves
one edge to the next or previous word edge, never into a cluster.
"""

import regex

from .spans import SpanError, validate_span

__all__ = [
    "SplitsCharacter",
    "boundary_after",
    "boundary_before",
    "check_boundaries",
    "is_character_boundary",
    "narrow_end",
    "narrow_start",
    "snap_outward",
    "widen_end",
    "widen_start",
]

# A word: letters/digits/underscore with whatever extends them into one character
# (accents, "q̇"), with inner hyphens and apostrophes ("US-Truppen", "don't").
_LETTER = r"[\p{L}\p{N}_][\p{GCB=Extend}\p{GCB=SpacingMark}\p{GCB=ZWJ}]*"
_WORD = regex.compile(rf"(?:{_LETTER})+(?:[-'’](?:{_LETTER})+)*")
_CLUSTER = regex.compile(r"\X")
# Below U+0300 there is no character that joins the one before it or the one after it
# (no Extend, SpacingMark, Prepend, ZWJ, regional indicator, emoji or jamo): between two
# such characters every position is a boundary but inside "\r\n".
_SIMPLE = "\u0300"


class SplitsCharacter(SpanError):
    """A span edge falls inside a user-perceived character (e.g. before a combining mark)."""

    code = "splits_character"


def _cluster_around(text: str, position: int) -> tuple[int, int]:
    """The grapheme cluster that ``position`` falls inside, as ``(start, end)`` with
    ``start < position < end``; ``(position, position)`` when it falls between two."""
    if position <= 0 or position >= len(text):
        return position, position
    before, after = text[position - 1], text[position]
    if before < _SIMPLE and after < _SIMPLE:
        if before == "\r" and after == "\n":
            return position - 1, position + 1
        return position, position
    # Every position just after a line feed is a boundary (rule GB4): clusters are found
    # from the start of the line, not of the text.
    anchor = text.rfind("\n", 0, position) + 1
    if anchor == position:
        return position, position
    for match in _CLUSTER.finditer(text, anchor):
        if match.end() >= position:
            if match.end() == position:
                return position, position
            return match.start(), match.end()
    return position, position  # unreachable: clusters cover the text


def is_character_boundary(text: str, position: int) -> bool:
    """Tell whether a span may start or end at ``position`` without splitting a
    user-perceived character (an extended grapheme cluster)."""
    start, end = _cluster_around(text, position)
    return start == end


def boundary_before(text: str, position: int) -> int:
    """The last character boundary at or before ``position``."""
    return _cluster_around(text, position)[0]


def boundary_after(text: str, position: int) -> int:
    """The first character boundary at or after ``position``."""
    return _cluster_around(text, position)[1]


def snap_outward(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened to whole characters: what a reader means who selected
    half a flag. A selection is snapped; stored offsets are checked, never moved."""
    return boundary_before(text, start), boundary_after(text, end)


def check_boundaries(text: str, start: int, end: int) -> None:
    """Raise :class:`SplitsCharacter` when ``start`` or ``end`` splits a character."""
    for edge in (start, end):
        if not is_character_boundary(text, edge):
            raise SplitsCharacter(f"offset {edge} falls inside a character", start=start, end=end)


def _words(text: str, start: int, end: int) -> list[regex.Match[str]]:
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
            return boundary_after(text, match.end())
    return end


def narrow_end(text: str, start: int, end: int) -> int:
    """``end`` moved back to the end of the previous word; never empties the span."""
    validate_span(text, start, end)
    candidates = [
        edge
        for m in _words(text, start, end)
        if start < (edge := boundary_after(text, m.end())) < end
    ]
    if candidates:
        return candidates[-1]
    # The span is one word (or less): trim it to that word if it has trailing punctuation.
    return end


def widen_start(text: str, start: int, end: int) -> int:
    """``start`` moved to the start of the previous word in the same paragraph."""
    validate_span(text, start, end)
    floor, _ = _paragraph_bounds(text, start)
    before = [
        edge
        for m in _words(text, floor, start)
        if (edge := boundary_before(text, m.start())) < start
    ]
    return before[-1] if before else start


def narrow_start(text: str, start: int, end: int) -> int:
    """``start`` moved forward to the start of the next word; never empties the span."""
    validate_span(text, start, end)
    later = [
        edge
        for m in _words(text, start, end)
        if start < (edge := boundary_before(text, m.start())) < end
    ]
    return later[0] if later else start
