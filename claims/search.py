"""Searching published claims: PostgreSQL full-text search, a plain fallback elsewhere."""

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Expression, F, Q, QuerySet

from claims.models import Claim

# What a reader searches: the claim (weight A), the claimant (B) and the conclusion (C), as
# one 'simple' tsvector (no stemming, so German and English claims are treated alike). On
# PostgreSQL it is the stored generated column ``search_document`` with a GIN index
# (migration 0032), so matching and ranking read it instead of building it per claim.


class SearchDocument(Expression):
    """The claim's stored ``search_document`` column (PostgreSQL only; not a model field,
    since SQLite has no such column): named through the query's own alias of the claims
    table, so it also works inside subqueries."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name(alias)}.search_document", []


def text_query(text: str) -> SearchQuery:
    """``text`` as a full-text query of the claims' search document (websearch syntax:
    words, "phrases", -not, or)."""
    return SearchQuery(text.strip(), search_type="websearch", config="simple")


def search_claims(claims: QuerySet[Claim], text: str) -> QuerySet[Claim]:
    """``claims`` matching ``text``, best matches first where the database can rank."""
    text = text.strip()
    if not text:
        return claims
    if connection.vendor == "postgresql":
        query = text_query(text)
        return (
            claims.annotate(document=SearchDocument())
            .filter(document=query)  # "@@": answered from the GIN index
            .annotate(rank=SearchRank(SearchDocument(), query))
            .order_by("-rank", "-published_at")
        )
    matches = Q()
    for word in text.split()[:8]:
        matches &= (
            Q(claim_reviewed__icontains=word)
            | Q(claimant__icontains=word)
            | Q(conclusion__icontains=word)
        )
    return claims.filter(matches).order_by(F("published_at").desc(nulls_last=True))
