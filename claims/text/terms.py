"""The words of a text as the matching and the hints see them: lemma, term key, weight,
number.

A word's **key** is what two texts must share to count as using the same word: the
Snowball stem (PyStemmer, the algorithm behind PostgreSQL's "german" and "english" text
search) of its lemma (simplemma), in lower case, so "getestet", "testen" and "Tests" share
``test``, and "Waffenstillstands" and "Waffenstillstand" share one key. Numbers are keys
of their own, written the same however the text writes them: "1.000", "1000" and
"tausend" are ``#1000``; "3,5" in German and "3.5" in English are ``#3.5`` (Babel reads
the digits by the language's conventions, text2num the number words).

A long German word is also split into the words it is made of, where both parts are
known words ("Atomwaffentests" → "Atomwaffe" + "Test", "Kriegszustand" → "Krieg" +
"Zustand"); the parts are extra keys at half weight, so "Atomwaffentests" meets
"Atomwaffen … getestet".

A word's **weight** is how much it says: 6 minus its Zipf frequency in the language
(wordfreq), between 0 and 4, so "der" and "nicht" weigh nothing, "Jahr" almost nothing,
"Nordkorea" 2 and a rare name or "Atomwaffe" 4. Numbers weigh 2.5 (years) or 2.

Case, quotation marks, white space and hyphens do not change the keys: the word is case
folded before anything else, quotation marks are not part of words, a hyphen or soft
hyphen inside a word is dropped ("Nord-Korea" is "Nordkorea"), and the splitting into
parts looks at the word without its hyphens.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

import regex
import simplemma
from babel.core import UnknownLocaleError
from babel.numbers import NumberFormatError, parse_decimal
from Stemmer import Stemmer
from text_to_num import text2num
from wordfreq import zipf_frequency

__all__ = ["Word", "known_word", "language_of", "words"]

# A word: letters (with marks and digits inside) joined by hyphens, soft hyphens or
# apostrophes; or a number with its group and decimal separators.
_WORD = regex.compile(
    r"\p{L}[\p{L}\p{M}\p{N}]*(?:[-\u00ad\u2010\u2011'’][\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*"
    r"|\p{N}+(?:[.,\u00a0\u202f'’]\p{N}+)*"
)
_JOINERS = regex.compile(r"[-\u00ad\u2010\u2011]")
_APOSTROPHE = regex.compile(r"['’]")
_DIGITS = regex.compile(r"\p{N}+(?:[.,\u00a0\u202f'’]\p{N}+)*")

# Words that turn a statement into its opposite. A closed class of the grammar, not a
# list of topics: negation decides between "has tested" and "has not tested".
NEGATIONS = frozenset(
    {
        "nicht",
        "kein",
        "nie",
        "niemals",
        "nichts",
        "ohne",
        "weder",
        "not",
        "no",
        "never",
        "nothing",
        "without",
        "none",
        "nor",
    }
)

_STEMMERS = {
    "de": "german",
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "nl": "dutch",
    "pt": "portuguese",
    "da": "danish",
    "sv": "swedish",
    "nb": "norwegian",
    "no": "norwegian",
    "fi": "finnish",
    "pl": "polish",
    "ru": "russian",
    "tr": "turkish",
}
# Parts of a compound are only looked for in languages that write compounds as one word.
_COMPOUNDING = {"de", "nl", "da", "sv", "nb", "no"}
# Linking sounds between the parts of a German compound ("Kriegs|zustand", "Waffen|ruhe").
_LINKS = ("s", "es", "n", "en", "")
_MIN_PART = 4
_PART_WEIGHT = 0.5
_MAX_WEIGHT = 4.0
_YEAR = (1000, 2100)


def language_of(tag: str | None) -> str:
    """The primary subtag of a BCP 47 language tag in lower case ("de" for "de-AT")."""
    return (tag or "de").split("-")[0].lower() or "de"


@dataclass(frozen=True, slots=True)
class Word:
    """A word of a text, ``text[start:end]``, as the matching sees it."""

    start: int
    end: int
    keys: tuple[str, ...]  # the Snowball stem of its lemma(s), or ("#<number>",)
    lemma: str  # lower case (the word read in lower case); for a number its digits
    weight: float
    parts: tuple[tuple[str, float], ...] = ()  # (key, weight) of a compound's parts
    number: str | None = None
    negation: bool = False

    @property
    def key(self) -> str:
        return self.keys[0]


@cache
def _stemmer(language: str) -> Stemmer | None:
    name = _STEMMERS.get(language)
    return Stemmer(name) if name else None


@cache
def _lemma(folded: str, language: str) -> str:
    try:
        lemma = simplemma.lemmatize(folded, lang=language)
    except ValueError:  # a language simplemma does not know
        return folded
    return lemma.casefold()


@cache
def _lemmas(folded: str, language: str) -> tuple[str, ...]:
    """The word's lemma, and a second one where the word read with a capital letter is
    another word: case is gone after folding, so both readings of "sicht" count
    ("Sicht" and "sichten"), and "Zustand" is not only "zustehen"."""
    lemma = _lemma(folded, language)
    if language != "de":
        return (lemma,)
    noun = _lemma(folded.capitalize(), language)
    return (lemma,) if noun == lemma else (lemma, noun)


@cache
def _key(lemma: str, language: str) -> str:
    stemmer = _stemmer(language)
    return stemmer.stemWord(lemma) if stemmer else lemma


@cache
def _weight(lemma: str, language: str) -> float:
    try:
        zipf = zipf_frequency(lemma, language)
    except (LookupError, ValueError):  # no word list for the language: all words alike
        return 1.0
    return max(0.0, min(_MAX_WEIGHT, 6.0 - zipf))


@cache
def _known(word: str, language: str) -> bool:
    try:
        return simplemma.is_known(word, lang=language) or simplemma.is_known(
            word.capitalize(), lang=language
        )
    except ValueError:
        return False


def known_word(surface: str, language: str) -> bool:
    """Whether the lemmatiser knows ``surface`` (as written, or folded) as a word."""
    language = language_of(language)
    return _known(surface, language) or _known(surface.casefold(), language)


@cache
def _parts(lemma: str, language: str) -> tuple[str, ...]:
    """The lemmas of the two words a compound is made of, or () when none is found: the
    split with the longest known first part whose rest is a known word."""
    if language not in _COMPOUNDING or len(lemma) < 2 * _MIN_PART + 1:
        return ()
    for cut in range(len(lemma) - _MIN_PART, _MIN_PART - 1, -1):
        head, tail = lemma[:cut], lemma[cut:]
        if not _known(tail, language):
            continue
        for link in _LINKS:
            if link and not head.endswith(link):
                continue
            stem = head[: len(head) - len(link)] if link else head
            if len(stem) >= _MIN_PART and _known(stem, language):
                return (_lemmas(stem, language)[0], _lemmas(tail, language)[0])
    return ()


@cache
def _number_word(folded: str, language: str) -> str | None:
    """The number a word spells ("zwölf" → "12"), except one: "ein" and "one" are mostly
    articles."""
    if len(folded) < 3:
        return None
    try:
        value = text2num(folded, language)
    except (ValueError, TypeError):
        return None
    return None if value == 1 else str(value)


def _number(digits: str, language: str) -> str | None:
    """Canonical digits of a number written with the language's separators."""
    compact = regex.sub(r"[\u00a0\u202f'’]", "", digits)
    try:
        value = parse_decimal(compact, locale=language, strict=False)
    except (NumberFormatError, ValueError, LookupError, UnknownLocaleError):
        try:
            value = Decimal(compact.replace(",", "."))
        except InvalidOperation:
            return None
    value = value.normalize()
    return format(value, "f")


def _number_weight(number: str) -> float:
    try:
        value = Decimal(number)
    except InvalidOperation:
        return 2.0
    return 2.5 if value == value.to_integral() and _YEAR[0] <= value <= _YEAR[1] else 2.0


@cache
def _analyse(surface: str, language: str) -> tuple | None:
    """Everything about a word but its place, once per spelling: the fields of
    :class:`Word` after ``start`` and ``end``, or None for no word."""
    if surface[0].isdigit() or _DIGITS.fullmatch(surface):
        number = _number(surface, language)
        if number is None:
            return None
        return (("#" + number,), number, _number_weight(number), (), number, False)
    # Apostrophes end a word ("Trump's" is "Trump"); hyphens join its pieces.
    folded = _JOINERS.sub("", _APOSTROPHE.split(surface, maxsplit=1)[0]).casefold()
    if not folded:
        return None
    spelled = _number_word(folded, language)
    if spelled is not None:
        return (("#" + spelled,), spelled, _number_weight(spelled), (), spelled, False)
    lemmas = _lemmas(folded, language)
    keys = tuple(dict.fromkeys(_key(lemma, language) for lemma in lemmas))
    parts = tuple(
        (_key(part, language), _PART_WEIGHT * _weight(part, language))
        for part in _parts(lemmas[0], language)
    )
    weight = max(_weight(lemma, language) for lemma in lemmas)
    negation = any(lemma in NEGATIONS for lemma in lemmas)
    return (keys, lemmas[0], weight, parts, None, negation)


def words(text: str, language: str = "de") -> list[Word]:
    """The words of ``text`` in order (``language`` a BCP 47 tag)."""
    language = language_of(language)
    found = []
    for match in _WORD.finditer(text):
        analysed = _analyse(match.group(), language)
        if analysed is not None:
            found.append(Word(match.start(), match.end(), *analysed))
    return found


# A sentence in each language the desk reads, to load the word lists with.
_WARM_UP = {
    "de": "Der Präsident sagte, die Regierung habe zwölf neue Verträge unterzeichnet.",
    "en": "The president said the government had signed twelve new treaties.",
}


def warm_up(languages=("de", "en")) -> None:
    """Load the lemmatiser's and the word frequencies' lists for ``languages`` now (about
    1 s for German, 0.2 s for English), so that a server process pays it while it starts
    and not during its first request that reads words (marking, the claim panel)."""
    for language in languages:
        words(_WARM_UP.get(language_of(language), _WARM_UP["en"]), language)
