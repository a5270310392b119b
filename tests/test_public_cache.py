"""Public pages come from the cache, and go stale exactly when published content changes."""

import gzip
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.caching import GENERATION_KEY
from claims.models import Claim, Rating
from tests.conftest import SEED_ARTICLE_SLUG
from tests.factories import make_claim, mark_quote

pytestmark = pytest.mark.django_db

ARTICLE_URL = f"/articles/{SEED_ARTICLE_SLUG}/"


def _get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


def test_second_request_is_served_from_the_cache_without_queries(reader, seeded):
    first, first_queries = _get(reader, ARTICLE_URL)
    second, second_queries = _get(reader, ARTICLE_URL)
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert first_queries == 2
    assert second_queries == 0
    assert second.content == first.content
    assert "csrfmiddlewaretoken" not in second.content.decode()  # nothing per visitor
    assert "HX-Request" in second["Vary"]


def test_publishing_a_claim_makes_its_article_page_fresh(reader, seeded, article):
    reader.get(ARTICLE_URL)
    draft = Claim.objects.get(status=Claim.Status.DRAFT)
    assert draft.get_absolute_url() not in reader.get(ARTICLE_URL).content.decode()
    draft.status = Claim.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.save()
    response = reader.get(ARTICLE_URL)
    assert response["X-Cache"] == "miss"
    assert f"#claim-{draft.slug}" in response.content.decode()


def test_a_rating_scale_edit_invalidates_pages(reader, seeded):
    reader.get("/methodology/")
    rating = Rating.objects.get(slug="true")
    rating.description = "Stimmt genau."
    rating.save()
    response = reader.get("/methodology/")
    assert response["X-Cache"] == "miss"
    assert "Stimmt genau." in response.content.decode()


def test_work_on_drafts_does_not_flush_the_public_cache(reader, seeded, article):
    reader.get(ARTICLE_URL)
    draft = make_claim(status=Claim.Status.DRAFT, claim_reviewed="Still a draft")
    mark_quote(draft, article, "Kim Jong Un")
    assert reader.get(ARTICLE_URL)["X-Cache"] == "hit"


def test_conditional_get_answers_304(reader, seeded):
    etag = reader.get(ARTICLE_URL)["ETag"]
    response = reader.get(ARTICLE_URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    Rating.objects.filter(slug="true").get().save()  # any public change: a new ETag
    assert reader.get(ARTICLE_URL, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_languages_and_htmx_requests_are_cached_apart(reader, seeded):
    english = reader.get(ARTICLE_URL)
    german = reader.get("/de" + ARTICLE_URL)
    assert german["X-Cache"] == "miss"
    assert english.content != german.content
    fragment = reader.get(ARTICLE_URL, HTTP_HX_REQUEST="true")
    assert fragment["X-Cache"] == "miss"


def test_error_pages_are_not_cached(reader, seeded):
    assert reader.get("/claims/nope/").status_code == 404
    claim = make_claim(slug="nope")
    response = reader.get(claim.get_absolute_url())
    assert response.status_code == 200


def test_pages_are_stored_compressed_and_sent_as_each_client_accepts(reader, seeded):
    gzip_ok = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
    miss, _ = _get(reader, ARTICLE_URL, **gzip_ok)
    hit, queries = _get(reader, ARTICLE_URL, **gzip_ok)
    plain, _ = _get(reader, ARTICLE_URL)  # a client that does not accept gzip
    assert (miss["X-Cache"], hit["X-Cache"], plain["X-Cache"]) == ("miss", "hit", "hit")
    assert queries == 0
    assert miss["Content-Encoding"] == hit["Content-Encoding"] == "gzip"
    assert not plain.has_header("Content-Encoding")
    assert gzip.decompress(miss.content) == gzip.decompress(hit.content) == plain.content
    assert b"Waffenstillstand" in plain.content
    assert len(hit.content) < len(plain.content) / 2
    assert int(hit["Content-Length"]) == len(hit.content)
    # Two representations, two tags; each validates only itself; caches keep them apart.
    assert hit["ETag"] == plain["ETag"][:-1] + '-gzip"'
    assert "Accept-Encoding" in hit["Vary"]
    assert "Accept-Encoding" in plain["Vary"]
    assert reader.get(ARTICLE_URL, HTTP_IF_NONE_MATCH=hit["ETag"], **gzip_ok).status_code == 304
    assert reader.get(ARTICLE_URL, HTTP_IF_NONE_MATCH=hit["ETag"]).status_code == 200


def test_answers_outside_the_page_cache_are_compressed_per_response(desk, seeded, article):
    # The desk's answers carry a CSRF token: GZipMiddleware compresses them with its
    # BREACH mitigation (random padding), where the client accepts gzip.
    url = f"/desk/articles/{article.pk}/"
    compressed = desk.get(url, HTTP_ACCEPT_ENCODING="gzip")
    plain = desk.get(url)
    assert compressed["Content-Encoding"] == "gzip"
    assert b"csrfmiddlewaretoken" in gzip.decompress(compressed.content)
    assert not plain.has_header("Content-Encoding")
    assert b"csrfmiddlewaretoken" in plain.content


def _other_worker_changes_public_content():
    """What another app server's publish does to this one: the shared generation moves
    on, and this worker's local copies are not told."""
    cache.incr(GENERATION_KEY)


def test_a_worker_serves_its_local_copy_for_a_moment_then_asks_again(reader, seeded, settings):
    settings.FACTCHECK_PUBLIC_CACHE_LOCAL_SECONDS = 1
    first = reader.get(ARTICLE_URL)
    _other_worker_changes_public_content()
    # Within the moment: this worker's copy, no round trip, no query.
    local, queries = _get(reader, ARTICLE_URL)
    assert (first["X-Cache"], local["X-Cache"]) == ("miss", "hit")
    assert queries == 0
    assert local.content == first.content
    assert local["ETag"] == first["ETag"]
    time.sleep(1.1)  # the local copy's lifetime; nothing here measures speed
    fresh = reader.get(ARTICLE_URL)
    assert fresh["X-Cache"] == "miss"  # the shared cache said: an older generation
    assert fresh["ETag"] != first["ETag"]


def test_a_change_through_this_worker_shows_here_at_once(reader, seeded, settings):
    settings.FACTCHECK_PUBLIC_CACHE_LOCAL_SECONDS = 60
    reader.get(ARTICLE_URL)
    assert reader.get(ARTICLE_URL)["X-Cache"] == "hit"
    draft = Claim.objects.get(status=Claim.Status.DRAFT)
    draft.status = Claim.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.save()
    response = reader.get(ARTICLE_URL)
    assert response["X-Cache"] == "miss"
    assert f"#claim-{draft.slug}" in response.content.decode()


def test_without_local_copies_every_hit_checks_the_shared_generation(reader, seeded, settings):
    settings.FACTCHECK_PUBLIC_CACHE_LOCAL_SECONDS = 0
    reader.get(ARTICLE_URL)
    _other_worker_changes_public_content()
    assert reader.get(ARTICLE_URL)["X-Cache"] == "miss"
