"""Tests for ``claims.importing``: pasted text, uploaded files and web pages become article text.

The URL fetcher has its own tests (``test_fetching.py``); that an upload and a fetch of the
same bytes read alike is tested there.

No database: importing is pure text work. The real pages in ``tests/fixtures/`` are saved
copies of published articles; per page the tests name sentences of the article that must
survive and navigation, teasers, cookie banners and footers that must not.
"""

import codecs
import datetime
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.importing.cleaning import MAX_TEXT_CHARS, ImportedText
from claims.importing.encoding import decode_bytes
from claims.importing.errors import ArticleImportError
from claims.importing.html import MAX_UPLOAD_BYTES, text_from_html
from claims.importing.upload import MAX_TEXT_UPLOAD_BYTES, text_from_paste, text_from_upload
from claims.text import normalize
from tests.text_strategies import EXAMPLES, texts

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# What the import removes from text: C0 controls but tab and line breaks, DEL, C1 controls.
REMOVED = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def assert_import_error(excinfo: pytest.ExceptionInfo[ArticleImportError], code: str) -> str:
    """Check the error's code and that its message is a finished sentence; return it."""
    error = excinfo.value
    assert error.code == code
    message = str(error)
    assert message == error.message
    assert len(message.split()) >= 4, message  # a sentence, not a code
    assert message[0].isupper() or message[0] == "“", message
    assert message.endswith("."), message
    assert "%(" not in message, message  # every placeholder filled
    return message


def article_html(body: str, head: str = "", lang: str = "de") -> str:
    """A small but complete web page around ``body``."""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><title>Testseite</title>{head}</head><body>'
        '<nav><a href="/">Startseite</a> <a href="/politik">Politik</a></nav>'
        f"<main><article>{body}</article></main>"
        "<footer><p>Impressum · Datenschutz · Kontakt</p></footer></body></html>"
    )


ARTICLE_BODY = (
    "<h1>Die Brücke über den Fluss</h1>"
    "<p>Die Stadt hat am Montag beschlossen, die alte Brücke über den Fluss zu sanieren, "
    "sagte die Bürgermeisterin nach der Sitzung des Stadtrats.</p>"
    "<p>Die Arbeiten sollen im Frühjahr beginnen und „mindestens zwei Jahre“ dauern; die "
    "Straße bleibt während dieser Zeit für den Autoverkehr gesperrt.</p>"
    "<p>Fußgänger und Radfahrer können eine Behelfsbrücke nutzen, die flussabwärts errichtet "
    "wird und für Rollstühle geeignet sein soll.</p>"
)


# --- Pasted text -------------------------------------------------------------------------


def test_paste_keeps_umlauts_and_german_quotes() -> None:
    raw = "Der Bürgermeister sagte: „Die Straße bleibt gesperrt.“\n\nÄrger über Öffnungszeiten."
    result = text_from_paste(raw)
    assert result == ImportedText(text=raw, notices=())


def test_paste_normalises_line_endings_trailing_whitespace_and_nfc() -> None:
    raw = "\r\n  Eins  \r\nzwei\t\r\rdrei Cafe\N{COMBINING ACUTE ACCENT}\r\n\r\n"
    result = text_from_paste(raw)
    assert result.text == "  Eins\nzwei\n\ndrei Café"
    assert result.notices == ()


def test_paste_with_nul_characters_is_refused() -> None:
    with pytest.raises(ArticleImportError) as excinfo:
        text_from_paste("PK\x03\x04\x14\x00\x06\x00 binary junk")
    message = assert_import_error(excinfo, "nul_characters")
    assert "NUL" in message
    assert "binary" in message


def test_paste_removes_other_control_characters_and_says_how_many() -> None:
    result = text_from_paste("Ein\x07 Text\x1b mit\x0c Steuer\x7fzeichen\tund Tab\x01")
    assert result.text == "Ein Text mit Steuerzeichen\tund Tab"
    assert len(result.notices) == 1
    assert "5" in result.notices[0]
    assert "control character" in result.notices[0]


def test_paste_without_control_characters_has_no_notice() -> None:
    assert text_from_paste("Nur\tTabs\nund Zeilen").notices == ()


@pytest.mark.parametrize("raw", ["", "   ", "\r\n\t \n\N{NO-BREAK SPACE}\n", "\x01\x02 \x03"])
def test_empty_paste_is_refused(raw: str) -> None:
    with pytest.raises(ArticleImportError) as excinfo:
        text_from_paste(raw)
    assert_import_error(excinfo, "empty")


def test_paste_over_the_limit_is_refused_with_both_sizes() -> None:
    with pytest.raises(ArticleImportError) as excinfo:
        text_from_paste("a" * (MAX_TEXT_CHARS + 1))
    message = assert_import_error(excinfo, "too_large")
    assert "1,000,001" in message
    assert "1,000,000" in message


def test_paste_of_absurd_size_is_refused_before_any_work() -> None:
    with pytest.raises(ArticleImportError) as excinfo:
        text_from_paste("\x00" * (3 * MAX_TEXT_CHARS))  # size wins over the NUL check
    assert_import_error(excinfo, "too_large")


def test_paste_at_the_limit_is_accepted() -> None:
    assert len(text_from_paste("a" * MAX_TEXT_CHARS).text) == MAX_TEXT_CHARS


def test_limit_applies_to_the_normalised_text() -> None:
    # CRLF counts as one character once normalised: this fits.
    raw = "ab\r\n" * (MAX_TEXT_CHARS // 3)
    assert len(raw) > MAX_TEXT_CHARS
    assert len(text_from_paste(raw).text) <= MAX_TEXT_CHARS


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.lists(
        st.one_of(texts(8), st.sampled_from(["\x01", "\x07", "\x0b", "\x1b", "\x7f", "\x85"])),
        max_size=12,
    ).map("".join)
)
def test_pasted_text_is_normalised_and_free_of_control_characters(raw: str) -> None:
    expected = normalize(REMOVED.sub("", raw))
    if not expected:
        with pytest.raises(ArticleImportError) as excinfo:
            text_from_paste(raw)
        assert excinfo.value.code == "empty"
        return
    result = text_from_paste(raw)
    assert result.text == expected
    assert normalize(result.text) == result.text
    assert not REMOVED.search(result.text)
    assert bool(result.notices) == bool(REMOVED.search(raw))


# --- Decoding ----------------------------------------------------------------------------


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts())
def test_utf8_decodes_unchanged_with_or_without_bom(text: str) -> None:
    assert decode_bytes(text.encode("utf-8")) == (text, ())
    assert decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8")) == (text, ())


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts())
def test_utf16_and_utf32_with_bom_decode_with_a_notice(text: str) -> None:
    for encoding, name in [("utf-16", "UTF-16"), ("utf-32", "UTF-32")]:
        decoded, notices = decode_bytes(text.encode(encoding))
        assert decoded == text
        assert len(notices) == 1
        assert name in notices[0]


def test_cp1252_bytes_are_converted_with_a_notice() -> None:
    text, notices = decode_bytes(b"Stra\xdfe \x84Zitat\x93 \x80 \x96")
    assert text == "Straße „Zitat“ € –"
    assert len(notices) == 1
    assert "Windows-1252" in notices[0]


def test_bytes_only_latin1_can_read_fall_back_to_latin1_with_a_notice() -> None:
    # 0x8D is undefined in Windows-1252.
    text, notices = decode_bytes(b"Caf\xe9 \x8d")
    assert text == "Café \x8d"
    assert len(notices) == 1
    assert "Latin-1" in notices[0]


def test_a_declared_charset_is_honoured_without_notice() -> None:
    # In ISO-8859-15 0xA4 is the euro sign; Windows-1252 would read "¤".
    assert decode_bytes(b"5 \xa4", "ISO-8859-15") == ("5 €", ())


def test_latin1_declarations_mean_windows_1252_as_in_browsers() -> None:
    assert decode_bytes(b"\x84Zitat\x93", "iso-8859-1") == ("„Zitat“", ())


def test_a_wrong_declaration_falls_back_and_says_so() -> None:
    text, notices = decode_bytes(b"Gr\xfc\xdfe", "utf-8")
    assert text == "Grüße"
    assert len(notices) == 2
    assert "utf-8" in notices[0]
    assert "Windows-1252" in notices[1]


@pytest.mark.parametrize("declared", ["klingon-8", "utf-7", "base64"])
def test_unknown_or_refused_declarations_are_ignored_with_a_notice(declared: str) -> None:
    text, notices = decode_bytes("Grüße +ADw-".encode(), declared)
    assert text == "Grüße +ADw-"
    assert len(notices) == 1
    assert declared in notices[0]


def test_a_bom_wins_over_the_declaration() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + "Grüße".encode(), "windows-1252") == ("Grüße", ())


# --- Uploaded plain text -----------------------------------------------------------------


def test_utf8_text_file() -> None:
    result = text_from_upload("artikel.txt", "Grüße aus „Köln“\r\n\r\nZweiter Absatz\n".encode())
    assert result.text == "Grüße aus „Köln“\n\nZweiter Absatz"
    assert result.notices == ()
    assert result.title == ""
    assert result.published_on is None


def test_utf8_text_file_with_bom() -> None:
    result = text_from_upload("artikel.txt", codecs.BOM_UTF8 + "Überschrift\n\nText".encode())
    assert result.text == "Überschrift\n\nText"
    assert result.notices == ()


def test_cp1252_text_file_is_converted_with_a_notice() -> None:
    result = text_from_upload("artikel.txt", b"Stra\xdfe \x84Zitat\x93\r\n")
    assert result.text == "Straße „Zitat“"
    assert len(result.notices) == 1
    assert "Windows-1252" in result.notices[0]


def test_latin1_only_text_file_is_converted_and_its_control_character_removed() -> None:
    result = text_from_upload("artikel.txt", b"Caf\xe9 \x8d\nEnde")
    assert result.text == "Café\nEnde"
    assert len(result.notices) == 2
    assert "Latin-1" in result.notices[0]
    assert "1 invisible control character" in result.notices[1]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_file_with_bom(encoding: str) -> None:
    text = "Grüße „Zitat“ \N{GRINNING FACE}\r\n\r\nZweiter Absatz"
    content = text.encode(encoding)
    if encoding != "utf-16":  # the plain codec writes its own BOM
        content = ("\ufeff" + text).encode(encoding)
    result = text_from_upload("artikel.txt", content)
    assert result.text == "Grüße „Zitat“ \N{GRINNING FACE}\n\nZweiter Absatz"
    assert len(result.notices) == 1
    assert "UTF-16" in result.notices[0]


def test_charset_in_the_content_type_counts_as_declaration() -> None:
    result = text_from_upload("artikel.txt", b"5 \xa4", "text/plain; charset=ISO-8859-15")
    assert result.text == "5 €"
    assert result.notices == ()


def test_markdown_file_keeps_inline_markup_and_turns_blocks_into_roles() -> None:
    """Headings, list items and quotes become paragraph roles (their markers leave the
    text); inline Markdown stays as typed."""
    source = (
        "# Überschrift\n\n"
        "Ein *betonter* Satz mit [Link](https://example.org/a_b) und `Code`.\n\n"
        "- Punkt eins\n- Punkt zwei\n\n"
        "> Zitat\n"
    )
    result = text_from_upload("notiz.md", source.encode())
    assert result.text == (
        "Überschrift\n\n"
        "Ein *betonter* Satz mit [Link](https://example.org/a_b) und `Code`.\n\n"
        "Punkt eins\n\nPunkt zwei\n\n"
        "Zitat"
    )
    assert result.blocks == ("h2", "p", "li", "li", "quote")
    assert result.notices == ()


@pytest.mark.parametrize(
    "filename", ["ARTIKEL.TXT", "Notiz.Md", "C:\\Users\\Redaktion\\artikel.txt", "a/b/c.md"]
)
def test_extension_is_read_case_insensitively_from_the_last_path_part(filename: str) -> None:
    assert text_from_upload(filename, b"Text").text == "Text"


@pytest.mark.parametrize(
    "filename", ["programm.exe", "bericht.docx", "bericht.pdf", "README", "txt", "archiv.txt.gz"]
)
def test_unsupported_file_types_are_refused_naming_the_allowed_ones(filename: str) -> None:
    with pytest.raises(ArticleImportError) as excinfo:
        text_from_upload(filename, b"PK\x03\x04 whatever")
    message = assert_import_error(excinfo, "unsupported_type")
    assert filename in message
    for extension in [".txt", ".md", ".html", ".htm"]:
        assert extension in message


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", ["PDF"]),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00[Content_Types].xml...word/document.xml", ["Word"]),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00notes/a.txt", ["ZIP"]),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00", ["Office"]),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["image"]),
        (b"GIF89a\x01\x00\x01\x00", ["image"]),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", ["image"]),
        (b"Looks like text\x00but is not" + b"x" * 100, ["binary"]),
    ],
    ids=["pdf", "docx", "zip", "ole2", "png", "gif", "jpeg", "nul"],
)
@pytest.mark.parametrize("filename", ["datei.txt", "datei.md", "datei.html"])
def test_binary_content_is_not_text(content: bytes, words: list[str], filename: str) -> None:
    with pytest.raises(ArticleImportError) as excinfo:
        text_from_upload(filename, content)
    message = assert_import_error(excinfo, "not_text")
    assert "not a text file" in message
    for word in words:
        assert word in message


def test_nul_bytes_late_in_a_utf16_file_are_not_text() -> None:
    with pytest.raises(ArticleImportError) as excinfo:
        text_from_upload("artikel.txt", "Text\x00mit NUL".encode("utf-16"))
    assert_import_error(excinfo, "not_text")


@pytest.mark.parametrize("content", [b"", b"   \r\n\t\n", codecs.BOM_UTF8, b"\x01\x02"])
def test_empty_text_file_is_refused(content: bytes) -> None:
    with pytest.raises(ArticleImportError) as excinfo:
        text_from_upload("leer.txt", content)
    assert_import_error(excinfo, "empty")


@pytest.mark.parametrize(
    ("filename", "limit", "shown"),
    [
        ("gross.txt", MAX_TEXT_UPLOAD_BYTES, "1 MB"),
        ("gross.md", MAX_TEXT_UPLOAD_BYTES, "1 MB"),
        ("gross.html", MAX_UPLOAD_BYTES, "5 MB"),
    ],
)
def test_oversize_upload_is_refused_before_decoding(filename: str, limit: int, shown: str) -> None:
    # NUL bytes everywhere: had the file been decoded or sniffed, the error would differ.
    with pytest.raises(ArticleImportError) as excinfo:
        text_from_upload(filename, b"\x00" * (limit + 1))
    message = assert_import_error(excinfo, "too_large")
    assert f"{limit + 1:,} bytes" in message  # just over: the exact size, not "1 MB"
    assert shown.replace(" ", "\N{NO-BREAK SPACE}") in message


def test_much_larger_upload_is_reported_in_megabytes() -> None:
    with pytest.raises(ArticleImportError) as excinfo:
        text_from_upload("gross.txt", b"a" * 2_400_000)
    assert "2.4\N{NO-BREAK SPACE}MB" in assert_import_error(excinfo, "too_large")


def test_text_limit_applies_to_the_text_of_an_html_page() -> None:
    # A plain-text file at the byte limit decodes to at most as many characters, so it fits;
    # an HTML page may hold more text than that, and the text limit refuses it.
    full = text_from_upload("voll.txt", b"\xe4" * MAX_TEXT_UPLOAD_BYTES)
    assert len(full.text) == MAX_TEXT_CHARS
    page = article_html("<p>" + "Wort " * 250_000 + "</p>")  # 1.25 million characters
    with pytest.raises(ArticleImportError) as excinfo:
        text_from_upload("lang.html", page.encode())
    assert_import_error(excinfo, "too_large")


# --- Uploaded HTML -----------------------------------------------------------------------


def test_html_paragraphs_become_blank_line_separated_paragraphs() -> None:
    result = text_from_upload("seite.html", article_html(ARTICLE_BODY).encode())
    paragraphs = result.text.split("\n\n")
    assert paragraphs[0] == "Die Brücke über den Fluss"
    assert paragraphs[1].startswith("Die Stadt hat am Montag beschlossen")
    assert "„mindestens zwei Jahre“" in paragraphs[2]
    assert paragraphs[3].endswith("für Rollstühle geeignet sein soll.")
    assert len(paragraphs) == 4
    assert "Startseite" not in result.text
    assert "Impressum" not in result.text
    assert result.language == "de"
    assert len(result.notices) == 1
    assert "article" in result.notices[0]


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="windows-1252">',
        "<meta charset=windows-1252>",
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
    ],
)
def test_html_with_a_windows_1252_meta_charset(head: str) -> None:
    page = article_html(ARTICLE_BODY + "<p>Der Preis: 5 € pro Monat – „günstig“.</p>", head)
    result = text_from_upload("seite.htm", page.encode("cp1252"))
    assert "Die Brücke über den Fluss" in result.text
    assert "„mindestens zwei Jahre“" in result.text
    assert "Der Preis: 5 € pro Monat – „günstig“." in result.text
    assert not any("Windows-1252" in notice for notice in result.notices)  # declared, no guess


def test_html_declared_as_utf8_but_in_cp1252_is_converted_and_says_so() -> None:
    result = text_from_upload(
        "seite.html", article_html(ARTICLE_BODY, "<meta charset=utf-8>").encode("cp1252")
    )
    assert "Die Brücke über den Fluss" in result.text
    assert any("utf-8" in notice for notice in result.notices)
    assert any("Windows-1252" in notice for notice in result.notices)


def test_html_meta_charset_after_the_first_2_kb_is_not_honoured() -> None:
    head = "<!--" + "x" * 2100 + '--><meta charset="iso-8859-15">'
    page = article_html(ARTICLE_BODY + "<p>Der Preis: 5 € pro Monat, sagt der Verlag.</p>", head)
    result = text_from_html(page.encode("iso-8859-15", "xmlcharrefreplace"))
    # Not found, so the bytes are guessed to be Windows-1252, where 0xA4 is "¤", not "€".
    assert "Der Preis: 5 ¤ pro Monat" in result.text
    assert any("Windows-1252" in notice for notice in result.notices)


def test_html_scripts_styles_and_noscript_never_appear_in_the_text() -> None:
    body = (
        "<script>var SCRIPT_IN_ARTICLE = 1;</script>"
        + ARTICLE_BODY.replace(
            "</p>",
            "<script>document.write('SCRIPT_IN_PARAGRAPH')</script></p>",
            1,
        )
        + "<noscript>NOSCRIPT_MARKER Bitte JavaScript aktivieren.</noscript>"
        + "<style>.x::after { content: 'STYLE_MARKER' }</style>"
        + '<script type="application/ld+json">{"headline": "JSONLD_MARKER"}</script>'
    )
    head = "<script>window.HEAD_SCRIPT_MARKER = true;</script><style>p{}</style>"
    result = text_from_upload("seite.html", article_html(body, head).encode())
    assert "Die Stadt hat am Montag beschlossen" in result.text
    for marker in ["SCRIPT", "STYLE_MARKER", "JSONLD_MARKER", "NOSCRIPT_MARKER", "document."]:
        assert marker not in result.text
    assert "<" not in result.text


def test_html_fragment_without_html_element_is_read() -> None:
    result = text_from_upload(
        "ausschnitt.html", "<p>Ein einzelner Absatz über die Brücke.</p>".encode()
    )
    assert result.text == "Ein einzelner Absatz über die Brücke."


@pytest.mark.parametrize(
    "page",
    [
        "<!DOCTYPE html><html><head><title>Leer</title></head><body></body></html>",
        "<html><body><script>var nur = 'Skript';</script></body></html>",
        "<html><body>   </body></html>",
    ],
)
def test_html_without_article_is_refused(page: str) -> None:
    with pytest.raises(ArticleImportError) as excinfo:
        text_from_upload("seite.html", page.encode())
    assert_import_error(excinfo, "no_article_found")


def test_html_metadata_of_a_small_page() -> None:
    head = (
        '<meta property="og:title" content="Brücke wird saniert">'
        '<meta name="author" content="Erika Mustermann">'
        '<meta property="article:published_time" content="2024-03-05T08:00:00+01:00">'
        '<meta property="og:site_name" content="Stadtanzeiger">'
    )
    result = text_from_html(
        article_html(ARTICLE_BODY, head, lang="de_at"), url="https://example.org/a"
    )
    assert result.title == "Brücke wird saniert"
    assert result.byline == "Erika Mustermann"
    assert result.published_on == datetime.date(2024, 3, 5)
    assert result.site_name == "Stadtanzeiger"
    assert result.language == "de-AT"


def test_html_with_a_malformed_language_has_none() -> None:
    result = text_from_html(article_html(ARTICLE_BODY, lang="deutsch; sprache"))
    assert result.language == ""


def test_html_string_over_the_upload_limit_is_refused() -> None:
    with pytest.raises(ArticleImportError) as excinfo:
        text_from_html("<p>" + "ä" * (MAX_UPLOAD_BYTES // 2) + "</p>")  # 2 bytes each in UTF-8
    assert_import_error(excinfo, "too_large")


def test_html_upload_may_be_larger_than_a_text_upload() -> None:
    padding = "<!--" + "x" * 1_500_000 + "-->"
    result = text_from_upload("seite.html", article_html(padding + ARTICLE_BODY).encode())
    assert result.text.startswith("Die Brücke über den Fluss")


# --- Real pages --------------------------------------------------------------------------

# Per page: sentences of the article that must be found, and boilerplate (navigation, footer,
# cookie banner, teasers of other articles, comments, newsletter boxes) that must not.
REAL_PAGES = {
    "correctiv.org.zusage.html": (
        [
            "Vorweg: Die beteiligten AfD-Politiker bestreiten, dass es sich so abgespielt hat.",
            "Insgesamt wären also etwa 1,8 Millionen Euro fällig.",
            "Klaus K. ist mittlerweile aus der AfD ausgetreten.",
        ],
        [
            "Top Recherchen",  # main navigation
            "Die besten Recherchen per Mail",  # newsletter box
            "Leave this field empty if you're human",  # newsletter form's spam trap
            "AfD zahlt fragwürdige Wahlkampfspende",  # teaser of another article
            "Die AfD und der Deutschland-Kurier",  # the next article, loaded below this one
        ],
    ),
    "dw.com.colonial.html": (
        [
            "Berlin's relationship with its colonial history is being reconsidered, despite "
            "opposition from far-right politicians and some disgruntled locals unhappy at plans "
            "to change the names of their streets.",
            "Lüderitzstrasse will become Cornelius-Fredericks-Strasse, after a southwest African "
            "tribal leader, and Nachtigalplatz is to become Manga-Bell-Platz, named after a "
            "Cameroonian anti-colonialist leader.",
        ],
        [
            "We use cookies to improve our service",  # cookie banner
            "Wrong language? Change it here",  # language selector
            "Racist, ruthless, cruel",  # picture gallery teaser
            "Sign up for the newsletter",
            "US judge dismisses Namibian genocide claims",  # related-article teaser
        ],
    ),
    "spiegel.de.albtraum.html": (
        [
            "Die Geschichte wird gedruckt.",
            "Die meisten Kollegen reagieren erschüttert. Bei einigen fließen Tränen.",
            "Am 6. Dezember schickt Moreno weitere Informationen und die beiden Videos an "
            "Ullrich Fichtner.",
        ],
        [
            "Vervielfältigung nur mit Genehmigung",  # footer
            "Diese Ausgabe jetzt digital lesen",  # subscription box
            "Liebe Bahn, wie kann man das so verbocken?",  # teaser of another article
            "Serviceangebote von SPIEGEL-ONLINE-Partnern",
        ],
    ),
    "heise.de.lithium.html": (
        [
            "Die Recyclingquote liegt lediglich bei 25 Prozent.",
            "Übrig bleibt ein feines schwarzes Pulver.",
        ],
        [
            "Kommentare lesen",  # comment link
            "Fibu und mehr – einfach und sicher aus der Cloud",  # advertisement
            "Zur heise online Startseite",
            "Copyright © 2019 Heise Medien",  # footer
            "Teile diesen Beitrag",  # share box
        ],
    ),
    "reuters.com.parasite.html": (
        [
            "LOS ANGELES (Reuters) - South Korean thriller “Parasite” was the upset winner at "
            "the Screen Actors Guild (SAG) awards on Sunday",
            "Phoenix’s terrifying performance as a loner who finds fame through violence in "
            "“Joker” has swept awards season.",
        ],
        [
            "Do Not Sell My Personal Information",  # footer
            "All quotes delayed a minimum of 15 minutes",  # footer
            "Factbox: Key winners",  # related-article teaser
            "Thomson Reuters Trust Principles",
        ],
    ),
}


@pytest.fixture(scope="module")
def real_pages() -> dict[str, ImportedText]:
    """Each real page imported once, as an editor's upload."""
    return {
        name: text_from_upload(name, (FIXTURES / name).read_bytes(), "text/html")
        for name in REAL_PAGES
    }


@pytest.mark.parametrize("name", REAL_PAGES)
def test_real_page_keeps_the_article_and_drops_boilerplate(
    name: str, real_pages: dict[str, ImportedText]
) -> None:
    text = real_pages[name].text
    kept, dropped = REAL_PAGES[name]
    for sentence in kept:
        assert sentence in text
    for boilerplate in dropped:
        assert boilerplate not in text


@pytest.mark.parametrize("name", REAL_PAGES)
def test_real_page_has_paragraphs(name: str, real_pages: dict[str, ImportedText]) -> None:
    text = real_pages[name].text
    assert text.count("\n\n") >= 5
    assert "\n\n\n" not in text
    assert normalize(text) == text
    for paragraph in text.split("\n\n"):
        assert paragraph
        assert "\n" not in paragraph
        assert paragraph == paragraph.strip()  # no indentation copied from the page source


def test_real_page_paragraph_boundaries(real_pages: dict[str, ImportedText]) -> None:
    text = real_pages["reuters.com.parasite.html"].text
    assert "cementing their roles as frontrunners at the Oscars next month.\n\n“Parasite,”" in text
    text = real_pages["spiegel.de.albtraum.html"].text
    assert "in eisigen Höhen.\n\nIn den Morgenstunden des Donnerstags" in text


def test_real_page_metadata(real_pages: dict[str, ImportedText]) -> None:
    correctiv = real_pages["correctiv.org.zusage.html"]
    assert correctiv.title == "„Wir haben bereits die Zusage“"
    assert "Marcus Bensmann" in correctiv.byline
    assert correctiv.published_on == datetime.date(2019, 5, 14)
    assert correctiv.language == "de-DE"
    assert correctiv.site_name.startswith("CORRECTIV")

    reuters = real_pages["reuters.com.parasite.html"]
    assert reuters.title.startswith("'Parasite' scores historic upset at SAG awards")
    assert reuters.byline == "Jill Serjeant"
    assert reuters.published_on == datetime.date(2020, 1, 20)
    assert reuters.language == "en"
    assert reuters.site_name == "Reuters"

    assert real_pages["heise.de.lithium.html"].language == "de"
    assert real_pages["heise.de.lithium.html"].published_on == datetime.date(2019, 6, 20)


def test_real_page_as_text_string_gives_the_same_result(
    real_pages: dict[str, ImportedText],
) -> None:
    name = "heise.de.lithium.html"
    html = (FIXTURES / name).read_text(encoding="utf-8")
    assert text_from_html(html, url="https://www.heise.de/x").text == real_pages[name].text
