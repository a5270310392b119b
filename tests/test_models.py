"""Database constraints and model rules that protect the data."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Article, ArticleRevision, Claim, Mention, Rating
from tests.conftest import SEED_ARTICLE_SLUG
from tests.factories import make_article, make_claim, make_rating, mark, mark_quote

pytestmark = pytest.mark.django_db


def test_mention_must_start_before_it_ends():
    article = make_article("Some text here.")
    claim = make_claim()
    revision = article.current_revision
    for start, end in [(5, 5), (6, 2)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Mention.objects.create(claim=claim, revision=revision, start=start, end=end, exact="")
    assert not Mention.objects.exists()


def test_slugs_are_unique():
    make_claim(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_claim(slug="same")
    make_article(slug="same-article")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(slug="same-article")


def test_rating_values_are_unique_per_scale_but_not_across_scales():
    make_rating(label="True", value=6, scale="default")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_rating(label="Correct", value=6, scale="default")
    assert make_rating(label="Correct", value=6, scale="other").pk
    # Several steps without a value (Unproven, …) may coexist.
    make_rating(label="Unproven", value=None)
    assert make_rating(label="Unclear", value=None).pk


def test_rating_colour_must_be_a_hex_value():
    for colour in ("red;}a{", "#zzzzzz", "1a7f37"):
        with pytest.raises(IntegrityError), transaction.atomic():
            make_rating(colour=colour)
    assert not Rating.objects.exists()


def test_published_claim_needs_a_publication_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(slug="x", claim_reviewed="x", status="published", published_at=None)


def test_revisions_are_immutable():
    revision = make_article("Original text.").current_revision
    revision.text = "Rewritten text."
    with pytest.raises(ValueError, match="immutable"):
        revision.save()
    assert ArticleRevision.objects.get(pk=revision.pk).text == "Original text."


def test_revision_numbers_are_unique_per_article():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleRevision.objects.create(article=article, number=1, text="Again.")


def test_published_querysets_hide_everything_else():
    article = make_article()
    statuses = [s for s, _label in Claim.Status.choices]
    for status in statuses:
        mark(make_claim(status=status), article, 0, 5)
    assert list(Claim.objects.published().values_list("status", flat=True)) == ["published"]
    assert Mention.objects.published().count() == 1
    make_article(status=Article.Status.DRAFT)
    assert list(Article.objects.published()) == [article]


def test_history_records_who_changed_what(editor):
    claim = make_claim(conclusion="Before")
    claim.conclusion = "After"
    claim._history_user = editor
    claim.save()
    latest, first = claim.history.all()[:2]
    assert latest.history_user == editor
    delta = latest.diff_against(first)
    assert delta.changed_fields == ["conclusion"]
    assert (delta.changes[0].old, delta.changes[0].new) == ("Before", "After")


def test_rating_text_colour_keeps_contrast():
    assert Rating(colour="#ffffff").text_colour == "#000000"
    assert Rating(colour="#82071e").text_colour == "#ffffff"


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
