"""The review queue's HTTP framing under hostile or broken requests, and what the page is sent.

Raw sockets, because a well-behaved client (urllib) cannot send what these tests
need: a nested body, a bad Content-Length, a chunked body followed by a second
request on the same connection, a request that never finishes.
"""

from __future__ import annotations

import json
import logging
import shutil
import socket
import subprocess
import threading
import time

import pytest
from typer.testing import CliRunner

from clauseclf.review import page
from clauseclf.review.records import read_predictions
from clauseclf.review.server import MAX_BODY, ReviewServer, queue_items
from clauseclf.review.store import ReviewStore
from conftest import REPO_ROOT

PREDICTIONS = REPO_ROOT / "tests" / "fixtures" / "review" / "predictions.jsonl"
HOSTILE_KEY = "in-itact-2000::in-itact-2000-s66e"


def start(tmp_path, records, **options) -> ReviewServer:
    store = ReviewStore(tmp_path / "review.sqlite")
    store.load(records)
    server = ReviewServer(store, options.pop("host", "127.0.0.1"), 0, reviewer="ana", **options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def server(tmp_path):
    server = start(tmp_path, read_predictions(PREDICTIONS))
    yield server
    server.shutdown()
    server.server_close()
    server.store.close()


def connect(server: ReviewServer) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=10)
    return sock


def read_response(sock: socket.socket) -> tuple[int, dict, bytes]:
    """One HTTP/1.1 response (status, headers, body) read off the socket, by its Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"connection closed after {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    length = int(headers.get("content-length", 0))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed inside a body")
        body += chunk
    return status, headers, body[:length]


def raw_post(server: ReviewServer, body: bytes, **headers) -> bytes:
    fields = {"Host": f"127.0.0.1:{server.server_address[1]}", "Content-Type": "application/json", **headers}
    head = "".join(f"{name.replace('_', '-')}: {value}\r\n" for name, value in fields.items())
    return f"POST /api/verdicts HTTP/1.1\r\n{head}\r\n".encode() + body


def get_queue(server: ReviewServer, sock: socket.socket | None = None) -> tuple[int, dict]:
    own = sock is None
    sock = sock or connect(server)
    try:
        sock.sendall(f"GET /api/queue HTTP/1.1\r\nHost: 127.0.0.1:{server.server_address[1]}\r\n\r\n".encode())
        status, _, body = read_response(sock)
        return status, json.loads(body)
    finally:
        if own:
            sock.close()


def test_deeply_nested_json_is_a_400_and_the_server_lives_on(server):
    with connect(server) as sock:
        body = b"[" * 100_000 + b"]" * 100_000
        sock.sendall(raw_post(server, body, Content_Length=len(body)))
        status, _, answer = read_response(sock)
        assert status == 400 and "nested" in json.loads(answer)["error"]
    nested = {"key": HOSTILE_KEY, "labels": [], "reviewer": "ana", "comment": "", "x": json.loads("[" * 40 + "]" * 40)}
    with connect(server) as sock:
        sock.sendall(raw_post(server, json.dumps(nested).encode(), Content_Length=len(json.dumps(nested))))
        assert read_response(sock)[0] == 400
    assert get_queue(server)[0] == 200 and server.store.verdict_count() == 0


@pytest.mark.parametrize("length", ["abc", "-5", "1e3", " 12x"])
def test_a_bad_content_length_is_a_400(server, length):
    with connect(server) as sock:
        sock.sendall(raw_post(server, b'{"key": "x"}', Content_Length=length))
        assert read_response(sock)[0] == 400
    assert get_queue(server)[0] == 200


def test_a_body_over_the_limit_is_a_413(server):
    with connect(server) as sock:
        sock.sendall(raw_post(server, b"", Content_Length=MAX_BODY + 1))
        assert read_response(sock)[0] == 413
    assert get_queue(server)[0] == 200


def test_a_chunked_body_is_read_and_the_connection_stays_in_step(server):
    verdict = json.dumps({"key": HOSTILE_KEY, "labels": ["overbroad"], "reviewer": "ana"}).encode()
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (verdict[:10], verdict[10:])) + b"0\r\n\r\n"
    with connect(server) as sock:
        sock.sendall(raw_post(server, chunks, Transfer_Encoding="chunked"))
        status, _, answer = read_response(sock)
        assert status == 201 and json.loads(answer)["labels"] == ["overbroad"]
        status, queue = get_queue(server, sock)  # the same connection: the next request is read as one
        assert status == 200 and len(queue["items"]) == 13
    assert server.store.verdict_count() == 1


def test_a_request_that_never_finishes_is_cut_off(tmp_path):
    server = start(tmp_path, read_predictions(PREDICTIONS), timeout=1)
    try:
        with connect(server) as sock:
            sock.sendall(raw_post(server, b'{"key"', Content_Length=100))
            began = time.monotonic()
            while sock.recv(1024):  # the server answers (408 or nothing), then closes; the socket waits 10 s at most
                pass
            assert time.monotonic() - began < 8
        assert get_queue(server)[0] == 200
    finally:
        server.shutdown()
        server.server_close()
        server.store.close()


def test_binding_beyond_loopback_warns_in_the_log_and_the_page(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        server = start(tmp_path, read_predictions(PREDICTIONS), host="0.0.0.0")
    try:
        assert "beyond this machine" in caplog.text and "127.0.0.1" in caplog.text
        status, queue = get_queue(server)
        assert status == 200 and "beyond this machine" in queue["warning"]
        assert 'id="exposed"' in page.HTML and "data.warning" in page.SCRIPT
    finally:
        server.shutdown()
        server.server_close()
        server.store.close()


def test_loopback_server_sends_no_warning(server):
    assert get_queue(server)[1]["warning"] == ""


def test_serve_command_warns_on_stderr_when_bound_beyond_loopback(tmp_path, monkeypatch):
    from clauseclf.cli.review import review_app

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(ReviewServer, "serve_forever", interrupted)
    result = CliRunner().invoke(review_app, ["serve", str(PREDICTIONS), "--db", str(tmp_path / "r.sqlite"),
                                             "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 0, result.output
    assert "WARNING" in result.stderr and "beyond this machine" in result.stderr
    assert "stopped; 0 verdicts kept" in result.stdout


def test_evidence_offsets_reach_the_page_in_utf16_units(tmp_path):
    text = "🙂🙂 A person who sends a 📧 message that is grossly offensive commits an offence."
    words = "grossly offensive"
    at = text.index(words)  # in code points, as the predictions count
    record = {"doc_id": "emoji", "clause_id": "s1", "text": text, "labels": ["content_offence"],
              "scores": {"content_offence": 0.9}, "evidence": {"content_offence": [
                  {"text": words, "start": at, "end": at + len(words), "why": "w"},
                  {"text": "commits", "start": 0, "end": 7, "why": "stale offsets"}]}}
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    server = start(tmp_path, read_predictions(path))
    try:
        item = get_queue(server)[1]["items"][0]
    finally:
        server.shutdown()
        server.server_close()
        server.store.close()
    units = item["text"].encode("utf-16-le")
    spans = item["evidence"]["content_offence"]
    # JavaScript's String.slice counts UTF-16 code units: these are the offsets app.js slices with
    assert [units[2 * s["start16"]:2 * s["end16"]].decode("utf-16-le") for s in spans] == [words, "commits"]
    assert "start16" in page.SCRIPT


def _js_function(script: str, name: str) -> str:
    start = script.index(f"  function {name}(")
    return script[start:script.index("\n  }\n", start) + 4]


@pytest.mark.skipif(not shutil.which("node"), reason="needs node to run the page's script")
def test_page_marks_the_evidence_after_an_emoji_where_it_is(tmp_path):
    """app.js's highlighted(), run in node over what /api/queue sends: the marks hold the evidence's words."""
    text = "🙂🙂 A person who sends a 📧 message that is grossly offensive commits an offence."
    words = "grossly offensive"
    at = text.index(words)
    record = {"doc_id": "emoji", "clause_id": "s1", "text": text, "labels": ["content_offence"],
              "scores": {"content_offence": 0.9}, "needs_review": False,
              "evidence": {"content_offence": [{"text": words, "start": at, "end": at + len(words), "why": "w"}]}}
    store = ReviewStore(":memory:")
    store.load([record])
    item = queue_items(store)["items"][0]
    program = "\n".join([
        "var PALETTE_SIZE = 8; var state = {labels: ['content_offence']};",
        "var document = {createDocumentFragment: function () { return {kids: [], appendChild: function (n) {"
        " this.kids.push(n); }}; }, createTextNode: function (t) { return {text: t}; },"
        " createElement: function (tag) { return {tag: tag, dataset: {}, set textContent(v) { this.text = v; }}; }};",
        _js_function(page.SCRIPT, "el"), _js_function(page.SCRIPT, "colourOf"), _js_function(page.SCRIPT, "highlighted"),
        f"var item = {json.dumps(item)};",
        "var out = highlighted(item.text, item.evidence, item.labels);",
        "console.log(JSON.stringify(out.kids.filter(function (k) { return k.tag === 'mark'; })"
        ".map(function (k) { return k.text; })));",
    ])
    script = tmp_path / "highlight.js"
    script.write_text(program, encoding="utf-8")
    run = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [words]
