"""Claims checked before, in the database: profiles kept current, similar claims, a
revision's analysis stored by the background task, and linking or dismissing a suggestion
(``claims/matching.py``, ``claims/services/matching.py``, ``claims/tasks/matching.py``)."""

import pytest

from claims import services
from claims.matching import analyse, similar_claims
from claims.models import (
    ArticleRevision,
    Claim,
    ClaimEvent,
    ClaimProfile,
    ClaimSuggestion,
    Mention,
    SuggestionDismissal,
    TextAnalysis,
)
from claims.models.matching import sentence_key
from claims.services import StaleRevision
from claims.text import normalize
from tests.factories import make_article, make_claim, make_rating, mark_quote
from tests.helpers import run_tasks

pytestmark = pytest.mark.django_db

ARMISTICE = "Seit dem Waffenstillstand von 1953 herrscht formal noch Kriegszustand"
REPEAT = (
    "Formal befinden sich beide Koreas seit dem Waffenstillstand von 1953 noch immer im "
    "Kriegszustand."
)
NEW_TEXT = (
    "Die Gespräche in Panmunjom gingen weiter.\n\n"
    f"{REPEAT} Ein Friedensvertrag fehlt.\n\n"
    "Der Strompreis stieg im Mai um 12 Prozent, sagte Lena Brandt."
)


@pytest.fixture
def armistice():
    return make_claim(claim_reviewed=ARMISTICE, language="de", rating=make_rating("True"))


# --- Profiles -----------------------------------------------------------------------------
def test_a_claim_gets_a_profile_that_follows_its_wording_and_passages(armistice):
    stored = ClaimProfile.objects.get(claim=armistice)
    assert "waffenstillstand" in stored.keys.split()
    assert len(stored.profiles) == 1

    armistice.claim_reviewed = "Der Koreakrieg endete nie offiziell"
    armistice.save()
    stored.refresh_from_db()
    assert "waffenstillstand" not in stored.keys.split()

    article = make_article("Trotz des Waffenstillstands von 1953 gilt der Kriegszustand.")
    mention = mark_quote(armistice, article, "Trotz des Waffenstillstands von 1953")
    stored.refresh_from_db()
    assert "waffenstillstand" in stored.keys.split()
    assert len(stored.profiles) == 2

    mention.delete()
    stored.refresh_from_db()
    assert "waffenstillstand" not in stored.keys.split()


def test_a_claim_with_passages_can_be_deleted(armistice):
    article = make_article("Trotz des Waffenstillstands von 1953 gilt der Kriegszustand.")
    mark_quote(armistice, article, "Trotz des Waffenstillstands von 1953")
    armistice.delete()
    assert not ClaimProfile.objects.exists()
    assert not Mention.objects.exists()


# --- Similar claims -------------------------------------------------------------------------
def test_similar_claims_finds_a_repeat_and_the_words_it_shares(armistice):
    found = similar_claims(REPEAT, "de")
    assert [similar.claim for similar in found] == [armistice]
    shared = {REPEAT[start:end] for start, end in found[0].words}
    assert {"Waffenstillstand", "1953", "Kriegszustand"} <= shared


def test_only_published_claims_unless_asked(armistice):
    draft = make_claim(claim_reviewed=ARMISTICE + " (Entwurf)", status=Claim.Status.DRAFT)
    assert draft not in [s.claim for s in similar_claims(REPEAT, "de")]
    assert draft in [s.claim for s in similar_claims(REPEAT, "de", Claim.objects.all())]


def test_unrelated_text_finds_nothing(armistice):
    assert similar_claims("Der Strompreis stieg im Mai um zwölf Prozent.", "de") == []
    assert similar_claims("", "de") == []


def test_a_withdrawn_claim_is_no_longer_found(armistice, reviewer):
    assert similar_claims(REPEAT, "de")
    armistice.status = Claim.Status.DRAFT  # as unpublishing leaves it: not public
    armistice.save(update_fields=["status"])
    assert similar_claims(REPEAT, "de") == []


# --- A revision's analysis ----------------------------------------------------------------
def test_analyse_suggests_the_claim_for_the_sentence_and_hints_the_checkable_one(armistice):
    article = make_article(NEW_TEXT)
    found = analyse(article.current_revision)
    text = article.current_revision.text
    assert [(text[s.sentence.start : s.sentence.end], s.claim_id) for s in found.suggestions] == [
        (REPEAT, armistice.pk)
    ]
    assert {text[start:end] for start, end in found.suggestions[0].words} >= {"1953"}
    hinted = {text[h.start : h.end]: h for h in found.hints}
    electricity = hinted["Der Strompreis stieg im Mai um 12 Prozent, sagte Lena Brandt."]
    assert "number" in electricity.reasons
    assert electricity.speaker == "Lena Brandt"
    assert found.claims_compared == 1


def test_a_claim_marked_in_the_text_is_not_suggested_again(armistice):
    article = make_article(NEW_TEXT)
    mark_quote(armistice, article, "Die Gespräche in Panmunjom")
    assert analyse(article.current_revision).suggestions == []


def test_every_new_revision_is_analysed_in_the_background(
    armistice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(NEW_TEXT)
    revision = article.current_revision
    assert TextAnalysis.objects.get(revision=revision).status == TextAnalysis.Status.QUEUED
    with pytest.raises(ClaimSuggestion.DoesNotExist):
        ClaimSuggestion.objects.get(revision=revision)
    run_tasks()
    analysis = TextAnalysis.objects.get(revision=revision)
    assert analysis.status == TextAnalysis.Status.DONE
    assert analysis.finished_at is not None
    assert any(hint[0] == revision.text.index("Der Strompreis") for hint in analysis.hints)
    suggestion = ClaimSuggestion.objects.get(revision=revision)
    assert (suggestion.claim, suggestion.position) == (armistice, 1)
    assert revision.text[suggestion.start : suggestion.end] == REPEAT


def test_analysing_again_replaces_the_suggestions(armistice):
    article = make_article(NEW_TEXT)
    revision = article.current_revision
    services.revision_analyse(revision)
    services.revision_analyse(revision)
    assert ClaimSuggestion.objects.filter(revision=revision).count() == 1


def test_sentence_key_ignores_how_the_sentence_is_written():
    assert sentence_key("„Seit 1953“ herrscht  Krieg.", "de") == sentence_key(
        '"seit 1953" HERRSCHT\nKrieg.', "de"
    )
    assert sentence_key("Seit 1953 herrscht Krieg.", "de") != sentence_key(
        "Seit 1950 herrscht Krieg.", "de"
    )


# --- Linking and dismissing ---------------------------------------------------------------
def test_linking_a_suggestion_makes_an_appearance_that_waits_for_review(armistice, editor):
    article = make_article(NEW_TEXT)
    services.revision_analyse(article.current_revision)
    suggestion = ClaimSuggestion.objects.get()
    mention = services.suggestion_link(suggestion=suggestion, user=editor)
    assert mention.claim == armistice
    assert mention.exact == REPEAT
    assert mention.awaiting == Mention.Awaiting.ADDITION
    assert armistice.events.filter(kind=ClaimEvent.Kind.APPEARANCE_ADDED, actor=editor).exists()
    # Analysed again, the sentence is marked for the claim now: no suggestion.
    services.revision_analyse(article.current_revision)
    assert not ClaimSuggestion.objects.exists()


def test_a_suggestion_of_an_older_text_is_refused(armistice, editor):
    article = make_article(NEW_TEXT)
    old = article.current_revision
    services.revision_analyse(old)
    suggestion = ClaimSuggestion.objects.get()
    new = ArticleRevision.objects.create(article=article, number=2, text=normalize(NEW_TEXT))
    article.current_revision = new
    article.save(update_fields=["current_revision"])
    with pytest.raises(StaleRevision):
        services.suggestion_link(suggestion=suggestion, user=editor)
    assert not Mention.objects.exists()


def test_not_the_same_claim_is_remembered_for_the_sentence_in_later_revisions(armistice, editor):
    article = make_article(NEW_TEXT)
    services.revision_analyse(article.current_revision)
    suggestion = ClaimSuggestion.objects.get()
    services.suggestion_dismiss(suggestion=suggestion, user=editor)
    services.suggestion_dismiss(suggestion=suggestion, user=editor)  # twice: one record
    dismissal = SuggestionDismissal.objects.get()
    assert (dismissal.article, dismissal.claim, dismissal.dismissed_by) == (
        article,
        armistice,
        editor,
    )
    # The next revision writes the sentence with other quotation marks and line breaks:
    # its suggestion carries the same sentence key, which the dismissal hides.
    rewritten = NEW_TEXT.replace("Formal befinden", "Formal  befinden").replace(
        "Die Gespräche", "Neu: Die Gespräche"
    )
    new = ArticleRevision.objects.create(article=article, number=2, text=normalize(rewritten))
    services.revision_analyse(new)
    again = ClaimSuggestion.objects.get(revision=new)
    assert again.sentence_key == dismissal.sentence_key
