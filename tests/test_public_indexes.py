"""Articles index, corrections log, methodology and corrections policy."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Article, Claim, Correction, Rating
from tests.factories import make_article, make_claim, mark

pytestmark = pytest.mark.django_db


def test_articles_index_lists_published_articles_with_published_claim_counts(reader, seeded):
    make_article(title="Unpublished article", status=Article.Status.DRAFT)
    html = reader.get("/articles/").content.decode()
    assert "Trump dämpft Erwartungen" in html
    assert "5 checked claims" in html  # the draft, the claim in review … are not
    assert "Unpublished article" not in html


def test_articles_index_paginates_with_constant_queries(reader):
    counts = []
    for total in (3, 30):
        Article.objects.all().delete()
        for i in range(total):
            article = make_article(title=f"Artikel {i}")
            mark(make_claim(), article, 0, 5)
        with CaptureQueriesContext(connection) as queries:
            response = reader.get("/articles/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert "Page 1 of 2" in response.content.decode()
    assert reader.get("/articles/?page=2").status_code == 200
    assert reader.get("/articles/?page=abc").status_code == 200  # falls back to page 1


def test_corrections_log_shows_public_corrections_of_published_claims_only(reader):
    published = make_claim(claim_reviewed="Veröffentlichte Behauptung")
    draft = make_claim(claim_reviewed="Entwurf", status=Claim.Status.DRAFT)
    now = timezone.now()
    Correction.objects.create(
        claim=published,
        kind="correction",
        note="Datum korrigiert.",
        status="published",
        published_at=now,
    )
    Correction.objects.create(claim=published, kind="update", note="Noch nicht öffentlich.")
    Correction.objects.create(
        claim=draft, kind="update", note="Zum Entwurf.", status="published", published_at=now
    )
    html = reader.get("/corrections/").content.decode()
    assert "Datum korrigiert." in html
    assert "Noch nicht öffentlich." not in html
    assert "Zum Entwurf." not in html


def test_methodology_is_generated_from_the_rating_scale(reader, seeded):
    html = reader.get("/methodology/").content.decode()
    for rating in Rating.objects.all():
        assert rating.label in html
        assert rating.description in html
    assert "corrections-policy" in html


def test_pages_exist_in_german(reader, seeded):
    assert "Korrekturen" in reader.get("/de/corrections/").content.decode()
    assert "Wie wir prüfen" in reader.get("/de/methodology/").content.decode()
    assert reader.get("/corrections-policy/").status_code == 200
    assert reader.post("/corrections/").status_code == 405
