"""The desk API for the newsroom's systems (/api/v1/desk/): tokens, scopes, creating
articles from text or a web address, marking passages, reading claims in any status —
through the desk's own services and rules, four-eyes included."""

import json
import logging
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from claims.models import Article, ArticleImport, Claim, Mention
from claims.tokens import issue_token, revoke
from tests.factories import make_article, make_claim, make_ready_claim, mark_quote
from tests.helpers import run_tasks
from tests.webserver import PageServer

pytestmark = pytest.mark.django_db

BOTH = ["read:desk", "write:articles"]
PAGE = (Path(__file__).parent / "fixtures" / "dw.com.colonial.html").read_bytes()


def _token(user, scopes=BOTH, days=30):
    return issue_token(user, f"CMS {len(scopes)}", scopes, timedelta(days=days))[1]


def _auth(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _post(client, url, body, raw, **headers):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            url, json.dumps(body), content_type="application/json", **_auth(raw), **headers
        )


def _problem(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    if code:
        assert body["code"] == code
    return body


# --- Tokens -------------------------------------------------------------------------------
def test_without_a_token_the_desk_api_answers_401_even_for_a_signed_in_session(client, editor):
    article = make_article(status="draft")
    url = f"/api/v1/desk/articles/{article.pk}"
    _problem(client.get(url), 401, "unauthorized")
    client.force_login(editor)  # a desk session is no API credential
    response = client.get(url)
    _problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_wrong_scope_is_403_revoked_and_expired_are_401(client, editor):
    article = make_article(status="draft")
    url = f"/api/v1/desk/articles/{article.pk}"
    reader_only = _token(editor, ["read:desk"])
    assert client.get(url, **_auth(reader_only)).status_code == 200
    body = _problem(_post(client, "/api/v1/desk/articles", {"text": "Hallo."}, reader_only), 403)
    assert body["code"] == "insufficient_scope"
    assert not Article.objects.exclude(pk=article.pk).exists()
    revoked_raw = _token(editor, ["read:desk"])
    from claims.models import ApiToken

    revoke(ApiToken.objects.latest("pk"), editor)
    _problem(client.get(url, **_auth(revoked_raw)), 401, "token_revoked")
    expiring = _token(editor, ["read:desk"], days=30)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        german = _problem(
            client.get(url, HTTP_ACCEPT_LANGUAGE="de", **_auth(expiring)), 401, "token_expired"
        )
    assert "abgelaufen" in german["detail"]
    _problem(client.get(url, **_auth("fc_nonsense")), 401)


def test_a_token_acts_with_its_users_roles_and_never_more(client, moderator):
    """A moderator's token (no desk role) gets nothing of the desk."""
    article = make_article(status="draft")
    raw = _token(moderator)
    _problem(client.get(f"/api/v1/desk/articles/{article.pk}", **_auth(raw)), 403)
    _problem(_post(client, "/api/v1/desk/articles", {"text": "Hallo."}, raw), 403)
    assert Article.objects.count() == 1


def test_the_editors_token_cannot_approve_its_own_claim(client, editor):
    """No API operation submits, approves or publishes; the desk's approve address does
    not take a token either (it asks for a signed-in reviewer)."""
    claim = make_ready_claim(editor)
    claim.submit(by=editor)
    raw = _token(editor)
    for path in (
        f"/api/v1/desk/claims/{claim.pk}/approve",
        f"/api/v1/desk/claims/{claim.pk}/publish",
    ):
        assert client.post(
            path, "{}", content_type="application/json", **_auth(raw)
        ).status_code in (
            404,
            405,
        )
    desk_approve = reverse("claims:desk-claim-approve", kwargs={"pk": claim.pk})
    response = client.post(desk_approve, {"version": claim.version}, **_auth(raw))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW
    assert client.get(f"/api/v1/desk/claims/{claim.pk}", **_auth(raw)).json()["status"] == (
        "in_review"
    )


def test_tokens_never_reach_the_logs(client, editor, caplog):
    raw = _token(editor)
    with caplog.at_level(logging.DEBUG):
        client.get("/api/v1/desk/articles/999999", **_auth(raw))
        client.get("/api/v1/desk/articles/999999", **_auth(raw + "x"))
        _post(client, "/api/v1/desk/articles", {"text": ""}, raw)
    assert caplog.records  # the 404s and the 422 were logged…
    secret = raw.split("_", 2)[2]
    assert all(secret not in record.getMessage() for record in caplog.records)  # …without it


# --- Articles and passages ------------------------------------------------------------
def test_create_an_article_from_text_then_mark_and_read_its_claims(client, editor):
    raw = _token(editor)
    response = _post(
        client,
        "/api/v1/desk/articles",
        {
            "title": "Gipfel in Hanoi",
            "text": "Der Gipfel scheiterte. Trump reiste ab.",
            "language": "de",
        },
        raw,
    )
    assert response.status_code == 201, response.content
    article = response.json()
    assert article["status"] == "draft"
    assert article["url"] is None
    assert response["Location"].endswith(f"/api/v1/desk/articles/{article['id']}")
    text = article["revision"]["text"]
    start = text.index("Der Gipfel scheiterte")
    mark = {
        "revision": article["revision"]["id"],
        "start": start,
        "end": start + len("Der Gipfel scheiterte"),
        "exact": "Der Gipfel scheiterte",
    }
    url = f"/api/v1/desk/articles/{article['id']}/mentions"
    first = _post(client, url, mark, raw)
    assert first.status_code == 201, first.content
    claim = first.json()
    assert claim["status"] == "draft"
    assert claim["mentions"][0]["exact"] == "Der Gipfel scheiterte"
    again = _post(client, url, mark, raw)  # the same passage twice: the same draft
    assert again.status_code == 200
    assert again.json()["id"] == claim["id"]
    listed = client.get(f"/api/v1/desk/articles/{article['id']}/claims", **_auth(raw)).json()
    assert [item["id"] for item in listed["items"]] == [claim["id"]]
    assert Claim.objects.get(pk=claim["id"]).author == editor


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"exact": "Trump reiste ab"}, 422, "quote_mismatch"),
        ({"end": 10_000}, 422, "out_of_range"),
        ({"revision": 999_999}, 409, "stale_revision"),
        ({"start": 5, "end": 5}, 422, None),
        ({"start": "fünf"}, 400, "invalid_parameters"),
    ],
)
def test_a_bad_or_stale_selection_is_refused_in_words_and_saves_nothing(
    client, editor, change, status, code
):
    article = make_article("Der Gipfel scheiterte. Trump reiste ab.", status="draft")
    raw = _token(editor)
    mark = {
        "revision": article.current_revision_id,
        "start": 0,
        "end": 21,
        "exact": "Der Gipfel scheiterte",
    } | change
    body = _problem(
        _post(
            client,
            f"/api/v1/desk/articles/{article.pk}/mentions",
            mark,
            raw,
            HTTP_ACCEPT_LANGUAGE="de",
        ),
        status,
        code,
    )
    assert body["detail"]
    assert not Claim.objects.exists()
    assert not Mention.objects.exists()


def test_linking_a_passage_to_a_published_claim_waits_for_a_reviewer(client, editor):
    article = make_article("Eins. Zwei.", status="published")
    claim = make_claim(claim_reviewed="Eins")
    mark_quote(claim, article, "Eins")
    raw = _token(editor)
    response = _post(
        client,
        f"/api/v1/desk/articles/{article.pk}/mentions",
        {
            "revision": article.current_revision_id,
            "start": 6,
            "end": 10,
            "exact": "Zwei",
            "claim": claim.pk,
        },
        raw,
    )
    assert response.status_code == 201, response.content
    awaiting = {m["exact"]: m["awaiting"] for m in response.json()["mentions"]}
    assert awaiting == {"Eins": "", "Zwei": "addition"}
    # Readers do not see it yet.
    public = client.get(f"/api/v1/articles/{article.slug}").json()
    assert [m["exact"] for m in public["mentions"]] == ["Eins"]


def test_article_form_errors_come_back_per_field(client, editor):
    raw = _token(editor)
    body = _problem(
        _post(client, "/api/v1/desk/articles", {"text": "Text", "url": "https://a.example/"}, raw),
        422,
        "invalid",
    )
    assert body["errors"][0]["location"] == "body"
    assert "one way only" in body["detail"]
    assert not Article.objects.exists()


def test_a_web_address_is_loaded_in_the_background_then_made_an_article(client, editor, settings):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    raw = _token(editor)
    with PageServer() as site:
        site.page("/article", PAGE)
        response = _post(client, "/api/v1/desk/articles", {"url": site.url("/article")}, raw)
        assert response.status_code == 202, response.content
        job = response.json()
        assert job["status"] == "queued"
        assert site.requests == []
        assert run_tasks() == 1
    status = client.get(job["api_url"].removeprefix("http://testserver"), **_auth(raw)).json()
    assert status["status"] == "ready"
    made = _post(client, f"/api/v1/desk/imports/{job['id']}/article", {}, raw)
    assert made.status_code == 201, made.content
    article = Article.objects.get(pk=made.json()["id"])
    assert article.original_url == site.url("/article")
    assert ArticleImport.objects.get(pk=job["id"]).article == article
    _problem(_post(client, f"/api/v1/desk/imports/{job['id']}/article", {}, raw), 409)


def test_another_editors_import_is_404(client, editor, reviewer):
    job = ArticleImport.objects.create(requested_by=reviewer, url="https://a.example/")
    _problem(client.get(f"/api/v1/desk/imports/{job.pk}", **_auth(_token(editor))), 404)


def test_desk_answers_are_private_and_not_cors_enabled(client, editor):
    article = make_article(status="draft")
    response = client.get(
        f"/api/v1/desk/articles/{article.pk}",
        HTTP_ORIGIN="https://evil.example",
        **_auth(_token(editor)),
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Access-Control-Allow-Origin" not in response


def test_query_count_of_an_articles_claims_does_not_grow_with_them(
    client, editor, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    raw = _token(editor)
    counts = []
    for n in (2, 12):
        article = make_article(" ".join(f"Satz{i}." for i in range(n)), status="draft")
        for i in range(n):
            mark_quote(make_claim(status="draft"), article, f"Satz{i}.")
        with CaptureQueriesContext(connection) as queries:
            items = client.get(f"/api/v1/desk/articles/{article.pk}/claims", **_auth(raw)).json()[
                "items"
            ]
        assert len(items) == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_refused_tokens_count_against_the_address(client, settings):
    """Authentication runs before the throttle; refusals are counted all the same, so a
    client cannot try tokens without limit."""
    settings.FACTCHECK_API_RATE_LIMIT = 3
    url = "/api/v1/desk/claims/1"
    for _ in range(3):
        _problem(client.get(url, REMOTE_ADDR="198.51.100.9", **_auth("fc_deadbeef_x")), 401)
    response = client.get(url, REMOTE_ADDR="198.51.100.9", **_auth("fc_deadbeef_x"))
    _problem(response, 429, "rate_limited")
    assert int(response["Retry-After"]) >= 1
