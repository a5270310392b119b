"""API tokens (issue #19, section 3): issued once and stored hashed, authenticated with the
reasons a refusal has, noted when used (at most once a minute), revoked by their owner in
the desk or by an administrator, and never written to a log."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from claims import tokens
from claims.models import ApiToken
from claims.tokens import TokenError

pytestmark = pytest.mark.django_db

LIST = "/desk/account/tokens/"
READ, WRITE = ApiToken.Scope.READ_DESK, ApiToken.Scope.WRITE_ARTICLES
DAYS_90 = timedelta(days=90)


def _issue(user, name="CMS", scopes=(READ,), lifetime=DAYS_90):
    return tokens.issue_token(user, name, list(scopes), lifetime)


def _refused(raw: str) -> str:
    with pytest.raises(TokenError) as refusal:
        tokens.authenticate(raw)
    return refusal.value.reason


# --- The rules ------------------------------------------------------------------------------
def test_an_issued_token_authenticates_as_its_user_with_its_scopes(editor):
    token, raw = _issue(editor, scopes=[READ, WRITE])
    assert raw.startswith(f"fc_{token.prefix}_")
    assert len(raw) >= 3 + 8 + 1 + 43  # 32 random bytes after the prefix
    found = tokens.authenticate(raw)
    assert found == token
    assert found.user == editor
    assert tokens.has_scope(found, READ)
    assert tokens.has_scope(found, WRITE)
    assert token.expires_at - token.created_at == DAYS_90


def test_authenticate_reads_one_row_with_its_user(editor, django_assert_num_queries):
    _token, raw = _issue(editor)
    with django_assert_num_queries(1):
        assert tokens.authenticate(raw).user.username == "editor"


def test_a_token_has_only_its_scopes(editor):
    token, _raw = _issue(editor, scopes=[READ])
    assert tokens.has_scope(token, READ)
    assert not tokens.has_scope(token, WRITE)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "fc_",
        "Bearer x",
        "fc_zzzzzzzz_" + "a" * 43,
        "fc_0123abcd_short",
        "xx_0123abcd_" + "a" * 43,
    ],
)
def test_something_that_is_no_token_is_malformed(editor, raw):
    assert _refused(raw) == "malformed"


def test_a_wrong_secret_or_an_unknown_prefix_is_unknown(editor):
    token, raw = _issue(editor)
    wrong_secret = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")
    assert _refused(wrong_secret) == "unknown"
    other_prefix = "fc_" + ("0" * 8 if token.prefix != "0" * 8 else "1" * 8) + raw[11:]
    assert _refused(other_prefix) == "unknown"


def test_a_revoked_token_is_refused_as_revoked(editor, reviewer):
    token, raw = _issue(editor)
    assert tokens.revoke(token, by=reviewer) is True
    assert token.revoked_by == reviewer
    assert token.revoked_at is not None
    assert _refused(raw) == "revoked"
    first = token.revoked_at
    assert tokens.revoke(token, by=editor) is False  # the first revocation stays
    token.refresh_from_db()
    assert token.revoked_at == first
    assert token.revoked_by == reviewer


def test_an_expired_token_is_refused_as_expired(editor):
    token, raw = _issue(editor, lifetime=timedelta(days=30))
    with time_machine.travel(token.expires_at - timedelta(seconds=1), tick=False):
        assert tokens.authenticate(raw) == token
    with time_machine.travel(token.expires_at + timedelta(seconds=1), tick=False):
        assert _refused(raw) == "expired"


def test_the_token_of_an_inactive_user_is_refused(editor):
    _token, raw = _issue(editor)
    editor.is_active = False
    editor.save()
    assert _refused(raw) == "inactive_user"


def test_only_the_hash_is_stored_never_the_raw_token(editor):
    token, raw = _issue(editor)
    secret = raw.split("_", 2)[2]
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    for value in row.values():
        assert raw not in str(value)
        assert secret not in str(value)
    assert row["secret_hash"] == tokens.hash_token(raw)
    assert len(row["secret_hash"]) == 64


def test_last_used_is_written_at_most_once_a_minute(editor, django_assert_num_queries):
    token, _raw = _issue(editor)
    assert token.last_used_at is None
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        with django_assert_num_queries(1):  # one UPDATE, no read first
            assert tokens.touch(token) is True
        assert tokens.touch(token) is False
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        assert tokens.touch(token) is False
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert tokens.touch(token) is True
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(seconds=61)


def test_lifetimes_are_capped_by_the_setting(editor, settings):
    assert tokens.lifetime_choices() == [30, 90, 365]
    assert tokens.default_lifetime() == 90
    settings.FACTCHECK_API_TOKEN_MAX_DAYS = 60
    assert tokens.lifetime_choices() == [30]
    assert tokens.default_lifetime() == 30
    with pytest.raises(ValueError, match="1 to 60 days"):
        _issue(editor, lifetime=DAYS_90)
    settings.FACTCHECK_API_TOKEN_MAX_DAYS = 7
    assert tokens.lifetime_choices() == [7]


def test_a_token_needs_known_scopes(editor):
    from django.core.exceptions import ValidationError

    for scopes in ([], ["admin:all"], [READ, READ]):
        with pytest.raises(ValidationError):
            _issue(editor, scopes=scopes)
    assert not ApiToken.objects.exists()


# --- The desk page --------------------------------------------------------------------------
def _make(client, name="CMS production", scopes=(READ,), lifetime=90):
    return client.post(LIST, {"name": name, "scopes": list(scopes), "lifetime": lifetime})


def test_the_account_page_links_to_the_tokens(client, editor):
    client.force_login(editor)
    assert f'href="{LIST}"' in client.get("/desk/account/").content.decode()


def test_a_new_token_is_shown_once_and_not_stored_by_caches(client, editor):
    client.force_login(editor)
    response = _make(client, scopes=[READ, WRITE], lifetime=30)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=editor)
    page = response.content.decode()
    raw = page.split('id="new-token-value" value="', 1)[1].split('"', 1)[0]
    assert raw.startswith(f"fc_{token.prefix}_")
    assert tokens.authenticate(raw) == token
    assert "Copy it now: it will not be shown again." in page
    assert 'data-copy-target="new-token-value"' in page
    assert "js/copy.js" in page
    assert token.scopes == [READ, WRITE]
    assert token.expires_at - token.created_at == timedelta(days=30)

    again = client.get(LIST)
    assert "no-store" in again["Cache-Control"]
    listed = again.content.decode()
    assert raw not in listed
    assert raw.split("_", 2)[2] not in listed
    assert f"fc_{token.prefix}…" in listed  # known by its prefix
    assert "CMS production" in listed
    assert "never" in listed
    assert "Read the desk" in listed
    assert "Write articles" in listed
    # Nothing else carries it: no message, no session.
    assert raw not in str(dict(client.session))


def test_the_list_shows_status_and_last_use(client, editor):
    active, _ = _issue(editor, name="Aktiv")
    revoked, _ = _issue(editor, name="Zurückgezogen")
    tokens.revoke(revoked, by=editor)
    expired, _ = _issue(editor, name="Abgelaufen", lifetime=timedelta(days=1))
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    tokens.touch(active)
    client.force_login(editor)
    page = client.get(LIST).content.decode()
    rows = {
        name: page.split(name, 1)[1].split("</tr>", 1)[0]
        for name in ("Aktiv", "Zurückgezogen", "Abgelaufen")
    }
    assert ">active<" in rows["Aktiv"]
    assert "never" not in rows["Aktiv"]
    assert "revoked" in rows["Zurückgezogen"]
    assert "/revoke/" not in rows["Zurückgezogen"]
    assert "expired" in rows["Abgelaufen"]
    assert "/revoke/" not in rows["Abgelaufen"]
    assert reverse("claims:account-token-revoke", args=[active.pk]) in rows["Aktiv"]


def test_others_tokens_are_not_listed(client, editor, editor2):
    _issue(editor2, name="Fremder Token")
    client.force_login(editor)
    assert "Fremder Token" not in client.get(LIST).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "scopes": [READ], "lifetime": 90}, "name", "Give the token a name."),
        ({"name": "CMS", "lifetime": 90}, "scopes", "Choose at least one thing the token may do."),
        (
            {"name": "CMS", "scopes": ["admin:all"], "lifetime": 90},
            "scopes",
            "is not one of the available choices",
        ),
        (
            {"name": "CMS", "scopes": [READ], "lifetime": 1000},
            "lifetime",
            "is not one of the available choices",
        ),
    ],
)
def test_a_wrong_form_says_what_is_wrong_next_to_the_field(client, editor, data, field, message):
    client.force_login(editor)
    response = client.post(LIST, data)
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page
    assert "error-summary" in page
    assert f'id="error_1_id_{field}"' in page or f"id_{field}" in page.split(message, 1)[0][-2000:]
    assert not ApiToken.objects.exists()
    assert 'id="new-token-value"' not in page


def test_a_name_is_unique_among_ones_active_tokens(client, editor, editor2):
    client.force_login(editor)
    assert _make(client, name="CMS").status_code == 200
    again = _make(client, name="cms ")
    assert again.status_code == 422
    assert "You already have an active token of this name." in again.content.decode()
    # Another user's token, or a revoked one, does not count.
    _issue(editor2, name="Blog")
    assert _make(client, name="Blog").status_code == 200
    tokens.revoke(ApiToken.objects.get(user=editor, name="CMS"), by=editor)
    assert _make(client, name="CMS").status_code == 200
    assert ApiToken.objects.filter(user=editor).count() == 3


def test_revoking_asks_first_then_revokes_with_a_message(client, editor):
    token, raw = _issue(editor)
    client.force_login(editor)
    url = reverse("claims:account-token-revoke", args=[token.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Revoke the token" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # asking changes nothing
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert "is revoked: it no longer works." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_by == editor
    assert _refused(raw) == "revoked"


def test_nobody_else_can_revoke_a_token(client, editor, editor2, superuser):
    token, raw = _issue(editor)
    url = reverse("claims:account-token-revoke", args=[token.pk])
    for other in (editor2, superuser):
        client.force_login(other)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert tokens.authenticate(raw) == token


def test_anonymous_users_are_sent_to_sign_in(client, editor):
    token, _raw = _issue(editor)
    for url in (LIST, reverse("claims:account-token-revoke", args=[token.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("claims:login"))


def test_moderators_without_the_desk_are_refused_and_see_no_link(client, moderator):
    client.force_login(moderator)
    assert client.get(LIST).status_code == 403
    assert _make(client).status_code == 403
    assert not ApiToken.objects.exists()
    assert f'href="{LIST}"' not in client.get("/desk/account/").content.decode()


def test_the_page_is_in_german_too(client, editor):
    client.force_login(editor)
    page = _make(client).content.decode()
    german = client.get("/de" + LIST).content.decode()
    assert "Copy it now" in page
    assert "API-Token" in german
    assert "Copy it now" not in german


# --- The admin -----------------------------------------------------------------------------
def test_administrators_see_tokens_read_only_without_the_hash_and_revoke_them(
    client, editor, superuser
):
    token, raw = _issue(editor, name="CMS")
    client.force_login(superuser)
    changelist = reverse("admin:claims_apitoken_changelist")
    page = client.get(changelist).content.decode()
    assert "CMS" in page
    assert f"fc_{token.prefix}" in page
    change = client.get(reverse("admin:claims_apitoken_change", args=[token.pk])).content.decode()
    assert token.secret_hash not in change
    assert raw not in change
    assert client.get(reverse("admin:claims_apitoken_add")).status_code == 403
    assert "active" in client.get(changelist, {"status": "active"}).content.decode()
    response = client.post(
        changelist, {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert "1 token revoked." in response.content.decode()
    assert _refused(raw) == "revoked"
    token.refresh_from_db()
    assert token.revoked_by == superuser
    assert f"fc_{token.prefix}" in client.get(changelist, {"status": "revoked"}).content.decode()
    assert (
        f"fc_{token.prefix}" not in client.get(changelist, {"status": "active"}).content.decode()
    )


def test_staff_who_are_not_administrators_do_not_see_tokens(client, moderator, editor):
    _issue(editor)
    client.force_login(moderator)
    assert client.get(reverse("admin:claims_apitoken_changelist")).status_code == 403


# --- Logs ----------------------------------------------------------------------------------
def test_tokens_and_authorization_headers_never_reach_a_log(caplog, editor):
    token, raw = _issue(editor)
    secret = raw.split("_", 2)[2]
    request = RequestFactory().get(
        "/api/v1/claims", headers={"Authorization": f"Bearer {raw}", "X-Other": "kept"}
    )
    basic = RequestFactory().get("/", headers={"Authorization": "Basic dXNlcjpzZWNyZXQ="})
    logger = logging.getLogger("claims.api")
    with caplog.at_level(logging.INFO):
        logger.info("a request with %s failed", raw)
        logger.warning("headers: %s", request.META)
        logger.warning("basic: %r", basic.META)
        logger.error(f"inline Authorization: Bearer {raw}")
        logger.info("mapping %(meta)s", {"meta": request.META})
    text = caplog.text + "".join(record.getMessage() for record in caplog.records)
    assert secret not in text
    assert raw not in text
    assert "dXNlcjpzZWNyZXQ=" not in text
    assert f"fc_{token.prefix}_[redacted]" in text  # the public prefix still says which
    assert "kept" in text
    assert "/api/v1/claims" in text


def test_the_redaction_sits_on_the_root_handlers():
    from factcheck.log_redaction import RedactSecrets

    handlers = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    assert handlers
    assert all(any(isinstance(f, RedactSecrets) for f in h.filters) for h in handlers)


def test_deleting_a_user_deletes_their_tokens(editor):
    _issue(editor)
    get_user_model().objects.filter(pk=editor.pk).delete()
    assert not ApiToken.objects.exists()
