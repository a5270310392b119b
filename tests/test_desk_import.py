"""Loading an article on the desk: pasted text, uploaded files, and every refusal."""

import datetime
import html as html_module
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from claims.models import Article, ArticleRevision

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures"
URL = reverse("claims:desk-article-new")


def _post(client, *, follow: bool = False, **fields):
    data = {"title": "", "outlet": "", "original_url": "", "byline": "", "language": "de"}
    data.update(fields)
    return client.post(URL, data, follow=follow)


def _counts() -> tuple[int, int]:
    return Article.objects.count(), ArticleRevision.objects.count()


# --- Paste --------------------------------------------------------------------------------
def test_pasted_text_becomes_an_article_with_its_first_revision(desk, editor):
    response = _post(
        desk,
        title="Äpfel und Birnen im Vergleich",
        outlet="Demo-Zeitung",
        text="Erster Absatz mit Leerzeichen.   \r\n\r\nZweiter Absatz.\r\n",
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:desk-article", args=[article.pk])
    assert article.slug == "aepfel-und-birnen-im-vergleich"
    assert article.title == "Äpfel und Birnen im Vergleich"
    assert article.outlet == "Demo-Zeitung"
    assert article.created_by == editor
    assert article.status == Article.Status.DRAFT
    revision = article.revisions.get()
    assert article.current_revision == revision
    assert revision.number == 1
    assert revision.origin == ArticleRevision.Origin.PASTE
    assert revision.created_by == editor
    assert revision.text == "Erster Absatz mit Leerzeichen.\n\nZweiter Absatz."

    page = desk.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'<p id="para-0"[^>]*>.*Erster Absatz mit Leerzeichen\.', html)
    assert re.search(r'<p id="para-1"[^>]*>.*Zweiter Absatz\.', html)
    assert "Äpfel und Birnen im Vergleich" in html


def test_same_title_twice_gets_a_second_slug(desk):
    _post(desk, title="Gleicher Titel", text="Eins.")
    _post(desk, title="Gleicher Titel", text="Zwei.")
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "gleicher-titel",
        "gleicher-titel-2",
    ]


def test_control_characters_are_removed_with_a_notice(desk):
    response = _post(desk, title="Steuerzeichen", text="Ein\x07 Text\x1b.", follow=True)
    assert response.status_code == 200
    assert Article.objects.get().current_revision.text == "Ein Text."
    assert "2 invisible control characters were removed" in response.content.decode()


# --- Upload -------------------------------------------------------------------------------
def test_windows_1252_file_is_converted_and_the_editor_is_told(desk):
    raw = "Grüße aus „Köln“ – 5 €.\r\n\r\nZweiter Absatz.".encode("cp1252")
    upload = SimpleUploadedFile("artikel.txt", raw, content_type="text/plain")
    response = desk.post(
        URL, {"title": "Aus Köln", "language": "de", "upload": upload}, follow=True
    )
    assert response.status_code == 200
    article = Article.objects.get()
    assert response.redirect_chain == [(reverse("claims:desk-article", args=[article.pk]), 302)]
    revision = article.current_revision
    assert revision.text == "Grüße aus „Köln“ – 5 €.\n\nZweiter Absatz."
    assert revision.origin == ArticleRevision.Origin.UPLOAD
    assert "read as Windows-1252 (cp1252) and converted" in response.content.decode()


def test_web_page_upload_takes_title_and_metadata_from_the_page(desk):
    page = (FIXTURES / "heise.de.lithium.html").read_bytes()
    upload = SimpleUploadedFile("lithium.html", page, content_type="text/html")
    response = desk.post(URL, {"title": "", "language": "de", "upload": upload}, follow=True)
    assert response.status_code == 200
    article = Article.objects.get()
    assert article.title == "Lithium aus dem Schredder"
    assert article.slug == "lithium-aus-dem-schredder"
    assert article.outlet == "Technology Review"
    assert article.published_on == datetime.date(2019, 6, 20)
    text = article.current_revision.text
    assert "Die Recyclingquote liegt lediglich bei 25 Prozent." in text
    for boilerplate in ("Zur heise online Startseite", "Kommentare lesen", "Teile diesen Beitrag"):
        assert boilerplate not in text
    assert "Only the article was kept from the web page" in response.content.decode()


def test_title_typed_by_the_editor_wins_over_the_page(desk):
    page = (FIXTURES / "heise.de.lithium.html").read_bytes()
    upload = SimpleUploadedFile("lithium.html", page, content_type="text/html")
    response = desk.post(URL, {"title": "Eigener Titel", "language": "de", "upload": upload})
    assert response.status_code == 302
    assert Article.objects.get().title == "Eigener Titel"


# --- Refusals -----------------------------------------------------------------------------
def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"title": "T"},
            "Paste the article text, upload a file or give a web address.",
            id="nothing",
        ),
        pytest.param(
            {"title": "T", "text": "Text.", "upload": ("a.txt", b"Datei.")},
            "Give the text one way only",
            id="text-and-file",
        ),
        pytest.param(
            {"title": "T", "text": "  \r\n\t "},
            "Paste the article text, upload a file or give a web address.",
            id="blank-text",
        ),
        pytest.param({"title": "T", "text": "\x01\x02\x03"}, "The pasted text is empty.", id="c0"),
        pytest.param({"title": "T", "text": "Hallo\x00Welt"}, "ull characters", id="nul"),
        pytest.param(
            {"title": "T", "upload": ("bericht.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")},
            "PDF document",
            id="pdf-bytes",
        ),
        pytest.param(
            {"title": "T", "upload": ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00")},
            "cannot be imported. Allowed file types: .txt, .md, .html, .htm",
            id="exe",
        ),
        pytest.param(
            {"title": "T", "upload": ("leer.txt", b"")},
            "The submitted file is empty.",
            id="empty-file",
        ),
        pytest.param({"text": "Ein Text ohne Titel."}, "Give the article a title", id="no-title"),
        pytest.param(
            {"title": "T", "text": "Text.", "original_url": "javascript:alert(1)"},
            "Enter a valid URL.",
            id="javascript-url",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_created(desk, fields, message):
    fields = dict(fields)
    if "upload" in fields:
        fields["upload"] = _file(*fields["upload"])
    response = _post(desk, **fields)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert _counts() == (0, 0)


def test_javascript_url_is_a_field_error(desk):
    response = _post(desk, title="T", text="Text.", original_url="javascript:alert(1)")
    assert response.status_code == 422
    assert response.context["form"].errors["original_url"] == ["Enter a valid URL."]
    assert _counts() == (0, 0)


def test_body_over_six_megabytes_is_refused_with_413(desk):
    big = _file("gross.txt", b"a" * 6_100_000)
    response = desk.post(URL, {"title": "Zu gross", "language": "de", "upload": big})
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert _counts() == (0, 0)


def test_pasted_text_over_six_megabytes_gets_the_readable_413(editor):
    """As in a browser: the CSRF check runs first and reads the form."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    form = browser.get(URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = browser.post(
        URL,
        {
            "csrfmiddlewaretoken": token,
            "title": "Zu lang",
            "language": "de",
            "text": "a" * 6_100_000,
        },
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert _counts() == (0, 0)


# --- Escaping and access ------------------------------------------------------------------
def test_hostile_title_is_escaped_on_the_desk(desk):
    title = "<script>alert(1)</script>"
    response = _post(desk, title=title, text="Harmloser Text.")
    assert response.status_code == 302
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for page in (reverse("claims:desk"), response["Location"]):
        html = desk.get(page).content.decode()
        assert escaped in html, page
        assert title not in html, page


def test_form_page_renders_for_the_desk(desk):
    response = desk.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'name="text"' in html
    assert 'name="upload"' in html


def test_import_is_for_the_desk_only(client, moderator):
    response = client.post(URL, {"title": "T", "text": "Text.", "language": "de"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("claims:login"))
    client.force_login(moderator)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"title": "T", "text": "Text.", "language": "de"}).status_code == 403
    assert _counts() == (0, 0)


def test_import_refuses_other_methods(desk):
    assert desk.put(URL).status_code == 405
    assert desk.delete(URL).status_code == 405
    assert _counts() == (0, 0)


# --- Fetching from a web address ------------------------------------------------------------
@pytest.fixture
def article_server():
    """A local web server with one article page (the real DW page from the fixtures)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from pathlib import Path

    page = (Path(__file__).parent / "fixtures" / "dw.com.colonial.html").read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/article":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _fetch_in_background(client, url: str) -> str:
    """Submit the address (the desk answers at once), run the import task, and return the
    import's page as the editor then sees it."""
    from django.test import TestCase

    from claims.models import ArticleImport
    from tests.helpers import run_tasks

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(URL, {"fetch_url": url, "language": ""})
    assert response.status_code == 302
    assert not Article.objects.exists()
    run_tasks()
    job = ArticleImport.objects.latest("pk")
    return client.get(reverse("claims:desk-import", args=[job.pk])).content.decode()


def test_fetching_a_url_shows_a_preview_and_saves_nothing_yet(desk, article_server, settings):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    html = _fetch_in_background(desk, article_server + "/article")
    assert "Check what was fetched before it is saved." in html
    assert "colonial" in html.lower()
    assert 'name="fetched_from" value="' + article_server + '/article"' in html
    assert not Article.objects.exists()


def test_confirming_the_preview_saves_the_corrected_article(desk, article_server, settings):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    preview = _fetch_in_background(desk, article_server + "/article")
    text = re.search(r'<textarea name="text"[^>]*>\n?(.*?)</textarea>', preview, re.S).group(1)
    response = desk.post(
        URL,
        {
            "title": "Korrigierter Titel",
            "text": html_module.unescape(text),
            "language": "en",
            "fetched_from": article_server + "/article",
            "original_url": article_server + "/article",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.title == "Korrigierter Titel"
    assert article.current_revision.origin == "url"
    assert "colonial" in article.current_revision.text.lower()


def test_a_private_address_is_refused_in_words(desk):
    html = _fetch_in_background(desk, "http://169.254.169.254/latest/meta-data/")
    assert "169.254.169.254" in html
    assert 'value="http://169.254.169.254/latest/meta-data/"' in html  # kept in the form
    assert not Article.objects.exists()


def test_only_one_way_of_giving_the_text(desk):
    response = desk.post(URL, {"fetch_url": "https://example.org/a", "text": "Auch Text."})
    assert response.status_code == 422
    assert "one way only" in response.content.decode()
