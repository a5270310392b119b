"""What an import produces, :class:`ImportedText`, and the checks every decoded text passes.

:func:`finish_text` is the last step of every import (paste, upload, web page, fetched plain
text): NUL characters refused, other control characters removed with a notice, the text
normalised and its length checked.
"""

import datetime
import re
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.importing.errors import (
    ArticleImportError,
    file_is_empty,
    no_article_found,
    not_text,
    nul_characters,
    text_too_large,
)
from claims.text.normalize import normalize

__all__ = ["MAX_TEXT_CHARS", "ImportedText", "finish_text"]

#: Longest article text accepted, in characters (after normalisation).
MAX_TEXT_CHARS = 1_000_000

# C0 controls except tab, line feed and carriage return, plus DEL and the C1 controls: all
# invisible, none belongs in article text (C1 characters typically come from a Latin-1 misread).
_CONTROL_CHARACTERS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class ImportedText:
    """Normalised article text with what the import wants the editor to know.

    ``text`` is normalised and never empty; ``notices`` are translated sentences about what
    the import changed or guessed. The metadata fields come from an HTML page's metadata and
    are empty (``None`` for the date) when the source has none. ``url`` is the address the
    text was fetched from, after redirects (:mod:`claims.importing.fetch`); empty otherwise.
    ``blocks`` are the paragraphs' roles (sub-heading, list item, quote) where the source
    showed them.
    """

    text: str
    notices: tuple[str, ...]
    title: str = ""
    byline: str = ""
    published_on: datetime.date | None = None
    language: str = ""  # BCP 47
    site_name: str = ""
    url: str = ""
    #: One role per paragraph of ``text`` (``claims.text.blocks``), or empty: all plain.
    blocks: tuple[str, ...] = ()


def finish_text(
    raw: str, notices: list[str], *, source: Literal["paste", "file", "html"]
) -> tuple[str, tuple[str, ...]]:
    """Check and clean decoded text, then normalise it; return it with all notices.

    ``source`` chooses the errors: a pasted text with NUL characters is ``nul_characters``,
    a file ``not_text``; an empty result is ``empty``, or ``no_article_found`` for a web page.
    Beyond :data:`MAX_TEXT_CHARS` characters it is ``too_large``.
    """
    if "\x00" in raw:
        if source == "paste":
            raise nul_characters()
        raise not_text(None)
    cleaned, removed = _CONTROL_CHARACTERS.subn("", raw)
    if removed:
        notices.append(
            ngettext(
                "%(count)s invisible control character was removed from the text.",
                "%(count)s invisible control characters were removed from the text.",
                removed,
            )
            % {"count": removed}
        )
    text = normalize(cleaned)
    if not text:
        if source == "html":
            raise no_article_found()
        if source == "file":
            raise file_is_empty()
        raise ArticleImportError("empty", _("The pasted text is empty."))
    if len(text) > MAX_TEXT_CHARS:
        raise text_too_large(len(text), MAX_TEXT_CHARS)
    return text, tuple(notices)
