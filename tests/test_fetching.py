"""Tests for ``claims.importing.fetch``: fetching an article from its web address, safely.

No internet: pages come from a real HTTP server in a thread on 127.0.0.1 (and an HTTPS one
for certificate checks). Since that is a loopback address, tests that fetch from it turn on
``FACTCHECK_FETCH_ALLOW_PRIVATE``; with the default setting every refusal is shown to happen
before any lookup or connection (both fail the test if attempted). Host names other than
the server's IP are answered by a fake ``socket.getaddrinfo`` that counts lookups, so the
tests can show that a name is resolved once per hop and the connection goes to that answer.
"""

import codecs
import contextlib
import datetime
import gzip
import http.server
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from claims.importing import fetch as fetching
from claims.importing.errors import ArticleImportError, FetchError
from claims.importing.fetch import MAX_REDIRECTS, FetchedPage, fetch, fetch_article
from claims.importing.upload import text_from_upload

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTICLE = (FIXTURES / "dw.com.colonial.html").read_bytes()

SMALL_PAGE = (
    '<!DOCTYPE html><html lang="de"><head><title>Brücke</title>%(head)s</head><body>'
    '<nav><a href="/">Startseite</a> <a href="/politik">Politik</a></nav>'
    "<main><article><h1>Die Brücke über den Fluss</h1>"
    "<p>Die Stadt hat am Montag beschlossen, die alte Brücke über den Fluss zu sanieren, "
    "sagte die Bürgermeisterin nach der Sitzung des Stadtrats.</p>"
    "<p>Die Arbeiten sollen im Frühjahr beginnen und „mindestens zwei Jahre“ dauern; die "
    "Straße bleibt während dieser Zeit für den Autoverkehr gesperrt.</p>"
    "<p>Der Preis: 5 € pro Person – „günstig“, sagt die Verwaltung%(extra)s.</p>"
    "</article></main><footer><p>Impressum · Datenschutz</p></footer></body></html>"
)


RUSSIAN = (
    "Городской совет в понедельник решил отремонтировать старый мост через реку, "
    "сообщила мэр после заседания. Работы начнутся весной и продлятся не менее двух лет."
)


def small_page(head: str = "", extra: str = "") -> str:
    return SMALL_PAGE % {"head": head, "extra": extra}


TEN_MB_OF_ZEROS = b"\x00" * 10_000_000
GZIP_BOMB = gzip.compress(TEN_MB_OF_ZEROS, compresslevel=9)
DEFLATE_BOMB = zlib.compress(TEN_MB_OF_ZEROS, 9)


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def assert_fetch_error(excinfo: pytest.ExceptionInfo[ArticleImportError], code: str) -> str:
    """Check the error's code and that its message is a finished sentence; return it."""
    error = excinfo.value
    assert error.code == code, (error.code, error.message)
    message = str(error)
    assert message == error.message
    assert len(message.split()) >= 4, message
    assert message[0].isupper() or message[0] == "“", message
    assert message.endswith("."), message
    assert "%(" not in message, message
    return message


# --- The local server --------------------------------------------------------------------


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "LocalServer"

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet test output

    def send(
        self,
        body: bytes,
        content_type: str | None = "text/html; charset=utf-8",
        status: int = 200,
        **headers: str,
    ) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)  # the client may stop reading, as it should

    def send_chunks(self, chunks: Iterator[bytes], content_type: str = "text/html") -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            for chunk in chunks:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def redirect(self, location: str | None, status: int = 302) -> None:
        headers = {"Location": location} if location is not None else {}
        self.send(b"", None, status, **headers)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        self.server.requests.append((path, dict(self.headers.items())))
        if path == "/article":
            self.send(ARTICLE)
        elif path == "/small":
            self.send(small_page().encode())
        elif path.startswith("/chain/"):
            left = int(path.rsplit("/", 1)[1])
            if left == 0:
                self.send(small_page().encode())
            else:  # relative Locations, both kinds
                self.redirect(f"/chain/{left - 1}" if left % 2 else str(left - 1))
        elif path == "/redirect":
            self.redirect(query["to"][0], int(query.get("status", ["302"])[0]))
        elif path == "/redirect-nowhere":
            self.redirect(None)
        elif path == "/gzip":
            self.send(gzip.compress(small_page().encode()), Content_Encoding="gzip")
        elif path == "/gzip-twice-members":
            page = small_page().encode()
            half = len(page) // 2
            body = gzip.compress(page[:half]) + gzip.compress(page[half:])
            self.send(body, Content_Encoding="gzip")
        elif path == "/deflate":
            self.send(zlib.compress(small_page().encode()), Content_Encoding="deflate")
        elif path == "/raw-deflate":
            self.send(raw_deflate(small_page().encode()), Content_Encoding="deflate")
        elif path == "/gzip-bomb":
            self.send(GZIP_BOMB, Content_Encoding="gzip")
        elif path == "/deflate-bomb":
            self.send(DEFLATE_BOMB, Content_Encoding="deflate")
        elif path == "/brotli":
            self.send(b"\x1b\x00\x00", Content_Encoding="br")
        elif path == "/big":
            self.send(b"a" * 6_000_000, "text/plain")
        elif path == "/endless":
            self.send_chunks(b"<p>" + b"a" * 65_536 for _ in range(2000))  # 130 MB at most
        elif path == "/pdf":
            self.send(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\n", "application/pdf")
        elif path == "/json":
            self.send(b'{"text": "Artikel"}', "application/json; charset=utf-8")
        elif path == "/png":
            self.send(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png")
        elif path == "/pdf-as-html":
            self.send(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\n", "text/html")
        elif path == "/plain":
            self.send(
                "Erster Absatz über die Brücke.\r\n\r\nZweiter Absatz.\r\n".encode(),
                "text/plain; charset=utf-8",
            )
        elif path == "/no-type":
            self.send(small_page().encode(), None)
        elif path == "/meta-latin1":
            page = small_page('<meta charset="iso-8859-1">').encode("cp1252")
            self.send(page, "text/html")
        elif path == "/meta-http-equiv":
            head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
            self.send(small_page(head).encode("cp1252"), "text/html")
        elif path == "/header-wins":
            # The header says ISO-8859-15 (0xA4 is "€"), the page wrongly says UTF-8.
            page = small_page("<meta charset=utf-8>").encode("iso-8859-15", "xmlcharrefreplace")
            self.send(page, "text/html; charset=ISO-8859-15")
        elif path == "/xhtml":
            page = small_page().replace("<!DOCTYPE html>", "")
            page = '<?xml version="1.0" encoding="windows-1252"?>' + page
            self.send(page.encode("cp1252"), "application/xhtml+xml")
        elif path == "/undeclared":
            page = small_page(extra=" – ein Café à la carte, déjà vu")
            self.send(page.encode("cp1252"), "text/html")
        elif path == "/undeclared-cyrillic":
            page = small_page(extra=" " + RUSSIAN * 3).replace('lang="de"', 'lang="ru"')
            self.send(page.encode("cp1251", "xmlcharrefreplace"), "text/html")
        elif path == "/broken-utf8":
            # Two broken sequences, plus a "�" that is really in the page.
            page = small_page(extra=" \N{REPLACEMENT CHARACTER} X").encode()
            page = page.replace(b"Fluss zu", b"Fluss\xff zu").replace(b"Montag", b"Mon\xc3(tag")
            self.send(page, "text/html; charset=utf-8")
        elif path == "/utf16":
            self.send(("\ufeff" + small_page()).encode("utf-16-le"), "text/html")
        elif path == "/slow":
            time.sleep(2.5)
            self.send(small_page().encode())
        elif path == "/trickle":

            def trickle() -> Iterator[bytes]:
                yield small_page().encode()[:200]
                for _ in range(40):
                    time.sleep(0.2)
                    yield b" "

            self.send_chunks(trickle())
        elif path == "/bytes":  # what the test put in server.payload
            body, content_type = self.server.payload
            self.send(body, content_type)
        elif path == "/missing":
            self.send(b"<html><body><p>Not here</p></body></html>", status=404)
        else:
            self.send(b"unknown test route", "text/plain", 500)


class LocalServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    requests: list[tuple[str, dict[str, str]]]
    payload: tuple[bytes, str | None] = (b"", None)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # aborted connections are the point of several tests


def start_server(context: ssl.SSLContext | None = None) -> tuple[LocalServer, threading.Thread]:
    server = LocalServer(("127.0.0.1", 0), Handler)
    server.requests = []
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    server, thread = start_server()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def base(server: LocalServer) -> str:
    server.requests.clear()
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def allow_private(settings) -> None:
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True


# --- Name lookups and connections --------------------------------------------------------

_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect


def is_ip_literal(host: object) -> bool:
    try:
        ipaddress.ip_address(str(host))
    except ValueError:
        return False
    return True


class FakeDNS:
    """Answers for made-up names; IP literals go to the real resolver, numeric only."""

    def __init__(self) -> None:
        self.answers: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []  # names looked up (not IP literals)
        self.literal_lookups: list[str] = []
        self.connections: list[str] = []
        # The fetch runs in the test's thread; connections other threads make meanwhile
        # (a Redis client's reconnect, a server left by another test) are not its own.
        self.thread = threading.get_ident()

    def add(self, name: str, *answers: list[str]) -> None:
        """Answer ``name`` with ``answers[0]`` the first time, ``answers[1]`` next, …"""
        self.answers[name] = list(answers)

    def getaddrinfo(self, host, port, family=0, type=0, proto=0, flags=0):
        if is_ip_literal(host):
            self.literal_lookups.append(str(host))
            return _real_getaddrinfo(
                host, port, family, type, proto, flags | socket.AI_NUMERICHOST
            )
        self.lookups.append(host)
        queue = self.answers.get(host)
        if not queue:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        addresses = queue.pop(0) if len(queue) > 1 else queue[0]
        result = []
        for address in addresses:
            if ":" in address:
                result.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0)))
            else:
                result.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)))
        return result

    def connect(self, sock: socket.socket, address) -> None:
        if threading.get_ident() == self.thread:
            self.connections.append(address[0])
        return _real_connect(sock, address)


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    fake = FakeDNS()
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    monkeypatch.setattr(
        socket.socket, "connect", lambda sock, address: fake.connect(sock, address)
    )
    return fake


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch, dns: FakeDNS) -> FakeDNS:
    """Any connection fails the test; lookups are recorded by the fake DNS."""

    def refuse(sock: socket.socket, address: object) -> None:
        raise AssertionError(f"a connection to {address} was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return dns


# --- Refused before any network access ---------------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://127.0.0.1/", "127.0.0.1"),
        ("http://2130706433/", "127.0.0.1"),  # decimal
        ("http://0x7f.1/", "127.0.0.1"),  # hex, short
        ("http://0x7f000001/", "127.0.0.1"),
        ("http://0177.0.0.1/", "127.0.0.1"),  # octal
        ("http://017700000001/", "127.0.0.1"),
        ("http://127.1/", "127.0.0.1"),  # short
        ("http://127.0.0.1./admin", "127.0.0.1"),  # trailing dot
        ("https://127.0.0.1:8443/x?y=1", "127.0.0.1"),
        ("http://[::1]/", "::1"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),  # IPv4-mapped
        ("http://[::ffff:7f00:1]/", "::ffff:127.0.0.1"),
        ("http://[::127.0.0.1]/", "127.0.0.1"),  # IPv4-compatible
        ("http://[::ffff:0:7f00:1]/", "127.0.0.1"),  # IPv4-translated
        ("http://10.0.0.1/", "10.0.0.1"),
        ("http://012.0.0.1/", "10.0.0.1"),
        ("http://172.16.5.4/", "172.16.5.4"),
        ("http://192.168.1.1/", "192.168.1.1"),
        ("http://3232235777/", "192.168.1.1"),
        ("http://[fc00::1]/", "fc00::1"),
        ("http://[fd12:3456::1]/", "fd12:3456::1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://0xa9fea9fe/", "169.254.169.254"),
        ("http://169.254.1.1/", "169.254.1.1"),
        ("http://[fe80::1]/", "fe80::1"),
        ("http://[::ffff:169.254.169.254]/", "169.254.169.254"),
        ("http://[64:ff9b::a9fe:a9fe]/", "169.254.169.254"),  # NAT64
        ("http://[2002:c0a8:101::]/", "192.168.1.1"),  # 6to4
        ("http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/", "10.0.0.1"),  # Teredo client
        ("http://[fd00:ec2::254]/", "fd00:ec2::254"),
        ("http://100.64.0.1/", "100.64.0.1"),  # shared address space
        ("http://100.100.100.200/", "100.100.100.200"),
        ("http://0.0.0.0/", "0.0.0.0"),  # noqa: S104
        ("http://0/", "0.0.0.0"),  # noqa: S104
        ("http://[::]/", "::"),
        ("http://224.0.0.1/", "224.0.0.1"),
        ("http://[ff02::1]/", "ff02::1"),
        ("http://255.255.255.255/", "255.255.255.255"),
        ("http://240.0.0.1/", "240.0.0.1"),
        ("http://192.0.2.1/", "192.0.2.1"),  # documentation
        ("http://[2001:db8::1]/", "2001:db8::1"),
    ],
)
def test_ip_literals_of_non_public_addresses_are_refused_without_network(
    no_network: FakeDNS, url: str, shown: str
) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_article(url)
    message = assert_fetch_error(excinfo, "forbidden_address")
    assert shown in message
    assert "public internet" in message
    assert no_network.lookups == []
    assert no_network.literal_lookups == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://10.1.2.3/", "private network"),
        ("http://169.254.169.254/", "cloud metadata"),
        ("http://[fe80::1]/", "link-local"),
        ("http://100.64.0.1/", "carrier"),
        ("http://224.0.0.1/", "multicast"),
        ("http://0.0.0.0/", "unspecified"),
    ],
)
def test_the_refusal_names_the_kind_of_address(no_network: FakeDNS, url: str, reason: str):
    with pytest.raises(FetchError) as excinfo:
        fetch(url)
    assert reason in assert_fetch_error(excinfo, "forbidden_address")


def test_a_name_resolving_to_a_private_address_is_refused_naming_it(no_network: FakeDNS):
    no_network.add("article.test", ["10.0.0.5"])
    with pytest.raises(FetchError) as excinfo:
        fetch_article("https://article.test/politik/artikel.html")
    message = assert_fetch_error(excinfo, "forbidden_address")
    assert "article.test" in message
    assert "10.0.0.5" in message
    assert no_network.lookups == ["article.test"]


def test_every_address_of_a_name_is_checked(no_network: FakeDNS) -> None:
    # A public first answer does not let a private second one through.
    no_network.add("article.test", ["93.184.216.34", "2606:2800:220:1::1", "192.168.0.7"])
    with pytest.raises(FetchError) as excinfo:
        fetch("http://article.test/")
    assert "192.168.0.7" in assert_fetch_error(excinfo, "forbidden_address")


def test_a_name_resolving_to_mapped_loopback_is_refused(no_network: FakeDNS) -> None:
    no_network.add("article.test", ["::ffff:127.0.0.1"])
    with pytest.raises(FetchError) as excinfo:
        fetch("http://article.test/")
    assert "127.0.0.1" in assert_fetch_error(excinfo, "forbidden_address")


def test_an_unknown_name_is_reported(no_network: FakeDNS) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch("https://nowhere.test/")
    assert "nowhere.test" in assert_fetch_error(excinfo, "dns_failed")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/article.html",
        "file:///etc/passwd",
        "javascript:alert(document.cookie)",
        "data:text/html,<p>Artikel</p>",
        "gopher://example.org:70/1",
        "mailto:redaktion@example.org",
        "ws://example.org/socket",
    ],
)
def test_other_schemes_are_refused(no_network: FakeDNS, url: str) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_article(url)
    message = assert_fetch_error(excinfo, "unsupported_scheme")
    assert url.split(":")[0] + ":" in message
    assert "http://" in message
    assert no_network.lookups == []


@pytest.mark.parametrize(
    "url", ["example.org/artikel", "www.example.org", "//example.org/a", "localhost:8000/x"]
)
def test_a_missing_scheme_is_refused(no_network: FakeDNS, url: str) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_article(url)
    message = assert_fetch_error(excinfo, "invalid_url")
    assert "https://" in message
    assert no_network.lookups == []


@pytest.mark.parametrize(
    "url",
    [
        "http://user:secret@example.org/",
        "https://user@example.org/artikel",
        "http://example.org@127.0.0.1/",  # the classic confusion: the host is 127.0.0.1
        "http://:@example.org/",
    ],
)
def test_credentials_in_the_address_are_refused(no_network: FakeDNS, url: str) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_article(url)
    message = assert_fetch_error(excinfo, "credentials")
    assert "secret" not in message
    assert no_network.lookups == []


@pytest.mark.parametrize(
    "url",
    [
        "http://",
        "https:///pfad",
        "http://exa mple.org/",
        "http://example.org\n.evil/",
        "http://1.2.3.4.5/",
        "http://08.0.0.1/",
        "http://example.123/",
        "http://example.org:99999/",
        "http://example.org:0/",
        "http://[fe80::1%25eth0]/",
        "http://[::1/",
        "http://exam_ple..org/",
    ],
)
def test_malformed_addresses_are_refused(no_network: FakeDNS, url: str) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_article(url)
    assert_fetch_error(excinfo, "invalid_url")
    assert no_network.lookups == []


@pytest.mark.parametrize("url", ["", "   "])
def test_an_empty_address_is_refused(no_network: FakeDNS, url: str) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_article(url)
    assert_fetch_error(excinfo, "invalid_url")


def test_an_overlong_address_is_refused(no_network: FakeDNS) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_article("https://example.org/" + "a" * 2000)
    assert "2000" in assert_fetch_error(excinfo, "invalid_url")


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://0.0.0.0/"]
)
def test_link_local_metadata_and_unspecified_stay_refused_when_private_is_allowed(
    no_network: FakeDNS, allow_private: None, url: str
) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch(url)
    assert_fetch_error(excinfo, "forbidden_address")


def test_a_name_for_the_metadata_service_stays_refused_when_private_is_allowed(
    no_network: FakeDNS, allow_private: None
) -> None:
    no_network.add("metadata.test", ["169.254.169.254"])
    with pytest.raises(FetchError) as excinfo:
        fetch("http://metadata.test/latest/meta-data/")
    assert "169.254.169.254" in assert_fetch_error(excinfo, "forbidden_address")


def test_private_addresses_are_refused_by_default(settings) -> None:
    assert settings.FACTCHECK_FETCH_ALLOW_PRIVATE is False


# --- Fetching from the local server ------------------------------------------------------

# Sentences of the real page that must come out, and boilerplate that must not.
KEPT = [
    "Berlin's relationship with its colonial history is being reconsidered, despite "
    "opposition from far-right politicians and some disgruntled locals unhappy at plans to "
    "change the names of their streets.",
    "Lüderitzstrasse will become Cornelius-Fredericks-Strasse, after a southwest African "
    "tribal leader, and Nachtigalplatz is to become Manga-Bell-Platz, named after a "
    "Cameroonian anti-colonialist leader.",
]
DROPPED = [
    "We use cookies to improve our service",  # cookie banner
    "Wrong language? Change it here",  # language selector
    "Racist, ruthless, cruel",  # picture gallery teaser
    "Sign up for the newsletter",
    "US judge dismisses Namibian genocide claims",  # related-article teaser
]


def test_a_real_article_page_is_fetched_and_extracted(
    allow_private: None, base: str, server: LocalServer
) -> None:
    result = fetch_article(f"{base}/article")
    for sentence in KEPT:
        assert sentence in result.text
    for boilerplate in DROPPED:
        assert boilerplate not in result.text
    assert result.text.count("\n\n") >= 5
    assert "\n\n\n" not in result.text
    assert result.title.startswith("Berlin confronts Germany's colonial past")
    assert result.published_on == datetime.date(2020, 1, 19)
    assert result.language == "en"
    assert result.byline
    assert result.site_name
    assert result.url == f"{base}/article"
    assert len(result.notices) == 1
    assert "Only the article" in result.notices[0]
    assert [path for path, _headers in server.requests] == ["/article"]


def test_fetch_returns_the_page(allow_private: None, base: str, settings) -> None:
    page = fetch(f"{base}/article#comments")
    assert isinstance(page, FetchedPage)
    assert page.url == page.final_url == f"{base}/article"
    assert page.status == 200
    assert page.content_type == "text/html"
    assert page.body == ARTICLE
    assert page.encoding == "utf-8"
    assert page.text == ARTICLE.decode()
    assert page.notices == ()


def test_the_request_names_the_desk_and_the_host(
    allow_private: None, base: str, server: LocalServer, settings
) -> None:
    settings.FACTCHECK_FETCH_USER_AGENT = "FactcheckDesk-Test/1.0 (+https://factcheck.example)"
    fetch(f"{base}/small?q=Brücke überall")
    _path, headers = server.requests[-1]
    assert headers["User-Agent"] == "FactcheckDesk-Test/1.0 (+https://factcheck.example)"
    assert headers["Host"] == base.removeprefix("http://")
    assert headers["Accept-Encoding"] == "gzip, deflate"
    assert "Authorization" not in headers
    assert "Cookie" not in headers


def test_the_default_user_agent_identifies_the_desk(settings) -> None:
    assert "FactcheckDesk" in settings.FACTCHECK_FETCH_USER_AGENT


def test_non_ascii_in_path_and_query_is_escaped(allow_private: None, base: str) -> None:
    page = fetch(f"{base}/small?q=Brücke überall")
    assert page.final_url == f"{base}/small?q=Br%C3%BCcke%20%C3%BCberall"


def test_plain_text_is_fetched_as_text(allow_private: None, base: str) -> None:
    result = fetch_article(f"{base}/plain")
    assert result.text == "Erster Absatz über die Brücke.\n\nZweiter Absatz."
    assert result.notices == ()
    assert result.title == ""


def test_a_page_without_content_type_is_read_as_html(allow_private: None, base: str) -> None:
    page = fetch(f"{base}/no-type")
    assert page.content_type == "text/html"
    assert "Die Stadt hat am Montag beschlossen" in fetch_article(f"{base}/no-type").text


# --- Redirects ---------------------------------------------------------------------------


def test_redirects_within_the_limit_are_followed(
    allow_private: None, base: str, server: LocalServer
) -> None:
    result = fetch_article(f"{base}/chain/{MAX_REDIRECTS}")
    assert "Die Stadt hat am Montag beschlossen" in result.text
    assert result.url == f"{base}/chain/0"
    assert f"{base}/chain/0" in result.notices[0]
    assert len(server.requests) == MAX_REDIRECTS + 1


def test_one_redirect_too_many_is_refused(
    allow_private: None, base: str, server: LocalServer
) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_article(f"{base}/chain/{MAX_REDIRECTS + 1}")
    assert str(MAX_REDIRECTS) in assert_fetch_error(excinfo, "too_many_redirects")
    requested = [path for path, _headers in server.requests]
    assert requested == [f"/chain/{n}" for n in range(MAX_REDIRECTS + 1, 0, -1)]


@pytest.mark.parametrize("status", ["301", "302", "303", "307", "308"])
def test_a_redirect_to_the_metadata_service_is_refused_before_connecting(
    allow_private: None, base: str, dns: FakeDNS, status: str
) -> None:
    target = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"
    with pytest.raises(FetchError) as excinfo:
        fetch(f"{base}/redirect?status={status}&to={target}")
    message = assert_fetch_error(excinfo, "forbidden_address")
    assert message.startswith(f"The page redirected to {target}.")
    assert "169.254.169.254" in message
    assert dns.connections == ["127.0.0.1"]  # only the first hop connected


def test_a_redirect_to_a_name_with_a_private_address_is_refused(
    base: str, dns: FakeDNS, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first hop is on loopback, so let exactly that through, nothing else.
    real = fetching._address_refusal
    monkeypatch.setattr(
        fetching,
        "_address_refusal",
        lambda address, allow: None if str(address) == "127.0.0.1" else real(address, allow),
    )
    dns.add("intranet.test", ["10.0.0.5"])
    with pytest.raises(FetchError) as excinfo:
        fetch(f"{base}/redirect?to=http://intranet.test/wiki")
    message = assert_fetch_error(excinfo, "forbidden_address")
    assert "10.0.0.5" in message
    assert "intranet.test" in message
    assert dns.connections == ["127.0.0.1"]


@pytest.mark.parametrize(
    ("location", "code"),
    [
        ("file:///etc/passwd", "unsupported_scheme"),
        ("javascript:alert(1)", "unsupported_scheme"),
        ("ftp://example.org/a", "unsupported_scheme"),
        ("http://user:pw@example.org/", "credentials"),
    ],
)
def test_a_redirect_to_another_scheme_or_with_credentials_is_refused(
    allow_private: None, base: str, dns: FakeDNS, location: str, code: str
) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch(f"{base}/redirect?to={location}")
    assert "redirected" in assert_fetch_error(excinfo, code)
    assert dns.lookups == []


def test_a_redirect_without_location_is_refused(allow_private: None, base: str) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch(f"{base}/redirect-nowhere")
    assert_fetch_error(excinfo, "bad_redirect")


# --- The connection goes to the checked address ------------------------------------------


def test_a_name_is_resolved_once_per_hop_and_the_connection_uses_that_answer(
    allow_private: None, server: LocalServer, dns: FakeDNS
) -> None:
    port = server.server_address[1]
    server.requests.clear()
    dns.add("article.test", ["127.0.0.1"])
    result = fetch_article(f"http://article.test:{port}/chain/2")
    assert "Die Stadt hat am Montag beschlossen" in result.text
    assert result.url == f"http://article.test:{port}/chain/0"
    assert dns.lookups == ["article.test"] * 3  # three hops, one lookup each
    assert set(dns.literal_lookups) <= {"127.0.0.1"}  # urllib3 on the IP: no DNS
    assert dns.connections == ["127.0.0.1"] * 3
    assert [headers["Host"] for _path, headers in server.requests] == [f"article.test:{port}"] * 3


def test_a_second_answer_for_the_same_name_is_never_used(
    allow_private: None, server: LocalServer, dns: FakeDNS
) -> None:
    # DNS rebinding: the first answer passes the check, later ones would lead elsewhere.
    port = server.server_address[1]
    dns.add("article.test", ["127.0.0.1"], ["169.254.169.254"], ["10.9.9.9"])
    page = fetch(f"http://article.test:{port}/small")
    assert page.status == 200
    assert dns.lookups == ["article.test"]
    assert dns.connections == ["127.0.0.1"]


def test_an_international_name_is_looked_up_in_ascii(
    allow_private: None, server: LocalServer, dns: FakeDNS
) -> None:
    port = server.server_address[1]
    server.requests.clear()
    dns.add("xn--brcke-lva.test", ["127.0.0.1"])
    page = fetch(f"http://brücke.test:{port}/small")
    assert page.final_url == f"http://xn--brcke-lva.test:{port}/small"
    assert dns.lookups == ["xn--brcke-lva.test"]
    assert server.requests[-1][1]["Host"] == f"xn--brcke-lva.test:{port}"


def test_a_refused_connection_is_reported(allow_private: None) -> None:
    with socket.socket() as probe:  # a port that nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError) as excinfo:
        fetch(f"http://127.0.0.1:{port}/")
    assert "127.0.0.1" in assert_fetch_error(excinfo, "connection_failed")


# --- HTTPS: SNI and certificate checked against the name, connection to the IP -----------


def make_certificate(directory: Path, name: str) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            f"/CN={name}",
            "-addext",
            f"subjectAltName=DNS:{name}",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[Callable[[str], tuple[int, Path, list[str]]]]:
    """Start an HTTPS server with a certificate for a name; return its port, cert, SNI seen."""
    started: list[tuple[LocalServer, threading.Thread]] = []

    def start(name: str) -> tuple[int, Path, list[str]]:
        cert, key = make_certificate(tmp_path, name)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        names: list[str] = []
        context.sni_callback = lambda _sock, server_name, _ctx: names.append(server_name)
        server, thread = start_server(context)
        started.append((server, thread))
        return server.server_address[1], cert, names

    yield start
    for server, thread in started:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def trust(monkeypatch: pytest.MonkeyPatch, cert: Path) -> None:
    """Make the certificate the only trusted one, as if it were in the system store."""
    monkeypatch.setattr(
        ssl.SSLContext,
        "load_default_certs",
        lambda self, purpose=None: self.load_verify_locations(cert),
    )


def test_https_verifies_the_certificate_for_the_name_over_the_checked_ip(
    allow_private: None, dns: FakeDNS, tls_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    port, cert, names = tls_server("article.test")
    trust(monkeypatch, cert)
    dns.add("article.test", ["127.0.0.1"])
    result = fetch_article(f"https://article.test:{port}/small")
    assert "Die Stadt hat am Montag beschlossen" in result.text
    assert names == ["article.test"]  # SNI carries the name, not the IP
    assert dns.lookups == ["article.test"]
    assert dns.connections == ["127.0.0.1"]


def test_https_with_an_untrusted_certificate_is_refused(
    allow_private: None, dns: FakeDNS, tls_server
) -> None:
    port, _cert, _names = tls_server("article.test")
    dns.add("article.test", ["127.0.0.1"])
    with pytest.raises(FetchError) as excinfo:
        fetch(f"https://article.test:{port}/small")
    assert "certificate" in assert_fetch_error(excinfo, "tls_error")


def test_https_with_a_certificate_for_another_name_is_refused(
    allow_private: None, dns: FakeDNS, tls_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    port, cert, _names = tls_server("other.test")
    trust(monkeypatch, cert)
    dns.add("article.test", ["127.0.0.1"])
    with pytest.raises(FetchError) as excinfo:
        fetch(f"https://article.test:{port}/small")
    assert "article.test" in assert_fetch_error(excinfo, "tls_error")


# --- Size, compression, type -------------------------------------------------------------


@pytest.mark.parametrize("path", ["/gzip", "/deflate", "/raw-deflate", "/gzip-twice-members"])
def test_compressed_pages_are_decoded(allow_private: None, base: str, path: str) -> None:
    page = fetch(f"{base}{path}")
    assert page.text == small_page()
    assert page.notices == ()


@pytest.mark.parametrize("path", ["/gzip-bomb", "/deflate-bomb"])
def test_a_compression_bomb_is_stopped_at_the_limit(
    allow_private: None, base: str, path: str
) -> None:
    assert len(GZIP_BOMB) < 100_000  # tiny on the wire, 10 MB unpacked
    started = time.monotonic()
    with pytest.raises(FetchError) as excinfo:
        fetch(f"{base}{path}")
    message = assert_fetch_error(excinfo, "too_large")
    assert "unpacked" in message
    assert "5\N{NO-BREAK SPACE}MB" in message
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("path", ["/gzip-bomb", "/deflate-bomb"])
def test_a_compression_bomb_is_never_unpacked_past_the_limit_in_memory(
    allow_private: None, base: str, path: str
) -> None:
    # Decompression bounded at every step holds at most the 5 MB cap plus a chunk; one
    # unpacking a whole received piece at once would hold the bomb's 10 MB.
    tracemalloc.start()
    try:
        with pytest.raises(FetchError):
            fetch(f"{base}{path}")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000


def test_the_size_limit_comes_from_the_settings(allow_private: None, base: str, settings) -> None:
    settings.FACTCHECK_FETCH_MAX_BYTES = 20_000
    with pytest.raises(FetchError) as excinfo:
        fetch(f"{base}/article")  # 82 kB
    assert "20\N{NO-BREAK SPACE}kB" in assert_fetch_error(excinfo, "too_large")
    assert fetch(f"{base}/small").status == 200


def test_a_declared_oversized_body_is_refused_before_reading(
    allow_private: None, base: str
) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch(f"{base}/big")
    message = assert_fetch_error(excinfo, "too_large")
    assert "6\N{NO-BREAK SPACE}MB" in message
    assert "5\N{NO-BREAK SPACE}MB" in message


def test_an_endless_body_is_stopped_while_streaming(allow_private: None, base: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError) as excinfo:
        fetch(f"{base}/endless")
    assert "5\N{NO-BREAK SPACE}MB" in assert_fetch_error(excinfo, "too_large")
    assert time.monotonic() - started < 5


def test_an_unknown_content_encoding_is_refused(allow_private: None, base: str) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch(f"{base}/brotli")
    assert "br" in assert_fetch_error(excinfo, "unsupported_encoding")


@pytest.mark.parametrize(
    ("path", "media_type"),
    [("/pdf", "application/pdf"), ("/json", "application/json"), ("/png", "image/png")],
)
def test_other_content_types_are_refused_naming_the_type(
    allow_private: None, base: str, path: str, media_type: str
) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_article(f"{base}{path}")
    assert media_type in assert_fetch_error(excinfo, "unsupported_type")


def test_a_pdf_served_as_html_is_not_text(allow_private: None, base: str) -> None:
    with pytest.raises(ArticleImportError) as excinfo:
        fetch_article(f"{base}/pdf-as-html")
    assert "PDF" in assert_fetch_error(excinfo, "not_text")


def test_an_http_error_is_reported_with_its_status(allow_private: None, base: str) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_article(f"{base}/missing")
    message = assert_fetch_error(excinfo, "http_error")
    assert "404" in message
    assert "Not Found" in message


# --- Time --------------------------------------------------------------------------------


def test_a_server_that_does_not_answer_times_out(allow_private: None, base: str, settings) -> None:
    settings.FACTCHECK_FETCH_TIMEOUT = 1
    started = time.monotonic()
    with pytest.raises(FetchError) as excinfo:
        fetch(f"{base}/slow")
    assert "1 seconds" in assert_fetch_error(excinfo, "timeout")
    assert time.monotonic() - started < 2.2


def test_a_server_trickling_bytes_is_cut_off_at_the_total_time(
    allow_private: None, base: str, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every byte arrives well within the read timeout; only the total time stops it.
    settings.FACTCHECK_FETCH_TIMEOUT = 1
    monkeypatch.setattr(fetching, "TOTAL_TIME_FACTOR", 2)
    started = time.monotonic()
    with pytest.raises(FetchError) as excinfo:
        fetch(f"{base}/trickle")
    assert "longer than 2 seconds" in assert_fetch_error(excinfo, "timeout")
    assert time.monotonic() - started < 4


# --- Character sets ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/meta-latin1", "/meta-http-equiv", "/xhtml"])
def test_a_charset_declared_only_in_the_page_is_honoured(
    allow_private: None, base: str, path: str
) -> None:
    page = fetch(f"{base}{path}")
    assert page.encoding == "cp1252"
    assert page.notices == ()
    result = fetch_article(f"{base}{path}")
    assert "Die Brücke über den Fluss" in result.text
    assert "„mindestens zwei Jahre“" in result.text
    assert "Der Preis: 5 € pro Person – „günstig“" in result.text
    assert "\N{REPLACEMENT CHARACTER}" not in result.text


def test_the_header_charset_wins_over_the_page(allow_private: None, base: str) -> None:
    page = fetch(f"{base}/header-wins")
    assert page.encoding == "iso8859-15"
    assert "Der Preis: 5 € pro Person" in page.text
    assert page.notices == ()


def test_an_undeclared_charset_is_detected_and_said(allow_private: None, base: str) -> None:
    page = fetch(f"{base}/undeclared")
    assert page.encoding == "cp1252"
    result = fetch_article(f"{base}/undeclared")
    assert "Die Brücke über den Fluss" in result.text
    assert "Straße bleibt" in result.text
    assert "ein Café à la carte, déjà vu" in result.text
    assert "character set" in result.notices[0]
    assert "cp1252" in result.notices[0]
    assert "\N{REPLACEMENT CHARACTER}" not in result.text


def test_an_undeclared_non_latin_charset_is_detected(allow_private: None, base: str) -> None:
    page = fetch(f"{base}/undeclared-cyrillic")
    assert page.encoding == "cp1251"
    assert RUSSIAN in page.text
    assert "cp1251" in page.notices[0]


def test_a_byte_order_mark_decides(allow_private: None, base: str) -> None:
    page = fetch(f"{base}/utf16")
    assert page.encoding == "utf-16"
    assert page.text == small_page()


def test_broken_bytes_are_replaced_and_counted(allow_private: None, base: str) -> None:
    page = fetch(f"{base}/broken-utf8")
    assert page.encoding == "utf-8"
    assert page.text.count("\N{REPLACEMENT CHARACTER}") == 3  # two broken, one genuine
    assert len(page.notices) == 1
    assert "2 characters" in page.notices[0]
    assert "could not be decoded" in page.notices[0]
    result = fetch_article(f"{base}/broken-utf8")
    assert "Fluss\N{REPLACEMENT CHARACTER} zu sanieren" in result.text
    assert any("2 characters" in notice for notice in result.notices)


# --- An upload and a fetch read the same bytes alike -------------------------------------

_BROKEN_UTF8 = (
    small_page(extra=" \N{REPLACEMENT CHARACTER} X").encode().replace(b"Fluss zu", b"Fluss\xff zu")
)
_PLAIN = "Die Brücke über den Fluss\n\nDer Preis: 5 € pro Person – „günstig“.\n"


@pytest.mark.parametrize(
    ("name", "body", "content_type"),
    [
        ("utf-8 declared", small_page().encode(), "text/html; charset=utf-8"),
        ("utf-8 undeclared", small_page().encode(), "text/html"),
        ("utf-8 with BOM", codecs.BOM_UTF8 + small_page().encode(), "text/html"),
        (
            "utf-8 with BOM, declared otherwise",
            codecs.BOM_UTF8 + small_page().encode(),
            "text/html; charset=windows-1252",
        ),
        ("utf-16 with BOM", small_page().encode("utf-16"), "text/html"),
        ("cp1252 declared", small_page().encode("cp1252"), "text/html; charset=windows-1252"),
        (
            "cp1252 in the page",
            small_page('<meta charset="iso-8859-1">').encode("cp1252"),
            "text/html",
        ),
        ("cp1252 undeclared", small_page(extra=" – ein Café").encode("cp1252"), "text/html"),
        ("cp1252 declared as utf-8", small_page().encode("cp1252"), "text/html; charset=utf-8"),
        (
            "cyrillic undeclared",
            small_page(extra=" " + RUSSIAN * 3).encode("cp1251", "xmlcharrefreplace"),
            "text/html",
        ),
        ("broken utf-8", _BROKEN_UTF8, "text/html; charset=utf-8"),
        ("plain utf-8 declared", _PLAIN.encode(), "text/plain; charset=utf-8"),
        ("plain utf-8 with BOM", codecs.BOM_UTF8 + _PLAIN.encode(), "text/plain"),
        ("plain cp1252 undeclared", _PLAIN.encode("cp1252"), "text/plain"),
        (
            "plain iso-8859-15 declared",
            _PLAIN.encode("iso-8859-15", "replace"),
            "text/plain; charset=ISO-8859-15",
        ),
    ],
)
def test_an_upload_and_a_fetch_of_the_same_bytes_read_alike(
    allow_private: None, server: LocalServer, base: str, name: str, body: bytes, content_type: str
) -> None:
    filename = "artikel.txt" if content_type.startswith("text/plain") else "artikel.html"
    server.payload = (body, content_type)
    fetched = fetch_article(f"{base}/bytes")
    uploaded = text_from_upload(filename, body, content_type)
    assert fetched.text == uploaded.text
    assert "Fluss" in fetched.text
    assert fetch(f"{base}/bytes").encoding  # one codec named, whichever it was
