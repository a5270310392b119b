"""Reader input: suggest a claim, report an error; spam, floods and privacy (issue #6)."""

import hashlib
import html
import io
import os
import re
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from claims import abuse
from claims.models import Claim, ErrorReport, Tip
from tests.conftest import DRAFT_SLUG, PUBLISHED_SLUG
from tests.helpers import ROOT

pytestmark = pytest.mark.django_db

TIP_URL = "/tips/new/"
TIP_THANKS = "/tips/thanks/"
REPORT_URL = f"/claims/{PUBLISHED_SLUG}/report/"
REPORT_THANKS = f"/claims/{PUBLISHED_SLUG}/report/thanks/"
IP = "203.0.113.77"
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
EMOJI_RTL = "Der Präsident 🤥👍🏽 sagte: «مرحبا بالعالم» ‏שלום עולם‎ 👨‍👩‍👧"
RATE_REDIS_URL = os.environ.get("TEST_REDIS_RATE_URL", "redis://127.0.0.1:6379/14")


def tip_data(**overrides) -> dict:
    data = {
        "claim_text": "Die Mauer wurde 1961 in einer Nacht gebaut.",
        "seen_at_url": "https://example.org/post/1",
        "seen_at": "Talkshow am Sonntag",
        "email": "",
        "homepage": "",
    }
    return {**data, **overrides}


def report_data(**overrides) -> dict:
    data = {
        "reason": ErrorReport.Reason.VERDICT_DISPUTED,
        "message": "Der Vertrag von 1953 war ein Waffenstillstand, kein Frieden.",
        "email": "",
        "homepage": "",
    }
    return {**data, **overrides}


def no_cache(response) -> bool:
    control = response.headers.get("Cache-Control", "")
    return all(word in control for word in ("private", "no-store", "no-cache"))


def field_value(response, name: str) -> str:
    """What the re-rendered form holds in field ``name``, unescaped as a browser would."""
    page = response.content.decode()
    textarea = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    if textarea:
        return html.unescape(textarea.group(1))
    tag = re.search(rf'<input [^>]*name="{name}"[^>]*>', page)
    assert tag, f"no field {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


# --- Links and pages ----------------------------------------------------------------------
def test_public_pages_link_to_the_tip_form(reader, seeded):
    for url in ("/", "/claims/", f"/claims/{PUBLISHED_SLUG}/", "/de/"):
        page = reader.get(url).content.decode()
        assert 'href="/tips/new/"' in page or 'href="/de/tips/new/"' in page, url


def test_cached_claim_page_links_to_the_report_form_without_a_form_or_token(reader, seeded):
    first = reader.get(f"/claims/{PUBLISHED_SLUG}/")
    second = reader.get(f"/claims/{PUBLISHED_SLUG}/")
    assert second["X-Cache"] == "hit"
    for response in (first, second):
        page = response.content.decode()
        assert f'href="{REPORT_URL}"' in page
        assert ">Report an error</a>" in page
        assert "csrfmiddlewaretoken" not in page
        assert "<form" not in page.split("<main", 1)[1]
        assert not response.cookies


@pytest.mark.parametrize("url", [TIP_URL, REPORT_URL])
def test_form_pages_are_private_carry_csrf_and_hide_the_honeypot(reader, seeded, url):
    response = reader.get(url)
    assert response.status_code == 200
    assert no_cache(response)
    assert "X-Cache" not in response
    page = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    honeypot = re.search(r'<div\s+class="reader-hp"\s+aria-hidden="true">.*?</div>', page, re.S)
    assert honeypot, "the honeypot sits in a hidden, aria-hidden wrapper"
    assert re.search(r'<input [^>]*name="homepage"[^>]*tabindex="-1"', page)
    assert "Leave this field empty" in page
    # The CSP forbids inline styles and scripts: none here either.
    assert not re.search(r"\sstyle=", page)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert '<meta name="robots" content="noindex">' in page


@pytest.mark.parametrize("url", [TIP_THANKS, REPORT_THANKS])
def test_thank_you_pages(reader, seeded, url):
    response = reader.get(url)
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert no_cache(response)
    assert reader.post(url).status_code == 405


def test_report_thanks_links_back_to_the_claim(reader, seeded):
    page = reader.get(REPORT_THANKS).content.decode()
    assert f'href="/claims/{PUBLISHED_SLUG}/"' in page


# --- Storing ------------------------------------------------------------------------------
def _assert_no_raw_ip(row, ip: str = IP) -> None:
    for field in row._meta.concrete_fields:
        assert ip not in str(getattr(row, field.attname)), field.name


def test_tip_is_stored_with_a_hashed_client_and_the_language(reader, db):
    data = tip_data(email="leser@example.org", consent="on")
    response = reader.post(TIP_URL, data, REMOTE_ADDR=IP)
    assert response.status_code == 302
    assert response["Location"] == TIP_THANKS + "?reply=1"  # address and consent given
    tip = Tip.objects.get()
    assert tip.claim_text == data["claim_text"]
    assert tip.seen_at_url == data["seen_at_url"]
    assert tip.seen_at == data["seen_at"]
    assert tip.email == "leser@example.org"
    assert tip.consent is True
    assert tip.status == Tip.Status.NEW
    assert tip.language == "en"
    assert re.fullmatch(r"[0-9a-f]{64}", tip.client_hash)
    _assert_no_raw_ip(tip)


def test_german_tip_records_german_and_thanks_in_german(reader, db):
    response = reader.post("/de" + TIP_URL, tip_data(), REMOTE_ADDR=IP)
    assert response.status_code == 302
    assert response["Location"] == "/de" + TIP_THANKS
    assert Tip.objects.get().language == "de"


def test_the_client_hash_is_keyed_and_stable(reader, db):
    reader.post(TIP_URL, tip_data(), REMOTE_ADDR=IP)
    reader.post(TIP_URL, tip_data(), REMOTE_ADDR=IP)
    reader.post(TIP_URL, tip_data(), REMOTE_ADDR="198.51.100.1")
    hashes = list(Tip.objects.order_by("pk").values_list("client_hash", flat=True))
    assert hashes[0] == hashes[1] != hashes[2]
    assert hashes[0] != hashlib.sha256(IP.encode()).hexdigest()  # salted, not a bare hash


def test_consent_without_email_is_not_recorded(reader, db):
    reader.post(TIP_URL, tip_data(consent="on"), REMOTE_ADDR=IP)
    assert Tip.objects.get().consent is False


def test_error_report_is_stored_linked_to_its_claim(reader, published):
    data = report_data(email="leserin@example.org", consent="on")
    response = reader.post(REPORT_URL, data, REMOTE_ADDR=IP)
    assert response.status_code == 302
    assert response["Location"] == REPORT_THANKS + "?reply=1"  # address and consent given
    report = ErrorReport.objects.get()
    assert report.claim == published
    assert report.reason == ErrorReport.Reason.VERDICT_DISPUTED
    assert report.message == data["message"]
    assert report.email == "leserin@example.org"
    assert report.language == "en"
    assert re.fullmatch(r"[0-9a-f]{64}", report.client_hash)
    _assert_no_raw_ip(report)
    # The claim's people hear of it in their desk notifications.
    event = published.events.get(kind="error_reported")
    assert event.actor is None
    assert event.params == {"reason": "verdict_disputed", "report": report.pk}


@pytest.mark.parametrize("reason", [choice for choice, _label in ErrorReport.Reason.choices])
def test_every_reason_is_offered_and_accepted(reader, published, reason):
    page = reader.get(REPORT_URL).content.decode()
    assert f'value="{reason}"' in page
    assert reader.post(REPORT_URL, report_data(reason=reason)).status_code == 302
    assert ErrorReport.objects.get().reason == reason


# --- Validation -------------------------------------------------------------------------
def test_email_without_consent_is_refused_and_keeps_everything_typed(reader, db):
    data = tip_data(claim_text="Bitte prüfen: 🤔", email="leser@example.org")
    response = reader.post(TIP_URL, data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Tick this box so that we may write to you" in page
    assert "Nothing was sent yet" in page
    assert field_value(response, "claim_text") == data["claim_text"]
    assert field_value(response, "email") == "leser@example.org"
    assert field_value(response, "seen_at_url") == data["seen_at_url"]
    assert field_value(response, "seen_at") == data["seen_at"]
    assert no_cache(response)
    assert Tip.objects.count() == 0


def test_report_email_without_consent_is_refused(reader, published):
    response = reader.post(REPORT_URL, report_data(email="a@example.org"))
    assert response.status_code == 422
    assert "Tick this box" in response.content.decode()
    assert ErrorReport.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"claim_text": ""}, "claim_text", "Write down the claim you would like us to check."),
        ({"claim_text": "   "}, "claim_text", "Write down the claim"),
        ({"email": "not-an-email", "consent": "on"}, "email", "Enter a valid email address."),
        ({"seen_at_url": "javascript:alert(1)"}, "seen_at_url", "starting with http://"),
        ({"seen_at_url": "ftp://example.org/file"}, "seen_at_url", "starting with http://"),
        ({"claim_text": "x" * 2001}, "claim_text", "at most 2000 characters"),
        ({"seen_at": "y" * 501}, "seen_at", "at most 500 characters"),
        ({"seen_at_url": "https://e.org/" + "z" * 2000}, "seen_at_url", "at most 2000"),
        ({"email": "a" * 250 + "@example.org", "consent": "on"}, "email", "at most 254"),
    ],
)
def test_invalid_tips_are_refused_in_words_and_keep_the_text(
    reader, db, overrides, field, message
):
    data = tip_data(**overrides)
    response = reader.post(TIP_URL, data)
    assert response.status_code == 422
    page = response.content.decode()
    assert html.escape(message) in page or message in page
    assert f'href="#id_{field}"' in page  # the error summary leads to the field
    for name in ("claim_text", "seen_at_url", "seen_at", "email"):
        expected = data[name].strip() if name in ("claim_text", "seen_at") else data[name]
        assert field_value(response, name).strip() == expected.strip(), name
    assert Tip.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"message": ""}, "Tell us in a few words what is wrong."),
        ({"reason": ""}, "Choose what is wrong."),
        ({"reason": "made_up"}, "Select a valid choice."),
        ({"message": "m" * 5001}, "at most 5000 characters"),
        ({"email": "nope", "consent": "on"}, "Enter a valid email address."),
    ],
)
def test_invalid_reports_are_refused_in_words(reader, published, overrides, message):
    data = report_data(**overrides)
    response = reader.post(REPORT_URL, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert field_value(response, "message") == data["message"]
    assert ErrorReport.objects.count() == 0


def test_too_large_a_body_is_refused_before_anything_else(reader, published):
    response = reader.post(REPORT_URL, report_data(message="x" * 200_000))
    assert response.status_code == 413
    page = response.content.decode()
    assert "too large" in page
    assert "Nothing was saved" in page
    assert "Back to the form" in page
    assert ErrorReport.objects.count() == 0


# --- Hostile text, emoji, right to left -----------------------------------------------
def test_html_is_stored_verbatim_and_shown_escaped(reader, published):
    response = reader.post(
        REPORT_URL, report_data(message=HOSTILE, email="x@example.org")
    )  # no consent: the form comes back
    assert response.status_code == 422
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert html.escape(HOSTILE) in page
    assert field_value(response, "message") == HOSTILE

    response = reader.post(TIP_URL, tip_data(claim_text=HOSTILE, seen_at=HOSTILE))
    assert response.status_code == 302
    tip = Tip.objects.get()
    assert tip.claim_text == HOSTILE
    assert tip.seen_at == HOSTILE
    thanks = reader.get(response["Location"]).content.decode()
    assert "<script>alert(1)" not in thanks


def test_emoji_and_right_to_left_text_round_trip(reader, published):
    response = reader.post(TIP_URL, tip_data(claim_text=EMOJI_RTL, seen_at=EMOJI_RTL))
    assert response.status_code == 302
    tip = Tip.objects.get()
    assert tip.claim_text == EMOJI_RTL
    assert tip.seen_at == EMOJI_RTL
    assert reader.post(REPORT_URL, report_data(message=EMOJI_RTL)).status_code == 302
    assert ErrorReport.objects.get().message == EMOJI_RTL
    again = reader.post(TIP_URL, tip_data(claim_text=EMOJI_RTL, email="bad"))
    assert again.status_code == 422
    assert field_value(again, "claim_text") == EMOJI_RTL


def test_browser_line_breaks_are_stored_as_newlines(reader, db):
    reader.post(TIP_URL, tip_data(claim_text="Zeile eins\r\nZeile zwei"))
    assert Tip.objects.get().claim_text == "Zeile eins\nZeile zwei"


# --- Only published claims --------------------------------------------------------------
@pytest.mark.parametrize("slug", ["gibt-es-nicht", DRAFT_SLUG])
def test_unknown_or_unpublished_claims_cannot_be_reported(reader, seeded, slug):
    assert not Claim.objects.published().filter(slug=slug).exists()
    url = f"/claims/{slug}/report/"
    assert reader.get(url).status_code == 404
    assert reader.post(url, report_data()).status_code == 404
    assert reader.post(url, report_data(homepage="spam")).status_code == 404
    assert reader.get(f"/claims/{slug}/report/thanks/").status_code == 404
    assert reader.get("/de" + url).status_code == 404
    assert ErrorReport.objects.count() == 0


@pytest.mark.parametrize("status", [Claim.Status.IN_REVIEW, Claim.Status.DISMISSED])
def test_a_claim_that_leaves_publication_cannot_be_reported(reader, published, status):
    Claim.objects.filter(pk=published.pk).update(status=status)
    assert reader.get(REPORT_URL).status_code == 404
    assert reader.post(REPORT_URL, report_data()).status_code == 404
    assert ErrorReport.objects.count() == 0


# --- Spam and floods ----------------------------------------------------------------------
def test_honeypot_submissions_are_dropped_silently_and_counted(reader, published, caplog):
    caplog.set_level("INFO", logger="claims.abuse")
    response = reader.post(TIP_URL, tip_data(homepage="http://cheap-pills.example"))
    assert response.status_code == 302
    assert response["Location"] == TIP_THANKS
    assert cache.get(abuse.HONEYPOT_COUNTER_KEY) == 1
    # Even an invalid submission gets the thank-you page: a bot learns nothing.
    response = reader.post(REPORT_URL, report_data(message="", homepage="x"), REMOTE_ADDR=IP)
    assert response.status_code == 302
    assert response["Location"] == REPORT_THANKS
    assert cache.get(abuse.HONEYPOT_COUNTER_KEY) == 2
    assert Tip.objects.count() == 0
    assert ErrorReport.objects.count() == 0
    assert "honeypot" in caplog.text
    assert IP not in caplog.text


def test_whitespace_in_the_honeypot_is_not_a_bot(reader, db):
    assert reader.post(TIP_URL, tip_data(homepage="  ")).status_code == 302
    assert Tip.objects.count() == 1
    assert cache.get(abuse.HONEYPOT_COUNTER_KEY) is None


def test_the_sixth_submission_in_the_window_gets_429(reader, published):
    for i in range(3):
        assert (
            reader.post(TIP_URL, tip_data(claim_text=f"Tipp {i}"), REMOTE_ADDR=IP).status_code
            == 302
        )
    for i in range(2):  # tips and reports share one allowance
        assert (
            reader.post(
                REPORT_URL, report_data(message=f"Bericht {i}"), REMOTE_ADDR=IP
            ).status_code
            == 302
        )
    data = tip_data(claim_text="Der sechste Tipp ✓")
    response = reader.post(TIP_URL, data, REMOTE_ADDR=IP)
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 600
    page = response.content.decode()
    minutes = -(-retry_after // 60)
    assert f"try again in {minutes} minute" in page
    assert "Nothing was sent" in page
    assert field_value(response, "claim_text") == data["claim_text"]  # nothing lost
    assert no_cache(response)
    assert reader.post(REPORT_URL, report_data(), REMOTE_ADDR=IP).status_code == 429
    assert Tip.objects.count() == 3
    assert ErrorReport.objects.count() == 2
    # Another reader is not affected.
    assert reader.post(TIP_URL, tip_data(), REMOTE_ADDR="198.51.100.9").status_code == 302


def test_invalid_submissions_do_not_use_up_the_allowance(reader, db):
    for _ in range(8):
        assert reader.post(TIP_URL, tip_data(claim_text=""), REMOTE_ADDR=IP).status_code == 422
    assert reader.post(TIP_URL, tip_data(), REMOTE_ADDR=IP).status_code == 302


def test_the_limit_follows_the_settings(reader, db, settings):
    settings.FACTCHECK_READER_RATE_LIMIT = 2
    settings.FACTCHECK_READER_RATE_WINDOW = 60
    assert reader.post(TIP_URL, tip_data(), REMOTE_ADDR=IP).status_code == 302
    assert reader.post(TIP_URL, tip_data(), REMOTE_ADDR=IP).status_code == 302
    response = reader.post(TIP_URL, tip_data(), REMOTE_ADDR=IP)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "try again in 1 minute." in response.content.decode()


def test_a_new_window_starts_afresh():
    identity = f"test-{uuid.uuid4()}"
    start = 1_000_000 * 600 + 10  # 10 seconds into a window
    decisions = [abuse.hit(identity, limit=2, window=600, now=start + i) for i in range(3)]
    assert [d.allowed for d in decisions] == [True, True, False]
    assert decisions[2].retry_after == 600 - 12
    assert decisions[2].retry_after_minutes == 10
    assert abuse.hit(identity, limit=2, window=600, now=start + 600).allowed


def test_a_forged_forwarded_for_header_does_not_reset_the_limit(reader, db):
    for i in range(5):
        response = reader.post(
            TIP_URL, tip_data(), REMOTE_ADDR=IP, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}"
        )
        assert response.status_code == 302
    response = reader.post(
        TIP_URL, tip_data(), REMOTE_ADDR=IP, HTTP_X_FORWARDED_FOR="192.0.2.200, 10.9.9.9"
    )
    assert response.status_code == 429
    assert len(set(Tip.objects.values_list("client_hash", flat=True))) == 1


def test_behind_one_trusted_proxy_the_right_most_address_is_the_client(reader, db, settings):
    settings.FACTCHECK_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for i in range(5):
        # The client may prepend anything; the proxy appends the address it saw.
        forwarded = f"192.0.2.{i}, {IP}"
        response = reader.post(
            TIP_URL, tip_data(), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded
        )
        assert response.status_code == 302
    response = reader.post(
        TIP_URL, tip_data(), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {IP}"
    )
    assert response.status_code == 429
    # Another client behind the same proxy has its own allowance.
    response = reader.post(
        TIP_URL, tip_data(), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20"
    )
    assert response.status_code == 302
    assert Tip.objects.values("client_hash").distinct().count() == 2
    for tip in Tip.objects.all():
        _assert_no_raw_ip(tip)
        _assert_no_raw_ip(tip, proxy)


def test_client_ip_rules(rf, settings):
    settings.FACTCHECK_TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR=IP, HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert abuse.client_ip(request) == IP
    settings.FACTCHECK_TRUSTED_PROXY_COUNT = 2
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 8.8.8.8, 10.0.0.3"
    )
    assert abuse.client_ip(request) == "8.8.8.8"
    # Fewer entries than proxies: the request did not come through them all.
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="8.8.8.8")
    assert abuse.client_ip(request) == "10.0.0.1"
    # Garbage in the header is ignored.
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="nonsense, evil")
    assert abuse.client_ip(request) == "10.0.0.1"
    settings.FACTCHECK_TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="[2001:db8::5]:443")
    assert abuse.client_ip(request) == "2001:db8::5"
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="::ffff:192.0.2.7")
    assert abuse.client_ip(request) == "192.0.2.7"


def test_ipv6_clients_are_counted_by_their_64_network(rf):
    one = rf.get("/", REMOTE_ADDR="2001:db8:1:2::1")
    same_network = rf.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    other_network = rf.get("/", REMOTE_ADDR="2001:db8:1:3::1")
    assert abuse.client_hash(one) == abuse.client_hash(same_network)
    assert abuse.client_hash(one) != abuse.client_hash(other_network)


_LIMITER_SCRIPT = r"""
import sys, time
import django
from django.conf import settings

settings.configure(
    SECRET_KEY="two-processes-" * 4,
    CACHES={"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": sys.argv[1],
    }},
    FACTCHECK_READER_RATE_LIMIT=5,
    FACTCHECK_READER_RATE_WINDOW=600,
    FACTCHECK_TRUSTED_PROXY_COUNT=0,
)
django.setup()
from claims.abuse import hit

identity, start_at, now = sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
while time.time() < start_at:
    time.sleep(0.001)
print(sum(hit(identity, now=now).allowed for _ in range(50)))
"""


def test_the_limit_holds_across_two_processes_sharing_redis():
    import redis

    identity = f"two-processes-{uuid.uuid4()}"
    now = (time.time() // 600) * 600 + 300  # the middle of a window: no boundary in play
    start_at = time.time() + 3
    args = [sys.executable, "-c", _LIMITER_SCRIPT, RATE_REDIS_URL, identity, str(start_at)]
    processes = [
        subprocess.Popen(
            [*args, str(now)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": ""},
        )
        for _ in range(2)
    ]
    try:
        results = [process.communicate(timeout=60) for process in processes]
    finally:
        server = redis.Redis.from_url(RATE_REDIS_URL)
        for key in server.scan_iter(match=f"*{identity}*"):
            server.delete(key)
    for process, (_out, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err
    allowed = [int(out) for out, _err in results]
    assert sum(allowed) == 5, allowed


# --- CSRF -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("url", "data"), [(TIP_URL, tip_data()), (REPORT_URL, report_data())])
def test_csrf_is_enforced(seeded, url, data):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(url, data).status_code == 403
    assert Tip.objects.count() + ErrorReport.objects.count() == 0
    page = browser.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = browser.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Tip.objects.count() + ErrorReport.objects.count() == 1


# --- Retention ------------------------------------------------------------------------------
def test_purge_deletes_old_reader_input_and_keeps_recent(published, settings):
    settings.FACTCHECK_READER_RETENTION_DAYS = 30
    old_tip = Tip.objects.create(claim_text="alt")
    new_tip = Tip.objects.create(claim_text="neu")
    old_report = ErrorReport.objects.create(claim=published, reason="other", message="alt")
    new_report = ErrorReport.objects.create(claim=published, reason="other", message="neu")
    long_ago = timezone.now() - timedelta(days=31)
    Tip.objects.filter(pk=old_tip.pk).update(created_at=long_ago)
    ErrorReport.objects.filter(pk=old_report.pk).update(created_at=long_ago)

    out = io.StringIO()
    call_command("purgereaderinput", "--dry-run", stdout=out)
    assert "Tips: 1 would be deleted" in out.getvalue()
    assert "Error reports: 1 would be deleted" in out.getvalue()
    assert Tip.objects.count() == 2
    assert ErrorReport.objects.count() == 2

    out = io.StringIO()
    call_command("purgereaderinput", stdout=out)
    assert "Tips: 1 deleted" in out.getvalue()
    assert "Error reports: 1 deleted" in out.getvalue()
    assert list(Tip.objects.all()) == [new_tip]
    assert list(ErrorReport.objects.all()) == [new_report]
    assert Claim.objects.filter(pk=published.pk).exists()
