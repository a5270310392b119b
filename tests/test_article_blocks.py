"""Paragraph roles (sub-headings, lists, quotes): stored beside a revision's text, filled in
by the paste rule and the HTML import, changed by editors, rendered for readers."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.importing.html import text_from_html
from claims.importing.upload import text_from_paste
from claims.models import Article, ArticleRevision, Mention
from claims.text import paragraph_spans
from claims.text.blocks import blocks_from_marked, check_blocks, marked_text
from tests.conftest import SEED_ARTICLE_SLUG
from tests.factories import make_article

FIXTURES = Path(__file__).parent / "fixtures"
SEED_HEADINGS = [
    "USA und Nordkorea könnten Koreakrieg offiziell beenden",
    'Ein Verbindungsbüro wäre eine "großartige Sache"',
]


def _roles(text, blocks):
    return [(role, text[s:e]) for (s, e), role in zip(paragraph_spans(text), blocks, strict=True)]


# --- The paste rule -------------------------------------------------------------------
def test_markers_become_roles_and_leave_the_text():
    text, blocks = blocks_from_marked(
        "Einleitung mit einem Satz.\n\n## Zwischentitel\n\nText danach.\n\n### Kleiner Titel\n\n"
        "- eins\n- zwei\n\n* drei\n\n> Zitat Zeile 1\n> Zeile 2\n\nSchluss."
    )
    assert _roles(text, blocks) == [
        ("p", "Einleitung mit einem Satz."),
        ("h2", "Zwischentitel"),
        ("p", "Text danach."),
        ("h3", "Kleiner Titel"),
        ("li", "eins"),
        ("li", "zwei"),
        ("li", "drei"),
        ("quote", "Zitat Zeile 1\nZeile 2"),
        ("p", "Schluss."),
    ]


def test_a_short_line_alone_is_a_subheading_but_not_first_last_or_a_sentence():
    raw = (
        "Kurzer Vorspann\n\nErster Absatz. Er ist ein Satz.\n\nEin kurzer Zwischentitel\n\n"
        "Noch ein Satz.\n\nDas ist kurz, aber ein Satz.\n\n(dpa)\n\nZuletzt kurz"
    )
    text, blocks = blocks_from_marked(raw)
    assert text == raw  # nothing to strip: offsets of every paragraph unchanged
    assert [r for r, _ in _roles(text, blocks)] == ["p", "p", "h2", "p", "p", "p", "p"]


def test_explicit_headings_turn_the_guess_off_and_round_trip():
    text, blocks = blocks_from_marked("Absatz eins.\n\n## Titel\n\nKurze Zeile\n\nEnde.")
    assert blocks == ["p", "h2", "p", "p"]
    assert blocks_from_marked(marked_text(text, blocks)) == (text, blocks)


def test_offsets_of_unmarked_paragraphs_keep_their_text():
    raw = "Erster Absatz mit Umlauten: äöü.\n\n## Titel\n\nZweiter Absatz „zitiert“."
    text, _ = blocks_from_marked(raw)
    assert text == raw.replace("## ", "")
    assert text.endswith("Zweiter Absatz „zitiert“.")


def test_paste_import_carries_the_roles():
    imported = text_from_paste("Absatz.\n\n## Titel\n\nNoch ein Absatz.")
    assert imported.text == "Absatz.\n\nTitel\n\nNoch ein Absatz."
    assert imported.blocks == ("p", "h2", "p")


def test_plain_text_has_no_roles_stored():
    assert text_from_paste("Ein Absatz.\n\nNoch einer.").blocks == ()


# --- Model ----------------------------------------------------------------------------
def test_roles_must_fit_the_paragraphs(db):
    article = make_article("Eins.\n\nZwei.")
    revision = ArticleRevision(article=article, number=2, text="Eins.\n\nZwei.", blocks=["p"])
    with pytest.raises(ValidationError):
        revision.clean()
    revision.blocks = ["p", "h9"]
    with pytest.raises(ValidationError):
        revision.clean()
    with pytest.raises(ValueError, match="unknown block role"):
        revision.save()
    revision.blocks = ["h2", "p"]
    revision.clean()
    revision.save()
    assert revision.roles() == ["h2", "p"]
    with pytest.raises(ValueError, match="2 block roles for 1 paragraphs"):
        check_blocks("Eins.", ["li", "li"])


def test_only_the_roles_of_a_saved_revision_change(db):
    article = make_article("Eins.\n\nZwei.")
    revision = article.current_revision
    assert revision.roles() == ["p", "p"]
    revision.blocks = ["p", "quote"]
    revision.save(update_fields=["blocks"])
    revision.text = "Anders."
    with pytest.raises(ValueError, match="immutable"):
        revision.save()


# --- HTML import ----------------------------------------------------------------------
def test_html_import_keeps_headings_lists_and_quotes():
    imported = text_from_html((FIXTURES / "structure.html").read_bytes())
    roles = _roles(imported.text, imported.blocks)
    assert ("h2", "Was gesagt wurde") in roles
    assert ("h3", "Ein Unterabschnitt") in roles
    assert ("li", "Erster Punkt der Liste") in roles  # without trafilatura's "- "
    assert ("li", "Zweiter Punkt der Liste") in roles
    assert ("quote", "Ein Zitat, das im Artikel als Blockzitat steht und wichtig ist.") in roles
    assert roles[1][0] == "p"


def test_real_page_subheadings_become_h2():
    imported = text_from_html((FIXTURES / "heise.de.lithium.html").read_bytes())
    headings = [text for role, text in _roles(imported.text, imported.blocks) if role != "p"]
    assert headings == ["Schredder statt Ofen", "Nur die Folie bleibt zurück"]


# --- The demo article -----------------------------------------------------------------
def test_seed_article_has_its_two_subheadings_and_same_offsets(seeded):
    article = Article.objects.get(slug=SEED_ARTICLE_SLUG)
    revision = article.current_revision
    raw = (Path(__file__).parent.parent / "seeds" / "hanoi-summit-2019.de.txt").read_text()
    assert revision.text == raw
    headings = [text for role, text in _roles(revision.text, revision.roles()) if role != "p"]
    assert headings == SEED_HEADINGS
    for mention in Mention.objects.filter(revision=revision):
        assert revision.text[mention.start : mention.end] == mention.exact


@pytest.mark.parametrize("prefix", ["", "/de"])
def test_public_page_renders_subheadings_as_h2(client, seeded, prefix):
    html = client.get(f"{prefix}/articles/{SEED_ARTICLE_SLUG}/").content.decode()
    assert '<h2 class="article-subheading">USA und Nordkorea könnten Koreakrieg' in html
    assert html.count('class="article-subheading"') == 2


def test_lists_and_quotes_on_the_public_page(client, db):
    article = make_article("Absatz.\n\nEins\n\nZwei\n\nZitat.\n\nEnde.")
    revision = article.current_revision
    revision.blocks = ["p", "li", "li", "quote", "p"]
    revision.save(update_fields=["blocks"])
    html = re.sub(r">\s+<", "><", client.get(article.get_absolute_url()).content.decode())
    assert '<ul class="article-list"><li>Eins</li><li>Zwei</li></ul>' in html
    assert '<blockquote class="article-quote"><p>Zitat.</p></blockquote>' in html


def test_article_page_query_count_does_not_grow_with_roles(client, db):
    article = make_article("Eins.\n\nZwei.\n\nDrei.")
    client.get(article.get_absolute_url())  # warm caches of settings, sessions…
    with CaptureQueriesContext(connection) as plain:
        client.get(article.get_absolute_url() + "?a=1")
    revision = article.current_revision
    revision.blocks = ["h2", "li", "quote"]
    revision.save(update_fields=["blocks"])
    with CaptureQueriesContext(connection) as with_roles:
        client.get(article.get_absolute_url() + "?a=2")
    assert len(with_roles) == len(plain)


# --- Editors change a role -----------------------------------------------------------
def _post(client, article, **data):
    payload = {"revision": article.current_revision_id, "index": 1, "role": "h2"} | data
    return client.post(reverse("claims:desk-paragraph-role", args=[article.pk]), payload)


def test_editor_changes_a_role_without_a_new_revision(desk, db):
    article = make_article("Eins.\n\nZwei\n\nDrei.")
    response = _post(desk, article, index=1, role="h2")
    assert response.status_code == 302
    assert response["Location"].endswith("#block-1")
    article.refresh_from_db()
    assert article.revisions.count() == 1
    assert article.current_revision.blocks == ["p", "h2", "p"]


def test_htmx_answer_swaps_the_block(desk, db):
    article = make_article("Eins.\n\nZwei\n\nDrei.")
    response = desk.post(
        reverse("claims:desk-paragraph-role", args=[article.pk]),
        {"revision": article.current_revision_id, "index": 2, "role": "quote"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="block-2" class="desk-block block-quote"' in body
    assert 'id="role-row-2"' in body
    assert "Block quote" in body


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"role": "h7"}, 400),
        ({"index": 3}, 400),
        ({"index": -1}, 400),
        ({"index": "x"}, 400),
        ({"revision": 0}, 409),
    ],
)
def test_bad_input_changes_nothing(desk, db, data, status):
    article = make_article("Eins.\n\nZwei\n\nDrei.")
    response = _post(desk, article, **data)
    assert response.status_code == status
    article.current_revision.refresh_from_db()
    assert article.current_revision.blocks == []


def test_workspace_shows_roles_and_loads_the_control_when_unfolded(desk, seeded):
    article = Article.objects.get(slug=SEED_ARTICLE_SLUG)
    html = desk.get(reverse("claims:desk-article", args=[article.pk])).content.decode()
    assert html.count("desk-block block-h2") == 2
    # A row per paragraph would outweigh the text: the list loads when it is unfolded, and
    # without JavaScript its link opens it as a page.
    roles_url = reverse("claims:desk-paragraph-roles", args=[article.pk])
    assert f'hx-get="{roles_url}" hx-trigger="toggle once"' in html
    assert f'<a href="{roles_url}">' in html
    assert 'name="role"' not in html
    rows = desk.get(roles_url, HTTP_HX_REQUEST="true").content.decode()
    assert "Role of paragraph 3: </span>USA und Nordkorea" in rows
    assert rows.count('<select id="role-') == len(article.current_revision.roles())
    assert "<html" not in rows
    page = desk.get(roles_url).content.decode()
    assert "<html" in page
    assert "Role of paragraph 3: </span>USA und Nordkorea" in page


def test_only_those_who_may_edit_get_the_roles_list(client, seeded, moderator):
    client.force_login(moderator)
    article = Article.objects.get(slug=SEED_ARTICLE_SLUG)
    response = client.get(reverse("claims:desk-paragraph-roles", args=[article.pk]))
    assert response.status_code == 403


def test_reviewers_get_the_role_control(client, seeded, reviewer):
    client.force_login(reviewer)
    article = Article.objects.get(slug=SEED_ARTICLE_SLUG)
    html = client.get(reverse("claims:desk-article", args=[article.pk])).content.decode()
    assert "paragraph-roles" in html  # reviewers may edit too
