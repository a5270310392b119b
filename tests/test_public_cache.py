"""Public pages come from the cache, and go stale exactly when published content changes."""

import gzip
import time

import pytest
from django.core.cache import cache
from django.core.cache.backends import locmem
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.caching import GENERATION_KEY, cached_public_page, invalidate_public_pages
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


# With this worker's local copies too: a change made through it empties them at once.
@pytest.mark.parametrize("local_seconds", [0, 60])
def test_publishing_a_claim_makes_its_article_page_fresh(reader, seeded, settings, local_seconds):
    settings.FACTCHECK_PUBLIC_CACHE_LOCAL_SECONDS = local_seconds
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


def test_other_answers_are_compressed_for_visitors_without_a_session(desk, article):
    # The tip form is not in the page cache (it carries a CSRF token): compressed per
    # response. A signed-in editor's answers mix text they searched for with drafts, which
    # is what BREACH needs: never compressed (factcheck.middleware).
    gzip_ok = {"HTTP_ACCEPT_ENCODING": "gzip, deflate"}
    client = Client()  # `desk` is the default test client, signed in
    form = client.get("/tips/new/", **gzip_ok)
    assert form.status_code == 200
    assert form["Content-Encoding"] == "gzip"
    assert b"csrfmiddlewaretoken" in gzip.decompress(form.content)
    assert not client.get("/tips/new/").has_header("Content-Encoding")
    search = desk.get(f"/desk/claims/search/?q=Nordkorea&article={article.pk}", **gzip_ok)
    workspace = desk.get(f"/desk/articles/{article.pk}/", **gzip_ok)
    assert search.status_code == workspace.status_code == 200
    assert not search.has_header("Content-Encoding")
    assert not workspace.has_header("Content-Encoding")
    assert b"csrfmiddlewaretoken" in workspace.content
    # Public pages from the page cache hold no secret: compressed for editors too.
    assert desk.get(ARTICLE_URL, **gzip_ok)["Content-Encoding"] == "gzip"


def _other_worker_changes_public_content():
    """What another app server's publish does to this one: the shared generation moves
    on, and this worker's local copies are not told."""
    cache.incr(GENERATION_KEY)


class _Clock:
    """The clock of Django's local-memory cache, moved by hand: expiry without waiting."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now


@pytest.fixture
def locmem_clock(monkeypatch):
    clock = _Clock()
    monkeypatch.setattr(locmem, "time", clock)
    return clock


def test_a_worker_serves_its_local_copy_for_a_moment_then_asks_again(
    reader, seeded, settings, locmem_clock
):
    settings.FACTCHECK_PUBLIC_CACHE_LOCAL_SECONDS = 2
    first = reader.get(ARTICLE_URL)
    _other_worker_changes_public_content()
    # Within the moment: this worker's copy, no round trip, no query.
    locmem_clock.now += 1.5
    local, queries = _get(reader, ARTICLE_URL)
    assert (first["X-Cache"], local["X-Cache"]) == ("miss", "hit")
    assert queries == 0
    assert local.content == first.content
    assert local["ETag"] == first["ETag"]
    locmem_clock.now += 1  # 2.5 s after the page was known to be current
    fresh = reader.get(ARTICLE_URL)
    assert fresh["X-Cache"] == "miss"  # the shared cache said: an older generation
    assert fresh["ETag"] != first["ETag"]


def test_a_page_rendered_while_this_worker_changed_content_is_not_kept(seeded, settings):
    # A publish through this worker while another request of it renders the page (a
    # threaded server): the page may show the old state, so it must not be kept locally.
    settings.FACTCHECK_PUBLIC_CACHE_LOCAL_SECONDS = 60
    renders = []

    @cached_public_page
    def view(request):
        renders.append(request)
        if len(renders) == 1:
            invalidate_public_pages()  # the concurrent publish
        return HttpResponse("<p>the page</p>" * 20)

    factory = RequestFactory()
    assert view(factory.get("/page/"))["X-Cache"] == "miss"
    assert view(factory.get("/page/"))["X-Cache"] == "miss"  # not the local copy
    assert view(factory.get("/page/"))["X-Cache"] == "hit"
    assert len(renders) == 2


def test_pages_with_a_query_string_are_not_kept_locally(reader, seeded, settings):
    # Anyone can make up query strings; they must not crowd this worker's memory.
    settings.FACTCHECK_PUBLIC_CACHE_LOCAL_SECONDS = 60
    reader.get("/claims/?q=Nordkorea")
    reader.get(ARTICLE_URL)
    _other_worker_changes_public_content()
    assert reader.get("/claims/?q=Nordkorea")["X-Cache"] == "miss"
    assert reader.get(ARTICLE_URL)["X-Cache"] == "hit"


def test_no_local_copy_outlives_the_shared_cache_lifetime(reader, seeded, settings):
    settings.FACTCHECK_PUBLIC_CACHE_LOCAL_SECONDS = 60
    settings.FACTCHECK_PUBLIC_CACHE_SECONDS = 0  # caching off
    reader.get(ARTICLE_URL)
    assert reader.get(ARTICLE_URL)["X-Cache"] == "miss"


def test_without_local_copies_every_hit_checks_the_shared_generation(reader, seeded, settings):
    settings.FACTCHECK_PUBLIC_CACHE_LOCAL_SECONDS = 0
    reader.get(ARTICLE_URL)
    _other_worker_changes_public_content()
    assert reader.get(ARTICLE_URL)["X-Cache"] == "miss"
