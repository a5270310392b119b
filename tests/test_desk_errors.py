"""Errors where the editor looks: every desk form that fails to save answers 422 with an
error summary at its top (role="alert", focusable, one link per problem to its field),
keeps what was typed, and saves nothing. Also the claim date suggested from the article
and the verdict written out on the desk's highlights."""

import datetime

import lxml.html
import pytest
from django.urls import reverse
from django.utils import translation

from claims.models import Article, ArticleRevision, Claim, Correction, Rating
from tests.factories import make_article, make_claim, make_rating, make_ready_claim, mark
from tests.test_desk_panel import HTMX, _data, _snapshot, _source_fields, _url

pytestmark = pytest.mark.django_db


def _summary(response):
    """The error summary of an answer: (heading, [(link target, text)], the element)."""
    tree = lxml.html.fromstring(response.content.decode())
    found = tree.find_class("error-summary")
    assert len(found) == 1, "exactly one error summary"
    summary = found[0]
    assert summary.get("role") == "alert"
    assert summary.get("tabindex") == "-1"
    heading = summary.xpath("./h2|./h3")[0].text_content()
    items = [
        (
            (li.find("a").get("href") if li.find("a") is not None else None),
            li.text_content(),
        )
        for li in summary.iter("li")
    ]
    return heading, items, tree


def _no_summary(response) -> None:
    assert not lxml.html.fromstring(response.content.decode()).find_class("error-summary")


def _de(path: str) -> str:
    with translation.override("de"):
        return path if path.startswith("/de/") else "/de" + path


# --- The claim panel ------------------------------------------------------------------------
def test_a_source_without_kind_is_named_in_the_summary_and_nothing_is_lost(desk, article, draft):
    before = _snapshot(draft)
    new = {"url": "https://example.org/report", "title": "Ein Bericht", "stance": "refutes"}
    data = _data(draft, extra_sources=1, conclusion="Mein Fazit") | _source_fields(1, **new)
    response = desk.post(_url(article, draft), data, **HTMX)
    assert response.status_code == 422
    heading, items, tree = _summary(response)
    assert heading == "Please fix 1 problem"
    assert items == [("#id_sources-1-kind", "Source 2: Choose its kind.")]
    assert tree.get_element_by_id("id_sources-1-kind") is not None  # the link has a target
    # Everything typed comes back: the claim's fields and the new source's.
    assert tree.get_element_by_id("id_conclusion").value == "Mein Fazit"
    assert tree.get_element_by_id("id_sources-1-url").value == new["url"]
    assert tree.get_element_by_id("id_sources-1-title").value == new["title"]
    assert tree.get_element_by_id("id_sources-1-stance").value == "refutes"
    # The summary comes first in the form.
    form = tree.get_element_by_id("claim-form")
    assert form.find_class("error-summary")[0] is form.xpath(".//div")[0]
    assert _snapshot(draft) == before


def test_the_summary_names_the_source_in_german(desk, article, draft):
    new = {"url": "https://example.org/report", "title": "Ein Bericht"}
    data = _data(draft, extra_sources=1) | _source_fields(1, **new)
    response = desk.post(_de(_url(article, draft)), data, **HTMX)
    assert response.status_code == 422
    heading, items, _tree = _summary(response)
    assert heading == "Bitte 2 Angaben korrigieren"
    assert items == [
        ("#id_sources-1-kind", "Quelle 2: Art auswählen."),
        ("#id_sources-1-stance", "Quelle 2: Haltung auswählen."),
    ]
    assert draft.sources.count() == 1


def test_claim_and_source_problems_link_to_their_fields(desk, article, draft):
    source = draft.sources.get()
    data = _data(draft, claim_reviewed="") | _source_fields(0, source, url="javascript:alert(1)")
    response = desk.post(_url(article, draft), data)
    assert response.status_code == 422
    heading, items, _tree = _summary(response)
    assert heading == "Please fix 2 problems"
    assert items == [
        ("#id_claim_reviewed", "Claim as reviewed: This field is required."),
        ("#id_sources-0-url", "Source 1, URL: Enter a valid URL."),
    ]
    draft.refresh_from_db()
    assert draft.claim_reviewed != ""
    assert draft.sources.get().url == source.url


def test_an_empty_extra_source_does_not_block_the_save(desk, article, draft):
    data = _data(draft, extra_sources=1, conclusion="Gespeichert") | _source_fields(1)
    response = desk.post(_url(article, draft), data, **HTMX)
    assert response.status_code == 200
    _no_summary(response)
    draft.refresh_from_db()
    assert draft.conclusion == "Gespeichert"
    assert draft.sources.count() == 1


def test_a_damaged_version_field_is_explained_without_a_link(desk, article, draft):
    before = _snapshot(draft)
    response = desk.post(_url(article, draft), _data(draft, version="abc"))
    assert response.status_code == 422
    _heading, items, _tree = _summary(response)
    assert items == [
        (None, "The form is incomplete or out of date: reload the page and try again.")
    ]
    assert _snapshot(draft) == before


def test_optional_source_fields_are_folded_unless_filled_or_wrong(desk, article, draft):
    source = draft.sources.get()
    source.published_on = source.accessed_on = None
    source.archive_url = source.quote = ""
    source.save()
    tree = lxml.html.fromstring(desk.get(_url(article, draft)).content.decode())
    folded = tree.find_class("source-more")
    assert len(folded) == 1
    assert folded[0].tag == "details"
    assert folded[0].get("open") is None
    assert folded[0].find("summary").text_content() == "More about this source"
    assert {"id_sources-0-archive_url", "id_sources-0-quote"} <= {
        element.get("id") for element in folded[0].iter("input", "textarea")
    }
    data = _data(draft) | _source_fields(0, source, archive_url="ftp://nope")
    response = desk.post(_url(article, draft), data)
    assert response.status_code == 422
    tree = lxml.html.fromstring(response.content.decode())
    assert tree.find_class("source-more")[0].get("open") is not None
    draft.refresh_from_db()
    assert draft.sources.get().archive_url == ""


def test_the_save_button_sits_in_the_sticky_action_bar(desk, article, draft):
    tree = lxml.html.fromstring(desk.get(_url(article, draft)).content.decode())
    bar = tree.find_class("panel-actions")[0]
    assert [button.text_content() for button in bar.iter("button")] == ["Save claim"]


def test_a_successful_save_shows_no_summary(desk, article, draft):
    response = desk.post(_url(article, draft), _data(draft, conclusion="Neu"), **HTMX)
    assert response.status_code == 200
    _no_summary(response)


# --- The claim date ---------------------------------------------------------------------------
def test_a_claim_without_a_date_is_offered_the_articles_date_not_given_it(desk, article, draft):
    draft.claim_date = None
    draft.save()
    article.published_on = datetime.date(2019, 2, 28)
    article.save()
    tree = lxml.html.fromstring(desk.get(_url(article, draft)).content.decode())
    assert tree.get_element_by_id("id_claim_date").value == "2019-02-28"
    draft.refresh_from_db()
    assert draft.claim_date is None  # only saved when the editor saves


def test_a_claims_own_date_wins_over_the_articles(desk, article, draft):
    draft.claim_date = datetime.date(2019, 3, 1)
    draft.save()
    article.published_on = datetime.date(2019, 2, 28)
    article.save()
    tree = lxml.html.fromstring(desk.get(_url(article, draft)).content.decode())
    assert tree.get_element_by_id("id_claim_date").value == "2019-03-01"


def test_a_newly_marked_claim_is_offered_the_articles_date(desk, editor):
    article = make_article("Der Minister sagte etwas.", published_on=datetime.date(2024, 5, 6))
    response = desk.post(
        reverse("claims:desk-mark", args=[article.pk]),
        {
            "revision": article.current_revision_id,
            "start": 0,
            "end": 24,
            "exact": "Der Minister sagte etwas",
        },
        **HTMX,
    )
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.content.decode())
    assert tree.get_element_by_id("id_claim_date").value == "2024-05-06"
    assert Claim.objects.get(mentions__revision__article=article).claim_date is None


# --- The new-article form ---------------------------------------------------------------------
def test_a_new_article_without_text_gets_a_summary_and_keeps_the_title(desk):
    url = reverse("claims:desk-article-new")
    response = desk.post(url, {"title": "Mein Titel", "outlet": "Die Zeitung"})
    assert response.status_code == 422
    heading, items, tree = _summary(response)
    assert heading == "Please fix 1 problem"
    assert items == [("#id_title", "Paste the article text, upload a file or give a web address.")]
    assert tree.get_element_by_id("id_title").value == "Mein Titel"
    assert tree.get_element_by_id("id_outlet").value == "Die Zeitung"
    assert not Article.objects.exists()


def test_a_bad_address_in_the_new_article_form_links_to_its_field(desk):
    response = desk.post(
        reverse("claims:desk-article-new"),
        {"title": "T", "text": "Ein Text.", "original_url": "javascript:alert(1)"},
    )
    assert response.status_code == 422
    _heading, items, tree = _summary(response)
    assert [href for href, _text in items] == ["#id_original_url"]
    assert tree.get_element_by_id("id_text").text_content().lstrip("\n") == "Ein Text."
    assert not Article.objects.exists()


def test_the_fetching_notice_is_hidden_until_a_fetch_starts(desk):
    tree = lxml.html.fromstring(desk.get(reverse("claims:desk-article-new")).content.decode())
    busy = tree.get_element_by_id("article-busy")
    assert busy.get("hidden") is not None
    assert "desk-busy" in busy.classes  # the class whose [hidden] beats Bootstrap's d-flex


# --- Revisions --------------------------------------------------------------------------------
def test_an_empty_new_text_gets_a_summary_and_no_revision(desk, article):
    url = reverse("claims:desk-article-revise", args=[article.pk])
    response = desk.post(url, {"text": ""})
    assert response.status_code == 422
    heading, items, _tree = _summary(response)
    assert items == [("#id_text", "New text: This field is required.")]
    assert heading == "Please fix 1 problem"
    assert ArticleRevision.objects.filter(article=article).count() == 1


def test_the_same_text_again_is_a_problem_at_the_text_and_the_text_stays(desk, article):
    url = reverse("claims:desk-article-revise", args=[article.pk])
    text = article.current_revision.text
    response = desk.post(url, {"text": text})
    assert response.status_code == 422
    _heading, items, tree = _summary(response)
    assert items == [("#id_text", "New text: This is the current text already; nothing changed.")]
    assert tree.get_element_by_id("id_text").text_content().strip() == text.strip()
    assert ArticleRevision.objects.filter(article=article).count() == 1


def test_the_revision_form_is_refused_to_a_moderator(client, moderator, article):
    client.force_login(moderator)
    response = client.post(reverse("claims:desk-article-revise", args=[article.pk]), {"text": ""})
    assert response.status_code == 403
    assert ArticleRevision.objects.filter(article=article).count() == 1


# --- Workflow forms on the review screen ------------------------------------------------------
@pytest.fixture
def in_review(editor):
    make_rating("True", 5)
    claim = make_ready_claim(editor, claim_reviewed="Nordkorea testet nicht")
    mark(claim, make_article("Nordkorea testet seit Jahren nicht."), 0, 9)
    claim.submit(by=editor)
    return claim


def test_requesting_changes_without_a_comment_links_to_the_comment(client, reviewer, in_review):
    client.force_login(reviewer)
    url = reverse("claims:desk-claim-request-changes", args=[in_review.pk])
    response = client.post(url, {"version": in_review.version, "comment": "  "})
    assert response.status_code == 422
    _heading, items, tree = _summary(response)
    assert [href for href, _text in items] == ["#decision-comment"]
    assert "Comment for the editor:" in items[0][1]
    assert tree.get_element_by_id("decision-comment") is not None
    in_review.refresh_from_db()
    assert in_review.status == Claim.Status.IN_REVIEW
    assert not in_review.reviews.exists()


def test_dismissing_without_a_reason_links_to_the_reason_in_german(client, editor):
    claim = make_claim(status=Claim.Status.DRAFT, author=editor)
    client.force_login(editor)
    url = _de(reverse("claims:desk-claim-dismiss", args=[claim.pk]))
    response = client.post(url, {"version": claim.version, "reason": ""})
    assert response.status_code == 422
    heading, items, tree = _summary(response)
    assert heading == "Bitte eine Angabe korrigieren"
    assert [href for href, _text in items] == ["#reason-reason"]
    assert tree.get_element_by_id("reason-form").getparent().get("open") is not None
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT


def test_a_workflow_form_refuses_a_get_and_a_moderator(client, moderator, in_review):
    url = reverse("claims:desk-claim-request-changes", args=[in_review.pk])
    client.force_login(moderator)
    assert client.get(url).status_code == 405
    assert client.post(url, {"version": in_review.version, "comment": "x"}).status_code == 403
    in_review.refresh_from_db()
    assert in_review.status == Claim.Status.IN_REVIEW


# --- The correction form ----------------------------------------------------------------------
def test_an_incomplete_correction_gets_a_summary_and_keeps_the_note(
    client, editor, reviewer, in_review
):
    in_review.approve(by=reviewer)
    in_review.publish(by=reviewer)
    correction = in_review.correction_start(by=editor, kind="correction", note="Alt.")
    in_review.refresh_from_db()
    client.force_login(editor)
    url = reverse("claims:desk-correction", args=[in_review.pk])
    response = client.post(
        url, {"version": in_review.version, "kind": "correction", "note": "Neue Zahlen."}
    )
    assert response.status_code == 422
    heading, items, tree = _summary(response)
    assert heading == "Please fix 2 problems"
    assert [href for href, _text in items] == ["#id_new_rating", "#id_new_conclusion"]
    assert tree.get_element_by_id("id_note").text_content().lstrip("\n") == "Neue Zahlen."
    correction.refresh_from_db()
    assert correction.note == "Alt."
    assert correction.status == Correction.Status.DRAFT


# --- Verdicts on the desk's highlights --------------------------------------------------------
def test_desk_highlights_write_their_verdict_in_words_outside_the_text(desk, editor):
    rating = Rating.objects.create(
        label="False", label_de="Falsch", slug="false", value=1, colour="#cc0000", position=1
    )
    article = make_article("Der Minister sagte etwas Falsches.")
    rated = make_claim(status=Claim.Status.DRAFT, rating=rating)
    mark(rated, article, 4, 12)
    unrated = make_claim(status=Claim.Status.DRAFT)
    mark(unrated, article, 13, 24)
    page = desk.get(_de(reverse("claims:desk-article", args=[article.pk]))).content.decode()
    tree = lxml.html.fromstring(page)
    first, second = tree.xpath('//*[@id="article-text"]//mark[@data-opens]')
    assert first.get("data-verdict") == "Falsch"
    assert first.get("aria-description") == "Urteil: Falsch"
    assert second.get("data-verdict") is None
    assert second.get("aria-description") == "Urteil: Nicht bewertet"
    # The runs hold the stored text and nothing else (desk.js counts offsets in it).
    assert tree.get_element_by_id("para-0").text_content() == article.current_revision.text
