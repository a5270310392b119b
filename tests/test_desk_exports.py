"""The desk's exports of claims (issue #19, "Exports for editors"): CSV with a byte-order
mark for spreadsheet programs and JSON Lines for scripts, drafts included, filtered like
the desk's claim list, streamed in constant memory with queries per chunk of claims."""

import csv
import io
import json
import logging
import tracemalloc
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims import exports
from claims.models import Claim, Correction, Rating, Source
from tests.factories import add_source, make_article, make_claim, make_rating, mark_quote

pytestmark = pytest.mark.django_db

URL = "/desk/claims/export/"


def _body(response) -> bytes:
    assert response.streaming, "the export is streamed"
    return b"".join(response.streaming_content)


def _csv(response) -> list[list[str]]:
    body = _body(response)
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def _csv_dicts(response) -> list[dict[str, str]]:
    header, *rows = _csv(response)
    keys = [column.key for column in exports.COLUMNS]
    assert len(header) == len(keys)
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _jsonl(response) -> list[dict]:
    body = _body(response).decode("utf-8")
    assert body == "" or body.endswith("\n")
    return [json.loads(line) for line in body.split("\n")[:-1]]


# --- The CSV ------------------------------------------------------------------------------
def test_csv_has_a_bom_a_header_and_one_row_per_claim_drafts_included(desk, seeded, draft):
    response = desk.get(URL, {"format": "csv", "status": "all"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="claims-all-{today}.csv"'
    assert "no-store" in response["Cache-Control"]
    header, *rows = _csv(response)
    assert header[:5] == ["ID", "Slug", "Status", "Status label", "Claim as reviewed"]
    assert "Corrections" in header
    assert len(rows) == Claim.objects.count() > 1
    pks = sorted(Claim.objects.values_list("pk", flat=True))
    assert sorted(int(row[0]) for row in rows) == pks
    by_slug = {row["slug"]: row for row in _csv_dicts(desk.get(URL, {"format": "csv"}))}
    assert by_slug[draft.slug]["status"] == "draft"
    assert by_slug[draft.slug]["status_label"] == "Draft"
    assert by_slug[draft.slug]["public_url"] == "", "a draft has no public page"


def test_csv_row_holds_the_claims_data(desk, editor, reviewer):
    rating = make_rating("Misleading", value=2, label_de="Irreführend")
    article = make_article("Der Satz hier. Noch ein Satz.", title="Zeitung; Seite 1")
    claim = make_claim(
        rating=rating,
        claim_reviewed="Umlaute „zitiert“ äöü",
        claimant="Frau Beispiel",
        conclusion="Stimmt nicht.",
        explanation="**Fett** und\nzweite Zeile",
        language="de",
        author=editor,
        assignee=reviewer,
    )
    mark_quote(claim, article, "Der Satz")
    mark_quote(claim, article, "Noch ein Satz")  # the same article twice: listed once
    add_source(claim, url="https://example.org/a", position=1)
    add_source(claim, url="https://example.org/b", position=2)
    Correction.objects.create(
        claim=claim, kind="update", note="Neu.", status="published", published_at=timezone.now()
    )
    Correction.objects.create(claim=claim, kind="update", note="Offen.")  # not published
    [row] = _csv_dicts(desk.get(URL, {"format": "csv", "status": "published"}))
    assert row["claim_reviewed"] == "Umlaute „zitiert“ äöü"
    assert row["explanation"] == "**Fett** und\nzweite Zeile", "Markdown as typed"
    assert (row["rating"], row["rating_value"]) == ("Misleading", "2")
    assert (row["author"], row["assignee"]) == ("editor", "reviewer")
    assert row["public_url"] == f"http://testserver/claims/{claim.slug}/"
    assert row["desk_url"] == f"http://testserver/desk/claims/{claim.pk}/"
    assert row["articles"] == f"Zeitung; Seite 1 ({article.slug})"
    assert row["sources"] == "https://example.org/a https://example.org/b"
    assert row["corrections"] == "1"
    assert row["updated_at"] == timezone.localtime(claim.updated_at).isoformat()
    assert row["submitted_at"] == ""


def test_csv_in_german_translates_the_header_and_the_rating(client, editor):
    make_claim(rating=make_rating("False", value=0, label_de="Falsch"))
    client.force_login(editor)
    header, row = _csv(client.get("/de" + URL, {"format": "csv"}))
    assert "Behauptung (geprüft)" in header or "Geprüfte Behauptung" in header
    assert "Fazit" in header
    assert "Status" in header
    assert "Falsch" in row
    assert "Veröffentlicht" in row  # the status label
    assert any(cell.startswith("http://testserver/de/claims/") for cell in row)
    page = client.get("/de" + URL, {"updated_since": "gestern"})
    assert page.status_code == 400
    assert "Geben Sie ein Datum als Jahr-Monat-Tag ein" in page.content.decode()
    assert "JSON Lines herunterladen" in page.content.decode()


def test_cells_a_spreadsheet_would_run_as_formulas_get_an_apostrophe(desk):
    hostile = {
        '=HYPERLINK("http://evil.example","x")': '\'=HYPERLINK("http://evil.example","x")',
        "+1+2": "'+1+2",
        "-2+3": "'-2+3",
        "@SUM(A1)": "'@SUM(A1)",
        "\tTab": "'\tTab",
        "\rReturn": "'\rReturn",
        "Plain = text": "Plain = text",
    }
    for typed in hostile:
        make_claim(claimant=typed, status=Claim.Status.DRAFT)
    rows = _csv_dicts(desk.get(URL, {"format": "csv"}))
    assert sorted(row["claimant"] for row in rows) == sorted(hostile.values())
    # JSON Lines is data for programs: the text exactly as typed.
    lines = _jsonl(desk.get(URL, {"format": "jsonl"}))
    assert sorted(line["claimant"] for line in lines) == sorted(hostile)


def test_hostile_html_is_exported_as_typed_in_a_download(desk):
    script = "<script>alert(1)</script> & <b>"
    make_claim(claim_reviewed=script, status=Claim.Status.DRAFT)
    response = desk.get(URL, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    [row] = _csv_dicts(response)
    assert row["claim_reviewed"] == script


# --- JSON Lines ---------------------------------------------------------------------------
def test_json_lines_one_object_per_line_with_machine_keys(desk, seeded, published):
    response = desk.get(URL, {"format": "jsonl"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert response["Content-Disposition"].endswith('.jsonl"')
    lines = _jsonl(response)
    assert len(lines) == Claim.objects.count()
    assert all(list(line) == [c.key for c in exports.COLUMNS] for line in lines)
    item = next(line for line in lines if line["slug"] == published.slug)
    assert item["id"] == published.pk
    assert item["status"] == "published"
    assert item["rating_value"] == published.rating.value
    assert item["public_url"] == f"http://testserver/claims/{published.slug}/"
    assert timezone.datetime.fromisoformat(item["published_at"]) == published.published_at
    assert isinstance(item["sources"], list)
    assert all(set(a) == {"title", "slug"} for a in item["articles"])
    assert item["articles"], "the demo claim is marked in the demo article"


def test_json_lines_keep_line_separators_inside_their_line(desk):
    make_claim(explanation="eins\u2028zwei\u2029drei\nvier", status=Claim.Status.DRAFT)
    body = _body(desk.get(URL, {"format": "jsonl"})).decode()
    assert len(body.splitlines()) == 1
    assert json.loads(body)["explanation"] == "eins\u2028zwei\u2029drei\nvier"


# --- Filters ------------------------------------------------------------------------------
def _slugs(desk, **params) -> set[str]:
    response = desk.get(URL, {"format": "jsonl", **params})
    assert response.status_code == 200, response.content
    return {line["slug"] for line in _jsonl(response)}


def test_filters_narrow_the_export(desk):
    true, false = make_rating("True", value=5), make_rating("False", value=0)
    old = make_claim(slug="old", rating=true, claimant="Bundesamt für Statistik", language="de")
    Claim.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=30))
    make_claim(slug="draft-en", status=Claim.Status.DRAFT, rating=false, language="en-GB")
    make_claim(slug="unrated", status=Claim.Status.IN_REVIEW, claim_reviewed="Mond aus Käse")
    assert _slugs(desk) == {"old", "draft-en", "unrated"}
    assert _slugs(desk, status="all") == {"old", "draft-en", "unrated"}
    assert _slugs(desk, status="draft") == {"draft-en"}
    assert _slugs(desk, status="published") == {"old"}
    assert _slugs(desk, rating=false.slug) == {"draft-en"}
    assert _slugs(desk, rating="none") == {"unrated"}
    assert _slugs(desk, language="EN-gb") == {"draft-en"}
    assert _slugs(desk, claimant="statistik") == {"old"}
    assert _slugs(desk, q="käse") == {"unrated"}
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert _slugs(desk, updated_since=yesterday) == {"draft-en", "unrated"}
    assert _slugs(desk, status="draft", rating=true.slug) == set()
    response = desk.get(URL, {"status": "draft", "format": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="claims-draft-')


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "secret"}, "Select a valid choice"),
        ({"rating": "no-such-rating"}, "Select a valid choice"),
        ({"language": "not a tag!"}, "is not a language tag"),
        ({"updated_since": "2026-13-45"}, "Enter a date as year-month-day"),
        ({"claimant": "x" * 201}, "at most 200 characters"),
        ({"q": "a\x00b"}, "Null characters are not allowed"),
        ({"format": "xlsx"}, "Choose CSV or JSON Lines"),
    ],
)
def test_a_wrong_filter_is_a_400_in_words(desk, params, message):
    response = desk.get(URL, {"format": "csv", **params})
    assert response.status_code == 400
    assert not response.streaming
    page = response.content.decode()
    assert "error-summary" in page
    assert message in page


def test_the_export_page_shows_the_filters_and_counts_the_matches(desk):
    make_claim(status=Claim.Status.DRAFT)
    make_claim(status=Claim.Status.DRAFT)
    make_claim()
    page = desk.get(URL).content.decode()
    assert 'name="format" value="csv"' in page
    assert 'name="format" value="jsonl"' in page
    assert 'id="export-matching"' not in page
    counted = desk.get(URL, {"status": "draft"})
    assert counted.status_code == 200
    assert "2 claims match these filters." in counted.content.decode()
    assert '<option value="draft" selected>' in counted.content.decode()


def test_claim_list_and_desk_home_link_to_the_export(desk):
    listing = desk.get("/desk/claims/", {"status": "in_review"}).content.decode()
    assert f'href="{URL}?status=in_review" id="export-these-claims"' in listing
    assert f'href="{URL}"' in desk.get("/desk/").content.decode()


# --- Who may, and the log -----------------------------------------------------------------
def test_anonymous_users_are_sent_to_sign_in_and_moderators_refused(client, moderator, seeded):
    response = client.get(URL, {"format": "csv"})
    assert response.status_code == 302
    assert response["Location"].startswith("/desk/login/")
    client.force_login(moderator)
    response = client.get(URL, {"format": "csv"})
    assert response.status_code == 403
    assert not response.streaming


def test_reviewers_export_too(client, reviewer, seeded):
    client.force_login(reviewer)
    assert len(_jsonl(client.get(URL, {"format": "jsonl"}))) == Claim.objects.count()


def test_each_export_is_logged_without_claim_content(desk, editor, caplog):
    make_claim(claim_reviewed="Geheimer Entwurf", status=Claim.Status.DRAFT)
    with caplog.at_level(logging.INFO, logger="claims.exports"):
        _body(desk.get(URL, {"format": "csv", "status": "draft", "claimant": "Amt"}))
    [record] = [r for r in caplog.records if r.name == "claims.exports"]
    message = record.getMessage()
    assert f"user {editor.pk} (editor)" in message
    assert "format csv" in message
    assert "'status': 'draft'" in message
    assert "'claimant': 'Amt'" in message
    assert "Geheimer Entwurf" not in message


# --- Streaming: queries per chunk, constant memory ----------------------------------------
def _claims_with_data(n: int, article) -> None:
    rating = Rating.objects.first() or make_rating()
    for _ in range(n):
        claim = make_claim(rating=rating, status=Claim.Status.DRAFT)
        mark_quote(claim, article, "Erster")
        add_source(claim)


def _queries(desk, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        _body(desk.get(URL, {"format": "csv", **params}))
    return len(queries)


def test_queries_grow_with_the_chunks_not_the_claims(desk, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 5)
    article = make_article()
    _claims_with_data(10, article)
    ten = _queries(desk)  # 2 chunks
    _claims_with_data(50, article)
    sixty = _queries(desk)  # 12 chunks
    # One query for the claims, and per chunk one for its passages (with their articles)
    # and one for its sources: a + 2 × chunks.
    assert sixty - ten == 2 * (12 - 2)
    # The rest: the session, the user, the second factor's devices, the user's groups,
    # the rating scale (the form's choices) and the claims.
    assert ten - 2 * 2 <= 7
    assert len(_csv(desk.get(URL, {"format": "csv"}))) == 61


def _bulk_claims(n: int, start: int) -> None:
    rating = Rating.objects.first() or make_rating()
    claims = Claim.objects.bulk_create(
        Claim(
            slug=f"bulk-{i}",
            claim_reviewed=f"Bulk claim number {i} with some words in it",
            claimant="Someone",
            conclusion="A conclusion of a usual length for a claim.",
            explanation="An explanation. " * 20,
            rating=rating,
        )
        for i in range(start, start + n)
    )
    Source.objects.bulk_create(
        Source(claim=claim, url=f"https://example.org/{claim.slug}", title="Source")
        for claim in claims
    )


def _peak_while_streaming(desk) -> tuple[int, int]:
    response = desk.get(URL, {"format": "csv"})
    size = 0
    tracemalloc.start()
    try:
        for piece in response.streaming_content:
            size += len(piece)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, size


def test_streaming_5000_claims_takes_about_the_memory_of_500(desk, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 100)
    _bulk_claims(500, 0)
    small_peak, small_size = _peak_while_streaming(desk)
    _bulk_claims(4500, 500)
    large_peak, large_size = _peak_while_streaming(desk)
    assert large_size > 9 * small_size, "ten times the claims, ten times the bytes"
    assert large_peak < 2 * small_peak, (small_peak, large_peak)
