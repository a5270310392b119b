"""Moderators see which existing claims a reader's tip may repeat, and answer a tip that
repeats a published claim with its link (the Tip change form and its action)."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim, Tip, WorkflowError
from claims.models.reader_input import ModerationStatus
from tests.factories import make_claim, make_rating
from tests.helpers import run_tasks
from tests.test_email import _parts, inbox  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

TIP_TEXT = "Stimmt es, dass die Arbeitslosigkeit in Bremen 2023 um zwölf Prozent gesunken ist?"


def change(tip):
    return reverse("admin:claims_tip_change", args=[tip.pk])


def _tip(**fields):
    defaults = {"claim_text": TIP_TEXT, "language": "de", "email": "leser@example.org"}
    return Tip.objects.create(**{**defaults, "consent": True, **fields})


@pytest.fixture
def claims():
    rating = make_rating(label="False", slug="false", value=1, label_de="Falsch")
    published = make_claim(
        claim_reviewed="Die Arbeitslosigkeit in Bremen ist 2023 um zwölf Prozent gesunken",
        rating=rating,
        slug="bremen",
    )
    draft = make_claim(
        status=Claim.Status.DRAFT,
        claim_reviewed="Arbeitslosigkeit in Bremen 2023 um zwölf Prozent gesunken <b>fett</b>",
        slug="bremen-entwurf",
    )
    make_claim(claim_reviewed="Der Hafen von Hamburg hat einen neuen Kran", slug="hafen")
    return published, draft


def _answer(client, tip, *, where="changelist", **data):
    if where == "changelist":
        url = reverse("admin:claims_tip_changelist")
        key = "action"
    else:
        url, key = change(tip), "CHANGE_FORM-action"
    return client.post(url, {key: "answer_with_claim", "_selected_action": [tip.pk], **data})


def test_the_change_form_lists_possible_repeats_in_any_status(client, moderator, claims):
    published, draft = claims
    client.force_login(moderator)
    html = client.get(change(_tip())).content.decode()
    assert "Possible repeats of existing claims" in html
    assert published.claim_reviewed in html
    assert "zwölf Prozent gesunken &lt;b&gt;fett&lt;/b&gt;" in html
    assert "<b>fett</b>" not in html
    assert "Hamburg" not in html
    assert reverse("admin:claims_claim_change", args=[published.pk]) in html
    assert reverse("admin:claims_claim_change", args=[draft.pk]) in html
    assert published.get_absolute_url() in html  # the public page: published only
    assert draft.get_absolute_url() not in html
    assert "False" in html  # the published claim's rating


def test_a_tip_like_no_claim_says_so(client, moderator, claims):
    client.force_login(moderator)
    html = client.get(change(_tip(claim_text="Die Sonne scheint über dem Meer."))).content
    assert "No existing claim is like this tip." in html.decode()


def test_answering_shows_the_published_claims_and_a_reply_with_the_link(client, moderator, claims):
    published, draft = claims
    client.force_login(moderator)
    tip = _tip()
    page = _answer(client, tip, where="change")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{published.pk}"' in html
    assert f'value="{draft.pk}"' not in html  # published only
    assert f"http://testserver{published.get_absolute_url()}" in html  # the reply's link
    assert 'name="CHANGE_FORM-action" value="answer_with_claim"' in html
    assert _reload(tip).status == ModerationStatus.NEW  # nothing happened yet


def _reload(obj):
    obj.refresh_from_db()
    return obj


def test_answering_links_resolves_and_emails_the_reader(
    client,
    moderator,
    claims,
    inbox,  # noqa: F811 (the fixture)
    django_capture_on_commit_callbacks,
):
    published, _draft = claims
    client.force_login(moderator)
    tip = _tip()
    with django_capture_on_commit_callbacks(execute=True):
        response = _answer(
            client,
            tip,
            post="yes",
            claim=published.pk,
            reply="Danke! Das haben wir schon geprüft.",
            note="Wiederholung",
        )
    assert response.status_code == 302
    tip = _reload(tip)
    assert tip.claim == published
    assert tip.status == ModerationStatus.ACCEPTED
    assert tip.moderator_note == "Wiederholung"
    assert tip.handled_by == moderator
    link = f"http://testserver{published.get_absolute_url()}"
    assert tip.reply.startswith("Danke! Das haben wir schon geprüft.")
    assert tip.reply.endswith(link)  # added: the reply did not carry it
    run_tasks()
    [message] = inbox.to("leser@example.org")
    text, _html = _parts(message)
    assert link in text


def test_without_consent_the_tip_is_answered_but_nobody_is_written_to(
    client,
    moderator,
    claims,
    inbox,  # noqa: F811 (the fixture)
    django_capture_on_commit_callbacks,
):
    published, _draft = claims
    client.force_login(moderator)
    tip = _tip(consent=False)
    page = _answer(client, tip)
    assert 'name="reply"' not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _answer(client, tip, post="yes", claim=published.pk, note="Schon geprüft")
    assert response.status_code == 302
    tip = _reload(tip)
    assert (tip.claim, tip.status, tip.reply) == (published, ModerationStatus.ACCEPTED, "")
    run_tasks()
    assert inbox.received == []


def test_a_draft_cannot_answer_a_tip(client, moderator, claims):
    _published, draft = claims
    client.force_login(moderator)
    tip = _tip()
    _answer(client, tip, post="yes", claim=draft.pk, reply="x", note="n")
    assert _reload(tip).claim is None
    with pytest.raises(WorkflowError) as refusal:
        services.tip_answer_with_claim(tip=tip, claim=draft, reply="x", note="n", user=moderator)
    assert refusal.value.code == "not_published"


def test_a_tip_like_no_published_claim_cannot_be_answered(client, moderator, claims):
    client.force_login(moderator)
    tip = _tip(claim_text="Die Sonne scheint über dem Meer.")
    response = _answer(client, tip)
    said = [str(message) for message in response.wsgi_request._messages]
    assert any("No published fact-check is like this tip" in message for message in said)


def test_editors_and_reviewers_may_not_answer(client, editor, reviewer, claims):
    published, _draft = claims
    tip = _tip()
    for user in (editor, reviewer):
        user.is_staff = True
        user.save()
        client.force_login(user)
        response = _answer(client, tip, post="yes", claim=published.pk, reply="x", note="n")
        assert response.status_code in (302, 403)
        assert _reload(tip).claim is None
    with pytest.raises(WorkflowError):
        services.tip_answer_with_claim(tip=tip, claim=published, reply="x", note="n", user=editor)


def test_the_german_admin_speaks_german(client, moderator, claims):
    client.force_login(moderator)
    html = client.get("/de" + change(_tip()))
    assert "Mögliche Wiederholungen bereits vorhandener Behauptungen" in html.content.decode()
