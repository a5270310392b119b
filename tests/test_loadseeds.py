"""`manage.py loadseeds`: the demo data, loaded any number of times without duplicates."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from claims.models import Article, ArticleRevision, Claim, Mention, Rating, Review, Source
from tests.conftest import SEED_ARTICLE_SLUG, SEED_TEXT

pytestmark = pytest.mark.django_db

SHARED_SEED = Path(__file__).resolve().parent.parent / "seeds" / "hanoi-summit-2019.de.txt"


def _counts() -> dict[str, int]:
    models = [Article, ArticleRevision, Claim, Mention, Source, Rating, Review]
    return {model.__name__: model.objects.count() for model in models} | {
        "users": get_user_model().objects.count()
    }


def _load(*args: str) -> str:
    out = io.StringIO()
    call_command("loadseeds", *args, stdout=out)
    return out.getvalue()


def test_seed_article_text_is_stored_byte_for_byte(seeded):
    article = Article.objects.get(slug=SEED_ARTICLE_SLUG)
    assert article.current_revision.text == SEED_TEXT
    assert article.current_revision.text.encode() == SHARED_SEED.read_bytes()
    assert article.language == "de"
    assert article.status == Article.Status.PUBLISHED


def test_demo_claims_are_anchored_to_their_quotes(seeded):
    for mention in Mention.objects.select_related("revision"):
        text = mention.revision.text
        assert text[mention.start : mention.end] == mention.exact
        assert text[: mention.start].endswith(mention.prefix)
        assert text[mention.end :].startswith(mention.suffix)
    statuses = dict(Claim.objects.values_list("slug", "status"))
    assert statuses.pop("hanoi-gipfel-gemeinsame-erklaerung") == "draft"
    assert set(statuses.values()) == {"published"}
    assert len(statuses) == 4
    for claim in Claim.objects.published():
        assert claim.rating
        assert claim.conclusion
        assert claim.sources.exists()
        assert len(claim.claim_reviewed) < Claim.RECOMMENDED_CLAIM_LENGTH


def test_default_rating_scale(seeded):
    labels = list(Rating.objects.values_list("label", flat=True))
    assert labels == [
        "True",
        "Mostly true",
        "Half true",
        "Misleading",
        "Mostly false",
        "False",
        "Unproven",
    ]


def test_loading_twice_creates_nothing_new(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("FACTCHECK_DEMO_PASSWORD", "demo-pass-123")
    _load("--demo-users")
    first = _counts()
    _load("--demo-users")
    assert _counts() == first
    assert first["Claim"] == 5
    assert first["users"] == 5


def test_loading_repairs_a_partly_loaded_database(seeded):
    complete = _counts()
    Mention.objects.filter(claim__slug="waffenstillstand-1953-kriegszustand").delete()
    Source.objects.filter(claim__slug="hanoi-acht-monate-nach-singapur").delete()
    Claim.objects.filter(slug="verbindungsbuero-kein-rang-einer-botschaft").delete()
    Rating.objects.filter(slug="unproven").delete()
    _load()
    assert _counts() == complete


def test_loading_keeps_editors_changes(seeded):
    claim = Claim.objects.get(slug="waffenstillstand-1953-kriegszustand")
    claim.conclusion = "Edited by the desk"
    claim.save()
    _load()
    claim.refresh_from_db()
    assert claim.conclusion == "Edited by the desk"


def test_demo_users_get_roles_and_the_given_password(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("FACTCHECK_DEMO_PASSWORD", "demo-pass-123")
    output = _load("--demo-users")
    assert "FACTCHECK_DEMO_PASSWORD" in output
    User = get_user_model()
    groups = {u.username: [g.name for g in u.groups.all()] for u in User.objects.all()}
    assert groups == {
        "editor": ["Editors"],
        "editor2": ["Editors"],
        "reviewer": ["Reviewers"],
        "moderator": ["Moderators"],
        "admin": [],
    }
    assert User.objects.get(username="admin").is_superuser
    assert authenticate(username="reviewer", password="demo-pass-123") is not None
    # The demo claims are attributed to the demo editor and approved by the reviewer.
    assert Claim.objects.filter(author__username="editor").count() == 5
    assert Review.objects.filter(reviewer__username="reviewer").count() == 4


def test_generated_password_is_printed_and_works(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("FACTCHECK_DEMO_PASSWORD", raising=False)
    output = _load("--demo-users")
    password = output.split("created with the password: ")[1].split()[0]
    assert authenticate(username="editor", password=password) is not None
    # A second run keeps that password instead of silently replacing it.
    assert "left unchanged" in _load("--demo-users")
    assert authenticate(username="editor", password=password) is not None


def test_demo_users_are_refused_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        _load("--demo-users")
    assert not get_user_model().objects.exists()
    assert not Article.objects.exists()  # nothing half-loaded
    _load("--demo-users", "--force")
    assert get_user_model().objects.count() == 5


def test_loading_adds_german_rating_texts_to_an_older_scale(seeded):
    rating = Rating.objects.get(slug="false")
    rating.label_de = rating.description_de = ""
    rating.label = "Wrong"  # the newsroom renamed it: that stays
    rating.save()
    _load()
    rating.refresh_from_db()
    assert (rating.label, rating.label_de) == ("Wrong", "Falsch")
    assert rating.description_de == "Die Aussage ist nicht zutreffend."
