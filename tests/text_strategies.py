"""Hypothesis settings and strategies shared by the text-engine tests (``test_text_*.py``)."""

import os

from hypothesis import strategies as st

from claims.text import normalize, paragraph_spans

# Examples per property test; raise it for a soak run, lower it for a quick one.
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "1000"))

# Single characters: ASCII, whitespace and line breaks, umlauts, German quotes, astral emoji
# and their parts (skin tone, regional indicators), combining marks, a singleton that NFC
# replaces (Angstrom sign), no-break and em spaces.
CHARACTERS = [
    "a",
    "b",
    "Z",
    "1",
    ".",
    " ",
    " ",
    "\t",
    "\n",
    "\n",
    "\r",
    "ä",
    "ö",
    "Ü",
    "ß",
    "„",
    "“",
    "\N{GRINNING FACE}",
    "\N{THUMBS UP SIGN}",
    "\N{EMOJI MODIFIER FITZPATRICK TYPE-4}",
    "\N{REGIONAL INDICATOR SYMBOL LETTER D}",
    "\N{REGIONAL INDICATOR SYMBOL LETTER E}",
    "\N{COMBINING ACUTE ACCENT}",
    "\N{COMBINING DIAERESIS}",
    "\N{COMBINING DOT ABOVE}",
    "\N{ANGSTROM SIGN}",
    "\N{NO-BREAK SPACE}",
    "\N{EM SPACE}",
]

# Multi-character pieces that single characters rarely line up into.
PIECES = [
    "\r\n",
    "\n\n",  # paragraph breaks, weighted up so that most texts have several paragraphs
    "\n\n",
    "\n\n",
    "\r\n\r\n",
    "\n \n",
    "\n\n\n\n",
    " \t\n",
    "e\N{COMBINING ACUTE ACCENT}",  # NFC composes it to "é"
    "u\N{COMBINING DIAERESIS}",  # NFC composes it to "ü"
    "q\N{COMBINING DOT ABOVE}",  # no precomposed form: stays two code points
    "\N{THUMBS UP SIGN}\N{EMOJI MODIFIER FITZPATRICK TYPE-4}",
    "\N{REGIONAL INDICATOR SYMBOL LETTER D}\N{REGIONAL INDICATOR SYMBOL LETTER E}",
    "„Zitat“",
    "Grüße",
]


def texts(max_size: int = 60) -> st.SearchStrategy[str]:
    """Raw text mixing every awkward kind of character the engine must handle."""
    return st.lists(st.sampled_from(CHARACTERS + PIECES), max_size=max_size).map("".join)


def normalized_texts(max_size: int = 60) -> st.SearchStrategy[str]:
    """Text as stored: the output of :func:`normalize` on :func:`texts`."""
    return texts(max_size).map(normalize)


@st.composite
def mentions(draw: st.DrawFn, text: str, max_size: int = 8) -> list[tuple[int, int, int]]:
    """Lists of valid ``(key, start, end)`` spans of ``text`` with unique integer keys.

    Offsets favour paragraph edges and the text edges, so spans crossing paragraph breaks,
    nested and adjacent spans are common; some spans are repeated to get identical ones.
    """
    if not text:
        return []
    edges = sorted({0, len(text)} | {offset for span in paragraph_spans(text) for offset in span})
    # One draw per offset; the edges get about a third of the weight.
    pool = [*range(len(text) + 1), *edges * max(1, (len(text) + 1) // (2 * len(edges)))]
    index = st.integers(0, len(pool) - 1)
    drawn: list[tuple[int, int]] = []
    for _ in range(draw(st.integers(0, max_size))):
        a, b = sorted((pool[draw(index)], pool[draw(index)]))
        if a == b:
            a, b = (a, a + 1) if a < len(text) else (a - 1, a)
        drawn.append((a, b))
    if drawn:
        drawn += draw(st.lists(st.sampled_from(drawn), max_size=2))
    return [(key, start, end) for key, (start, end) in enumerate(drawn)]


@st.composite
def texts_with_mentions(
    draw: st.DrawFn, text_strategy: st.SearchStrategy[str] | None = None
) -> tuple[str, list[tuple[int, int, int]]]:
    """A text (normalised unless another strategy is given) and valid mentions of it."""
    text = draw(normalized_texts() if text_strategy is None else text_strategy)
    return text, draw(mentions(text))
