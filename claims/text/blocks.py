"""Block roles of an article's paragraphs: sub-heading, list item, quote or plain paragraph.

A revision stores one role per paragraph of :func:`~claims.text.normalize.paragraph_spans`
beside its text (``ArticleRevision.blocks``). Roles are metadata, never characters in the
text, so offsets do not depend on them. An empty list means every paragraph is ``"p"``.

:func:`blocks_from_marked` is the paste rule: Markdown-style markers (``## ``, ``### ``,
``- ``/``* ``, ``> ``) become roles and are removed from the text before it is stored, and a
short line alone becomes a sub-heading. :func:`marked_text` writes roles back as those
markers (for a text box), so the two round-trip.
"""

import re
from collections.abc import Sequence

from .normalize import normalize, paragraph_spans

__all__ = [
    "ROLES",
    "BlockError",
    "blocks_from_marked",
    "check_blocks",
    "compact",
    "marked_text",
    "role_at",
]

#: The roles a paragraph can have. Consecutive ``"li"`` paragraphs form one list.
ROLES = ("p", "h2", "h3", "li", "quote")

#: A line alone shorter than this, without a sentence's final punctuation, is a sub-heading.
SHORT_LINE = 90

_HEADING = re.compile(r"^(#{1,6})[ \t]+(\S.*?)(?:[ \t]+#+)?[ \t]*$")
_ANY_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.M)
_ITEM = re.compile(r"^[-*+•][ \t]+(?=\S)")
_QUOTE = re.compile(r"^>[ \t]?")
# A sentence ends here (possibly inside closing quotes or brackets): not a heading.
_SENTENCE_END = re.compile(r"[.!?:;,…][\"'“”„«»‚‘’)\]]*$")


class BlockError(ValueError):
    """Roles that do not fit the text: ``code`` is ``length`` or ``role``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_blocks(text: str, blocks: Sequence[str]) -> list[str]:
    """Return ``blocks`` as a list after checking them against ``text``: empty, or one known
    role per paragraph. Raises :class:`BlockError`."""
    blocks = list(blocks)
    if not blocks:
        return blocks
    unknown = [role for role in blocks if role not in ROLES]
    if unknown:
        raise BlockError("role", f"unknown block role {unknown[0]!r}")
    count = len(paragraph_spans(text))
    if len(blocks) != count:
        raise BlockError("length", f"{len(blocks)} block roles for {count} paragraphs")
    return blocks


def compact(blocks: Sequence[str]) -> list[str]:
    """``blocks`` as stored: the empty list when every paragraph is a plain one."""
    return [] if all(role == "p" for role in blocks) else list(blocks)


def role_at(blocks: Sequence[str], index: int) -> str:
    """The role of paragraph ``index`` (``"p"`` where ``blocks`` say nothing)."""
    return blocks[index] if 0 <= index < len(blocks) else "p"


def _is_short_line(paragraph: str) -> bool:
    return (
        "\n" not in paragraph
        and len(paragraph.strip()) < SHORT_LINE
        and any(ch.isalpha() for ch in paragraph)
        and not paragraph.lstrip().startswith(("(", "["))
        and not _SENTENCE_END.search(paragraph.rstrip())
    )


def blocks_from_marked(raw: str) -> tuple[str, list[str]]:
    """Apply the paste rule to ``raw``; return the normalised text without the markers and
    its roles (compacted: ``[]`` when all paragraphs are plain).

    - a paragraph of one line ``## Title`` (or ``# Title``) is a sub-heading ``h2``,
      ``### Title`` and deeper an ``h3``; the marker is removed;
    - a paragraph whose every line starts with ``- ``, ``* ``, ``+ `` or ``• `` is a list: each
      line becomes a list item paragraph of its own (``li``), without the marker;
    - a paragraph whose every line starts with ``>`` is a quote, without the markers;
    - a line alone (no final sentence punctuation, under :data:`SHORT_LINE` characters,
      neither the first nor the last paragraph) is a sub-heading ``h2`` — unless the text
      marks its headings with ``#`` itself, which then are the only ones.

    Paragraphs without markers keep their text exactly; the blank lines between paragraphs
    are kept.
    """
    text = normalize(raw)
    spans = paragraph_spans(text)
    guess_headings = not _ANY_HEADING.search(text)
    out: list[str] = []
    roles: list[str] = []
    previous_end = 0
    for index, (start, end) in enumerate(spans):
        out.append(text[previous_end:start])
        previous_end = end
        paragraph = text[start:end]
        lines = paragraph.split("\n")
        heading = _HEADING.match(paragraph) if len(lines) == 1 else None
        if heading:
            out.append(heading.group(2))
            roles.append("h2" if len(heading.group(1)) <= 2 else "h3")
        elif all(_ITEM.match(line) for line in lines):
            out.append("\n\n".join(_ITEM.sub("", line, count=1) for line in lines))
            roles.extend("li" for _ in lines)
        elif all(_QUOTE.match(line) for line in lines) and paragraph.lstrip(">").strip():
            quoted = (_QUOTE.sub("", line, count=1) for line in lines)
            # A line that was only ">" would leave a blank line, splitting the quote.
            out.append("\n".join(line for line in quoted if line.strip()))
            roles.append("quote")
        else:
            out.append(paragraph)
            short = guess_headings and 0 < index < len(spans) - 1 and _is_short_line(paragraph)
            roles.append("h2" if short else "p")
    out.append(text[previous_end:])
    result = normalize("".join(out))
    if len(paragraph_spans(result)) != len(roles):  # a marker-only line vanished: no roles
        return result, []
    return result, compact(roles)


_MARKERS = {"h2": "## ", "h3": "### ", "li": "- "}


def marked_text(text: str, blocks: Sequence[str]) -> str:
    """``text`` with its roles written as the markers :func:`blocks_from_marked` reads."""
    if not blocks:
        return text
    out: list[str] = []
    previous_end = 0
    for index, (start, end) in enumerate(paragraph_spans(text)):
        out.append(text[previous_end:start])
        previous_end = end
        paragraph = text[start:end]
        role = role_at(blocks, index)
        if role == "quote":
            paragraph = "\n".join(f"> {line}" for line in paragraph.split("\n"))
        elif role in _MARKERS:
            paragraph = _MARKERS[role] + paragraph
        out.append(paragraph)
    out.append(text[previous_end:])
    return "".join(out)
