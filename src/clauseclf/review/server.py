"""The review queue over HTTP: a WSGI app served by waitress, bound to 127.0.0.1 unless told otherwise.

Routes: `GET /` (page), `/app.js`, `/app.css`, `GET /api/queue` (clauses in queue
order with their latest verdicts), `POST /api/verdicts` (one verdict, committed
before the answer). The page is for one person on their own machine, so the
server refuses what a browser would only send from elsewhere: a request for
another host name (DNS rebinding), a POST from another origin, or a POST that
is not JSON (a cross-site form). Bound to any address beyond loopback it says so,
loudly: in the log (the command prints it) and at the top of the page.

HTTP framing (request lines, headers, Content-Length, chunked bodies, keep-alive,
timeouts) is waitress's, a production WSGI server, never parsed here: a bad
length is its 400, an oversized body its 413 (max_request_body_size), a request
that stalls is closed after `timeout` seconds (channel_timeout). The app bounds
what it parses itself: a body nested deeper than MAX_DEPTH is a 400 before
json.loads sees it.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import socket
import threading
from http import HTTPStatus

import waitress
from waitress import wasyncore

from clauseclf.assess.links import ask_titles, asks_engaged
from clauseclf.review import page
from clauseclf.review.records import label_names, read_in_part, review_order, severity
from clauseclf.review.report import locate_span
from clauseclf.review.store import ReviewStore

logger = logging.getLogger(__name__)

MAX_BODY = 1 << 20  # a verdict is a few hundred bytes; refuse anything near a megabyte
# A verdict is an object holding a list: depth 2. Deeper is not a verdict, and deep enough would exhaust
# the parser's recursion (json.loads raises RecursionError near 1,000 levels).
MAX_DEPTH = 8
# Seconds a connection may sit idle or halfway through a request before it is closed.
REQUEST_TIMEOUT = 30
THREADS = 4  # the store serialises writes; a few threads keep the page responsive while one commits
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
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def is_loopback(host: str) -> bool:
    """Whether an address to bind to keeps the server on this machine.

    >>> [is_loopback(h) for h in ("127.0.0.1", "::1", "localhost", "0.0.0.0", "192.168.1.5", "::")]
    [True, True, True, False, False, False]
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, port: int) -> str:
    """'' on loopback; otherwise what binding to `host` exposes, and how to avoid it."""
    if is_loopback(host):
        return ""
    return (f"the review queue listens on {host}:{port}, beyond this machine: anyone who can reach that port can "
            f"read every clause and record verdicts under any name, and the DNS-rebinding guard is off; "
            f"serve with --host 127.0.0.1 unless this is what you want")


def json_depth(text: str, limit: int = MAX_DEPTH) -> int:
    """How deep arrays and objects nest in a JSON text, counted up to `limit` + 1 (brackets in strings skipped).

    >>> json_depth('{"a": [1, {"b": "[[["}]}'), json_depth("[" * 10_000, limit=8)
    (3, 9)
    """
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
        if deepest > limit:
            break
    return deepest


def queue_items(store: ReviewStore) -> dict:
    """The page's data: labels, and every clause in queue order with the asks of the standard it engages
    (assess/links.py) and its latest verdict (or null).

    Each evidence span carries `start16`/`end16`: where its text is in UTF-16 code
    units, the units JavaScript's strings count (an emoji is one code point but two
    units), found again by its text if the offsets went stale.
    """
    clauses = store.clauses()
    verdicts = store.latest_verdicts()
    items = [{**clause, "evidence": _page_evidence(clause), "risk": round(severity(clause), 4),
              "asks": ask_titles(asks_engaged(clause)), "read_in_part": read_in_part(clause),
              "verdict": verdicts.get(clause["key"])}
             for clause in review_order(clauses)]
    return {"labels": label_names(clauses) if clauses else [], "items": items}


def _page_evidence(clause: dict) -> dict:
    text, evidence = clause["text"], clause.get("evidence") or {}
    out = {}
    for label, spans in evidence.items():
        out[label] = []
        for span in spans if isinstance(spans, list) else []:
            if not isinstance(span, dict):
                continue
            start, end = locate_span(text, span)
            if start < end:
                out[label].append({**span, "start16": _utf16(text, start), "end16": _utf16(text, end)})
    return out


def _utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


class ReviewServer:
    """The queue's WSGI app on a waitress server; `serve_forever` runs it, `shutdown` stops it from another thread."""

    def __init__(self, store: ReviewStore, host: str = "127.0.0.1", port: int = 8765, reviewer: str = "",
                 timeout: int = REQUEST_TIMEOUT):
        self.store = store
        self.reviewer = reviewer
        self._map: dict = {}  # waitress's socket map, ours so that shutdown can close every socket in it
        self._serving, self._stopped = threading.Event(), threading.Event()
        # One numeric address, so that waitress opens one socket ('localhost' may resolve to 127.0.0.1 and ::1).
        address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][4][0]
        self._server = waitress.create_server(
            ReviewApp(self), map=self._map, host=address, port=port, threads=THREADS, ident="clauseclf-review",
            max_request_body_size=MAX_BODY, max_request_header_size=64 * 1024, channel_timeout=timeout,
            cleanup_interval=max(1, timeout // 2), expose_tracebacks=False, clear_untrusted_proxy_headers=True)
        self.server_address = (address, self._server.effective_port)
        self.warning = exposure_warning(address, self.server_address[1])
        self.allowed_hosts = {*LOCAL_NAMES, *(f"[{h}]" if ":" in h else h for h in (host, address))}
        if self.warning:
            logger.warning(self.warning)

    @property
    def url(self) -> str:
        host, port = self.server_address
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/"

    def serve_forever(self) -> None:
        """Serve until `shutdown` (another thread) or Ctrl+C."""
        self._serving.set()
        try:
            self._server.run()
        finally:
            self._stopped.set()

    def shutdown(self, wait: float = 10.0) -> None:
        """Stop serve_forever from another thread, and wait for it to return.

        The sockets are closed by the serving loop itself (waitress runs a thunk
        passed to its trigger in the loop's thread); closing them from here would
        pull them from under a poll in progress.
        """
        if self._map:
            try:
                self._server.trigger.pull_trigger(lambda: wasyncore.close_all(self._map))
            except OSError:
                pass  # the trigger is closed: the loop has already closed its sockets (and the trigger with them)
        if self._serving.is_set():
            self._stopped.wait(wait)

    def server_close(self) -> None:
        """Release the port and the worker threads (after serve_forever has returned, or instead of it)."""
        wasyncore.close_all(self._map)
        self._server.task_dispatcher.shutdown()


class ReviewApp:
    """The WSGI application: routes, the host and origin checks, and the verdict's validation."""

    def __init__(self, server: ReviewServer):
        self.server = server

    def __call__(self, environ: dict, start_response):
        status, body, content_type = self._answer(environ)
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body))), *SECURITY_HEADERS.items()]
        if status == HTTPStatus.METHOD_NOT_ALLOWED:
            headers.append(("Allow", "GET, HEAD, POST"))
        start_response(f"{status.value} {status.phrase}", headers)
        return [body]

    def _answer(self, environ: dict) -> tuple[HTTPStatus, bytes, str]:
        host = environ.get("HTTP_HOST", "")
        if not self._host_allowed(host):
            return _json(HTTPStatus.FORBIDDEN, {"error": f"host {host!r} refused: open {self.server.url}"})
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")
        if method in ("GET", "HEAD"):
            if path in STATIC:
                content_type, text = STATIC[path]
                return HTTPStatus.OK, text.encode(), content_type
            if path == "/api/queue":
                return _json(HTTPStatus.OK, {**queue_items(self.server.store), "reviewer": self.server.reviewer,
                                             "warning": self.server.warning})
            return _json(HTTPStatus.NOT_FOUND, {"error": f"no such page: {path}"})
        if method != "POST":
            return _json(HTTPStatus.METHOD_NOT_ALLOWED, {"error": f"{method} is not served here"})
        if path != "/api/verdicts":
            return _json(HTTPStatus.NOT_FOUND, {"error": f"no such endpoint: {path}"})
        problem, status, verdict = self._verdict_from_request(environ)
        return _json(status, {"error": problem} if problem else verdict)

    def _host_allowed(self, host: str) -> bool:
        """Refuse a Host header naming another machine when we listen on loopback (DNS rebinding)."""
        if self.server.warning:
            return True
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name in self.server.allowed_hosts

    def _verdict_from_request(self, environ: dict) -> tuple[str, HTTPStatus, dict]:
        # waitress has checked the length and read the whole body (a chunked one decoded) before calling us.
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > MAX_BODY:
            return "request too large", HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {}
        raw = environ["wsgi.input"].read(length)
        origin = environ.get("HTTP_ORIGIN")
        if origin and origin.rstrip("/") != f"http://{environ.get('HTTP_HOST', '')}":
            return f"cross-origin request from {origin} refused", HTTPStatus.FORBIDDEN, {}
        if environ.get("CONTENT_TYPE", "").split(";")[0].strip() != "application/json":
            return "send the verdict as application/json", HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {}
        try:
            text = raw.decode("utf-8") if raw else "{}"
        except UnicodeDecodeError:
            return "the body is not valid JSON", HTTPStatus.BAD_REQUEST, {}
        if json_depth(text) > MAX_DEPTH:
            return f"the body is nested deeper than {MAX_DEPTH} levels", HTTPStatus.BAD_REQUEST, {}
        try:
            body = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
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


def _json(status: HTTPStatus, value: object) -> tuple[HTTPStatus, bytes, str]:
    return status, json.dumps(value, ensure_ascii=False).encode(), "application/json; charset=utf-8"
