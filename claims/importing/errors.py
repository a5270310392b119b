"""The import errors and the sentences they carry.

:class:`ArticleImportError` is any text that cannot become an article; :class:`FetchError`,
one of them, is a web address that cannot or may not be fetched. The helpers below build the
errors more than one module raises, with byte and character counts formatted for the
editor's language (so they must be called while it is active).
"""

from typing import Literal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

__all__ = [
    "ArticleImportError",
    "ErrorCode",
    "FetchError",
    "FetchErrorCode",
    "file_is_empty",
    "file_too_large",
    "human_bytes",
    "no_article_found",
    "not_text",
    "nul_characters",
    "text_too_large",
]

ErrorCode = Literal[
    "no_title",
    "empty",
    "too_large",
    "nul_characters",
    "not_text",
    "unsupported_type",
    "no_article_found",
]

FetchErrorCode = Literal[
    "invalid_url",
    "unsupported_scheme",
    "credentials",
    "forbidden_address",
    "dns_failed",
    "connection_failed",
    "timeout",
    "tls_error",
    "too_many_redirects",
    "bad_redirect",
    "http_error",
    "unsupported_type",
    "unsupported_encoding",
    "too_large",
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


class FetchError(ArticleImportError):
    """A page that cannot or may not be fetched.

    ``code`` is one of :data:`FetchErrorCode`; ``str(exc)`` (also ``exc.message``) is a
    translated sentence naming the reason. Extraction errors after a successful fetch are
    plain :class:`ArticleImportError`\\ s.
    """

    def __init__(self, code: FetchErrorCode, message: str) -> None:
        super().__init__(code, message)  # type: ignore[arg-type]
        self.code: FetchErrorCode = code  # type: ignore[assignment]


# --- Numbers in messages -----------------------------------------------------------------


def human_bytes(size: int) -> str:
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


# --- Errors raised in more than one place ------------------------------------------------


def text_too_large(length: int, limit: int) -> ArticleImportError:
    return ArticleImportError(
        "too_large",
        _("The text is too long: %(size)s characters, but at most %(limit)s are allowed.")
        % {"size": _human_count(length), "limit": _human_count(limit)},
    )


def file_too_large(size: int, limit: int) -> ArticleImportError:
    size_text, limit_text = human_bytes(size), human_bytes(limit)
    if size_text == limit_text:  # just over the limit: "1 MB, but at most 1 MB" says nothing
        size_text = _exact_bytes(size)
    return ArticleImportError(
        "too_large",
        _("The file is too large: %(size)s, but at most %(limit)s are allowed.")
        % {"size": size_text, "limit": limit_text},
    )


def nul_characters() -> ArticleImportError:
    message = _("The text contains NUL characters, which usually means a binary file was pasted.")
    return ArticleImportError("nul_characters", message)


def file_is_empty() -> ArticleImportError:
    return ArticleImportError("empty", _("The file contains no text."))


def no_article_found() -> ArticleImportError:
    return ArticleImportError(
        "no_article_found",
        _("No article text was found in the web page. Copy the text and paste it instead."),
    )


def not_text(kind: str | None) -> ArticleImportError:
    """The error for binary content; ``kind`` as :func:`~.encoding.binary_kind` names it."""
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
