"""Database constraints and model rules that protect the data."""

import pytest
from django.db import IntegrityError, transaction

from claims.models import Article, ArticleRevision, Claim, Mention, Rating
from tests.factories import make_article, make_claim, make_rating, mark

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
