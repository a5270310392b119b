"""PostgreSQL's candidate query and the in-process index agree (``claims/matching.py``).

On PostgreSQL, ``similar_claims`` finds its candidates with one full-text query over the
profiles' keys; on SQLite, and in ``make eval``, the in-process index
(``claims.text.similarity.Index``) finds them. Both rank with the same scores, so for
every sentence of the evaluation set (tests/eval) the three best claims must be the same:
otherwise ``make eval``'s figures would not be the desk's on PostgreSQL.
"""

import json
from pathlib import Path

import pytest
from django.db import connection

from claims.matching import similar_claims
from claims.models.matching import ClaimProfile
from claims.text.similarity import Index, profile, profile_from_data
from tests.factories import make_article, make_claim, mark_quote

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's full-text candidates"
)

EVAL = Path(__file__).resolve().parent / "eval"


@pytest.fixture
def archive(db) -> dict[int, str]:
    """The claims of tests/eval/claims.json, published, each with its passages marked on
    an article of its language: claim pk → the claim's id in the evaluation set."""
    claims = json.loads((EVAL / "claims.json").read_text(encoding="utf-8"))
    by_pk = {}
    for number, entry in enumerate(claims):
        claim = make_claim(
            claim_reviewed=entry["claim"], language=entry["language"], slug=f"eval-{number}"
        )
        by_pk[claim.pk] = entry["id"]
        passages = entry.get("passages", [])
        if passages:
            article = make_article("\n\n".join(passages), language=entry["language"])
            for passage in dict.fromkeys(passages):
                mark_quote(claim, article, passage)
    return by_pk


def test_the_postgresql_query_ranks_every_evaluation_sentence_as_the_index_does(archive):
    stored = ClaimProfile.objects.values_list("claim_id", "profiles")
    index = Index({pk: [profile_from_data(data) for data in found] for pk, found in stored})
    assert set(index.claims) == set(archive), "every claim has its profile"
    pairs = json.loads((EVAL / "pairs.json").read_text(encoding="utf-8"))
    sentences = {pair["sentence"]: pair["language"] for pair in pairs}
    differ, found_any = [], 0
    for sentence, language in sentences.items():
        expected = [
            (archive[r.claim], r.score) for r in index.rank(profile(sentence, language), limit=3)
        ]
        found = [
            (archive[s.claim.pk], s.score)
            for s in similar_claims(sentence, language, limit=3, threshold=0)
        ]
        found_any += bool(found)
        if found != expected:
            differ.append((sentence, expected, found))
    assert not differ, f"{len(differ)} of {len(sentences)} sentences differ: {differ[:3]}"
    assert found_any > len(sentences) * 0.9  # not vacuous: nearly all find claims
