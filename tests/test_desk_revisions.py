"""A new text for an article: revisions, re-anchoring of every passage, the re-anchor
review, the diff between revisions, and what the public sees afterwards."""

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Article, ArticleRevision, Claim, Mention
from tests.conftest import SEED_ARTICLE_SLUG, SEED_TEXT

pytestmark = pytest.mark.django_db

ARMISTICE = (
    "Trotz des Waffenstillstands von 1953 gilt aus völkerrechtlicher Sicht immer noch der "
    "Kriegszustand"
)


def _revise(client, article, text, **extra):
    return client.post(
        reverse("claims:desk-article-revise", args=[article.pk]), {"text": text, **extra}
    )


def test_new_text_with_an_insertion_keeps_every_passage(desk, article, editor):
    mentions_before = Mention.objects.filter(revision=article.current_revision).count()
    old_revision = article.current_revision
    new_text = "Vorbemerkung der Redaktion: Der Text wurde ergänzt.\n\n" + SEED_TEXT
    response = _revise(desk, article, new_text)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.current_revision.number == 2
    assert article.current_revision.created_by == editor
    assert ArticleRevision.objects.get(pk=old_revision.pk).text == old_revision.text  # kept
    moved = Mention.objects.filter(revision=article.current_revision)
    assert moved.count() == mentions_before
    for mention in moved:
        assert article.current_revision.text[mention.start : mention.end] == mention.exact
        assert mention.anchor in (Mention.Anchor.ANCHORED, Mention.Anchor.REANCHORED)
        assert mention.history.first().history_user == editor
    # The public page still highlights the published claims.
    html = desk.get(f"/articles/{SEED_ARTICLE_SLUG}/").content.decode()
    assert html.count('<mark class="claim-mark') == 5


def test_reworded_sentence_is_flagged_and_hidden_until_confirmed(
    desk, article, published, reviewer
):
    new_text = SEED_TEXT.replace("von 1953", "aus dem Jahr 1953")
    assert _revise(desk, article, new_text)["Location"].endswith(
        reverse("claims:desk-article-anchors", args=[article.pk])
    )
    mention = published.mentions.get()
    assert mention.anchor == Mention.Anchor.REANCHORED
    assert mention.quote_changed
    assert "aus dem Jahr 1953" in mention.exact
    assert mention.previous_exact == ARMISTICE
    review = desk.get(reverse("claims:desk-article-anchors", args=[article.pk])).content.decode()
    assert "Quoted text changed" in review
    assert ARMISTICE in review
    # Readers do not see a verdict on words it was not given on.
    public = desk.get(f"/articles/{SEED_ARTICLE_SLUG}/").content.decode()
    assert published.get_absolute_url() not in public.split("<main", 1)[1].split("<footer")[0]
    response = desk.post(
        reverse("claims:desk-mention-resolve", args=[mention.pk]), {"action": "confirm"}
    )
    assert response.status_code == 302
    mention.refresh_from_db()
    assert mention.anchor == Mention.Anchor.ANCHORED
    # New wording under a published verdict is a change readers would see: it waits for
    # a second person like a new appearance (issue #15), and the editor is told so.
    assert mention.awaiting == Mention.Awaiting.ADDITION
    assert "waits for a reviewer" in desk.get(response["Location"]).content.decode()
    public = desk.get(f"/articles/{SEED_ARTICLE_SLUG}/").content.decode()
    assert published.get_absolute_url() not in public.split("<main", 1)[1].split("<footer")[0]
    reviewer_client = Client()
    reviewer_client.force_login(reviewer)
    queue = reviewer_client.get(reverse("claims:desk-review-queue")).content.decode()
    assert "aus dem Jahr 1953" in queue
    approved = reviewer_client.post(reverse("claims:desk-mention-approve", args=[mention.pk]))
    assert approved.status_code in (200, 302)
    mention.refresh_from_db()
    assert mention.awaiting == Mention.Awaiting.NOTHING
    assert (
        published.get_absolute_url()
        in desk.get(f"/articles/{SEED_ARTICLE_SLUG}/").content.decode()
    )


def test_confirming_new_wording_of_a_draft_is_an_edit(desk, article, draft):
    """On a claim not yet public, confirming new wording makes earlier approvals lapse."""
    quote = draft.mentions.get().exact
    version = draft.version
    first, rest = quote.split(" ", 1)
    _revise(desk, article, SEED_TEXT.replace(quote, f"{first} wohl {rest}"))
    mention = draft.mentions.get()
    assert mention.quote_changed
    desk.post(reverse("claims:desk-mention-resolve", args=[mention.pk]), {"action": "confirm"})
    mention.refresh_from_db()
    draft.refresh_from_db()
    assert mention.anchor == Mention.Anchor.ANCHORED
    assert mention.awaiting == Mention.Awaiting.NOTHING
    assert draft.version == version + 1


def test_deleted_sentence_orphans_its_passage_and_the_public_page_says_so(
    desk, article, published, reviewer
):
    new_text = SEED_TEXT.replace(ARMISTICE + ",", "Das Verhältnis bleibt schwierig,")
    _revise(desk, article, new_text)
    mention = published.mentions.get()
    assert mention.anchor == Mention.Anchor.ORPHANED
    assert mention.revision.number == 1  # left on the revision it was checked against
    public = desk.get(f"/articles/{SEED_ARTICLE_SLUG}/").content.decode()
    assert "This article was updated on" in public
    old_page = f"/articles/{SEED_ARTICLE_SLUG}/revisions/1/"
    assert old_page in public
    old = desk.get(old_page)
    assert old.status_code == 200
    assert published.get_absolute_url() in old.content.decode()
    # Readers see the passage on the earlier text: detaching it is a removal a second
    # person approves (issue #15); then the passage is gone and the claim stays.
    desk.post(reverse("claims:desk-mention-resolve", args=[mention.pk]), {"action": "detach"})
    mention.refresh_from_db()
    assert mention.awaiting == Mention.Awaiting.REMOVAL
    published.approve_appearance(by=reviewer, mention=mention)
    assert not Mention.objects.filter(pk=mention.pk).exists()
    assert Claim.objects.filter(pk=published.pk).exists()


def test_same_text_is_refused_and_nothing_is_made(desk, article):
    response = _revise(desk, article, SEED_TEXT)
    assert response.status_code == 422
    assert "current text already" in response.content.decode()
    assert article.revisions.count() == 1


def test_empty_or_binary_text_is_refused_with_words(desk, article):
    assert _revise(desk, article, "   ").status_code == 422
    response = _revise(desk, article, "Text\x00mit Nullbyte")
    assert response.status_code in (200, 302, 422)  # cleaned or refused, never a 500
    assert article.revisions.count() in (1, 2)


def test_diff_between_revisions(desk, article):
    _revise(desk, article, SEED_TEXT.replace("von 1953", "aus dem Jahr 1953"))
    url = reverse("claims:desk-article-revisions", args=[article.pk])
    html = desk.get(url, {"a": 1, "b": 2}).content.decode()
    assert '<del class="diff-del">' in html
    assert "aus dem Jahr" in html
    assert desk.get(url, {"a": 1, "b": 9}).status_code == 404
    assert desk.get(url, {"a": "x", "b": "1"}).status_code == 200


def test_resolving_a_passage_that_needs_nothing_is_404(desk, article, published):
    mention = published.mentions.get()
    response = desk.post(
        reverse("claims:desk-mention-resolve", args=[mention.pk]), {"action": "detach"}
    )
    assert response.status_code == 404
    assert Mention.objects.filter(pk=mention.pk).exists()


def test_public_revision_page_hides_drafts_and_unknown_numbers(reader, article, draft):
    assert reader.get(f"/articles/{SEED_ARTICLE_SLUG}/revisions/1/").status_code == 200
    assert reader.get(f"/articles/{SEED_ARTICLE_SLUG}/revisions/7/").status_code == 404
    html = reader.get(f"/articles/{SEED_ARTICLE_SLUG}/revisions/1/").content.decode()
    assert draft.get_absolute_url() not in html
    article.status = Article.Status.DRAFT
    article.save()  # (signals drop the cached page)
    assert reader.get(f"/articles/{SEED_ARTICLE_SLUG}/revisions/1/").status_code == 404
