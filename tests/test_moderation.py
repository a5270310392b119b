"""Moderation in the admin (issue #6): reader tips and error reports, tip → draft claim,
error report → correction, unpublishing with a reason, and who may see and do what."""

import io
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from claims.models import Claim, ClaimEvent, Correction, ErrorReport, Rating, Tip
from claims.models.reader_input import ModerationStatus
from claims.roles import ACTION_ROLES, MODERATORS, may
from tests.conftest import DRAFT_SLUG, PUBLISHED_SLUG
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
READER_EMAIL = "leserin@example.org"
CLAIM_URL = f"/claims/{PUBLISHED_SLUG}/"


def changelist(model) -> str:
    return reverse(f"admin:claims_{model._meta.model_name}_changelist")


def change(obj) -> str:
    return reverse(f"admin:claims_{obj._meta.model_name}_change", args=[obj.pk])


def history(obj) -> str:
    return reverse(f"admin:claims_{obj._meta.model_name}_history", args=[obj.pk])


def run_action(client, model, action: str, objects, **data):
    """Choose an action on the change list (step 1: its page, if it has one)."""
    pks = [obj.pk for obj in objects]
    return client.post(
        changelist(model), {"action": action, "_selected_action": pks, "index": 0, **data}
    )


def confirm_action(client, model, action: str, objects, **data):
    """Send an action's intermediate page (step 2), as the page's form does."""
    pks = [obj.pk for obj in objects]
    return client.post(
        changelist(model), {"action": action, "_selected_action": pks, "post": "yes", **data}
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


@pytest.fixture
def tip(db):
    return Tip.objects.create(
        claim_text="Die Erde ist eine Scheibe, sagt der Bürgermeister.",
        seen_at="Stadtratssitzung",
        seen_at_url="https://example.org/video",
        email=READER_EMAIL,
        consent=True,
        language="de",
        client_hash="a" * 64,
    )


@pytest.fixture
def report(published):
    return ErrorReport.objects.create(
        claim=published,
        reason=ErrorReport.Reason.SOURCE_PROBLEM,
        message="Die Quelle 2 fehlt.",
        email=READER_EMAIL,
        language="en",
        client_hash="b" * 64,
    )


@pytest.fixture
def staff_editor(editor2):
    """An editor who was given staff access (e.g. for the rating scale)."""
    editor2.is_staff = True
    editor2.save()
    return editor2


@pytest.fixture
def staff_reviewer(reviewer2):
    reviewer2.is_staff = True
    reviewer2.save()
    return reviewer2


# --- The role map -----------------------------------------------------------------------------
def test_moderators_moderate_and_open_corrections_but_never_use_the_desk():
    assert ACTION_ROLES["moderate"] == frozenset({MODERATORS})
    assert MODERATORS in ACTION_ROLES["correct"]
    assert MODERATORS in ACTION_ROLES["unpublish"]
    for action in ("use_desk", "mark", "edit", "submit", "review", "publish"):
        assert MODERATORS not in ACTION_ROLES[action], action


def test_moderators_see_only_what_their_role_needs_in_the_admin(client, moderator):
    client.force_login(moderator)
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    models = {model["object_name"] for app in page.context["app_list"] for model in app["models"]}
    # AccessAttempt: failed sign-ins, to unlock an account (claims.admin_security).
    assert models == {
        "Tip",
        "ErrorReport",
        "Claim",
        "Article",
        "Correction",
        "ClaimEvent",
        "AccessAttempt",
    }
    for model in (Claim, Tip, ErrorReport):
        assert client.get(changelist(model)).status_code == 200
    assert client.get(changelist(Rating)).status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    # Claims are read-only for moderators: their one change is the unpublish action.
    claim = make_claim()
    page = client.get(change(claim))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    actions = client.get(changelist(Claim)).context["action_form"].fields["action"].choices
    assert [name for name, _label in actions if name] == ["unpublish"]


# --- Every action × every persona -------------------------------------------------------------
@dataclass
class Act:
    model: type
    name: str
    data: Any  # world → extra POST data
    happened: Any  # world → bool


def _reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def status_act(model, name, status):
    return Act(model, name, lambda w: {}, lambda w: _reload(w["target"]).status == status)


ACTS = [
    *[
        status_act(model, name, status)
        for model in (Tip, ErrorReport)
        for name, status in [
            ("mark_spam", "spam"),
            ("reject", "rejected"),
            ("accept", "accepted"),
            ("mark_in_progress", "in_progress"),
        ]
    ],
    *[
        Act(
            model,
            "resolve",
            lambda w: {"status": "rejected", "note": "Kein Fehler."},
            lambda w: _reload(w["target"]).moderator_note == "Kein Fehler.",
        )
        for model in (Tip, ErrorReport)
    ],
    Act(
        Tip,
        "make_draft_claim",
        lambda w: {"assignee": w["editor"].pk},
        lambda w: _reload(w["target"]).claim_id is not None,
    ),
    Act(
        ErrorReport,
        "correction_start",
        lambda w: {"kind": "correction", "note": "Quelle 2 ergänzt."},
        lambda w: Correction.objects.exists(),
    ),
    Act(
        Claim,
        "unpublish",
        lambda w: {"reason": "Aus rechtlichen Gründen."},
        lambda w: _reload(w["target"]).status == Claim.Status.DRAFT,
    ),
]
ALLOWED = ["moderator", "superuser"]
REFUSED = ["anonymous", "editor", "reviewer", "staff_editor"]


@pytest.fixture
def world(editor, reviewer, moderator, superuser, staff_editor, tip, report, published):
    return {
        "anonymous": None,
        "editor": editor,
        "reviewer": reviewer,
        "moderator": moderator,
        "superuser": superuser,
        "staff_editor": staff_editor,
        Tip: tip,
        ErrorReport: report,
        Claim: published,
    }


@pytest.mark.parametrize("persona", ALLOWED + REFUSED)
@pytest.mark.parametrize("act", ACTS, ids=lambda a: f"{a.model.__name__}.{a.name}")
def test_admin_action_permissions(client, world, act, persona):
    w = {**world, "target": world[act.model]}
    user = world[persona]
    if user is not None:
        client.force_login(user)
    response = confirm_action(client, act.model, act.name, [w["target"]], **act.data(w))
    if persona in ALLOWED:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert act.happened(w), messages_of(response)
        return
    assert not act.happened(w)
    if persona == "anonymous" or not user.is_staff:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    elif act.model is Claim:
        # Editors read claims in the admin (the POST just shows the list again), but no
        # action is theirs to choose.
        assert response.status_code == 200
        assert client.get(changelist(Claim)).context["action_form"] is None
    else:
        assert response.status_code == 403  # no moderation for them at all


def test_a_staff_reviewer_may_unpublish_as_on_the_desk(client, staff_reviewer, published):
    """The admin follows the one role map: reviewers unpublish on the desk too."""
    assert may(staff_reviewer, "unpublish")
    client.force_login(staff_reviewer)
    confirm_action(client, Claim, "unpublish", [published], reason="Falsche Quelle.")
    assert _reload(published).status == Claim.Status.DRAFT


def test_change_form_actions_are_refused_to_editors(client, staff_editor, tip, report):
    """A forged change-form action (Django's actions on the change page) is refused too."""
    client.force_login(staff_editor)
    for obj in (tip, report):
        response = client.post(
            change(obj), {"CHANGE_FORM-action": "accept", "_selected_action": [obj.pk]}
        )
        assert response.status_code == 403
        assert _reload(obj).status == ModerationStatus.NEW


# --- Bulk actions and history -----------------------------------------------------------------
def test_bulk_actions_save_each_item_with_the_moderator_in_its_history(client, moderator, tip):
    others = [Tip.objects.create(claim_text=f"Tipp {i}") for i in range(2)]
    already = Tip.objects.create(claim_text="Schon Spam", status=ModerationStatus.SPAM)
    client.force_login(moderator)
    response = run_action(client, Tip, "mark_spam", [tip, *others, already])
    assert response.status_code == 302
    assert "3 items changed to “Spam”." in messages_of(response)
    for item in [tip, *others]:
        item.refresh_from_db()
        assert (item.status, item.handled_by) == (ModerationStatus.SPAM, moderator)
        latest = item.history.first()
        assert (latest.status, latest.history_user, latest.history_type) == (
            "spam",
            moderator,
            "~",
        )
        assert latest.history_change_reason == "status: spam"
    assert already.history.count() == 1  # unchanged: no history record for nothing
    assert _reload(already).handled_by is None

    response = run_action(client, Tip, "mark_in_progress", [tip])
    assert [r.status for r in tip.history.all()] == ["in_progress", "spam", "new"]
    assert {r.history_user for r in tip.history.all()[:2]} == {moderator}


def test_the_history_leaves_out_the_readers_address(tip, report):
    for obj in (tip, report):
        record = obj.history.get()
        assert not hasattr(record, "email")
        assert not hasattr(record, "client_hash")


def test_resolving_a_report_on_its_change_page_records_moderator_and_note(
    client, moderator, report
):
    client.force_login(moderator)
    page = client.get(change(report))
    assert page.status_code == 200
    body = page.content.decode()
    assert READER_EMAIL in body  # moderators may write back
    response = client.post(
        change(report),
        {"status": "accepted", "moderator_note": "Quelle 2 nachgetragen.", "_save": "Save"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    report.refresh_from_db()
    assert (report.status, report.moderator_note, report.handled_by) == (
        "accepted",
        "Quelle 2 nachgetragen.",
        moderator,
    )
    assert report.history.first().history_user == moderator
    # The reader's text and address cannot be changed in the admin.
    client.post(
        change(report),
        {"status": "accepted", "message": "Geändert", "email": "x@example.org", "_save": "Save"},
    )
    report.refresh_from_db()
    assert (report.message, report.email) == ("Die Quelle 2 fehlt.", READER_EMAIL)


def test_resolve_with_a_note_action(client, moderator, tip):
    client.force_login(moderator)
    page = run_action(client, Tip, "resolve", [tip])
    assert page.status_code == 200
    assert "Moderator note" in page.content.decode()
    page = confirm_action(client, Tip, "resolve", [tip], status="rejected", note="")
    assert page.status_code == 200  # the note is required: the form comes back
    assert _reload(tip).status == ModerationStatus.NEW
    confirm_action(client, Tip, "resolve", [tip], status="rejected", note="Meinung, kein Fakt.")
    tip.refresh_from_db()
    assert (tip.status, tip.moderator_note, tip.handled_by) == (
        "rejected",
        "Meinung, kein Fakt.",
        moderator,
    )


def test_changelists_are_newest_first_with_the_count_of_new_items(client, moderator, tip):
    older = Tip.objects.create(claim_text="Älterer Tipp")
    Tip.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=3))
    Tip.objects.create(claim_text="Erledigt", status=ModerationStatus.REJECTED)
    client.force_login(moderator)
    page = client.get(changelist(Tip))
    body = page.content.decode()
    assert [obj.pk for obj in page.context["cl"].result_list][1:] == [tip.pk, older.pk]
    assert "2 new items waiting for moderation" in body
    assert "3\xa0hours ago" in body  # (timesince keeps number and unit together)
    assert 'href="?status__exact=new"' in body
    filtered = client.get(changelist(Tip), {"status__exact": "new"})
    assert filtered.context["cl"].result_count == 2


@pytest.mark.parametrize("model", [Tip, ErrorReport], ids=lambda m: m.__name__)
def test_filters_and_search(client, moderator, tip, report, model):
    client.force_login(moderator)
    for params in (
        {"status__exact": "new"},
        {"created_at__gte": timezone.localtime().replace(hour=0, minute=0).isoformat()},
        {"q": "Quelle"},
        {"q": "Scheibe"},
    ):
        assert client.get(changelist(model), params).status_code == 200
    if model is ErrorReport:
        page = client.get(changelist(model), {"reason__exact": "source_problem"})
        assert page.context["cl"].result_count == 1
    found = client.get(changelist(model), {"q": READER_EMAIL}).context["cl"].result_count
    assert found == 1  # moderators find a reader by address


def test_admin_index_counts_new_reader_input_for_moderators(
    client, moderator, staff_editor, tip, report
):
    Tip.objects.create(claim_text="Noch einer")
    client.force_login(moderator)
    body = client.get(reverse("admin:index")).content.decode()
    assert "Waiting for moderation" in body
    assert re.search(r"New tips</a></th>\s*<td>2</td>", body)
    assert re.search(r"New error reports</a></th>\s*<td>1</td>", body)
    client.force_login(staff_editor)
    assert "Waiting for moderation" not in client.get(reverse("admin:index")).content.decode()


# --- Reader emails ----------------------------------------------------------------------------
def test_reader_emails_are_hidden_from_staff_editors(client, moderator, staff_editor, tip, report):
    # Without moderation permissions, the reader input is not there at all.
    client.force_login(staff_editor)
    assert client.get(changelist(Tip)).status_code == 403
    assert client.get(change(report)).status_code == 403
    # Even given read access to it, an editor sees no address and cannot search by one.
    staff_editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_tip", "view_errorreport"])
    )
    client.force_login(staff_editor)
    for model, obj in ((Tip, tip), (ErrorReport, report)):
        listing = client.get(changelist(model))
        assert listing.status_code == 200
        assert READER_EMAIL not in listing.content.decode()
        assert listing.context["action_form"] is None  # no moderation actions
        page = client.get(change(obj))
        assert page.status_code == 200
        assert READER_EMAIL not in page.content.decode()
        assert "client hash" not in page.content.decode().lower()
        text = obj.message if model is ErrorReport else obj.claim_text
        assert text in page.content.decode()
        search = client.get(changelist(model), {"q": "leserin"})
        assert search.context["cl"].result_count == 0
        for lookup in ("email__contains", "email", "client_hash__startswith"):
            assert client.get(changelist(model), {lookup: "leserin"}).status_code == 400
        record = client.get(history(obj))
        assert record.status_code == 200
        assert READER_EMAIL not in record.content.decode()
        # Read-only: the change form cannot be sent.
        response = client.post(change(obj), {"status": "spam", "_save": "Save"})
        assert response.status_code == 403
    # The moderator searches by address.
    client.force_login(moderator)
    assert client.get(changelist(Tip), {"q": "leserin"}).context["cl"].result_count == 1


# --- Hostile text -----------------------------------------------------------------------------
@pytest.mark.parametrize("payload", XSS)
def test_hostile_reader_text_is_escaped_in_the_admin(client, moderator, published, payload):
    claim = make_claim(claim_reviewed=f"Claim {payload}")
    tip = Tip.objects.create(
        claim_text=f"Tipp {payload}",
        seen_at=payload,
        moderator_note=payload,
        email="a@example.org",
        language="de",
        claim=claim,
    )
    report = ErrorReport.objects.create(
        claim=claim, reason="other", message=f"Fehler {payload}", moderator_note=payload
    )
    client.force_login(moderator)
    pages = [
        client.get(changelist(Tip)),
        client.get(changelist(ErrorReport)),
        client.get(change(tip)),
        client.get(change(report)),
        client.get(history(tip)),
        run_action(client, Tip, "make_draft_claim", [tip]),
        run_action(client, ErrorReport, "resolve", [report]),
        client.get(changelist(Tip), {"q": payload}),
    ]
    for page in pages:
        assert page.status_code == 200
        body = page.content.decode()
        assert payload not in body
        assert "<script>alert(1)" not in body
        assert "<img src=x" not in body
    # Shown, as text: in the list (tip text, claim link), on the change pages (all fields)
    # and in the history.
    shown = escape(payload)
    assert pages[0].content.decode().count(shown) >= 2
    assert shown in pages[1].content.decode()
    assert pages[2].content.decode().count(shown) >= 3
    assert pages[3].content.decode().count(shown) >= 2
    assert shown in pages[4].content.decode()


# --- Tip → draft claim ------------------------------------------------------------------------
def test_tip_becomes_a_draft_claim_assigned_to_an_editor(
    client, moderator, editor, reviewer, tip, seeded
):
    client.force_login(moderator)
    page = run_action(client, Tip, "make_draft_claim", [tip])
    assert page.status_code == 200
    body = page.content.decode()
    assert "Assign to" in body
    choices = [label for _value, label in page.context["form"].fields["assignee"].choices]
    assert "editor" in choices
    assert "reviewer" in choices
    assert "moderator" not in choices

    # Only desk users can be chosen.
    refused = confirm_action(client, Tip, "make_draft_claim", [tip], assignee=moderator.pk)
    assert refused.status_code == 200
    assert _reload(tip).claim_id is None

    response = confirm_action(client, Tip, "make_draft_claim", [tip], assignee=editor.pk)
    assert response.status_code == 302
    tip.refresh_from_db()
    claim = tip.claim
    assert claim is not None
    assert (claim.status, claim.assignee, claim.author, claim.language) == (
        Claim.Status.DRAFT,
        editor,
        None,
        "de",
    )
    assert claim.claim_reviewed == tip.claim_text
    assert claim.slug == "die-erde-ist-eine-scheibe-sagt-der-buergermeister"
    assert (tip.status, tip.handled_by) == (ModerationStatus.ACCEPTED, moderator)
    assert tip.history.first().history_user == moderator
    assert claim.history.get().history_user == moderator
    event = claim.events.get()
    assert (event.kind, event.actor, event.recipient) == ("assigned", moderator, editor)
    # The tip's words are stored as parameters, labelled in each viewer's language.
    assert event.params["tip"] == tip.pk
    assert event.params["tip_text"] == tip.claim_text
    assert "Stadtratssitzung" in event.params["seen_at"]
    assert READER_EMAIL not in str(event.params)

    # The editor finds it on the desk and in the notifications.
    client.force_login(editor)
    desk = client.get(reverse("claims:desk")).content.decode()
    assigned = desk[desk.index("Assigned to me") :]
    assert claim.claim_reviewed in assigned
    notifications = client.get(reverse("claims:desk-notifications")).content.decode()
    assert claim.claim_reviewed in notifications
    assert "moderator" in notifications
    assert ClaimEvent.objects.unread_by(editor).filter(claim=claim).exists()
    review = client.get(reverse("claims:desk-claim-review", args=[claim.pk]))
    assert review.status_code == 200
    assert claim.claim_reviewed in review.content.decode()

    # A second time: refused, nothing doubled.
    client.force_login(moderator)
    response = confirm_action(client, Tip, "make_draft_claim", [tip], assignee=reviewer.pk)
    assert any("already has a claim" in m for m in messages_of(response))
    assert Claim.objects.filter(tips=tip).count() == 1
    assert _reload(claim).assignee == editor


def test_tip_to_claim_from_its_change_page(client, moderator, reviewer, tip):
    client.force_login(moderator)
    page = client.get(change(tip))
    assert "make_draft_claim" in dict(page.context["action_form"].fields["action"].choices)
    step1 = client.post(
        change(tip), {"CHANGE_FORM-action": "make_draft_claim", "_selected_action": [tip.pk]}
    )
    assert step1.status_code == 200
    body = step1.content.decode()
    assert 'name="CHANGE_FORM-action" value="make_draft_claim"' in body
    step2 = client.post(
        change(tip),
        {
            "CHANGE_FORM-action": "make_draft_claim",
            "_selected_action": [tip.pk],
            "post": "yes",
            "assignee": reviewer.pk,
        },
    )
    assert step2.status_code == 302
    assert step2["Location"] == change(tip)
    assert _reload(tip).claim.assignee == reviewer


def test_a_long_tip_gives_a_claim_of_claim_length(moderator, editor):
    from claims.services import claim_create_from_tip

    tip = Tip.objects.create(claim_text="Wort " * 400, language="xx-invalid-tag!")
    claim = claim_create_from_tip(tip=tip, assignee=editor, user=moderator)
    assert len(claim.claim_reviewed) <= 250
    assert claim.language == "de"  # not a language tag: the default


# --- Error report → correction ----------------------------------------------------------------
def test_error_report_opens_a_correction_the_author_is_told_about(
    client, moderator, editor, report, published
):
    published.author = editor
    published.save()
    client.force_login(moderator)
    client.post(
        change(report),
        {"status": "accepted", "moderator_note": "Quelle fehlt wirklich.", "_save": "Save"},
    )
    page = run_action(client, ErrorReport, "correction_start", [report])
    assert page.status_code == 200
    assert "Public correction note" in page.content.decode()
    empty = confirm_action(client, ErrorReport, "correction_start", [report], kind="correction")
    assert empty.status_code == 200
    assert not Correction.objects.exists()

    response = confirm_action(
        client,
        ErrorReport,
        "correction_start",
        [report],
        kind="correction",
        note="Quelle 2 wurde ergänzt.",
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert (correction.claim, correction.status, correction.created_by) == (
        published,
        Correction.Status.DRAFT,
        moderator,
    )
    report.refresh_from_db()
    assert (report.correction, report.status, report.handled_by) == (
        correction,
        "accepted",
        moderator,
    )
    assert report.moderator_note == "Quelle fehlt wirklich."
    event = published.events.get(kind="correction_opened")
    assert (event.actor, event.correction) == (moderator, correction)
    assert _reload(published).status == Claim.Status.PUBLISHED  # the old verdict stays public

    client.force_login(editor)
    notifications = client.get(reverse("claims:desk-notifications")).content.decode()
    assert "opened a correction" in notifications
    assert published.claim_reviewed in notifications

    # One correction per report, one open correction per claim.
    client.force_login(moderator)
    again = confirm_action(
        client, ErrorReport, "correction_start", [report], kind="update", note="Noch mal."
    )
    assert again.status_code == 200
    assert "already opened" in again.content.decode()
    assert Correction.objects.count() == 1


def test_no_correction_from_a_rejected_report_or_for_an_unpublished_claim(
    client, moderator, report, draft
):
    client.force_login(moderator)
    report.status = ModerationStatus.SPAM
    report.save()
    page = confirm_action(
        client, ErrorReport, "correction_start", [report], kind="update", note="Neu."
    )
    assert "rejected or marked as spam" in page.content.decode()
    on_draft = ErrorReport.objects.create(claim=draft, reason="other", message="?")
    response = confirm_action(
        client, ErrorReport, "correction_start", [on_draft], kind="update", note="Neu."
    )
    assert response.status_code == 302
    assert any("Only a published claim" in m for m in messages_of(response))
    two = confirm_action(
        client, ErrorReport, "correction_start", [report, on_draft], kind="update", note="Neu."
    )
    assert any("Choose one error report" in m for m in messages_of(two))
    assert not Correction.objects.exists()


# --- Unpublish → 410 --------------------------------------------------------------------------
def test_unpublish_from_the_admin_makes_the_claim_page_410_at_once(
    client, reader, moderator, published
):
    first = reader.get(CLAIM_URL)
    assert (first.status_code, first["X-Cache"]) == (200, "miss")
    assert reader.get(CLAIM_URL)["X-Cache"] == "hit"

    client.force_login(moderator)
    page = run_action(client, Claim, "unpublish", [published])
    assert page.status_code == 200
    assert "Reason" in page.content.decode()
    empty = confirm_action(client, Claim, "unpublish", [published], reason="  ")
    assert empty.status_code == 200
    assert _reload(published).status == Claim.Status.PUBLISHED
    response = confirm_action(
        client, Claim, "unpublish", [published], reason="Einstweilige Verfügung."
    )
    assert response.status_code == 302
    claim = _reload(published)
    assert claim.status == Claim.Status.DRAFT
    assert claim.published_at is not None
    event = claim.events.get(kind="unpublished")
    assert (event.actor, event.comment) == (moderator, "Einstweilige Verfügung.")
    assert claim.history.first().history_user == moderator

    gone = reader.get(CLAIM_URL)
    assert (gone.status_code, gone["X-Cache"]) == (410, "miss")  # not the cached 200
    body = gone.content.decode()
    for text in (claim.claim_reviewed, claim.conclusion, claim.claimant, "Verfügung"):
        assert text not in body
    assert "Fact-check withdrawn" in body
    assert reverse("claims:corrections-policy") in body
    assert "application/ld+json" not in body
    # Cached and cacheable like every public page, in both languages.
    again = reader.get(CLAIM_URL)
    assert (again.status_code, again["X-Cache"]) == (410, "hit")
    assert again.content == gone.content
    assert "public" in again["Cache-Control"]
    assert reader.get(CLAIM_URL, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 410
    german = reader.get("/de" + CLAIM_URL)
    assert german.status_code == 410
    assert claim.claim_reviewed not in german.content.decode()
    # The report form is gone with it.
    assert reader.get(CLAIM_URL + "report/").status_code == 404


def test_never_published_claims_stay_404(reader, draft):
    assert reader.get(draft.get_absolute_url()).status_code == 404
    assert reader.get("/claims/no-such-claim/").status_code == 404


def test_republishing_brings_the_page_back(reader, published, moderator):
    published.unpublish(by=moderator, reason="Prüfen.")
    assert reader.get(CLAIM_URL).status_code == 410
    claim = _reload(published)
    claim.status = Claim.Status.PUBLISHED
    claim.save()
    assert reader.get(CLAIM_URL).status_code == 200


def test_unpublish_is_refused_for_claims_not_published(client, superuser, published, draft):
    client.force_login(superuser)
    response = confirm_action(client, Claim, "unpublish", [draft, published], reason="Warum?")
    assert any("Only a published claim can be unpublished" in m for m in messages_of(response))
    assert any("Unpublished:" in m for m in messages_of(response))
    assert _reload(published).status == Claim.Status.DRAFT
    assert _reload(draft).events.count() == 0
    # Not offered on the change form, where its Run button would catch Enter in a field.
    page = client.get(change(draft))
    assert page.context["action_form"] is None


def test_claim_status_cannot_be_changed_in_the_admin(client, superuser, published):
    client.force_login(superuser)
    page = client.get(change(published))
    assert "status" not in page.context["adminform"].form.fields
    data = {
        "slug": published.slug,
        "claim_reviewed": published.claim_reviewed,
        "claimant": published.claimant,
        "claimant_url": "",
        "language": "de",
        "status": "draft",
        "published_at": "",
        "rating": published.rating_id,
        "conclusion": published.conclusion,
        "explanation": published.explanation,
        "mentions-TOTAL_FORMS": "0",
        "mentions-INITIAL_FORMS": "0",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }
    assert client.post(change(published), data).status_code == 302
    assert _reload(published).status == Claim.Status.PUBLISHED


def test_claim_admin_filters_and_search(client, superuser, seeded, editor):
    client.force_login(superuser)
    Claim.objects.filter(slug=DRAFT_SLUG).update(author=editor, assignee=editor)
    for params in (
        {"status__exact": "published"},
        {"language__exact": "de"},
        {"assignee__id__exact": editor.pk},
        {"author__id__exact": editor.pk},
        {"q": "Waffenstillstand"},
        {"q": PUBLISHED_SLUG},
    ):
        page = client.get(changelist(Claim), params)
        assert page.status_code == 200, params
        assert page.context["cl"].result_count >= 1, params


# --- The rating scale -------------------------------------------------------------------------
def test_reordering_the_rating_scale_in_the_admin_refreshes_public_pages(
    client, reader, superuser, seeded
):
    reader.get("/methodology/")
    assert reader.get("/methodology/")["X-Cache"] == "hit"
    ratings = list(Rating.objects.order_by("position", "pk"))
    data = {
        "form-TOTAL_FORMS": str(len(ratings)),
        "form-INITIAL_FORMS": str(len(ratings)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, rating in enumerate(reversed(ratings)):  # turn the scale around
        data[f"form-{index}-id"] = str(rating.pk)
        data[f"form-{index}-position"] = str(index)
    client.force_login(superuser)
    assert client.post(changelist(Rating), data).status_code == 302
    first = Rating.objects.order_by("position", "pk").first()
    assert first == ratings[-1]
    assert first.history.first().history_user == superuser
    page = reader.get("/methodology/")
    assert page["X-Cache"] == "miss"
    body = page.content.decode()
    assert body.index(ratings[-1].label) < body.index(ratings[0].description)


def test_rating_colour_and_description_edits_refresh_public_pages(
    client, reader, superuser, seeded
):
    reader.get("/methodology/")
    rating = Rating.objects.get(slug="true")
    client.force_login(superuser)
    data = {
        "scale": rating.scale,
        "label": rating.label,
        "slug": rating.slug,
        "value": rating.value,
        "colour": "#123456",
        "description": "Genau so.",
        "label_de": rating.label_de,
        "description_de": rating.description_de,
        "position": rating.position,
    }
    assert client.post(change(rating), data).status_code == 302
    page = reader.get("/methodology/")
    assert page["X-Cache"] == "miss"
    assert "Genau so." in page.content.decode()
    assert "#123456" in reader.get("/ratings.css").content.decode()
    bad = client.post(change(rating), {**data, "colour": "red;}body{x"})
    assert bad.status_code == 200  # refused: a colour ends up in a stylesheet
    assert _reload(rating).colour == "#123456"


# --- Retention --------------------------------------------------------------------------------
def test_purge_takes_the_moderation_history_and_admin_log_along(client, moderator, settings, tip):
    settings.FACTCHECK_READER_RETENTION_DAYS = 30
    client.force_login(moderator)
    client.post(change(tip), {"status": "rejected", "moderator_note": "Nein.", "_save": "Save"})
    assert tip.history.count() == 2
    assert LogEntry.objects.filter(object_id=str(tip.pk)).exists()
    recent = Tip.objects.create(claim_text="Neu")
    long_ago = timezone.now() - timedelta(days=31)
    Tip.objects.filter(pk=tip.pk).update(created_at=long_ago)
    Tip.history.filter(id=tip.pk).update(created_at=long_ago)
    call_command("purgereaderinput", stdout=io.StringIO())
    assert list(Tip.objects.all()) == [recent]
    assert not Tip.history.filter(id=tip.pk).exists()
    assert not LogEntry.objects.filter(object_id=str(tip.pk), content_type__model="tip").exists()
    assert recent.history.count() == 1
