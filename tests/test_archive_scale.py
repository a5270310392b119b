"""The archive at scale (issue #22), in the small version CI runs: the generator of
scripts/archive.py, and every page and list `make bench-scale` measures asked for on an
archive of 200 claims and again on one of 1,000, with the same number of queries.

The timings themselves are measured by `make bench-scale` on PostgreSQL at 100,000 claims
(docs/performance.md); here, on whichever database the suite runs, the commands keep
working and no page's query count grows with the archive."""

import hashlib
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.caching import clear_all_caches
from claims.models import Article, Claim, ClaimEvent, Correction, ErrorReport, Mention, Tip
from scripts import archive, bench_scale

pytestmark = pytest.mark.django_db


def _digest(rows: dict) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()


def _arguments(**changes):
    return {
        "ratings": [1, 2, 3, 4, 5],
        "editors": list(range(10, 40)),
        "reviewers": list(range(40, 50)),
        "ids": dict.fromkeys(
            (
                "article",
                "revision",
                "claim",
                "mention",
                "source",
                "review",
                "correction",
                "event",
                "tip",
                "report",
                "claim_history",
                "mention_history",
            ),
            1,
        ),
    } | changes


def test_the_same_seed_gives_the_same_archive_and_another_seed_another():
    first = archive.build_rows(300, 7, **_arguments())
    again = archive.build_rows(300, 7, **_arguments())
    other = archive.build_rows(300, 8, **_arguments())
    assert _digest(first) == _digest(again)
    assert _digest(first) != _digest(other)


def test_the_archive_has_the_shape_of_a_real_one():
    rows = archive.build_rows(2000, 22, **_arguments())
    claims = rows["claim"]
    assert len(claims) == 2000
    assert len(rows["article"]) == 400
    assert 2.5 * 2000 <= len(rows["mention"]) <= 3 * 2000
    assert 15 * 2000 <= len(rows["event"]) <= 25 * 2000
    assert len(rows["tip"]) + len(rows["report"]) == 2 * 2000
    # Zipf-like claimants: the commonest says far more than the median one.
    by_claimant: dict[str, int] = {}
    for claim in claims:
        by_claimant[claim["claimant"]] = by_claimant.get(claim["claimant"], 0) + 1
    counts = sorted(by_claimant.values(), reverse=True)
    assert counts[0] >= 10 * counts[len(counts) // 2]
    # German and English; corrections on about 2 % of published claims.
    german = sum(claim["language"] == "de" for claim in claims) / len(claims)
    assert 0.65 <= german <= 0.85
    published = [claim for claim in claims if claim["status"] == "published"]
    assert 0.005 <= len(rows["correction"]) / len(published) <= 0.04
    # Mostly short articles with a long tail.
    lengths = sorted(len(revision["text"]) for revision in rows["revision"])
    assert lengths[len(lengths) // 2] < 5000 < lengths[-1]
    # Bursty dates: the busiest day holds far more claims than an average day.
    days: dict = {}
    for claim in claims:
        days[claim["created_at"].date()] = days.get(claim["created_at"].date(), 0) + 1
    assert max(days.values()) >= 10 * len(claims) / 3652
    # Passages overlap: in some revision two claims' passages share characters.
    spans: dict[int, list] = {}
    for mention in rows["mention"]:
        spans.setdefault(mention["revision_id"], []).append((mention["start"], mention["end"]))
    assert any(
        a < d and c < b
        for passages in spans.values()
        for i, (a, b) in enumerate(passages)
        for c, d in passages[i + 1 :]
    )
    # Every passage quotes its revision's text.
    texts = {revision["id"]: revision["text"] for revision in rows["revision"]}
    assert all(
        texts[m["revision_id"]][m["start"] : m["end"]] == m["exact"] for m in rows["mention"]
    )


def _query_counts(summary) -> dict[str, int]:
    notes: list = []
    clients, requests = bench_scale.targets(summary, notes)
    counts = {}
    for key, client, url, _how in requests:
        address = url
        clear_all_caches()
        clients[client].get(address)  # warm: translations, templates, per-process caches
        clear_all_caches()
        with CaptureQueriesContext(connection) as queries:
            response = clients[client].get(address)
            counts[key] = len(queries)
        assert response.status_code == 200, (key, address, response.status_code)
    return counts


def test_every_measured_page_asks_as_many_queries_at_1000_claims_as_at_200(seeded):
    small = archive.generate(200, seed=3, log=lambda *_: None)
    assert Claim.objects.filter(slug__startswith="archive-3-").count() == 200
    before = _query_counts(small)
    large = archive.generate(800, seed=4, log=lambda *_: None)
    assert Claim.objects.filter(slug__startswith="archive-").count() == 1000
    after = _query_counts(large)
    # (A count may drop: the admin's lists switch to the planner's estimate of a large
    # table's rows on PostgreSQL, one query fewer.)
    grew = {key: (before[key], after[key]) for key in before if after[key] > before[key]}
    assert not grew, f"query counts grew with the archive: {grew}"


def test_the_generated_archive_is_consistent_and_the_app_goes_on_creating_rows(seeded):
    summary = archive.generate(150, seed=9, log=lambda *_: None)
    assert summary.rows["claims_claim"] == 150
    assert summary.rows["claims_claimevent"] == ClaimEvent.objects.count()
    # Every passage quotes its revision's text, and lies in an article of the archive.
    for mention in Mention.objects.filter(claim__slug__startswith="archive-9-")[:200]:
        assert mention.revision.text[mention.start : mention.end] == mention.exact
    # Published claims and corrections have their dates (the check constraints hold).
    assert not Claim.objects.published().filter(published_at__isnull=True).exists()
    assert not Correction.objects.filter(status="published", published_at__isnull=True).exists()
    # The sequences moved past the archive's keys: new rows get new keys.
    article = Article.objects.create(title="After the archive", slug="after-the-archive")
    assert article.pk > Article.objects.exclude(pk=article.pk).order_by("-pk").first().pk
    tip = Tip.objects.create(claim_text="A new tip after the archive")
    assert tip.pk > Tip.objects.exclude(pk=tip.pk).order_by("-pk").first().pk
    assert ErrorReport.objects.count() == summary.rows["claims_errorreport"]
