"""Stored web addresses are safe however they were stored (issue #15, section 8).

The database refuses an address that is not http(s) (CHECK constraints, migration 0018),
and every page that links a stored address writes a non-http(s) one as text, never as
``href`` (templatetags/weblinks.py). The second line is tested with hostile values written
past the first: on SQLite with ``PRAGMA ignore_check_constraints``, on PostgreSQL with the
constraints dropped inside the test's transaction (rolled back after it).
"""

import re

import lxml.html
import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from claims.models import Article, Claim, Source, Tip
from claims.models.base import is_web_url
from tests.factories import add_source, make_article, make_claim, make_rating, mark_quote

pytestmark = pytest.mark.django_db

HOSTILE = [
    "javascript:alert(1)",
    " JAVASCRIPT:alert(2)",
    "JaVaScRiPt:alert(3)",
    "data:text/html,<script>alert(4)</script>",
    "vbscript:msgbox(5)",
    "java\tscript:alert(6)",
    "java\nscript:alert(7)",
    "\tjavascript:alert(8)",
    "https:/\n/example.org",
    "//evil.example/",
    "http:alert(9)",
]
COLUMNS = [
    (Article, "original_url"),
    (Claim, "claimant_url"),
    (Source, "url"),
    (Source, "archive_url"),
    (Tip, "seen_at_url"),
]
CONSTRAINTS = {
    "claims_article": ["article_original_url_web"],
    "claims_claim": ["claim_claimant_url_web"],
    "claims_source": ["source_url_web", "source_archive_url_web"],
    "claims_tip": ["tip_seen_at_url_web"],
}


# --- The rule --------------------------------------------------------------------------
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_addresses_are_not_web_addresses(value):
    assert not is_web_url(value)


@pytest.mark.parametrize(
    "value", ["https://example.org/a?b=c#d", "HTTP://EXAMPLE.ORG", "http://x.example/ä"]
)
def test_web_addresses_are(value):
    assert is_web_url(value)


# --- First line: the database -----------------------------------------------------------
def test_every_web_url_field_has_its_constraint():
    """A new WebURLField without its CHECK constraint fails here."""
    from django.apps import apps

    from claims.models.base import WebURLField

    for model in apps.get_app_config("claims").get_models():
        if model.__name__.startswith("Historical"):
            continue
        conditions = " ".join(str(c.condition) for c in model._meta.constraints)
        for field in model._meta.concrete_fields:
            if isinstance(field, WebURLField):
                assert f"('{field.name}__istartswith', 'https://')" in conditions, (
                    f"{model.__name__}.{field.name} has no web-address constraint"
                )


@pytest.mark.parametrize("value", ["javascript:alert(1)", " https://example.org", "data:,x"])
@pytest.mark.parametrize(
    ("model", "field"), COLUMNS, ids=[f"{m.__name__}.{f}" for m, f in COLUMNS]
)
def test_the_database_refuses_an_address_that_is_not_web(model, field, value):
    world = _world()
    row = {
        Article: world["article"],
        Claim: world["claim"],
        Source: world["source"],
        Tip: world["tip"],
    }[model]
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: value})
    row.refresh_from_db()
    assert getattr(row, field) != value


@pytest.mark.parametrize("value", ["", "https://example.org/x", "HTTP://EXAMPLE.ORG/"])
def test_the_database_takes_web_addresses_and_empty(value):
    world = _world()
    Claim.objects.filter(pk=world["claim"].pk).update(claimant_url=value)
    Source.objects.filter(pk=world["source"].pk).update(archive_url=value)


# --- Second line: the pages -------------------------------------------------------------
def _world() -> dict:
    rating = make_rating("Falsch", 1, slug="falsch")
    article = make_article(
        "Der Präsident sagte, die Sanktionen bleiben.\n\nZweiter Absatz.",
        original_url="https://example.org/artikel",
    )
    claim = make_claim(
        rating=rating,
        claim_reviewed="Die Sanktionen bleiben",
        claimant="Der Präsident",
        claimant_url="https://example.org/praesident",
        conclusion="Stimmt nicht.",
    )
    mark_quote(claim, article, "die Sanktionen bleiben")
    source = add_source(
        claim, url="https://example.org/quelle", archive_url="https://archive.example/q"
    )
    tip = Tip.objects.create(claim_text="Prüfen Sie das.", seen_at_url="https://example.org/t")
    return {"article": article, "claim": claim, "source": source, "tip": tip}


def _write_past_the_constraints(world: dict, value: str) -> None:
    """Store ``value`` in every address column as a script or an old import could."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = 1")
        else:
            # Rows made in this transaction have deferred foreign-key checks pending,
            # and PostgreSQL alters no table with pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table, names in CONSTRAINTS.items():
                for name in names:
                    cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        try:
            for model, field in COLUMNS:
                key = {Article: "article", Claim: "claim", Source: "source", Tip: "tip"}[model]
                model.objects.filter(pk=world[key].pk).update(**{field: value})
        finally:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA ignore_check_constraints = 0")
    for model, field in COLUMNS:
        assert model.objects.filter(**{field: value}).count() == 1


def _pages(world) -> list[tuple[str, str]]:
    """(persona, URL) of every page that shows one of the stored addresses."""
    article, claim, tip = world["article"], world["claim"], world["tip"]
    public = [
        reverse("claims:claim", kwargs={"slug": claim.slug}),
        "/de" + reverse("claims:claim", kwargs={"slug": claim.slug}),
        reverse("claims:article", kwargs={"slug": article.slug}),
        reverse("claims:article-revision", kwargs={"slug": article.slug, "number": 1}),
        reverse("claims:home"),
        reverse("claims:claims"),
        reverse("claims:articles"),
    ]
    desk = [
        reverse("claims:desk-claim-review", kwargs={"pk": claim.pk}),
        reverse("claims:desk-claim-history", kwargs={"pk": claim.pk}),
        reverse("claims:desk-article", kwargs={"pk": article.pk}),
        reverse("claims:desk-claim", kwargs={"pk": article.pk, "claim_pk": claim.pk}),
        reverse("claims:desk-article-edit", kwargs={"pk": article.pk}),
        reverse("claims:desk-article-revise", kwargs={"pk": article.pk}),
    ]
    admin = [
        reverse("admin:claims_article_change", args=[article.pk]),
        reverse("admin:claims_claim_change", args=[claim.pk]),
        reverse("admin:claims_tip_change", args=[tip.pk]),
    ]
    return (
        [("reader", url) for url in public]
        + [("editor", url) for url in desk]
        + [("superuser", url) for url in admin]
    )


_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")


def _live_schemes(html: bytes) -> list[str]:
    """Every link-like attribute whose value a browser would not treat as http(s) or a
    path on this site, read as a browser does (tabs, newlines and outer blanks dropped)."""
    tree = lxml.html.fromstring(html)
    bad = []
    for element in tree.iter():
        for attribute in ("href", "src", "action", "formaction", "xlink:href"):
            raw = element.get(attribute)
            if raw is None:
                continue
            value = _INVISIBLE.sub("", raw).lower()
            if re.match(r"(javascript|data|vbscript):", value) or value.startswith("//evil"):
                bad.append(f"<{element.tag} {attribute}={raw!r}>")
            if value.startswith("http:alert"):
                bad.append(f"<{element.tag} {attribute}={raw!r}>")
    return bad


@pytest.mark.parametrize("value", HOSTILE)
def test_no_page_links_a_hostile_stored_address(client, editor, superuser, value):
    world = _world()
    _write_past_the_constraints(world, value)
    checked = 0
    for persona, url in _pages(world):
        client.logout()
        if persona == "editor":
            client.force_login(editor)
        elif persona == "superuser":
            client.force_login(superuser)
        response = client.get(url)
        assert response.status_code == 200, url
        assert _live_schemes(response.content) == [], url
        checked += 1
    assert checked == len(_pages(world))


@pytest.mark.parametrize("value", ["javascript:alert(1)", "data:text/html,x"])
def test_structured_data_carries_no_hostile_stored_address(client, value):
    """ClaimReview's ``sameAs`` and ``itemReviewed…url`` are links for search engines:
    a stored address that is not http(s) is left out (the claim page's own URL stands in
    for the article's)."""
    world = _world()
    _write_past_the_constraints(world, value)
    response = client.get(reverse("claims:claim", kwargs={"slug": world["claim"].slug}))
    tree = lxml.html.fromstring(response.content)
    [data] = tree.xpath("//script[@type='application/ld+json']/text()")
    assert value.split(":")[0] + ":" not in data
    assert "https://example.org/" not in data  # the hostile values replaced the good ones
    assert world["article"].slug in data  # the article's page on this site instead


def test_a_hostile_address_is_shown_as_text_on_the_claim_page(client):
    world = _world()
    _write_past_the_constraints(world, "javascript:alert(1)")
    response = client.get(reverse("claims:claim", kwargs={"slug": world["claim"].slug}))
    tree = lxml.html.fromstring(response.content)
    main = tree.xpath("//main")[0].text_content()
    assert "Der Präsident javascript:alert(1)" in " ".join(main.split())
    assert not tree.xpath("//a[contains(@href, 'javascript')]")


def test_web_addresses_stay_links(client):
    world = _world()
    claim_page = client.get(reverse("claims:claim", kwargs={"slug": world["claim"].slug}))
    tree = lxml.html.fromstring(claim_page.content)
    hrefs = set(tree.xpath("//a/@href"))
    assert {
        "https://example.org/praesident",
        "https://example.org/quelle",
        "https://archive.example/q",
    } <= hrefs
    assert tree.xpath("//a[@href='https://archive.example/q']/@class") == ["source-archive-link"]
    article_page = client.get(reverse("claims:article", kwargs={"slug": world["article"].slug}))
    assert 'href="https://example.org/artikel"' in article_page.content.decode()


# --- The migration ----------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_the_migration_blanks_stored_addresses_that_are_not_web():
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        [("claims", "0017_mention_review")],
        [("claims", "0018_url_constraints")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    article = old.get_model("claims", "Article").objects.create(
        title="Alt", slug="alt", original_url="javascript:alert(1)"
    )
    keep = old.get_model("claims", "Article").objects.create(
        title="Gut", slug="gut", original_url="HTTPS://example.org/gut"
    )
    claim = old.get_model("claims", "Claim").objects.create(
        claim_reviewed="Alt", slug="alt", claimant_url=" https://example.org"
    )
    source = old.get_model("claims", "Source").objects.create(
        claim=claim, url="data:text/html,x", archive_url="https://archive.example/", title="Q"
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    Article_, Source_ = new.get_model("claims", "Article"), new.get_model("claims", "Source")
    assert Article_.objects.get(pk=article.pk).original_url == ""
    assert Article_.objects.get(pk=keep.pk).original_url == "HTTPS://example.org/gut"
    assert new.get_model("claims", "Claim").objects.get(pk=claim.pk).claimant_url == ""
    stored = Source_.objects.get(pk=source.pk)
    assert (stored.url, stored.archive_url) == ("", "https://archive.example/")
    executor = MigrationExecutor(connection)  # a fresh one: it reads what is applied now
    executor.migrate(executor.loader.graph.leaf_nodes())
