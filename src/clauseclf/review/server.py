"""The review queue over HTTP: stdlib ThreadingHTTPServer, bound to 127.0.0.1 unless told otherwise.

Routes: `GET /` (page), `/app.js`, `/app.css`, `GET /api/queue` (clauses in queue
order with their latest verdicts), `POST /api/verdicts` (one verdict, committed
before the answer). The page is for one person on their own machine, so the
server refuses what a browser would only send from elsewhere: a request for
another host name (DNS rebinding), a POST from another origin, or a POST that
is not JSON (a cross-site form).
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from clauseclf.review import page
from clauseclf.review.records import label_names, review_order, severity
from clauseclf.review.store import ReviewStore

logger = logging.getLogger(__name__)

MAX_BODY = 1 << 20  # a verdict is a few hundred bytes; refuse anything near a megabyte
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
STATIC = {
    "/": ("text/html; charset=utf-8", page.HTML),
    "/app.js": ("text/javascript; charset=utf-8", page.SCRIPT),
    "/app.css": ("text/css; charset=utf-8", page.CSS),
}
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, store: ReviewStore, host: str = "127.0.0.1", port: int = 8765, reviewer: str = ""):
        self.store = store
        self.reviewer = reviewer
        super().__init__((host, port), ReviewHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"


def queue_items(store: ReviewStore) -> dict:
    """The page's data: labels, and every clause in queue order with its latest verdict (or null)."""
    clauses = store.clauses()
    verdicts = store.latest_verdicts()
    items = [{**clause, "risk": round(severity(clause), 4), "verdict": verdicts.get(clause["key"])}
             for clause in review_order(clauses)]
    return {"labels": label_names(clauses) if clauses else [], "items": items}


class ReviewHandler(BaseHTTPRequestHandler):
    server: ReviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the stdlib's name)
        logger.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if not self._host_allowed():
            return
        path = self.path.split("?", 1)[0]
        if path in STATIC:
            content_type, body = STATIC[path]
            self._send(HTTPStatus.OK, body.encode(), content_type)
        elif path == "/api/queue":
            self._json(HTTPStatus.OK, {**queue_items(self.server.store), "reviewer": self.server.reviewer})
        else:
            self._json(HTTPStatus.NOT_FOUND, {"error": f"no such page: {path}"})

    def do_POST(self) -> None:  # noqa: N802
        if not self._host_allowed():
            self.close_connection = True
            return
        if self.path != "/api/verdicts":
            self._json(HTTPStatus.NOT_FOUND, {"error": f"no such endpoint: {self.path}"})
            return
        problem, status, verdict = self._verdict_from_request()
        if problem:
            self._json(status, {"error": problem})
            return
        self._json(HTTPStatus.CREATED, verdict)

    def _verdict_from_request(self) -> tuple[str, HTTPStatus, dict]:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True  # the unread body must not be taken for the next request
            return "request too large", HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {}
        raw = self.rfile.read(length)
        origin = self.headers.get("Origin")
        if origin and origin.rstrip("/") != f"http://{self.headers.get('Host', '')}":
            return f"cross-origin request from {origin} refused", HTTPStatus.FORBIDDEN, {}
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            return "send the verdict as application/json", HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {}
        try:
            body = json.loads(raw or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError):
            return "the body is not valid JSON", HTTPStatus.BAD_REQUEST, {}
        return self._store_verdict(body)

    def _store_verdict(self, body: object) -> tuple[str, HTTPStatus, dict]:
        if not isinstance(body, dict):
            return "expected a JSON object", HTTPStatus.BAD_REQUEST, {}
        key = body.get("key")
        clause = self.server.store.clause(key) if isinstance(key, str) else None
        if clause is None:
            return f"unknown clause {body.get('key')!r}", HTTPStatus.NOT_FOUND, {}
        labels, known = body.get("labels"), set(clause["scores"])
        if not isinstance(labels, list) or not all(isinstance(x, str) and x in known for x in labels):
            return f"labels must be a list drawn from {sorted(known)}", HTTPStatus.BAD_REQUEST, {}
        reviewer, comment = body.get("reviewer"), body.get("comment", "")
        if not isinstance(reviewer, str) or not reviewer.strip():
            return "a verdict needs the reviewer's name", HTTPStatus.BAD_REQUEST, {}
        if not isinstance(comment, str):
            return "comment must be text", HTTPStatus.BAD_REQUEST, {}
        ordered = [label for label in clause["scores"] if label in labels]
        verdict = self.server.store.add_verdict(clause["key"], ordered, clause["labels"], comment.strip(),
                                                reviewer.strip())
        logger.info("verdict on %s: %s (%s)", clause["key"], verdict["decision"], reviewer.strip())
        return "", HTTPStatus.CREATED, verdict

    def _host_allowed(self) -> bool:
        """Refuse a Host header naming another machine when we listen on loopback (DNS rebinding)."""
        bound = self.server.server_address[0]
        if bound not in ("127.0.0.1", "::1", "localhost"):
            return True
        host = self.headers.get("Host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name in LOCAL_NAMES:
            return True
        self._json(HTTPStatus.FORBIDDEN, {"error": f"host {host!r} refused: open {self.server.url}"})
        return False

    def _json(self, status: HTTPStatus, value: object) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
