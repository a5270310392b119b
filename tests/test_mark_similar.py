"""Marking a passage that repeats an existing claim: the panel first lists the similar
claims (any status), nothing is created until the editor links the passage to one or
marks a new claim anyway (``new=1``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, Mention
from tests.factories import make_article, make_claim, make_rating, mark

pytestmark = pytest.mark.django_db

TEXT = (
    "Der Bürgermeister sagte am Montag, die Arbeitslosigkeit in Bremen sei im Jahr 2023 "
    "um zwölf Prozent gesunken.\n\nDas Wetter war schön."
)
PASSAGE = "die Arbeitslosigkeit in Bremen sei im Jahr 2023 um zwölf Prozent gesunken"


def _mark(client, article, quote=PASSAGE, *, htmx=True, prefix="", **extra):
    start = article.current_revision.text.index(quote)
    data = {
        "revision": article.current_revision_id,
        "start": start,
        "end": start + len(quote),
        "exact": quote,
        **extra,
    }
    headers = {"HX-Request": "true"} if htmx else {}
    url = prefix + reverse("claims:desk-mark", args=[article.pk])
    return client.post(url, data, headers=headers)


@pytest.fixture
def repeated():
    """A published claim and a draft that the passage repeats, and an unrelated claim."""
    rating = make_rating(label="Falsch", slug="falsch", value=1)
    published = make_claim(
        claim_reviewed="Die Arbeitslosigkeit in Bremen ist 2023 um zwölf Prozent gesunken",
        rating=rating,
    )
    draft = make_claim(
        status=Claim.Status.DRAFT,
        claim_reviewed="Arbeitslosigkeit in Bremen 2023 gesunken, zwölf Prozent weniger",
    )
    make_claim(claim_reviewed="Der Hafen von Hamburg hat einen neuen Kran bekommen")
    return published, draft


def test_similar_claims_are_shown_and_nothing_is_created(desk, repeated):
    published, draft = repeated
    article = make_article(TEXT)
    before = (Claim.objects.count(), Mention.objects.count())
    response = _mark(desk, article)
    assert response.status_code == 200
    assert (Claim.objects.count(), Mention.objects.count()) == before
    html = response.content.decode()
    assert "2 similar claims already exist" in html
    assert f'id="similar-claim-{published.pk}"' in html
    assert f'id="similar-claim-{draft.pk}"' in html
    assert "Hamburg" not in html
    # The published one with its rating; the shared words of the selection marked.
    assert "Falsch" in html
    assert "<mark>Arbeitslosigkeit</mark>" in html
    assert "<mark>Bremen</mark>" in html
    # Link to each, or mark a new claim anyway: both carry the span.
    assert html.count(reverse("claims:desk-link", args=[article.pk])) >= 2
    assert 'name="new" value="1"' in html
    assert "Mark as a new claim anyway" in html
    assert 'id="desk-status" hx-swap-oob="innerHTML">2 similar claims already exist.' in html
    assert "<html" not in html


def test_the_similar_claims_are_in_german_for_a_german_desk(desk, repeated):
    article = make_article(TEXT)
    html = _mark(desk, article, prefix="/de").content.decode()
    assert "2 ähnliche Behauptungen gibt es bereits" in html
    assert "Trotzdem als neue Behauptung markieren" in html


def test_new_1_creates_the_claim(desk, editor, repeated):
    article = make_article(TEXT)
    count = Claim.objects.count()
    response = _mark(desk, article, new="1")
    assert response.status_code == 200
    assert Claim.objects.count() == count + 1
    mention = Mention.objects.latest("pk")
    assert mention.exact == PASSAGE
    assert mention.claim.author == editor
    assert 'id="id_claim_reviewed"' in response.content.decode()


def test_no_similar_claim_marks_at_once(desk):
    make_claim(claim_reviewed="Der Hafen von Hamburg hat einen neuen Kran bekommen")
    article = make_article(TEXT)
    response = _mark(desk, article)
    assert response.status_code == 200
    assert Mention.objects.get().exact == PASSAGE


def test_linking_from_the_list_links_the_passage(desk, repeated):
    _published, draft = repeated
    article = make_article(TEXT)
    html = _mark(desk, article).content.decode()
    start = TEXT.index(PASSAGE)
    response = desk.post(
        reverse("claims:desk-link", args=[article.pk]),
        {
            "revision": article.current_revision_id,
            "start": start,
            "end": start + len(PASSAGE),
            "exact": PASSAGE,
            "claim": draft.pk,
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert f'value="{draft.pk}"' in html
    mention = Mention.objects.get()
    assert (mention.claim, mention.start, mention.exact) == (draft, start, PASSAGE)


def test_a_claim_already_marked_on_exactly_this_passage_is_left_out(desk, repeated):
    published, draft = repeated
    article = make_article(TEXT)
    start = TEXT.index(PASSAGE)
    mark(published, article, start, start + len(PASSAGE))
    html = _mark(desk, article).content.decode()
    assert f'id="similar-claim-{published.pk}"' not in html
    assert f'id="similar-claim-{draft.pk}"' in html
    assert "1 similar claim already exists" in html


def test_a_draft_on_exactly_this_passage_is_returned_as_before(desk, repeated):
    article = make_article(TEXT)
    _mark(desk, article, new="1")
    count = Claim.objects.count()
    response = _mark(desk, article)
    assert Claim.objects.count() == count
    assert "already marked as a draft claim" in response.content.decode()


def test_claim_texts_are_escaped(desk):
    make_claim(
        claim_reviewed='<script>alert(1)</script> Arbeitslosigkeit in Bremen 2023 "gesunken"'
    )
    article = make_article(TEXT)
    html = _mark(desk, article).content.decode()
    assert "similar claim already exists" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_without_htmx_the_workspace_page_shows_the_similar_claims(desk, repeated):
    article = make_article(TEXT)
    response = _mark(desk, article, htmx=False)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert 'id="article-text"' in html
    assert "2 similar claims already exist" in html
    assert not Mention.objects.exists()


def test_a_bad_selection_is_still_refused_in_words(desk, repeated):
    article = make_article(TEXT)
    start = TEXT.index(PASSAGE)
    response = desk.post(
        reverse("claims:desk-mark", args=[article.pk]),
        {
            "revision": article.current_revision_id,
            "start": start,
            "end": start + len(PASSAGE),
            "exact": "something else",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert not Mention.objects.exists()


def test_who_may_not_mark_sees_no_similar_claims(client, repeated, moderator):
    article = make_article(TEXT)
    client.force_login(moderator)
    response = _mark(client, article)
    assert response.status_code in (403, 404)
    assert "similar claim" not in response.content.decode()


def test_reader_gets_no_similar_claims(client, repeated):
    article = make_article(TEXT)
    response = _mark(client, article)
    assert response.status_code in (302, 403, 404)
    assert not Mention.objects.exists()


def test_the_query_count_does_not_grow_with_the_claims(desk, repeated):
    article = make_article(TEXT)
    _mark(desk, article)  # warm the in-process index
    with CaptureQueriesContext(connection) as few:
        _mark(desk, article)
    for n in range(30):
        make_claim(claim_reviewed=f"Arbeitslosigkeit in Bremen {n} gesunken Prozent 2023")
    _mark(desk, article)  # the index is rebuilt once after the change
    with CaptureQueriesContext(connection) as many:
        response = _mark(desk, article)
    assert "3 similar claims already exist" in response.content.decode()
    assert len(many.captured_queries) <= len(few.captured_queries) <= 20
