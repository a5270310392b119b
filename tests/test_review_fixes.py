"""Regressions found in review: leaks, model invariants, seeds, demo accounts, settings."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from claims.models import Article, ArticleRevision, Claim, Mention, Rating, Review, Source
from tests.conftest import SEED_ARTICLE_SLUG
from tests.factories import make_article, make_claim, make_rating, mark_quote
from tests.helpers import run_manage

STRONG_KEY = "k" * 20 + "-production-secret-" + "q" * 20


# --- Public pages never leak --------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [Claim.Status.DRAFT, Claim.Status.IN_REVIEW, Claim.Status.CHANGES_REQUESTED]
)
def test_latest_verdicts_never_list_an_unpublished_claim(reader, seeded, status):
    rating = Rating.objects.get(slug="false")
    hidden = make_claim(status=status, rating=rating, claim_reviewed="Geheimer Entwurf Zx-4711")
    # Even with a publication time set (e.g. a claim taken back for changes).
    hidden.published_at = Claim.objects.published().latest("published_at").published_at
    hidden.save()
    shown = make_claim(rating=rating, claim_reviewed="Veröffentlichte Prüfung Zx-0815")
    response = reader.get(reverse("claims:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Veröffentlichte Prüfung Zx-0815" in html
    assert "Geheimer Entwurf Zx-4711" not in html
    assert hidden.get_absolute_url() not in html
    assert shown.get_absolute_url() in html


@pytest.mark.django_db
def test_claim_page_lists_only_appearances_in_current_published_text(reader):
    claim = make_claim(claim_reviewed="Eine geprüfte Behauptung")
    article = make_article("Alpha Beta Gamma.\n\nDelta Epsilon.", title="Öffentlicher Artikel")
    old_mention = mark_quote(claim, article, "Beta")
    revision_2 = ArticleRevision.objects.create(
        article=article, number=2, text="Alpha Beta Gamma neu.\n\nDelta Epsilon."
    )
    article.current_revision = revision_2
    article.save()
    current_mention = mark_quote(claim, article, "Gamma neu")
    draft_article = make_article(
        "Zeta Eta.", title="Unveröffentlichter Artikel", status=Article.Status.DRAFT
    )
    draft_mention = mark_quote(claim, draft_article, "Zeta")

    response = reader.get(claim.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert f"#mention-{current_mention.pk}" in html
    assert "Gamma neu" in html
    assert f"#mention-{old_mention.pk}" not in html
    assert f"#mention-{draft_mention.pk}" not in html
    assert "Unveröffentlichter Artikel" not in html
    assert draft_article.get_absolute_url() not in html


@pytest.mark.django_db
def test_claim_page_refuses_post(reader, seeded):
    claim = Claim.objects.published().first()
    assert reader.get(claim.get_absolute_url()).status_code == 200
    response = reader.post(claim.get_absolute_url(), {"x": "1"})
    assert response.status_code == 405
    assert "GET" in response["Allow"]


# --- Model invariants ---------------------------------------------------------------------
@pytest.mark.django_db
def test_current_revision_must_belong_to_the_article():
    mine = make_article("Mein Text.")
    other = make_article("Fremder, unveröffentlichter Text.", status=Article.Status.DRAFT)
    own_revision = mine.current_revision
    mine.current_revision = other.current_revision
    with pytest.raises(ValidationError):
        mine.full_clean()
    with pytest.raises(ValueError, match="revision of this article"):
        mine.save()
    mine.refresh_from_db()
    assert mine.current_revision == own_revision


@pytest.mark.django_db
def test_new_article_cannot_start_with_someone_elses_revision():
    other = make_article("Fremder Text.")
    with pytest.raises(ValueError, match="revision of this article"):
        Article.objects.create(title="Neu", slug="neu", current_revision=other.current_revision)
    assert not Article.objects.filter(slug="neu").exists()


@pytest.mark.django_db
def test_deleting_an_article_takes_its_revisions_and_mentions_along(seeded):
    article = Article.objects.get(slug=SEED_ARTICLE_SLUG)
    ArticleRevision.objects.create(article=article, number=2, text=article.current_revision.text)
    claims_before = Claim.objects.count()
    assert Mention.objects.filter(revision__article=article).count() == 8

    article.delete()

    assert not Article.objects.filter(slug=SEED_ARTICLE_SLUG).exists()
    assert not ArticleRevision.objects.exists()
    assert not Mention.objects.exists()
    # Claims are independent of one article: they stay (and may be marked elsewhere).
    assert Claim.objects.count() == claims_before


@pytest.mark.django_db
def test_mention_beyond_the_text_is_invalid_and_skipped_on_the_public_page(reader):
    article = make_article("Kurzer Text.\n\nZweiter Absatz.")
    claim = make_claim(rating=make_rating("Falsch", slug="falsch"))
    good = mark_quote(claim, article, "Kurzer")
    length = len(article.current_revision.text)
    bad = Mention(
        claim=make_claim(claim_reviewed="Kaputte Markierung"),
        revision=article.current_revision,
        start=length - 3,
        end=length + 10,
        exact="tz.",
    )
    with pytest.raises(ValidationError):
        bad.full_clean()
    bad.save()  # as a direct database edit would

    response = reader.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="mention-{good.pk}"' in html
    assert f'id="mention-{bad.pk}"' not in html
    assert "Zweiter Absatz." in html


@pytest.mark.django_db
def test_revision_text_is_stored_normalised():
    article = make_article("Eins.")
    revision = ArticleRevision.objects.create(
        article=article, number=2, text="Zeile eins.  \r\nZeile zwei.\t\r\n\r\n\r\nDrei.\r\n\r\n"
    )
    revision.refresh_from_db()
    assert revision.text == "Zeile eins.\nZeile zwei.\n\n\nDrei."
    assert "\r" not in revision.text


# --- Seeds --------------------------------------------------------------------------------
def _load(*args: str) -> str:
    out = io.StringIO()
    call_command("loadseeds", *args, stdout=out)
    return out.getvalue()


def _seed_counts() -> dict[str, int]:
    models = [Article, ArticleRevision, Claim, Mention, Source, Rating, Review]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_loadseeds_again_after_editors_changed_the_demo_data(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("FACTCHECK_DEMO_PASSWORD", "demo-pass-123")
    _load("--demo-users")
    counts = _seed_counts()
    assert counts["Review"] == 6  # five publications and the correction

    source = Source.objects.filter(claim__slug="hanoi-acht-monate-nach-singapur").get()
    source.url = "https://example.org/moved"
    source.save()
    mention = Mention.objects.get(claim__slug="waffenstillstand-1953-kriegszustand")
    mention.end = mention.start + len("Trotz des Waffenstillstands von 1953")
    mention.take_quote()
    mention.full_clean()
    mention.save()
    claim = Claim.objects.get(slug="nordkorea-keine-atom-und-raketentests-seit-ueber-einem-jahr")
    claim.version += 1
    claim.save()
    rating = Rating.objects.get(slug="true")
    rating.slug = "stimmt"
    rating.save()

    _load()
    _load("--demo-users")

    assert _seed_counts() == counts
    source.refresh_from_db()
    mention.refresh_from_db()
    claim.refresh_from_db()
    rating.refresh_from_db()
    assert source.url == "https://example.org/moved"
    assert mention.exact == "Trotz des Waffenstillstands von 1953"
    assert claim.version == 2
    assert rating.slug == "stimmt"
    assert not Rating.objects.filter(slug="true").exists()


@pytest.mark.django_db
def test_demo_users_can_sign_in_and_reach_the_desk_by_role(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("FACTCHECK_DEMO_PASSWORD", "demo-pass-123")
    _load("--demo-users")
    expected = {"editor": 200, "editor2": 200, "reviewer": 200, "moderator": 403}
    for username, status in expected.items():
        client = Client()
        response = client.post(
            reverse("claims:login"),
            {"username": username, "password": "demo-pass-123"},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == reverse("claims:desk"), username
        assert response.status_code == status, username
        assert client.session.get("_auth_user_id") == str(
            get_user_model().objects.get(username=username).pk
        )
    refused = Client().post(
        reverse("claims:login"), {"username": "editor", "password": "wrong-pass"}
    )
    assert refused.status_code == 200
    assert "_auth_user_id" not in refused.client.session


# --- Settings -----------------------------------------------------------------------------
def test_sqlite_busy_timeout_comes_from_the_environment(tmp_path):
    result = run_manage(
        [
            "shell",
            "--no-imports",
            "-c",
            "from django.db import connection\n"
            "cursor = connection.cursor()\n"
            "cursor.execute('PRAGMA busy_timeout')\n"
            "print('busy_timeout', cursor.fetchone()[0])",
        ],
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'busy.sqlite3'}",
        SQLITE_BUSY_TIMEOUT="3",
    )
    assert result.returncode == 0, result.stderr
    assert "busy_timeout 3000" in result.stdout


@pytest.mark.parametrize(
    ("env", "name"),
    [
        pytest.param(
            {"DEBUG": "1", "DATABASE_URL": "postgres://u@h:abc/db"}, "DATABASE_URL", id="port"
        ),
        pytest.param(
            {"DEBUG": "1", "DATABASE_URL": "sqlite://x.db"}, "DATABASE_URL", id="sqlite-host"
        ),
        pytest.param({"DEBUG": "0", "SECRET_KEY": STRONG_KEY}, "ALLOWED_HOSTS", id="no-hosts"),
        pytest.param(
            {"DEBUG": "0", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": " , "},
            "ALLOWED_HOSTS",
            id="blank-hosts",
        ),
        pytest.param({"DEBUG": "1", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL", id="log-level"),
    ],
)
def test_bad_setting_stops_startup_naming_it(env, name):
    result = run_manage(["check"], **env)
    assert result.returncode != 0, f"{env} started"
    assert name in result.stderr
    assert "ImproperlyConfigured" in result.stderr
