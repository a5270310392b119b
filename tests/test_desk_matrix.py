"""The role × action matrix: every desk URL, as every persona, answers with the expected
status and leaves the expected trace in the database (a write with its history record
and nothing at all for a refusal).

Every named URL under ``desk/`` must have a row here: a new view without one fails
``test_every_desk_url_is_in_the_matrix``.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.urls import reverse

from claims.models import (
    ApiToken,
    Article,
    ArticleImport,
    Claim,
    ClaimEvent,
    Correction,
    DeskProfile,
    Mention,
    Review,
    Source,
    Webhook,
    WebhookDelivery,
)
from claims.tokens import issue_token
from claims.urls import urlpatterns
from claims.workflow_steps import STEPS
from tests.factories import make_article, make_rating, make_ready_claim, mark

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "editor", "editor2", "reviewer", "moderator", "superuser"]
DESK = {"editor", "editor2", "reviewer", "superuser"}
REVIEWERS_ONLY = {"reviewer", "superuser"}
SIGNED_IN = set(PERSONAS) - {"anonymous"}  # one's own account: moderators too
TEXT = "Nordkorea hat seit Jahren nichts getestet. Ein zweiter Satz.\n\nZweiter Absatz hier."


@dataclass
class World:
    article: Article
    claim: Claim
    mention: Mention
    users: dict
    article_import: ArticleImport  # the editor's, failed
    source: Source
    webhook: Webhook  # the reviewer's, with one delivery
    token: ApiToken  # the editor's API token


# --- States a row needs -------------------------------------------------------------------
def in_review(w: World) -> None:
    w.claim.submit(by=w.users["editor"])


def approved(w: World) -> None:
    in_review(w)
    w.claim.approve(by=w.users["reviewer2"])


def published(w: World) -> None:
    approved(w)
    w.claim.publish(by=w.users["reviewer2"])


def dismissed(w: World) -> None:
    w.claim.dismiss(by=w.users["editor"], reason="Meinung, keine Tatsache.")


def correction_open(w: World) -> None:
    published(w)
    correction = w.claim.correction_start(by=w.users["editor2"], kind="update", note="Neu.")
    correction.new_conclusion = "Teilweise richtig."
    correction.save()


def appearance_waiting(w: World) -> None:
    """The published claim got a new passage, linked by the editor: it waits for review."""
    from claims.services import mention_link

    published(w)
    w.mention = mention_link(
        claim=w.claim,
        revision=w.article.current_revision,
        user=w.users["editor"],
        **{k: v for k, v in _span(w).items() if k != "revision"},
    )


def suggested(w: World) -> None:
    """The published claim is suggested ("Already checked") for the text's second sentence."""
    from claims.models import ClaimSuggestion

    published(w)
    sentence = "Ein zweiter Satz."
    start = w.article.current_revision.text.index(sentence)
    w.suggestion = ClaimSuggestion.objects.create(
        revision=w.article.current_revision,
        start=start,
        end=start + len(sentence),
        sentence_key="k",
        claim=w.claim,
        score=0.8,
    )


def nothing(w: World) -> None:
    pass


def article_not_public(w: World) -> None:
    w.article.status, w.article.published_at = Article.Status.DRAFT, None
    w.article.save()


def text_changed(w: World) -> None:
    """The article got a new text in which the marked word moved."""
    from claims.services import article_revise

    article_revise(
        article=w.article, text="Vorweg.\n\n" + TEXT, origin="paste", user=w.users["editor"]
    )
    w.mention.refresh_from_db()


@dataclass
class Row:
    name: str
    method: str = "get"
    args: str = ""  # "article", "claim", "mention", "article,claim"
    data: dict | None = None
    state: object = nothing
    # Personas for whom the request succeeds, and the status they get.
    allowed: set = field(default_factory=lambda: set(DESK))
    ok: int = 200
    # Whether a successful request writes (and so must leave a record by its user).
    writes: bool = False
    query: str = ""
    # Signed-in personas refused otherwise than with 403: someone else's import is 404.
    denied: dict = field(default_factory=dict)


def _panel_data(w: World) -> dict:
    return {
        "version": w.claim.version,
        "claim_reviewed": w.claim.claim_reviewed,
        "claimant": "Neuer Urheber",
        "claimant_url": "",
        "claim_date": "",
        "rating": w.claim.rating_id,
        "conclusion": w.claim.conclusion,
        "explanation": "",
        "assignee": "",
        "sources-TOTAL_FORMS": 0,
        "sources-INITIAL_FORMS": 0,
    }


def _span(w: World, text="zweiter Satz") -> dict:
    start = w.article.current_revision.text.index(text)
    return {
        "revision": w.article.current_revision_id,
        "start": start,
        "end": start + len(text),
        "exact": text,
    }


ROWS = [
    Row("login", allowed={"anonymous"}),  # the signed-in are sent on
    Row("logout", method="post", allowed=set(PERSONAS), ok=302),
    # Without a second factor, the code step and the pages of one's recovery codes and of
    # removing the second factor send the user on.
    Row("login-code", allowed=SIGNED_IN, ok=302),
    Row("account", allowed=SIGNED_IN),
    Row("account-password", allowed=SIGNED_IN),
    Row(
        "account-password",
        method="post",
        data={"old_password": "wrong", "new_password1": "a", "new_password2": "b"},
        allowed=SIGNED_IN,
        ok=422,
    ),
    Row("account-two-factor-setup", allowed=SIGNED_IN),
    Row("account-recovery-codes", allowed=SIGNED_IN, ok=302),
    Row("account-two-factor-remove", allowed=SIGNED_IN, ok=302),
    # API tokens: desk users only; a token is its owner's alone (superusers revoke others'
    # in the admin).
    Row("account-tokens"),
    Row(
        "account-tokens",
        method="post",
        data={"name": "Blog", "scopes": ["read:desk"], "lifetime": 90},
    ),
    Row(
        "account-token-revoke",
        args="token",
        allowed={"editor"},
        denied={"editor2": 404, "reviewer": 404, "superuser": 404},
    ),
    Row(
        "account-token-revoke",
        method="post",
        args="token",
        allowed={"editor"},
        denied={"editor2": 404, "reviewer": 404, "superuser": 404},
        ok=302,
    ),
    Row("account-email", allowed=SIGNED_IN),
    Row(
        "account-email",
        method="post",
        data={"email_language": "xx", "digest_hour": "25"},
        allowed=SIGNED_IN,
        ok=422,
    ),
    # Password reset by email: for anyone (the signed-in too), the same answers.
    Row("password-reset", allowed=set(PERSONAS)),
    Row("password-reset-done", allowed=set(PERSONAS)),
    Row("password-reset-confirm", args="reset", allowed=set(PERSONAS)),
    Row("password-reset-complete", allowed=set(PERSONAS)),
    Row("desk"),
    Row("desk-article-new"),
    # An import is its requester's (and superusers'): other desk users get 404.
    Row(
        "desk-import",
        args="import",
        allowed={"editor", "superuser"},
        denied={"editor2": 404, "reviewer": 404},
    ),
    Row(
        "desk-import-retry",
        method="post",
        args="import",
        allowed={"editor", "superuser"},
        denied={"editor2": 404, "reviewer": 404},
        ok=302,
    ),
    Row(
        "desk-import-discard",
        method="post",
        args="import",
        allowed={"editor", "superuser"},
        denied={"editor2": 404, "reviewer": 404},
        ok=302,
    ),
    Row("desk-article-watch", method="post", args="article", data={"action": "pause"}, ok=302),
    Row("desk-sources-unreachable"),
    Row("desk-source-archive", method="post", args="source", ok=302),
    Row(
        "desk-article-new",
        method="post",
        data={"title": "Neu", "text": "Ein neuer Text.", "language": "de"},
        ok=302,
        writes=True,
    ),
    Row("desk-article", args="article"),
    Row("desk-claims", query="?status=draft"),
    Row("desk-article-edit", args="article"),
    Row(
        "desk-article-edit",
        method="post",
        args="article",
        data=lambda w: {
            "updated": w.article.updated_at.isoformat(),
            "title": "Neuer Titel",
            "outlet": "Zeitung",
            "byline": "",
            "original_url": "",
            "published_on": "2019-02-28",
            "language": "de",
        },
        ok=302,
        writes=True,
    ),
    Row(
        "desk-article-publish",
        method="post",
        args="article",
        state=article_not_public,
        allowed=REVIEWERS_ONLY,
        ok=302,
        writes=True,
    ),
    Row("desk-article-unpublish", args="article", allowed=REVIEWERS_ONLY),
    Row("desk-paragraph-roles", args="article"),
    Row(
        "desk-paragraph-role",
        method="post",
        args="article",
        data=lambda w: {"revision": w.article.current_revision_id, "index": 1, "role": "h2"},
        ok=302,
    ),
    Row(
        "desk-article-unpublish",
        method="post",
        args="article",
        data={"reason": "Rechtliche Prüfung."},
        allowed=REVIEWERS_ONLY,
        ok=302,
        writes=True,
    ),
    Row("desk-claim", args="article,claim"),
    Row("desk-claim", method="post", args="article,claim", data=_panel_data, writes=True),
    Row("desk-mark", method="post", args="article", data=_span, ok=302, writes=True),
    Row(
        "desk-link",
        method="post",
        args="article",
        data=lambda w: _span(w) | {"claim": w.claim.pk},
        ok=302,
        writes=True,
    ),
    Row(
        "desk-mention-adjust",
        method="post",
        args="mention",
        data={"move": "widen-end"},
        ok=302,
        writes=True,
    ),
    Row("desk-mention-delete", args="mention"),
    Row("desk-mention-delete", method="post", args="mention", ok=302, writes=True),
    Row("desk-article-revise", args="article"),
    # The text's analysis and its "Already checked" suggestions (without htmx: redirects).
    Row("desk-analysis", args="article", ok=302),
    Row(
        "desk-analysis-compare",
        method="post",
        args="article",
        data=lambda w: {"revision": w.article.current_revision_id},
        ok=302,
    ),
    Row(
        "desk-suggestion-link",
        method="post",
        args="suggestion",
        state=suggested,
        ok=302,
        writes=True,
    ),
    Row("desk-suggestion-dismiss", method="post", args="suggestion", state=suggested, ok=302),
    Row(
        "desk-article-revise",
        method="post",
        args="article",
        data={"text": "Ganz neuer Text.\n\nNordkorea hat seit Jahren nichts getestet."},
        ok=302,
        writes=True,
    ),
    Row("desk-article-anchors", args="article", state=text_changed),
    Row("desk-article-revisions", args="article", query="?a=1&b=1"),
    Row(
        "desk-mention-resolve",
        method="post",
        args="mention",
        state=text_changed,
        data={"action": "confirm"},
        ok=302,
        writes=True,
    ),
    Row("desk-claim-search", query="?q=Nordkorea"),
    # Exports hold drafts: the desk's users only, moderators 403, anonymous to sign in.
    Row("desk-claims-export"),
    Row("desk-claims-export", query="?status=draft&format=csv"),
    Row("desk-claims-export", query="?status=all&format=jsonl&q=Nordkorea"),
    Row("desk-claims-export", query="?updated_since=gestern&format=csv", ok=400),
    Row("desk-preview", method="post", data={"explanation": "**fett**"}),
    Row("desk-review-queue"),
    Row("desk-claim-review", args="claim"),
    Row("desk-claim-history", args="claim"),
    Row("desk-correction", args="claim", state=correction_open),
    Row(
        "desk-correction",
        method="post",
        args="claim",
        state=correction_open,
        data=lambda w: {
            "version": w.claim.version,
            "kind": "update",
            "note": "Neue Zahlen.",
            "new_rating": w.claim.rating_id,
            "new_conclusion": "Überholt.",
            "new_explanation": "",
        },
        ok=302,
        writes=True,
    ),
    Row(
        "desk-claim-submit",
        method="post",
        args="claim",
        data=lambda w: {"version": w.claim.version},
        ok=302,
        writes=True,
    ),
    Row(
        "desk-claim-approve",
        method="post",
        args="claim",
        state=in_review,
        data=lambda w: {"version": w.claim.version, "comment": ""},
        allowed=REVIEWERS_ONLY,
        ok=302,
        writes=True,
    ),
    Row(
        "desk-claim-approve-publish",
        method="post",
        args="claim",
        state=in_review,
        data=lambda w: {"version": w.claim.version, "comment": ""},
        allowed=REVIEWERS_ONLY,
        ok=302,
        writes=True,
    ),
    Row(
        "desk-claim-request-changes",
        method="post",
        args="claim",
        state=in_review,
        data=lambda w: {"version": w.claim.version, "comment": "Quelle fehlt."},
        allowed=REVIEWERS_ONLY,
        ok=302,
        writes=True,
    ),
    Row(
        "desk-claim-publish",
        method="post",
        args="claim",
        state=approved,
        data=lambda w: {"version": w.claim.version},
        allowed=REVIEWERS_ONLY,
        ok=302,
        writes=True,
    ),
    Row(
        "desk-claim-dismiss",
        method="post",
        args="claim",
        data=lambda w: {"version": w.claim.version, "reason": "Keine Tatsache."},
        ok=302,
        writes=True,
    ),
    Row("desk-claim-reopen", method="post", args="claim", state=dismissed, ok=302, writes=True),
    Row(
        "desk-claim-unpublish",
        method="post",
        args="claim",
        state=published,
        data={"reason": "Quelle zurückgezogen."},
        allowed=REVIEWERS_ONLY,
        ok=302,
        writes=True,
    ),
    Row(
        "desk-claim-correction-start",
        method="post",
        args="claim",
        state=published,
        data=lambda w: {"version": w.claim.version, "kind": "correction", "note": "Falsch."},
        ok=302,
        writes=True,
    ),
    Row(
        "desk-claim-correction-submit",
        method="post",
        args="claim",
        state=correction_open,
        data=lambda w: {"version": w.claim.version},
        ok=302,
        writes=True,
    ),
    Row(
        "desk-claim-correction-withdraw",
        method="post",
        args="claim",
        state=correction_open,
        ok=302,
        writes=True,
    ),
    Row(
        "desk-mention-approve",
        method="post",
        args="mention",
        state=appearance_waiting,
        allowed=REVIEWERS_ONLY,
        ok=302,
        writes=True,
    ),
    Row(
        "desk-mention-reject",
        method="post",
        args="mention",
        state=appearance_waiting,
        allowed=REVIEWERS_ONLY,
        ok=302,
        writes=True,
    ),
    Row("desk-notifications"),
    Row("desk-notifications", method="post", ok=302),
    # Webhooks: for those who may publish; a webhook is its owner's (and superusers').
    Row("desk-webhooks", allowed=REVIEWERS_ONLY),
    Row(
        "desk-webhooks",
        method="post",
        data={"url": "http://127.0.0.1/hook", "events": ["claim.published"]},
        allowed=REVIEWERS_ONLY,
        ok=422,
    ),
    Row("desk-webhook", args="webhook", allowed=REVIEWERS_ONLY),
    Row("desk-webhook-ping", method="post", args="webhook", allowed=REVIEWERS_ONLY, ok=302),
    Row(
        "desk-webhook-active",
        method="post",
        args="webhook",
        data={"active": "0"},
        allowed=REVIEWERS_ONLY,
        ok=302,
    ),
    Row("desk-webhook-rotate", method="post", args="webhook", allowed=REVIEWERS_ONLY, ok=302),
    Row("desk-webhook-delete", method="post", args="webhook", allowed=REVIEWERS_ONLY, ok=302),
    Row(
        "desk-webhook-replay",
        method="post",
        args="webhook",
        data=lambda w: {"delivery": str(w.webhook.deliveries.get().pk)},
        allowed=REVIEWERS_ONLY,
        ok=302,
    ),
]


def make_world(editor, editor2, reviewer, reviewer2, moderator, superuser) -> World:
    """An article, a draft claim with one passage and a source, a failed import and an API
    token of the editor's, and everyone (the fuzz tests use the same world)."""
    make_rating("True", 5)
    article = make_article(TEXT, created_by=editor)
    claim = make_ready_claim(editor, claim_reviewed="Nordkorea testet nicht")
    mention = mark(claim, article, 0, 9)
    article_import = ArticleImport.objects.create(
        requested_by=editor, url="https://example.org/a", status="failed", error="Weg."
    )
    source = Source.objects.create(claim=claim, title="Bericht", url="https://example.org/b")
    webhook = Webhook.objects.create(
        owner=reviewer, url="https://example.org/hook", events=["claim.published"]
    )
    WebhookDelivery.objects.create(webhook=webhook, event="ping", payload={"webhook": webhook.pk})
    token, _raw = issue_token(editor, "CMS", ["read:desk"], timedelta(days=90))
    users = {
        "editor": editor,
        "editor2": editor2,
        "reviewer": reviewer,
        "reviewer2": reviewer2,
        "moderator": moderator,
        "superuser": superuser,
    }
    return World(article, claim, mention, users, article_import, source, webhook, token)


@pytest.fixture
def world(db, editor, editor2, reviewer, reviewer2, moderator, superuser) -> World:
    return make_world(editor, editor2, reviewer, reviewer2, moderator, superuser)


def _url(row: Row, w: World) -> str:
    objects = {
        "article": w.article.pk,
        "claim": w.claim.pk,
        "mention": w.mention.pk,
        "import": w.article_import.pk,
        "source": w.source.pk,
        "webhook": w.webhook.pk,
        "token": w.token.pk,
        "suggestion": getattr(getattr(w, "suggestion", None), "pk", None),
        "reset": "MQ/set-password",  # a link that is not (any more) valid
    }
    args = [part for name in row.args.split(",") if name for part in str(objects[name]).split("/")]
    return reverse(f"claims:{row.name}", args=args) + row.query


def _snapshot() -> tuple:
    claims = tuple(Claim.objects.order_by("pk").values_list("status", "version", "claimant"))
    claims += tuple(Article.objects.order_by("pk").values_list("status", "title"))
    counts = tuple(
        model.objects.count()
        for model in (Article, Claim, Mention, Source, Review, ClaimEvent, Correction)
    )
    histories = tuple(model.history.count() for model in (Article, Claim, Mention, Source))
    corrections = tuple(Correction.objects.values_list("status", "new_conclusion"))
    seen = tuple(DeskProfile.objects.values_list("notifications_seen_at", flat=True))
    hooks = tuple(Webhook.objects.order_by("pk").values_list("secret", "is_active"))
    hooks += (WebhookDelivery.objects.count(),)
    return claims, counts, histories, corrections, seen, hooks


def _records_by(user) -> int:
    """History rows, reviews and events written by ``user``."""
    histories = sum(
        model.history.filter(history_user=user).count()
        for model in (Article, Claim, Mention, Source)
    )
    return (
        histories
        + Review.objects.filter(reviewer=user).count()
        + ClaimEvent.objects.filter(actor=user).count()
    )


def test_every_desk_url_is_in_the_matrix():
    names = {pattern.name for pattern in urlpatterns if str(pattern.pattern).startswith("desk/")}
    covered = {row.name for row in ROWS}
    assert names - covered == set(), "desk URLs missing from the matrix"
    assert covered - names == set()


@pytest.mark.parametrize("step", STEPS.values(), ids=list(STEPS))
def test_every_workflow_step_is_in_the_matrix_as_the_table_allows_it(world, step):
    """Who may take a step on the desk: the desk's users whose roles the step's table row
    names."""
    rows = [row for row in ROWS if f"claims:{row.name}" == step.url_name]
    assert [row.method for row in rows] == ["post"]
    assert rows[0].allowed == {persona for persona in DESK if step.allowed(world.users[persona])}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("row", ROWS, ids=[f"{r.method}-{r.name}" for r in ROWS])
def test_matrix(client, world, row: Row, persona: str):
    row.state(world)
    world.claim.refresh_from_db()
    user = world.users.get(persona)
    if user is not None:
        client.force_login(user)
    url = _url(row, world)
    data = row.data(world) if callable(row.data) else (row.data or {})
    before, records_before = _snapshot(), _records_by(user) if user else 0
    response = getattr(client, row.method)(url, data)
    if persona in row.allowed:
        assert response.status_code == row.ok, response.content.decode()[:2000]
        if row.writes:
            assert _snapshot() != before
            assert _records_by(user) > records_before, "a write without a record of who did it"
        elif row.method == "get":
            assert _snapshot() == before
    else:
        # Signed-in users are sent on from the login page; otherwise anonymous users go
        # to the login page, and everyone else is refused.
        expected = 302 if persona == "anonymous" or row.name == "login" else 403
        expected = row.denied.get(persona, expected)
        assert response.status_code == expected, response.content.decode()[:500]
        if persona == "anonymous" and row.name != "login":
            assert response["Location"].startswith(reverse("claims:login"))
        assert _snapshot() == before
