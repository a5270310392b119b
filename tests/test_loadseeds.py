"""`manage.py loadseeds`: the demo data, loaded any number of times without duplicates."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from claims.models import (
    Article,
    ArticleRevision,
    Claim,
    ClaimEvent,
    Correction,
    ErrorReport,
    Mention,
    Rating,
    Review,
    Source,
)
from tests.conftest import SEED_ARTICLE_SLUG, SEED_TEXT

pytestmark = pytest.mark.django_db

SHARED_SEED = Path(__file__).resolve().parent.parent / "seeds" / "hanoi-summit-2019.de.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
OLD_SEED_FILE = "hanoi-summit-2019.before-14.json"


def _sign_in_request():
    """authenticate() needs the request: django-axes counts sign-ins per client."""
    return RequestFactory().post("/desk/login/")


def _counts(*, history: bool = True) -> dict[str, int]:
    models = [
        Article,
        ArticleRevision,
        Claim,
        Mention,
        Source,
        Rating,
        Review,
        ClaimEvent,
        Correction,
        ErrorReport,
    ]
    counts = {model.__name__: model.objects.count() for model in models}
    counts["users"] = get_user_model().objects.count()
    if history:
        counts["claim history"] = Claim.history.count()
        counts["source history"] = Source.history.count()
    return counts


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
    assert statuses.pop("hanoi-gipfel-gemeinsame-erklaerung") == "dismissed"
    assert statuses.pop("friedensvertrag-nur-mit-suedkorea-und-china") == "in_review"
    assert statuses.pop("kim-verbindungsbuero-begruessenswert") == "draft"
    assert set(statuses.values()) == {"published"}
    assert len(statuses) == 5
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
    assert first["Claim"] == 8
    assert first["Correction"] == first["ErrorReport"] == 1
    assert first["users"] == 5


def test_loading_repairs_a_partly_loaded_database(seeded):
    complete = _counts(history=False)  # deleting and restoring adds history records
    Mention.objects.filter(claim__slug="waffenstillstand-1953-kriegszustand").delete()
    Source.objects.filter(claim__slug="hanoi-acht-monate-nach-singapur").delete()
    Claim.objects.filter(slug="verbindungsbuero-kein-rang-einer-botschaft").delete()
    Rating.objects.filter(slug="half-true").delete()
    _load()
    assert _counts(history=False) == complete


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
    assert (
        authenticate(_sign_in_request(), username="reviewer", password="demo-pass-123") is not None
    )
    # The demo claims are attributed to the demo editor and approved by the reviewer.
    assert Claim.objects.filter(author__username="editor").count() == 7
    assert Claim.objects.filter(author__username="editor2").count() == 1
    assert Review.objects.filter(reviewer__username="reviewer").count() == 6


def test_generated_password_is_printed_and_works(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("FACTCHECK_DEMO_PASSWORD", raising=False)
    output = _load("--demo-users")
    password = output.split("created with the password: ")[1].split()[0]
    assert authenticate(_sign_in_request(), username="editor", password=password) is not None
    # A second run keeps that password instead of silently replacing it.
    assert "left unchanged" in _load("--demo-users")
    assert authenticate(_sign_in_request(), username="editor", password=password) is not None


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


# --- The demo newsroom (make run) ---------------------------------------------------------
@pytest.fixture
def demo(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("FACTCHECK_DEMO_PASSWORD", "demo-pass-123")
    _load("--demo-users")


CORRECTED = "hanoi-acht-monate-nach-singapur"


def test_demo_shows_every_state_and_three_verdicts(demo):
    statuses = set(Claim.objects.values_list("status", flat=True))
    assert statuses == {"published", "in_review", "draft", "dismissed"}
    ratings = set(Claim.objects.published().values_list("rating__slug", flat=True))
    assert ratings == {"true", "mostly-true", "unproven"}
    dismissed = Claim.objects.get(status="dismissed")
    assert "Vorhersage" in dismissed.events.get(kind="dismissed").comment
    assert Article.objects.get(slug=SEED_ARTICLE_SLUG).status == Article.Status.PUBLISHED


def test_demo_correction_is_public_with_the_report_that_led_to_it(demo, client):
    correction = Correction.objects.public().get()
    claim = correction.claim
    assert claim.slug == CORRECTED
    assert (correction.old_rating.slug, correction.new_rating.slug) == ("true", "mostly-true")
    assert claim.rating.slug == "mostly-true"
    assert claim.conclusion == correction.new_conclusion
    assert correction.published_at > claim.published_at
    report = ErrorReport.objects.get()
    assert report.correction == correction
    assert report.status == "accepted"
    assert report.handled_by.username == "moderator"
    assert report.created_at < correction.created_at < correction.published_at
    note = correction.note[:40]
    assert note in client.get("/corrections/").content.decode()
    assert note in client.get("/feeds/corrections.atom").content.decode()
    page = client.get(claim.get_absolute_url()).content.decode()
    assert note in page
    # The reviewer approved the claim and later its correction: one person, not two.
    assert Review.objects.filter(claim=claim).count() == 2
    assert "Approved by 1 reviewer besides the author" in page


def test_demo_dates_agree(demo, client):
    for review in Review.objects.select_related("claim", "correction"):
        published = (review.correction or review.claim).published_at
        assert review.created_at < published, review.claim.slug
        assert review.created_at.year == 2019
    for claim in Claim.objects.all():
        assert claim.created_at.year == 2019
        if claim.submitted_at:
            assert claim.created_at < claim.submitted_at
        if claim.published_at:
            assert claim.submitted_at
            assert claim.published_at > claim.created_at
    # The article went public with its first published claim, in 2019.
    article = Article.objects.get()
    first = Claim.objects.filter(published_at__isnull=False).order_by("published_at").first()
    assert article.published_at == first.published_at
    assert article.created_at < article.published_at
    page = client.get(
        Claim.objects.get(slug="waffenstillstand-1953-kriegszustand").get_absolute_url()
    )
    html = page.content.decode()
    assert "March 1, 2019" in html
    assert "Approved by 1 reviewer besides the author, <time" in html
    assert str(timezone.now().year) not in html.split("Approved by", 1)[1].split("</dd>", 1)[0]


def test_demo_timelines_are_told_by_named_people(demo, client):
    names = {"editor", "editor2", "reviewer", "moderator"}
    for event in ClaimEvent.objects.select_related("actor"):
        if event.kind == ClaimEvent.Kind.ERROR_REPORTED:
            assert event.actor is None  # a reader
        else:
            assert event.actor.username in names, event.kind
        assert event.created_at.year == 2019
    for record in Claim.history.select_related("history_user"):
        assert record.history_user.username in names
        assert record.history_date.year == 2019
    kinds = list(
        Claim.objects.get(slug=CORRECTED)
        .events.order_by("created_at")
        .values_list("kind", "actor__username")
    )
    assert kinds == [
        ("submitted", "editor"),
        ("approved", "reviewer"),
        ("published", "reviewer"),
        ("error_reported", None),
        ("correction_opened", "moderator"),
        ("submitted", "editor"),
        ("approved", "reviewer"),
        ("published", "reviewer"),
    ]
    client.force_login(get_user_model().objects.get(username="editor"))
    claim = Claim.objects.get(slug="waffenstillstand-1953-kriegszustand")
    html = client.get(reverse("claims:desk-claim-history", args=[claim.pk])).content.decode()
    assert "a reader or the system" not in html
    assert "Claim created" in html
    assert html.count("· reviewer") == 2  # approved, published


def test_second_run_changes_nothing(demo):
    first = _counts()
    _load("--demo-users")
    _load()
    assert _counts() == first


def _load_before_14(tmp_path, monkeypatch) -> None:
    """What `make run` loaded before issue #14: five claims, no events, history by nobody."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("hanoi-summit-2019.de.txt", "rating-scale.json"):
        (seeds / name).write_bytes((SHARED_SEED.parent / name).read_bytes())
    (seeds / "hanoi-summit-2019.json").write_bytes((FIXTURES / OLD_SEED_FILE).read_bytes())
    from tests.fixtures import loadseeds_before_14

    monkeypatch.setattr(loadseeds_before_14, "SEEDS_DIR", seeds)
    call_command(loadseeds_before_14.Command(), "--demo-users", stdout=io.StringIO())


def test_an_old_demo_database_is_brought_up_to_date_once(settings, monkeypatch, tmp_path):
    settings.DEBUG = True
    monkeypatch.setenv("FACTCHECK_DEMO_PASSWORD", "demo-pass-123")
    _load_before_14(tmp_path, monkeypatch)
    assert Claim.objects.count() == 5
    assert not ClaimEvent.objects.exists()
    edited = Claim.objects.get(slug="verbindungsbuero-kein-rang-einer-botschaft")
    edited.claimant = "Von der Redaktion geändert"
    edited._history_user = get_user_model().objects.get(username="editor2")
    edited.save()

    _load("--demo-users")
    upgraded = _counts()
    _load("--demo-users")
    assert _counts() == upgraded

    assert upgraded["Claim"] == 8
    assert upgraded["Review"] == 6  # the four old approvals kept, two new
    assert upgraded["Correction"] == upgraded["ErrorReport"] == 1
    assert Claim.objects.get(slug="hanoi-gipfel-gemeinsame-erklaerung").status == "dismissed"
    assert Claim.objects.get(slug=CORRECTED).rating.slug == "mostly-true"
    assert Correction.objects.public().count() == 1
    edited.refresh_from_db()
    assert edited.claimant == "Von der Redaktion geändert"
    old_review = Review.objects.get(claim__slug="waffenstillstand-1953-kriegszustand")
    assert old_review.created_at < old_review.claim.published_at
    for claim in Claim.objects.all():
        assert claim.created_at.year == 2019, claim.slug
        assert claim.history.earliest("history_date").history_user is not None, claim.slug
    assert set(ClaimEvent.objects.values_list("actor__username", flat=True)) == {
        "editor",
        "reviewer",
        "moderator",
        None,
    }


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


def test_the_demo_story_emails_nobody_and_queues_no_task(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Its events happened in 2019: loading them sends no email, now or later, and asks
    no archive for copies (even with archiving on publish switched on)."""
    from django_tasks_db.models import DBTaskResult

    settings.DEBUG = True
    settings.FACTCHECK_ARCHIVE_ON_PUBLISH = True
    monkeypatch.setenv("FACTCHECK_DEMO_PASSWORD", "demo-password-123")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loadseeds", "--demo-users", stdout=io.StringIO())
    assert ClaimEvent.objects.exists()
    assert not DBTaskResult.objects.exists()
    # Outside the loader, a new event queues its email again.
    claim = Claim.objects.published().first()
    with django_capture_on_commit_callbacks(execute=True):
        ClaimEvent.objects.create(claim=claim, kind="approved", claim_version=claim.version)
    assert DBTaskResult.objects.filter(task_path__endswith="send_event_emails").exists()


def test_loading_analyses_the_seed_text_only(seeded):
    from claims.models import TextAnalysis
    from tests.factories import make_article

    other = make_article("Ein anderer Artikel, den niemand analysiert hat.")
    TextAnalysis.objects.filter(revision=other.current_revision).delete()
    seed = Article.objects.get(slug=SEED_ARTICLE_SLUG)
    TextAnalysis.objects.filter(revision=seed.current_revision).delete()
    call_command("loadseeds", stdout=io.StringIO())
    assert TextAnalysis.objects.filter(revision=seed.current_revision).exists()
    # Another article's analysis is the task queue's business, not the seeds' (with an
    # archive of 20,000 articles it would take hours).
    assert not TextAnalysis.objects.filter(revision=other.current_revision).exists()
