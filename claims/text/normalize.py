"""Canonical form of article text, and the paragraphs inside it.

Every offset the project stores points into text that went through :func:`normalize`, so the
function must be stable: normalising normalised text changes nothing.
"""

import unicodedata

__all__ = ["normalize", "paragraph_spans"]


def _is_blank(line: str) -> bool:
    """Tell whether a line (without its ``\\n``) is empty or whitespace only."""
    return not line or line.isspace()


def normalize(raw: str) -> str:
    """Return the canonical form of ``raw`` that all stored offsets refer to.

    - line endings: ``\\r\\n`` and lone ``\\r`` become ``\\n``;
    - trailing whitespace (anything ``str.isspace`` accepts, ``\\n`` aside) is removed from
      every line, so whitespace-only lines become empty;
    - blank lines at the very start and end of the text are dropped, so the result never
      starts or ends with ``\\n``; leading spaces of the first non-blank line are kept;
    - runs of blank lines between paragraphs are kept as they are (not collapsed);
    - the result is in Unicode NFC.

    The function is idempotent: ``normalize(normalize(x)) == normalize(x)``.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    first = 0
    while first < len(lines) and not lines[first]:
        first += 1
    last = len(lines)
    while last > first and not lines[last - 1]:
        last -= 1
    # NFC last: "\n" never composes with a neighbour and no whitespace character is part of a
    # composition, so composing after the line work cannot undo it (the tests check this).
    return unicodedata.normalize("NFC", "\n".join(lines[first:last]))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` code-point offsets of each paragraph of ``text``.

    A paragraph is a maximal run of non-blank lines; paragraphs are separated by one or more
    blank lines (empty, or whitespace-only should the text not be normalised). A single
    ``\\n`` inside a paragraph belongs to it. The spans are in order, non-empty and
    non-overlapping, and ``text[start:end]`` never starts or ends with ``\\n``. Empty or
    all-blank text has no paragraphs.
    """
    spans: list[tuple[int, int]] = []
    start: int | None = None  # start of the paragraph being read
    end = 0  # end of the last non-blank line seen in it
    pos = 0
    for line in text.split("\n"):
        line_end = pos + len(line)
        if _is_blank(line):
            if start is not None:
                spans.append((start, end))
                start = None
        else:
            if start is None:
                start = pos
            end = line_end
        pos = line_end + 1
    if start is not None:
        spans.append((start, end))
    return spans
