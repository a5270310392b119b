"""Cutting a text with overlapping and nested mentions into flat runs for rendering.

HTML cannot express overlapping elements, so a text whose mentions overlap is rendered as a
sequence of non-overlapping runs, each carrying the keys of every mention that covers it.
"""

from bisect import bisect_left, insort
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass

from .normalize import paragraph_spans
from .spans import validate_span

__all__ = ["Paragraph", "Run", "segment"]


@dataclass(frozen=True, slots=True)
class Run[K]:
    """A stretch ``text[start:end]`` of one paragraph covered by the same set of mentions.

    ``keys`` lists the keys of the mentions covering the run, ordered by (mention start,
    -mention end, input order): the outermost, earliest mention comes first. ``opens`` holds
    the keys of the mentions whose first run in the whole text is this one, ``closes`` those
    whose last run is this one, both in the same order as ``keys`` (reverse ``closes`` to
    close nested mentions innermost first).
    """

    start: int
    end: int
    text: str
    keys: tuple[K, ...] = ()
    opens: tuple[K, ...] = ()
    closes: tuple[K, ...] = ()


@dataclass(frozen=True, slots=True)
class Paragraph[K]:
    """A paragraph ``[start, end)`` of the text and the runs that cover it exactly, in order."""

    start: int
    end: int
    runs: tuple[Run[K], ...]


def _sweep(
    paragraphs: Sequence[tuple[int, int]], events: Sequence[tuple[int, int, int]]
) -> list[list[tuple[int, int, tuple[int, ...]]]]:
    """Cut each paragraph at the event positions inside it.

    ``events`` are ``(position, kind, rank)`` sorted by position, where kind 0 ends and
    kind 1 starts the mention of that rank. Returns, per paragraph, the runs as
    ``(start, end, ranks of the covering mentions in ascending order)``.
    """
    active: list[int] = []  # ranks of the open mentions, kept sorted
    cut: list[list[tuple[int, int, tuple[int, ...]]]] = []
    index = 0

    def apply_up_to(position: int) -> None:
        nonlocal index
        while index < len(events) and events[index][0] <= position:
            _, kind, rank = events[index]
            if kind:
                insort(active, rank)
            else:
                del active[bisect_left(active, rank)]
            index += 1

    for start, end in paragraphs:
        runs: list[tuple[int, int, tuple[int, ...]]] = []
        apply_up_to(start)
        position = start
        while position < end:
            following = events[index][0] if index < len(events) else end
            stop = min(following, end)
            runs.append((position, stop, tuple(active)))
            position = stop
            apply_up_to(position)
        cut.append(runs)
    return cut


def segment[K](
    text: str,
    mentions: Iterable[tuple[K, int, int]],
    *,
    only: Container[int] | None = None,
) -> list[Paragraph[K]]:
    """Split ``text`` into paragraphs of runs, cut at every mention boundary.

    ``mentions`` are ``(key, start, end)`` code-point spans of ``text``; keys are carried
    through untouched (they are neither hashed nor compared) and should be unique. Each
    mention is validated with :func:`~claims.text.spans.validate_span`, so an invalid one
    raises :class:`~claims.text.spans.SpanError` rather than being clipped.

    Paragraphs come from :func:`~claims.text.normalize.paragraph_spans`; a mention crossing
    a paragraph break is cut there and shows up in every paragraph it touches (the blank
    separator belongs to no paragraph). Runs are cut at paragraph edges and mention
    boundaries and nowhere else; a run no mention covers has ``keys == ()``. Mentions with
    identical spans are all kept.

    ``only``, a set of paragraph indexes, limits the runs to those paragraphs (the others
    come back with ``runs == ()``); opens and closes still refer to the whole text. It is
    for redrawing the few paragraphs an edit touched in a long text.

    Cost: sorting the boundary events is O(N log N) for N mentions and the sweep visits each
    paragraph and event once, O(L + N) for a text of L characters. Keeping the active set
    sorted costs O(D) per event at nesting depth D, and every run copies its D keys, so the
    total is O(L + N log N + N·D + output size); D is a handful in practice.
    """
    keyed = list(mentions)
    for _key, start, end in keyed:
        validate_span(text, start, end)
    order = sorted(range(len(keyed)), key=lambda i: (keyed[i][1], -keyed[i][2], i))
    events = sorted(
        event
        for rank, i in enumerate(order)
        for event in ((keyed[i][1], 1, rank), (keyed[i][2], 0, rank))
    )
    spans = paragraph_spans(text)
    cut = _sweep(spans, events)

    first: dict[int, tuple[int, int]] = {}  # rank -> (paragraph, run) where it first shows
    last: dict[int, tuple[int, int]] = {}
    for p, runs in enumerate(cut):
        for r, (_, _, ranks) in enumerate(runs):
            for rank in ranks:
                first.setdefault(rank, (p, r))
                last[rank] = (p, r)
    opens: dict[tuple[int, int], list[int]] = {}
    closes: dict[tuple[int, int], list[int]] = {}
    for rank in sorted(first):
        opens.setdefault(first[rank], []).append(rank)
        closes.setdefault(last[rank], []).append(rank)

    def keys_of(ranks: Iterable[int]) -> tuple[K, ...]:
        return tuple(keyed[order[rank]][0] for rank in ranks)

    return [
        Paragraph(
            start=p_start,
            end=p_end,
            runs=tuple(
                Run(
                    start=start,
                    end=end,
                    text=text[start:end],
                    keys=keys_of(ranks),
                    opens=keys_of(opens.get((p, r), ())),
                    closes=keys_of(closes.get((p, r), ())),
                )
                for r, (start, end, ranks) in enumerate(runs)
            )
            if only is None or p in only
            else (),
        )
        for p, ((p_start, p_end), runs) in enumerate(zip(spans, cut, strict=True))
    ]
