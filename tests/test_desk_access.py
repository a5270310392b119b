"""Who may use the desk, and how each endpoint answers the wrong method."""

import pytest
from django.urls import reverse

from claims.models import Claim, Mention
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _urls(seeded_claim: Claim) -> dict[str, str]:
    mention = seeded_claim.mentions.first()
    article = mention.revision.article
    return {
        "home": reverse("claims:desk"),
        "new": reverse("claims:desk-article-new"),
        "workspace": reverse("claims:desk-article", args=[article.pk]),
        "panel": reverse("claims:desk-claim", args=[article.pk, seeded_claim.pk]),
        "mark": reverse("claims:desk-mark", args=[article.pk]),
        "link": reverse("claims:desk-link", args=[article.pk]),
        "adjust": reverse("claims:desk-mention-adjust", args=[mention.pk]),
        "delete": reverse("claims:desk-mention-delete", args=[mention.pk]),
        "search": reverse("claims:desk-claim-search") + "?q=Nordkorea",
        "preview": reverse("claims:desk-preview"),
    }


def test_anonymous_users_are_sent_to_the_login_page(client, draft):
    for name, url in _urls(draft).items():
        response = (
            client.post(url)
            if name in {"mark", "link", "adjust", "preview"}
            else (client.get(url))
        )
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("claims:login")), name
    assert Mention.objects.count() == 8


def test_users_without_a_desk_role_get_403(client, moderator, draft):
    client.force_login(moderator)
    for name, url in _urls(draft).items():
        response = (
            client.post(url)
            if name in {"mark", "link", "adjust", "preview"}
            else (client.get(url))
        )
        assert response.status_code == 403, name


def test_post_only_endpoints_refuse_get(client, editor, draft):
    client.force_login(editor)
    urls = _urls(draft)
    for name in ("mark", "link", "adjust", "preview"):
        assert client.get(urls[name]).status_code == 405, name


def test_editor_signs_in_and_lands_on_the_desk(client, editor, draft):
    draft.assignee = editor
    draft.save()
    response = client.post(
        reverse("claims:login"), {"username": "editor", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("claims:desk")
    html = response.content.decode()
    assert "Assigned to me" in html
    assert draft.claim_reviewed in html
    assert "Trump dämpft Erwartungen" in html


def test_wrong_password_is_refused_with_a_message(client, editor):
    response = client.post(reverse("claims:login"), {"username": "editor", "password": "nope"})
    assert response.status_code == 200
    assert "didn't match" in response.content.decode()


def test_writes_need_a_csrf_token(editor, draft):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    response = strict.post(_urls(draft)["mark"], {"revision": 1, "start": 0, "end": 2})
    assert response.status_code == 403
    assert Mention.objects.count() == 8


def test_refusal_page_says_why(client, moderator):
    client.force_login(moderator)
    response = client.get(reverse("claims:desk"))
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
    assert "editors and reviewers" in response.content.decode()
    assert "open the admin" in response.content.decode()  # moderators work there
    assert "Sign out" in response.content.decode()
