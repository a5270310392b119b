"""Changing one's password in the desk."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/desk/account/password/"
NEW = "a much longer passphrase 2026"


def test_the_desk_navigation_links_to_the_account_page(client, editor):
    client.force_login(editor)
    page = client.get("/desk/").content.decode()
    assert 'href="/desk/account/"' in page
    account = client.get("/desk/account/").content.decode()
    assert f'href="{URL}"' in account


def test_changing_the_password_keeps_the_session_and_the_new_one_works(client, editor):
    client.force_login(editor)
    response = client.post(
        URL, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/desk/account/"
    assert "Your password is changed." in response.content.decode()
    assert client.get("/desk/").status_code == 200  # still signed in

    editor.refresh_from_db()
    assert editor.check_password(NEW)
    other = Client()
    old = other.post("/desk/login/", {"username": "editor", "password": PASSWORD})
    assert old.status_code == 200
    new = other.post("/desk/login/", {"username": "editor", "password": NEW})
    assert new.status_code == 302


def test_a_wrong_old_password_changes_nothing_and_says_so(client, editor):
    client.force_login(editor)
    response = client.post(
        URL, {"old_password": "not mine", "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Your old password was entered incorrectly" in page
    assert "error-summary" in page
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


def test_a_weak_or_mismatched_new_password_is_refused_with_reasons(client, editor):
    client.force_login(editor)
    weak = client.post(
        URL, {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"}
    )
    assert weak.status_code == 422
    assert "This password is too short" in weak.content.decode()
    mismatch = client.post(
        URL, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"}
    )
    assert mismatch.status_code == 422
    assert "didn’t match" in mismatch.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


def test_german_password_page(client, editor):
    client.force_login(editor)
    page = client.get("/de" + URL).content.decode()
    assert "Passwort ändern" in page
    assert "Altes Passwort" in page


def test_moderators_change_their_password_here_too(client, moderator):
    client.force_login(moderator)
    assert client.get("/desk/account/").status_code == 200
    response = client.post(
        URL, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(username="moderator").check_password(NEW)


def test_the_admins_password_change_leads_here(client, moderator):
    client.force_login(moderator)
    response = client.get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == URL


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/desk/login/?next=")
