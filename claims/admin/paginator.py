"""Change lists of large tables without ``COUNT(*)`` over the whole table.

Django's change list counts its rows for the paginator, and (unless
``show_full_result_count = False``) the whole table once more for "N total". On
PostgreSQL a ``COUNT(*)`` reads every row: at 100,000 claims or 200,000 reader tips that is
most of a change list's time. ``EstimatedCountPaginator`` takes the planner's estimate
(``pg_class.reltuples``, kept by ANALYZE and autovacuum) for a list without a filter, and
counts exactly otherwise: a filtered count reads only what its WHERE selects, and a small
table (under ``exact_below`` rows by the estimate) is counted as before, on SQLite always.

An estimate can be a little off either way. The page links follow it; a page past the
estimated last one is still served (shorter, or empty) rather than refused, and the
admin's pagination says "about N" (``admin/claims/pagination.html``).
"""

from functools import cached_property

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet


class EstimatedCountPaginator(Paginator):
    exact_below = 10_000  # rows: under this many by the estimate, count them

    @cached_property
    def _estimate(self) -> int | None:
        return _table_estimate(self.object_list, self.exact_below)

    @property
    def estimated(self) -> bool:
        """Whether ``count`` is the planner's estimate rather than a ``COUNT(*)``."""
        return self._estimate is not None

    @cached_property
    def count(self) -> int:
        return self._estimate if self._estimate is not None else super().count

    def validate_number(self, number):
        if not self.estimated:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number  # past the estimated end: a shorter or empty page, not an error

    def page(self, number):
        if not self.estimated:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        # Not cut at the estimated count: the rows past it stay reachable.
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


def _table_estimate(queryset, exact_below: int) -> int | None:
    """``pg_class.reltuples`` of the queryset's table, if the queryset selects every row
    of it (no WHERE, DISTINCT, slice, grouping or set operation) on PostgreSQL and the
    table holds at least ``exact_below`` rows by that estimate; else None."""
    if not isinstance(queryset, QuerySet):
        return None
    connection = connections[queryset.db]
    query = queryset.query
    if (
        connection.vendor != "postgresql"
        or query.where
        or query.distinct
        or query.is_sliced
        or query.combinator
        or query.group_by is not None
        or query.extra
    ):
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(queryset.model._meta.db_table)],
        )
        row = cursor.fetchone()
    if row is None or row[0] is None or row[0] < exact_below:  # -1: never analysed
        return None
    return int(row[0])


class LargeTableAdmin:
    """For the admins of tables that grow with the archive (claims, their timeline, reader
    input): no whole-table ``COUNT(*)``, neither for the pages nor for "N total"."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
