"""The desk's exports of claims: CSV for spreadsheet programs and JSON Lines for scripts.

One row (CSV) or one object (JSON Lines) per claim, drafts included: the desk's data,
for editors only (the views check that). The columns are ``COLUMNS``: a stable machine
key (the JSON key), a translated title (the CSV header) and how the value is read from a
claim loaded by ``export_queryset``.

Both formats are generators over ``QuerySet.iterator(chunk_size=…)``: the claims are read
``chunk_size`` at a time and their articles and sources prefetched per chunk, so memory
stays constant however many claims there are, and the queries grow with the chunks,
never with the claims. The view streams them with ``StreamingHttpResponse``.

CSV is UTF-8 with a byte-order mark (spreadsheet programs need it to read umlauts), and a
cell that a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) gets a leading apostrophe (OWASP "CSV injection").
"""

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.claimreview import absolute_url_maker
from claims.models import Claim, Correction, Mention, Source
from claims.search import search_claims

# Claims read per query; each chunk costs one query for its mentions (with their
# articles) and one for its sources. Tests make it small.
CHUNK_SIZE = 500
ALL_STATUSES = "all"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
JSONL_CONTENT_TYPE = "application/x-ndjson; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ClaimFilters:
    """What an export holds: a status (or ``ALL_STATUSES``) and optional narrowing."""

    status: str = ALL_STATUSES
    rating: str = ""  # a rating's slug, or "none": not rated yet
    language: str = ""
    claimant: str = ""  # contained, any case
    q: str = ""  # the desk's claim search (claims.search)
    updated_since: date | None = None

    def as_log(self) -> dict[str, str]:
        """The filters that are set, for the log line (never claim content)."""
        return {
            key: str(value)
            for key, value in self.__dict__.items()
            if value not in ("", None) and not (key == "status" and value == ALL_STATUSES)
        }


def filtered_claims(filters: ClaimFilters) -> QuerySet[Claim]:
    """The claims ``filters`` select."""
    claims = Claim.objects.all()
    if filters.status != ALL_STATUSES:
        claims = claims.filter(status=filters.status)
    if filters.rating == "none":
        claims = claims.filter(rating__isnull=True)
    elif filters.rating:
        claims = claims.filter(rating__slug=filters.rating)
    if filters.language:
        claims = claims.filter(language__iexact=filters.language)
    if filters.claimant:
        claims = claims.filter(claimant__icontains=filters.claimant)
    if filters.updated_since:
        start = timezone.make_aware(datetime.combine(filters.updated_since, datetime.min.time()))
        claims = claims.filter(updated_at__gte=start)
    if filters.q:
        claims = search_claims(claims, filters.q)
    return claims


def export_queryset(filters: ClaimFilters) -> QuerySet[Claim]:
    """The claims ``filters`` select, with what the columns read, in a stable order
    (last changed first). Iterate it with ``iterator(chunk_size=…)``: the prefetches are
    then made per chunk."""
    corrections = (
        Correction.objects.filter(claim=OuterRef("pk"), status=Correction.Status.PUBLISHED)
        .order_by()
        .values("claim")
        .annotate(n=Count("pk"))
        .values("n")
    )
    mentions = (
        Mention.objects.select_related("revision__article")
        .only("claim", "revision__article__title", "revision__article__slug")
        .order_by("revision__article_id", "pk")
    )
    return (
        filtered_claims(filters)
        .select_related("rating", "assignee", "author")
        .annotate(
            published_corrections=Coalesce(Subquery(corrections, output_field=IntegerField()), 0)
        )
        .prefetch_related(
            Prefetch("mentions", queryset=mentions),
            Prefetch("sources", queryset=Source.objects.only("claim", "url", "position")),
        )
        .order_by("-updated_at", "-pk")
    )


def matching_count(filters: ClaimFilters) -> int:
    """How many claims an export with ``filters`` holds (for the export page)."""
    return filtered_claims(filters).count()


# --- Columns ------------------------------------------------------------------------------
class Context:
    """What every row of one export shares, worked out once: the status labels in the
    request's language and the absolute addresses of a claim's pages as templates (a
    ``reverse`` per claim and column cost more than the rest of its row)."""

    def __init__(self, request) -> None:
        self.status_labels = {value: str(label) for value, label in Claim.Status.choices}
        self._public = absolute_url_maker(request, "claims:claim")
        self._desk = absolute_url_maker(request, "claims:desk-claim-review", "pk")

    def public_url(self, claim: Claim) -> str:
        """The claim's public page, in the request's language; none before publication."""
        if claim.status != Claim.Status.PUBLISHED:
            return ""
        return self._public(claim.slug)

    def desk_url(self, claim: Claim) -> str:
        return self._desk(claim.pk)


@dataclass(frozen=True)
class Column:
    key: str  # the JSON key: stable, never translated
    title: Any  # the CSV header, in the request's language (lazy)
    value: Callable[[Claim, Context], Any]


def _articles(claim: Claim) -> list[dict[str, str]]:
    """The articles where the claim is marked (any revision), once each."""
    seen: dict[int, dict[str, str]] = {}
    for mention in claim.mentions.all():
        article = mention.revision.article
        seen.setdefault(article.pk, {"title": article.title, "slug": article.slug})
    return list(seen.values())


def _user(user) -> str:
    return user.get_username() if user is not None else ""


COLUMNS = [
    Column("id", _("ID"), lambda c, x: c.pk),
    Column("slug", _("Slug"), lambda c, x: c.slug),
    Column("status", _("Status"), lambda c, x: c.status),
    Column("status_label", _("Status label"), lambda c, x: x.status_labels.get(c.status, "")),
    Column("claim_reviewed", _("Claim as reviewed"), lambda c, x: c.claim_reviewed),
    Column("claimant", _("Claimant"), lambda c, x: c.claimant),
    Column("rating", _("Rating"), lambda c, x: c.rating.local_label if c.rating else ""),
    Column("rating_value", _("Rating value"), lambda c, x: c.rating.value if c.rating else None),
    Column("conclusion", _("Conclusion"), lambda c, x: c.conclusion),
    Column("explanation", _("Explanation (Markdown)"), lambda c, x: c.explanation),
    Column("language", _("Language"), lambda c, x: c.language),
    Column("assignee", _("Assignee"), lambda c, x: _user(c.assignee)),
    Column("author", _("Author"), lambda c, x: _user(c.author)),
    Column("created_at", _("Created"), lambda c, x: c.created_at),
    Column("updated_at", _("Last change"), lambda c, x: c.updated_at),
    Column("submitted_at", _("Submitted for review"), lambda c, x: c.submitted_at),
    Column("published_at", _("Published"), lambda c, x: c.published_at),
    Column("public_url", _("Public page"), lambda c, x: x.public_url(c)),
    Column("desk_url", _("Desk page"), lambda c, x: x.desk_url(c)),
    Column("articles", _("Articles"), lambda c, x: _articles(c)),
    Column("sources", _("Sources"), lambda c, x: [s.url for s in c.sources.all()]),
    Column("corrections", _("Corrections"), lambda c, x: c.published_corrections),
]


def _claims(claims: QuerySet[Claim], chunk_size: int) -> Iterator[Claim]:
    """The claims, a chunk at a time. A prefetched passage points back to its claim, so
    claim and passages form a cycle that only the garbage collector's rare full runs
    would free; dropping the claim's prefetch cache once it is written frees each chunk
    at once and keeps memory flat."""
    for claim in claims.iterator(chunk_size=chunk_size):
        yield claim
        claim.__dict__.pop("_prefetched_objects_cache", None)


# --- CSV ----------------------------------------------------------------------------------
class _Line:
    """A file-like object that hands back what csv.writer writes (one row at a time)."""

    def write(self, text: str) -> str:
        return text


def csv_cell(value: Any) -> str | int:
    """A value as a CSV cell: lists joined, dates in ISO 8601, and text that a
    spreadsheet would run as a formula defused with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        if value and isinstance(value[0], dict):  # articles: "Title (slug); …"
            value = "; ".join(f"{a['title']} ({a['slug']})" for a in value)
        else:
            value = " ".join(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_rows(claims: QuerySet[Claim], request, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The CSV file in pieces: the byte-order mark and the header, then one line per
    claim."""
    writer = csv.writer(_Line())
    header = writer.writerow([str(column.title) for column in COLUMNS])
    yield ("\ufeff" + header).encode()
    context = Context(request)
    for claim in _claims(claims, chunk_size):
        row = [csv_cell(column.value(claim, context)) for column in COLUMNS]
        yield writer.writerow(row).encode()


# --- JSON Lines -----------------------------------------------------------------------------
# JSON allows U+2028 and U+2029 raw; some line splitters (Python's str.splitlines,
# older JavaScript) take them for line ends. Escaped, every object is one line to all.
_LINE_SEPARATORS = {0x2028: "\\u2028", 0x2029: "\\u2029"}


def jsonl_rows(claims: QuerySet[Claim], request, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """One JSON object per line and claim, keyed by the columns' machine keys; dates in
    ISO 8601, lists as lists, empty values as ``null`` where there is no value."""
    context = Context(request)
    for claim in _claims(claims, chunk_size):
        item = {column.key: column.value(claim, context) for column in COLUMNS}
        line = json.dumps(item, cls=DjangoJSONEncoder, ensure_ascii=False)
        yield (line.translate(_LINE_SEPARATORS) + "\n").encode()


def filename(filters: ClaimFilters, extension: str) -> str:
    """``claims-<status>-<date>.<extension>``: the status is a machine value, so the name
    is plain ASCII."""
    return f"claims-{filters.status}-{timezone.localdate().isoformat()}.{extension}"


FORMATS = {
    "csv": (csv_rows, CSV_CONTENT_TYPE, "csv"),
    "jsonl": (jsonl_rows, JSONL_CONTENT_TYPE, "jsonl"),
}
