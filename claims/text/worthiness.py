"""Check-worthiness hints: which sentences of an article carry a checkable fact, and why.

Each sentence (``sentences.sentences``, the splitter the matching uses too) gets a score
from features a fact-checker can read back, found on the sentence's lemmas
(``terms.words``), so "sagte", "sagt" and "gesagt" are one cue:

==============  =====  ============================================================
feature         score  found by
==============  =====  ============================================================
number           +1.0  a number in digits or words ("3,5", "zwölf"), not a lone day
                       of the month or a clock time ("21 Uhr")
date             +0.8  a year, a month name, or a span of time with "seit", "vor",
                       "since", "ago" … ("seit mehr als einem Jahr")
comparison       +1.0  "mehr/weniger als", "so … wie nie", a superlative ("höchste"),
                       rising and falling ("gestiegen", "verdoppelt")
statistics       +0.9  "Prozent", "Anteil", "Durchschnitt", "Studie", "percent" …
attribution      +0.7  a verb of saying or "laut"/"zufolge"/"according to"; the
                       speaker's name is given when it stands next to the cue
causal           +0.6  "weil", "wegen", "deshalb", "because", "due to", "caused" …
entity           +0.5  a named person or organisation: an acronym ("AfD"), a
                       capitalised word the lemmatiser does not know ("Keuter")
statement        +0.3  a declarative sentence of five words or more (no reason shown)
question         -2.0  the sentence ends with a question mark
meta             -2.0  a teaser or call to action ("Read more:", "Lesen Sie auch")
hedge            -0.8  "soll", "könnte", "dürfte", "vielleicht", "might", "could" …,
                       and the subjunctive II ("wäre", "hätte", "müsste")
forecast         -0.8  "wird/werde", "voraussichtlich", "wollen", "expects", "will" …
opinion          -0.8  first person ("ich", "wir", "unser", "I", "we")
conditional      -0.5  "wenn", "falls", "if", "unless"
==============  =====  ============================================================

A sentence whose score reaches :data:`HINT_THRESHOLD` (0.7) and that has a reason is
hinted: a number, a date with a statement, a name with a statement, an attribution. The
weights and the threshold were set on the labelled sentences of tests/eval (``make
eval``: precision and recall of "worth checking"). The cue words are small
closed sets of the grammar (verbs of saying, modal verbs, conjunctions), looked up by
lemma; the languages' own tools find the lemmas, numbers and sentences. A hint never
changes the text and never marks anything: it is a list of spans and reasons the desk
shows (tests check that the text is untouched).
"""

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from .sentences import Sentence, month_names, sentences
from .terms import Word, known_word, language_of, words

__all__ = ["HINT_THRESHOLD", "REASONS", "Hint", "hints", "sentence_hint", "sentence_words"]

HINT_THRESHOLD = 0.7

SCORES = {
    "statement": 0.3,
    "entity": 0.5,
    "number": 1.0,
    "date": 0.8,
    "comparison": 1.0,
    "statistics": 0.9,
    "attribution": 0.7,
    "causal": 0.6,
    "question": -2.0,
    "hedge": -0.8,
    "forecast": -0.8,
    "opinion": -0.8,
    "conditional": -0.5,
    "meta": -2.0,
}
# The features that make a sentence worth checking, in the order they are named.
REASONS = ("number", "date", "comparison", "statistics", "attribution", "causal", "entity")

_CUES = {
    "date_anchor": {
        "seit",
        "vor",
        "lang",
        "länger",
        "binnen",
        "innerhalb",
        "since",
        "ago",
        "for",
        "over",
        "during",
        "within",
        "zuletzt",
        "erstmals",
    },
    "time_unit": {
        "jahr",
        "monat",
        "woche",
        "tag",
        "jahrzehnt",
        "jahrhundert",
        "stunde",
        "quartal",
        "year",
        "month",
        "week",
        "day",
        "decade",
        "century",
        "hour",
        "quarter",
    },
    "comparison": {
        "mehr",
        "weniger",
        "doppelt",
        "halb",
        "hälfte",
        "steigen",
        "sinken",
        "wachsen",
        "zunehmen",
        "abnehmen",
        "verdoppeln",
        "halbieren",
        "anstieg",
        "rückgang",
        "rekord",
        "nie",
        "je",
        "more",
        "less",
        "fewer",
        "twice",
        "double",
        "rise",
        "fall",
        "increase",
        "decrease",
        "grow",
        "decline",
        "record",
        "ever",
        "most",
        "least",
        "high",
        "low",
    },
    "statistics": {
        "prozent",
        "prozentpunkt",
        "anteil",
        "durchschnitt",
        "mehrheit",
        "drittel",
        "viertel",
        "quote",
        "rate",
        "statistik",
        "studie",
        "umfrage",
        "million",
        "milliarde",
        "zahl",
        "percent",
        "percentage",
        "average",
        "majority",
        "median",
        "statistic",
        "study",
        "survey",
        "poll",
        "figure",
        "billion",
        "per cent",
    },
    "saying": {
        "sagen",
        "erklären",
        "betonen",
        "behaupten",
        "mitteilen",
        "berichten",
        "bestätigen",
        "warnen",
        "versichern",
        "zufolge",
        "laut",
        "äußern",
        "say",
        "state",
        "claim",
        "tell",
        "according",
        "announce",
        "insist",
        "argue",
        "write",
        "report",
        "confirm",
        "warn",
    },
    "causal": {
        "weil",
        "wegen",
        "deshalb",
        "daher",
        "deswegen",
        "aufgrund",
        "verursachen",
        "dadurch",
        "folglich",
        "führen",
        "because",
        "due",
        "cause",
        "therefore",
        "result",
        "lead",
        "thanks",
    },
    "hedge": {
        "sollen",
        "können",
        "dürfen",
        "mögen",
        "vielleicht",
        "möglicherweise",
        "wahrscheinlich",
        "vermutlich",
        "angeblich",
        "eventuell",
        "might",
        "may",
        "could",
        "would",
        "perhaps",
        "possibly",
        "probably",
        "allegedly",
        "maybe",
    },
    "forecast": {
        "werden",
        "voraussichtlich",
        "künftig",
        "planen",
        "erwarten",
        "prognostizieren",
        "will",
        "expect",
        "forecast",
        "plan",
        "predict",
        "shall",
    },
    "opinion": {
        "finden",
        "glauben",
        "meinen",
        "hoffen",
        "wünschen",
        "meinung",
        "think",
        "believe",
        "hope",
        "feel",
        "opinion",
        "wish",
    },
    "first_person": {
        "ich",
        "wir",
        "mich",
        "mir",
        "uns",
        "unser",
        "i",
        "we",
        "me",
        "us",
        "our",
        "my",
    },
    "conditional": {"wenn", "falls", "sofern", "if", "unless"},
    "clock": {"uhr", "o'clock", "am", "pm", "a.m", "p.m"},
}
# Verb forms of the subjunctive II: what would be, not what is ("wäre", "hätte", "müsste").
_HYPOTHETICAL = {
    "wäre",
    "wären",
    "wärst",
    "hätte",
    "hätten",
    "hättest",
    "würde",
    "würden",
    "müsste",
    "müssten",
    "sollte",
    "sollten",
    "könnte",
    "könnten",
    "dürfte",
    "dürften",
    "möchte",
    "möchten",
    "wollte",
}
# How teasers and calls to action start ("Read more: …", "Lesen Sie auch …").
_META = regex.compile(
    r"^(?:read more|lesen sie|mehr zum thema|jetzt unterstützen|support us|subscribe|"
    r"abonnieren|see also|siehe auch)\b",
    regex.IGNORECASE,
)
_ACRONYM = regex.compile(r"\p{Lu}[\p{L}]*\p{Lu}[\p{L}]*")
# Past forms of "werden" make a passive or a past, not a forecast.
_PAST_WERDEN = {"wurde", "wurden", "wurdest", "wurdet", "worden", "würde", "würden"}
_SUPERLATIVE = {
    "de": regex.compile(r"\p{L}{3,}(?:st|est)(?:e|en|er|es|em)$"),
    "en": regex.compile(r"\p{L}{2,}est$"),
}
_NAME = regex.compile(r"\p{Lu}[\p{L}\p{M}.'’-]*")
_MAX_NAME_WORDS = 4


@dataclass(frozen=True, slots=True)
class Hint:
    """A sentence worth checking: ``text[start:end]``, its score, the features found
    (codes of :data:`REASONS`, in that order) and the speaker it is attributed to."""

    start: int
    end: int
    score: float
    reasons: tuple[str, ...]
    speaker: str = ""


def _is_name(text: str, word: Word, first: bool) -> bool:  # offsets into ``text``
    surface = text[word.start : word.end]
    return bool(_NAME.fullmatch(surface)) and not first and word.weight >= 1.0


def _entity(text: str, found: list[Word], language: str) -> str:
    """The first name of a person or organisation in the sentence, or "": an acronym
    ("AfD", "NRW"), or a capitalised word the lemmatiser does not know (German nouns are
    all capitalised, so a known one is a noun, not a name) or, in other languages, any
    capitalised word but the first."""
    for index, word in enumerate(found):
        surface = text[word.start : word.end]
        if word.number or not surface[:1].isupper():
            continue
        if _ACRONYM.fullmatch(surface) and len(surface) <= 8:
            return surface
        if language == "de":
            if not known_word(surface, language):
                return surface
        elif index > 0:
            return surface
    return ""


def _speaker(text: str, found: list[Word], cue: int) -> str:
    """The capitalised words right after the cue (``sagte Lena Brandt``), else right
    before it (``Trump betonte``): a name, or "" when the cue stands alone."""

    def run(indexes) -> list[Word]:
        names = []
        for index in indexes:
            word = found[index]
            between = text[names[-1].end : word.start] if names else ""
            if names and between.strip() not in {"", "-"}:
                break
            if not _is_name(text, word, first=index == 0):
                break
            names.append(word)
            if len(names) == _MAX_NAME_WORDS:
                break
        return names

    after = run(range(cue + 1, len(found)))
    if after and text[found[cue].end : after[0].start].strip() == "":
        return text[after[0].start : after[-1].end]
    before = run(range(cue - 1, -1, -1))
    if before and text[before[0].end : found[cue].start].strip() == "":
        return text[before[-1].start : before[0].end]
    return ""


def sentence_hint(sentence: str, language: str = "de") -> tuple[float, tuple, str]:
    """Score, reasons and speaker of one sentence."""
    return _judge(sentence, 0, len(sentence), words(sentence, language), language_of(language))


def _judge(
    whole: str, start: int, end: int, found: list[Word], language: str
) -> tuple[float, tuple, str]:
    """Score, reasons and speaker of the sentence ``whole[start:end]`` whose words are
    ``found`` (offsets into ``whole``)."""
    text = whole[start:end]
    lemmas = [word.lemma for word in found]
    lemma_set = set(lemmas)
    folded_surfaces = {whole[word.start : word.end].casefold() for word in found}
    features: set[str] = set()

    numbers = [word for word in found if word.number]
    years = [w for w in numbers if w.number.isdigit() and 1000 <= int(w.number) <= 2100]
    # A lone day of the month ("am 3. Oktober") is a date, not a figure.
    figures = [
        w
        for w in numbers
        if w not in years
        and whole[w.end : w.end + 1] != "."
        and whole[w.end : w.end + 9].strip().casefold().split(" ")[0].rstrip(".,")
        not in _CUES["clock"]
    ]
    if figures:
        features.add("number")
    if (
        years
        or not lemma_set.isdisjoint(month_names(language))
        or (lemma_set & _CUES["time_unit"] and (lemma_set & _CUES["date_anchor"] or numbers))
    ):
        features.add("date")
    superlative = _SUPERLATIVE.get(language)
    if lemma_set & _CUES["comparison"] or (
        superlative
        and any(
            superlative.match(whole[w.start : w.end].casefold())
            and w.lemma != whole[w.start : w.end].casefold()
            for w in found
        )
    ):
        features.add("comparison")
    if lemma_set & _CUES["statistics"]:
        features.add("statistics")
    speaker = ""
    cues = [i for i, lemma in enumerate(lemmas) if lemma in _CUES["saying"]]
    if cues or "according to" in text.casefold():
        features.add("attribution")
        for cue in cues:
            speaker = _speaker(whole, found, cue)
            if speaker:
                break
    if lemma_set & _CUES["causal"]:
        features.add("causal")
    if text.rstrip(" \"“”»«'’)").endswith("?"):
        features.add("question")
    if lemma_set & _CUES["hedge"]:
        features.add("hedge")
    if (lemma_set & _CUES["forecast"]) and not (folded_surfaces & _PAST_WERDEN):
        features.add("forecast")
    if folded_surfaces & _CUES["first_person"]:
        features.add("opinion")
    if folded_surfaces & _HYPOTHETICAL:
        features.add("hedge")
    if lemma_set & _CUES["conditional"]:
        features.add("conditional")
    if _META.match(text):
        features.add("meta")
    entity = _entity(whole, found, language)
    if entity:
        features.add("entity")
    if len(found) >= 5 and text.rstrip(" \"“”»«'’)").endswith((".", ":", ";")):
        features.add("statement")
    score = round(sum(SCORES[feature] for feature in features), 2)
    return score, tuple(reason for reason in REASONS if reason in features), speaker


def sentence_words(
    found: list[Word], spans: list[Sentence]
) -> Iterator[tuple[Sentence, list[Word]]]:
    """Each sentence with the words inside it (``found`` and ``spans`` in text order)."""
    position = 0
    for sentence in spans:
        while position < len(found) and found[position].start < sentence.start:
            position += 1
        end = position
        while end < len(found) and found[end].end <= sentence.end:
            end += 1
        yield sentence, found[position:end]
        position = end


def hints(
    text: str,
    language: str = "de",
    *,
    spans: list[Sentence] | None = None,
    found: list[Word] | None = None,
) -> list[Hint]:
    """The sentences of ``text`` worth checking, in order, with their reasons.

    ``spans`` and ``found`` are the text's sentences and words when the caller has them
    already (the matching goes through the same ones)."""
    language = language_of(language)
    found = words(text, language) if found is None else found
    spans = sentences(text, language) if spans is None else spans
    hinted = []
    for sentence, inside in sentence_words(found, spans):
        score, reasons, speaker = _judge(text, sentence.start, sentence.end, inside, language)
        if score >= HINT_THRESHOLD and reasons:
            hinted.append(Hint(sentence.start, sentence.end, score, reasons, speaker))
    return hinted
