"""Articles reach readers from the desk: an article becomes public with its first published
claim or by a reviewer's action, is unpublished with a reason (410, gone from every public
route), and its metadata is edited on the desk with history. Also "Approve and publish"
in one step, and what the dashboard says about it all."""

import json
import re

import pytest
from django.urls import reverse

from claims.models import Article, Claim, Review
from tests.factories import make_article, make_claim, make_rating, make_ready_claim, mark

pytestmark = pytest.mark.django_db

TEXT = "Nordkorea testet seit Jahren nicht.\n\nEin zweiter Absatz."


@pytest.fixture
def draft_article(editor):
    article = make_article(TEXT, status=Article.Status.DRAFT, created_by=editor)
    article.refresh_from_db()
    return article


@pytest.fixture
def claim_in_review(editor, draft_article):
    make_rating("True", 5)
    claim = make_ready_claim(editor, claim_reviewed="Nordkorea testet nicht")
    mark(claim, draft_article, 0, 9)
    claim.submit(by=editor)
    return claim


def _post(client, name, pk, **data):
    return client.post(reverse(f"claims:{name}", args=[pk]), data)


def _approve_and_publish(client, claim):
    return _post(client, "desk-claim-approve-publish", claim.pk, version=claim.version, comment="")


def _workspace(client, article) -> str:
    return client.get(reverse("claims:desk-article", args=[article.pk])).content.decode()


# --- Publication with the first claim ------------------------------------------------------
def test_review_screen_says_the_article_becomes_public_before_the_click(
    client, reviewer, claim_in_review, draft_article
):
    client.force_login(reviewer)
    page = client.get(reverse("claims:desk-claim-review", args=[claim_in_review.pk]))
    html = page.content.decode()
    assert f"Publishing also makes the article “{draft_article.title}” public." in html
    assert 'aria-describedby="publishes-article"' in html


def test_approve_and_publish_makes_the_article_public_in_one_click(
    client, reviewer, claim_in_review, draft_article
):
    client.force_login(reviewer)
    response = _approve_and_publish(client, claim_in_review)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Approved and published." in page
    assert f"The article “{draft_article.title}” is now public." in page
    draft_article.refresh_from_db()
    claim_in_review.refresh_from_db()
    assert claim_in_review.status == Claim.Status.PUBLISHED
    assert draft_article.status == Article.Status.PUBLISHED
    assert draft_article.published_at is not None
    record = draft_article.history.latest()
    assert record.history_user == reviewer
    assert claim_in_review.slug in record.history_change_reason
    # Readers now find the article, with the claim highlighted in it.
    client.logout()
    assert draft_article.title in client.get(reverse("claims:articles")).content.decode()
    public = client.get(draft_article.get_absolute_url()).content.decode()
    assert claim_in_review.get_absolute_url() in public


def test_approve_and_publish_is_all_or_nothing(
    settings, client, reviewer, claim_in_review, draft_article
):
    """A forged "approve and publish" that cannot publish (more approvals needed) saves
    nothing, not even the approval."""
    settings.FACTCHECK_REQUIRED_APPROVALS = 2
    client.force_login(reviewer)
    response = _approve_and_publish(client, claim_in_review)
    assert response.status_code == 422
    assert "Publishing needs 2 approvals" in response.content.decode()
    assert "with yours it would have 1" in response.content.decode()
    assert not Review.objects.exists()
    claim_in_review.refresh_from_db()
    draft_article.refresh_from_db()
    assert claim_in_review.status == Claim.Status.IN_REVIEW
    assert draft_article.status == Article.Status.DRAFT


def test_approve_and_publish_is_refused_when_publishing_is_a_separate_step(
    settings, client, reviewer, claim_in_review, draft_article
):
    settings.FACTCHECK_PUBLISH_ON_APPROVAL = False
    client.force_login(reviewer)
    response = _approve_and_publish(client, claim_in_review)
    assert response.status_code == 403
    assert "publishing is a separate step" in response.content.decode()
    assert not Review.objects.exists()
    claim_in_review.refresh_from_db()
    assert claim_in_review.status == Claim.Status.IN_REVIEW


def test_approve_and_publish_keeps_four_eyes(client, reviewer, draft_article):
    make_rating("True", 5)
    own = make_ready_claim(reviewer)
    mark(own, draft_article, 0, 9)
    own.submit(by=reviewer)
    client.force_login(reviewer)
    response = _approve_and_publish(client, own)
    assert response.status_code == 403
    own.refresh_from_db()
    draft_article.refresh_from_db()
    assert own.status == Claim.Status.IN_REVIEW
    assert draft_article.status == Article.Status.DRAFT
    assert not Review.objects.exists()


def test_get_on_a_post_only_article_url_is_refused(client, reviewer, draft_article):
    client.force_login(reviewer)
    for name in ("desk-article-publish", "desk-claim-approve-publish"):
        pk = draft_article.pk
        assert client.get(reverse(f"claims:{name}", args=[pk])).status_code == 405


def test_publishing_a_claim_does_not_bring_back_an_unpublished_article(
    client, editor, reviewer, reviewer2, draft_article
):
    draft_article.publish(by=reviewer)
    draft_article.unpublish(by=reviewer, reason="Rechtliche Prüfung")
    make_rating("True", 5)
    claim = make_ready_claim(editor)
    mark(claim, draft_article, 0, 9)
    claim.submit(by=editor)
    client.force_login(reviewer2)
    review = client.get(reverse("claims:desk-claim-review", args=[claim.pk])).content.decode()
    assert "Publishing also makes the article" not in review
    claim.approve_publish(by=reviewer2, version=claim.version)
    draft_article.refresh_from_db()
    assert draft_article.status == Article.Status.WITHDRAWN
    # ...and the dashboard points at the published claim without its article.
    dashboard = client.get(reverse("claims:desk")).content.decode()
    assert "Published claims whose article is not public" in dashboard
    assert claim.claim_reviewed in dashboard


# --- The workspace says where the article stands ----------------------------------------
def test_workspace_tells_editors_who_can_publish(client, editor, draft_article):
    client.force_login(editor)
    html = _workspace(client, draft_article)
    assert "Readers can&#x27;t see this article yet." in html or (
        "Readers can't see this article yet." in html
    )
    assert "reviewers can also publish it now" in html
    assert reverse("claims:desk-article-publish", args=[draft_article.pk]) not in html


def test_reviewer_publishes_and_unpublishes_from_the_workspace(client, reviewer, draft_article):
    client.force_login(reviewer)
    publish_url = reverse("claims:desk-article-publish", args=[draft_article.pk])
    assert publish_url in _workspace(client, draft_article)
    response = client.post(publish_url)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Readers can see this article." in html
    assert draft_article.get_absolute_url() in html
    draft_article.refresh_from_db()
    assert draft_article.status == Article.Status.PUBLISHED
    assert draft_article.history.latest().history_user == reviewer

    response = _post(client, "desk-article-unpublish", draft_article.pk, reason="Klage droht")
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Unpublished: readers see a notice that the article was withdrawn." in html
    assert "Klage droht" in html
    draft_article.refresh_from_db()
    assert draft_article.status == Article.Status.WITHDRAWN
    assert draft_article.withdrawal_reason == "Klage droht"
    assert draft_article.history.latest().history_user == reviewer


def test_unpublishing_needs_a_reason_and_a_reviewer(client, editor, reviewer, draft_article):
    draft_article.publish(by=reviewer)
    client.force_login(reviewer)
    url = reverse("claims:desk-article-unpublish", args=[draft_article.pk])
    assert 'name="reason"' in client.get(url).content.decode()
    response = _post(client, "desk-article-unpublish", draft_article.pk, reason="   ")
    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="alert alert-danger error-summary"' in html
    assert "Say why the article is unpublished." in html
    too_long = "Rechtlich heikel. " * 200
    response = _post(client, "desk-article-unpublish", draft_article.pk, reason=too_long)
    assert response.status_code == 422
    assert "at most 2000 characters" in response.content.decode()
    assert too_long.strip()[:100] in response.content.decode()  # kept as typed
    draft_article.refresh_from_db()
    assert draft_article.status == Article.Status.PUBLISHED
    client.force_login(editor)
    assert client.get(url).status_code == 403
    response = _post(client, "desk-article-unpublish", draft_article.pk, reason="Weil.")
    assert response.status_code == 403
    assert _post(client, "desk-article-publish", draft_article.pk).status_code == 403
    draft_article.refresh_from_db()
    assert draft_article.status == Article.Status.PUBLISHED


# --- Unpublished: gone from every public route --------------------------------------------
@pytest.fixture
def withdrawn_world(client, editor, reviewer, reviewer2):
    """A public article with a published claim that also appears in a second public
    article; then the first article is unpublished."""
    rating = make_rating("True", 5)
    gone = make_article(TEXT, title="Zurückgezogener Artikel", slug="zurueckgezogen")
    kept = make_article(TEXT, title="Bleibender Artikel", slug="bleibend")
    claim = make_claim(rating=rating, claim_reviewed="Nordkorea testet nicht", slug="nk")
    mark(claim, gone, 0, 9)
    mark(claim, kept, 0, 9)
    # Public first, and in the cache: the change must reach every cached page.
    urls = ("/", "/articles/", "/sitemap-articles.xml", f"/claims/{claim.slug}/", "/de/articles/")
    for url in urls:
        body = client.get(url).content.decode()
        assert f"/articles/{gone.slug}/" in body, url
    assert client.get(f"/articles/{gone.slug}/").status_code == 200
    gone.unpublish(by=reviewer, reason="Rechtliche Prüfung")
    return gone, kept, claim


def test_unpublished_article_is_gone_from_every_public_route(client, withdrawn_world):
    gone, kept, claim = withdrawn_world
    # Paths spelled out: get_absolute_url() follows the language of the last request.
    gone_url, claim_url = f"/articles/{gone.slug}/", f"/claims/{claim.slug}/"
    assert kept.is_public
    for prefix in ("", "/de"):
        response = client.get(prefix + gone_url)
        assert response.status_code == 410
        body = response.content.decode()
        assert "Zurückgezogener Artikel" not in body
        assert "Rechtliche Prüfung" not in body
        page = client.get(prefix + claim_url).content.decode()
        assert "Zurückgezogener Artikel" not in page
        assert "Bleibender Artikel" in page
    page = client.get(claim_url).content.decode()
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', page, re.S).group(1))
    appearances = json.dumps(data["itemReviewed"].get("appearance", []))
    assert "zurueckgezogen" not in appearances
    for url in ("/", "/articles/", "/sitemap-articles.xml", "/de/articles/"):
        body = client.get(url).content.decode()
        assert "Zurückgezogener Artikel" not in body, url
        assert "/articles/zurueckgezogen/" not in body, url
    assert "Bleibender Artikel" in client.get("/articles/").content.decode()


def test_article_never_public_stays_404(client, draft_article):
    assert client.get(draft_article.get_absolute_url()).status_code == 404


# --- Metadata on the desk --------------------------------------------------------------------
def _metadata(article: Article, **changes) -> dict:
    data = {
        "updated": article.updated_at.isoformat(),
        "title": article.title,
        "slug": article.slug,
        "outlet": article.outlet,
        "byline": article.byline,
        "original_url": article.original_url,
        "published_on": "2019-02-28",
        "language": article.language,
    }
    return data | changes


def test_editor_edits_the_metadata_with_history(client, editor, draft_article):
    client.force_login(editor)
    url = reverse("claims:desk-article-edit", args=[draft_article.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _metadata(draft_article, title="Neuer Titel", outlet="Tagesblatt"))
    assert response.status_code == 302
    draft_article.refresh_from_db()
    assert (draft_article.title, draft_article.outlet) == ("Neuer Titel", "Tagesblatt")
    record = draft_article.history.latest()
    assert record.history_user == editor
    page = client.get(url).content.decode()
    assert "Tagesblatt" in page
    assert "<ins>Neuer Titel</ins>" in page


def test_metadata_edit_refuses_bad_input_and_keeps_it(client, editor, draft_article):
    client.force_login(editor)
    url = reverse("claims:desk-article-edit", args=[draft_article.pk])
    response = client.post(
        url, _metadata(draft_article, original_url="javascript:alert(1)", language="deutsch!")
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'href="#id_original_url"' in html
    assert "javascript:alert(1)" in html  # kept as typed, escaped in the form
    draft_article.refresh_from_db()
    assert draft_article.original_url == ""


def test_metadata_edit_conflict_keeps_both_changes_visible(client, editor, editor2, draft_article):
    stale = _metadata(draft_article, title="Meine Fassung")
    client.force_login(editor2)
    client.post(
        reverse("claims:desk-article-edit", args=[draft_article.pk]),
        _metadata(draft_article, title="Ihre Fassung"),
    )
    client.force_login(editor)
    response = client.post(reverse("claims:desk-article-edit", args=[draft_article.pk]), stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this article" in html
    assert 'value="Meine Fassung"' in html
    draft_article.refresh_from_db()
    assert draft_article.title == "Ihre Fassung"


def test_slug_is_editable_until_the_first_publication(client, editor, reviewer, draft_article):
    client.force_login(editor)
    url = reverse("claims:desk-article-edit", args=[draft_article.pk])
    assert 'name="slug"' in client.get(url).content.decode()
    client.post(url, _metadata(draft_article, slug="neue-adresse"))
    draft_article.refresh_from_db()
    assert draft_article.slug == "neue-adresse"
    draft_article.publish(by=reviewer)
    assert 'name="slug"' not in client.get(url).content.decode()
    draft_article.refresh_from_db()
    response = client.post(url, _metadata(draft_article, slug="gefaelscht", title="T2"))
    assert response.status_code == 302
    draft_article.refresh_from_db()
    assert draft_article.slug == "neue-adresse"  # a forged slug is ignored
    assert draft_article.title == "T2"


def test_admin_cannot_change_whether_readers_see_an_article(client, superuser, draft_article):
    client.force_login(superuser)
    url = reverse("admin:claims_article_change", args=[draft_article.pk])
    html = client.get(url).content.decode()
    assert 'name="status"' not in html
    # A forged post with a status is ignored; the rest of the form saves.
    response = client.post(
        url,
        {
            "title": "Im Admin geändert",
            "slug": draft_article.slug,
            "outlet": "",
            "original_url": "",
            "byline": "",
            "published_on": "",
            "language": "de",
            "status": "published",
            "published_at_0": "2019-01-01",
            "published_at_1": "10:00",
            "current_revision": draft_article.current_revision_id,
            "created_by": "",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    draft_article.refresh_from_db()
    assert draft_article.title == "Im Admin geändert"
    assert draft_article.status == Article.Status.DRAFT
    assert draft_article.published_at is None


def test_a_public_articles_slug_never_changes(client, superuser, reviewer, draft_article):
    draft_article.publish(by=reviewer)
    client.force_login(superuser)
    url = reverse("admin:claims_article_change", args=[draft_article.pk])
    assert 'name="slug"' not in client.get(url).content.decode()
    draft_article.slug = "anders"
    with pytest.raises(ValueError, match="slug never changes"):
        draft_article.save()


# --- Dashboard --------------------------------------------------------------------------------
def test_dashboard_counters_link_to_their_lists(client, editor):
    make_claim(status=Claim.Status.DRAFT, claim_reviewed="Ein Entwurf")
    client.force_login(editor)
    html = client.get(reverse("claims:desk")).content.decode()
    list_url = reverse("claims:desk-claims") + "?status=draft"
    assert f'href="{list_url}"' in html
    assert f'href="{reverse("claims:desk-review-queue")}"' in html
    assert "<dl" not in html.split('id="counts-heading"')[1].split("</section>")[0]
    drafts = client.get(list_url).content.decode()
    assert "Ein Entwurf" in drafts
    assert "Draft: 1 claim" in drafts


def test_no_zero_badge_for_an_empty_review_queue(client, reviewer):
    client.force_login(reviewer)
    html = client.get(reverse("claims:desk")).content.decode()
    nav = html.split('id="nav-review-queue"')[1].split("</a>")[0]
    assert "badge" not in nav


def test_review_screen_offers_the_next_claim_in_the_queue(
    client, editor, editor2, reviewer, claim_in_review
):
    other = make_ready_claim(editor2, claim_reviewed="Der nächste Fall")
    other.submit(by=editor2)
    client.force_login(reviewer)
    html = client.get(reverse("claims:desk-claim-review", args=[claim_in_review.pk])).content
    html = html.decode()
    assert "Review queue: 2 waiting" in html
    assert reverse("claims:desk-claim-review", args=[other.pk]) in html
    claim_in_review.approve_publish(by=reviewer, version=claim_in_review.version)
    html = client.get(reverse("claims:desk-claim-review", args=[claim_in_review.pk])).content
    assert "Review queue: 1 waiting" in html.decode()
