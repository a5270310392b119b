"""Bytes → text: the one decoder for uploaded files and fetched pages.

An upload and a URL fetch of the same bytes come out as the same text: both go through
:func:`decode`, which tries, in order,

1. a byte order mark (UTF-8, UTF-16, UTF-32);
2. the declared charsets: the one given (an upload's or a response's ``Content-Type``), then,
   for markup, a ``<meta charset>`` or XML declaration in the first 2 KB. ``iso-8859-1`` and
   the other labels browsers read as Windows-1252 mean Windows-1252; UTF-7, UTF-16/32 without
   a BOM and labels that are not text encodings are ignored with a notice;
3. detection: strict UTF-8; else charset_normalizer's guess, when it recognises a language
   and reads letters of another script than Latin (Cyrillic in cp1251) or Windows-1252 cannot
   read the bytes; else Windows-1252, the web's default for Western text; else Latin-1, which
   reads anything.

A byte order mark or declaration that does not decode the bytes strictly still wins when
most of what it decodes is right (a few broken bytes in a UTF-8 page): the broken bytes become
"�" and a notice counts them. When it is mostly wrong, a notice says so and the next step is
tried. Every guess is said in a notice, worded for a file or a page (``source``).

:func:`reject_binary` recognises binary files (PDF, Office, images, archives) before any
decoding.
"""

import codecs
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

import charset_normalizer
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.importing.errors import not_text

__all__ = [
    "Decoded",
    "binary_kind",
    "charset_from_content_type",
    "decode",
    "decode_bytes",
    "reject_binary",
]

Source = Literal["file", "page"]

# A charset declaration in the first 2 KB of an HTML document: <meta charset="…"> as well as
# <meta http-equiv="Content-Type" content="text/html; charset=…">.
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([a-z0-9_.:-]+)""", re.I)
_CONTENT_TYPE_CHARSET = re.compile(r"""\bcharset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.I)
_SNIFF_BYTES = 2048
_BINARY_SNIFF_BYTES = 8192

# WHATWG: these labels mean Windows-1252 in a web page (browsers never use real Latin-1).
_WINDOWS_1252_LABELS = frozenset(
    {"ascii", "us-ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "cp819"}
)

#: The byte order marks, UTF-32 first: its little-endian mark begins with UTF-16's.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# charset_normalizer's coherence (how well the text fits a language it knows, 0 to 1) below
# which its guess is ignored: on short text it names any codec ("Grüße" in cp1006, Urdu).
_MIN_COHERENCE = 0.2


@dataclass(frozen=True)
class Decoded:
    """Decoded text (not yet normalised), the Python codec that made it, and the notices."""

    text: str
    encoding: str
    notices: tuple[str, ...]


def decode(
    content: bytes, declared: str = "", *, markup: bool = False, source: Source = "file"
) -> Decoded:
    """Decode ``content`` by the rules in this module's description.

    ``declared`` is a charset label from outside the bytes (``Content-Type``); ``markup``
    says the bytes are HTML or XHTML, so a declaration inside them counts too. ``source``
    words the notices for a ``"file"`` or a ``"page"``.
    """
    notices: list[str] = []
    for mark, codec in _BYTE_ORDER_MARKS:
        if content.startswith(mark):
            decoded = _decode_declared(content, (codec,), source, notices)
            if decoded is not None:
                if codec != "utf-8-sig":
                    name = codec.upper()
                    notices.insert(0, _encoded_as(source, name))
                    decoded = Decoded(decoded.text, decoded.encoding, tuple(notices))
                return decoded
            content = content[len(mark) :]  # a wrong mark: detect without it
            break
    labels = [declared] if declared else []
    if markup:
        in_page = _meta_charset(content) or _xml_encoding(content)
        if in_page:
            labels.append(in_page)
    for label in labels:
        candidates = _codecs_for_label(label)
        if candidates is None:
            notices.append(_unknown_charset(source, _shorten(label)))
            continue
        decoded = _decode_declared(content, candidates, source, notices)
        if decoded is not None:
            return decoded
        notices.append(_wrong_charset(source, _shorten(label)))
    return _detect(content, source, notices)


def decode_bytes(content: bytes, declared: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Decode a file's bytes with :func:`decode`; return the text and the notices."""
    decoded = decode(content, declared or "")
    return decoded.text, decoded.notices


def charset_from_content_type(content_type: str) -> str:
    """Return the ``charset`` parameter of a ``Content-Type`` value, or ``""``."""
    match = _CONTENT_TYPE_CHARSET.search(content_type or "")
    return match.group(1) if match else ""


def binary_kind(content: bytes) -> str | None:
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


def reject_binary(content: bytes) -> None:
    """Raise ``not_text`` when ``content`` is a binary file rather than text."""
    kind = binary_kind(content)
    if kind is not None:
        raise not_text(kind)


# --- The steps ---------------------------------------------------------------------------


def _decode_declared(
    content: bytes, candidates: tuple[str, ...], source: Source, notices: list[str]
) -> Decoded | None:
    """Decode by a mark or declaration: strictly, or with "�" if mostly right, or ``None``."""
    for codec in candidates:
        try:
            return Decoded(content.decode(codec), codecs.lookup(codec).name, tuple(notices))
        except UnicodeDecodeError:
            continue
    codec = candidates[0]
    text = content.decode(codec, "replace")
    replaced = _replaced(content, text, codec)
    ascii_compatible = not codecs.lookup(codec).name.startswith(("utf-16", "utf-32"))
    right = len(text) - replaced
    if ascii_compatible:
        right -= sum(1 for char in text if char.isascii())
    if right <= replaced:
        return None
    return _replacing(content, codec, source, notices)


def _detect(content: bytes, source: Source, notices: list[str]) -> Decoded:
    """Decode bytes nothing declares: UTF-8, a recognised script, Windows-1252, Latin-1."""
    try:
        return Decoded(content.decode("utf-8"), "utf-8", tuple(notices))
    except UnicodeDecodeError:
        pass
    # Detection is weak on Western single-byte text (it takes French for Baltic, and short
    # text for anything), so Windows-1252, the web's default for Western text, is kept
    # whenever it reads the bytes and the detector does not recognise another script.
    cp1252_reads = _decodes(content, "cp1252")
    codec = "cp1252" if cp1252_reads else "latin-1"
    guess = charset_normalizer.from_bytes(content).best()
    if (
        guess is not None
        and guess.coherence >= _MIN_COHERENCE
        and not (cp1252_reads and _latin_letters_only(str(guess)))
    ):
        codec = (_codecs_for_label(guess.encoding) or (codec,))[0]
    notices.append(_read_as(source, _codec_name(codec)))
    return _replacing(content, codec, source, notices)


def _replacing(content: bytes, codec: str, source: Source, notices: list[str]) -> Decoded:
    """Decode with "�" for what cannot be decoded; a notice counts those inserted."""
    text = content.decode(codec, "replace")
    replaced = _replaced(content, text, codec)
    if replaced:
        notices.append(_replaced_characters(source, replaced))
    return Decoded(text, codecs.lookup(codec).name, tuple(notices))


def _replaced(content: bytes, text: str, codec: str) -> int:
    # Each undecodable stretch becomes one "�" with "replace" and nothing with "ignore", so
    # the difference counts exactly the replacements made (not any "�" the bytes contain).
    return len(text) - len(content.decode(codec, "ignore"))


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


def _xml_encoding(content: bytes) -> str:
    """Return the encoding an XML declaration (XHTML) names, or ``""``."""
    match = _XML_ENCODING.match(content[:200])
    return match.group(1).decode("ascii") if match else ""


def _decodes(content: bytes, codec: str) -> bool:
    try:
        content.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _latin_letters_only(text: str) -> bool:
    """Whether every letter in ``text`` is a Latin one (with or without diacritics)."""
    return all(
        unicodedata.name(char, "").startswith("LATIN") for char in set(text) if char.isalpha()
    )


def _codec_name(codec: str) -> str:
    """Name a codec for the editor: "Windows-1252 (cp1252)", "Latin-1 (ISO-8859-1)", "koi8-r"."""
    name = codecs.lookup(codec).name
    if name == "iso8859-1":
        return "Latin-1 (ISO-8859-1)"
    if re.fullmatch(r"cp125\d", name):
        return f"Windows-{name[2:]} ({name})"
    return name


def _shorten(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


# --- Notices, for a file or a page -------------------------------------------------------


def _encoded_as(source: Source, encoding: str) -> str:
    if source == "page":
        message = _("The page was encoded as %(encoding)s; it was converted.")
    else:
        message = _("The file was encoded as %(encoding)s; it was converted.")
    return message % {"encoding": encoding}


def _unknown_charset(source: Source, charset: str) -> str:
    if source == "page":
        message = _("The page declares an unknown character set (%(charset)s); it was ignored.")
    else:
        message = _("The file declares an unknown character set (%(charset)s); it was ignored.")
    return message % {"charset": charset}


def _wrong_charset(source: Source, charset: str) -> str:
    if source == "page":
        message = _("The page declares the character set %(charset)s but does not match it.")
    else:
        message = _("The file declares the character set %(charset)s but does not match it.")
    return message % {"charset": charset}


def _read_as(source: Source, encoding: str) -> str:
    if source == "page":
        message = _(
            "The page does not say which character set it uses; it was read as %(encoding)s."
        )
    else:
        # Detection follows strict UTF-8, so "not UTF-8" is always true here.
        message = _("The file was not UTF-8; it was read as %(encoding)s and converted.")
    return message % {"encoding": encoding}


def _replaced_characters(source: Source, count: int) -> str:
    if source == "page":
        message = ngettext(
            "%(count)s character of the page could not be decoded and was replaced by "
            "“�”; check the text around it.",
            "%(count)s characters of the page could not be decoded and were replaced by "
            "“�”; check the text around them.",
            count,
        )
    else:
        message = ngettext(
            "%(count)s character of the file could not be decoded and was replaced by "
            "“�”; check the text around it.",
            "%(count)s characters of the file could not be decoded and were replaced by "
            "“�”; check the text around them.",
            count,
        )
    return message % {"count": count}
