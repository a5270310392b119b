"""What an editor gives the desk by hand: pasted text and uploaded files.

- :func:`text_from_paste` — text from the editor's text box;
- :func:`text_from_upload` — ``.txt``, ``.md`` and ``.html``/``.htm`` (the article only, by
  :func:`claims.importing.html.text_from_html`).

Pasted text and ``.txt``/``.md`` files go through the paste rule
(:func:`claims.text.blocks.blocks_from_marked`): sub-headings, list items and quotes become
paragraph roles and their Markdown markers leave the text; other Markdown stays as typed.
"""

import re

from django.utils.translation import gettext as _

from claims.importing.cleaning import MAX_TEXT_CHARS, ImportedText, finish_text
from claims.importing.encoding import charset_from_content_type, decode, reject_binary
from claims.importing.errors import (
    ArticleImportError,
    file_is_empty,
    file_too_large,
    text_too_large,
)
from claims.importing.html import MAX_UPLOAD_BYTES, text_from_html
from claims.text.blocks import blocks_from_marked

__all__ = [
    "ALLOWED_EXTENSIONS",
    "MAX_TEXT_UPLOAD_BYTES",
    "text_from_paste",
    "text_from_upload",
]

#: Largest plain-text (``.txt``, ``.md``) upload, in bytes.
MAX_TEXT_UPLOAD_BYTES = 1_000_000

_TEXT_EXTENSIONS = frozenset({".txt", ".md"})
_HTML_EXTENSIONS = frozenset({".html", ".htm"})
#: The file types an editor may upload, in the order messages name them.
ALLOWED_EXTENSIONS = (".txt", ".md", ".html", ".htm")


def text_from_paste(raw: str) -> ImportedText:
    """Return the article text an editor pasted, normalised.

    NUL characters are refused (``nul_characters``: a binary file was pasted); other control
    characters except tab and line breaks are removed, and a notice says how many. Raises
    :class:`~claims.importing.errors.ArticleImportError` with ``empty`` when nothing but
    whitespace is left and ``too_large`` beyond
    :data:`~claims.importing.cleaning.MAX_TEXT_CHARS` characters.
    """
    # A cheap guard before any work on absurd input; the exact limit is checked afterwards.
    if len(raw) > 2 * MAX_TEXT_CHARS:
        raise text_too_large(len(raw), MAX_TEXT_CHARS)
    text, notices = finish_text(raw, [], source="paste")
    return _with_blocks(text, notices)


def _with_blocks(text: str, notices: tuple[str, ...]) -> ImportedText:
    """The paste rule (:func:`claims.text.blocks.blocks_from_marked`): ``## `` lines and
    short lines alone become sub-headings, ``- `` lines list items, ``> `` lines quotes;
    the markers are removed before the text is stored, so offsets refer to the text
    readers see."""
    text, blocks = blocks_from_marked(text)
    return ImportedText(text=text, notices=notices, blocks=tuple(blocks))


def text_from_upload(filename: str, content: bytes, content_type: str = "") -> ImportedText:
    """Return the article text of an uploaded file, normalised.

    The type is chosen by the file name's extension (any case): ``.txt`` and ``.md`` are plain
    text with the paste rule's roles, ``.html`` and ``.htm`` go through
    :func:`~claims.importing.html.text_from_html`. The size is checked before decoding
    (:data:`MAX_TEXT_UPLOAD_BYTES` for plain text,
    :data:`~claims.importing.html.MAX_UPLOAD_BYTES` for HTML), binary content such as PDF,
    Word or images is refused, and a ``charset`` in ``content_type`` counts as the file's
    declared encoding (:func:`~claims.importing.encoding.decode`). Raises
    :class:`~claims.importing.errors.ArticleImportError` (``unsupported_type``, ``empty``,
    ``too_large``, ``not_text``, ``no_article_found``).
    """
    extension = _extension(filename)
    is_html = extension in _HTML_EXTENSIONS
    if not is_html and extension not in _TEXT_EXTENSIONS:
        raise ArticleImportError(
            "unsupported_type",
            _("“%(name)s” cannot be imported. Allowed file types: %(allowed)s.")
            % {"name": _basename(filename) or "?", "allowed": ", ".join(ALLOWED_EXTENSIONS)},
        )
    if not content:
        raise file_is_empty()
    limit = MAX_UPLOAD_BYTES if is_html else MAX_TEXT_UPLOAD_BYTES
    if len(content) > limit:
        raise file_too_large(len(content), limit)
    reject_binary(content)
    declared = charset_from_content_type(content_type)
    if is_html:
        return text_from_html(content, charset=declared)
    decoded = decode(content, declared)
    text, notices = finish_text(decoded.text, list(decoded.notices), source="file")
    return _with_blocks(text, notices)


def _extension(filename: str) -> str:
    """Return the lower-case extension of a file name (``".txt"``), or ``""``."""
    name = _basename(filename)
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def _basename(filename: str) -> str:
    """Return the last part of a path, whether it uses ``/`` or ``\\`` (old browsers)."""
    return re.split(r"[\\/]", filename or "")[-1].strip()
