"""The shared writer of highlighted text: escaping, markup and link building for the
public article page (``claims.highlights.public``) and the desk workspace
(``claims.highlights.desk``).

A long article can carry a thousand claims cut into thousands of runs, and a template include
per run took most of the public page's 870 ms (#8, docs/performance.md). So the runs are
written in Python, and everything that depends only on the claim (its link, its verdict badge,
its title) is built once per claim and page, not once per run.

Safety: markup is only ever built by ``markup``, which escapes every value it interpolates
unless the value is itself the result of ``markup`` (or of Django's ``format_html``), and by
``join_markup``, which does the same for each piece it concatenates. It is ``format_html``
without Django's lazy-string checks, which cost a third of the page at this scale.
"""

import html
from collections.abc import Iterable
from urllib.parse import quote

from django.urls import reverse
from django.utils.safestring import SafeData, SafeString

from claims.highlights.runs import HighlightRun

__all__ = ["ReversedUrl", "join_markup", "key_list", "markup", "run_text"]


def _escape(value) -> str:
    if type(value) is int:  # ids and offsets: most of the values on the page
        return str(value)
    if isinstance(value, SafeData):
        return value
    return html.escape(str(value))


def markup(template: str, *args, **kwargs) -> SafeString:
    """``template.format(...)`` with every argument escaped unless already safe."""
    return SafeString(
        template.format(
            *(_escape(arg) for arg in args),
            **{key: _escape(value) for key, value in kwargs.items()},
        )
    )


def join_markup(pieces: Iterable[str]) -> SafeString:
    return SafeString("".join(_escape(piece) for piece in pieces))


class ReversedUrl:
    """``reverse(name, args=[*fixed, value])`` for many values at the cost of one
    ``reverse``: a page links up to a thousand claims, and ``reverse`` costs more than the
    rest of a claim's markup. The last argument must be a slug or an integer, so quoting it
    is all ``reverse`` would do to it."""

    _MARKER = "8675309011"  # digits: valid for both the slug and the int converter

    def __init__(self, name: str, *fixed) -> None:
        url = reverse(name, args=[*fixed, self._MARKER])
        self._head, _, self._tail = url.rpartition(self._MARKER)

    def __call__(self, value) -> str:
        return f"{self._head}{quote(str(value), safe='')}{self._tail}"


def run_text(run: HighlightRun) -> SafeString:
    # As the linebreaksbr filter: the stored text is normalised, "\n" is the only break.
    return SafeString(html.escape(run.text).replace("\n", "<br>"))


def key_list(values: Iterable[int]) -> str:
    return " ".join(str(value) for value in values)
