"""Turning what an editor gives us — pasted text or an uploaded file — into article text.

Every entry point returns an :class:`ImportedText` whose ``text`` went through
:func:`claims.text.normalize.normalize` and is never empty, or raises
:class:`ArticleImportError` with a stable ``code`` and a translated message for the editor.
Whatever the import changes besides normalisation (an encoding guessed, control characters
removed, boilerplate dropped from a web page) is said in ``notices``, so nothing changes
silently.

- :func:`text_from_paste` — text from the editor's text box;
- :func:`text_from_upload` — ``.txt``, ``.md`` (kept as Markdown source) and ``.html``/``.htm``;
- :func:`text_from_html` — the article of a web page, found by trafilatura (also for URL import);
- :func:`decode_bytes` — bytes to text: BOMs, a declared charset, UTF-8, Windows-1252, Latin-1.

Django is used only for translating messages and formatting numbers in them, so messages must
be built while the editor's language is active (inside the request).
"""

import codecs
import datetime
import logging
import re
from dataclasses import dataclass
from typing import Literal, TypedDict

import trafilatura
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from lxml.html import HtmlElement

from claims.text.normalize import normalize

__all__ = [
    "ALLOWED_EXTENSIONS",
    "MAX_TEXT_CHARS",
    "MAX_TEXT_UPLOAD_BYTES",
    "MAX_UPLOAD_BYTES",
    "ArticleImportError",
    "ImportedText",
    "decode_bytes",
    "text_from_html",
    "text_from_paste",
    "text_from_upload",
]

logger = logging.getLogger(__name__)

#: Longest article text accepted, in characters (after normalisation).
MAX_TEXT_CHARS = 1_000_000
#: Largest HTML upload, in bytes: markup is bulky, the article inside is much smaller.
MAX_UPLOAD_BYTES = 5_000_000
#: Largest plain-text (``.txt``, ``.md``) upload, in bytes.
MAX_TEXT_UPLOAD_BYTES = 1_000_000

_TEXT_EXTENSIONS = frozenset({".txt", ".md"})
_HTML_EXTENSIONS = frozenset({".html", ".htm"})
#: The file types an editor may upload, in the order messages name them.
ALLOWED_EXTENSIONS = (".txt", ".md", ".html", ".htm")

# C0 controls except tab, line feed and carriage return, plus DEL and the C1 controls: all
# invisible, none belongs in article text (C1 characters typically come from a Latin-1 misread).
_CONTROL_CHARACTERS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# A charset declaration in the first 2 KB of an HTML document: <meta charset="…"> as well as
# <meta http-equiv="Content-Type" content="text/html; charset=…">.
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.I)
_CONTENT_TYPE_CHARSET = re.compile(r"""\bcharset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.I)
_SNIFF_BYTES = 2048
_BINARY_SNIFF_BYTES = 8192

# WHATWG: these labels mean Windows-1252 in a web page (browsers never use real Latin-1).
_WINDOWS_1252_LABELS = frozenset(
    {"ascii", "us-ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "cp819"}
)

_BCP47 = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
_BCP47_MAX_LENGTH = 35  # Article.language's max_length

# The document opens like a whole page; anything else is a fragment trafilatura would reject.
_WHOLE_DOCUMENT = re.compile(r"<(?:!doctype|html|head|body)\b", re.I)

ErrorCode = Literal[
    "no_title",
    "empty",
    "too_large",
    "nul_characters",
    "not_text",
    "unsupported_type",
    "no_article_found",
]


class ArticleImportError(ValueError):
    """Text that cannot become an article.

    ``code`` is one of ``empty``, ``too_large``, ``nul_characters``, ``not_text``,
    ``unsupported_type``, ``no_article_found`` and ``no_title``; ``str(exc)`` (also
    ``exc.message``) is a translated sentence to show to the editor.
    """

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message


@dataclass(frozen=True)
class ImportedText:
    """Normalised article text with what the import wants the editor to know.

    ``text`` is normalised and never empty; ``notices`` are translated sentences about what
    the import changed or guessed. The metadata fields come from an HTML page's metadata and
    are empty (``None`` for the date) when the source has none. ``url`` is the address the
    text was fetched from, after redirects (:mod:`claims.fetching`); empty otherwise.
    """

    text: str
    notices: tuple[str, ...]
    title: str = ""
    byline: str = ""
    published_on: datetime.date | None = None
    language: str = ""  # BCP 47
    site_name: str = ""
    url: str = ""


# --- Public entry points -----------------------------------------------------------------


def text_from_paste(raw: str) -> ImportedText:
    """Return the article text an editor pasted, normalised.

    NUL characters are refused (``nul_characters``: a binary file was pasted); other control
    characters except tab and line breaks are removed, and a notice says how many. Raises
    :class:`ArticleImportError` with ``empty`` when nothing but whitespace is left and
    ``too_large`` beyond :data:`MAX_TEXT_CHARS` characters.
    """
    # A cheap guard before any work on absurd input; the exact limit is checked afterwards.
    if len(raw) > 2 * MAX_TEXT_CHARS:
        raise _text_too_large(len(raw))
    text, notices = _finish_text(raw, [], source="paste")
    return ImportedText(text=text, notices=notices)


def text_from_upload(filename: str, content: bytes, content_type: str = "") -> ImportedText:
    """Return the article text of an uploaded file, normalised.

    The type is chosen by the file name's extension (any case): ``.txt`` and ``.md`` are plain
    text (Markdown stays Markdown source), ``.html`` and ``.htm`` go through
    :func:`text_from_html`. The size is checked before decoding (:data:`MAX_TEXT_UPLOAD_BYTES`
    for plain text, :data:`MAX_UPLOAD_BYTES` for HTML), binary content such as PDF, Word or
    images is refused, and a ``charset`` in ``content_type`` counts as the file's declared
    encoding. Raises :class:`ArticleImportError` (``unsupported_type``, ``empty``,
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
        raise _file_is_empty()
    limit = MAX_UPLOAD_BYTES if is_html else MAX_TEXT_UPLOAD_BYTES
    if len(content) > limit:
        raise _file_too_large(len(content), limit)
    _reject_binary(content)
    declared = _charset_from_content_type(content_type)
    if is_html:
        return text_from_html(content, charset=declared)
    text, decode_notices = decode_bytes(content, declared)
    text, notices = _finish_text(text, list(decode_notices), source="file")
    return ImportedText(text=text, notices=notices)


def text_from_html(html: str | bytes, *, url: str = "", charset: str = "") -> ImportedText:
    """Return the article inside a web page, with the page's metadata.

    trafilatura finds the main text and drops navigation, footers, comments, tables and
    scripts (favouring precision); each paragraph it returns becomes a paragraph of the text,
    separated by a blank line. Bytes are decoded by :func:`decode_bytes`, honouring
    ``charset`` (e.g. from an HTTP ``Content-Type``) or else a ``<meta charset>`` in the first
    2 KB. ``url`` (the page's address, if known) helps trafilatura with metadata. Raises
    :class:`ArticleImportError`: ``too_large`` beyond :data:`MAX_UPLOAD_BYTES` of HTML or
    :data:`MAX_TEXT_CHARS` of text, ``not_text`` for binary bytes, ``no_article_found`` when
    no article text is found.
    """
    notices: list[str] = []
    if isinstance(html, bytes):
        if len(html) > MAX_UPLOAD_BYTES:
            raise _file_too_large(len(html), MAX_UPLOAD_BYTES)
        _reject_binary(html)
        markup, decode_notices = decode_bytes(html, charset or _meta_charset(html))
        notices.extend(decode_notices)
    else:
        size = len(html.encode("utf-8", "surrogatepass"))
        if size > MAX_UPLOAD_BYTES:
            raise _file_too_large(size, MAX_UPLOAD_BYTES)
        markup = html
    if not _WHOLE_DOCUMENT.search(markup[:_SNIFF_BYTES]):
        # trafilatura takes a lone <p>…</p> for "not HTML"; a body around it fixes that.
        markup = f"<html><body>{markup}</body></html>"

    tree = trafilatura.load_html(markup)
    extracted = None
    if tree is not None:
        extracted = trafilatura.extract(
            tree,  # extract() works on a copy, so the tree is still whole for the metadata
            url=url or None,
            output_format="txt",
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            with_metadata=False,
        )
    if not extracted or not extracted.strip():
        raise _no_article_found()
    notices.append(
        _("Only the article was kept from the web page; check that no paragraph is missing.")
    )
    text, notices_tuple = _finish_text(_paragraphs_from_lines(extracted), notices, source="html")
    metadata = _html_metadata(tree, url)
    return ImportedText(text=text, notices=notices_tuple, **metadata)


def decode_bytes(content: bytes, declared: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Decode ``content`` to text and say how, for the editor.

    In order: a UTF-8 byte order mark is dropped and the rest read as UTF-8 (no notice); a
    UTF-32 or UTF-16 byte order mark decides the encoding (notice); a ``declared`` charset
    (from a ``<meta>`` or an HTTP header) is used if it decodes the bytes strictly (no
    notice; if not, a notice says it was wrong); then strict UTF-8 (no notice), strict
    Windows-1252 (notice) and finally Latin-1, which decodes anything (notice). Returns the
    text, not yet normalised, and the translated notices.
    """
    notices: list[str] = []
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8) :]
        try:
            return content.decode("utf-8"), ()
        except UnicodeDecodeError:
            pass  # a BOM on something else: detect below, without the BOM
    else:
        unicode_bom = _decode_by_bom(content)
        if unicode_bom is not None:
            return unicode_bom

    if declared:
        candidates = _codecs_for_label(declared)
        if candidates is None:
            notices.append(
                _("The file declares an unknown character set (%(charset)s); it was ignored.")
                % {"charset": declared}
            )
        else:
            for codec in candidates:
                try:
                    return content.decode(codec), ()
                except UnicodeDecodeError:
                    continue
            notices.append(
                _("The file declares the character set %(charset)s but does not match it.")
                % {"charset": declared}
            )

    try:
        return content.decode("utf-8"), tuple(notices)
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("cp1252")
    except UnicodeDecodeError:
        text = content.decode("latin-1")  # every byte is a Latin-1 character
        notices.append(
            _("The file was not UTF-8; it was read as Latin-1 (ISO-8859-1) and converted.")
        )
    else:
        notices.append(
            _("The file was not UTF-8; it was read as Windows-1252 (cp1252) and converted.")
        )
    return text, tuple(notices)


# --- Text --------------------------------------------------------------------------------


def _finish_text(
    raw: str, notices: list[str], *, source: Literal["paste", "file", "html"]
) -> tuple[str, tuple[str, ...]]:
    """Check and clean decoded text, then normalise it; return it with all notices."""
    if "\x00" in raw:
        if source == "paste":
            raise _nul_characters()
        raise _not_text(None)
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
            raise _no_article_found()
        if source == "file":
            raise _file_is_empty()
        raise ArticleImportError("empty", _("The pasted text is empty."))
    if len(text) > MAX_TEXT_CHARS:
        raise _text_too_large(len(text))
    return text, tuple(notices)


def _paragraphs_from_lines(extracted: str) -> str:
    """Make every line trafilatura returned a paragraph of its own.

    trafilatura's text output puts a single line break between paragraphs (and headings, list
    items); the project's paragraphs are separated by blank lines. Indentation copied from the
    page's source is dropped, since HTML ignores it too.
    """
    lines = (line.strip() for line in extracted.replace("\r\n", "\n").split("\n"))
    return "\n\n".join(line for line in lines if line)


# --- Bytes -------------------------------------------------------------------------------

_UNICODE_BOMS = (
    # UTF-32 first: its little-endian BOM begins with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def _decode_by_bom(content: bytes) -> tuple[str, tuple[str, ...]] | None:
    """Decode UTF-16 or UTF-32 text announced by its byte order mark, or return ``None``."""
    for bom, codec, name in _UNICODE_BOMS:
        if content.startswith(bom):
            try:
                text = content.decode(codec)  # the codec reads the BOM and drops it
            except UnicodeDecodeError:
                continue
            notice = _("The file was encoded as %(encoding)s; it was converted.") % {
                "encoding": name
            }
            return text, (notice,)
    return None


def _codecs_for_label(label: str) -> tuple[str, ...] | None:
    """Return the codecs to try for a declared charset, or ``None`` if it is unknown."""
    label = label.strip().lower()
    if label in _WINDOWS_1252_LABELS:
        return ("cp1252", "latin-1")
    try:
        name = codecs.lookup(label).name
        b"a".decode(name, "ignore")  # refuses codecs that are not text encodings (base64, …)
    except LookupError:
        return None
    if name == "utf-7":
        return None  # browsers refuse it: it can smuggle markup past filters
    if name.startswith(("utf-16", "utf-32")):
        # Without a BOM (handled before) such a declaration is wrong: a page that can be read
        # as ASCII far enough to find it is not UTF-16. Browsers read UTF-8 then.
        return ("utf-8",)
    return (name,)


def _meta_charset(content: bytes) -> str:
    """Return the charset an HTML document declares in its first 2 KB, or ``""``."""
    match = _META_CHARSET.search(content[:_SNIFF_BYTES])
    return match.group(1).decode("ascii") if match else ""


def _charset_from_content_type(content_type: str) -> str:
    """Return the ``charset`` parameter of a ``Content-Type`` value, or ``""``."""
    match = _CONTENT_TYPE_CHARSET.search(content_type or "")
    return match.group(1) if match else ""


def _binary_kind(content: bytes) -> str | None:
    """Recognise a binary file: ``pdf``, ``word``, ``office``, ``image``, ``zip``, ``binary``.

    Returns ``None`` for what may be text. Text in UTF-16 or UTF-32 (with its byte order mark)
    is full of NUL bytes, so the NUL test does not apply to it.
    """
    head = content[:_BINARY_SNIFF_BYTES]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: .doc, .xls, .ppt
        return "office"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        if b"word/" in content:
            return "word"
        if b"[Content_Types].xml" in content or b"opendocument" in head:
            return "office"
        return "zip"
    if (
        head.startswith((b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"\xff\xd8\xff"))
        or (head.startswith(b"RIFF") and head[8:12] == b"WEBP")
        or head.startswith((b"II*\x00", b"MM\x00*"))  # TIFF
    ):
        return "image"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)):
        return None
    if b"\x00" in head:
        return "binary"
    return None


def _reject_binary(content: bytes) -> None:
    """Raise ``not_text`` when ``content`` is a binary file rather than text."""
    kind = _binary_kind(content)
    if kind is not None:
        raise _not_text(kind)


# --- HTML metadata -----------------------------------------------------------------------


class _PageMetadata(TypedDict, total=False):
    title: str
    byline: str
    published_on: datetime.date | None
    language: str
    site_name: str


def _html_metadata(tree: HtmlElement, url: str) -> _PageMetadata:
    """Return title, byline, date, language and site name of a page (left out when unknown).

    Metadata is a bonus: if trafilatura fails on it, the article is imported without it.
    """
    metadata = _PageMetadata(language=_html_language(tree))
    try:
        document = trafilatura.extract_metadata(tree, default_url=url or None)
    except Exception:  # a bug in a metadata heuristic must not cost the editor the article
        logger.warning("metadata extraction failed for %s", url or "an upload", exc_info=True)
        return metadata
    metadata["title"] = _clean(document.title)
    metadata["byline"] = _clean(document.author)
    metadata["site_name"] = _clean(document.sitename)
    metadata["published_on"] = _parse_date(document.date)
    return metadata


def _html_language(tree: HtmlElement) -> str:
    """Return the page's language as a BCP 47 tag: ``<html lang>``, then ``<meta>`` tags."""
    candidates = [tree.get("lang", ""), tree.get("xml:lang", "")]
    for meta in tree.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "content-language":
            candidates.append(meta.get("content", ""))
    for meta in tree.iter("meta"):
        if meta.get("property") == "og:locale":
            candidates.append(meta.get("content", ""))
    for candidate in candidates:
        tag = _language_tag(candidate)
        if tag:
            return tag
    return ""


def _language_tag(value: str) -> str:
    """Return ``value`` as a well-formed BCP 47 tag in canonical case, or ``""``."""
    value = value.strip().replace("_", "-").split(",")[0].strip()
    if len(value) > _BCP47_MAX_LENGTH or not _BCP47.match(value):
        return ""
    first, *rest = value.split("-")
    subtags = [first.lower()]
    for subtag in rest:
        if len(subtag) == 2:
            subtags.append(subtag.upper())  # region: GB
        elif len(subtag) == 4 and subtag.isalpha():
            subtags.append(subtag.title())  # script: Latn
        else:
            subtags.append(subtag.lower())
    return "-".join(subtags)


def _parse_date(value: str | None) -> datetime.date | None:
    """Return the ``YYYY-MM-DD`` date trafilatura found, or ``None``."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _clean(value: str | None) -> str:
    """Return a metadata string on one line, without surrounding whitespace."""
    return " ".join(value.split()) if value else ""


# --- Messages ----------------------------------------------------------------------------


def _human_bytes(size: int) -> str:
    """Return a byte count in decimal units (1 MB = 1,000,000 bytes), localised."""
    if size >= 1_000_000:
        amount, unit = size / 1_000_000, "MB"
    elif size >= 1_000:
        amount, unit = size / 1_000, "kB"
    else:
        return _exact_bytes(size)
    rounded = round(amount, 1)
    decimals = 0 if rounded == int(rounded) else 1
    return f"{number_format(rounded, decimal_pos=decimals)}\N{NO-BREAK SPACE}{unit}"


def _exact_bytes(size: int) -> str:
    """Return a byte count in bytes, localised."""
    return ngettext("%(count)s byte", "%(count)s bytes", size) % {"count": _human_count(size)}


def _human_count(count: int) -> str:
    """Return a count with thousands separators, localised."""
    return number_format(count, force_grouping=True)


def _text_too_large(length: int) -> ArticleImportError:
    return ArticleImportError(
        "too_large",
        _("The text is too long: %(size)s characters, but at most %(limit)s are allowed.")
        % {"size": _human_count(length), "limit": _human_count(MAX_TEXT_CHARS)},
    )


def _file_too_large(size: int, limit: int) -> ArticleImportError:
    size_text, limit_text = _human_bytes(size), _human_bytes(limit)
    if size_text == limit_text:  # just over the limit: "1 MB, but at most 1 MB" says nothing
        size_text = _exact_bytes(size)
    return ArticleImportError(
        "too_large",
        _("The file is too large: %(size)s, but at most %(limit)s are allowed.")
        % {"size": size_text, "limit": limit_text},
    )


def _nul_characters() -> ArticleImportError:
    message = _("The text contains NUL characters, which usually means a binary file was pasted.")
    return ArticleImportError("nul_characters", message)


def _file_is_empty() -> ArticleImportError:
    return ArticleImportError("empty", _("The file contains no text."))


def _no_article_found() -> ArticleImportError:
    return ArticleImportError(
        "no_article_found",
        _("No article text was found in the web page. Copy the text and paste it instead."),
    )


def _not_text(kind: str | None) -> ArticleImportError:
    if kind == "pdf":
        message = _("The file is a PDF document, not a text file. Paste the text from it instead.")
    elif kind == "word":
        message = _("The file is a Word document, not a text file. Save it as .txt or paste it.")
    elif kind == "office":
        message = _(
            "The file is an Office document, not a text file. Save it as .txt or paste it."
        )
    elif kind == "image":
        message = _("The file is an image, not a text file.")
    elif kind == "zip":
        message = _("The file is a ZIP archive, not a text file.")
    else:
        message = _("The file is not a text file: it contains binary data.")
    return ArticleImportError("not_text", message)


def _extension(filename: str) -> str:
    """Return the lower-case extension of a file name (``".txt"``), or ``""``."""
    name = _basename(filename)
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def _basename(filename: str) -> str:
    """Return the last part of a path, whether it uses ``/`` or ``\\`` (old browsers)."""
    return re.split(r"[\\/]", filename or "")[-1].strip()
