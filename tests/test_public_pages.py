"""The first public slice: home, annotated article, claim page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.caching import clear_all_caches
from claims.models import Article, Claim, Rating
from tests.conftest import SEED_ARTICLE_SLUG
from tests.factories import add_source, make_article, make_claim, make_rating, mark, mark_quote

pytestmark = pytest.mark.django_db

ARTICLE_URL = f"/articles/{SEED_ARTICLE_SLUG}/"


def test_home_lists_published_articles_only(reader, seeded):
    make_article(title="Unfinished draft article", status=Article.Status.DRAFT)
    response = reader.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Trump dämpft Erwartungen an Nordkoreas Abrüstung" in html
    assert ARTICLE_URL in html
    assert "Unfinished draft article" not in html
    assert "5 checked claims" in html  # the draft, the claim in review … are not


def test_article_page_highlights_every_published_claim(reader, seeded):
    response = reader.get(ARTICLE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    marks = re.findall(r'<mark class="claim-mark[^"]*"', html)
    assert len(marks) == 5
    for claim in Claim.objects.published():
        assert claim.get_absolute_url() in html
    # The rating is written out next to each highlight, not shown by colour alone.
    badge = r'Claim \d, verdict: </span><span class="claim-number" aria-hidden="true">\d</span>'
    badge += "True</a>"
    assert len(re.findall(badge, html)) == 4
    assert '<article lang="de"' in html


def test_draft_claim_is_not_highlighted_and_its_page_is_404(reader, seeded):
    draft = Claim.objects.get(status=Claim.Status.DRAFT)
    html = reader.get(ARTICLE_URL).content.decode()
    assert draft.get_absolute_url() not in html
    # Its passage is plain text, not inside a highlight.
    passage = "soll der zweite Gipfel in Hanoi mit der Unterzeichnung"
    assert passage in html
    assert not re.search(r"<mark[^>]*>(?:(?!</mark>).)*" + passage, html, re.S)
    assert reader.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("status", [Claim.Status.IN_REVIEW, Claim.Status.DISMISSED])
def test_unpublished_claim_pages_are_404(reader, status):
    claim = make_claim(status=status)
    assert reader.get(claim.get_absolute_url()).status_code == 404


def test_draft_article_is_404_with_its_published_claims(reader):
    article = make_article(status=Article.Status.DRAFT)
    mark(make_claim(), article, 0, 6)
    assert reader.get(article.get_absolute_url()).status_code == 404


def test_claim_page_shows_verdict_sources_and_appearances(reader, seeded):
    claim = Claim.objects.get(slug="waffenstillstand-1953-kriegszustand")
    response = reader.get(claim.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert claim.claim_reviewed in html
    assert "Autoren des Artikels" in html
    assert claim.conclusion in html
    assert "<strong>27. Juli 1953</strong>" in html  # Markdown rendered
    assert "https://www.archives.gov/milestone-documents/" in html
    # The chips say in plain words what a source is and how it bears on the claim.
    assert "Primary source: the document itself" in html
    assert "Supports the claim" in html
    assert "Background: gives context" in html
    assert "Waffenstillstands von 1953" in html  # the appearance with its quote
    assert ARTICLE_URL in html


def test_overlapping_and_nested_mentions_stay_distinguishable(reader):
    rating = make_rating(label="Misleading", value=3, slug="misleading")
    article = make_article("Alpha beta gamma delta epsilon.")
    outer, inner, overlap = make_claim(rating=rating), make_claim(rating=rating), make_claim()
    mark(outer, article, 0, 22)  # Alpha beta gamma delta
    mark(inner, article, 6, 10)  # beta
    mark(overlap, article, 17, 30)  # delta epsilon
    html = reader.get(article.get_absolute_url()).content.decode()
    assert 'class="claim-mark depth-2 rating-misleading lane-1 lane-2"' in html  # "beta"
    text = re.sub(r"<span class=\"visually-hidden\"[^>]*>[^<]*</span>", "", html)
    text = re.sub(r'<a class="rating-badge[^>]*>.*?</a>', "", text)
    body = re.search(r'<div class="article-text">\s*<p>(.*?)</p>', text, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", body) == "Alpha beta gamma delta epsilon."
    for claim in (outer, inner, overlap):
        assert html.count(f'href="{claim.get_absolute_url()}"') >= 2  # highlight + badge


HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)></script>'


def test_hostile_html_renders_as_text_everywhere(reader):
    rating = make_rating(label="<script>alert(1)</script>", value=1)
    article = make_article(
        f"Intro {HOSTILE} outro.\n\nSecond {HOSTILE}.",
        title=HOSTILE,
        outlet=HOSTILE,
        byline=HOSTILE,
    )
    claim = make_claim(
        rating=rating,
        claim_reviewed=HOSTILE,
        claimant=HOSTILE,
        conclusion=HOSTILE,
        explanation=HOSTILE + "\n\n[click](javascript:alert(3))",
    )
    mark_quote(claim, article, HOSTILE)
    add_source(claim, title=HOSTILE, publisher=HOSTILE, quote=HOSTILE)
    for url in ("/", article.get_absolute_url(), claim.get_absolute_url()):
        html = reader.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert not re.search(r"href=\"?javascript:", html, re.I), url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


def test_pages_carry_no_inline_script_style_or_handlers(reader, seeded):
    claim = Claim.objects.published().first()
    for url in ("/", ARTICLE_URL, claim.get_absolute_url(), "/de/"):
        response = reader.get(url)
        html = response.content.decode()
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "'unsafe-inline'" not in csp
        assert "object-src 'none'" in csp
        assert "base-uri 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        # Only external scripts, and JSON-LD data blocks (never executed).
        assert not re.search(
            r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))[^>]*>", html
        ), url
        assert not re.search(r"<style", html), url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url


def test_article_page_query_count_does_not_grow_with_claims(reader):
    rating = make_rating()
    words = " ".join(f"word{i}" for i in range(600))

    def article_with(n: int) -> Article:
        article = make_article(words)
        text = article.current_revision.text
        for i in range(n):
            start = text.index(f"word{i} ")
            mark(make_claim(rating=rating), article, start, start + len(f"word{i}"))
        return article

    few, many = article_with(5), article_with(500)
    counts = []
    for article in (few, many):
        with CaptureQueriesContext(connection) as queries:
            response = reader.get(article.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts == [2, 2]  # the article with its revision; the mentions with claims
    assert response.content.decode().count('class="claim-mark') == 500


def test_public_pages_refuse_writes(reader, seeded):
    assert reader.post(ARTICLE_URL).status_code == 405
    assert reader.post("/").status_code == 405


def test_german_pages_live_under_de(reader, seeded):
    html = reader.get("/de" + ARTICLE_URL).content.decode()
    assert '<html lang="de">' in html
    assert "Zum Hauptinhalt springen" in html
    english = reader.get(ARTICLE_URL).content.decode()
    assert '<html lang="en">' in english
    assert "Skip to main content" in english
    # The language switcher links to the same page in the other language.
    assert f'href="/de{ARTICLE_URL}"' in english


def test_ratings_stylesheet_carries_scale_colours(reader, seeded):
    response = reader.get(reverse("ratings-css"))
    assert response["Content-Type"].startswith("text/css")
    assert ".rating-true { --rating-colour: #1a7f37;" in response.content.decode()


def test_missing_page_is_a_friendly_404(reader):
    response = reader.get("/claims/does-not-exist/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    german = reader.get("/de/claims/does-not-exist/")
    assert "Seite nicht gefunden" in german.content.decode()


def test_claim_page_links_each_appearance_to_its_highlight(reader, seeded):
    claim = Claim.objects.get(slug="hanoi-acht-monate-nach-singapur")
    mention = claim.mentions.get()
    html = reader.get(claim.get_absolute_url()).content.decode()
    assert f'href="{ARTICLE_URL}#mention-{mention.pk}"' in html
    assert f'id="mention-{mention.pk}"' in reader.get(ARTICLE_URL).content.decode()
    assert '<h1 id="claim-title" class="mb-3" lang="de">' in html


def test_home_chart_counts_published_claims_per_rating(reader, seeded):
    make_claim(status=Claim.Status.DRAFT, rating=Rating.objects.get(slug="false"))
    html = reader.get("/").content.decode()
    chart = re.search(r'<svg class="ratings-chart.*?</svg>', html, re.S).group(0)
    assert 'role="img"' in chart
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", chart).group(1)
    assert desc.startswith("True: 4; Mostly true: 0")  # in scale order
    assert "False: 0" in desc  # the draft is not counted
    assert 'class="chart-bar rating-true"' in chart
    assert "style=" not in chart


def test_home_chart_counts_once_per_change_to_the_public_content(reader, seeded):
    def chart_desc() -> str:
        html = reader.get(f"/?fresh={next(fresh)}").content.decode()  # never the page cache
        return re.search(r"<desc[^>]*>(.*?)</desc>", html).group(1)

    fresh = iter(range(100))
    per_rating = 'COUNT("claims_claim"."id") AS "n" FROM "claims_claim"'
    clear_all_caches()
    with CaptureQueriesContext(connection) as first:
        assert "False: 0" in chart_desc()
    assert [q for q in first if per_rating in q["sql"]]
    with CaptureQueriesContext(connection) as second:
        chart_desc()
    # The second rendering takes the counts from the cache: no aggregate over the claims.
    assert not [q for q in second if per_rating in q["sql"]]
    make_claim(rating=Rating.objects.get(slug="false"))  # published: a new generation
    assert "False: 1" in chart_desc()


def test_claim_page_shows_review_and_corrections_with_constant_queries(reader, seeded, reviewer):
    from django.utils import timezone

    from claims.models import Correction, Review

    claim = Claim.objects.get(slug="waffenstillstand-1953-kriegszustand")
    Review.objects.create(
        claim=claim, reviewer=reviewer, decision="approve", claim_version=claim.version
    )
    html = reader.get(claim.get_absolute_url()).content.decode()
    assert "Approved by 1 reviewer besides the author" in html
    assert "Corrections" not in html.split("<main", 1)[1].split("</main>")[0]
    with CaptureQueriesContext(connection) as before:
        reader.get("/de" + claim.get_absolute_url())
    Correction.objects.create(
        claim=claim,
        kind="clarification",
        note="Satz präzisiert.",
        status="published",
        published_at=timezone.now(),
    )
    Correction.objects.create(claim=claim, kind="update", note="Noch intern.")
    for i in range(5):
        add_source(claim, url=f"https://example.org/{i}", title=f"Quelle {i}")
    with CaptureQueriesContext(connection) as after:
        html = reader.get(claim.get_absolute_url()).content.decode()
    assert "Satz präzisiert." in html
    assert "Noch intern." not in html
    assert len(after) == len(before)


def test_rating_labels_follow_the_page_language(reader, seeded):
    english = reader.get(ARTICLE_URL).content.decode()
    german = reader.get("/de" + ARTICLE_URL).content.decode()
    assert re.search(r'lang="en"><span class="visually-hidden">Claim 1, verdict: </span>', english)
    assert re.search(r'aria-hidden="true">1</span>True</a>', english)
    assert re.search(r'"visually-hidden">Behauptung 1, Urteil: </span>', german)
    assert re.search(r'aria-hidden="true">1</span>Wahr</a>', german)
    methodology = reader.get("/de/methodology/").content.decode()
    assert "Die Aussage ist nicht zutreffend." in methodology
    # A rating without German texts falls back to its English ones.
    rating = Rating.objects.get(slug="true")
    rating.label_de = ""
    rating.save()  # also makes the cached pages stale
    assert re.search(r">1</span>True</a>", reader.get("/de" + ARTICLE_URL).content.decode())


def test_home_latest_verdicts_name_their_article_with_constant_queries(reader, seeded):
    html = reader.get("/").content.decode()
    latest = html.split('id="latest-heading"', 1)[1]
    assert latest.count(f'in <a href="{ARTICLE_URL}">') == 5
    clear_all_caches()  # both renderings count the verdict chart afresh
    with CaptureQueriesContext(connection) as before:
        reader.get("/de/")
    article = make_article(title="Zweiter Artikel", slug="zweiter-artikel")
    for i in range(3):
        claim = make_claim(rating=Rating.objects.get(slug="true"), claim_reviewed=f"Neu {i}")
        mark(claim, article, 0, 5)
    clear_all_caches()
    with CaptureQueriesContext(connection) as after:
        html = reader.get("/").content.decode()
    assert (
        html.split('id="latest-heading"', 1)[1].count('in <a href="/articles/zweiter-artikel/">')
        == 3
    )
    assert len(after) == len(before)


def _summary(html: str) -> str:
    line = re.search(r'<p class="verdict-summary"[^>]*>(.*?)</p>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", "", line).split())


def test_article_summary_line_counts_verdicts_in_the_scale_order(reader):
    false = make_rating(label="False", label_de="Falsch", value=1, slug="false", position=3)
    misleading = make_rating(
        label="Misleading", label_de="Irreführend", value=3, slug="misleading", position=2
    )
    true = make_rating(label="True", label_de="Wahr", value=5, slug="true", position=1)
    article = make_article("One two three four five six seven eight nine ten.")
    words = [(0, 3), (4, 7), (8, 13), (14, 18), (19, 23), (24, 27)]
    for (start, end), rating in zip(
        words, [false, true, misleading, true, true, None], strict=True
    ):
        mark(make_claim(rating=rating), article, start, end)
    html = reader.get(article.get_absolute_url()).content.decode()
    assert _summary(html) == "6 claims checked: 3 True, 1 Misleading, 1 False, 1 not rated"
    assert '<a href="#claims-heading">6 claims checked</a>' in html
    assert 'id="claims-heading"' in html
    german = reader.get("/de" + article.get_absolute_url()).content.decode()
    assert _summary(german) == (
        "6 Behauptungen geprüft: 3 Wahr, 1 Irreführend, 1 Falsch, 1 nicht bewertet"
    )
    # An article without checked claims has no summary line and no cards.
    empty = make_article("Nothing checked here.")
    html = reader.get(empty.get_absolute_url()).content.decode()
    assert "verdict-summary" not in html
    assert "verdict-card" not in html


def test_seed_summary_line_and_screen_reader_texts(reader, seeded):
    html = reader.get(ARTICLE_URL).content.decode()
    assert _summary(html) == "5 claims checked: 4 True, 1 Unproven"
    # Claims are numbered in the order they first appear in the text; the cards carry the
    # same numbers, in that order.
    starts = re.findall(r">Claim (\d) starts: </span>", html)
    assert starts == ["1", "2", "3", "4", "5"]
    assert re.findall(r"> Claim (\d) ends, verdict: (\w+)\.</span>", html) == [
        ("1", "True"),
        ("2", "Unproven"),
        ("3", "True"),
        ("4", "True"),
        ("5", "True"),
    ]
    assert re.findall(r">Claim (\d) in the text</span>", html) == ["1", "2", "3", "4", "5"]
    card = re.search(r'<li id="claim-waffenstillstand-1953-kriegszustand".*?</li>', html, re.S)
    assert "Claim 4 in the text" in card.group(0)
    assert "ein Friedensvertrag wurde nie geschlossen" in card.group(0)
    # Each passage is described by its claim's card; one copy of each claim, no popovers.
    for described in re.findall(r'aria-describedby="(card-\d+)"', html):
        assert f'id="{described}"' in html
    assert html.count(" popover ") == 1
    german = reader.get("/de" + ARTICLE_URL).content.decode()
    assert "> Behauptung 2 endet, Urteil: Unbelegt.</span>" in german
    assert ">Behauptung 1 beginnt: </span>" in german
