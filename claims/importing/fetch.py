"""Fetching an article from its web address, safely (URL import).

The desk fetches pages on an editor's behalf, so a web address is untrusted input: it must
not reach the server's own services, the private network or a cloud metadata endpoint
(server-side request forgery), nor tie up a worker with an endless or "bomb" response.
Long because every rule below (address forms, addresses hidden in IPv6, redirects, limits)
needs its own check and its own sentence for the editor, and the guard is easier to audit
in one module than spread over several.

- :func:`fetch_article` — fetch a page and extract its article with
  :func:`claims.importing.html.text_from_html` (plain text goes through the same cleaning as
  an uploaded ``.txt``); returns an :class:`~claims.importing.cleaning.ImportedText`.
- :func:`fetch` — the page itself (:class:`FetchedPage`): body bytes and decoded text.
- :func:`article_from_page` — the article of a page :func:`fetch` returned.

Both fetch functions take the validators of an earlier answer (``etag``,
``last_modified``) and send them as ``If-None-Match`` / ``If-Modified-Since``; a
``304 Not Modified`` answer then raises :class:`NotModified` (the article watch,
``claims/tasks/watch.py``, fetches this way). Without them nothing changes.

Every refusal is a :class:`~claims.importing.errors.FetchError` (an
:class:`~claims.importing.errors.ArticleImportError`) with a stable ``code`` and a
translated sentence for the editor. The rules:

- Only ``http`` and ``https`` addresses; an address with a user name or password in it
  (``https://user:pass@host/``) is refused rather than stripped, since it names a protected
  resource and the credentials would be sent on to the site.
- A host written as an IP address, in any form ``inet_aton`` accepts (``2130706433``,
  ``0x7f.1``, ``0177.0.0.1``, ``127.1``) or as IPv6 (``[::ffff:127.0.0.1]``), is normalised
  and checked without any lookup. A host name is resolved once with ``getaddrinfo`` and every
  address it has must be public: loopback, private, link-local, shared (100.64.0.0/10),
  multicast, reserved and unspecified addresses are refused, also inside IPv6 (IPv4-mapped,
  -compatible, -translated, 6to4, Teredo, NAT64).
- The connection goes to exactly the address that was checked: urllib3 connects to the IP
  (no second lookup, so DNS rebinding cannot swap it), sends the real ``Host`` header, and
  for https uses the host name for SNI and certificate verification (system trust store).
- Redirects are followed by hand, at most :data:`MAX_REDIRECTS`, each new address parsed and
  checked like the first. Proxy variables in the environment are ignored.
- Connect and read timeouts of ``FACTCHECK_FETCH_TIMEOUT`` seconds, and the whole fetch must
  finish within :data:`TOTAL_TIME_FACTOR` times that (a server trickling bytes cannot hold a
  worker). At most ``FACTCHECK_FETCH_MAX_BYTES`` are read, counted while streaming, both as
  received and after gzip/deflate decompression (the only encodings asked for). urllib3
  (2.6 and later) decompresses with its output bounded by the amount read, so a compression
  bomb stops at the cap without ever being unpacked further in memory.
- Only ``text/html``, ``application/xhtml+xml`` and ``text/plain`` are accepted.
- The text is decoded by :func:`claims.importing.encoding.decode`, exactly as an uploaded
  file is: a byte order mark, else the charset of the ``Content-Type`` header, else the
  page's ``<meta>`` (or XML) declaration in its first 2 KB, else detection.
- ``FACTCHECK_FETCH_ALLOW_PRIVATE`` permits loopback and private addresses (tests, intranet);
  unspecified, multicast, link-local and cloud metadata addresses stay refused even then.
"""

import dataclasses
import http
import ipaddress
import logging
import re
import socket
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import urllib3
from django.conf import settings
from django.utils.translation import gettext as _
from urllib3.exceptions import (
    ConnectTimeoutError,
    DecodeError,
    HTTPError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)

from claims.importing.cleaning import ImportedText, finish_text
from claims.importing.encoding import charset_from_content_type, decode, reject_binary
from claims.importing.errors import FetchError, human_bytes
from claims.importing.html import text_from_html

__all__ = [
    "ALLOWED_CONTENT_TYPES",
    "MAX_REDIRECTS",
    "FetchedPage",
    "NotModified",
    "article_from_page",
    "fetch",
    "fetch_article",
]

logger = logging.getLogger(__name__)

#: Redirects followed at most; one more is refused.
MAX_REDIRECTS = 5
#: The whole fetch (all redirects, the whole body) may take this many times the timeout.
TOTAL_TIME_FACTOR = 3
#: Media types a page may have.
ALLOWED_CONTENT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
#: Longest web address accepted (``Article.original_url`` holds 2,000 characters).
MAX_URL_LENGTH = 2000

_CHUNK_BYTES = 64 * 1024
# The content codings asked for (Accept-Encoding), which urllib3 decompresses.
_CONTENT_CODINGS = frozenset({"", "identity", "gzip", "x-gzip", "deflate"})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Schemes without "//" that are still clearly not web pages (others read as a missing scheme).
_OTHER_SCHEMES = frozenset(
    {"javascript", "data", "file", "mailto", "about", "blob", "view-source"}
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_HOST_NAME = re.compile(
    r"^(?=.{1,253}\.?$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
    r"(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$"
)
_NUMERIC_LABEL = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)$")
_HTML_SNIFF = re.compile(rb"<(?:!doctype|html|head|body|p|div|article|title)\b", re.I)
# Safe characters in the request target: RFC 3986 sub-delims, ":", "@", "/", "%" (already
# escaped input stays as it is); everything else, e.g. spaces and non-ASCII, is %-escaped.
_PATH_SAFE = "/%:@!$&'()*+,;=~[]"
_QUERY_SAFE = _PATH_SAFE + "?"

_IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata services outside link-local space (AWS IPv6, Alibaba): refused even when
# private addresses are allowed.
_METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("100.100.100.200")}
)
_RFC1918_AND_ULA = tuple(
    ipaddress.ip_network(net)
    for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_BROADCAST = ipaddress.ip_address("255.255.255.255")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


@dataclass(frozen=True)
class FetchedPage:
    """A fetched page.

    ``url`` is the address asked for and ``final_url`` the one the page came from after
    redirects (both normalised: host in ASCII, path %-escaped, no fragment). ``content_type``
    is the media type alone (``text/html``), ``body`` the bytes after content decoding,
    ``encoding`` the Python codec that made ``text`` (not yet normalised) of them, and
    ``notices`` translated sentences about the decoding. ``etag`` and ``last_modified`` are
    the page's validators (its ``ETag`` and ``Last-Modified`` headers; empty without), for
    a conditional request next time.
    """

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    encoding: str
    text: str
    notices: tuple[str, ...]
    etag: str = ""
    last_modified: str = ""


class NotModified(Exception):
    """The site answered ``304 Not Modified`` to a conditional request: the page is the
    one the validators describe. Not a :class:`FetchError`: nothing went wrong."""

    def __init__(self, url: str) -> None:
        super().__init__(f"{url} not modified")
        self.url = url


@dataclass(frozen=True)
class _Target:
    """A checked web address, split into what the request needs."""

    url: str  # normalised
    scheme: str
    host: str  # ASCII, lower case, IPv6 without brackets
    port: int
    literal: _IPAddress | None  # the host when it is an IP address
    request_target: str  # path and query
    host_header: str


@dataclass(frozen=True)
class _Config:
    timeout: float
    max_bytes: int
    allow_private: bool
    user_agent: str

    @classmethod
    def from_settings(cls) -> "_Config":
        return cls(
            timeout=float(settings.FACTCHECK_FETCH_TIMEOUT),
            max_bytes=int(settings.FACTCHECK_FETCH_MAX_BYTES),
            allow_private=bool(settings.FACTCHECK_FETCH_ALLOW_PRIVATE),
            user_agent=settings.FACTCHECK_FETCH_USER_AGENT,
        )


# --- Public entry points -----------------------------------------------------------------


def fetch_article(url: str, *, etag: str = "", last_modified: str = "") -> ImportedText:
    """Fetch the page at ``url`` and return its article, like an uploaded page.

    HTML goes through :func:`~claims.importing.html.text_from_html` (paragraphs, title, byline,
    date, language, site name); plain text is cleaned and normalised like an uploaded
    ``.txt``. ``notices`` start with what the fetch has to say (a redirect, the character
    set), then the extraction's. ``url`` of the result is the address the page came from.
    Raises :class:`~claims.importing.errors.FetchError` (see :func:`fetch`) or
    :class:`~claims.importing.errors.ArticleImportError` (``no_article_found``, ``too_large``,
    ``not_text``, ``empty``); :class:`NotModified` only when ``etag`` or ``last_modified``
    was given.
    """
    return article_from_page(fetch(url, etag=etag, last_modified=last_modified))


def article_from_page(page: FetchedPage) -> ImportedText:
    """The article of a page :func:`fetch` returned (the second half of
    :func:`fetch_article`: the background import reports the two steps, the article watch
    keeps the page's ETag and Last-Modified)."""
    notices = list(page.notices)
    if page.final_url != page.url:
        notices.insert(
            0,
            _("The address redirected to %(url)s; the article was taken from there.")
            % {"url": page.final_url},
        )
    if page.content_type == "text/plain":
        text, all_notices = finish_text(page.text, notices, source="file")
        return ImportedText(text=text, notices=all_notices, url=page.final_url)
    result = text_from_html(page.text, url=page.final_url)
    return dataclasses.replace(result, notices=(*notices, *result.notices), url=page.final_url)


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> FetchedPage:
    """Fetch ``url`` under the rules in this module's description and decode its text.

    With ``etag`` or ``last_modified`` (the validators of an earlier answer) the request is
    conditional, and a ``304 Not Modified`` answer raises :class:`NotModified`.

    Raises :class:`~claims.importing.errors.FetchError` with one of the codes
    ``invalid_url``, ``unsupported_scheme``, ``credentials``, ``forbidden_address``,
    ``dns_failed``, ``connection_failed``, ``timeout``, ``tls_error``, ``too_many_redirects``,
    ``bad_redirect``, ``http_error``, ``unsupported_type``, ``unsupported_encoding`` and
    ``too_large``, or
    :class:`~claims.importing.errors.ArticleImportError` ``not_text`` for a binary body.
    """
    config = _Config.from_settings()
    deadline = time.monotonic() + config.timeout * TOTAL_TIME_FACTOR
    first = target = _parse_url(url)
    conditions = _conditions(etag, last_modified)
    for hop in range(MAX_REDIRECTS + 1):
        try:
            addresses = _resolve(target, config.allow_private)
        except FetchError as error:
            if hop:
                raise _after_redirect(error, target.url) from None
            raise
        pool, response = _open(target, addresses, config, deadline, conditions)
        try:
            if response.status == 304 and conditions:
                raise NotModified(first.url)
            if response.status in _REDIRECT_STATUSES:
                if hop == MAX_REDIRECTS:
                    raise FetchError(
                        "too_many_redirects",
                        _(
                            "The page redirected more than %(count)s times, so it was not "
                            "followed further."
                        )
                        % {"count": MAX_REDIRECTS},
                    )
                target = _redirect_target(target, response.headers.get("Location"))
                continue
            if not 200 <= response.status < 300:
                raise _http_error(response.status)
            header = response.headers.get("Content-Type", "")
            media_type = _media_type(header)
            body = _read_body(response, target, config, deadline)
        finally:
            response.close()  # closes the connection without reading the rest
            pool.close()
        reject_binary(body)  # e.g. a PDF served as text/html
        if not media_type:  # no Content-Type: HTML if it looks like it
            media_type = "text/html" if _HTML_SNIFF.search(body[:4096]) else "text/plain"
        decoded = decode(
            body,
            charset_from_content_type(header),
            markup=media_type != "text/plain",
            source="page",
        )
        return FetchedPage(
            url=first.url,
            final_url=target.url,
            status=response.status,
            content_type=media_type,
            body=body,
            encoding=decoded.encoding,
            text=decoded.text,
            notices=decoded.notices,
            etag=_validator(response.headers.get("ETag"), 500),
            last_modified=_validator(response.headers.get("Last-Modified"), 100),
        )
    raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover


# --- Addresses ---------------------------------------------------------------------------


def _parse_url(url: str) -> _Target:
    """Check a web address's form and split it; no network access."""
    raw = url.strip()
    shown = _shorten(raw)
    if not raw:
        raise FetchError("invalid_url", _("Enter the web address of the article."))
    if len(raw) > MAX_URL_LENGTH:
        raise FetchError(
            "invalid_url",
            _("The web address is too long: at most %(limit)s characters are allowed.")
            % {"limit": MAX_URL_LENGTH},
        )
    if _CONTROL.search(raw):
        raise _invalid_url(shown)
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise _invalid_url(shown) from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        if (scheme and parts.netloc) or scheme in _OTHER_SCHEMES:
            raise FetchError(
                "unsupported_scheme",
                _("Only http:// and https:// addresses can be fetched, not %(scheme)s: ones.")
                % {"scheme": scheme},
            )
        raise FetchError(
            "invalid_url",
            _("“%(url)s” is not a complete web address: it must start with https:// or http://.")
            % {"url": shown},
        )
    if parts.username is not None or parts.password is not None:
        raise FetchError(
            "credentials",
            _(
                "The web address contains a user name or password; remove it, since only "
                "public pages can be fetched."
            ),
        )
    if not parts.hostname:
        raise _invalid_url(shown)
    if port == 0:
        raise _invalid_url(shown)
    port = port or _DEFAULT_PORTS[scheme]
    host, literal = _parse_host(parts.hostname, shown)

    path = quote(parts.path or "/", safe=_PATH_SAFE)
    request_target = path + (f"?{quote(parts.query, safe=_QUERY_SAFE)}" if parts.query else "")
    netloc_host = f"[{host}]" if ":" in host else host
    netloc = netloc_host if port == _DEFAULT_PORTS[scheme] else f"{netloc_host}:{port}"
    return _Target(
        url=urlunsplit((scheme, netloc, path, request_target[len(path) + 1 :], "")),
        scheme=scheme,
        host=host,
        port=port,
        literal=literal,
        request_target=request_target,
        host_header=netloc,
    )


def _parse_host(hostname: str, shown: str) -> tuple[str, _IPAddress | None]:
    """Return the host in ASCII and, when it is an IP address in any form, that address."""
    if ":" in hostname:  # only IPv6 literals contain colons (urlsplit removed the brackets)
        if "%" in hostname:  # a zone index (fe80::1%eth0) never belongs in a public address
            raise _invalid_url(shown)
        try:
            address = ipaddress.IPv6Address(hostname)
        except ValueError:
            raise _invalid_url(shown) from None
        return address.compressed, address
    try:
        host = hostname.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise _invalid_url(shown) from None
    labels = host.rstrip(".").split(".")
    if _NUMERIC_LABEL.match(labels[-1]):
        # An IPv4 address in one of the forms inet_aton (and so getaddrinfo) accepts:
        # 2130706433, 0x7f.1, 0177.0.0.1, 127.1 … A name ending in a number is nothing else.
        if not all(_NUMERIC_LABEL.match(label) for label in labels):
            raise _invalid_url(shown)
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError:
            raise _invalid_url(shown) from None
        return str(address), address
    if not _HOST_NAME.match(host):
        raise _invalid_url(shown)
    return host, None


def _resolve(target: _Target, allow_private: bool) -> list[_IPAddress]:
    """Return the addresses to connect to, every one of them checked; one lookup at most."""
    if target.literal is not None:
        addresses = [target.literal]
    else:
        try:
            infos = socket.getaddrinfo(
                target.host, target.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
            )
        except (OSError, UnicodeError):
            infos = []
        addresses = []
        for family, _type, _proto, _name, sockaddr in infos:
            if family not in (socket.AF_INET, socket.AF_INET6):
                continue
            try:
                address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
            except ValueError:
                continue
            if address not in addresses:
                addresses.append(address)
        if not addresses:
            raise FetchError(
                "dns_failed",
                _("The site %(host)s was not found; check the web address.")
                % {"host": target.host},
            )
    for address in addresses:
        refusal = _address_refusal(address, allow_private)
        if refusal is not None:
            reason, shown = refusal
            logger.warning("URL import refused: %s is %s, %s", target.host, shown, reason)
            if target.literal is not None:
                message = _(
                    "The web address points to %(address)s, %(reason)s; only pages on the "
                    "public internet can be fetched."
                )
            else:
                message = _(
                    "The site %(host)s has the address %(address)s, %(reason)s; only pages "
                    "on the public internet can be fetched."
                )
            raise FetchError(
                "forbidden_address",
                message % {"host": target.host, "address": shown, "reason": reason},
            )
    return addresses


def _address_refusal(address: _IPAddress, allow_private: bool) -> tuple[str, str] | None:
    """Return why ``address`` may not be fetched from and how to show it, or ``None``."""
    if isinstance(address, ipaddress.IPv6Address) and not (
        address.is_unspecified or address.is_loopback
    ):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            ipv4, also_check_ipv6 = embedded
            refusal = _address_refusal(ipv4, allow_private)
            if refusal is not None:
                return refusal[0], f"{address.compressed} ({ipv4})"
            if not also_check_ipv6:
                return None
    shown = address.compressed
    if address.is_unspecified:
        return _("an unspecified address"), shown
    if address.is_multicast or address == _BROADCAST:
        return _("a multicast or broadcast address"), shown
    if address in _METADATA_ADDRESSES or address == ipaddress.ip_address("169.254.169.254"):
        return _("the address of a cloud metadata service"), shown
    if address.is_link_local:
        return _("a link-local address (such as cloud metadata services use)"), shown
    if allow_private:
        return None
    if address.is_loopback:
        return _("a loopback address (this server itself)"), shown
    if any(address in network for network in _RFC1918_AND_ULA):
        return _("an address in a private network"), shown
    if address in _SHARED:
        return _("a shared address behind a carrier's network address translation"), shown
    if address.is_reserved or address.is_private or not address.is_global:
        return _("an address reserved for special purposes"), shown
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, bool] | None:
    """Return the IPv4 address inside an IPv6 one, and whether the IPv6 one counts too.

    IPv4-mapped, -compatible and -translated addresses are the IPv4 address (a socket sends
    to it); 6to4, Teredo (its client) and NAT64 reach it through a gateway, so both count.
    """
    low32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped, False
    if address in _IPV4_TRANSLATED or address in _IPV4_COMPATIBLE:
        return low32, False
    if address.sixtofour is not None:
        return address.sixtofour, True
    if address.teredo is not None:
        return address.teredo[1], True
    if any(address in network for network in _NAT64):
        return low32, True
    return None


def _redirect_target(current: _Target, location: str | None) -> _Target:
    """Return the checked target of a redirect (relative addresses resolved)."""
    if not location or not location.strip():
        raise FetchError(
            "bad_redirect", _("The page redirected without saying where to; it was not loaded.")
        )
    absolute = urljoin(current.url, location.strip())
    try:
        return _parse_url(absolute)
    except FetchError as error:
        raise _after_redirect(error, absolute) from None


def _after_redirect(error: FetchError, url: str) -> FetchError:
    """The same refusal, saying that it concerns the target of a redirect."""
    return FetchError(
        error.code,
        _("The page redirected to %(url)s. %(reason)s")
        % {"url": _shorten(url), "reason": error.message},
    )


# --- The connection ----------------------------------------------------------------------


def _connection_pool(
    target: _Target, address: _IPAddress, timeout: urllib3.Timeout
) -> urllib3.HTTPConnectionPool:
    """A single-connection pool that connects to ``address`` and nothing else.

    The pool's host is the IP address, so urllib3 has no name to look up; the request carries
    the site's ``Host`` header, and for https the site's name is used for SNI and checked
    against the certificate (verified with the system's trust store).
    """
    common = {"port": target.port, "timeout": timeout, "maxsize": 1, "retries": False}
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            str(address),
            cert_reqs="CERT_REQUIRED",
            server_hostname=target.host,
            assert_hostname=target.host,
            **common,
        )
    return urllib3.HTTPConnectionPool(str(address), **common)


def _open(
    target: _Target,
    addresses: list[_IPAddress],
    config: _Config,
    deadline: float,
    headers: dict[str, str] | None = None,
    *,
    method: str = "GET",
    body: bytes | None = None,
) -> tuple[urllib3.HTTPConnectionPool, urllib3.BaseHTTPResponse]:
    """Send the request to the first checked address that accepts a connection, the body
    left unread. ``headers`` add to (or replace) a page request's: a conditional
    request's validators, the link probe's ``Accept``."""
    headers = {
        "Host": target.host_header,
        "User-Agent": config.user_agent,
        "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8",
        "Accept-Encoding": "gzip, deflate",
        "Connection": "close",
        **(headers or {}),
    }
    last_error: Exception | None = None
    for address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        seconds = min(config.timeout, remaining)
        pool = _connection_pool(target, address, urllib3.Timeout(connect=seconds, read=seconds))
        try:
            response = pool.urlopen(
                method,
                target.request_target,
                body=body,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=False,
            )
        except (NewConnectionError, ConnectTimeoutError) as error:
            pool.close()
            last_error = error  # try the next checked address, if any
            continue
        except (HTTPError, OSError) as error:
            pool.close()
            raise _connection_error(error, target, config) from error
        return pool, response
    raise _connection_error(last_error, target, config)


def _read_body(
    response: urllib3.BaseHTTPResponse, target: _Target, config: _Config, deadline: float
) -> bytes:
    """Read the body, decompressed, refusing as soon as it grows past the size limit.

    urllib3 decompresses gzip and deflate with its output bounded by the amount asked for,
    so a compression bomb costs at most the cap in memory and the time to produce it.
    """
    limit = config.max_bytes
    declared = (response.headers.get("Content-Length") or "").strip()
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit, size=int(declared))
    coding = (response.headers.get("Content-Encoding") or "").strip().lower()
    if coding not in _CONTENT_CODINGS:
        raise FetchError(
            "unsupported_encoding",
            _("The site sent the page in an encoding the desk cannot read (%(coding)s).")
            % {"coding": _shorten(coding, 40)},
        )
    parts: list[bytes] = []
    size = 0
    try:
        # read1: one receive at a time (whatever has arrived), so the deadline is checked
        # even while a server trickles its bytes; stream() would wait for a whole chunk.
        while chunk := response.read1(_CHUNK_BYTES, decode_content=True):
            if response.tell() > limit:  # bytes received, before decompression
                raise _too_large(limit)
            size += len(chunk)
            if size > limit:
                raise _too_large(limit, unpacked=coding not in ("", "identity"))
            parts.append(chunk)
            if time.monotonic() > deadline:
                raise _too_slow(target, config)
    except DecodeError:
        raise FetchError(
            "unsupported_encoding",
            _("The page's compressed data is damaged, so it could not be read."),
        ) from None
    except (HTTPError, OSError) as error:
        raise _connection_error(error, target, config) from error
    return b"".join(parts)


# --- Content -----------------------------------------------------------------------------


def _media_type(content_type: str) -> str:
    """Return the media type of a ``Content-Type`` value, refusing those not allowed."""
    media_type = content_type.split(";")[0].strip().lower()
    if media_type and media_type not in ALLOWED_CONTENT_TYPES:
        raise FetchError(
            "unsupported_type",
            _(
                "The address leads to content of type %(type)s, not a web page; only HTML "
                "pages and plain text can be imported."
            )
            % {"type": _shorten(media_type, 80)},
        )
    return media_type


# --- Messages ----------------------------------------------------------------------------


def _conditions(etag: str, last_modified: str) -> dict[str, str]:
    """The headers of a conditional request; values with control characters (a damaged
    stored validator) are left out rather than sent."""
    headers = {}
    if etag and not _CONTROL.search(etag):
        headers["If-None-Match"] = etag
    if last_modified and not _CONTROL.search(last_modified):
        headers["If-Modified-Since"] = last_modified
    return headers


def _validator(value: str | None, limit: int) -> str:
    """A validator header worth keeping: present, short enough to store and send back."""
    value = (value or "").strip()
    return value if value and len(value) <= limit and not _CONTROL.search(value) else ""


def _shorten(text: str, limit: int = 200) -> str:
    """Return ``text`` cut to ``limit`` characters for a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _invalid_url(shown: str) -> FetchError:
    return FetchError("invalid_url", _("“%(url)s” is not a valid web address.") % {"url": shown})


def _http_error(status: int) -> FetchError:
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    return FetchError(
        "http_error",
        _("The site answered with HTTP status %(status)s (%(phrase)s); the page was not loaded.")
        % {"status": status, "phrase": phrase or _("unknown status")},
    )


def _too_large(limit: int, *, size: int | None = None, unpacked: bool = False) -> FetchError:
    if size is not None:
        message = _("The page is too large: %(size)s, but at most %(limit)s can be loaded.") % {
            "size": human_bytes(size),
            "limit": human_bytes(limit),
        }
    elif unpacked:
        message = _(
            "The page is larger than %(limit)s once unpacked, so loading it was stopped."
        ) % {"limit": human_bytes(limit)}
    else:
        message = _("The page is larger than %(limit)s, so loading it was stopped.") % {
            "limit": human_bytes(limit)
        }
    return FetchError("too_large", message)


def _too_slow(target: _Target, config: _Config) -> FetchError:
    return FetchError(
        "timeout",
        _("The site %(host)s took longer than %(seconds)s seconds to send the page.")
        % {"host": target.host, "seconds": _seconds(config.timeout * TOTAL_TIME_FACTOR)},
    )


def _connection_error(error: Exception | None, target: _Target, config: _Config) -> FetchError:
    host = target.host
    if isinstance(error, SSLError):
        return FetchError(
            "tls_error",
            _("The secure connection to %(host)s failed: its certificate could not be verified.")
            % {"host": host},
        )
    if error is None or (
        isinstance(error, ConnectTimeoutError | ReadTimeoutError | TimeoutError)
        and not isinstance(error, NewConnectionError)
    ):
        return FetchError(
            "timeout",
            _("The site %(host)s did not answer within %(seconds)s seconds.")
            % {"host": host, "seconds": _seconds(config.timeout)},
        )
    if isinstance(error, NewConnectionError):
        return FetchError(
            "connection_failed",
            _("The site %(host)s could not be reached; it may be down or refuse connections.")
            % {"host": host},
        )
    logger.info("URL import: connection to %s failed: %r", host, error)
    return FetchError(
        "connection_failed",
        _("The connection to %(host)s broke off before the page was loaded.") % {"host": host},
    )


def _seconds(value: float) -> str:
    return f"{value:g}"


# --- Link checks -------------------------------------------------------------------------
# probe(url) -> ProbeResult: whether a source's address still answers (the link check of
# claims.tasks.links). Added after the rest so the article fetch above stays as it is: a
# source's address is checked under the same guard (parsing, one checked lookup, redirects
# re-checked, time limits), but only its status is wanted, so no body is read and no type
# is required.

#: Statuses with which a site refuses HEAD though the page is there: ask again with GET.
HEAD_REFUSED = frozenset({403, 405, 501})


@dataclass(frozen=True)
class ProbeResult:
    """What checking a source's address found.

    ``ok`` when the final answer was 2xx. Otherwise ``code`` is a
    :class:`~claims.importing.errors.FetchError` code (``http_error`` with ``status``,
    ``dns_failed``, ``timeout``, ``connection_failed``, ``forbidden_address``, ``tls_error``,
    ``too_many_redirects``, ``bad_redirect``, ``invalid_url`` …), kept rather than the
    sentence so the desk can word it in each viewer's language. ``final_url`` is where the
    redirects led.
    """

    ok: bool
    code: str = ""
    status: int | None = None
    final_url: str = ""


def probe(url: str) -> ProbeResult:
    """Check that ``url`` still answers: HEAD, then GET when the site refuses HEAD
    (:data:`HEAD_REFUSED`), following redirects under the rules of :func:`fetch`. The GET's
    body is not read: the connection is closed after the status line and headers.
    Never raises for what the site does; every refusal becomes a :class:`ProbeResult`."""
    config = _Config.from_settings()
    deadline = time.monotonic() + config.timeout * TOTAL_TIME_FACTOR
    try:
        target = _parse_url(url)
    except FetchError as error:
        return ProbeResult(ok=False, code=error.code)
    method = "HEAD"
    hop = 0
    while True:
        try:
            addresses = _resolve(target, config.allow_private)
            pool, response = _open(
                target, addresses, config, deadline, {"Accept": "*/*"}, method=method
            )
        except FetchError as error:
            return ProbeResult(ok=False, code=error.code, final_url=target.url)
        try:
            status = response.status
            location = response.headers.get("Location")
        finally:
            response.close()
            pool.close()
        if status in _REDIRECT_STATUSES:
            if hop == MAX_REDIRECTS:
                return ProbeResult(ok=False, code="too_many_redirects", final_url=target.url)
            try:
                target = _redirect_target(target, location)
            except FetchError as error:
                return ProbeResult(ok=False, code=error.code, final_url=target.url)
            hop += 1
            continue
        if method == "HEAD" and status in HEAD_REFUSED:
            method = "GET"  # the same address again, asked the ordinary way
            continue
        if 200 <= status < 300:
            return ProbeResult(ok=True, status=status, final_url=target.url)
        return ProbeResult(ok=False, code="http_error", status=status, final_url=target.url)


# --- Webhook deliveries ------------------------------------------------------------------
# check_address(url) at registration and post(url, body, headers) at each delivery: a
# webhook's address is an editor's input like an import's, so it passes the same guard
# (parsing, one checked lookup per request, the connection to the checked address only:
# a name that resolves to a private address by the time of delivery is refused then).
# Redirects are not followed: a receiver answers where it was registered.

#: Bytes of a webhook receiver's answer read at most (the log keeps 2,000 characters).
POST_READ_BYTES = 16 * 1024


@dataclass(frozen=True)
class PostResult:
    """A receiver's answer: its status and the start of its body, as text."""

    status: int
    text: str


def check_address(url: str) -> None:
    """Refuse ``url`` as :func:`fetch` would, without connecting: its form, and every
    address its host has now (raises :class:`~claims.importing.errors.FetchError`)."""
    _resolve(_parse_url(url), bool(settings.FACTCHECK_FETCH_ALLOW_PRIVATE))


def post(url: str, body: bytes, headers: dict[str, str]) -> PostResult:
    """POST ``body`` to ``url`` under this module's guard and time limits; the answer's
    first :data:`POST_READ_BYTES`. Raises :class:`~claims.importing.errors.FetchError` for
    a refused address or a failed connection (not for an HTTP error status)."""
    config = _Config.from_settings()
    deadline = time.monotonic() + config.timeout * TOTAL_TIME_FACTOR
    target = _parse_url(url)
    addresses = _resolve(target, config.allow_private)
    request_headers = {
        "Accept": "*/*",
        "Accept-Encoding": "identity",
        "Content-Length": str(len(body)),
        **headers,
    }
    pool, response = _open(
        target, addresses, config, deadline, request_headers, method="POST", body=body
    )
    parts: list[bytes] = []
    size = 0
    try:
        # One receive at a time until the excerpt is full, the answer ends, or the time
        # is up: a receiver that trickles its answer cannot hold a worker (the status is
        # known already; the excerpt is only for the delivery log).
        while size < POST_READ_BYTES and time.monotonic() < deadline:
            chunk = response.read1(POST_READ_BYTES - size, decode_content=False)
            if not chunk:
                break
            parts.append(chunk)
            size += len(chunk)
        data = b"".join(parts)
    except (HTTPError, OSError) as error:
        raise _connection_error(error, target, config) from error
    finally:
        response.close()
        pool.close()
    return PostResult(status=response.status, text=data.decode("utf-8", errors="replace"))
