"""Password guessing: failed sign-ins are throttled per account and per client address on
the desk's and the admin's sign-in pages (django-axes, claims.signin), logged with the user
name and a hashed address, and moderators can unlock."""

import logging

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from claims.abuse import client_hash
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

DESK_LOGIN = "/desk/login/"
ADMIN_LOGIN = "/admin/login/"
ATTACKER = "203.0.113.66"
ELSEWHERE = "198.51.100.7"


def _post(client, url, username, password, address=ATTACKER, **headers):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def _guess(client, url, username, times, address=ATTACKER, **headers):
    return [
        _post(client, url, username, f"guess-{i}", address, **headers).status_code
        for i in range(times)
    ]


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_lock_the_account_with_429_and_a_time(client, editor, settings):
    limit = settings.AXES_FAILURE_LIMIT
    statuses = _guess(client, DESK_LOGIN, "editor", 30)
    # Wrong passwords are refused with the form until the limit; from then on, locked.
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit - 1 :]) == {429}

    response = _post(client, DESK_LOGIN, "editor", PASSWORD)
    assert response.status_code == 429  # the right password, refused while locked
    assert not _signed_in(client)
    page = response.content.decode()
    minutes = settings.FACTCHECK_SIGNIN_COOLOFF_MINUTES
    assert f"Try again in {minutes} minutes, after " in page
    assert response["Retry-After"] == str(minutes * 60)
    assert '<main id="main"' in page  # the site's layout, not a bare text answer
    assert "<script>" not in page
    assert "style=" not in page


@pytest.mark.parametrize("page", [DESK_LOGIN, ADMIN_LOGIN])
def test_an_overlong_user_name_is_counted_cut_to_size(client, db, page):
    """No user name is longer than 150 characters; a 10,000-character one is refused like
    any wrong one and counted under its first 150 (PostgreSQL refused to store it: 500)."""
    response = _post(client, page, "x" * 10_000, "wrong")
    assert response.status_code == 200
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "x" * 150


def test_the_lockout_page_speaks_the_visitors_language(client, editor, settings):
    _guess(client, "/de/desk/login/", "editor", settings.AXES_FAILURE_LIMIT)
    response = _post(client, "/de/desk/login/", "editor", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert '<html lang="de">' in page
    assert "Versuchen Sie es in 15 Minuten erneut" in page


def test_a_locked_account_is_locked_from_every_address(client, editor, settings):
    """Guessing one account's password from many machines: the account's own count."""
    for i in range(settings.AXES_FAILURE_LIMIT):
        _post(client, DESK_LOGIN, "editor", "guess", address=f"203.0.113.{i + 1}")
    response = _post(Client(), DESK_LOGIN, "editor", PASSWORD, address=ELSEWHERE)
    assert response.status_code == 429


def test_one_address_spraying_many_accounts_is_locked(client, editor, settings):
    """One password tried on many accounts: the address's count, whatever the names."""
    for i in range(settings.AXES_FAILURE_LIMIT):
        _post(client, DESK_LOGIN, f"someone{i}", "Sommer2024!")
    assert _post(client, DESK_LOGIN, "editor", PASSWORD).status_code == 429
    # The editor, from their own machine, is not affected.
    other = Client()
    assert _post(other, DESK_LOGIN, "editor", PASSWORD, address=ELSEWHERE).status_code == 302
    assert _signed_in(other)


def test_a_forged_forwarded_for_header_does_not_escape_the_lock(client, editor, settings):
    """Without trusted proxies, X-Forwarded-For is the client's own words: ignored."""
    settings.FACTCHECK_TRUSTED_PROXY_COUNT = 0
    for i in range(settings.AXES_FAILURE_LIMIT):
        _post(client, DESK_LOGIN, f"user{i}", "guess", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    response = _post(client, DESK_LOGIN, "nobody", "guess", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_count(client, editor, settings):
    settings.FACTCHECK_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for i in range(settings.AXES_FAILURE_LIMIT):
        _post(client, DESK_LOGIN, f"user{i}", "guess", proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    # Another reader behind the same proxy signs in; the guesser stays locked.
    other = Client()
    ok = _post(other, DESK_LOGIN, "editor", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert ok.status_code == 302
    locked = _post(client, DESK_LOGIN, "editor", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert locked.status_code == 429


def test_the_admin_sign_in_is_throttled_too(client, superuser, settings):
    limit = settings.AXES_FAILURE_LIMIT
    statuses = _guess(client, ADMIN_LOGIN, "chief", limit + 5)
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit - 1 :]) == {429}
    response = client.post(
        ADMIN_LOGIN,
        {"username": "chief", "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR=ELSEWHERE,
    )
    assert response.status_code == 429
    assert "Try again in" in response.content.decode()
    assert not _signed_in(client)


def test_failures_on_both_pages_add_up(client, editor, settings):
    half = settings.AXES_FAILURE_LIMIT // 2
    _guess(client, ADMIN_LOGIN, "editor", half)
    _guess(client, DESK_LOGIN, "editor", settings.AXES_FAILURE_LIMIT - half)
    assert _post(Client(), DESK_LOGIN, "editor", PASSWORD, ELSEWHERE).status_code == 429


def test_axes_stores_no_real_address(client, editor, settings):
    _guess(client, DESK_LOGIN, "editor", 3)
    attempt = AccessAttempt.objects.get(username="editor")
    assert attempt.failures_since_start == 3
    assert attempt.ip_address != ATTACKER
    assert attempt.ip_address.startswith("fd")  # a unique-local address made from the hash
    assert ATTACKER not in attempt.get_data + attempt.post_data
    assert "guess-" not in attempt.post_data  # the password is masked


def test_failures_and_lockouts_are_logged_with_name_and_hash_not_address(
    client, editor, settings, caplog, rf
):
    caplog.set_level(logging.DEBUG)
    _guess(client, DESK_LOGIN, "editor", settings.AXES_FAILURE_LIMIT + 1)
    expected_hash = client_hash(rf.get("/", REMOTE_ADDR=ATTACKER))[:12]

    records = [r for r in caplog.records if r.name == "claims.signin"]
    failures = [r.getMessage() for r in records if "sign-in failed" in r.getMessage()]
    lockouts = [r.getMessage() for r in records if "locked out" in r.getMessage()]
    assert len(failures) == settings.AXES_FAILURE_LIMIT + 1
    assert lockouts
    for line in failures + lockouts:
        assert "'editor'" in line
        assert f"client {expected_hash}" in line
    # Nothing logged anywhere (axes' own lines included) carries the address.
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert ATTACKER not in everything
    axes_lines = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    assert any("'editor'" in line and expected_hash in line for line in axes_lines)


def _moderator_client(moderator) -> Client:
    admin = Client()
    admin.force_login(moderator)
    return admin


CHANGELIST = "/admin/axes/accessattempt/"


def test_a_moderator_unlocks_an_account_guessed_at_from_many_addresses(
    client, editor, moderator, settings
):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _post(client, DESK_LOGIN, "editor", "guess", address=f"203.0.113.{i + 1}")
    _post(client, DESK_LOGIN, "someone-else", "guess", address="192.0.2.9")
    assert _post(client, DESK_LOGIN, "editor", PASSWORD).status_code == 429

    admin = _moderator_client(moderator)
    listing = admin.get(CHANGELIST + "?locked=yes")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "account locked out until" in page
    assert "someone-else" not in page  # one failure: counting, not locked
    assert "Unlock the accounts" in page
    rows = AccessAttempt.objects.filter(username="editor")
    count, one_row = rows.count(), rows.first().pk
    assert count == settings.AXES_FAILURE_LIMIT + 1  # one row per address
    response = admin.post(
        CHANGELIST, {"action": "unlock_accounts", "_selected_action": [one_row]}, follow=True
    )
    message = f"Unlocked: {count} records of failed sign-ins deleted (editor)."
    assert message in response.content.decode()
    # Every address's attempts at the account are forgotten; others' are kept.
    assert not AccessAttempt.objects.filter(username="editor").exists()
    assert AccessAttempt.objects.filter(username="someone-else").exists()
    assert _post(client, DESK_LOGIN, "editor", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_a_moderator_unlocks_a_client_address(client, editor, moderator, settings):
    """A newsroom behind one address, locked by its own typos (or a spray from it)."""
    for i in range(settings.AXES_FAILURE_LIMIT):
        _post(client, DESK_LOGIN, f"colleague{i}", "typo")
    assert _post(client, DESK_LOGIN, "editor", PASSWORD).status_code == 429

    admin = _moderator_client(moderator)
    page = admin.get(CHANGELIST + "?locked=yes").content.decode()
    # Every row of that address (the colleagues' and the refused editor's) shows it.
    assert page.count("client locked out until") == AccessAttempt.objects.count()
    assert AccessAttempt.objects.count() == settings.AXES_FAILURE_LIMIT + 1
    one_row = AccessAttempt.objects.first().pk
    admin.post(CHANGELIST, {"action": "unlock_clients", "_selected_action": [one_row]})
    assert not AccessAttempt.objects.exists()
    assert _post(client, DESK_LOGIN, "editor", PASSWORD).status_code == 302


def test_the_unlock_admin_reads_german(client, editor, moderator, settings):
    _guess(client, DESK_LOGIN, "editor", 2)
    admin = Client()
    admin.force_login(moderator)
    page = admin.get("/de" + CHANGELIST).content.decode()
    assert "Konten entsperren" in page
    assert "Fehlgeschlagene Anmeldungen" in page  # the column
    assert "wird gezählt" in page


def test_editors_cannot_unlock(client, editor, settings):
    editor.is_staff = True
    editor.save()
    admin = Client()
    admin.force_login(editor)
    assert admin.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_wrong_old_passwords_on_the_password_page_count_as_failed_sign_ins(
    client, editor, settings
):
    """A borrowed session cannot guess the password through the password change form."""
    client.force_login(editor)
    url = reverse("claims:account-password")
    statuses = [
        client.post(
            url,
            {"old_password": f"guess{i}", "new_password1": "x", "new_password2": "x"},
            REMOTE_ADDR=ATTACKER,
        ).status_code
        for i in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429
    assert _post(Client(), DESK_LOGIN, "editor", PASSWORD, ELSEWHERE).status_code == 429
