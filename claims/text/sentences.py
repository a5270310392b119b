"""The sentences of an article's text: where each one starts and ends.

One splitter for everything that works sentence by sentence (the check-worthiness hints
and the matching against claims checked before), so a hint and a suggestion always cover
the same characters. Sentences never cross a paragraph; their offsets are code points of
the stored text, like every other offset, and ``text[start:end]`` has no white space at
either end.

The splitting itself is syntok's (German and English abbreviations such as "Dr.",
"z. B.", "U.S.A.", decimal numbers, enumerations). Two repairs on top of it, for German
news text, where syntok is known to stop too early or too late:

- an ordinal date or count ("am 3. Oktober", "im 2. Quartal", "zum 27. Mal") is one
  sentence, not two: a sentence that ends in a one- or two-digit number with its period
  is joined to the next when the next starts with a month name (Babel's, in the text's
  language), a lower-case letter or a digit, or when an article or a preposition of
  dates ("am", "im", "zum", "der", "seit" …) stands before the number;
- a quotation that ends a sentence ends it: „Das ist falsch.“ Ist das so? is two
  sentences (syntok keeps them together when the closing mark follows the period).
"""

from dataclasses import dataclass
from functools import cache

import regex
from babel.core import UnknownLocaleError
from babel.dates import get_month_names
from syntok.segmenter import split as _split
from syntok.tokenizer import Tokenizer

from .normalize import paragraph_spans

__all__ = ["Sentence", "month_names", "sentences"]

# "don't" stays as written: the tokens must be the characters of the text.
_TOKENIZER = Tokenizer(replace_not_contraction=False)

# The end of a sentence that may be an ordinal: "… am 3." / "… im 12."
_ORDINAL_END = regex.compile(
    r"(?:^|\s)((?i:am|im|vom|zum|zur|ab|bis|seit|der|die|das|dem|den|des)\s+)?\d{1,2}\.$"
)
# A sentence-final quotation followed by the next sentence: „… falsch.“ Ist
_QUOTE_BREAK = regex.compile(r"[.!?…][\"“”»«‘’']+\s+(?=[„\"“»«‚‘]?\p{Lu})")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: ``text[start:end]``."""

    start: int
    end: int


@cache
def month_names(language: str) -> tuple[str, ...]:
    """Month names and their abbreviations in ``language`` (lower case, longest first),
    from Babel; none for a language Babel does not know. The hints use them too."""
    try:
        names = [
            name.casefold().rstrip(".")
            for width in ("wide", "abbreviated")
            for name in get_month_names(width, locale=language).values()
        ]
    except (ValueError, LookupError, UnknownLocaleError):  # an unknown tag: no month names
        return ()
    return tuple(sorted(set(names), key=len, reverse=True))


def _starts_with_month(text: str, language: str) -> bool:
    head = text[:12].casefold()
    return any(
        head.startswith(month) and not head[len(month) : len(month) + 1].isalpha()
        for month in month_names(language)
    )


def _continues_ordinal(before: str, after: str, language: str) -> bool:
    """True when ``before`` ends in an ordinal number that ``after`` continues."""
    found = _ORDINAL_END.search(before)
    if found is None:
        return False
    first = after[:1]
    return bool(
        found.group(1)  # "am 3." / "im 2." / "zum 27."
        or first.islower()
        or first.isdigit()
        or _starts_with_month(after, language)
    )


def _syntok_spans(paragraph: str) -> list[tuple[int, int]]:
    spans = []
    for tokens in _split(_TOKENIZER.tokenize(paragraph)):
        if not tokens:
            continue
        last = tokens[-1]
        start, end = tokens[0].offset, last.offset + len(last.value)
        if end > start:
            spans.append((start, end))
    return spans


def _repair(paragraph: str, spans: list[tuple[int, int]], language: str) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and _continues_ordinal(
            paragraph[joined[-1][0] : joined[-1][1]], paragraph[start:end], language
        ):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    repaired: list[tuple[int, int]] = []
    for start, end in joined:
        for found in _QUOTE_BREAK.finditer(paragraph, start, end):
            cut = found.end()
            head_end = cut - (len(found.group()) - len(found.group().rstrip()))
            repaired.append((start, head_end))
            start = cut
        repaired.append((start, end))
    return repaired


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentences(text: str, language: str = "de") -> list[Sentence]:
    """The sentences of ``text`` in order, each within one paragraph, never overlapping.

    Every non-blank character of a paragraph belongs to exactly one sentence (text that
    syntok does not count as a sentence, such as a lone dash, joins the one before it).
    ``language`` is a BCP 47 tag; its primary subtag picks the month names."""
    primary = (language or "de").split("-")[0].lower()
    found: list[Sentence] = []
    for p_start, p_end in paragraph_spans(text):
        paragraph = text[p_start:p_end]
        spans = _repair(paragraph, _syntok_spans(paragraph), primary) or [(0, len(paragraph))]
        # Cover the whole paragraph: each sentence runs to where the next one starts.
        edges = [start for start, _end in spans[1:]] + [len(paragraph)]
        begin = 0
        for edge in edges:
            start, end = _trimmed(paragraph, begin, edge)
            if end > start:
                found.append(Sentence(p_start + start, p_start + end))
            begin = edge
    return found
