"""The workspace's hints and "Already checked" suggestions: the analysis' states, linking a
suggested sentence as a new appearance, "Not the same claim" and its memory, who may do
what, stale texts, escaping and the page's query count."""

import json
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from claims import services
from claims.models import (
    ArticleRevision,
    ClaimEvent,
    ClaimSuggestion,
    Mention,
    SuggestionDismissal,
    TextAnalysis,
)
from claims.models.matching import sentence_key
from claims.workspace import hint_label
from tests.factories import make_article, make_claim, make_rating
from tests.helpers import run_tasks

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
# The demo's published claim "Seit dem Waffenstillstand von 1953 herrscht formal noch
# Kriegszustand", in other words.
REPEAT = (
    "Formal befinden sich beide Koreas seit dem Waffenstillstand von 1953 noch immer im "
    "Kriegszustand."
)
TEXT = f"Der Gipfel in Hanoi endete ohne Einigung.\n\n{REPEAT} Das sagte ein Sprecher."


def _workspace(client, article):
    return client.get(reverse("claims:desk-article", args=[article.pk]))


def _analysed(text=TEXT):
    article = make_article(text, language="de")
    services.revision_analyse(article.current_revision)
    return article


def _marks(html: str) -> list[dict]:
    data = re.search(r'<div id="checks-data" hidden data-marks="([^"]*)"', html)
    return json.loads(unescape(data.group(1)))


def _link(client, suggestion, **headers):
    url = reverse("claims:desk-suggestion-link", args=[suggestion.pk])
    return client.post(url, {"revision": suggestion.revision_id}, **headers)


def _dismiss(client, suggestion, **headers):
    url = reverse("claims:desk-suggestion-dismiss", args=[suggestion.pk])
    return client.post(url, **headers)


# --- The analysis' states -------------------------------------------------------------
def test_a_text_not_yet_compared_offers_compare_now(desk, seeded):
    article = make_article(TEXT, language="de")
    TextAnalysis.objects.all().delete()  # as for a text from before the matching existed
    html = _workspace(desk, article).content.decode()
    assert "Not yet compared with earlier fact-checks." in html
    assert ">Compare now</button>" in html
    assert _marks(html) == []
    # What N says when there is nothing to go to.
    assert 'data-none="The text has not been compared with earlier fact-checks yet."' in html


def test_a_queued_analysis_is_polled_and_shows_its_result_once_done(desk, seeded):
    article = make_article(TEXT, language="de")
    assert TextAnalysis.objects.get(revision=article.current_revision).status == "queued"
    html = _workspace(desk, article).content.decode()
    assert "Comparing the text with earlier fact-checks…" in html
    status_url = reverse("claims:desk-analysis", args=[article.pk])
    assert f'hx-get="{status_url}" hx-trigger="every 2s"' in html
    assert "Compare now" not in html

    still = desk.get(status_url, **HTMX)
    assert still.status_code == 204  # nothing to swap: the polling goes on, nothing is read out

    services.revision_analyse(article.current_revision)
    done = desk.get(status_url, **HTMX).content.decode()
    assert "every 2s" not in done  # the polling ends
    assert "Compared with 5 published fact-checks" in done
    # Out of band: the list, the hints' summary and their data; never the text.
    assert '<div id="suggestions" hx-swap-oob="true">' in done
    assert 'id="hints-summary" class="small text-body-secondary mb-2" hx-swap-oob="true"' in done
    assert 'hx-swap-oob="true"></div>' in done[done.index('id="checks-data"') :]
    assert "article-text" not in done
    assert "Already checked:" in done
    kinds = [mark["kind"] for mark in _marks(done)]
    assert "suggestion" in kinds
    assert "hint" in kinds


def test_a_failed_analysis_says_so_and_offers_to_try_again(desk, seeded):
    article = make_article(TEXT, language="de")
    services.analysis_fail(article.current_revision_id)
    html = _workspace(desk, article).content.decode()
    assert "The comparison with earlier fact-checks failed." in html
    assert ">Try again</button>" in html


def test_compare_again_queues_the_analysis_and_the_task_makes_it(desk, seeded):
    article = _analysed()
    html = _workspace(desk, article).content.decode()
    assert "Compared with 5 published fact-checks, just now." in html
    assert ">Compare again</button>" in html
    url = reverse("claims:desk-analysis-compare", args=[article.pk])
    with pytest.MonkeyPatch.context() as patch:
        # The test's transaction never commits: run the on-commit enqueue at once.
        patch.setattr("claims.tasks.matching.enqueue_on_commit", lambda task, *a: task.enqueue(*a))
        response = desk.post(url, {"revision": article.current_revision_id}, **HTMX)
    assert response.status_code == 200
    assert "Comparing the text with earlier fact-checks…" in response.content.decode()
    assert TextAnalysis.objects.get(revision=article.current_revision).status == "queued"
    assert run_tasks() == 1
    assert TextAnalysis.objects.get(revision=article.current_revision).status == "done"


def test_compare_refuses_a_text_that_changed(desk, seeded):
    article = _analysed()
    url = reverse("claims:desk-analysis-compare", args=[article.pk])
    response = desk.post(url, {"revision": article.current_revision_id + 99}, **HTMX)
    assert response.status_code == 409
    assert TextAnalysis.objects.get(revision=article.current_revision).status == "done"


# --- Hints ------------------------------------------------------------------------------
def test_hint_labels_name_the_reasons_and_the_speaker_in_both_languages():
    reasons = ["number", "comparison", "attribution"]
    assert (
        hint_label(reasons, "Lena Brandt")
        == "Worth checking: number + comparison, attributed to Lena Brandt"
    )
    assert hint_label(["date"], "") == "Worth checking: date"
    with translation.override("de"):
        assert (
            hint_label(reasons, "Lena Brandt")
            == "Prüfenswert: Zahl + Vergleich, Lena Brandt zugeschrieben"
        )


def test_hints_are_shipped_as_data_in_code_points_and_the_text_is_unchanged(desk, seeded):
    text = (
        "Emoji 👍🏽 vorweg.\n\n"
        "Die Zahl der Arbeitslosen stieg 2023 um 12 Prozent, sagte Lena Brandt."
    )
    article = _analysed(text)
    html = _workspace(desk, article).content.decode()
    hints = [mark for mark in _marks(html) if mark["kind"] == "hint"]
    assert hints, "the sentence with a number and a date is worth checking"
    sentence = "Die Zahl der Arbeitslosen stieg 2023 um 12 Prozent, sagte Lena Brandt."
    start = text.index(sentence)  # Python counts code points, as the stored offsets do
    assert [(hint["start"], hint["end"]) for hint in hints] == [(start, start + len(sentence))]
    assert hints[0]["label"].startswith("Worth checking: number")
    assert "sentence worth checking — press N to go to the next one." in html
    # The text's markup carries no trace of the hints.
    text_html = html[html.index('id="article-text"') : html.index('id="selection-toolbar"')]
    assert "worth" not in text_html.lower()
    assert "hint" not in text_html


# --- "Already checked" -------------------------------------------------------------------
def test_the_repeated_claim_is_suggested_with_its_shared_words(desk, published):
    article = _analysed()
    html = _workspace(desk, article).content.decode()
    item = html[html.index('id="suggestion-') :]
    assert "<mark>Waffenstillstand</mark>" in item
    assert f'href="{published.get_absolute_url()}"' in item
    assert published.claim_reviewed in item
    assert "True (1 March 2019)" in item or "True (March 1, 2019)" in item
    assert ">Link as appearance</button>" in item
    assert ">Not the same claim</button>" in item
    suggestion = next(m for m in _marks(html) if m["kind"] == "suggestion")
    start = TEXT.index(REPEAT)
    assert (suggestion["start"], suggestion["end"]) == (start, start + len(REPEAT))
    assert "Press A to link it as an appearance." in suggestion["label"]


def test_link_makes_an_appearance_that_waits_for_review(desk, editor, published):
    article = _analysed()
    suggestion = ClaimSuggestion.objects.get(revision=article.current_revision, position=1)
    assert suggestion.claim == published
    response = _link(desk, suggestion, **HTMX)
    assert response.status_code == 200
    mention = Mention.objects.get(revision=article.current_revision, claim=published)
    assert (mention.start, mention.end) == (suggestion.start, suggestion.end)
    assert mention.awaiting == Mention.Awaiting.ADDITION
    assert published.events.filter(kind=ClaimEvent.Kind.APPEARANCE_ADDED, actor=editor).exists()
    html = response.content.decode()
    assert "Passage linked. Readers see it once a reviewer approves it." in html
    assert f'<li id="suggestion-{suggestion.pk}" hx-swap-oob="delete"></li>' in html
    assert 'id="claim-panel"' in html
    # Linked: no longer suggested for that sentence.
    assert f'id="suggestion-{suggestion.pk}"' not in _workspace(desk, article).content.decode()


def test_link_without_htmx_redirects_to_the_claim_panel(desk, published):
    article = _analysed()
    suggestion = ClaimSuggestion.objects.get(revision=article.current_revision, position=1)
    response = _link(desk, suggestion)
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:desk-claim", args=[article.pk, published.pk])


def test_not_the_same_claim_is_remembered_after_a_new_revision(desk, editor, published):
    article = _analysed()
    suggestion = ClaimSuggestion.objects.get(revision=article.current_revision, position=1)
    response = _dismiss(desk, suggestion, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<li id="suggestion-{suggestion.pk}" hx-swap-oob="delete"></li>' in html
    assert "it will not be shown for this sentence again" in html
    dismissal = SuggestionDismissal.objects.get()
    assert (dismissal.claim, dismissal.dismissed_by) == (published, editor)
    assert dismissal.sentence_key == sentence_key(REPEAT, "de")

    # A new revision, the sentence now with other quotation marks and spacing, analysed
    # again: the claim is found again but not suggested.
    new_text = "Neuer Einstieg.\n\n" + TEXT.replace("Kriegszustand.", "Kriegszustand .")
    revision = ArticleRevision.objects.create(article=article, number=2, text=new_text)
    article.current_revision = revision
    article.save(update_fields=["current_revision"])
    services.revision_analyse(revision)
    assert ClaimSuggestion.objects.filter(revision=revision, claim=published).exists()
    html = _workspace(desk, article).content.decode()
    assert "Already checked:" not in html
    assert not [m for m in _marks(html) if m["kind"] == "suggestion"]


def test_a_suggestion_of_an_earlier_text_is_refused_with_409(desk, published):
    article = _analysed()
    suggestion = ClaimSuggestion.objects.get(revision=article.current_revision, position=1)
    revision = ArticleRevision.objects.create(article=article, number=2, text=TEXT + " Neu.")
    article.current_revision = revision
    article.save(update_fields=["current_revision"])
    for answer in (_link(desk, suggestion, **HTMX), _dismiss(desk, suggestion, **HTMX)):
        assert answer.status_code == 409
        assert "The article text has changed since you opened it" in answer.content.decode()
    assert not Mention.objects.filter(claim=published, revision__article=article).exists()
    assert not SuggestionDismissal.objects.exists()


def test_who_may_link_and_dismiss(client, django_user_model, reviewer, published):
    article = _analysed()
    suggestion = ClaimSuggestion.objects.get(revision=article.current_revision, position=1)
    # Anonymous: to the sign-in page.
    for answer in (_link(client, suggestion), _dismiss(client, suggestion)):
        assert answer.status_code == 302
        assert "/login/" in answer["Location"]
    # A signed-in reader without a desk role: refused.
    reader = django_user_model.objects.create_user("reader", password="x")
    client.force_login(reader)
    for answer in (_link(client, suggestion, **HTMX), _dismiss(client, suggestion, **HTMX)):
        assert answer.status_code == 403
    compare = reverse("claims:desk-analysis-compare", args=[article.pk])
    assert client.post(compare, {"revision": article.current_revision_id}).status_code == 403
    assert not Mention.objects.filter(claim=published, revision__article=article).exists()
    assert not SuggestionDismissal.objects.exists()
    # A suggestion that does not exist: 404.
    client.force_login(reviewer)
    missing = reverse("claims:desk-suggestion-link", args=[suggestion.pk + 999])
    assert client.post(missing).status_code == 404
    # A reviewer may (as an editor may).
    assert _dismiss(client, suggestion, **HTMX).status_code == 200


def test_a_moderator_without_a_desk_role_is_refused(client, moderator, published):
    article = _analysed()
    suggestion = ClaimSuggestion.objects.get(revision=article.current_revision, position=1)
    client.force_login(moderator)
    assert _workspace(client, article).status_code == 403
    assert _link(client, suggestion, **HTMX).status_code == 403
    status_url = reverse("claims:desk-analysis", args=[article.pk])
    assert client.get(status_url, **HTMX).status_code == 403
    assert not Mention.objects.filter(claim=published, revision__article=article).exists()


def test_a_reviewer_may_link_dismiss_and_compare_as_an_editor_may(client, reviewer, published):
    article = _analysed()
    client.force_login(reviewer)
    html = _workspace(client, article).content.decode()
    assert ">Link as appearance</button>" in html
    assert ">Compare again</button>" in html


def test_writes_need_the_csrf_token(editor, published):
    from django.test import Client

    article = _analysed()
    suggestion = ClaimSuggestion.objects.get(revision=article.current_revision, position=1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert _link(client, suggestion, **HTMX).status_code == 403
    assert _dismiss(client, suggestion, **HTMX).status_code == 403
    assert not SuggestionDismissal.objects.exists()


def test_hostile_claim_text_is_escaped(desk, seeded):
    hostile = '<img src=x onerror=alert(1)> "Krieg" </script><script>alert(2)</script>'
    claim = make_claim(claim_reviewed=hostile, rating=make_rating("<b>Falsch</b>", value=None))
    text = "Ein Satz über <Krieg> & Frieden. Noch einer."
    article = make_article(text, language="de")
    services.revision_analyse(article.current_revision)
    end = text.index(".") + 1
    ClaimSuggestion.objects.create(
        revision=article.current_revision,
        start=0,
        end=end,
        sentence_key="k",
        claim=claim,
        score=0.9,
        words=[[14, 21]],
    )
    html = _workspace(desk, article).content.decode()
    assert "<img src=x" not in html
    assert "<script>alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<mark>&lt;Krieg&gt;</mark>" in html
    assert "&lt;b&gt;Falsch&lt;/b&gt;" in html
    # The data for desk.js (an attribute's value) is escaped too.
    assert "</script><script>" not in html
    suggestion = next(m for m in _marks(html) if m["kind"] == "suggestion")
    assert suggestion["label"].count(hostile) == 1


# --- Query count ------------------------------------------------------------------------
def _with_suggestions(count: int):
    rating = make_rating(f"Wrong {count}", value=None)
    text = " ".join(f"Satz Nummer {n} über den Krieg." for n in range(count))
    article = make_article(text, language="de")
    services.revision_analyse(article.current_revision)
    start = 0
    for n in range(count):
        sentence = f"Satz Nummer {n} über den Krieg."
        start = text.index(sentence, start)
        ClaimSuggestion.objects.create(
            revision=article.current_revision,
            start=start,
            end=start + len(sentence),
            sentence_key=f"k{n}",
            claim=make_claim(rating=rating, claim_reviewed=f"Behauptung {n}"),
            score=0.8,
            words=[[start, start + 4]],
        )
        start += len(sentence)
    return article


def test_the_workspace_costs_no_query_per_suggestion(desk, seeded):
    counts = []
    for size in (1, 10):
        article = _with_suggestions(size)
        with CaptureQueriesContext(connection) as queries:
            html = _workspace(desk, article).content.decode()
        assert html.count('class="suggestion ') == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
