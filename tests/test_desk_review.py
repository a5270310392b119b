"""The review queue, the review screen, transitions through the UI (and crafted POSTs),
corrections end to end, the timeline and notifications."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, ClaimEvent, Correction, Review
from tests.factories import add_source, make_article, make_rating, make_ready_claim, mark

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(editor):
    make_rating("True", 5)
    claim = make_ready_claim(editor, claim_reviewed="Nordkorea testet nicht")
    mark(claim, make_article("Nordkorea testet seit Jahren nicht."), 0, 9)
    return claim


def _post(client, name, claim, **data):
    return client.post(reverse(f"claims:{name}", args=[claim.pk]), data)


def test_queue_lists_claims_in_review_oldest_first_with_submitter(
    client, editor, editor2, reviewer, claim
):
    later = make_ready_claim(editor2, claim_reviewed="Später eingereicht")
    claim.submit(by=editor)
    later.submit(by=editor2)
    make_ready_claim(editor, claim_reviewed="Noch ein Entwurf")
    client.force_login(reviewer)
    html = client.get(reverse("claims:desk-review-queue")).content.decode()
    assert html.index("Nordkorea testet nicht") < html.index("Später eingereicht")
    assert "Noch ein Entwurf" not in html
    assert "editor2" in html
    # Reviewers see the queue count on every desk page.
    assert (
        '<span class="badge text-bg-warning">2<'
        in client.get(reverse("claims:desk")).content.decode()
    )


def test_reviewer_approves_and_publishes_through_the_review_screen(
    client, editor, reviewer, claim
):
    claim.submit(by=editor)
    client.force_login(reviewer)
    page = client.get(reverse("claims:desk-claim-review", args=[claim.pk])).content.decode()
    assert "This is the first review round." in page
    assert "Nordkorea</mark>" in page  # the mention in its context
    # One approval completes the quota: one click approves and publishes.
    assert reverse("claims:desk-claim-approve-publish", args=[claim.pk]) in page
    assert reverse("claims:desk-claim-approve", args=[claim.pk]) + '"' not in page
    response = _post(
        client, "desk-claim-approve-publish", claim, version=claim.version, comment="Gut."
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Approved and published." in page
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED
    assert claim.reviews.get().comment == "Gut."
    assert client.get(claim.get_absolute_url()).status_code == 200


def test_approve_then_publish_when_publishing_is_a_separate_step(
    settings, client, editor, reviewer, claim
):
    settings.FACTCHECK_PUBLISH_ON_APPROVAL = False
    claim.submit(by=editor)
    client.force_login(reviewer)
    response = _post(client, "desk-claim-approve", claim, version=claim.version, comment="Gut.")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Approved." in page
    assert "Approved — waiting to be published." in page
    assert "Waiting for review: 1 of 1" not in page
    response = _post(client, "desk-claim-publish", claim, version=claim.version)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED


def test_self_approval_is_refused_in_the_ui_and_by_crafted_post(client, reviewer):
    make_rating("True", 5)
    own = make_ready_claim(reviewer)
    own.submit(by=reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("claims:desk-claim-review", args=[own.pk])).content.decode()
    assert reverse("claims:desk-claim-approve", args=[own.pk]) not in page
    assert "another reviewer must approve it" in page
    response = _post(client, "desk-claim-approve", own, version=own.version)
    assert response.status_code == 403
    assert "another reviewer must approve it" in response.content.decode()
    assert not Review.objects.exists()


def test_forged_status_in_a_post_changes_nothing(client, editor, claim):
    client.force_login(editor)
    data = {
        "version": claim.version,
        "status": "published",
        "published_at": "2020-01-01",
        "claim_reviewed": claim.claim_reviewed,
        "sources-TOTAL_FORMS": 0,
        "sources-INITIAL_FORMS": 0,
    }
    article = claim.mentions.get().revision.article
    client.post(reverse("claims:desk-claim", args=[article.pk, claim.pk]), data)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT
    assert claim.published_at is None


def test_double_submitted_approval_is_a_clear_409(client, editor, reviewer, claim):
    claim.submit(by=editor)
    client.force_login(reviewer)
    assert _post(client, "desk-claim-approve", claim, version=claim.version).status_code == 302
    again = _post(client, "desk-claim-approve", claim, version=claim.version)
    assert again.status_code == 409
    assert "already gave your decision" in again.content.decode()
    assert Review.objects.count() == 1


def test_approving_a_claim_not_in_review_is_refused(client, reviewer, claim):
    client.force_login(reviewer)
    response = _post(client, "desk-claim-approve", claim, version=claim.version)
    assert response.status_code == 409
    assert "not waiting for review" in response.content.decode()


def test_stale_version_and_garbage_version_are_refused(client, editor, reviewer, claim):
    claim.submit(by=editor)
    client.force_login(reviewer)
    stale = _post(client, "desk-claim-approve", claim, version=claim.version + 5)
    assert stale.status_code == 409
    assert "changed since you opened it" in stale.content.decode()
    garbage = _post(client, "desk-claim-publish", claim, version="abc")
    assert garbage.status_code == 422
    assert not Review.objects.exists()


def test_request_changes_keeps_the_typed_comment_on_error(client, editor, reviewer, claim):
    claim.submit(by=editor)
    client.force_login(reviewer)
    response = _post(
        client,
        "desk-claim-request-changes",
        claim,
        version=claim.version + 1,
        comment="Bitte <b>Quelle</b> prüfen",
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Bitte &lt;b&gt;Quelle&lt;/b&gt; prüfen" in html
    response = _post(client, "desk-claim-request-changes", claim, version=claim.version)
    assert response.status_code == 422
    assert "comment is required" in response.content.decode()


def test_request_changes_then_edit_shows_the_diff_in_the_next_round(
    client, editor, reviewer, claim
):
    claim.submit(by=editor)
    claim.request_changes(by=reviewer, comment="Fazit schärfen.")
    client.force_login(editor)
    article = claim.mentions.get().revision.article
    data = {
        "version": claim.version,
        "claim_reviewed": claim.claim_reviewed,
        "rating": claim.rating_id,
        "conclusion": "Das stimmt nicht.",
        "sources-TOTAL_FORMS": 1,
        "sources-INITIAL_FORMS": 1,
        "sources-0-id": claim.sources.get().pk,
        "sources-0-url": "https://example.org/evidence",
        "sources-0-title": "Evidence",
        "sources-0-kind": "other",
        "sources-0-stance": "context",
    }
    assert (
        client.post(reverse("claims:desk-claim", args=[article.pk, claim.pk]), data).status_code
        == 200
    )
    assert (
        _post(
            client, "desk-claim-submit", Claim.objects.get(pk=claim.pk), version=claim.version + 1
        ).status_code
        == 302
    )
    client.force_login(reviewer)
    page = client.get(reverse("claims:desk-claim-review", args=[claim.pk])).content.decode()
    assert "reviewer requested changes on version" in page
    assert '[removed: </span>so <span class="visually-hidden">]</span></del>' in page
    assert "Fazit schärfen." in page


def test_correction_end_to_end_through_the_desk(client, editor, editor2, reviewer, claim):
    claim.submit(by=editor)
    claim.approve(by=reviewer)
    claim.publish(by=reviewer)
    old_rating = claim.rating
    new_rating = make_rating("Misleading", 2)
    client.force_login(editor2)
    response = _post(
        client,
        "desk-claim-correction-start",
        claim,
        version=claim.version,
        kind="correction",
        note="Neue Zahlen der IAEA.",
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    edit = reverse("claims:desk-correction", args=[claim.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "version": claim.version,
            "kind": "correction",
            "note": "Neue Zahlen der IAEA.",
            "new_rating": new_rating.pk,
            "new_conclusion": "Irreführend.",
            "new_explanation": "Mehr dazu.",
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    # Public page still shows the old verdict.
    assert "Irreführend." not in client.get(claim.get_absolute_url()).content.decode()
    assert (
        _post(client, "desk-claim-correction-submit", claim, version=claim.version).status_code
        == 302
    )
    client.force_login(reviewer)
    queue = client.get(reverse("claims:desk-review-queue")).content.decode()
    assert "Correction" in queue
    page = client.get(reverse("claims:desk-claim-review", args=[claim.pk])).content.decode()
    assert "[added: </span>Irreführend.<" in page
    assert _post(client, "desk-claim-approve", claim, version=claim.version).status_code == 302
    assert _post(client, "desk-claim-publish", claim, version=claim.version).status_code == 302
    claim.refresh_from_db()
    assert claim.rating == new_rating
    assert claim.conclusion == "Irreführend."
    correction = Correction.objects.public().get()
    assert correction.old_rating == old_rating
    assert correction.new_rating == new_rating
    client.logout()
    public = client.get(claim.get_absolute_url()).content.decode()
    assert "Neue Zahlen der IAEA." in public
    assert "Irreführend." in public
    assert "Neue Zahlen der IAEA." in client.get(reverse("claims:corrections")).content.decode()
    assert claim.history.filter(rating=old_rating).exists()


def test_source_typo_on_a_published_claim_is_a_plain_edit(client, editor, reviewer, claim):
    claim.submit(by=editor)
    claim.approve(by=reviewer)
    claim.publish(by=reviewer)
    source = claim.sources.get()
    client.force_login(editor)
    article = claim.mentions.get().revision.article
    data = {
        "version": claim.version,
        "claimant": claim.claimant,
        "sources-TOTAL_FORMS": 1,
        "sources-INITIAL_FORMS": 1,
        "sources-0-id": source.pk,
        "sources-0-url": source.url,
        "sources-0-title": "Evidence (corrected typo)",
        "sources-0-kind": "other",
        "sources-0-stance": "context",
    }
    response = client.post(reverse("claims:desk-claim", args=[article.pk, claim.pk]), data)
    assert response.status_code == 200
    source.refresh_from_db()
    assert source.title == "Evidence (corrected typo)"
    assert source.history.first().history_user == editor
    assert not Correction.objects.exists()
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.PUBLISHED


def test_timeline_shows_status_changes_comments_and_field_diffs(client, editor, reviewer, claim):
    claim.submit(by=editor)
    claim.request_changes(by=reviewer, comment="Quelle <script>alert(1)</script> fehlt.")
    claim.conclusion, claim._history_user = "Ganz falsch.", editor
    claim.save()
    client.force_login(editor)
    page = client.get(reverse("claims:desk-claim-history", args=[claim.pk])).content.decode()
    assert "Requested changes" in page
    assert "Quelle &lt;script&gt;alert(1)&lt;/script&gt; fehlt." in page
    assert "<script>alert(1)" not in page
    assert "Submitted for review" in page
    assert "[added: </span>Ganz falsch.<" in page  # the field diff of the edit


def test_notifications_list_what_others_did_and_count_unread(client, editor, reviewer, claim):
    claim.submit(by=editor)
    claim.request_changes(by=reviewer, comment="Bitte prüfen.")
    client.force_login(editor)
    desk = client.get(reverse("claims:desk")).content.decode()
    assert '<span class="badge text-bg-primary">1<' in desk
    page = client.get(reverse("claims:desk-notifications")).content.decode()
    assert "requested changes" in page
    assert "Bitte prüfen." in page
    assert "submitted for review" not in page  # the editor's own action
    assert client.post(reverse("claims:desk-notifications")).status_code == 302
    desk = client.get(reverse("claims:desk")).content.decode()
    assert '<span class="badge text-bg-primary">' not in desk
    assert ClaimEvent.objects.notifications_for(editor).count() == 1


def test_the_unread_badge_stops_counting_at_99(client, editor, reviewer, claim):
    ClaimEvent.objects.bulk_create(
        ClaimEvent(claim=claim, kind=ClaimEvent.Kind.CHANGES_REQUESTED, actor=reviewer,
                   claim_version=claim.version)
        for _ in range(120)
    )  # fmt: skip
    claim.author = editor
    claim.save()
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        desk = client.get(reverse("claims:desk")).content.decode()
    assert '<span class="badge text-bg-primary">99+<' in desk
    sqls = [q["sql"] for q in queries]
    counted = [sql for sql in sqls if "claims_claimevent" in sql and "COUNT" in sql]
    assert counted
    assert all("LIMIT 100" in sql for sql in counted)


def test_notifications_come_in_keyset_pages_of_50_newest_first(client, editor, reviewer, claim):
    import re
    from datetime import timedelta

    from django.utils import timezone

    claim.author = editor
    claim.save()
    start = timezone.now() - timedelta(days=1)
    made = ClaimEvent.objects.bulk_create(
        ClaimEvent(claim=claim, kind=ClaimEvent.Kind.CHANGES_REQUESTED, actor=reviewer,
                   claim_version=claim.version, comment=f"Hinweis {n:03d}")
        for n in range(120)
    )  # fmt: skip
    for n, event in enumerate(made):  # two share each moment: the id breaks the tie
        ClaimEvent.objects.filter(pk=event.pk).update(created_at=start + timedelta(minutes=n // 2))
    client.force_login(editor)
    url = reverse("claims:desk-notifications")
    seen, pages, page = [], 0, client.get(url).content.decode()
    while True:
        pages += 1
        seen += re.findall(r"Hinweis (\d{3})", page)
        older = re.search(r'href="([^"]*\?before=\d+)" rel="next"', page)
        if not older:
            break
        page = client.get(older.group(1).replace("&amp;", "&")).content.decode()
    assert pages == 3
    assert seen == [f"{n:03d}" for n in range(119, -1, -1)]  # each once, newest first
    # A cursor that is no number, or names no event, starts again from the newest.
    for stale in ("abc", "999999999", "-1"):
        assert (
            re.findall(r"Hinweis (\d{3})", client.get(f"{url}?before={stale}").content.decode())[0]
            == "119"
        )


def test_assigning_in_the_panel_notifies_the_assignee(client, editor, editor2, claim):
    client.force_login(editor)
    article = claim.mentions.get().revision.article
    source = claim.sources.get()
    data = {
        "version": claim.version,
        "claim_reviewed": claim.claim_reviewed,
        "rating": claim.rating_id,
        "conclusion": claim.conclusion,
        "assignee": editor2.pk,
        "sources-TOTAL_FORMS": 1,
        "sources-INITIAL_FORMS": 1,
        "sources-0-id": source.pk,
        "sources-0-url": source.url,
        "sources-0-title": source.title,
        "sources-0-kind": "other",
        "sources-0-stance": "context",
    }
    assert (
        client.post(reverse("claims:desk-claim", args=[article.pk, claim.pk]), data).status_code
        == 200
    )
    event = ClaimEvent.objects.get(kind="assigned")
    assert (event.actor, event.recipient) == (editor, editor2)
    client.force_login(editor2)
    assert "Nordkorea testet nicht" in client.get(reverse("claims:desk")).content.decode()
    assert "assigned" in client.get(reverse("claims:desk-notifications")).content.decode()


def test_sources_needed_before_review_are_named(client, editor, claim):
    claim.sources.all().delete()
    client.force_login(editor)
    response = _post(client, "desk-claim-submit", claim, version=claim.version)
    assert response.status_code == 422
    assert "at least one source" in response.content.decode()
    add_source(claim)
    assert _post(client, "desk-claim-submit", claim, version=claim.version).status_code == 302
