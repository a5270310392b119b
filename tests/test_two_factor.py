"""The second factor: setting up an authenticator app (TOTP) with recovery codes, the code
step of signing in, FACTCHECK_2FA_REQUIRED_ROLES on the desk and the admin, removing it."""

import base64
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = "/desk/account/two-factor/setup/"
CODE_STEP = "/desk/login/code/"


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The app's code now (or ``steps_ahead`` 30-second steps later), computed from the
    device's key as an authenticator app does."""
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0 - steps_ahead * device.step,
        digits=device.digits,
        drift=device.drift,
    )
    return f"{value:0{device.digits}d}"


def enrol(client) -> tuple[TOTPDevice, list[str]]:
    """Set up the signed-in user's authenticator app through the pages; the device and the
    recovery codes shown."""
    page = client.get(SETUP)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(SETUP, {"code": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:account-recovery-codes")
    shown = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", shown)
    device.refresh_from_db()
    return device, codes


def sign_in(client, username, url="/desk/login/", next_url=None):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def test_set_up_shows_a_qr_code_made_here_and_the_key(client, editor):
    client.force_login(editor)
    page = client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert 'src="data:image/svg+xml' in page  # drawn on the server, no outside service
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    shown = re.search(r'id="manual-key">([A-Z2-7 ]+)<', page)[1]
    assert shown.replace(" ", "") == key
    assert "Factcheck Desk: editor" in page
    # Reloading keeps the same key (a scanned code stays valid until confirmed).
    client.get(SETUP)
    assert TOTPDevice.objects.get(user=editor).key == device.key


def test_the_code_step_never_sends_anyone_off_the_site(client, editor):
    client.force_login(editor)
    device, _codes = enrol(client)
    client.logout()
    sign_in(client, "editor")
    answer = client.post(CODE_STEP, {"code": code_for(device), "next": "https://evil.example/"})
    assert answer.status_code == 302
    assert answer["Location"] == reverse("claims:desk")


def test_set_up_refuses_a_wrong_code_and_changes_nothing(client, editor):
    client.force_login(editor)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=editor)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert response.status_code == 422
    assert "This code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.exists()


def test_enrolment_confirms_the_app_and_shows_ten_recovery_codes_once(client, editor):
    client.force_login(editor)
    device, codes = enrol(client)
    assert device.confirmed
    assert len(codes) == 10
    assert len(set(codes)) == 10
    stored = set(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
    assert stored == set(codes)
    # Shown once: the page does not show them again.
    again = client.get(reverse("claims:account-recovery-codes"))
    assert again.status_code == 302
    # This session is verified: the desk opens.
    assert client.get("/desk/").status_code == 200
    account = client.get("/desk/account/").content.decode()
    assert "10 recovery codes left" in account


def test_sign_in_requires_the_code_once_set_up(client, editor):
    client.force_login(editor)
    device, _codes = enrol(client)
    client.logout()

    response = sign_in(client, "editor", next_url="/desk/claims/")
    # Password accepted, but nothing of the desk until the code.
    for path in ("/desk/", "/desk/claims/", "/desk/account/", "/de/desk/"):
        blocked = client.get(path)
        assert blocked.status_code == 302, path
        assert blocked["Location"].split("?")[0].endswith(CODE_STEP), path
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0].startswith(CODE_STEP + "?next=")
    assert "Your code" in response.content.decode()

    wrong = client.post(CODE_STEP, {"code": "000000", "next": "/desk/claims/"})
    assert wrong.status_code == 422
    assert "This code is not right" in wrong.content.decode()
    device.throttle_reset()  # django-otp makes the next try wait a second after a miss

    ok = client.post(CODE_STEP, {"code": code_for(device, 1), "next": "/desk/claims/"})
    assert ok.status_code == 302
    assert ok["Location"] == "/desk/claims/"
    assert client.get("/desk/").status_code == 200


def test_a_used_code_is_not_accepted_twice(client, editor):
    client.force_login(editor)
    device, _codes = enrol(client)
    client.logout()
    sign_in(client, "editor")
    code = code_for(device, 1)
    assert client.post(CODE_STEP, {"code": code}).status_code == 302
    client.logout()
    sign_in(client, "editor")
    assert client.post(CODE_STEP, {"code": code}).status_code == 422


def test_wrong_codes_are_throttled_with_a_sentence(client, editor):
    client.force_login(editor)
    device, _codes = enrol(client)
    client.logout()
    sign_in(client, "editor")
    client.post(CODE_STEP, {"code": "000000"})
    response = client.post(CODE_STEP, {"code": code_for(device, 1)})
    assert response.status_code == 422
    assert "Too many wrong codes. Wait" in response.content.decode()
    assert client.get("/desk/").status_code == 302


def test_a_recovery_code_works_once(client, editor):
    client.force_login(editor)
    _device, codes = enrol(client)
    client.logout()

    sign_in(client, "editor")
    typed = codes[0].upper()[:4] + " " + codes[0].upper()[4:]  # as people type it
    response = client.post(CODE_STEP, {"code": typed}, follow=True)
    assert response.status_code == 200
    assert "You signed in with a recovery code; 9 are left" in response.content.decode()
    assert client.get("/desk/").status_code == 200

    client.logout()
    sign_in(client, "editor")
    again = client.post(CODE_STEP, {"code": codes[0]})
    assert again.status_code == 422
    assert "or it was used already" in again.content.decode()
    assert client.get("/desk/").status_code == 302
    assert StaticToken.objects.filter(device__user=editor).count() == 9


def test_the_admin_asks_for_the_code_too(client, superuser):
    client.force_login(superuser)
    device, _codes = enrol(client)
    client.logout()
    sign_in(client, "chief", url="/admin/login/", next_url="/admin/")
    for path in ("/admin/", "/admin/claims/claim/", "/de/admin/auth/user/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].split("?")[0].endswith(CODE_STEP), path
    response = client.post(CODE_STEP, {"code": code_for(device, 1), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_without_required_roles_a_user_without_a_device_goes_straight_in(client, editor):
    sign_in(client, "editor")
    assert client.get("/desk/").status_code == 200


@pytest.mark.parametrize(
    ("roles", "who", "paths"),
    [
        ("reviewers", "reviewer", ["/desk/", "/desk/review/", "/desk/account/password/"]),
        ("editors,reviewers", "editor", ["/desk/", "/de/desk/claims/"]),
        ("moderators", "moderator", ["/admin/", "/admin/claims/tip/"]),
        ("superusers", "superuser", ["/admin/", "/desk/", "/admin/auth/user/"]),
    ],
)
def test_required_roles_must_set_up_before_anything_else(
    client, settings, request, roles, who, paths
):
    settings.FACTCHECK_2FA_REQUIRED_ROLES = frozenset(roles.split(","))
    user = request.getfixturevalue(who)
    sign_in(client, user.get_username(), url="/admin/login/" if user.is_staff else "/desk/login/")
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].split("?")[0].endswith(SETUP), path
        # POSTs are turned away too, not only pages.
        assert client.post(path, {}).status_code == 302, path
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "Your role requires a second factor" in page.content.decode()
    enrol(client)
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_roles_not_listed_are_not_forced(client, settings, editor):
    settings.FACTCHECK_2FA_REQUIRED_ROLES = frozenset({"reviewers", "moderators"})
    sign_in(client, "editor")
    assert client.get("/desk/").status_code == 200


def test_an_unverified_session_cannot_set_up_a_second_device(client, editor):
    """A stolen password alone must not let the thief enrol their own app."""
    client.force_login(editor)
    enrol(client)
    client.logout()
    sign_in(client, "editor")
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].split("?")[0].endswith(CODE_STEP)
    removal = client.post("/desk/account/two-factor/remove/", {"password": PASSWORD})
    assert removal.status_code == 302
    assert TOTPDevice.objects.filter(user=editor, confirmed=True).count() == 1


def test_removing_needs_the_password(client, editor):
    client.force_login(editor)
    enrol(client)
    url = "/desk/account/two-factor/remove/"
    wrong = client.post(url, {"password": "not it"})
    assert wrong.status_code == 422
    assert "This is not your password" in wrong.content.decode()
    assert TOTPDevice.objects.filter(user=editor).exists()

    right = client.post(url, {"password": PASSWORD})
    assert right.status_code == 302
    assert right["Location"] == "/desk/account/"
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()
    # Signing in asks for the password only again; setting up anew works.
    client.logout()
    sign_in(client, "editor")
    assert client.get("/desk/").status_code == 200
    device, codes = enrol(client)
    assert device.confirmed
    assert len(codes) == 10


def test_removing_when_the_role_requires_it_leads_to_setting_up_again(client, settings, reviewer):
    settings.FACTCHECK_2FA_REQUIRED_ROLES = frozenset({"reviewers"})
    client.force_login(reviewer)
    enrol(client)
    response = client.post("/desk/account/two-factor/remove/", {"password": PASSWORD})
    assert response["Location"] == SETUP
    assert client.get("/desk/").status_code == 302


def test_setting_up_twice_is_refused_while_one_is_on(client, editor):
    client.force_login(editor)
    enrol(client)
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"] == "/desk/account/"
    assert TOTPDevice.objects.filter(user=editor).count() == 1


def test_public_pages_are_not_gated(client, editor):
    client.force_login(editor)
    enrol(client)
    client.logout()
    sign_in(client, "editor")
    assert client.get("/").status_code == 200
    assert client.get("/claims/").status_code == 200


def test_required_roles_are_read_strictly(monkeypatch):
    from tests.helpers import run_manage

    result = run_manage(
        ["check"],
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="example.org",
        FACTCHECK_2FA_REQUIRED_ROLES="reviewers,admins",
    )
    assert result.returncode != 0
    assert "FACTCHECK_2FA_REQUIRED_ROLES" in result.stderr
    assert "admins" in result.stderr


def test_the_code_step_sends_a_signed_out_visitor_to_sign_in(client):
    response = Client().get(CODE_STEP)
    assert response.status_code == 302
    assert response["Location"].startswith("/desk/login/")
