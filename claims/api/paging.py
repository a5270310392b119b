"""Cursor pagination: keyset pages that stay stable while new items arrive.

A page is the first ``limit`` rows after the cursor in one fixed descending order (a
timestamp, then the primary key to break ties), read with ``WHERE (t, pk) < (…)``: no
OFFSET, so page 500 costs what page 1 costs, and a claim published while a client pages
through never shifts an item onto the next page or repeats one. The cursor holds the
last row's key only — public values of a public row — and is signed, so a hand-made
cursor cannot probe rows the filters exclude; a stale or tampered one is a 400 problem.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from claims.api.problems import Problem
from claims.models.base import older_than

_SALT = "claims.api.cursor"


@dataclass
class Page:
    items: list
    next_cursor: str | None


def _encode(name: str, when: datetime, pk: int) -> str:
    return signing.dumps([name, when.isoformat(), pk], salt=_SALT, compress=True)


def _decode(name: str, cursor: str) -> tuple[datetime, int]:
    try:
        kind, when, pk = signing.loads(cursor, salt=_SALT)
        parsed = parse_datetime(when)
        if kind != name or parsed is None or not isinstance(pk, int):
            raise ValueError(cursor)
    except (signing.BadSignature, ValueError, TypeError):
        raise Problem(
            400,
            gettext(
                "This cursor is not valid here. Use the “next” link of the page before, "
                "or leave the cursor out to start at the first page."
            ),
            code="invalid_cursor",
            errors=[
                {"location": "query", "name": "cursor", "detail": gettext("Not a valid cursor.")}
            ],
        ) from None
    return parsed, pk


def keyset_page(
    queryset: QuerySet,
    *,
    name: str,
    field: str,
    cursor: str | None,
    limit: int,
    values: tuple[str, ...] | None = None,
) -> Page:
    """The page of ``queryset`` after ``cursor``, newest ``field`` first. ``name`` ties a
    cursor to its list (a claims cursor is refused by the articles list). With ``values``
    (which must hold ``field`` and ``pk``), the items are dicts of those fields."""
    queryset = queryset.order_by(f"-{field}", "-pk")
    if cursor:
        when, pk = _decode(name, cursor)
        queryset = queryset.filter(older_than(field, when, pk))
    if values:
        queryset = queryset.values(*values)
    rows = list(queryset[: limit + 1])
    items, more = rows[:limit], len(rows) > limit
    next_cursor = None
    if more and items:
        last = items[-1]
        if values:
            next_cursor = _encode(name, last[field], last["pk"])
        else:
            next_cursor = _encode(name, getattr(last, field), last.pk)
    return Page(items=items, next_cursor=next_cursor)
