"""A real local HTTP server whose pages a test sets and changes: the publisher's site for
URL imports and the article watch, the sources for the dead-link check, the web archive.

    with PageServer() as site:
        site.page("/article", "<html>…</html>", headers={"ETag": '"v1"'})
        url = site.url("/article")
        …
        site.requests  # every request: method, path, headers

A page may be a status with no body (``site.page("/gone", status=404)``), or a callable
``(request) -> Reply`` for answers that depend on the request (conditional requests, a
Save Page Now endpoint). Fetching it needs ``FACTCHECK_FETCH_ALLOW_PRIVATE`` (the
``allow_private`` fixture of the fetch tests does that in tests only).
"""

import http.server
import threading
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class _Handler(http.server.BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            method=self.command,
            path=self.path,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        site = self.server.site
        with site.lock:
            site.requests.append(request)
            route = site.routes.get(self.path.split("?")[0])
        if route is None:
            reply = Reply(status=404, body="not found", content_type="text/plain")
        elif callable(route):
            reply = route(request)
        else:
            reply = route
        body = reply.body.encode() if isinstance(reply.body, str) else reply.body
        self.send_response(reply.status)
        headers = {"Content-Type": reply.content_type, **reply.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = _answer


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    site: "PageServer"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up is not the test's business


class PageServer:
    def __init__(self) -> None:
        self.routes: dict[str, Reply | Callable[[Request], Reply]] = {}
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.site = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "PageServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str = "/") -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def page(
        self,
        path: str,
        body: bytes | str | Callable[[Request], Reply] = b"",
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        content_type: str = "text/html; charset=utf-8",
    ) -> None:
        """Serve ``body`` (or what the callable answers) at ``path`` from now on."""
        route = body if callable(body) else Reply(status, body, headers or {}, content_type)
        with self.lock:
            self.routes[path] = route

    def requests_to(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path.split("?")[0] == path]
