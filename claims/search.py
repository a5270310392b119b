"""Searching published claims: PostgreSQL full-text search, a plain fallback elsewhere."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet

from claims.models import Claim

# One vector over the fields a reader searches, weighted by importance. The 'simple'
# configuration does no stemming, so German and English claims are treated alike; the
# GIN index in migration 0005 is built on exactly this expression.
SEARCH_VECTOR = (
    SearchVector("claim_reviewed", weight="A", config="simple")
    + SearchVector("claimant", weight="B", config="simple")
    + SearchVector("conclusion", weight="C", config="simple")
)


def search_claims(claims: QuerySet[Claim], text: str) -> QuerySet[Claim]:
    """``claims`` matching ``text``, best matches first where the database can rank."""
    text = text.strip()
    if not text:
        return claims
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config="simple")
        return (
            claims.annotate(document=SEARCH_VECTOR)
            .filter(document=query)  # "@@": answered from the GIN index
            .annotate(rank=SearchRank(SEARCH_VECTOR, query))
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
