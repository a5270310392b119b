"""Tests for ``claims.text.reanchor``: finding a mention of an old text in a new revision."""

import json
import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from claims.text import (
    Anchoring,
    QuoteMismatch,
    is_character_boundary,
    quote_context,
    reanchor,
    reanchor_all,
)
from tests.text_strategies import CHARACTERS, EXAMPLES, PIECES, normalized_texts, texts

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED = SEEDS / "hanoi-summit-2019.de.txt"
LONG_QUOTE = "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen und Raketen mehr getestet"
EXACT_REASONS = {"same_place", "shifted", "unique_exact", "context"}
ORPHAN_REASONS = {"ambiguous", "not_found", "below_threshold"}


def seed_text() -> str:
    """The demo article exactly as stored in the repository."""
    return SEED.read_text(encoding="utf-8")


def anchor(old: str, new: str, start: int, end: int, **options: float) -> Anchoring:
    """Re-anchor ``old[start:end]`` with the quote and context the model would store."""
    quote = quote_context(old, start, end)
    return reanchor(old, new, start, end, quote.exact, quote.prefix, quote.suffix, **options)


def anchor_quote(old: str, new: str, quote: str, **options: float) -> Anchoring:
    """Re-anchor the (single) occurrence of ``quote`` in ``old``."""
    start = old.index(quote)
    assert old.find(quote, start + 1) < 0, "the test quote must occur once in the old text"
    return anchor(old, new, start, start + len(quote), **options)


def found(result: Anchoring, new: str) -> str:
    assert result.start is not None
    assert result.end is not None
    return new[result.start : result.end]


# Rule 1: the same place


def test_unchanged_text_is_anchored_in_place() -> None:
    text = seed_text()
    start = text.index("Trotz des Waffenstillstands")
    result = anchor(text, text, start, start + 36)
    assert result == Anchoring("anchored", start, start + 36, 1.0, False, "same_place")


def test_changes_after_the_quote_leave_it_anchored() -> None:
    old = "Trump sagte, er sei in keiner Eile. Kim schwieg."
    new = "Trump sagte, er sei in keiner Eile. Kim lächelte und schwieg lange."
    result = anchor_quote(old, new, "er sei in keiner Eile")
    assert result == Anchoring("anchored", 13, 34, 1.0, False, "same_place")


def test_text_inserted_before_the_quote_shifts_it_with_full_confidence() -> None:
    old = "Trump sagte, er sei in keiner Eile."
    new = "Hanoi, 28. Februar. " + old
    result = anchor_quote(old, new, "in keiner Eile")
    assert result.state == "reanchored"
    assert result.reason == "shifted"
    assert (result.start, result.end) == (20 + 20, 20 + 34)  # "Hanoi, …" is 20 long
    assert found(result, new) == "in keiner Eile"
    assert result.confidence == 1.0
    assert not result.quote_changed


def test_same_offsets_with_the_whole_context_stay_anchored_despite_edits_around() -> None:
    body = (
        "Kim bestätigte beim Gipfeltreffen in Hanoi seinen Willen zur atomaren Abrüstung, "
        "sagte er vor den versammelten Journalisten."
    )
    old = "Erster Satz. " + body + " Letzter Satz."
    new = "Erster Text. " + body + " Letzter Satz, geändert."
    result = anchor_quote(old, new, "seinen Willen zur atomaren Abrüstung")
    assert result.state == "anchored"
    assert result.reason == "same_place"


# Rule 2: the exact quote elsewhere


def test_a_quote_found_once_elsewhere_is_reanchored_there() -> None:
    old = "Einleitung. Trump sagte: „Ich bin in keiner Eile“. Ende."
    new = "Ganz neue Einleitung, länger als zuvor. Trump sagte: „Ich bin in keiner Eile“! Aus."
    result = anchor_quote(old, new, "Ich bin in keiner Eile")
    assert result.state == "reanchored"
    assert result.reason == "unique_exact"
    assert result.start == new.index("Ich bin")
    assert result.confidence == 1.0


def test_a_short_quote_is_not_moved_to_an_unrelated_copy_when_its_own_place_changed() -> None:
    # "an eine" lost a word in place; the only "an eine" left is the start of "an einem" in
    # another sentence, which is no place for it, and what is left in place is too little.
    old = seed_text()
    start = old.index("an eine schnelle")
    new = old.replace("Erwartungen an eine schnelle", "Erwartungen an schnelle")
    assert new.count("an eine") == 1
    result = anchor(old, new, start, start + len("an eine"))
    assert result == Anchoring("orphaned", None, None, 0.0, False, "below_threshold")


def test_a_long_quote_found_once_moves_even_when_its_context_changed() -> None:
    old = f"Zuerst: {LONG_QUOTE}. Danach."
    new = f"Ganz andere Worte davor, wirklich ganz andere: {LONG_QUOTE}! Und andere danach."
    result = anchor_quote(old, new, LONG_QUOTE)
    assert result.reason == "unique_exact"
    assert found(result, new) == LONG_QUOTE


def test_context_picks_the_right_one_of_two_identical_quotes() -> None:
    before = "Die Gespräche in Hanoi dauerten zwei Tage. Trump sagte danach: "
    after = " Dann flog er ab, ohne eine Erklärung zu unterschreiben."
    kim = "Kim erklärte dagegen: „Das ist ein guter Anfang.“ Er lächelte."
    old = "Vorspann. " + before + "„Das ist ein guter Anfang.“" + after + " Schluss."
    new = "Neu: " + kim + " " + before + "„Das ist ein guter Anfang.“" + after + " Neuer Schluss."
    result = anchor_quote(old, new, "Das ist ein guter Anfang.")
    assert result.reason == "context"
    assert result.state == "reanchored"
    assert result.start == new.rindex("Das ist")
    assert result.confidence == 1.0


def test_closest_context_decides_when_no_copy_has_all_of_it() -> None:
    # The right copy keeps most of its context; a word next to it changed.
    old = "Vorab. Trump sagte danach in Hanoi: „Das ist ein guter Anfang.“ Dann flog er ab. Ende."
    new = (
        "Kim erwiderte später am Abend: „Das ist ein guter Anfang.“ Er lächelte nur. "
        "Vorher. Trump sagte danach in Hanoi: „Das ist ein guter Anfang.“ Danach flog er ab. Aus."
    )
    result = anchor_quote(old, new, "Das ist ein guter Anfang.")
    assert result.reason == "context"
    assert result.start == new.rindex("Das ist")
    assert 0.8 <= result.confidence < 1.0
    assert not result.quote_changed


def test_two_copies_with_identical_context_are_ambiguous() -> None:
    block = (
        "Nach dem Treffen sagte der Sprecher wörtlich: „Wir sind zufrieden.“ "
        "Weitere Gespräche seien schon für den Sommer geplant worden."
    )
    old = "Anfang. " + block + " Ende."
    new = "Ein neuer Anfang. " + block + "\n\n" + block + " Ein neues Ende."
    result = anchor_quote(old, new, "Wir sind zufrieden.")
    assert result == Anchoring("orphaned", None, None, 0.0, False, "ambiguous")


# Rule 3: fuzzy


def test_one_changed_word_reanchors_with_a_changed_quote() -> None:
    old = seed_text()
    quote = "Trotz des Waffenstillstands von 1953 gilt aus völkerrechtlicher Sicht"
    new = "Vorbemerkung der Redaktion.\n\n" + old.replace("von 1953", "von 1954")
    result = anchor_quote(old, new, quote)
    assert result.state == "reanchored"
    assert result.reason == "fuzzy"
    assert result.quote_changed
    assert found(result, new) == quote.replace("1953", "1954")
    assert 0.8 <= result.confidence < 1.0


def test_an_edit_in_place_is_reanchored_even_at_the_same_offsets() -> None:
    old = "Er sagte, der Vertrag stamme von 1953 und gelte weiter."
    new = old.replace("1953", "1954")
    result = anchor_quote(old, new, "der Vertrag stamme von 1953")
    assert result.state == "reanchored"
    assert (result.start, result.end) == (10, 37)  # same offsets, other quote
    assert result.quote_changed


def test_a_deleted_sentence_is_orphaned() -> None:
    old = seed_text()
    sentence = (
        "Trotz des Waffenstillstands von 1953 gilt aus völkerrechtlicher Sicht immer noch der "
        "Kriegszustand, eine Friedenserklärung der USA und Nordkoreas wäre deshalb eine "
        "wichtige vertrauensbildende Maßnahme. "
    )
    assert sentence in old
    new = old.replace(sentence, "")
    result = anchor_quote(old, new, "Waffenstillstands von 1953 gilt")
    assert result.state == "orphaned"
    assert (result.start, result.end, result.confidence) == (None, None, 0.0)
    assert result.reason in {"not_found", "below_threshold"}


def test_a_long_quote_with_a_small_edit_is_reanchored() -> None:
    assert len(LONG_QUOTE) > 32
    old = f"Trump sagte in Hanoi: {LONG_QUOTE}. Das wisse er zu schätzen."
    edited = LONG_QUOTE.replace("mehr als einem Jahr", "über einem Jahr")
    new = f"Der US-Präsident sagte beim Gipfel: {edited}. Das wisse er sehr zu schätzen."
    result = anchor_quote(old, new, LONG_QUOTE)
    assert result.state == "reanchored"
    assert result.reason == "fuzzy"
    assert found(result, new) == edited
    assert result.quote_changed
    assert 0.8 <= result.confidence < 1.0


def test_a_long_quote_edited_at_both_ends_is_reanchored() -> None:
    old = f"Er meinte: {LONG_QUOTE}, so der Bericht."
    edited = "Nordkorea habe" + LONG_QUOTE.removeprefix("Nordkorea hat").removesuffix("getestet")
    edited += "erprobt"
    new = f"Er meinte: {edited}, so der Bericht."
    result = anchor_quote(old, new, LONG_QUOTE)
    assert found(result, new) == edited
    assert result.reason == "fuzzy"


def test_an_edge_with_nothing_unchanged_next_to_it_is_not_guessed() -> None:
    # The quote's last word and the words after it changed: where does it end now?
    old = "Vorab. Damit rückte der US-Präsident weiter von seiner Forderung ab. Ende."
    new = "Vorab. Damit rückte der US-Präsident weiter Ein neuer Satz kam hinzu. Ende."
    result = anchor_quote(old, new, "Damit rückte der US-Präsident weiter von")
    assert result.state == "orphaned"
    assert result.reason == "below_threshold"


def test_a_deleted_first_word_leaves_no_piece_of_its_neighbour() -> None:
    old = seed_text()
    new = old.replace("US-Präsident Donald Trump hat", "Donald hat", 1)
    result = anchor_quote(old, new, "Donald Trump hat die Erwartungen an eine schnelle")
    assert found(result, new) == "Donald hat die Erwartungen an eine schnelle"
    result = anchor_quote(old, new, "Trump hat die Erwartungen an eine schnelle atomare")
    assert found(result, new) == "hat die Erwartungen an eine schnelle atomare"


def test_a_rewritten_quote_is_below_the_threshold() -> None:
    old = "Vorab. Trump sagte, die Gespräche seien sehr gut gelaufen. Danach Stille."
    new = "Vorab. Trump sagte, die Verhandlungen seien gescheitert. Danach Stille."
    result = anchor_quote(old, new, "die Gespräche seien sehr gut gelaufen")
    assert result == Anchoring("orphaned", None, None, 0.0, False, "below_threshold")


def test_a_lower_threshold_accepts_a_bigger_change() -> None:
    old = "Vorab. Er sprach von einem sehr guten Treffen mit Kim. Danach Stille."
    new = "Vorab. Er sprach von einem guten ersten Treffen mit Kim. Danach Stille."
    quote = "einem sehr guten Treffen mit Kim"
    assert anchor_quote(old, new, quote).state == "orphaned"
    result = anchor_quote(old, new, quote, threshold=0.6)
    assert result.state == "reanchored"
    assert found(result, new) == "einem guten ersten Treffen mit Kim"
    assert 0.6 <= result.confidence < 0.8


def test_the_new_span_never_splits_a_character() -> None:
    old = "Das sei eine gute Idee, sagte er."
    new = "Das sei eine gute Idee\N{COMBINING X BELOW}, sagte er."  # no precomposed form
    result = anchor_quote(old, new, "eine gute Idee")
    assert result.state == "reanchored"
    assert found(result, new) == "eine gute Idee\N{COMBINING X BELOW}"
    assert result.quote_changed


# The demo article


def test_seed_passages_still_anchor_after_an_edit_near_one_of_them() -> None:
    old = seed_text()
    claims = json.loads((SEEDS / "hanoi-summit-2019.json").read_text(encoding="utf-8"))
    quotes = [claim["quote"] for claim in claims["claims"]]
    near = "Es wird spekuliert, dass der Koreakrieg offiziell für beendet erklärt werden könnte."
    assert near in old
    new = "Aktualisiert: Der Gipfel endete vorzeitig.\n\n" + old.replace(
        near, "Beobachter hatten erwartet, dass der Koreakrieg beendet wird."
    ).replace("mehr als einem Jahr", "über einem Jahr").replace(
        "Ein Verbindungsbüro wäre", "Ein Verbindungsbüro sei"
    )
    mentions = []
    for key, quote in enumerate(quotes):
        start = old.index(quote)
        context = quote_context(old, start, start + len(quote))
        mentions.append(
            (key, start, start + len(quote), context.exact, context.prefix, context.suffix)
        )
    results = dict(reanchor_all(old, new, mentions))
    for key, quote in enumerate(quotes):
        result = results[key]
        assert result.state == "reanchored", (quote, result)
        expected = quote.replace("mehr als einem Jahr", "über einem Jahr")
        assert found(result, new) == expected
        assert result.quote_changed == (expected != quote)
        assert result.confidence >= 0.8
    assert results[0].reason == "fuzzy"
    assert {results[key].reason for key in range(1, len(quotes))} <= EXACT_REASONS


# The API


def test_reanchor_all_keeps_order_and_keys_and_agrees_with_reanchor() -> None:
    old = "Eins zwei drei. Vier fünf sechs. Sieben acht neun."
    new = "Null. Eins zwei drei. Vier fünf sechs! Sieben acht neun."
    spans = [(16, 32), (0, 4), (33, 38)]
    mentions = []
    for start, end in spans:
        quote = quote_context(old, start, end)
        mentions.append((f"m{start}", start, end, quote.exact, quote.prefix, quote.suffix))
    results = reanchor_all(old, new, mentions)
    assert [key for key, _ in results] == ["m16", "m0", "m33"]
    for (_, start, end, exact, prefix, suffix), (_, result) in zip(mentions, results, strict=True):
        assert result == reanchor(old, new, start, end, exact, prefix, suffix)


def test_a_stored_quote_that_does_not_fit_the_old_text_is_refused() -> None:
    with pytest.raises(QuoteMismatch):
        reanchor("abc def", "abc def", 0, 3, "abd", "", " def")


@pytest.mark.parametrize("threshold", [0, -0.5, 1.5, True, "0.8"])
def test_a_threshold_outside_zero_to_one_is_refused(threshold: object) -> None:
    with pytest.raises(ValueError, match="Threshold"):
        reanchor("abc", "abc", 0, 1, "a", "", "bc", threshold=threshold)  # type: ignore[arg-type]


def test_anchoring_is_immutable() -> None:
    result = anchor("abc", "abc", 0, 1)
    with pytest.raises(AttributeError):
        result.start = 2  # type: ignore[misc]


# Properties


@st.composite
def text_and_span(draw: st.DrawFn) -> tuple[str, int, int]:
    """A normalised text and a span of it whose edges split no character (as stored)."""
    text = draw(normalized_texts())
    edges = [offset for offset in range(len(text) + 1) if is_character_boundary(text, offset)]
    assume(len(edges) >= 2)
    start = draw(st.sampled_from(edges[:-1]))
    end = draw(st.sampled_from([edge for edge in edges if edge > start]))
    return text, start, end


def check_result(
    result: Anchoring, new: str, old: str, start: int, end: int, threshold: float
) -> None:
    """The invariants of every result, whatever the texts."""
    exact = old[start:end]
    if result.state == "orphaned":
        assert (result.start, result.end, result.confidence) == (None, None, 0.0)
        assert not result.quote_changed
        assert result.reason in ORPHAN_REASONS
        return
    assert result.start is not None
    assert result.end is not None
    assert 0 <= result.start < result.end <= len(new)
    assert is_character_boundary(new, result.start)
    assert is_character_boundary(new, result.end)
    assert threshold <= result.confidence <= 1.0
    assert result.quote_changed == (new[result.start : result.end] != exact)
    unmoved = (result.start, result.end) == (start, end) and not result.quote_changed
    assert (result.state == "anchored") == unmoved
    if result.reason in EXACT_REASONS:
        assert not result.quote_changed
        assert result.confidence == 1.0 or result.reason == "context"
    else:
        assert result.reason == "fuzzy"


@settings(max_examples=EXAMPLES, deadline=None)
@given(text_and_span())
def test_an_unchanged_text_anchors_every_mention_in_place(case: tuple[str, int, int]) -> None:
    text, start, end = case
    assert anchor(text, text, start, end) == Anchoring(
        "anchored", start, end, 1.0, False, "same_place"
    )


def places_explaining(old: str, new: str, start: int, end: int) -> set[int]:
    """Where the mention may be after ``new`` was made by inserting text into ``old``.

    One insertion can often be read as another (inserting "a" before or after "aa" gives the
    same text), so every place some equivalent insertion leads to is right, provided that
    insertion does not fall inside the mention.
    """
    extra = len(new) - len(old)
    places = set()
    for at in range(len(old) + 1):
        if new[:at] == old[:at] and new[at + extra :] == old[at:]:
            if at <= start:
                places.add(start + extra)
            elif at >= end:
                places.add(start)
    return places


def word_edge(text: str, at: int) -> bool:
    """Whether a word, or a run of non-space characters, starts or ends at ``at``."""
    left, right = text[at - 1 : at] if at else "", text[at : at + 1]
    word = [bool(re.match(r"\w", c)) for c in (left, right)]
    space = [not c or c.isspace() for c in (left, right)]
    return word[0] != word[1] or space[0] != space[1]


def keeps_word_edges(old: str, new: str, start: int, end: int, moved: int) -> bool:
    """Whether the mention ``[start, end)`` of ``old``, at ``moved`` in ``new``, still starts
    and ends on a word edge wherever it did."""
    length = end - start
    return (not word_edge(old, start) or word_edge(new, moved)) and (
        not word_edge(old, end) or word_edge(new, moved + length)
    )


def same_context_elsewhere(new: str, exact: str, prefix: str, suffix: str) -> bool:
    """Whether the quote occurs at least twice in ``new`` with all of its context."""
    around = prefix + exact + suffix
    first = new.find(around)
    return first >= 0 and new.find(around, first + 1) >= 0


@settings(max_examples=EXAMPLES, deadline=None)
@given(text_and_span(), texts(max_size=12), st.booleans(), st.data())
def test_an_insertion_before_or_after_the_mention_never_loses_or_misplaces_it(
    case: tuple[str, int, int], inserted: str, before: bool, data: st.DataObject
) -> None:
    old, start, end = case
    assume(inserted)
    at = data.draw(st.integers(0, start) if before else st.integers(end, len(old)))
    new = old[:at] + inserted + old[at:]
    moved = start + len(inserted) if before else start
    # The insertion may glue a mark onto the mention's first or last character, or a letter
    # onto a first or last word that stood alone: then the quote really changed, which other
    # tests cover.
    assume(is_character_boundary(new, moved) and is_character_boundary(new, moved + end - start))
    assume(keeps_word_edges(old, new, start, end, moved))
    quote = quote_context(old, start, end)
    result = reanchor(old, new, start, end, quote.exact, quote.prefix, quote.suffix)
    check_result(result, new, old, start, end, 0.8)
    if result.state == "orphaned":
        assert result.reason == "ambiguous"
        assert same_context_elsewhere(new, quote.exact, quote.prefix, quote.suffix)
    else:
        assert result.start in places_explaining(old, new, start, end)
        assert result.end == result.start + end - start
        assert result.confidence == 1.0
        assert not result.quote_changed


@st.composite
def edited(draw: st.DrawFn, text: str) -> str:
    """``text`` with one to three stretches replaced by arbitrary text."""
    for _ in range(draw(st.integers(1, 3))):
        a = draw(st.integers(0, len(text)))
        b = draw(st.integers(a, min(len(text), a + 12)))
        text = text[:a] + draw(texts(max_size=8)) + text[b:]
    return text


@settings(max_examples=EXAMPLES, deadline=None)
@given(text_and_span(), st.data(), st.sampled_from([0.5, 0.8, 0.95, 1.0]))
def test_every_result_is_a_valid_span_of_the_new_text_at_or_above_the_threshold(
    case: tuple[str, int, int], data: st.DataObject, threshold: float
) -> None:
    old, start, end = case
    new = data.draw(edited(old))
    result = anchor(old, new, start, end, threshold=threshold)
    check_result(result, new, old, start, end, threshold)


@settings(max_examples=EXAMPLES, deadline=None)
@given(text_and_span(), st.data())
def test_a_quote_found_exactly_once_is_found_there_or_nowhere(
    case: tuple[str, int, int], data: st.DataObject
) -> None:
    old, start, end = case
    new = data.draw(edited(old))
    exact = old[start:end]
    places = [
        p
        for p in range(len(new))
        if new.startswith(exact, p)
        and is_character_boundary(new, p)
        and is_character_boundary(new, p + len(exact))
        and keeps_word_edges(old, new, start, end, p)
    ]
    assume(len(places) == 1)
    result = anchor(old, new, start, end)
    if result.state == "orphaned":
        # Only when its context changed too and a changed quote nearer the old context
        # competes with it.
        assert result.reason == "ambiguous"
        quote = quote_context(old, start, end)
        assert not new.startswith(
            quote.prefix + exact + quote.suffix, places[0] - len(quote.prefix)
        )
    else:
        assert (result.start, result.end) == (places[0], places[0] + len(exact))
        assert result.confidence == 1.0


UNRELATED = sorted(set("klmnopvwxy0234#%&*+=/") - set("".join(CHARACTERS + PIECES)))


@settings(max_examples=EXAMPLES, deadline=None)
@given(text_and_span(), st.text(alphabet=UNRELATED, max_size=80))
def test_a_mention_in_an_unrelated_text_is_orphaned(
    case: tuple[str, int, int], unrelated: str
) -> None:
    old, start, end = case
    result = anchor(old, unrelated, start, end)
    assert result == Anchoring("orphaned", None, None, 0.0, False, "not_found")


SEED_WORDS = [(m.start(), m.end()) for m in re.finditer(r"\S+", seed_text())]
NEW_WORDS = ["neu", "Gipfel", "nicht", "Kim Jong Un", "sagte Trump.", "2019", "„Eile“", "—"]


@st.composite
def word_edits(draw: st.DrawFn) -> list[tuple[int, int, str]]:
    """One to four non-overlapping edits of the demo article: words replaced, deleted,
    inserted, or a sentence inserted; as ``(start, end, replacement)`` in text order."""
    text = seed_text()
    picked = sorted(draw(st.sets(st.integers(0, len(SEED_WORDS) - 1), min_size=1, max_size=4)))
    edits = []
    for index in picked:
        start, end = SEED_WORDS[index]
        kind = draw(st.sampled_from(["replace", "delete", "insert", "sentence"]))
        if kind == "replace":
            edits.append((start, end, draw(st.sampled_from(NEW_WORDS))))
        elif kind == "delete":
            edits.append((start, min(end + 1, len(text)), ""))
        elif kind == "insert":
            edits.append((start, start, draw(st.sampled_from(NEW_WORDS)) + " "))
        else:
            edits.append((start, start, "Dieser Satz ist neu eingefügt worden. "))
    return edits


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    pieces, last = [], 0
    for start, end, replacement in edits:
        pieces += [text[last:start], replacement]
        last = end
    return "".join([*pieces, text[last:]])


def new_offset(offset: int, edits: list[tuple[int, int, str]], *, is_end: bool) -> int:
    """Where ``offset`` of the old text is after the edits (an offset inside an edited
    stretch goes to the start of its replacement for a start, its end for an end)."""
    shift = 0
    for start, end, replacement in edits:
        if end < offset or (end == offset and not (is_end and start == end)):
            shift += len(replacement) - (end - start)
        elif start < offset < end or (start == offset < end and is_end):
            return start + shift + (len(replacement) if is_end else 0)
    return offset + shift


@settings(max_examples=EXAMPLES, deadline=None)
@given(word_edits(), st.data())
def test_word_edits_of_the_demo_article_never_misplace_a_mention(
    edits: list[tuple[int, int, str]], data: st.DataObject
) -> None:
    first = data.draw(st.integers(0, len(SEED_WORDS) - 2))
    last = data.draw(st.integers(first + 1, min(first + 15, len(SEED_WORDS) - 1)))
    check_word_edits(edits, first, last)


def test_a_deleted_first_word_does_not_leave_the_mention_inside_the_word_before() -> None:
    # Deleting "in " from „Ich bin in keiner Eile“ leaves "in keiner" only as the end of
    # "bin keiner": the mention "in keiner" lost a word and is not placed there (found by
    # the property test above in CI).
    start = seed_text().index("in keiner Eile")
    first = next(i for i, (a, _) in enumerate(SEED_WORDS) if a == start)
    check_word_edits([(start, start + 3, "")], first, first + 1)


def check_word_edits(edits: list[tuple[int, int, str]], first: int, last: int) -> None:
    """The mention of the demo article's words ``first`` to ``last`` after ``edits``."""
    old = seed_text()
    new = apply_edits(old, edits)
    start, end = SEED_WORDS[first][0], SEED_WORDS[last][1]
    quote = quote_context(old, start, end)
    result = reanchor(old, new, start, end, quote.exact, quote.prefix, quote.suffix)
    check_result(result, new, old, start, end, 0.8)
    target = (new_offset(start, edits, is_end=False), new_offset(end, edits, is_end=True))
    touched = any((a < end and b > start) or (a == b and start < a < end) for a, b, _ in edits)
    if not touched:
        # The quote is intact at its new place: found there, or orphaned only as ambiguous,
        # when it occurs elsewhere too or its context changed.
        assert new[target[0] : target[1]] == quote.exact
        if result.state == "orphaned":
            assert result.reason == "ambiguous"
            around = quote.prefix + quote.exact + quote.suffix
            intact = new.startswith(around, target[0] - len(quote.prefix))
            assert new.count(quote.exact) > 1 or not intact
        else:
            assert (result.start, result.end) == target
    elif result.state != "orphaned":
        # The quote was edited: wherever it is found, it overlaps its words' new place.
        assert result.start is not None
        assert result.end is not None
        overlap = min(result.end, target[1]) - max(result.start, target[0])
        assert overlap >= 0.8 * (result.end - result.start)
