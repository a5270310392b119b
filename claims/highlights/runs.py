"""Turns an article revision and its mentions into paragraphs of highlight runs.

The text engine (``claims.text``) cuts the text into non-overlapping runs; this module
attaches the Mention objects to each run; ``claims.highlights.public`` and
``claims.highlights.desk`` write the runs out as HTML. Markup is built from these runs,
never by inserting tags into the text.
"""

import logging
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass

from claims.models import Mention
from claims.text import SpanError, segment, validate_span

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HighlightRun:
    text: str
    start: int
    end: int
    mentions: tuple[Mention, ...]  # outermost first
    opens: tuple[Mention, ...]  # mentions that begin in this run
    closes: tuple[Mention, ...]  # mentions that end in this run

    @property
    def depth(self) -> int:
        return len(self.mentions)

    @property
    def innermost(self) -> Mention | None:
        return self.mentions[-1] if self.mentions else None


def paragraph_runs(
    text: str, mentions: Iterable[Mention], *, only: Container[int] | None = None
) -> list[Sequence[HighlightRun]]:
    """Paragraphs of runs for ``text`` with ``mentions`` highlighted (only the paragraphs
    at the indexes in ``only`` get their runs, when given: see ``segment``).

    A mention whose offsets do not fit the text (possible only through a direct database
    edit) is left out and logged, so one bad row cannot take the page down.
    """
    by_id = {}
    for mention in mentions:
        try:
            validate_span(text, mention.start, mention.end)
        except SpanError:
            logger.warning("Mention %s does not fit its revision text; not shown.", mention.pk)
            continue
        by_id[mention.pk] = mention
    paragraphs = segment(text, ((m.pk, m.start, m.end) for m in by_id.values()), only=only)
    return [
        tuple(
            HighlightRun(
                text=run.text,
                start=run.start,
                end=run.end,
                mentions=tuple(by_id[key] for key in run.keys),
                opens=tuple(by_id[key] for key in run.opens),
                closes=tuple(by_id[key] for key in run.closes),
            )
            for run in paragraph.runs
        )
        for paragraph in paragraphs
    ]
