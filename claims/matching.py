"""Claims checked before: which existing claims a text repeats, and the analysis of a
revision's text (check-worthiness hints and "Already checked" suggestions).

The comparison itself is the text engine's (``claims.text.similarity``: the same scores
on every database); this module finds the candidates to compare and keeps the claims'
profiles current:

- **PostgreSQL**: at most two queries for all sentences of a text. Each sentence's
  informative keys (``similarity.informative_keys``: Snowball stems of lemmas, the
  algorithm of PostgreSQL's "german" and "english" configurations, and numbers) become a
  ``tsquery``; a ``LATERAL`` join takes, for each, the 20 claims whose profile document (a
  GIN-indexed ``tsvector`` of the same keys, migration 0030) shares the most keys.
- **SQLite** (and any other database): an in-process inverted index of the same keys
  (``similarity.Index``), built once per process and rebuilt when a profile changed.

A claim's profile (``ClaimProfile``) holds its texts as the comparison sees them: the
claim as reviewed and each passage marked for it. ``refresh_profiles`` remakes them;
``connect_signals`` (called by ``claims.apps``) hooks it to every change of a claim's
wording or passages.
"""

from dataclasses import dataclass
from threading import Lock

from django.db import connection
from django.db.models import Count, Exists, Max, QuerySet, Sum
from django.db.models.signals import post_delete, post_save

from claims.models import ArticleRevision, Claim, Mention
from claims.models.matching import ClaimProfile, sentence_key
from claims.text.sentences import Sentence, sentences
from claims.text.similarity import (
    MATCH_THRESHOLD,
    Index,
    Profile,
    Ranked,
    informative_keys,
    profile,
    profile_from_data,
    profile_of_words,
    rank,
)
from claims.text.terms import Word, words
from claims.text.worthiness import Hint, hints, sentence_words

# Candidates per sentence from PostgreSQL's index. Each sentence asks with all its
# informative keys, as the in-process index does: with only the heaviest ten, claims that
# share a lighter key were missed and the two disagreed (tests/test_matching_postgres.py).
CANDIDATES = 20
QUERY_KEYS = None
# Suggestions kept per sentence.
PER_SENTENCE = 3


# --- Profiles ------------------------------------------------------------------------------
def profile_texts(claim: Claim, passages: list[str]) -> list[str]:
    """The texts of a claim the matching compares with: the claim as reviewed and each
    distinct passage marked for it."""
    texts = [claim.claim_reviewed, *passages]
    return [text for text in dict.fromkeys(text.strip() for text in texts) if text]


def refresh_profiles(claim_ids) -> None:
    """Remake the profiles of these claims from their texts (two queries, then one write
    per claim)."""
    claim_ids = set(claim_ids)
    if not claim_ids:
        return
    passages: dict[int, list[str]] = {}
    for claim_id, exact in Mention.objects.filter(claim_id__in=claim_ids).values_list(
        "claim_id", "exact"
    ):
        passages.setdefault(claim_id, []).append(exact)
    for claim in Claim.objects.filter(pk__in=claim_ids).only("claim_reviewed", "language"):
        profiles = [
            profile(text, claim.language)
            for text in profile_texts(claim, passages.get(claim.pk, []))
        ]
        keys = sorted({key for found in profiles for key in informative_keys(found)})
        ClaimProfile.objects.update_or_create(
            claim=claim,
            defaults={
                "keys": " ".join(keys),
                "profiles": [found.to_data() for found in profiles],
            },
        )


def _claim_saved(sender, instance: Claim, created: bool, raw: bool = False, **kwargs) -> None:
    fields = kwargs.get("update_fields")
    if raw or (fields is not None and not {"claim_reviewed", "language"} & set(fields)):
        return
    refresh_profiles([instance.pk])


def _mention_changed(sender, instance: Mention, raw: bool = False, **kwargs) -> None:
    # A claim being deleted takes its passages and its profile with it.
    if raw or isinstance(kwargs.get("origin"), Claim):
        return
    if Claim.objects.filter(pk=instance.claim_id).exists():
        refresh_profiles([instance.claim_id])


def connect_signals() -> None:
    """Keep the profiles current: a claim's wording or its passages changed
    (``claims.apps``)."""
    post_save.connect(_claim_saved, sender=Claim, dispatch_uid="matching-claim")
    post_save.connect(_mention_changed, sender=Mention, dispatch_uid="matching-mention")
    post_delete.connect(_mention_changed, sender=Mention, dispatch_uid="matching-mention-gone")


# --- Candidates ----------------------------------------------------------------------------
def _quoted(key: str) -> str:
    return "'" + key.replace("'", "''") + "'"


def _tsquery(keys: list[str]) -> str:
    """A tsquery literal OR-ing ``keys`` as they are (no parsing, no stemming again)."""
    return " | ".join(_quoted(key) for key in keys)


def _two_of(keys: list[str]) -> str:
    """A tsquery literal matching documents with at least two of ``keys``."""
    quoted = [_quoted(key) for key in keys]
    return " | ".join(
        f"{key} & ({' | '.join(quoted[i + 1 :])})" for i, key in enumerate(quoted[:-1])
    )


# For each sentence, the CANDIDATES claims whose documents share the most of its keys:
# ``ts_rank`` against the OR of the keys (``s.q``) counts them, as the documents have no
# positions; ties go to the older claim. ``s.filter`` says which documents may be ranked at
# all: the same OR, or "at least two keys" (see ``_postgres_candidates``).
#
# The queries arrive as tsquery[]: each is parsed once, not once for every profile it is
# tested against and ranked by (as a cast inside the LATERAL part is). The statuses are
# checked against a hashed set of the claims *not* in them (few: drafts and claims in
# review), built once per query, instead of a join for every matching profile; ``NOT IN``
# because PostgreSQL turns ``IN`` into that join (docs/performance-work.md). The excluded
# statuses are named (``status = ANY``), so that set is read from a status index, not by
# reading every claim (13 ms a query at 100,000 claims; none when no status is excluded).
_CANDIDATES_SQL = """
SELECT s.i, p.claim_id
FROM unnest(%s::text[]::tsquery[], %s::text[]::tsquery[]) WITH ORDINALITY AS s(q, filter, i)
CROSS JOIN LATERAL (
    SELECT p.claim_id
    FROM claims_claimprofile p
    WHERE array_to_tsvector(string_to_array(p.keys, ' ')) @@ s.filter
      AND p.claim_id NOT IN (SELECT c.id FROM claims_claim c WHERE c.status = ANY(%s))
    ORDER BY ts_rank(array_to_tsvector(string_to_array(p.keys, ' ')), s.q) DESC,
             p.claim_id
    LIMIT %s
) p
"""


def _ranked_candidates(asked: list[tuple[str, str]], statuses: list[str]) -> list[list[int]]:
    """For each (OR query, filter query) of ``asked``, the ids ``_CANDIDATES_SQL`` finds."""
    found: list[list[int]] = [[] for _one in asked]
    if not asked:
        return found
    with connection.cursor() as cursor:
        cursor.execute(
            _CANDIDATES_SQL,
            [
                [q for q, _f in asked],
                [f for _q, f in asked],
                [status for status in Claim.Status.values if status not in statuses],
                CANDIDATES,
            ],
        )
        for ordinal, claim_id in cursor.fetchall():
            found[ordinal - 1].append(claim_id)
    return found


def _postgres_candidates(
    found: list[Profile], statuses: list[str]
) -> list[dict[int, list[Profile]]]:
    """The CANDIDATES claims sharing the most keys with each profile, in two steps with
    the same result: ranking every claim that shares one key is what costs (a sentence's
    keys reach thousands of claims of a large archive), and any claim sharing two keys
    ranks above all that share one. So first only claims sharing at least two keys are
    ranked; a sentence that finds fewer than CANDIDATES of them (or has one key) is asked
    again with the plain OR."""
    keys = [informative_keys(one, QUERY_KEYS) for one in found]
    first = [index for index, own in enumerate(keys) if len(own) >= 2]
    ids: dict[int, list[int]] = dict(
        zip(
            first,
            _ranked_candidates([(_tsquery(keys[i]), _two_of(keys[i])) for i in first], statuses),
            strict=True,
        )
    )
    again = [i for i, own in enumerate(keys) if own and len(ids.get(i, ())) < CANDIDATES]
    plain = [(_tsquery(keys[i]), _tsquery(keys[i])) for i in again]
    ids.update(zip(again, _ranked_candidates(plain, statuses), strict=True))
    wanted = {claim_id for found_ids in ids.values() for claim_id in found_ids}
    stored = dict(
        ClaimProfile.objects.filter(claim_id__in=wanted).values_list("claim_id", "profiles")
    )
    loaded = {
        claim_id: [profile_from_data(data) for data in profiles]
        for claim_id, profiles in stored.items()
    }
    return [
        {claim_id: loaded.get(claim_id, []) for claim_id in ids.get(index, ())}
        for index in range(len(found))
    ]


class _IndexCache:
    """The in-process index of one set of claims, rebuilt when a profile changed."""

    def __init__(self):
        self.lock = Lock()
        self.indexes: dict[tuple, tuple[tuple, Index]] = {}

    def get(self, statuses: tuple[str, ...]) -> Index:
        profiles = ClaimProfile.objects.filter(claim__status__in=statuses)
        # Which claims are in, and when one of their profiles last changed: a claim
        # published or withdrawn changes the count and the sum of ids.
        stamp = tuple(
            profiles.aggregate(
                count=Count("claim_id"), ids=Sum("claim_id"), latest=Max("updated_at")
            ).values()
        )
        with self.lock:
            known = self.indexes.get(statuses)
            if known and known[0] == stamp:
                return known[1]
        index = Index(
            {
                claim_id: [profile_from_data(data) for data in stored]
                for claim_id, stored in profiles.values_list("claim_id", "profiles")
            }
        )
        with self.lock:
            self.indexes[statuses] = (stamp, index)
        return index


_index_cache = _IndexCache()


def candidates(found: list[Profile], statuses: list[str]) -> list[dict[int, list[Profile]]]:
    """For each profile in ``found``, the claims in ``statuses`` worth comparing with it
    (claim id → its text profiles)."""
    if connection.vendor == "postgresql":
        return _postgres_candidates(found, statuses)
    index = _index_cache.get(tuple(sorted(statuses)))
    return [index.candidates(one) for one in found]


# --- Similar claims for one text ------------------------------------------------------------
@dataclass(frozen=True)
class Similar:
    """A claim like a text: its score and the words of the text they share
    (``(start, end)`` offsets into the text)."""

    claim: Claim
    score: float
    words: tuple[tuple[int, int], ...]


def _shared_spans(found: list[Word], shared: frozenset[str]) -> tuple[tuple[int, int], ...]:
    return tuple(
        (word.start, word.end)
        for word in found
        if shared.intersection(word.keys) or shared.intersection(k for k, _w in word.parts)
    )


def similar_claims(
    text: str,
    language: str,
    claims: QuerySet[Claim] | None = None,
    *,
    limit: int = 5,
    threshold: float = MATCH_THRESHOLD,
) -> list[Similar]:
    """The claims of ``claims`` (default: the published ones) that ``text`` most likely
    repeats, best first, each scoring at least ``threshold``."""
    claims = Claim.objects.published() if claims is None else claims
    found = words(text, language)
    one = profile_of_words(found)
    statuses = _statuses_in(claims)
    if not statuses or not one.entries:
        return []
    pool = candidates([one], statuses)[0]
    allowed = set(claims.filter(pk__in=pool).values_list("pk", flat=True))
    ranked = [
        found_rank
        for found_rank in rank(one, {pk: pool[pk] for pk in allowed}, limit=limit)
        if found_rank.score >= threshold
    ]
    by_pk = claims.select_related("rating").in_bulk([found_rank.claim for found_rank in ranked])
    return [
        Similar(by_pk[found_rank.claim], found_rank.score, _shared_spans(found, found_rank.shared))
        for found_rank in ranked
        if found_rank.claim in by_pk
    ]


def _statuses_in(claims: QuerySet[Claim]) -> list[str]:
    """The statuses that claims of ``claims`` have, in one query of one EXISTS per status:
    each stops at its first claim (from a status index), where a DISTINCT read every claim
    (9 ms at 100,000, on every marking). No claim at all: no row, no status."""
    flags = {status: Exists(claims.filter(status=status)) for status in Claim.Status.values}
    row = Claim.objects.order_by().annotate(**flags).values(*flags).first()
    return sorted(status for status, present in (row or {}).items() if present)


# --- A revision's analysis -------------------------------------------------------------------
@dataclass(frozen=True)
class Suggested:
    """A published claim a sentence may repeat."""

    sentence: Sentence
    sentence_key: str
    claim_id: int
    score: float
    position: int
    words: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Analysis:
    """What the desk shows about a revision's text: hints and suggestions."""

    hints: list[Hint]
    suggestions: list[Suggested]
    claims_compared: int


def analyse(revision: ArticleRevision) -> Analysis:
    """Hints for the sentences of ``revision``'s text worth checking, and the published
    claims its sentences may repeat (at most ``PER_SENTENCE`` each, scoring at least the
    threshold; a claim already marked in this text is in its claims list and is not
    suggested again). Writes nothing (``services.revision_analyse`` stores it)."""
    text, language = revision.text, revision.article.language
    found = words(text, language)
    spans = sentences(text, language)
    sentence_hints = hints(text, language, spans=spans, found=found)
    pieces = list(sentence_words(found, spans))
    profiles = [profile_of_words(inside) for _sentence, inside in pieces]
    published = [Claim.Status.PUBLISHED.value]
    pools = candidates(profiles, published)
    # Claims marked in this text already are in its claims list: not suggested again.
    marked = set(
        Mention.objects.filter(revision=revision).values_list("claim_id", flat=True).distinct()
    )
    suggestions = []
    for (sentence, inside), one, pool in zip(pieces, profiles, pools, strict=True):
        pool = {claim: texts for claim, texts in pool.items() if claim not in marked}
        if not pool:
            continue
        ranked: list[Ranked] = [
            found_rank
            for found_rank in rank(one, pool, limit=PER_SENTENCE)
            if found_rank.score >= MATCH_THRESHOLD
        ]
        if not ranked:
            continue
        key = sentence_key(text[sentence.start : sentence.end], language)
        suggestions.extend(
            Suggested(
                sentence,
                key,
                found_rank.claim,
                found_rank.score,
                position,
                _shared_spans(inside, found_rank.shared),
            )
            for position, found_rank in enumerate(ranked, start=1)
        )
    return Analysis(
        hints=sentence_hints,
        suggestions=suggestions,
        claims_compared=Claim.objects.published().count(),
    )
