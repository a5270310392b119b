"""Asking a web archive for a copy of a source, in the Internet Archive's Save Page Now
format (docs/tasks.md, "Source checks and archived copies").

The endpoint is ``FACTCHECK_ARCHIVE_ENDPOINT`` (``https://web.archive.org/save``):

- :func:`save_page` POSTs ``url=<address>`` with ``Accept: application/json`` (and
  ``Authorization: LOW key:secret`` when ``FACTCHECK_ARCHIVE_ACCESS_KEY``/``_SECRET`` are
  set). SPN2 answers JSON with a ``job_id`` to poll; SPN1 (and simple archives) answer
  with the copy's address at once, as a redirect or a ``Content-Location`` header.
- :func:`save_status` GETs ``<endpoint>/status/<job_id>``: ``{"status": "pending"}``, or
  ``{"status": "success", "timestamp": …, "original_url": …}`` → the copy is
  ``<origin of the endpoint>/web/<timestamp>/<original_url>``, or ``{"status": "error",
  "message": …}``.

The endpoint is configured by the operator, a trusted service: it is not put through the
SSRF guard of :mod:`claims.importing.fetch` (which would refuse a local test archive or an
archive inside the newsroom's network). The request still has connect and read timeouts
(``FACTCHECK_FETCH_TIMEOUT``), no retries, no redirects followed, no proxy from the
environment, and at most :data:`MAX_ANSWER_BYTES` of the answer are read. The source's own
address is only sent as a form value; this module never fetches it. Knows no model:
answers are :class:`ArchiveAnswer` values with codes, worded by
``claims.models.links.SourceCheck.archive_problem``.
"""

import json
import logging
import re
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

import urllib3
from django.conf import settings
from urllib3.exceptions import HTTPError, NewConnectionError, TimeoutError

logger = logging.getLogger(__name__)

MAX_ANSWER_BYTES = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_TIMESTAMP = re.compile(r"^[0-9]{4,14}$")


@dataclass(frozen=True)
class ArchiveAnswer:
    """``state`` is "done" (``archive_url`` is the copy), "pending" (poll ``job_id``) or
    "failed" (``error``: not_configured, connection, timeout, http_error, busy, refused,
    bad_answer; ``detail``: the archive's own message or the HTTP status)."""

    state: str
    archive_url: str = ""
    job_id: str = ""
    error: str = ""
    detail: str = ""


def save_page(url: str) -> ArchiveAnswer:
    """Ask the archive to save ``url``."""
    endpoint = settings.FACTCHECK_ARCHIVE_ENDPOINT
    if not endpoint:
        return ArchiveAnswer("failed", error="not_configured")
    status, headers, body = _request("POST", endpoint, fields={"url": url})
    if status is None:
        return body
    if status in _REDIRECTS and headers.get("Location"):
        return _done(urljoin(endpoint, headers["Location"]))
    data = _json(body)
    if 200 <= status < 300:
        if headers.get("Content-Location"):
            return _done(urljoin(endpoint, headers["Content-Location"]))
        if isinstance(data, dict) and data.get("job_id"):
            return ArchiveAnswer("pending", job_id=str(data["job_id"])[:200])
        if isinstance(data, dict) and (data.get("status") == "error" or data.get("message")):
            return _refused(data)
        return ArchiveAnswer("failed", error="bad_answer")
    return _http_failure(status, data)


def save_status(job_id: str) -> ArchiveAnswer:
    """Where the archive's job ``job_id`` stands."""
    endpoint = (settings.FACTCHECK_ARCHIVE_ENDPOINT or "").rstrip("/")
    if not endpoint:
        return ArchiveAnswer("failed", error="not_configured")
    status, _headers, body = _request("GET", f"{endpoint}/status/{quote(job_id, safe='')}")
    if status is None:
        return body
    data = _json(body)
    if not 200 <= status < 300:
        return _http_failure(status, data)
    if not isinstance(data, dict):
        return ArchiveAnswer("failed", error="bad_answer")
    if data.get("status") == "pending":
        return ArchiveAnswer("pending", job_id=job_id)
    if data.get("status") == "success":
        timestamp, original = str(data.get("timestamp", "")), str(data.get("original_url", ""))
        if not _TIMESTAMP.match(timestamp) or not _is_web_url(original):
            return ArchiveAnswer("failed", error="bad_answer")
        return _done(f"{archive_prefix()}{timestamp}/{original}")
    return _refused(data)


def archive_prefix() -> str:
    """Where the archive's copies live: ``/web/`` at the origin of the endpoint
    (``https://web.archive.org/web/``; a local test archive's own origin in tests)."""
    parts = urlsplit(settings.FACTCHECK_ARCHIVE_ENDPOINT)
    return f"{parts.scheme}://{parts.netloc}/web/"


def _request(method: str, url: str, fields: dict | None = None):
    """(status, headers, body), or (None, None, a failed ArchiveAnswer)."""
    timeout = float(settings.FACTCHECK_FETCH_TIMEOUT)
    headers = {"Accept": "application/json", "User-Agent": settings.FACTCHECK_FETCH_USER_AGENT}
    key, secret = settings.FACTCHECK_ARCHIVE_ACCESS_KEY, settings.FACTCHECK_ARCHIVE_ACCESS_SECRET
    if key and secret:
        headers["Authorization"] = f"LOW {key}:{secret}"
    pool = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=timeout, read=timeout), retries=False
    )
    try:
        if fields is not None:
            response = pool.request(
                method,
                url,
                fields=fields,
                encode_multipart=False,
                headers=headers,
                redirect=False,
                preload_content=False,
            )
        else:
            response = pool.request(
                method, url, headers=headers, redirect=False, preload_content=False
            )
        try:
            body = response.read(MAX_ANSWER_BYTES)
        finally:
            response.release_conn()
    except TimeoutError as error:
        if isinstance(error, NewConnectionError):  # urllib3 counts refusals as timeouts
            return None, None, ArchiveAnswer("failed", error="connection")
        return None, None, ArchiveAnswer("failed", error="timeout")
    except (HTTPError, OSError, ValueError) as error:
        logger.info("Web archive %s unreachable: %r", url, error)
        return None, None, ArchiveAnswer("failed", error="connection")
    finally:
        pool.clear()
    return response.status, response.headers, body


def _json(body: bytes):
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _done(url: str) -> ArchiveAnswer:
    if not _is_web_url(url) or len(url) > 2000:
        return ArchiveAnswer("failed", error="bad_answer")
    return ArchiveAnswer("done", archive_url=url)


def _refused(data) -> ArchiveAnswer:
    detail = ""
    if isinstance(data, dict):
        detail = str(data.get("message") or data.get("status_ext") or "")
    return ArchiveAnswer("failed", error="refused", detail=detail[:300])


def _http_failure(status: int, data) -> ArchiveAnswer:
    if status == 429:
        return ArchiveAnswer("failed", error="busy", detail="HTTP 429")
    message = str(data.get("message", "")) if isinstance(data, dict) else ""
    return ArchiveAnswer("failed", error="http_error", detail=(message or f"HTTP {status}")[:300])


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and url.isprintable()
