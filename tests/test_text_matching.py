"""The text engine's sentences, words, claim similarity and check-worthiness hints
(``claims/text/sentences.py``, ``terms.py``, ``similarity.py``, ``worthiness.py``)."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.text import normalize, paragraph_spans
from claims.text.sentences import sentences
from claims.text.similarity import MATCH_THRESHOLD, Index, compare, profile
from claims.text.terms import words
from claims.text.worthiness import HINT_THRESHOLD, hints, sentence_hint
from tests.text_strategies import EXAMPLES, normalized_texts

EVAL = Path(__file__).resolve().parent / "eval"
SEED = Path(__file__).resolve().parent.parent / "seeds" / "hanoi-summit-2019.de.txt"
PAIRS = json.loads((EVAL / "pairs.json").read_text(encoding="utf-8"))
CLAIMS = {claim["id"]: claim for claim in json.loads((EVAL / "claims.json").read_text("utf-8"))}


def texts_of(spans, text):
    return [text[s.start : s.end] for s in spans]


# --- Sentences ------------------------------------------------------------------------------
def test_german_abbreviations_ordinal_dates_and_quotations():
    text = (
        "Laut Dr. Müller sind es z. B. 3,5 Prozent mehr als im Jahr 2020. „Wir haben das "
        "nicht getan“, sagte Trump am 3. Oktober. Er erklärte: „Das ist falsch.“ Ist das "
        "so? Am 27. Juli 1953 wurde das Abkommen unterzeichnet."
    )
    assert texts_of(sentences(text), text) == [
        "Laut Dr. Müller sind es z. B. 3,5 Prozent mehr als im Jahr 2020.",
        "„Wir haben das nicht getan“, sagte Trump am 3. Oktober.",
        "Er erklärte: „Das ist falsch.“",
        "Ist das so?",
        "Am 27. Juli 1953 wurde das Abkommen unterzeichnet.",
    ]


def test_a_number_ending_a_sentence_is_not_taken_for_an_ordinal():
    text = "Der Preis lag bei 12. Danach fiel er."
    assert texts_of(sentences(text), text) == ["Der Preis lag bei 12.", "Danach fiel er."]


def test_english_and_paragraphs():
    text = "The U.S. economy grew 2.5 percent. Mr. Smith said so.\n\nA heading"
    assert texts_of(sentences(text, "en"), text) == [
        "The U.S. economy grew 2.5 percent.",
        "Mr. Smith said so.",
        "A heading",
    ]


def test_the_seed_article_splits_where_a_reader_would():
    text = SEED.read_text(encoding="utf-8")
    found = texts_of(sentences(text), text)
    assert (
        "Er wisse es aber zu schätzen, dass Nordkorea seit mehr als einem Jahr keine Atomwaffen "
        "und Raketen mehr getestet habe, sagte er." in found
    )
    assert "USA und Nordkorea könnten Koreakrieg offiziell beenden" in found  # a heading


@settings(max_examples=EXAMPLES, deadline=None)
@given(normalized_texts(120))
def test_sentences_cover_each_paragraph_in_order_without_overlap(text):
    found = sentences(text)
    paragraphs = paragraph_spans(text)
    position = 0
    for sentence in found:
        assert position <= sentence.start < sentence.end <= len(text)
        chunk = text[sentence.start : sentence.end]
        assert chunk == chunk.strip()
        assert any(start <= sentence.start and sentence.end <= end for start, end in paragraphs)
        position = sentence.end
    covered = {i for s in found for i in range(s.start, s.end)}
    for start, end in paragraphs:
        for i in range(start, end):
            assert text[i].isspace() or i in covered, (text, i)


# --- Words --------------------------------------------------------------------------------
def test_lemmas_stems_numbers_and_compound_parts():
    found = {w.lemma: w for w in words("Nordkorea hat zwölf Atomwaffentests durchgeführt.")}
    assert found["12"].keys == ("#12",)
    assert dict(found["atomwaffentest"].parts).keys() >= {"atomwaff", "test"}
    assert found["nordkorea"].weight > found["haben"].weight == 0


@pytest.mark.parametrize(
    ("written", "language", "key"),
    [
        ("1.000", "de", "#1000"),
        ("1000", "de", "#1000"),
        ("tausend", "de", "#1000"),
        ("3,5", "de", "#3.5"),
        ("3.5", "en", "#3.5"),
        ("1,000", "en", "#1000"),
        ("twelve", "en", "#12"),
        ("zwölf", "de", "#12"),
    ],
)
def test_numbers_are_one_key_however_written(written, language, key):
    assert words(written, language)[0].keys == (key,)


def test_articles_are_not_the_number_one():
    assert all(word.number is None for word in words("ein Jahr, eine Rakete, one year"))


# --- Similarity ----------------------------------------------------------------------------
ARMISTICE = profile(
    "Trotz des Waffenstillstands von 1953 gilt aus völkerrechtlicher Sicht immer noch der "
    "Kriegszustand"
)


def test_a_paraphrase_scores_above_the_threshold_and_shares_its_words():
    sentence = profile(
        "Formal befinden sich beide Koreas seit dem Waffenstillstand von 1953 noch immer im "
        "Kriegszustand."
    )
    result = compare(sentence, ARMISTICE)
    assert result.score >= MATCH_THRESHOLD
    assert {"waffenstillstand", "#1953", "kriegszustand"} <= result.shared


def test_another_year_is_another_claim():
    same = compare(
        profile("Seit dem Waffenstillstand von 1953 herrscht Kriegszustand."), ARMISTICE
    )
    other = compare(
        profile("Seit dem Waffenstillstand von 1951 herrscht Kriegszustand."), ARMISTICE
    )
    assert other.score < same.score * 0.6


def test_negation_lowers_the_score():
    claim = profile("Nordkorea hat keine Raketen getestet.")
    tested = compare(profile("Nordkorea hat Raketen getestet."), claim)
    untested = compare(profile("Nordkorea hat keine Raketen getestet."), claim)
    assert tested.score < untested.score


def test_nothing_in_common_scores_zero():
    assert compare(profile("Der Strompreis stieg."), ARMISTICE).score == 0


def test_index_ranks_the_right_claim_first_and_breaks_ties_by_age():
    index = Index(
        {
            7: [ARMISTICE],
            3: [profile("Ein Verbindungsbüro hat nicht den Rang einer Botschaft")],
            5: [ARMISTICE],
        }
    )
    ranked = index.rank(profile("Der Waffenstillstand von 1953 beendete den Krieg nicht."))
    assert [r.claim for r in ranked] == [5, 7]


# Variations of how a text is written that must not change a match.
QUOTES = ["„", "“", "”", '"', "«", "»", "‚", "‘"]
SPACES = [" ", "  ", "\n", "\t", " \n "]


@st.composite
def written_differently(draw, text: str) -> str:
    out = []
    for index, char in enumerate(text):
        nxt = text[index + 1] if index + 1 < len(text) else ""
        if char in QUOTES:
            out.append(draw(st.sampled_from(QUOTES)))
        elif char == " ":
            out.append(draw(st.sampled_from(SPACES)))
        elif char.isalpha():
            changed = draw(st.sampled_from([char, char.upper(), char.lower()]))
            out.append(changed)
            # A hyphen or soft hyphen between two letters of a word.
            if nxt.isalpha() and draw(st.integers(0, 9)) == 0:
                out.append(draw(st.sampled_from(["-", "\u00ad"])))
        else:
            out.append(char)
    return "".join(out)


SENTENCES = sorted({(pair["sentence"], pair["claim"], pair["language"]) for pair in PAIRS})


@settings(max_examples=min(EXAMPLES, 300), deadline=None)
@given(st.data())
def test_matching_is_symmetric_in_case_quotes_white_space_and_hyphens(data):
    sentence, claim_id, language = data.draw(st.sampled_from(SENTENCES))
    claim = CLAIMS[claim_id]
    variant = data.draw(written_differently(sentence))
    claim_variant = data.draw(written_differently(claim["claim"]))
    reference = compare(profile(sentence, language), profile(claim["claim"], language))
    assert compare(profile(variant, language), profile(claim["claim"], language)) == reference
    assert compare(profile(sentence, language), profile(claim_variant, language)) == reference
    assert compare(profile(variant, language), profile(claim_variant, language)) == reference


# --- Check-worthiness ---------------------------------------------------------------------
def test_reasons_and_speaker():
    score, reasons, speaker = sentence_hint(
        "Die Zahl der Anträge stieg um 40 Prozent, sagte Lena Brandt."
    )
    assert score >= HINT_THRESHOLD
    assert reasons[:3] == ("number", "comparison", "statistics")
    assert "attribution" in reasons
    assert speaker == "Lena Brandt"


@pytest.mark.parametrize(
    "sentence",
    [
        "Wird Nordkorea bald wieder Raketen testen?",  # a question
        "Ich finde, das ist eine großartige Sache.",  # an opinion
        "Read more: Looted colonial art in Berlin",  # a teaser
    ],
)
def test_questions_opinions_and_teasers_are_not_hinted(sentence):
    score, _reasons, _speaker = sentence_hint(sentence, "en" if "Read" in sentence else "de")
    assert score < HINT_THRESHOLD


def test_hedges_and_forecasts_lower_the_score():
    plain, _r, _s = sentence_hint("Die Regierung hat 2023 drei Milliarden Euro ausgegeben.")
    hedged, _r, _s = sentence_hint("Die Regierung könnte 2023 drei Milliarden Euro ausgeben.")
    assert hedged < plain


def test_the_seed_article_hints_the_armistice_and_the_test_claims():
    text = SEED.read_text(encoding="utf-8")
    hinted = [text[h.start : h.end] for h in hints(text)]
    assert any("seit mehr als einem Jahr keine Atomwaffen" in s for s in hinted)
    assert any("Waffenstillstands von 1953" in s for s in hinted)


@settings(max_examples=EXAMPLES, deadline=None)
@given(normalized_texts(120))
def test_hints_are_whole_sentences_of_the_text_and_leave_it_as_it_was(text):
    before = normalize(text)
    found = hints(text)
    spans = {(s.start, s.end) for s in sentences(text)}
    assert all((hint.start, hint.end) in spans for hint in found)
    assert all(hint.score >= HINT_THRESHOLD and hint.reasons for hint in found)
    assert text == before  # nothing about the text changed


@pytest.mark.parametrize("language", ["oaa", "zz", "de-CH-1996", "x-klingon", "", "EN"])
def test_any_language_tag_is_handled(language):
    text = "Am 3. Oktober stieg der Preis um 1.000 Euro, sagte Lena Brandt. Ist das so?"
    assert [text[s.start : s.end] for s in sentences(text, language)][-1] == "Ist das so?"
    assert words(text, language)
    assert isinstance(hints(text, language), list)
    assert compare(profile(text, language), profile(text, language)).score > 0


def test_warm_up_loads_the_word_lists_of_both_languages(monkeypatch):
    import importlib
    import sys

    from claims.text import terms

    terms._analyse.cache_clear()
    terms.warm_up()
    for language in ("de", "en"):
        misses = terms._analyse.cache_info().misses
        terms.words(terms._WARM_UP[language], language)
        assert terms._analyse.cache_info().misses == misses  # every word analysed already
    # The WSGI application (gunicorn's workers) warms up as it loads.
    called = []
    monkeypatch.setattr(terms, "warm_up", lambda: called.append(True))
    sys.modules.pop("factcheck.wsgi", None)
    importlib.import_module("factcheck.wsgi")
    assert called == [True]
