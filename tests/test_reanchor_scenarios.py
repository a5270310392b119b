"""Realistic edits to the demo article and what happens to each marked passage.

Every scenario gives the seed article a new revision through the desk's service and checks
the outcome of every one of its eight passages: the edited one as expected, the others in
place with their exact quote.
"""

import pytest

from claims.models import Mention
from claims.services import article_revise
from tests.conftest import SEED_TEXT

pytestmark = pytest.mark.django_db

ATOM = "dass Nordkorea seit mehr als einem Jahr keine Atomwaffen und Raketen mehr getestet habe"
ARMISTICE = (
    "Trotz des Waffenstillstands von 1953 gilt aus völkerrechtlicher Sicht immer noch der "
    "Kriegszustand"
)
SINGAPORE = "Acht Monate nach dem ersten, historischen Treffen in Singapur"
OFFICE = "Ein Verbindungsbüro hat nicht den Rang einer Botschaft"
WELCOME = 'Ein mögliches Verbindungsbüro der USA in Nordkorea sei "begrüßenswert", sagte Kim'
SECTION = (
    'Ein Verbindungsbüro wäre eine "großartige Sache"\n\nTrump und Kim sprachen sich bei '
    "ihrem Treffen auch"
)


def _outcomes(article, new_text, editor) -> dict[str, Mention]:
    before = {m.pk: m.exact for m in Mention.objects.filter(revision=article.current_revision)}
    article_revise(article=article, text=new_text, origin="paste", user=editor)
    return {before[m.pk]: m for m in Mention.objects.filter(pk__in=before)}


def _in_place(mention: Mention, article) -> bool:
    article.refresh_from_db()
    text = article.current_revision.text
    return (
        mention.revision_id == article.current_revision_id
        and text[mention.start : mention.end] == mention.exact
        and mention.anchor != Mention.Anchor.ORPHANED
        and not mention.quote_changed
    )


def _others_in_place(outcomes, article, *, but: str | set[str]) -> None:
    for quote, mention in outcomes.items():
        if quote not in ({but} if isinstance(but, str) else but):
            assert _in_place(mention, article), (quote, mention.anchor)


def test_inserted_paragraph_keeps_every_passage(article, editor):
    text = SEED_TEXT.replace(
        "USA und Nordkorea könnten",
        "Korrektur: Eine frühere Fassung nannte ein falsches Datum.\n\nUSA und Nordkorea könnten",
    )
    outcomes = _outcomes(article, text, editor)
    for mention in outcomes.values():
        assert _in_place(mention, article)
    # Shifted by the insertion, same words in the same surroundings: nothing to check.
    assert all(m.anchor == Mention.Anchor.ANCHORED for m in outcomes.values())
    assert outcomes[ARMISTICE].start > SEED_TEXT.index(ARMISTICE)


def test_typo_fix_inside_a_quote_moves_it_with_a_flag(article, editor):
    text = SEED_TEXT.replace("völkerrechtlicher Sicht", "völkerrechtlicher Perspektive")
    outcomes = _outcomes(article, text, editor)
    mention = outcomes[ARMISTICE]
    assert mention.anchor == Mention.Anchor.REANCHORED
    assert mention.quote_changed
    assert mention.exact.startswith("Trotz des Waffenstillstands von 1953")
    assert "Perspektive" in mention.exact
    assert 0.8 <= mention.anchor_confidence < 1
    _others_in_place(outcomes, article, but=ARMISTICE)


def test_reworded_sentence_is_orphaned_not_guessed(article, editor):
    text = SEED_TEXT.replace(
        SINGAPORE, "Rund ein Dreivierteljahr nach dem Auftakt im Stadtstaat Singapur"
    )
    outcomes = _outcomes(article, text, editor)
    assert outcomes[SINGAPORE].anchor == Mention.Anchor.ORPHANED
    assert outcomes[SINGAPORE].revision.number == 1
    _others_in_place(outcomes, article, but=SINGAPORE)


def test_quote_duplicated_elsewhere_stays_at_its_own_place(article, editor):
    start = SEED_TEXT.index(OFFICE)
    text = SEED_TEXT + "\n\nZitat der Woche: „" + OFFICE + ".“"
    outcomes = _outcomes(article, text, editor)
    mention = outcomes[OFFICE]
    assert mention.anchor == Mention.Anchor.ANCHORED
    assert (mention.start, mention.end) == (start, start + len(OFFICE))
    _others_in_place(outcomes, article, but=OFFICE)


def test_whole_section_deleted_orphans_only_its_passage(article, editor):
    head, _, tail = SEED_TEXT.partition(SECTION)
    assert tail
    text = head.rstrip("\n") + "\n\nSchlussabsatz der Agentur."
    outcomes = _outcomes(article, text, editor)
    assert outcomes[OFFICE].anchor == Mention.Anchor.ORPHANED
    assert outcomes[WELCOME].anchor == Mention.Anchor.ORPHANED  # the same section
    _others_in_place(outcomes, article, but={OFFICE, WELCOME})
