"""Readable differences between versions of a claim, for reviewers and the timeline.

Diffs are lists of ``(op, text)`` segments (``"equal"``, ``"delete"``, ``"insert"``) that
templates render with ``<del>``/``<ins>``; the text is escaped there like any other.
"""

import difflib
import re
from dataclasses import dataclass

from claims.models import Claim, Source

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
# Below this similarity a text counts as rewritten rather than edited.
REWRITE_RATIO = 0.4


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level differences between two texts."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    words = difflib.SequenceMatcher(
        None, [t for t in a if not t.isspace()], [t for t in b if not t.isspace()]
    )
    if a and b and words.ratio() < REWRITE_RATIO:
        # Mostly rewritten: word-by-word pieces would be unreadable; show before and after.
        return [("delete", old), ("insert", new)]
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(("insert", "".join(b[j1:j2])))
    return segments


def paragraph_diff(old: str, new: str) -> list[tuple[str, object]]:
    """Differences between two article texts, paragraph by paragraph: ``("equal", text)``,
    ``("delete", text)``, ``("insert", text)`` or ``("change", segments)`` with a word
    diff of a paragraph that was edited. Linear in the paragraphs that stayed the same."""
    a, b = old.split("\n\n"), new.split("\n\n")
    blocks: list[tuple[str, object]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            blocks.extend(("equal", paragraph) for paragraph in a[i1:i2])
        elif op == "replace" and i2 - i1 == j2 - j1:
            blocks.extend(
                ("change", text_diff(before, after))
                for before, after in zip(a[i1:i2], b[j1:j2], strict=True)
            )
        else:
            blocks.extend(("delete", paragraph) for paragraph in a[i1:i2])
            blocks.extend(("insert", paragraph) for paragraph in b[j1:j2])
    return blocks


@dataclass(frozen=True)
class FieldDiff:
    label: str
    old: str
    new: str
    segments: list[tuple[str, str]]


def _display(record, name: str) -> str:
    field = Claim._meta.get_field(name)
    if field.is_relation:
        value = getattr(record, field.attname)
        return "" if value is None else str(getattr(record, name, value))
    value = getattr(record, name)
    return "" if value is None else str(value)


def field_diffs(old, new) -> list[FieldDiff]:
    """What differs between two claim states (claims or their history records)."""
    diffs = []
    for field in Claim.panel_changes(old, new):
        before, after = _display(old, field.name), _display(new, field.name)
        if before != after:
            diffs.append(
                FieldDiff(str(field.verbose_name), before, after, text_diff(before, after))
            )
    return diffs


def changes_since_review(claim: Claim) -> tuple[object | None, list[FieldDiff], list]:
    """The last review round (a ``Review`` or None), the claim's field changes since the
    version it was given on, and the source history records written after it."""
    last = claim.reviews.select_related("reviewer").order_by("-created_at").first()
    if last is None:
        return None, [], []
    reviewed = (
        claim.history.filter(version=last.claim_version, history_date__lte=last.created_at)
        .select_related("rating", "assignee")
        .order_by("-history_date")
        .first()
    )
    diffs = field_diffs(reviewed, claim) if reviewed is not None else []
    sources = list(
        Source.history.filter(claim_id=claim.pk, history_date__gt=last.created_at)
        .select_related("history_user")
        .order_by("history_date")
    )
    return last, diffs, sources
