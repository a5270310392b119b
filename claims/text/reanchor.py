"""Re-anchoring: finding a mention of an old revision's text in a new revision's text.

Long because it is one algorithm: the three rules below share one comparison of the two
texts, the word-edge test and the edit distance, and read best in the order they are tried.

A mention is stored as a span ``[start, end)`` of code points in the old text together with
its quote (``exact``) and up to 32 characters of context on each side (``prefix``,
``suffix``, see :func:`~claims.text.spans.quote_context`). When the article gets a new
revision, :func:`reanchor` decides where that mention is in the new text, trying in order:

1. **Same place** (``anchored``, reason ``same_place``). The quote still reads the same at
   the same offsets and nothing before it changed, or its whole stored context still
   surrounds it there. When only text *before* the mention changed (everything from the
   mention to the end is the same) it moved by the change in length: ``reanchored``, reason
   ``shifted``, confidence 1.0.
2. **The exact quote elsewhere** (``reanchored``, confidence 1.0). The quote occurs exactly
   once in the new text (``unique_exact``). That place is not taken when its context changed
   as well and either quote and context together mostly disagree with the stored ones (more
   edits than half their length: short quotes only) or a changed quote elsewhere, with at
   least half of its old context, is closer to the stored quote and context: then the
   mention is ``ambiguous``. When the quote occurs several times, the one occurrence with
   the whole stored context around it wins (``context``); without one, the occurrence whose
   context is closest, if strictly closest and agreeing to ``threshold`` (its confidence);
   anything else is ``ambiguous``.
3. **Fuzzy** (``reanchored``, reason ``fuzzy``, ``quote_changed``). The quote is no longer in
   the text. Places where pieces of ``prefix + exact + suffix`` survive are collected; at
   each, the quote's start and its end are located separately with diff-match-patch's
   ``match_main`` (up to 16 characters of context plus the head of the quote, the tail of
   the quote plus up to 16 of context: each pattern fits ``Match_MaxBits`` = 32 characters,
   however long the quote) and placed exactly by a character diff with the whole context.
   Edges move to word edges where the old quote had them. The candidate whose quote and
   context are closest to the stored ones (Levenshtein distance) wins; its confidence is the
   similarity of the old and the new quote, ``1 - distance / length of the longer``. It must
   reach ``threshold`` and keep four unchanged characters next to each edge, inside or
   outside the quote (``below_threshold`` otherwise), and be strictly closer than every
   other candidate (``ambiguous`` otherwise).

In rules 1 and 2, and for an edge the fuzzy step keeps, an exact place counts only where the
quote starts (ends) on a word edge wherever the old quote did: deleting "in " from "bin in
keiner" leaves "in keiner" only as the end of "bin keiner", and a letter glued onto a quote's
first word changed that word. Such a quote goes to the fuzzy step.

A mention that cannot be placed is ``orphaned`` (``start``/``end`` ``None``, confidence 0),
with the reason ``ambiguous``, ``below_threshold`` or ``not_found``. There is never a silent
low-confidence move: every result that is not orphaned has a confidence of at least
``threshold`` and a non-empty span of the new text that splits no user-perceived character
(:func:`~claims.text.words.is_character_boundary`).

Cost: :func:`reanchor_all` compares the two texts once (common prefix and suffix); a mention
outside the changed stretch is then placed at once, one whose quote is intact elsewhere
with a few ``str.find`` calls, and only mentions whose quote changed reach the fuzzy step,
which works on windows of a few dozen characters (2-3 ms each). Measured once on a
100,000-character text with 1,000 mentions: 0.07 s after 20 word edits, 0.3-0.4 s after
200, 2-2.5 s when a word inside every mention changed.
"""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from diff_match_patch import diff_match_patch

from .spans import validate_span
from .words import is_character_boundary, snap_outward

__all__ = [
    "DEFAULT_THRESHOLD",
    "MATCH_DISTANCE",
    "MATCH_THRESHOLD",
    "Anchoring",
    "reanchor",
    "reanchor_all",
]

State = Literal["anchored", "reanchored", "orphaned"]
Reason = Literal[
    "same_place",
    "shifted",
    "unique_exact",
    "context",
    "fuzzy",
    "ambiguous",
    "not_found",
    "below_threshold",
]

# Confidence a re-anchored mention needs; below it the mention is orphaned.
DEFAULT_THRESHOLD = 0.8

# diff-match-patch's bitap matcher (match_main) scores a place as errors / len(pattern)
# plus distance from the expected place / MATCH_DISTANCE, and accepts scores up to
# MATCH_THRESHOLD. The expected place comes from a surviving piece of the quote or its
# context at most a few characters from the edge being looked for, so it is rarely more than
# a few characters off: a pattern with no wrong characters is found up to 0.4 * 200 = 80
# characters away, one with 4 wrong characters of 32 up to 55 away. 0.4 allows up to
# 12 wrong characters of 32; what is accepted is decided afterwards, by the similarity of
# the old and the new quote against the threshold. The matcher's cost grows with
# MATCH_THRESHOLD * MATCH_DISTANCE, the width of text it scans.
MATCH_THRESHOLD = 0.4
MATCH_DISTANCE = 200
# Longest pattern the matcher takes (diff-match-patch's Match_MaxBits).
_PATTERN = 32
# Context characters put in a head or tail pattern (the rest is quote).
_PATTERN_CONTEXT = 16
# Extra characters on each side of a located pattern when mapping offsets through a diff.
_SLACK = 8
# Diffs are only taken between a pattern of at most 64 characters and a window of the new text
# a few characters longer, so they need no time limit (0), which keeps the results
# independent of the machine's speed.
_DIFF_TIMEOUT = 0
# Pieces of the stored selector used to find candidate places: at most this many pieces,
# and a piece found more often than _SEED_HITS times says nothing and is skipped.
_SEEDS = 48
_SEED_HITS = 16
# Candidate places tried in the fuzzy step, best supported first.
_CANDIDATES = 4
# Words and runs of non-space characters: their edges are where a changed quote may start or
# end when the old one started or ended at such an edge.
_EDGES = (re.compile(r"\w+"), re.compile(r"\S+"))
# Unchanged characters a fuzzy match needs next to each edge, inside or outside the quote.
_SUPPORT = 4
# Exact occurrences compared by fuzzy context at most; more is "ambiguous".
_OCCURRENCES = 64


@dataclass(frozen=True, slots=True)
class Anchoring:
    """Where a mention of the old text is in the new text, and how sure that is.

    ``state`` is ``"anchored"`` when the mention keeps its offsets and its quote,
    ``"reanchored"`` when it moved or its quote changed, ``"orphaned"`` when it could not be
    placed (then ``start`` and ``end`` are ``None`` and ``confidence`` is 0). ``reason`` is a
    machine code naming the rule that decided: ``same_place``, ``shifted``, ``unique_exact``,
    ``context``, ``fuzzy``; for orphans ``ambiguous``, ``not_found``, ``below_threshold``.
    ``quote_changed`` is true when ``new_text[start:end]`` differs from the old quote.
    """

    state: State
    start: int | None
    end: int | None
    confidence: float
    quote_changed: bool
    reason: Reason


def _is_edge(left: str, right: str) -> bool:
    """Whether a word edge lies between the characters ``left`` and ``right`` ("" for the
    edge of the text): a word starts or ends there, or a run of non-space characters."""

    def word(char: str) -> bool:
        return bool(_EDGES[0].match(char))

    def space(char: str) -> bool:
        return not char or char.isspace()

    return word(left) != word(right) or space(left) != space(right)


def _levenshtein(old: str, new: str, *, free_end: bool = False) -> int:
    """The Levenshtein distance of ``old`` and ``new``; with ``free_end``, of ``old`` and the
    start of ``new`` closest to it (``min(distance(old, new[:j]) for every j)``).

    Myers' bit-parallel algorithm (Hyyrö's formulation for edit distance): one column of the
    dynamic-programming table per character of ``new``, as bits of an integer as long as
    ``old``; exact, and fast enough for quotes of any length.
    """
    # What both start with (and, without free_end, end with) costs nothing.
    common = 0
    while common < len(old) and common < len(new) and old[common] == new[common]:
        common += 1
    old, new = old[common:], new[common:]
    if not free_end:
        common = 0
        while common < min(len(old), len(new)) and old[-1 - common] == new[-1 - common]:
            common += 1
        old, new = old[: len(old) - common], new[: len(new) - common]
    m = len(old)
    if not m:
        return 0 if free_end else len(new)
    equal: dict[str, int] = {}
    for i, char in enumerate(old):
        equal[char] = equal.get(char, 0) | (1 << i)
    mask = (1 << m) - 1
    last = 1 << (m - 1)
    plus, minus, score = mask, 0, m  # vertical +1/-1 deltas of the column, its last value
    best = score
    for char in new:
        eq = equal.get(char, 0)
        xv = eq | minus
        xh = ((((eq & plus) + plus) & mask) ^ plus) | eq
        h_plus = minus | (~(xh | plus) & mask)
        h_minus = plus & xh
        if h_plus & last:
            score += 1
        elif h_minus & last:
            score -= 1
        h_plus = ((h_plus << 1) | 1) & mask
        h_minus = (h_minus << 1) & mask
        plus = h_minus | (~(xv | h_plus) & mask)
        minus = h_plus & xv
        best = min(best, score)
    return best if free_end else score


def _orphaned(reason: Reason) -> Anchoring:
    """The result for a mention that could not be placed."""
    return Anchoring("orphaned", None, None, 0.0, False, reason)


def _matcher() -> diff_match_patch:
    """A diff-match-patch instance with this module's settings."""
    dmp = diff_match_patch()
    dmp.Match_Threshold = MATCH_THRESHOLD
    dmp.Match_Distance = MATCH_DISTANCE
    dmp.Match_MaxBits = _PATTERN
    dmp.Diff_Timeout = _DIFF_TIMEOUT
    return dmp


class _Reanchorer:
    """Re-anchors mentions from one old text to one new text, comparing the texts once."""

    def __init__(self, old_text: str, new_text: str, threshold: float) -> None:
        if (
            isinstance(threshold, bool)
            or not isinstance(threshold, int | float)
            or not 0 < threshold <= 1
        ):
            raise ValueError(f"Threshold must be a number in (0, 1], got {threshold!r}.")
        self.old = old_text
        self.new = new_text
        self.threshold = float(threshold)
        self.dmp = _matcher()
        # Everything before common_prefix and after the last common_suffix characters is the
        # same in both texts (the two may overlap, e.g. "aa" -> "aaa").
        self.common_prefix = self.dmp.diff_commonPrefix(old_text, new_text)
        self.common_suffix = self.dmp.diff_commonSuffix(old_text, new_text)

    # Helpers

    def _fits(self, start: int, end: int, edges: tuple[bool, bool] = (False, False)) -> bool:
        """Whether ``[start, end)`` is a non-empty span of the new text on character edges,
        and on word edges where ``edges`` (start, end) says the old quote was on one."""
        new = self.new
        return (
            0 <= start < end <= len(new)
            and is_character_boundary(new, start)
            and is_character_boundary(new, end)
            and (not edges[0] or _is_edge(new[start - 1 : start], new[start]))
            and (not edges[1] or _is_edge(new[end - 1], new[end : end + 1]))
        )

    def _context_distance(self, start: int, end: int, prefix: str, suffix: str) -> int:
        """Edits between the stored context and the text around ``[start, end)``.

        The prefix is compared with the end of twice as much text before ``start`` and the
        suffix with the start of twice as much text after ``end``, so that text inserted or
        deleted next to the quote counts once (comparing equal lengths would count it twice).
        """
        before = self.new[max(0, start - 2 * len(prefix)) : start]
        after = self.new[end : end + 2 * len(suffix)]
        return _levenshtein(prefix[::-1], before[::-1], free_end=True) + _levenshtein(
            suffix, after, free_end=True
        )

    def _rank(self, exact: str, prefix: str, suffix: str, start: int, end: int) -> int:
        """Edits between the stored context + quote and the text at ``[start, end)``."""
        quote_distance = _levenshtein(exact, self.new[start:end])
        return quote_distance + self._context_distance(start, end, prefix, suffix)

    def _has_context(self, start: int, end: int, prefix: str, suffix: str) -> bool:
        """Whether the whole stored context surrounds ``[start, end)`` in the new text."""
        return (
            start >= len(prefix)
            and self.new.startswith(prefix, start - len(prefix))
            and self.new.startswith(suffix, end)
        )

    def _exact(self, old_start: int, start: int, length: int, reason: Reason) -> Anchoring:
        """The result for the exact quote found at ``start`` (confidence 1.0)."""
        state: State = "anchored" if start == old_start else "reanchored"
        return Anchoring(state, start, start + length, 1.0, False, reason)

    # The rules

    def __call__(self, start: int, end: int, exact: str, prefix: str, suffix: str) -> Anchoring:
        validate_span(self.old, start, end, exact)
        old, new = self.old, self.new
        length = end - start
        # Where the quote began (ended) at a word edge, an exact place must too: "in keiner"
        # is not at the end of "bin keiner", whatever a character diff says.
        edges = (_is_edge(prefix[-1:], exact[0]), _is_edge(exact[-1], suffix[:1]))

        # 1. Same place: nothing before the mention changed, ...
        if self.common_prefix >= end and self._fits(start, end, edges):
            return self._exact(start, start, length, "same_place")
        # ... or nothing from the mention on changed, so it moved by the change in length ...
        if self.common_suffix >= len(old) - start:
            moved = start + len(new) - len(old)
            if self._fits(moved, moved + length, edges):
                reason: Reason = "same_place" if moved == start else "shifted"
                return self._exact(start, moved, length, reason)
        # ... or the quote and its whole context are still where they were.
        if (
            new.startswith(exact, start)
            and self._fits(start, end, edges)
            and self._has_context(start, end, prefix, suffix)
        ):
            return self._exact(start, start, length, "same_place")

        # 2. The exact quote elsewhere.
        places = []
        found = new.find(exact)
        while found >= 0:
            if self._fits(found, found + length, edges):
                places.append(found)
            found = new.find(exact, found + 1)
        if len(places) == 1:
            place = places[0]
            if not self._has_context(place, place + length, prefix, suffix):
                # Its context changed: trust it only if quote and context still mostly agree
                # (a long quote always does) and no changed quote fits the old context better.
                own = self._context_distance(place, place + length, prefix, suffix)
                weak = own > (len(prefix) + length + len(suffix)) / 2
                if weak or self._rivalled(place, place + length, own, exact, prefix, suffix):
                    return _orphaned("ambiguous")
            return self._exact(start, place, length, "unique_exact")
        if places:
            return self._by_context(start, places, length, prefix, suffix)

        # 3. Fuzzy.
        return self._fuzzy(start, end, exact, prefix, suffix)

    def _rivalled(
        self, start: int, end: int, own: int, exact: str, prefix: str, suffix: str
    ) -> bool:
        """Whether a place elsewhere explains the mention better than the exact quote at
        ``[start, end)``, whose context differs from the stored one by ``own`` edits: a
        changed quote, not overlapping this one, with at least half of the stored context
        still around it, and closer to quote and context together than this place.
        """
        allowed = (len(prefix) + len(suffix)) / 2
        for rank, s, e in self._fuzzy_candidates(exact, prefix, suffix):
            if rank >= own:
                break
            if (e <= start or s >= end) and self._context_distance(
                s, e, prefix, suffix
            ) <= allowed:
                return True
        return False

    def _by_context(
        self, old_start: int, places: list[int], length: int, prefix: str, suffix: str
    ) -> Anchoring:
        """Pick among several exact occurrences of the quote by their context."""
        full = [p for p in places if self._has_context(p, p + length, prefix, suffix)]
        if len(full) == 1:
            return self._exact(old_start, full[0], length, "context")
        if full or len(places) > _OCCURRENCES or not (prefix or suffix):
            return _orphaned("ambiguous")
        ranked = sorted((self._context_distance(p, p + length, prefix, suffix), p) for p in places)
        (best, place), (second, _) = ranked[0], ranked[1]
        confidence = 1 - best / (len(prefix) + len(suffix))
        if best == second or confidence < self.threshold:
            return _orphaned("ambiguous")
        state: State = "anchored" if place == old_start else "reanchored"
        return Anchoring(state, place, place + length, confidence, False, "context")

    def _fuzzy(self, start: int, end: int, exact: str, prefix: str, suffix: str) -> Anchoring:
        """Rule 3: the quote changed; find the closest place for quote and context."""
        scored = self._fuzzy_candidates(exact, prefix, suffix)
        if not scored:
            return _orphaned("not_found")
        rank, s, e = scored[0]
        quote = self.new[s:e]
        similarity = 1 - _levenshtein(exact, quote) / max(len(exact), len(quote))
        if similarity < self.threshold or not self._supported(exact, prefix, suffix, s, e):
            return _orphaned("below_threshold")
        if any(other[0] == rank for other in scored[1:]):
            return _orphaned("ambiguous")
        changed = quote != exact
        state: State = "anchored" if (s, e) == (start, end) and not changed else "reanchored"
        return Anchoring(state, s, e, similarity, changed, "fuzzy")

    def _fuzzy_candidates(
        self, exact: str, prefix: str, suffix: str
    ) -> list[tuple[int, int, int]]:
        """Spans where the quote may now be, as ``(rank, start, end)``, best first.

        The rank is the number of edits between the stored context + quote and the text
        there (:meth:`_rank`).
        """
        spans: set[tuple[int, int]] = set()
        for head, tail in self._candidate_places(prefix + exact + suffix, prefix, exact):
            span = self._locate(exact, prefix, suffix, head, tail)
            if span is not None:
                spans.add(span)
        return sorted((self._rank(exact, prefix, suffix, s, e), s, e) for s, e in spans)

    def _supported(self, exact: str, prefix: str, suffix: str, start: int, end: int) -> bool:
        """Whether each edge of ``[start, end)`` still has ``_SUPPORT`` unchanged characters
        next to it, of the quote inside or of the context outside.

        A quote whose first (last) words changed is placed by the context before (after) it,
        and one whose context changed by its own first (last) characters; when both changed
        at the same edge, nothing says where that edge is.
        """
        new = self.new
        k = _SUPPORT
        head = new.startswith(exact[:k], start) or (
            new.endswith(prefix[-k:], 0, start) if prefix else start == 0
        )
        tail = new.endswith(exact[-k:], 0, end) or (
            new.startswith(suffix[:k], end) if suffix else end == len(new)
        )
        return head and tail

    def _candidate_places(self, selector: str, prefix: str, exact: str) -> list[tuple[int, int]]:
        """Where the quote may now start and end, judged by surviving pieces of the selector.

        The selector (context + quote + context) is cut into pieces; every exact occurrence of
        a piece in the new text votes for where the selector would start. Votes close to each
        other form a place; places backed by the most distinct pieces come first. For each,
        the expected start of the quote is taken from the piece nearest to it, and the
        expected end from the piece nearest to that.
        """
        new = self.new
        size = len(selector)
        width = min(size, max(3, min(16, size // 6)))
        step = max(width, math.ceil((size - width) / _SEEDS))
        offsets = list(range(0, size - width + 1, step))
        if offsets[-1] != size - width:
            offsets.append(size - width)
        votes: list[tuple[int, int]] = []  # (where the selector would start, piece offset)
        for offset in offsets:
            piece = selector[offset : offset + width]
            hits = []
            found = new.find(piece)
            while found >= 0 and len(hits) <= _SEED_HITS:
                hits.append(found)
                found = new.find(piece, found + 1)
            if len(hits) <= _SEED_HITS:
                votes.extend((hit - offset, offset) for hit in hits)
        if not votes:
            return []
        votes.sort()
        tolerance = max(8, size // 4)
        groups: list[list[tuple[int, int]]] = [[votes[0]]]
        for vote in votes[1:]:
            if vote[0] - groups[-1][-1][0] > tolerance:
                groups.append([])
            groups[-1].append(vote)
        support = [len({offset for _, offset in group}) for group in groups]
        ranked = sorted(range(len(groups)), key=lambda i: (-support[i], groups[i][0][0]))
        # Places backed by less than half as many pieces as the best one are not tried.
        groups = [groups[i] for i in ranked if 2 * support[i] >= support[ranked[0]]]
        quote_start = len(prefix)
        quote_end = quote_start + len(exact)
        middle = width / 2
        places = []
        for group in groups[:_CANDIDATES]:
            head = min(group, key=lambda vote: (abs(vote[1] + middle - quote_start), vote))
            tail = min(group, key=lambda vote: (abs(vote[1] + middle - quote_end), vote))
            places.append((head[0] + quote_start, tail[0] + quote_end))
        return places

    def _locate(
        self, exact: str, prefix: str, suffix: str, head: int, tail: int
    ) -> tuple[int, int] | None:
        """The span of the (changed) quote near the expected start ``head`` and end ``tail``.

        The start is found with a pattern of context and the head of the quote, the end with
        the tail of the quote and context (see :meth:`_find_edge`). Whitespace at an edge is
        left out when the old quote had none there (a deleted first or last word leaves its
        space behind), edges are put on word edges where the old quote had them
        (:meth:`_whole_words`), and the span is widened to character boundaries.
        """
        start = self._find_edge(prefix, exact, head, at_start=True)
        if start is None:
            return None
        end = self._find_edge(exact, suffix, tail, at_start=False, floor=start)
        if end is None:
            return None
        new = self.new
        if not exact[0].isspace():
            while start < end and new[start].isspace():
                start += 1
        if not exact[-1].isspace():
            while end > start and new[end - 1].isspace():
                end -= 1
        if start < end:
            start, end = self._whole_words(exact, prefix, suffix, start, end)
        start, end = snap_outward(new, start, end)
        return (start, end) if start < end else None

    def _whole_words(
        self, exact: str, prefix: str, suffix: str, start: int, end: int
    ) -> tuple[int, int]:
        """Put an edge on a word edge of the new text where the old quote had one.

        A word edge is where a word (``\\w+``) or a run of non-space characters starts or
        ends. Where the old quote started (ended) at one, its new start (end) is chosen among
        the nearest such edges around the located one, two on each side: the one whose quote
        and context are closest to the old ones wins (ties: the shorter quote). A deleted
        first or last word then leaves no piece of a neighbouring word in the quote.
        """
        new = self.new
        reach = 2 * _PATTERN
        head, tail = exact[:_PATTERN_CONTEXT], exact[-_PATTERN_CONTEXT:]
        # An edge where the quote still begins (ends) as it did, on a word edge, is left alone.
        if _is_edge(prefix[-1:], exact[0]) and not (
            new.startswith(head, start) and _is_edge(new[start - 1 : start], new[start])
        ):
            low = max(0, start - reach)
            edges = sorted({m.start() for r in _EDGES for m in r.finditer(new, low, end)} - {end})
            options = [e for e in edges if e <= start][-2:] + [e for e in edges if e > start][:2]
            if options:
                start = min(options, key=lambda s: (self._rank(exact, prefix, suffix, s, end), -s))
        if _is_edge(exact[-1], suffix[:1]) and not (
            new.endswith(tail, 0, end) and _is_edge(new[end - 1], new[end : end + 1])
        ):
            high = min(len(new), end + reach)
            edges = sorted({m.end() for r in _EDGES for m in r.finditer(new, start, high)})
            edges = [e for e in edges if e > start]
            options = [e for e in edges if e <= end][-2:] + [e for e in edges if e > end][:2]
            if options:
                end = min(options, key=lambda e: (self._rank(exact, prefix, suffix, start, e), e))
        return start, end

    def _find_edge(
        self, before: str, after: str, expected: int, *, at_start: bool, floor: int = 0
    ) -> int | None:
        """Where the boundary between ``before`` and ``after`` is in the new text.

        For the quote's start, ``before`` is the prefix and ``after`` the quote; for its end,
        ``before`` is the quote and ``after`` the suffix. The boundary is first located with a
        pattern of up to ``_PATTERN_CONTEXT`` characters of context filled up with the quote
        to ``_PATTERN`` (the quote alone if that is not found), then placed exactly by
        :meth:`_place_edge`. Nothing before ``floor`` (the quote's start, when placing its
        end) is looked at.
        """
        context = before if at_start else after
        quote = after if at_start else before
        with_context = min(len(quote), _PATTERN - min(len(context), _PATTERN_CONTEXT))
        tries = [(with_context, min(len(context), _PATTERN - with_context))]
        if context:
            tries.append((min(len(quote), _PATTERN), 0))
        for quote_part, context_part in tries:
            if at_start:
                pattern = context[len(context) - context_part :] + quote[:quote_part]
                cut = context_part
            else:
                pattern = quote[len(quote) - quote_part :] + context[:context_part]
                cut = quote_part
            where = self._match(pattern, expected - cut, floor)
            if where is not None:
                near = self._map(pattern, where, cut, floor)
                return self._place_edge(context, quote, near, at_start, floor)
        return None

    def _place_edge(
        self, context: str, quote: str, near: int, at_start: bool, floor: int = 0
    ) -> int:
        """The quote's start (or end) near ``near``, from a diff of the whole stored context
        plus up to ``_PATTERN`` characters of the quote against the text around ``near``.

        With all of the context, a deleted first (or last) word of the quote is not replaced
        by a word of the context; text inserted right at the edge stays outside the quote, at
        either end (the end is placed on the reversed strings for that).
        """
        new = self.new
        part = min(len(quote), _PATTERN)
        if at_start:
            low = max(0, near - len(context) - _SLACK)
            high = min(len(new), near + part + _SLACK)
            diffs = self.dmp.diff_main(context + quote[:part], new[low:high], False)
            return low + self.dmp.diff_xIndex(diffs, len(context))
        low = max(floor, near - part - _SLACK)
        high = min(len(new), near + len(context) + _SLACK)
        pattern = quote[len(quote) - part :] + context
        diffs = self.dmp.diff_main(pattern[::-1], new[low:high][::-1], False)
        return high - self.dmp.diff_xIndex(diffs, len(context))

    def _match(self, pattern: str, expected: int, floor: int = 0) -> int | None:
        """diff-match-patch's fuzzy match of ``pattern`` near ``expected``, or ``None``.

        The matcher only looks up to ``MATCH_THRESHOLD * MATCH_DISTANCE`` characters away,
        so it is given just that window of the new text (it allocates per text position). An
        exact occurrence in that window is taken without it (the one nearest ``expected``).
        """
        new = self.new
        reach = math.ceil(MATCH_THRESHOLD * MATCH_DISTANCE) + 1
        expected = max(floor, min(expected, len(new)))
        low = max(floor, expected - reach)
        high = min(len(new), expected + len(pattern) + reach)
        hits = []
        hit = new.find(pattern, low, high)
        while hit >= 0:
            hits.append(hit)
            hit = new.find(pattern, hit + 1, high)
        if hits:
            return min(hits, key=lambda hit: (abs(hit - expected), hit))
        where = self.dmp.match_main(new[low:high], pattern, expected - low)
        return None if where < 0 else low + where

    def _map(self, pattern: str, where: int, cut: int, floor: int = 0) -> int:
        """The new-text offset of position ``cut`` of ``pattern``, matched at ``where``."""
        low = max(floor, where - _SLACK)
        high = min(len(self.new), where + len(pattern) + _SLACK)
        diffs = self.dmp.diff_main(pattern, self.new[low:high], False)
        return low + self.dmp.diff_xIndex(diffs, cut)


def reanchor(
    old_text: str,
    new_text: str,
    start: int,
    end: int,
    exact: str,
    prefix: str,
    suffix: str,
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> Anchoring:
    """Find the mention ``[start, end)`` of ``old_text`` in ``new_text``.

    ``exact``, ``prefix`` and ``suffix`` are the mention's stored quote and context (as
    :func:`~claims.text.spans.quote_context` gives them). The rules, in order, are described
    in this module's docstring: same place, the exact quote elsewhere (picked by its context
    when it occurs more than once), then a fuzzy match of quote and context whose confidence,
    the similarity of the old and new quote, must reach ``threshold``. Whenever the result is
    not orphaned, its span is valid in ``new_text``, splits no character, and its confidence
    is at least ``threshold``; an exact quote at a certain place has confidence 1.0.

    Raises :class:`~claims.text.spans.SpanError` when ``[start, end)`` is not a span of
    ``old_text`` reading ``exact``, and :class:`ValueError` for a threshold outside (0, 1].
    To re-anchor many mentions between the same two texts, use :func:`reanchor_all`.
    """
    return _Reanchorer(old_text, new_text, threshold)(start, end, exact, prefix, suffix)


def reanchor_all[K](
    old_text: str,
    new_text: str,
    mentions: Iterable[tuple[K, int, int, str, str, str]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[tuple[K, Anchoring]]:
    """Re-anchor every mention ``(key, start, end, exact, prefix, suffix)`` of ``old_text``.

    Returns ``(key, anchoring)`` pairs in the input order, each the result of
    :func:`reanchor`; keys are carried through untouched. The texts are compared once for all
    mentions. Raises like :func:`reanchor` on the first invalid mention.
    """
    anchorer = _Reanchorer(old_text, new_text, threshold)
    return [
        (key, anchorer(start, end, exact, prefix, suffix))
        for key, start, end, exact, prefix, suffix in mentions
    ]
