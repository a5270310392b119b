"""Issue #15, sections 5 and 6: four-eyes has no back door, and every change readers see
was reviewed.

- The admin writes no approval, decision, correction, event or history, superusers
  included, and changes no claim's status, verdict or authorship.
- A passage linked to a published claim is public only after a second person approves
  it; removing an approved one needs a second person too.
- Any change of an unpublished claim's passages makes approvals given before lapse.
- What a published claim may change without review (claimant details, sources) is listed
  on its public page.
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from claims.models import (
    Claim,
    ClaimEvent,
    Correction,
    Mention,
    Review,
    Source,
    WorkflowError,
)
from claims.services import mention_confirm, mention_delete, mention_link
from tests.factories import add_source, make_article, make_rating, make_ready_claim, mark_quote

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TEXT = (
    "Der Bürgermeister sagt, die Stadt habe nie mehr Schulden gehabt.\n\n"
    "Später wiederholt er: Die Schulden sind so hoch wie nie."
)
FIRST = "die Stadt habe nie mehr Schulden gehabt"
SECOND = "Die Schulden sind so hoch wie nie"


def _publish(claim, reviewer) -> Claim:
    claim.submit(by=claim.author)
    claim.approve_publish(by=reviewer)
    claim.refresh_from_db()
    return claim


@pytest.fixture
def article(db, editor):
    return make_article(TEXT, title="Schulden-Artikel", slug="schulden-artikel")


@pytest.fixture
def claim(article, editor, reviewer):
    """A published claim marked at FIRST; SECOND is the same statement made again."""
    claim = make_ready_claim(editor, claim_reviewed="Die Stadt hat Rekordschulden")
    mark_quote(claim, article, FIRST)
    return _publish(claim, reviewer)


def _span(article, quote) -> dict:
    start = article.current_revision.text.index(quote)
    return {
        "revision": article.current_revision,
        "start": start,
        "end": start + len(quote),
        "exact": quote,
    }


def _link_over_http(client, article, claim, quote):
    span = _span(article, quote)
    data = {**span, "revision": span["revision"].pk, "claim": claim.pk}
    return client.post(reverse("claims:desk-link", args=[article.pk]), data, **HTMX)


def _public_pages(reader, article, claim) -> str:
    pages = [
        reader.get(reverse("claims:article", args=[article.slug])),
        reader.get(claim.get_absolute_url()),
    ]
    assert [page.status_code for page in pages] == [200, 200]
    return [page.content.decode() for page in pages]


def _shows(pages, mention) -> list[bool]:
    """Whether the article page highlights ``mention`` and the claim page lists it (the
    text itself is on the article page anyway)."""
    return [f"mention-{mention.pk}" in page for page in pages]


def _decide(client, mention, decision: str):
    return client.post(reverse(f"claims:desk-mention-{decision}", args=[mention.pk]))


# --- 5. The admin ---------------------------------------------------------------------------
def test_a_superuser_cannot_add_an_approval_in_the_admin(client, superuser, reviewer, editor):
    claim = make_ready_claim(editor)
    claim.submit(by=editor)
    client.force_login(superuser)
    add = reverse("admin:claims_review_add")
    assert client.get(add).status_code == 403
    forged = {
        "claim": claim.pk,
        "reviewer": reviewer.pk,
        "decision": "approve",
        "claim_version": claim.version,
        "comment": "",
    }
    assert client.post(add, forged).status_code == 403
    assert not Review.objects.exists()
    # …and so cannot publish: the claim has no approval by anyone.
    with pytest.raises(WorkflowError) as refusal:
        claim.publish(by=superuser)
    assert refusal.value.code == "approvals"
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW


def test_a_superuser_cannot_change_or_delete_an_approval(client, superuser, reviewer, editor):
    claim = make_ready_claim(editor)
    claim.submit(by=editor)
    claim.approve(by=reviewer, comment="Gut belegt.")
    review = Review.objects.get()
    client.force_login(superuser)
    change = reverse("admin:claims_review_change", args=[review.pk])
    page = client.get(change)
    assert page.status_code == 200  # shown…
    assert not page.context["has_change_permission"]  # …read-only
    changed = {
        "claim": claim.pk,
        "reviewer": superuser.pk,
        "decision": "request_changes",
        "claim_version": claim.version + 5,
        "comment": "forged",
    }
    assert client.post(change, changed).status_code == 403
    delete = reverse("admin:claims_review_delete", args=[review.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = client.get(reverse("admin:claims_review_changelist"))
    assert changelist.status_code == 200
    assert changelist.context["action_form"] is None  # no actions at all, no bulk delete
    bulk = client.post(
        reverse("admin:claims_review_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [review.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)
    review.refresh_from_db()
    assert (review.reviewer, review.decision, review.comment) == (
        reviewer,
        "approve",
        "Gut belegt.",
    )


@pytest.mark.parametrize("model", [Correction, ClaimEvent, Mention, Source])
def test_decisions_events_passages_and_sources_are_read_only_in_the_admin(
    client, superuser, claim, reviewer, model
):
    claim.correction_start(by=reviewer, kind="update", note="Neue Zahlen.")
    obj = model.objects.filter(claim=claim).first()
    assert obj is not None
    client.force_login(superuser)
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    assert client.get(reverse(f"{name}_add")).status_code == 403
    assert client.post(reverse(f"{name}_add"), {"claim": claim.pk}).status_code == 403
    assert client.get(reverse(f"{name}_change", args=[obj.pk])).status_code == 200
    assert client.post(reverse(f"{name}_change", args=[obj.pk]), {}).status_code == 403
    assert client.post(reverse(f"{name}_delete", args=[obj.pk]), {"post": "yes"}).status_code == (
        403
    )
    assert model.objects.filter(pk=obj.pk).exists()


def test_claim_status_verdict_and_authors_cannot_be_changed_in_the_admin(
    client, superuser, editor, reviewer
):
    claim = make_ready_claim(editor, claimant="Der Bürgermeister")
    other_rating = add_source(claim).claim.rating  # the claim's rating, for the form
    client.force_login(superuser)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    page = client.get(url).content.decode()
    for field in ("status", "rating", "conclusion", "claim_reviewed", "author", "last_edited_by"):
        assert f'name="{field}"' not in page, field
    forged = {
        "slug": claim.slug,
        "claimant": "Der Bürgermeister",
        "claimant_url": "",
        "claim_date": "",
        "language": "de",
        "status": "published",
        "published_at_0": "2020-01-01",
        "published_at_1": "10:00",
        "rating": other_rating.pk,
        "conclusion": "Im Admin gefälscht",
        "author": reviewer.pk,
        "last_edited_by": reviewer.pk,
        "mentions-TOTAL_FORMS": "0",
        "mentions-INITIAL_FORMS": "0",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }
    assert client.post(url, forged).status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT
    assert claim.published_at is None
    assert claim.conclusion != "Im Admin gefälscht"
    assert claim.author == editor
    assert claim.last_edited_by == superuser  # an edit here is an edit: never "reviewer"
    # A claim in review waits for its reviewers: not even its claimant changes here.
    claim.submit(by=editor)
    forged["claimant"] = "Jemand anderes"
    assert client.post(url, forged).status_code == 403
    claim.refresh_from_db()
    assert (claim.status, claim.claimant) == (Claim.Status.IN_REVIEW, "Der Bürgermeister")


def test_the_label_and_value_of_a_rating_in_published_verdicts_cannot_be_changed(
    client, superuser, editor, reviewer
):
    """Renaming "False" to "True" in the rating scale would change every published verdict
    that uses it, unreviewed; its description and colour stay editable."""
    claim = _publish(make_ready_claim(editor), reviewer)
    rating = claim.rating
    unused = make_rating("Unbelegt", 0, slug="unbelegt")
    client.force_login(superuser)
    url = reverse("admin:claims_rating_change", args=[rating.pk])
    page = client.get(url).content.decode()
    for field in ("label", "label_de", "slug", "value"):
        assert f'name="{field}"' not in page, field
    form = {
        "scale": rating.scale,
        "label": "Edited",
        "label_de": "Geändert",
        "slug": "edited",
        "value": 99,
        "colour": rating.colour,
        "position": rating.position,
        "description": "A clearer description.",
        "description_de": rating.description_de,
    }
    assert client.post(url, form).status_code == 302
    rating.refresh_from_db()
    assert (rating.label, rating.slug, rating.value) != ("Edited", "edited", 99)
    assert rating.description == "A clearer description."
    # A rating no published verdict uses is the newsroom's to change.
    page = client.get(reverse("admin:claims_rating_change", args=[unused.pk])).content.decode()
    assert 'name="label"' in page


def test_the_only_claim_action_in_the_admin_is_the_lifecycles_unpublish(client, superuser, claim):
    client.force_login(superuser)
    changelist = client.get(reverse("admin:claims_claim_changelist"))
    actions = changelist.context["action_form"].fields["action"].choices
    assert [name for name, _label in actions if name] == ["unpublish"]
    assert client.get(reverse("admin:claims_claim_add")).status_code == 403
    # A published claim (its reviews and timeline would go with it) is never deleted.
    assert client.post(
        reverse("admin:claims_claim_delete", args=[claim.pk]), {"post": "yes"}
    ).status_code == (403)
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_a_superuser_who_edited_a_claim_cannot_approve_it(client, superuser, editor):
    claim = make_ready_claim(editor)
    client.force_login(superuser)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = {
        "slug": claim.slug,
        "claimant": "Neu",
        "claimant_url": "",
        "claim_date": "",
        "language": "de",
        "mentions-TOTAL_FORMS": "0",
        "mentions-INITIAL_FORMS": "0",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }
    assert client.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert claim.last_edited_by == superuser
    claim.submit(by=editor)
    response = client.post(
        reverse("claims:desk-claim-approve-publish", args=[claim.pk]),
        {"version": claim.version, "comment": ""},
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW
    assert not claim.reviews.exists()


def test_passages_cannot_be_added_through_the_claim_form_inline(client, superuser, claim, article):
    client.force_login(superuser)
    span = _span(article, SECOND)
    data = {
        "slug": claim.slug,
        "claimant": claim.claimant,
        "claimant_url": "",
        "claim_date": "",
        "language": "de",
        "mentions-TOTAL_FORMS": "1",
        "mentions-INITIAL_FORMS": "0",
        "mentions-0-revision": span["revision"].pk,
        "mentions-0-start": span["start"],
        "mentions-0-end": span["end"],
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }
    client.post(reverse("admin:claims_claim_change", args=[claim.pk]), data)
    assert claim.mentions.count() == 1


# --- 6a. New appearances of published claims ------------------------------------------------
def test_a_new_appearance_is_public_only_after_a_second_person_approves_it(
    client, reader, editor, reviewer, reviewer2, claim, article
):
    first = claim.mentions.get()
    assert _shows(_public_pages(reader, article, claim), first) == [True, True]  # now cached
    client.force_login(reviewer)  # a reviewer links it: still someone else must approve
    response = _link_over_http(client, article, claim, SECOND)
    assert response.status_code == 200
    assert "Waiting for review" in response.content.decode()
    mention = Mention.objects.get(claim=claim, exact=SECOND)
    assert (mention.awaiting, mention.requested_by) == ("addition", reviewer)
    assert claim.events.filter(kind="appearance_added", actor=reviewer).exists()

    # Not public: neither on the article page nor in the claim's appearances.
    assert _shows(_public_pages(reader, article, claim), mention) == [False, False]
    assert list(Mention.objects.published().filter(claim=claim)) == [first]

    # It waits in the review queue as a new appearance.
    queue = client.get(reverse("claims:desk-review-queue")).content.decode()
    assert f'id="appearance-{mention.pk}"' in queue
    assert "New appearance" in queue
    assert "You asked for this, so another reviewer decides." in queue

    # The one who linked it cannot approve it.
    refused = _decide(client, mention, "approve")
    assert refused.status_code == 403
    assert "another reviewer must decide" in refused.content.decode()
    mention.refresh_from_db()
    assert mention.awaiting == "addition"
    assert _shows(_public_pages(reader, article, claim), mention) == [False, False]

    # A second reviewer approves: readers see it at once (the cached pages are stale).
    client.force_login(reviewer2)
    approved = _decide(client, mention, "approve")
    assert approved.status_code == 302
    mention.refresh_from_db()
    assert mention.awaiting == ""
    event = claim.events.get(kind="appearance_approved")
    assert (event.actor, event.params["quote"]) == (reviewer2, SECOND)
    assert mention.history.first().history_user == reviewer2
    assert _shows(_public_pages(reader, article, claim), mention) == [True, True]
    queue = client.get(reverse("claims:desk-review-queue")).content.decode()
    assert f'id="appearance-{mention.pk}"' not in queue


def test_editors_cannot_approve_appearances(client, editor, editor2, claim, article):
    mention = mention_link(claim=claim, user=editor, **_span(article, SECOND))
    client.force_login(editor2)
    assert _decide(client, mention, "approve").status_code == 403
    mention.refresh_from_db()
    assert mention.awaiting == "addition"


def test_a_superuser_who_linked_a_passage_cannot_approve_it(superuser, claim, article):
    mention = mention_link(claim=claim, user=superuser, **_span(article, SECOND))
    with pytest.raises(WorkflowError) as refusal:
        claim.approve_appearance(by=superuser, mention=mention)
    assert refusal.value.code == "four_eyes"


def test_confirming_new_wording_of_a_waiting_appearance_keeps_who_asked(
    superuser, reviewer, claim, article
):
    """The person who linked a passage stays the one who may not approve it, also when
    someone else confirms its new wording after the article changed."""
    mention = mention_link(claim=claim, user=superuser, **_span(article, SECOND))
    Mention.objects.filter(pk=mention.pk).update(
        anchor=Mention.Anchor.REANCHORED, quote_changed=True
    )
    mention_confirm(mention=Mention.objects.get(pk=mention.pk), user=reviewer)
    mention.refresh_from_db()
    assert (mention.awaiting, mention.requested_by) == (Mention.Awaiting.ADDITION, superuser)
    with pytest.raises(WorkflowError) as refusal:
        claim.approve_appearance(by=superuser, mention=mention)
    assert refusal.value.code == "four_eyes"


def test_the_editor_removes_an_appearance_not_yet_approved(
    client, desk, editor, claim, article, reader
):
    mention = mention_link(claim=claim, user=editor, **_span(article, SECOND))
    delete = reverse("claims:desk-mention-delete", args=[mention.pk])
    assert desk.get(delete, **HTMX).status_code == 200
    response = desk.post(delete, **HTMX)
    assert response.status_code == 200
    assert "Passage removed." in response.content.decode()
    assert not Mention.objects.filter(pk=mention.pk).exists()
    assert claim.events.filter(kind="appearance_withdrawn", actor=editor).exists()


def test_a_rejected_appearance_is_gone_and_never_was_public(
    client, reader, editor, reviewer, claim, article
):
    mention = mention_link(claim=claim, user=editor, **_span(article, SECOND))
    client.force_login(reviewer)
    assert _decide(client, mention, "reject").status_code == 302
    assert not Mention.objects.filter(pk=mention.pk).exists()
    assert claim.events.filter(kind="appearance_rejected", actor=reviewer).exists()
    assert _shows(_public_pages(reader, article, claim), mention) == [False, False]


def test_removing_an_approved_appearance_needs_a_second_person(
    client, desk, reader, editor, reviewer, claim, article
):
    mention = claim.mentions.get()
    assert _shows(_public_pages(reader, article, claim), mention) == [True, True]
    response = desk.post(reverse("claims:desk-mention-delete", args=[mention.pk]), **HTMX)
    assert response.status_code == 200
    mention.refresh_from_db()
    assert (mention.awaiting, mention.requested_by) == ("removal", editor)
    # Still public meanwhile.
    assert _shows(_public_pages(reader, article, claim), mention) == [True, True]
    with pytest.raises(WorkflowError) as refusal:  # the one who asked never decides
        claim.approve_appearance(by=editor, mention=mention)
    assert refusal.value.code in ("forbidden", "four_eyes")
    client.force_login(reviewer)
    queue = client.get(reverse("claims:desk-review-queue")).content.decode()
    assert f'id="appearance-{mention.pk}"' in queue
    assert "Approve the removal" in queue
    assert _decide(client, mention, "approve").status_code == 302
    assert not Mention.objects.filter(pk=mention.pk).exists()
    assert claim.events.filter(kind="removal_approved", actor=reviewer).exists()
    assert _shows(_public_pages(reader, article, claim), mention) == [False, False]


def test_a_declined_removal_keeps_the_passage(client, editor, reviewer, claim):
    mention = claim.mentions.get()
    assert mention_delete(mention=mention, delete_claim=True, user=editor) == "requested"
    client.force_login(reviewer)
    assert _decide(client, mention, "reject").status_code == 302
    mention.refresh_from_db()
    assert mention.awaiting == ""
    assert claim.events.filter(kind="removal_rejected").exists()


def test_unpublishing_and_publishing_again_reviews_waiting_passages_with_the_claim(
    editor, reviewer, reviewer2, claim, article
):
    mention = mention_link(claim=claim, user=editor, **_span(article, SECOND))
    claim.unpublish(by=reviewer, reason="Neu prüfen.")
    mention.refresh_from_db()
    assert mention.awaiting == ""  # a draft's passages are reviewed with it
    claim.submit(by=editor)
    claim.approve_publish(by=reviewer2)
    assert Mention.objects.published().filter(pk=mention.pk).exists()


def test_publishing_a_claim_does_not_approve_passages_waiting_on_a_correction(
    editor, editor2, reviewer, reviewer2, claim, article
):
    correction = claim.correction_start(by=editor2, kind="update", note="Neu.")
    correction.new_conclusion = "Inzwischen anders."
    correction.save()
    claim.correction_submit(by=editor2)
    mention = mention_link(claim=claim, user=editor, **_span(article, SECOND))
    claim.approve_publish(by=reviewer)
    mention.refresh_from_db()
    assert mention.awaiting == "addition"
    assert not Mention.objects.published().filter(pk=mention.pk).exists()


# --- 6b. Passages of claims not yet public ------------------------------------------------
def test_linking_a_passage_to_a_claim_in_review_makes_earlier_approvals_lapse(
    client, editor, editor2, reviewer, reviewer2, article
):
    from tests.factories import make_rating

    claim = make_ready_claim(editor, rating=make_rating())
    mark_quote(claim, article, FIRST)
    claim.submit(by=editor)
    claim.approve(by=reviewer)  # one approval on this version…
    version = claim.version
    client.force_login(editor2)
    assert _link_over_http(client, article, claim, SECOND).status_code == 200
    claim.refresh_from_db()
    assert claim.version == version + 1
    assert claim.last_edited_by == editor2
    assert claim.approvals_count() == 0  # …counts no more
    with pytest.raises(WorkflowError) as refusal:
        claim.publish(by=reviewer2)
    assert refusal.value.code == "approvals"


@pytest.mark.parametrize("change", ["link", "move", "remove"])
def test_any_change_of_a_drafts_passages_bumps_its_version(editor, editor2, article, change):
    from claims.services import mention_move

    claim = make_ready_claim(editor)
    mention = mark_quote(claim, article, FIRST)
    other = mark_quote(claim, article, SECOND)
    version = claim.version
    if change == "link":
        other.delete()
        mention_link(claim=claim, user=editor2, **_span(article, SECOND))
    elif change == "move":
        mention_move(mention=mention, start=mention.start + 4, end=mention.end, user=editor2)
    else:
        mention_delete(mention=other, delete_claim=False, user=editor2)
    claim.refresh_from_db()
    assert (claim.version, claim.last_edited_by) == (version + 1, editor2)


# --- 6c. What a published claim changes without review, listed for readers ------------------
def test_source_and_claimant_changes_of_a_published_claim_are_in_its_public_history(
    reader, editor, claim
):
    source = claim.sources.get()
    page = reader.get(claim.get_absolute_url()).content.decode()
    assert "Changes since publication" not in page  # nothing changed yet
    source.position = 3  # reordering changes no evidence
    source._history_user = editor
    source.save()
    assert "Changes since publication" not in reader.get(claim.get_absolute_url()).content.decode()

    source.url, source.title = "https://example.org/neu", "Neue Statistik"
    source.save()
    removed = add_source(claim, title="Alte Pressemitteilung")
    removed._history_user = editor
    removed.delete()
    claim.claimant, claim._history_user = "Die Kämmerin", editor
    claim.save()

    page = reader.get(claim.get_absolute_url()).content.decode()
    assert "Changes since publication" in page
    assert "Source changed: Neue Statistik (URL, title)" in page
    assert "Source added: Alte Pressemitteilung" in page
    assert "Source removed: Alte Pressemitteilung" in page
    assert "Claimant details changed (claimant)" in page
    german = reader.get("/de" + claim.get_absolute_url()).content.decode()
    assert "Änderungen seit der Veröffentlichung" in german
    assert "Quelle entfernt: Alte Pressemitteilung" in german


def test_the_verdict_and_passages_of_a_published_claim_change_only_through_review(
    desk, editor, claim, article
):
    """The other half of the rule in docs/architecture.md: the panel refuses verdict
    changes of a published claim (a correction does that) and a passage waits."""
    mention = mention_link(claim=claim, user=editor, **_span(article, SECOND))
    assert not Mention.objects.published().filter(pk=mention.pk).exists()
    adjust = reverse("claims:desk-mention-adjust", args=[claim.mentions.get(exact=FIRST).pk])
    assert desk.post(adjust, {"move": "widen-end"}, **HTMX).status_code == 403
