"""The text engine: pure-Python handling of article text and of spans within it.

It normalises article text into the canonical form that every stored offset refers to,
finds its paragraphs, validates spans and their quotes, converts browser (UTF-16) offsets to
code-point offsets, cuts a text with overlapping mentions into flat runs for rendering, and
re-anchors mentions of an old revision's text onto a new revision.

This package must not import Django or anything else from the project, so that it stays
fast to test and reusable; the Django layer builds on it, never the other way round.
"""

from .normalize import normalize, paragraph_spans
from .reanchor import Anchoring, reanchor, reanchor_all
from .segments import Paragraph, Run, segment
from .spans import (
    InvalidOffsets,
    OffsetsOutOfRange,
    Quote,
    QuoteMismatch,
    SpanError,
    quote_context,
    validate_span,
)
from .words import (
    SplitsCharacter,
    boundary_after,
    boundary_before,
    check_boundaries,
    is_character_boundary,
    narrow_end,
    narrow_start,
    snap_outward,
    widen_end,
    widen_start,
)

__all__ = [
    "Anchoring",
    "InvalidOffsets",
    "OffsetsOutOfRange",
    "Paragraph",
    "Quote",
    "QuoteMismatch",
    "Run",
    "SpanError",
    "SplitsCharacter",
    "boundary_after",
    "boundary_before",
    "check_boundaries",
    "is_character_boundary",
    "narrow_end",
    "narrow_start",
    "normalize",
    "paragraph_spans",
    "quote_context",
    "reanchor",
    "reanchor_all",
    "segment",
    "snap_outward",
    "validate_span",
    "widen_end",
    "widen_start",
]
