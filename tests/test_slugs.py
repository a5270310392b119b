"""Slugs: German transliteration, about eight words, unique; a claim's slug follows the
claim as reviewed until its first publication and never changes after it."""

import pytest
from django.urls import reverse

from claims.forms.desk import ClaimForm
from claims.models import Article, Claim, Mention
from claims.models.base import slug_for, unique_slug
from claims.models.lifecycle import WorkflowError
from claims.services import claim_update
from tests.factories import make_article, make_claim, make_ready_claim, mark

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TEXT = (
    "Wirtschaftsminister Müller sagte am Montag, Deutschland habe im vergangenen Jahr "
    "mehr Strom exportiert als je zuvor.\n\nZweiter Absatz."
)
PASSAGE = TEXT.split("\n")[0]


# --- The slug function --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Müller fährt über die Brücke", "mueller-faehrt-ueber-die-bruecke"),
        ("Straße und Maß", "strasse-und-mass"),
        ("Ärger über Öl in Übersee", "aerger-ueber-oel-in-uebersee"),
        ("„Ich bin in keiner Eile“ – Trump", "ich-bin-in-keiner-eile-trump"),
        ("Kim 🚀 lacht 👍🏽 laut", "kim-lacht-laut"),
        ("Café à la carte", "cafe-a-la-carte"),
        ("US-Präsident: 14 Monate ohne Tests!", "us-praesident-14-monate-ohne-tests"),
        ("Mu\u0308ller", "mueller"),  # a decomposed umlaut too
        ("snake_case words", "snake-case-words"),
    ],
)
def test_slug_spells_german_the_german_way_and_drops_the_rest(text, slug):
    assert slug_for(text) == slug


def test_slug_keeps_eight_whole_words():
    slug = slug_for(
        "Wirtschaftsminister Müller sagte am Montag, Deutschland habe im vergangenen Jahr"
    )
    assert slug == "wirtschaftsminister-mueller-sagte-am-montag-deutschland-habe-im"


def test_slug_is_cut_between_words_within_its_length():
    slug = slug_for("Donaudampfschifffahrtsgesellschaft " * 5, max_length=80)
    assert slug == "donaudampfschifffahrtsgesellschaft-donaudampfschifffahrtsgesellschaft"
    assert len(slug) <= 80
    assert not slug.endswith("-")
    assert slug_for("x" * 200, max_length=80) == "x" * 80


def test_slug_of_nothing_is_empty_and_unique_slug_falls_back_to_the_model_name():
    assert slug_for("") == ""
    assert slug_for("„…“ 🎉 –") == ""
    assert unique_slug(Claim, "🎉") == "claim"
    assert unique_slug(Article, "") == "article"


def test_unique_slug_adds_numbers_on_clashes_and_stays_within_its_length():
    make_claim(slug="gleicher-text")
    make_claim(slug="gleicher-text-2")
    assert unique_slug(Claim, "Gleicher Text") == "gleicher-text-3"
    long = "wort " * 8
    make_claim(slug=slug_for(long, max_length=20))
    slug = unique_slug(Claim, long, max_length=20)
    assert slug == "wort-wort-wort-2"
    assert len(slug) <= 20
    # The claim's own slug is no clash.
    own = Claim.objects.get(slug="gleicher-text")
    assert unique_slug(Claim, "Gleicher Text", exclude_pk=own.pk) == "gleicher-text"


def test_a_new_article_takes_its_slug_from_the_title(desk):
    desk.post(
        reverse("claims:desk-article-new"),
        {
            "title": "„Ich bin in keiner Eile“ – Trump dämpft Erwartungen an Nordkoreas Abrüstung",
            "language": "de",
            "text": "Ein Absatz.",
        },
    )
    assert Article.objects.get().slug == "ich-bin-in-keiner-eile-trump-daempft-erwartungen"


# --- A claim's slug on the desk -----------------------------------------------------------
def _panel(article, claim) -> str:
    return reverse("claims:desk-claim", args=[article.pk, claim.pk])


def _save(client, article, claim, **changes):
    claim.refresh_from_db()
    data = {
        "version": claim.version,
        "claim_reviewed": claim.claim_reviewed,
        "slug": claim.slug,
        "claimant": claim.claimant,
        "claimant_url": claim.claimant_url,
        "claim_date": claim.claim_date.isoformat() if claim.claim_date else "",
        "rating": claim.rating_id or "",
        "conclusion": claim.conclusion,
        "explanation": claim.explanation,
        "assignee": claim.assignee_id or "",
        "sources-TOTAL_FORMS": 0,
        "sources-INITIAL_FORMS": 0,
        "sources-MIN_NUM_FORMS": 0,
        "sources-MAX_NUM_FORMS": 50,
    }
    data.update(changes)
    return client.post(_panel(article, claim), data, **HTMX)


def _mark_passage(client, article) -> Claim:
    response = client.post(
        reverse("claims:desk-mark", args=[article.pk]),
        {
            "revision": article.current_revision_id,
            "start": 0,
            "end": len(PASSAGE),
            "exact": PASSAGE,
        },
        **HTMX,
    )
    assert response.status_code == 200
    return Mention.objects.latest("pk").claim


def test_a_marked_claims_slug_follows_the_claim_as_reviewed(desk, editor):
    article = make_article(TEXT)
    claim = _mark_passage(desk, article)
    assert claim.slug == "wirtschaftsminister-mueller-sagte-am-montag-deutschland-habe-im"
    assert not claim.slug_set_by_hand

    response = _save(
        desk, article, claim, claim_reviewed="Deutschland exportierte 2023 Rekordstrom"
    )
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.slug == "deutschland-exportierte-2023-rekordstrom"
    assert claim.version == 2
    assert 'value="deutschland-exportierte-2023-rekordstrom"' in response.content.decode()

    _save(desk, article, claim, claim_reviewed="Deutschland exportierte so viel Strom wie nie")
    claim.refresh_from_db()
    assert claim.slug == "deutschland-exportierte-so-viel-strom-wie-nie"
    assert claim.history.filter(slug="deutschland-exportierte-2023-rekordstrom").exists()


def test_a_slug_set_by_hand_stays_until_it_is_emptied(desk, editor):
    article = make_article(TEXT)
    claim = _mark_passage(desk, article)
    _save(desk, article, claim, slug="Strom-Rekord")  # lower-cased
    claim.refresh_from_db()
    assert (claim.slug, claim.slug_set_by_hand) == ("strom-rekord", True)

    _save(desk, article, claim, claim_reviewed="Deutschland exportierte Rekordstrom")
    claim.refresh_from_db()
    assert claim.slug == "strom-rekord"

    _save(desk, article, claim, slug="")
    claim.refresh_from_db()
    assert (claim.slug, claim.slug_set_by_hand) == ("deutschland-exportierte-rekordstrom", False)


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("strom rekord", "lower-case letters, digits and single hyphens"),
        ("strom--rekord", "lower-case letters, digits and single hyphens"),
        ("strom-rekord-", "lower-case letters, digits and single hyphens"),
        ("stromrekord-für-alle", "lower-case letters, digits and single hyphens"),
        ("schon-vergeben", "Another claim already has this address"),
    ],
)
def test_a_bad_or_taken_slug_is_refused_with_a_reason(desk, editor, slug, message):
    make_claim(slug="schon-vergeben")
    article = make_article(TEXT)
    claim = _mark_passage(desk, article)
    before = (claim.slug, claim.version, claim.claim_reviewed)
    response = _save(desk, article, claim, slug=slug, claim_reviewed="Neuer Text")
    assert response.status_code == 422
    assert message in response.content.decode()
    claim.refresh_from_db()
    assert (claim.slug, claim.version, claim.claim_reviewed) == before


def test_the_panel_shows_the_slug_field_editable_before_publication(desk, editor):
    article = make_article(TEXT)
    claim = _mark_passage(desk, article)
    html = desk.get(_panel(article, claim)).content.decode()
    assert 'name="slug"' in html
    assert "Public address" in html
    assert "It follows the claim as reviewed" in html
    field = html[html.index('name="slug"') - 300 : html.index('name="slug"') + 300]
    assert "disabled" not in field


def test_a_published_claims_slug_is_frozen_even_on_a_forged_post(desk, editor):
    article = make_article(TEXT)
    claim = make_claim(slug="veroeffentlicht", claim_reviewed="Veröffentlicht", author=editor)
    mark(claim, article, 0, 20)
    html = desk.get(_panel(article, claim)).content.decode()
    field = html[html.index('name="slug"') - 300 : html.index('name="slug"') + 300]
    assert "disabled" in field
    assert "Fixed since the claim was first published" in html

    response = _save(desk, article, claim, slug="neue-adresse", claimant="Jemand")
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.slug == "veroeffentlicht"
    assert claim.claimant == "Jemand"  # the rest of the form was saved
    assert not Claim.objects.filter(slug="neue-adresse").exists()


def test_an_unpublished_claim_keeps_its_slug_and_the_service_refuses_a_change(editor, moderator):
    article = make_article(TEXT)
    claim = make_claim(slug="einmal-oeffentlich", claim_reviewed="Einmal öffentlich")
    mark(claim, article, 0, 20)
    claim.unpublish(by=moderator, reason="Fehler")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT
    assert claim.published_at is not None

    form = ClaimForm(
        {"version": claim.version, "claim_reviewed": "Ganz neuer Text", "slug": "anders"},
        instance=claim,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["slug"] == "einmal-oeffentlich"  # disabled: the post is ignored
    edited = form.save(commit=False)
    edited.slug = "anders"  # as if a caller bypassed the form
    with pytest.raises(WorkflowError):
        claim_update(
            claim=edited,
            expected_version=claim.version,
            sources=[],
            user=editor,
        )
    claim.refresh_from_db()
    assert (claim.slug, claim.claim_reviewed) == ("einmal-oeffentlich", "Einmal öffentlich")


def test_publishing_gives_an_older_draft_the_slug_of_its_claim(editor, reviewer):
    claim = make_ready_claim(
        editor, slug="wirtschaftsminister-mueller-sagte", claim_reviewed="Zölle auf Stahl steigen"
    )
    by_hand = make_ready_claim(
        editor, slug="meine-adresse", claim_reviewed="Anderer Text", slug_set_by_hand=True
    )
    for item in (claim, by_hand):
        item.submit(by=editor)
        item.approve(by=reviewer)
        item.publish(by=reviewer)
    claim.refresh_from_db()
    by_hand.refresh_from_db()
    assert claim.slug == "zoelle-auf-stahl-steigen"
    assert by_hand.slug == "meine-adresse"
    assert claim.get_absolute_url() == "/claims/zoelle-auf-stahl-steigen/"


def test_a_moderator_cannot_change_a_slug(client, editor, moderator):
    article = make_article(TEXT)
    claim = make_claim(status=Claim.Status.DRAFT, slug="entwurf", claim_reviewed="Entwurf")
    mark(claim, article, 0, 20)
    client.force_login(moderator)
    response = _save(client, article, claim, slug="gekapert")
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.slug == "entwurf"
