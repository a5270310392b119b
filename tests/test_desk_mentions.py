"""Passages of claims: link one to an existing claim, widen or narrow it, remove it."""

import pytest
from django.urls import reverse

from claims.models import Article, ArticleRevision, Claim, Mention
from tests.factories import make_article, make_claim, mark, mark_quote

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NEW_TEXT = (
    "Auch die Zeitung schreibt, der Kriegszustand gelte trotz des Waffenstillstands fort.\n\n"
    "Ein zweiter Absatz ohne Behauptung."
)
PASSAGE = "der Kriegszustand gelte trotz des Waffenstillstands fort"


@pytest.fixture
def new_article(seeded):
    return make_article(NEW_TEXT, status=Article.Status.DRAFT, title="Zweiter Artikel")


def _state() -> tuple:
    mentions = Mention.objects.order_by("pk").values_list(
        "pk", "claim_id", "start", "end", "exact"
    )
    return (tuple(mentions), Claim.objects.count())


def _panel(article, claim) -> str:
    return reverse("claims:desk-claim", args=[article.pk, claim.pk])


# --- Link ---------------------------------------------------------------------------------
def _link(client, article, claim_pk, start, end, exact, *, revision=None, htmx=True):
    data = {
        "revision": revision or article.current_revision_id,
        "start": start,
        "end": end,
        "exact": exact,
        "claim": claim_pk,
    }
    headers = HTMX if htmx else {}
    return client.post(reverse("claims:desk-link", args=[article.pk]), data, **headers)


def test_linking_a_passage_of_a_new_article_to_an_existing_claim(
    desk, editor, new_article, published
):
    start = NEW_TEXT.index(PASSAGE)
    end = start + len(PASSAGE)
    claims_before = Claim.objects.count()
    response = _link(desk, new_article, published.pk, start, end, PASSAGE)
    assert response.status_code == 200
    mention = Mention.objects.get(revision=new_article.current_revision)
    assert mention.claim == published
    assert (mention.start, mention.end, mention.exact) == (start, end, PASSAGE)
    assert mention.prefix == NEW_TEXT[:start][-32:]
    assert mention.suffix == NEW_TEXT[end : end + 32]
    assert mention.created_by == editor
    assert mention.history.get().history_user == editor
    assert Claim.objects.count() == claims_before  # no new claim
    assert published.mentions.count() == 2  # the seeded one and this one
    # A published claim: the new appearance waits for a second person's approval.
    assert mention.awaiting == Mention.Awaiting.ADDITION
    assert mention.requested_by == editor
    html = response.content.decode()
    assert "<html" not in html
    assert "Passage linked. Readers see it once a reviewer approves it." in html
    assert "Waiting for review" in html
    assert 'id="para-0" class="desk-paragraph"' in html
    assert 'id="para-1"' not in html
    assert response["HX-Push-Url"] == _panel(new_article, published)
    # The claim is now in the new article's list and its panel opens there.
    assert desk.get(_panel(new_article, published)).status_code == 200


def test_linking_the_same_passage_again_changes_nothing(desk, new_article, published):
    start = NEW_TEXT.index(PASSAGE)
    args = (new_article, published.pk, start, start + len(PASSAGE), PASSAGE)
    assert _link(desk, *args).status_code == 200
    after_first = _state()
    response = _link(desk, *args)
    assert response.status_code == 200
    assert _state() == after_first
    assert Mention.objects.filter(revision=new_article.current_revision).count() == 1


def test_linking_to_an_unknown_claim_is_404(desk, new_article):
    before = _state()
    start = NEW_TEXT.index(PASSAGE)
    response = _link(desk, new_article, 999_999, start, start + len(PASSAGE), PASSAGE)
    assert response.status_code == 404
    assert _state() == before


def test_linking_on_a_stale_revision_is_409(desk, new_article, published):
    before = _state()
    start = NEW_TEXT.index(PASSAGE)
    stale = ArticleRevision.objects.create(article=new_article, number=2, text=NEW_TEXT)
    old_revision = new_article.current_revision_id
    new_article.current_revision = stale
    new_article.save()
    response = _link(
        desk,
        new_article,
        published.pk,
        start,
        start + len(PASSAGE),
        PASSAGE,
        revision=old_revision,
    )
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#desk-alert"
    assert "changed since you opened it" in response.content.decode()
    assert _state() == before


def test_linking_with_a_quote_that_does_not_match_is_400(desk, new_article, published):
    before = _state()
    start = NEW_TEXT.index(PASSAGE)
    response = _link(
        desk, new_article, published.pk, start, start + len(PASSAGE), "etwas ganz anderes"
    )
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#desk-alert"
    assert "no longer matches" in response.content.decode()
    assert _state() == before


def test_link_is_post_only_and_for_the_desk(client, editor, moderator, new_article, published):
    url = reverse("claims:desk-link", args=[new_article.pk])
    client.force_login(editor)
    assert client.get(url).status_code == 405
    client.force_login(moderator)
    before = _state()
    start = NEW_TEXT.index(PASSAGE)
    response = _link(client, new_article, published.pk, start, start + len(PASSAGE), PASSAGE)
    assert response.status_code == 403
    assert _state() == before


# --- Adjust -------------------------------------------------------------------------------
def _adjust(client, mention, edge, direction, *, htmx=True):
    headers = HTMX if htmx else {}
    return client.post(
        reverse("claims:desk-mention-adjust", args=[mention.pk]),
        {"move": f"{direction}-{edge}"},
        **headers,
    )


def test_widening_the_end_takes_in_the_next_word(desk, editor, article, draft):
    mention = draft.mentions.get()
    text = article.current_revision.text
    start, end = mention.start, mention.end
    assert text[end:].startswith(". Auch Trump")
    response = _adjust(desk, mention, "end", "widen")
    assert response.status_code == 200
    assert "Passage changed." in response.content.decode()
    mention.refresh_from_db()
    new_end = end + len(". Auch")
    assert (mention.start, mention.end) == (start, new_end)
    assert mention.exact == text[start:new_end]
    assert mention.exact.endswith("sagte Kim. Auch")
    assert mention.suffix == text[new_end : new_end + 32]
    assert mention.prefix == text[start - 32 : start]
    assert mention.history.latest("history_date").history_user == editor


def test_narrowing_the_start_drops_the_first_word(desk, editor, article, draft):
    mention = draft.mentions.get()
    text = article.current_revision.text
    start, end = mention.start, mention.end
    assert text[start:].startswith("Ein mögliches Verbindungsbüro")
    response = _adjust(desk, mention, "start", "narrow")
    assert response.status_code == 200
    mention.refresh_from_db()
    assert (mention.start, mention.end) == (start + len("Ein "), end)
    assert mention.exact.startswith("mögliches Verbindungsbüro")
    assert mention.prefix == text[mention.start - 32 : mention.start]
    assert mention.history.latest("history_date").history_user == editor


def test_passage_cannot_grow_past_its_paragraph(desk):
    small = make_article("Erster Absatz.\n\nZweiter Absatz.", status=Article.Status.DRAFT)
    claim = make_claim(status=Claim.Status.DRAFT)
    mention = mark_quote(claim, small, "Absatz")  # the first one
    assert _adjust(desk, mention, "end", "widen").status_code == 400  # only "." is left
    assert _adjust(desk, mention, "start", "widen").status_code == 200
    mention.refresh_from_db()
    assert (mention.start, mention.end, mention.exact) == (0, 13, "Erster Absatz")
    before = _state()
    response = _adjust(desk, mention, "start", "widen")
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#desk-alert"
    assert "cannot be changed further" in response.content.decode()
    assert _state() == before


def test_one_word_passage_cannot_be_narrowed(desk):
    small = make_article("Erster Absatz.\n\nZweiter Absatz.", status=Article.Status.DRAFT)
    mention = mark(make_claim(status=Claim.Status.DRAFT), small, 0, 6)
    before = _state()
    for edge in ("start", "end"):
        response = _adjust(desk, mention, edge, "narrow")
        assert response.status_code == 400, edge
        assert "cannot be changed further" in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize(
    "move", ["widen-middle", "sideways-end", "-", "", "WIDEN-START", "widen-start-end", None]
)
def test_invalid_move_is_400(desk, draft, move):
    before = _state()
    response = desk.post(
        reverse("claims:desk-mention-adjust", args=[draft.mentions.get().pk]),
        {} if move is None else {"move": move},
        **HTMX,
    )
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
    assert _state() == before


def test_published_claims_passage_cannot_be_adjusted(desk, published):
    before = _state()
    assert _adjust(desk, published.mentions.get(), "end", "widen").status_code == 403
    assert _state() == before


def test_passage_in_an_old_revision_cannot_be_adjusted(desk, editor):
    old = make_article("Alpha Beta Gamma.\n\nDelta.", status=Article.Status.DRAFT)
    mention = mark(make_claim(status=Claim.Status.DRAFT), old, 0, 5)
    newer = ArticleRevision.objects.create(article=old, number=2, text="Alpha Beta.\n\nDelta.")
    old.current_revision = newer
    old.save()
    before = _state()
    response = _adjust(desk, mention, "end", "widen")
    assert response.status_code == 409
    assert _state() == before


def test_adjust_is_post_only_and_for_the_desk(client, editor, moderator, draft):
    mention = draft.mentions.get()
    client.force_login(editor)
    url = reverse("claims:desk-mention-adjust", args=[mention.pk])
    assert client.get(url).status_code == 405
    client.force_login(moderator)
    before = _state()
    assert _adjust(client, mention, "end", "widen").status_code == 403
    assert _state() == before


# --- Delete -------------------------------------------------------------------------------
def _delete_url(mention) -> str:
    return reverse("claims:desk-mention-delete", args=[mention.pk])


def test_confirmation_offers_to_delete_the_claim_with_its_last_passage(desk, draft):
    before = _state()
    response = desk.get(_delete_url(draft.mentions.get()), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="confirm-delete"' in html
    assert 'class="btn btn-sm btn-danger">Remove the passage</button>' in html
    assert "Remove the passage and delete the claim</button>" in html
    assert 'name="delete_claim" value="1"' in html
    assert _state() == before


def test_confirmation_keeps_the_claim_when_it_has_other_passages(desk, article, draft):
    mention = draft.mentions.get()
    mark_quote(draft, article, "Es wird spekuliert")
    html = desk.get(_delete_url(mention)).content.decode()
    assert 'id="confirm-delete"' in html
    assert 'class="btn btn-sm btn-danger">Remove the passage</button>' in html
    assert 'name="delete_claim"' not in html


def test_removing_a_passage_keeps_the_claim(desk, editor, article, draft):
    mention = draft.mentions.get()
    response = desk.post(_delete_url(mention), **HTMX)
    assert response.status_code == 200
    assert "Passage removed." in response.content.decode()
    assert not Mention.objects.filter(pk=mention.pk).exists()
    assert Claim.objects.filter(pk=draft.pk).exists()
    assert Mention.history.filter(id=mention.pk, history_type="-").get().history_user == editor
    assert Mention.objects.count() == 7  # the other demo passages are untouched


def test_after_removing_the_last_passage_the_pushed_url_still_opens(desk, article, draft):
    """The kept claim is no longer marked in the article: the URL the page moves to must work."""
    response = desk.post(_delete_url(draft.mentions.get()), **HTMX)
    assert response.status_code == 200
    assert desk.get(response["HX-Push-Url"]).status_code == 200


def test_without_htmx_removing_the_last_passage_lands_on_a_page_that_opens(desk, draft):
    response = desk.post(_delete_url(draft.mentions.get()), follow=True)
    assert response.status_code == 200
    assert not draft.mentions.exists()


def test_removing_the_last_passage_with_its_draft_claim(desk, editor, article, draft):
    mention = draft.mentions.get()
    response = desk.post(_delete_url(mention), {"delete_claim": "1"}, **HTMX)
    assert response.status_code == 200
    assert "Passage and claim removed." in response.content.decode()
    assert not Mention.objects.filter(pk=mention.pk).exists()
    assert not Claim.objects.filter(pk=draft.pk).exists()
    assert Claim.history.filter(id=draft.pk, history_type="-").get().history_user == editor
    assert response["HX-Push-Url"] == reverse("claims:desk-article", args=[article.pk])
    assert Claim.objects.count() == 7


def test_delete_claim_is_ignored_while_the_claim_has_other_passages(desk, article, draft):
    mention = draft.mentions.get()
    other = mark_quote(draft, article, "Es wird spekuliert")
    response = desk.post(_delete_url(mention), {"delete_claim": "1"}, **HTMX)
    assert response.status_code == 200
    assert not Mention.objects.filter(pk=mention.pk).exists()
    assert Claim.objects.filter(pk=draft.pk).exists()
    assert list(draft.mentions.all()) == [other]


def test_removing_a_published_claims_passage_asks_a_reviewer(desk, editor, published):
    """Readers see the passage: the editor's removal is a request a second person decides
    (tests/test_appearance_review.py), the passage stays meanwhile."""
    mention = published.mentions.get()
    before = _state()
    page = desk.get(_delete_url(mention), **HTMX)
    assert page.status_code == 200
    assert "Readers see it until a reviewer approves the removal." in page.content.decode()
    response = desk.post(_delete_url(mention), {"delete_claim": "1"}, **HTMX)
    assert response.status_code == 200
    assert "Removal requested" in response.content.decode()
    assert _state() == before
    mention.refresh_from_db()
    assert (mention.awaiting, mention.requested_by) == (Mention.Awaiting.REMOVAL, editor)


def test_moderator_cannot_remove_a_passage(client, moderator, draft):
    client.force_login(moderator)
    before = _state()
    assert client.post(_delete_url(draft.mentions.get())).status_code == 403
    assert _state() == before


def test_delete_refuses_other_methods(desk, draft):
    before = _state()
    assert desk.put(_delete_url(draft.mentions.get())).status_code == 405
    assert _state() == before
