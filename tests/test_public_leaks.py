"""Nothing unpublished reaches the public: every public URL × every non-published state."""

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Article, ArticleRevision, Claim, Correction, Rating
from tests.factories import make_article, make_claim, make_rating, mark_quote

pytestmark = pytest.mark.django_db

HIDDEN_CLAIM_STATES = [
    Claim.Status.DRAFT,
    Claim.Status.IN_REVIEW,
    Claim.Status.CHANGES_REQUESTED,
    Claim.Status.DISMISSED,
]
HIDDEN_ARTICLE_STATES = [Article.Status.DRAFT, Article.Status.WITHDRAWN]

PUBLIC_LISTS = [
    "/",
    "/claims/",
    "/claims/?q=LEAK",
    "/claims/?q=geheim",
    "/articles/",
    "/corrections/",
    "/methodology/",
    "/feeds/claims.atom",
    "/feeds/corrections.atom",
    "/sitemap.xml",
    "/sitemap-claims.xml",
    "/sitemap-articles.xml",
]


@pytest.fixture
def world():
    """A published article with one claim in every hidden state, and published claims in
    articles that are not public."""
    rating = make_rating(label="Falsch", value=1, slug="falsch")
    public = make_article(
        " ".join(f"Satz{i} geheim{i}." for i in range(8)), title="Öffentlicher Artikel"
    )
    hidden_claims = []
    for i, state in enumerate(HIDDEN_CLAIM_STATES):
        claim = make_claim(status=state, rating=rating, claim_reviewed=f"LEAK-CLAIM-{state}")
        mark_quote(claim, public, f"geheim{i}")
        Correction.objects.create(
            claim=claim,
            kind="update",
            note=f"LEAK-CORRECTION-{state}",
            status="published",
            published_at=timezone.now(),
        )
        hidden_claims.append(claim)
    hidden_articles = []
    for state in HIDDEN_ARTICLE_STATES:
        article = make_article(
            "Nur intern: Behauptung.", title=f"LEAK-ARTICLE-{state}", status=state
        )
        claim = make_claim(rating=rating, claim_reviewed=f"Published in {state} article")
        mark_quote(claim, article, "Behauptung")
        hidden_articles.append(article)
    visible = make_claim(rating=rating, claim_reviewed="VISIBLE-CLAIM")
    mark_quote(visible, public, "geheim7")
    return public, hidden_claims, hidden_articles, visible


def _all_public_urls(public):
    urls = [*PUBLIC_LISTS, public.get_absolute_url(), public.get_absolute_url() + "revisions/1/"]
    return urls + [
        "/de" + url for url in urls if url.startswith(("/claims", "/articles")) or url == "/"
    ]


def test_no_public_url_shows_unpublished_claims_articles_or_corrections(reader, world):
    public, hidden_claims, _hidden_articles, visible = world
    for url in _all_public_urls(public):
        response = reader.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "LEAK-" not in body, (url, body[body.find("LEAK-") - 80 : body.find("LEAK-") + 80])
        for claim in hidden_claims:
            assert claim.get_absolute_url() not in body, url
    article_page = reader.get(public.get_absolute_url()).content.decode()
    assert visible.get_absolute_url() in article_page  # the published one is there


@pytest.mark.parametrize("state", HIDDEN_CLAIM_STATES)
def test_unpublished_claim_pages_are_404_in_every_language(reader, world, state):
    claim = Claim.objects.get(status=state)
    assert reader.get(claim.get_absolute_url()).status_code == 404
    assert reader.get("/de" + claim.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("state", HIDDEN_ARTICLE_STATES)
def test_unpublished_article_pages_are_404_and_hide_their_claims_appearances(reader, world, state):
    article = Article.objects.get(status=state)
    # Never public: 404. Public once and unpublished since: 410 with a plain notice.
    expected = 410 if state == Article.Status.WITHDRAWN else 404
    for url in (article.get_absolute_url(), "/de" + article.get_absolute_url()):
        response = reader.get(url)
        assert response.status_code == expected, url
        assert article.title not in response.content.decode()
    revision = reader.get(
        reverse("claims:article-revision", kwargs={"slug": article.slug, "number": 1})
    )
    assert revision.status_code == expected
    claim = Claim.objects.get(claim_reviewed=f"Published in {state} article")
    page = reader.get(claim.get_absolute_url()).content.decode()
    assert article.title not in page  # no appearance in an unpublished article
    assert article.get_absolute_url() not in page


@pytest.mark.parametrize("state", HIDDEN_CLAIM_STATES)
def test_withdrawn_claim_pages_are_410_and_show_nothing_of_the_claim(reader, world, state):
    """A claim published once and unpublished since (then edited, in review, dismissed…)
    answers 410 Gone with a plain notice in both languages, nothing of the claim; the
    never-published claims above stay 404. Nothing else shows it either."""
    public = world[0]
    claim = make_claim(
        status=state,
        slug=f"withdrawn-{state}",
        claim_reviewed=f"LEAK-WITHDRAWN-{state}",
        claimant="LEAK-CLAIMANT",
        conclusion="LEAK-CONCLUSION",
        published_at=timezone.now(),
    )
    mark_quote(claim, public, "Satz1")
    Correction.objects.create(
        claim=claim,
        kind="update",
        note="LEAK-WITHDRAWN-CORRECTION",
        status="published",
        published_at=timezone.now(),
    )
    for url in (claim.get_absolute_url(), "/de" + claim.get_absolute_url()):
        response = reader.get(url)
        assert response.status_code == 410, url
        body = response.content.decode()
        assert "LEAK-" not in body, url
        assert "/corrections-policy/" in body
    for url in _all_public_urls(public):
        body = reader.get(url).content.decode()
        assert "LEAK-" not in body, url
        assert claim.get_absolute_url() not in body, url


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


# --- The API ------------------------------------------------------------------------------
def _api_urls(public, hidden_claims, hidden_articles):
    urls = [
        "/api/v1/claims",
        "/api/v1/claims?q=LEAK",
        "/api/v1/claims?q=geheim",
        "/api/v1/claims?rating=falsch",
        "/api/v1/claims?language=de",
        f"/api/v1/claims?article={public.slug}",
        "/api/v1/claims?updated_since=2000-01-01",
        "/api/v1/articles",
        f"/api/v1/articles/{public.slug}",
        f"/api/v1/articles/{public.slug}/annotations",
        f"/api/v1/articles/{public.slug}/annotations?page=1",
        "/api/v1/corrections",
        "/api/v1/ratings",
        "/api/v1/claimreview-feed.json",
    ]
    urls += [f"/api/v1/claims/{claim.slug}" for claim in hidden_claims]
    for article in hidden_articles:
        urls += [
            f"/api/v1/articles/{article.slug}",
            f"/api/v1/articles/{article.slug}/annotations",
        ]
        urls.append(f"/api/v1/claims?article={article.slug}")
    return urls


def test_no_api_route_shows_unpublished_claims_articles_or_corrections(reader, world):
    public, hidden_claims, hidden_articles, visible = world
    for url in _api_urls(public, hidden_claims, hidden_articles):
        for language in ("en", "de"):
            response = reader.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code in (200, 404, 410), url
            body = response.content.decode()
            assert "LEAK-" not in body, (
                url,
                body[body.find("LEAK-") - 80 : body.find("LEAK-") + 80],
            )
            for claim in hidden_claims:
                assert f"/{claim.slug}" not in body or url.endswith(claim.slug), url
    # Published claims in unpublished articles are public, their appearance there is not.
    for article in hidden_articles:
        assert reader.get(f"/api/v1/articles/{article.slug}").status_code in (404, 410)
        listed = reader.get(f"/api/v1/claims?article={article.slug}").json()
        assert listed["items"] == []
        assert listed["next"] is None
    detail = reader.get(f"/api/v1/articles/{public.slug}").json()
    assert [m["claim"] for m in detail["mentions"]] == [visible.slug]


def test_api_pages_and_cursors_count_only_published_claims(reader, world):
    """Every page of one holds a published claim: no empty page, no cursor that stands
    for a hidden one, however many hidden claims lie between."""
    visible = world[3]
    seen, url, pages = [], "/api/v1/claims?limit=1", 0
    while url:
        body = reader.get(url).json()
        pages += 1
        assert len(body["items"]) == 1, url
        seen += [item["slug"] for item in body["items"]]
        url = body["next"] and body["next"].removeprefix("http://testserver")
    expected = set(Claim.objects.published().values_list("slug", flat=True))
    assert set(seen) == expected
    assert pages == len(expected)
    assert visible.slug in seen
