"""How alike two statements are, in words a fact-checker can follow.

A text becomes a :class:`Profile`: its words as keys (``terms.words``: lemma stems,
numbers, the parts of compounds) with their weights, the numbers it names, and whether it
is negated. :func:`compare` scores a sentence against one text of a claim (the claim as
reviewed, or a passage where it was marked) between 0 and 1:

- **coverage both ways**: the weight of the claim's words that the sentence has, over
  all the claim's word weight, and the same the other way round; the score is their
  weighted geometric mean, the claim's side counting more (a new article often says more
  around the claim than the claim itself). A word counts as shared when one of its keys
  is among the other text's keys; a compound counts by its parts when only those are
  shared ("Atomwaffentests" / "Atomwaffen … getestet");
- **numbers must agree**: when both name numbers and none is shared, the score is
  multiplied by 0.55 (a different year or figure is a different claim);
- **polarity must agree**: when one is negated ("keine", "nicht", "never") and the other
  not, the score is multiplied by 0.7.

The words both share are returned with the score, so the desk can show them. Everything
here is symmetric in how a text is written: case, quotation marks, white space and
hyphens do not change a profile (``terms``).
"""

from dataclasses import dataclass

from .terms import Word, words

__all__ = [
    "MATCH_THRESHOLD",
    "Comparison",
    "Profile",
    "compare",
    "profile",
    "profile_from_data",
]

# The score from which a claim is suggested as "already checked" (tuned on the evaluation
# set in tests/eval; `make eval` prints precision and recall at this threshold).
MATCH_THRESHOLD = 0.42
# How much the claim's side of the coverage counts in the score (the sentence's: the rest).
CLAIM_SIDE = 0.65
NUMBERS_DIFFER = 0.55
POLARITY_DIFFERS = 0.7
# Words lighter than this are left out of a profile: they say nothing about the claim.
MIN_WEIGHT = 0.3


@dataclass(frozen=True, slots=True)
class Entry:
    """One distinct word of a profile: its keys, weight and the parts of a compound."""

    keys: tuple[str, ...]
    weight: float
    parts: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Profile:
    """What a text says, as the comparison sees it."""

    entries: tuple[Entry, ...]
    keys: frozenset[str]  # every key, parts included
    numbers: frozenset[str]
    negated: bool

    @property
    def total(self) -> float:
        return sum(entry.weight for entry in self.entries)

    def to_data(self) -> list:
        """A JSON-friendly form (stored for claims, read back by :func:`profile_from_data`)."""
        return [
            [
                [list(e.keys), round(e.weight, 3), [[k, round(w, 3)] for k, w in e.parts]]
                for e in self.entries
            ],
            sorted(self.numbers),
            self.negated,
        ]


def _profile(found: list[Word]) -> Profile:
    entries: dict[tuple[str, ...], Entry] = {}
    for word in found:
        if word.weight < MIN_WEIGHT and not word.parts:
            continue
        known = entries.get(word.keys)
        if known is None or known.weight < word.weight:
            entries[word.keys] = Entry(word.keys, word.weight, word.parts)
    keys = {key for entry in entries.values() for key in entry.keys}
    keys.update(key for entry in entries.values() for key, _w in entry.parts)
    return Profile(
        entries=tuple(entries.values()),
        keys=frozenset(keys),
        numbers=frozenset(word.number for word in found if word.number),
        negated=any(word.negation for word in found),
    )


def profile(text: str, language: str = "de") -> Profile:
    """The profile of ``text`` in ``language`` (a BCP 47 tag)."""
    return _profile(words(text, language))


def profile_of_words(found: list[Word]) -> Profile:
    """The profile of words already found (a sentence cut out of an article's words)."""
    return _profile(found)


def profile_from_data(data: list) -> Profile:
    """A profile stored with :meth:`Profile.to_data`."""
    raw_entries, numbers, negated = data
    entries = tuple(
        Entry(tuple(keys), float(weight), tuple((k, float(w)) for k, w in parts))
        for keys, weight, parts in raw_entries
    )
    keys = {key for entry in entries for key in entry.keys}
    keys.update(key for entry in entries for key, _w in entry.parts)
    return Profile(entries, frozenset(keys), frozenset(numbers), bool(negated))


@dataclass(frozen=True, slots=True)
class Comparison:
    """The score of a sentence against a claim's text, and the keys they share."""

    score: float
    shared: frozenset[str]


def _covered(side: Profile, other: Profile) -> tuple[float, set[str]]:
    """The weight of ``side``'s words that ``other`` has, and the keys that matched."""
    covered = 0.0
    shared: set[str] = set()
    for entry in side.entries:
        found = [key for key in entry.keys if key in other.keys]
        if found:
            covered += entry.weight
            shared.update(found)
            continue
        parts = [(key, weight) for key, weight in entry.parts if key in other.keys]
        if parts:
            covered += min(entry.weight, sum(weight for _k, weight in parts))
            shared.update(key for key, _w in parts)
    return covered, shared


def compare(sentence: Profile, claim: Profile) -> Comparison:
    """How far ``sentence`` makes the statement of ``claim`` (0 … 1)."""
    claim_total, sentence_total = claim.total, sentence.total
    if claim_total <= 0 or sentence_total <= 0:
        return Comparison(0.0, frozenset())
    claim_covered, shared = _covered(claim, sentence)
    sentence_covered, shared_back = _covered(sentence, claim)
    if not claim_covered or not sentence_covered:
        return Comparison(0.0, frozenset())
    score = (min(1.0, claim_covered / claim_total) ** CLAIM_SIDE) * (
        min(1.0, sentence_covered / sentence_total) ** (1 - CLAIM_SIDE)
    )
    if sentence.numbers and claim.numbers and not sentence.numbers & claim.numbers:
        score *= NUMBERS_DIFFER
    if sentence.negated != claim.negated:
        score *= POLARITY_DIFFERS
    return Comparison(round(score, 4), frozenset(shared | shared_back))


@dataclass(frozen=True, slots=True)
class Ranked:
    """A claim of an index ranked for a sentence: its id, score and shared keys."""

    claim: int
    score: float
    shared: frozenset[str]


# Only words weighing at least this find candidates in an index: a claim that shares
# nothing but "Jahr" and "sagen" with a sentence is not worth comparing.
CANDIDATE_WEIGHT = 1.0


def informative_keys(found: Profile, limit: int | None = None) -> list[str]:
    """The keys that find candidate claims for ``found``, heaviest first: its words
    weighing at least ``CANDIDATE_WEIGHT``, compound parts and numbers included."""
    weighted: dict[str, float] = {}
    for entry in found.entries:
        if entry.weight >= CANDIDATE_WEIGHT:
            for key in entry.keys:
                weighted[key] = max(weighted.get(key, 0.0), entry.weight)
        for key, weight in entry.parts:
            if weight >= CANDIDATE_WEIGHT / 2:
                weighted[key] = max(weighted.get(key, 0.0), weight)
    ordered = sorted(weighted, key=lambda key: (-weighted[key], key))
    return ordered[:limit] if limit else ordered


def rank(sentence: Profile, candidates: dict[int, list[Profile]], limit: int = 3) -> list[Ranked]:
    """The ``limit`` best of ``candidates`` (claim id → the profiles of its texts) for
    ``sentence``, best first; a claim scores as its best text. Ties go to the older
    claim (lower id), so the order never depends on the order of the candidates."""
    best = []
    for claim, profiles in candidates.items():
        top = max(
            (compare(sentence, claim_profile) for claim_profile in profiles),
            key=lambda comparison: comparison.score,
            default=None,
        )
        if top is not None and top.score > 0:
            best.append(Ranked(claim, top.score, top.shared))
    best.sort(key=lambda ranked: (-ranked.score, ranked.claim))
    return best[:limit]


class Index:
    """An in-process index of claims' profiles: the inverted index of their keys.

    What PostgreSQL's full-text index does for the database (``claims/matching.py``),
    for SQLite and for the evaluation (``make eval``): candidates share at least one
    informative key with the sentence; :func:`rank` orders them."""

    def __init__(self, claims: dict[int, list[Profile]]):
        self.claims = claims
        self.postings: dict[str, set[int]] = {}
        for claim, profiles in claims.items():
            for claim_profile in profiles:
                for key in informative_keys(claim_profile):
                    self.postings.setdefault(key, set()).add(claim)

    def candidates(self, sentence: Profile) -> dict[int, list[Profile]]:
        found: set[int] = set()
        for key in informative_keys(sentence):
            found.update(self.postings.get(key, ()))
        return {claim: self.claims[claim] for claim in found}

    def rank(self, sentence: Profile, limit: int = 3) -> list[Ranked]:
        return rank(sentence, self.candidates(sentence), limit)
