"""A web page → its article text and metadata (trafilatura).

:func:`text_from_html` serves both an uploaded ``.html`` file and a fetched page. trafilatura
finds the main text and drops navigation, footers, comments, tables and scripts; the page's
title, byline, date, language and site name come along when the page has them.
"""

import datetime
import logging
import re
from collections import defaultdict, deque
from typing import TypedDict

import trafilatura
from django.utils.translation import gettext as _
from lxml.html import HtmlElement

from claims.importing.cleaning import ImportedText, finish_text
from claims.importing.encoding import decode, reject_binary
from claims.importing.errors import file_too_large, no_article_found
from claims.text.blocks import compact
from claims.text.normalize import paragraph_spans
from claims.wording import is_language_tag

__all__ = ["MAX_UPLOAD_BYTES", "text_from_html"]

logger = logging.getLogger(__name__)

#: Largest HTML, in bytes (uploaded or fetched): markup is bulky, the article inside is
#: much smaller.
MAX_UPLOAD_BYTES = 5_000_000

_SNIFF_CHARACTERS = 2048


# The document opens like a whole page; anything else is a fragment trafilatura would reject.
_WHOLE_DOCUMENT = re.compile(r"<(?:!doctype|html|head|body)\b", re.I)


def text_from_html(html: str | bytes, *, url: str = "", charset: str = "") -> ImportedText:
    """Return the article inside a web page, with the page's metadata.

    trafilatura finds the main text and drops navigation, footers, comments, tables and
    scripts (favouring precision); each paragraph it returns becomes a paragraph of the text,
    separated by a blank line. Bytes are decoded by :func:`~claims.importing.encoding.decode`,
    honouring ``charset`` (e.g. from an HTTP ``Content-Type``) or else a ``<meta charset>``
    in the first 2 KB. ``url`` (the page's address, if known) helps trafilatura with
    metadata. Raises
    :class:`~claims.importing.errors.ArticleImportError`: ``too_large`` beyond
    :data:`MAX_UPLOAD_BYTES` of HTML or :data:`~claims.importing.cleaning.MAX_TEXT_CHARS` of
    text, ``not_text`` for binary bytes, ``no_article_found`` when no article text is found.
    """
    notices: list[str] = []
    if isinstance(html, bytes):
        if len(html) > MAX_UPLOAD_BYTES:
            raise file_too_large(len(html), MAX_UPLOAD_BYTES)
        reject_binary(html)
        decoded = decode(html, charset, markup=True)
        markup = decoded.text
        notices.extend(decoded.notices)
    else:
        size = len(html.encode("utf-8", "surrogatepass"))
        if size > MAX_UPLOAD_BYTES:
            raise file_too_large(size, MAX_UPLOAD_BYTES)
        markup = html
    if not _WHOLE_DOCUMENT.search(markup[:_SNIFF_CHARACTERS]):
        # trafilatura takes a lone <p>…</p> for "not HTML"; a body around it fixes that.
        markup = f"<html><body>{markup}</body></html>"

    tree = trafilatura.load_html(markup)
    extracted = None
    if tree is not None:
        structure = _structure(tree, url)  # bare_extraction works on a copy of the tree
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
        raise no_article_found()
    notices.append(
        _("Only the article was kept from the web page; check that no paragraph is missing.")
    )
    paragraphs, roles = _paragraphs_from_lines(extracted, structure)
    text, notices_tuple = finish_text(paragraphs, notices, source="html")
    if len(paragraph_spans(text)) != len(roles):  # cleaning emptied a line: no roles
        roles = []
    metadata = _html_metadata(tree, url)
    return ImportedText(text=text, notices=notices_tuple, blocks=tuple(compact(roles)), **metadata)


def _paragraphs_from_lines(
    extracted: str, structure: dict[str, deque[str]]
) -> tuple[str, list[str]]:
    """Make every line trafilatura returned a paragraph of its own, with its role.

    trafilatura's text output puts a single line break between paragraphs (and headings, list
    items); the project's paragraphs are separated by blank lines. Indentation copied from the
    page's source is dropped, since HTML ignores it too. A line the page's structure
    (:func:`_structure`) knows as a heading, list item or quote gets that role; a list item
    loses the ``- `` trafilatura put before it, since the role draws the bullet.
    """
    lines = (line.strip() for line in extracted.replace("\r\n", "\n").split("\n"))
    paragraphs, roles = [], []
    for line in lines:
        if not line:
            continue
        item = line[2:].strip() if line.startswith("- ") else None
        if item and _take(structure, item, "li"):
            paragraphs.append(item)
            roles.append("li")
            continue
        paragraphs.append(line)
        role = _take(structure, line)
        roles.append("p" if role in ("", "li") else role)
    return "\n\n".join(paragraphs), roles


def _take(structure: dict[str, deque[str]], line: str, only: str = "") -> str:
    """The role of the next occurrence of ``line`` (``""`` if unknown), used up; with
    ``only``, only when it has that role."""
    queue = structure.get(_squash(line))
    if not queue or (only and queue[0] != only):
        return ""
    return queue.popleft()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def _structure(tree: HtmlElement, url: str) -> dict[str, deque[str]]:
    """The blocks of the page's article: their text (without white space, in any case) →
    the roles of its occurrences in reading order (a text can be a heading and, further
    down, a paragraph). The highest heading level in the article becomes
    ``h2`` (the article's title is the page's ``h1``), the deeper ones ``h3``; an ``h1``
    inside the article is a sub-heading too. Empty when trafilatura finds no structure."""
    try:
        document = trafilatura.bare_extraction(
            tree,
            url=url or None,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            with_metadata=False,
        )
    except Exception:  # the structure is a bonus: never lose the article for it
        logger.warning("structure extraction failed for %s", url or "an upload", exc_info=True)
        return {}
    body = getattr(document, "body", None)
    if body is None:
        return {}
    # Sub-headings of the article: its highest level (often h2, sometimes h3 or h4) is h2.
    heads = [_heading_level(head.get("rend", "")) for head in body.iter("head")]
    deeper = sorted({level for level in heads if level > 1})
    roles: dict[str, deque[str]] = defaultdict(deque)
    for element in body.iter("head", "p", "item", "quote"):
        inside = {ancestor.tag for ancestor in element.iterancestors()}
        if element.tag == "head":
            level = _heading_level(element.get("rend", ""))
            role = "h2" if level == 1 or (deeper and level == deeper[0]) else "h3"
            texts = ["".join(element.itertext())]
        elif element.tag == "item":
            role = "li"
            texts = [
                "".join(
                    [element.text or ""]
                    + ["".join(c.itertext()) + (c.tail or "") for c in element if c.tag != "list"]
                )
            ]
        elif element.tag == "quote":
            if element.find(".//p") is not None:
                continue  # its paragraphs follow
            role, texts = "quote", "".join(element.itertext()).split("\n")
        elif "item" in inside:
            continue  # part of its list item's text
        else:
            role = "quote" if "quote" in inside else "p"
            texts = "".join(element.itertext()).split("\n")
        for text in texts:
            if key := _squash(text):
                roles[key].append(role)
    return roles


def _heading_level(rend: str) -> int:
    """2 for ``"h2"``; 2 when the level is unknown."""
    return int(rend[1]) if re.fullmatch(r"h[1-6]", rend or "") else 2


# --- Metadata ----------------------------------------------------------------------------


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
    if not is_language_tag(value):
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
