"""Change lists of the large tables (issue #22): no COUNT(*) over a whole table. On
PostgreSQL an unfiltered list takes the planner's row estimate (pg_class.reltuples) for
its pages; a filtered one counts what its WHERE selects; SQLite counts as before."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.admin.paginator import EstimatedCountPaginator, LargeTableAdmin
from claims.models import Claim, ClaimEvent, ErrorReport, Mention, Tip
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_class.reltuples is PostgreSQL's"
)
TIPS = reverse("admin:claims_tip_changelist")


@pytest.fixture
def root(client):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def short_pages(monkeypatch):
    """Ten tips a page."""
    monkeypatch.setattr(admin.site._registry[Tip], "list_per_page", 10)


@pytest.fixture
def analyze(monkeypatch):
    """ANALYZE the tips' table, the estimate taken from ten rows on. ANALYZE writes
    pg_class in place, past the test's rollback: the table is analysed empty at the end,
    so no other test meets this one's estimate."""
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 10)

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute('ANALYZE "claims_tip"')

    yield run
    Tip.objects.all().delete()
    run()


def make_tips(n: int, **fields) -> None:
    Tip.objects.bulk_create(Tip(claim_text=f"Tip {i}", **fields) for i in range(n))


def whole_table_counts(captured, table: str) -> list[str]:
    """COUNT queries over ``table`` without a WHERE (facets' FILTER (WHERE …) included)."""
    return [
        q["sql"]
        for q in captured
        if "COUNT(" in q["sql"].upper()
        and f'FROM "{table}"' in q["sql"]
        and not re.search(r"\)?\s+WHERE\s", q["sql"].split(f'FROM "{table}"', 1)[1])
    ]


@pytest.mark.parametrize("model", [Claim, Tip, ErrorReport, ClaimEvent, Mention])
def test_the_large_tables_admins_never_count_the_whole_table(model):
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, LargeTableAdmin)
    assert model_admin.show_full_result_count is False
    assert model_admin.paginator is EstimatedCountPaginator


@on_postgres
def test_unfiltered_tips_are_paged_on_the_planners_estimate(root, short_pages, analyze):
    make_tips(30)
    analyze()
    make_tips(5, status=Tip.Status.SPAM)  # after ANALYZE: the estimate stays at 30
    with CaptureQueriesContext(connection) as captured:
        response = root.get(TIPS)
    assert response.status_code == 200
    assert whole_table_counts(captured, "claims_tip") == []
    assert any("pg_class" in q["sql"] for q in captured)
    changelist = response.context["cl"]
    assert changelist.paginator.estimated
    assert changelist.result_count == 30
    assert changelist.paginator.num_pages == 3
    page = response.content.decode()
    assert "about 30 tips" in page
    assert 'href="?p=2"' in page
    assert 'href="?p=3"' in page
    # The five past the estimate are on a fourth page, served though no link names it.
    response = root.get(TIPS, {"p": 4})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 5
    assert root.get(TIPS, {"p": 0}).status_code == 302  # Django's "?e=1" for a bad page


@on_postgres
def test_a_filtered_list_counts_exactly_with_its_where(root, short_pages, analyze):
    make_tips(30)
    make_tips(12, status=Tip.Status.SPAM)
    analyze()
    with CaptureQueriesContext(connection) as captured:
        response = root.get(TIPS, {"status__exact": "spam"})
    changelist = response.context["cl"]
    assert not changelist.paginator.estimated
    assert changelist.result_count == 12
    assert whole_table_counts(captured, "claims_tip") == []
    assert "12 tips" in response.content.decode()


@on_postgres
def test_a_small_table_is_counted_exactly(root, analyze, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 31)
    make_tips(30)
    analyze()  # 30 rows by the estimate: under exact_below
    response = root.get(TIPS)
    assert not response.context["cl"].paginator.estimated
    assert response.context["cl"].result_count == 30


def test_change_lists_page_with_exact_counts_on_sqlite_and_small_tables(root, short_pages):
    make_tips(25)
    response = root.get(TIPS)
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert not changelist.paginator.estimated  # SQLite, or under 10,000 rows
    assert changelist.result_count == 25
    assert changelist.paginator.num_pages == 3
    assert 'href="?p=3"' in response.content.decode()
    assert len(root.get(TIPS, {"p": 3}).context["cl"].result_list) == 5
    assert root.get(TIPS, {"p": 4}).status_code == 302  # past the end: Django's "?e=1"


def test_the_paginator_counts_lists_exactly():
    paginator = EstimatedCountPaginator(list(range(25_000)), 100)
    assert not paginator.estimated
    assert paginator.count == 25_000


def test_the_reader_input_lists_load_their_related_rows_with_the_page(root, moderator):
    claim = make_claim()
    make_tips(3, claim=claim, handled_by=moderator)
    ErrorReport.objects.bulk_create(
        ErrorReport(claim=claim, reason="other", message=f"m{i}", handled_by=moderator)
        for i in range(3)
    )

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert root.get(url).status_code == 200
        return len(captured)

    reports = reverse("admin:claims_errorreport_changelist")
    few = (queries(TIPS), queries(reports))
    make_tips(10, claim=make_claim(), handled_by=moderator)
    ErrorReport.objects.bulk_create(
        ErrorReport(claim=make_claim(), reason="other", message=f"m{i}", created_at=timezone.now())
        for i in range(10)
    )
    assert (queries(TIPS), queries(reports)) == few


def test_the_claims_admin_searches_words_and_slugs(root):
    wanted = make_claim(claim_reviewed="Der Waffenstillstand von 1953 gilt bis heute")
    make_claim(claim_reviewed="Etwas ganz anderes", slug="etwas-ganz-anderes")
    with CaptureQueriesContext(connection) as queries:
        page = root.get("/admin/claims/claim/?q=waffenstillstand").content.decode()
    assert wanted.claim_reviewed in page
    assert "Etwas ganz anderes" not in page
    assert "etwas-ganz-anderes" not in page
    by_slug = root.get("/admin/claims/claim/?q=etwas-ganz-anderes").content.decode()
    assert "Etwas ganz anderes" in by_slug
    if connection.vendor == "postgresql":
        # Whole words from the full-text index, never a LIKE over every claim.
        assert not [q for q in queries if "LIKE" in q["sql"] and "claims_claim" in q["sql"]]
