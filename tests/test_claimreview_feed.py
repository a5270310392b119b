"""The ClaimReview data feed (schema.org DataFeed, claims/claimreview.py): each item the
same ClaimReview as the claim's page, published claims only, in a constant number of
queries."""

import json
import re

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from claims.claimreview import claimreview_feed, published_claims_for_feed
from claims.models import Claim, Mention
from tests.factories import make_article, make_claim, make_rating, mark_quote

pytestmark = pytest.mark.django_db

FEED_PATH = "/api/v1/claimreview-feed.json"


def _feed() -> dict:
    feed = claimreview_feed(published_claims_for_feed(), RequestFactory().get(FEED_PATH))
    # What a client receives: the feed as JSON.
    return json.loads(json.dumps(feed, cls=DjangoJSONEncoder))


def _page_claimreview(client, claim: Claim) -> dict:
    html = client.get(claim.get_absolute_url()).content.decode()
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


def test_each_item_is_the_claim_pages_claimreview(reader, seeded, settings):
    settings.FACTCHECK_ORGANIZATION_URL = "https://factcheck.example.org"
    feed = _feed()
    assert feed["@context"] == "https://schema.org"
    assert feed["@type"] == "DataFeed"
    assert feed["url"] == f"http://testserver{FEED_PATH}"
    assert settings.FACTCHECK_ORGANIZATION_NAME in feed["name"]
    published = Claim.objects.filter(status=Claim.Status.PUBLISHED)
    assert len(feed["dataFeedElement"]) == published.count() >= 5
    for element in feed["dataFeedElement"]:
        assert element["@type"] == "DataFeedItem"
        claim = published.get(slug=element["item"]["url"].rstrip("/").rsplit("/", 1)[1])
        assert element["dateModified"] == claim.updated_at.isoformat()
        assert element["item"] == _page_claimreview(reader, claim)
        # The demo claims are rated on the scale: the rating with its bounds.
        assert element["item"]["reviewRating"]["@type"] == "Rating"
    newest = max(claim.updated_at for claim in published)
    assert feed["dateModified"] == newest.isoformat()
    # Most recently changed first.
    dates = [element["dateModified"] for element in feed["dataFeedElement"]]
    assert dates == sorted(dates, reverse=True)


def test_the_feed_in_german_matches_the_german_page(reader, seeded):
    claim = Claim.objects.get(slug="nordkorea-keine-atom-und-raketentests-seit-ueber-einem-jahr")
    with translation.override("de"):
        feed = _feed()
        page = _page_claimreview(reader, claim)
    [element] = [e for e in feed["dataFeedElement"] if e["item"]["url"] == page["url"]]
    assert element["item"] == page
    assert page["reviewRating"]["alternateName"] == "Wahr"
    assert feed["name"].startswith("Faktenchecks")


def test_only_published_claims_and_appearances_are_in_the_feed(reader, editor):
    rating = make_rating(label="False", value=1, slug="f")
    make_rating(label="True", value=6, slug="t")
    article = make_article("Er sagt: Die Erde ist flach. Sie sagt: Der Mond ist aus Käse.")
    shown = make_claim(rating=rating, claim_reviewed="Die Erde ist flach")
    mark_quote(shown, article, "Die Erde ist flach.")
    hidden_slugs = []
    for status in (
        Claim.Status.DRAFT,
        Claim.Status.IN_REVIEW,
        Claim.Status.CHANGES_REQUESTED,
        Claim.Status.DISMISSED,
    ):
        claim = make_claim(status=status, rating=rating)
        mark_quote(claim, article, "Der Mond ist aus Käse.")
        hidden_slugs.append(claim.slug)
    # A published claim whose only appearance waits for approval, in another article.
    waiting = make_claim(rating=rating, claim_reviewed="Der Mond ist aus Käse")
    elsewhere = make_article("Noch einmal: Der Mond ist aus Käse.", title="Elsewhere")
    pending = mark_quote(waiting, elsewhere, "Der Mond ist aus Käse.")
    pending.awaiting = Mention.Awaiting.ADDITION
    pending.save()

    feed = _feed()
    items = {element["item"]["url"]: element["item"] for element in feed["dataFeedElement"]}
    assert set(items) == {
        f"http://testserver{shown.get_absolute_url()}",
        f"http://testserver{waiting.get_absolute_url()}",
    }
    assert not any(slug in json.dumps(feed) for slug in hidden_slugs)
    flat = items[f"http://testserver{shown.get_absolute_url()}"]
    assert flat["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "False",
        "ratingValue": 1,
        "bestRating": 6,
        "worstRating": 1,
    }
    assert [work["headline"] for work in flat["itemReviewed"]["appearance"]] == [article.title]
    # The pending appearance is not public: no appearance at all for that claim.
    assert (
        "appearance" not in items[f"http://testserver{waiting.get_absolute_url()}"]["itemReviewed"]
    )
    for element in feed["dataFeedElement"]:
        assert element["item"] == _page_claimreview(
            reader, Claim.objects.get(slug=element["item"]["url"].rstrip("/").rsplit("/", 1)[1])
        )


def test_an_empty_feed_has_no_date():
    feed = _feed()
    assert feed["dataFeedElement"] == []
    assert "dateModified" not in feed


def _claims(count: int, ratings) -> None:
    article = make_article(" ".join(f"Satz{n:03d} stimmt." for n in range(count)))
    for n in range(count):
        claim = make_claim(rating=ratings[n % len(ratings)])
        mark_quote(claim, article, f"Satz{n:03d} stimmt.")


def test_the_query_count_does_not_grow_with_the_claims():
    ratings = [
        make_rating(label="False", value=1, slug="f"),
        make_rating(label="True", value=6, slug="t"),
        make_rating(label="Unproven", value=None, slug="u"),
        make_rating(label="Other", value=3, slug="o", scale="other"),
    ]
    counts = {}
    for count in (2, 20):
        Claim.objects.all().delete()
        _claims(count, ratings)
        with CaptureQueriesContext(connection) as queries:
            feed = claimreview_feed(published_claims_for_feed(), RequestFactory().get(FEED_PATH))
        assert len(feed["dataFeedElement"]) == count
        counts[count] = len(queries)
    # The claims, their appearances, the bounds of the rating scales.
    assert counts[2] == counts[20] == 3
    other = [
        e["item"]["reviewRating"]
        for e in feed["dataFeedElement"]
        if e["item"]["reviewRating"]["alternateName"] == "Other"
    ]
    # Each scale's own bounds.
    assert other[0]["bestRating"] == other[0]["worstRating"] == 3
