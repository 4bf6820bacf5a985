"""The review tools without a browser: reading predictions, the HTML report, the verdict store,
the queue's HTTP API, the review export and the commands."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from clauseclf.corpus import validate
from clauseclf.errors import InputError, OutputExistsError
from clauseclf.cli.review import export_command, import_command, report_command, review_app
from clauseclf.review.records import clause_key, read_predictions, review_order, risk_order, severity
from clauseclf.review.report import build_report, highlight, script_json, write_report
from clauseclf.review.server import ReviewServer, queue_items
from clauseclf.review.store import ReviewStore, export_reviewed, reviewed_records
from clauseclf.schema import LabelSchema
from conftest import REPO_ROOT

PREDICTIONS = REPO_ROOT / "tests" / "fixtures" / "review" / "predictions.jsonl"
HOSTILE_KEY = "in-itact-2000::in-itact-2000-s66e"


@pytest.fixture
def records() -> list[dict]:
    return read_predictions(PREDICTIONS)


@pytest.fixture
def app() -> typer.Typer:
    """The commands registered exactly as cli.py registers them."""
    app = typer.Typer()
    app.command("report")(report_command)
    app.command("export")(export_command)
    app.command("import")(import_command)
    app.add_typer(review_app, name="review")
    return app


# ----------------------------------------------------------------------------- predictions


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reads_the_fixture(records):
    assert len(records) == 13
    assert records[0]["labels"] == ["core_cybercrime"]


@pytest.mark.parametrize("bad, problem", [
    ('{"text": "x", "scores": {"a": 0.1}, "labels": []', "malformed JSON"),
    ('{"scores": {"a": 0.1}, "labels": []}', "'text' is missing"),
    ('{"text": "x", "labels": []}', "'scores'"),
    ('{"text": "x", "scores": {"a": 0.1}, "labels": ["b"]}', "'labels'"),
    ('["text"]', "JSON object"),
])
def test_a_bad_line_names_file_and_line(tmp_path, bad, problem):
    good = '{"text": "A person who ...", "scores": {"a": 0.9}, "labels": ["a"], "clause_id": "1"}'
    path = write_lines(tmp_path / "p.jsonl", [good, bad])
    with pytest.raises(InputError) as caught:
        read_predictions(path)
    assert caught.value.line == 2 and problem in caught.value.problem and str(path) in str(caught.value)


def test_duplicate_clause_is_refused(tmp_path):
    line = '{"text": "x", "scores": {"a": 0.9}, "labels": [], "doc_id": "d", "clause_id": "1"}'
    with pytest.raises(InputError, match="appears twice"):
        read_predictions(write_lines(tmp_path / "p.jsonl", [line, line]))


@pytest.mark.parametrize("doc_id, clause_id", [("a:", "b"), ("a", ":b"), ("bill::2024", "s1"), ("a", 7)])
def test_clause_keys_cannot_collide(tmp_path, doc_id, clause_id):
    # 'a:' + '::' + 'b' and 'a' + '::' + ':b' were both 'a:::b': a verdict on one clause landed on the other.
    line = json.dumps({"text": "x", "scores": {"a": 0.9}, "labels": [], "doc_id": doc_id, "clause_id": clause_id})
    if doc_id == "a" and clause_id == ":b":  # a clause id may hold colons: the key still parses one way
        assert clause_key(read_predictions(write_lines(tmp_path / "p.jsonl", [line]))[0]) == "a:::b"
        return
    with pytest.raises(InputError, match="'doc_id' may not contain '::' or end with ':'|'clause_id' must be text"):
        read_predictions(write_lines(tmp_path / "p.jsonl", [line]))
    with pytest.raises(ValueError):
        clause_key({"doc_id": doc_id, "clause_id": clause_id})


def test_csv_predictions_are_refused_with_a_hint(tmp_path):
    with pytest.raises(InputError, match="JSONL"):
        read_predictions(write_lines(tmp_path / "p.csv", ["text", "x"]))


def test_queue_puts_needs_review_first_then_severity(records):
    queue = review_order(records)
    flags = [r["needs_review"] for r in queue]
    assert flags == sorted(flags, reverse=True)
    ranked = risk_order(records)
    assert [severity(r) for r in ranked] == sorted((severity(r) for r in ranked), reverse=True)
    assert severity(next(r for r in records if not r["labels"])) == 0


# ----------------------------------------------------------------------------- report


class Collector(HTMLParser):
    """Every tag with its attributes, and the text of <script> elements."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def test_report_escapes_clause_text_and_needs_nothing_from_the_network(records):
    page = build_report(records, "Report <b>title</b>")
    collector = Collector()
    collector.feed(page)
    # Exactly our two scripts survive: the bill's <script> stayed text.
    assert len(collector.scripts) == 2
    assert "window.__pwned" not in "".join(collector.scripts)
    assert "&lt;script&gt;window.__pwned = 1" in page
    assert "<title>Report &lt;b&gt;title&lt;/b&gt;</title>" in page
    assert not [attrs for tag, attrs in collector.tags if tag == "img"]
    for tag, attrs in collector.tags:
        for name in ("src", "href", "action", "srcset", "poster"):
            assert name not in attrs, (tag, attrs)
    assert not re.search(r"https?://|//[a-z]", page)  # no URL at all, so nothing to fetch
    csp = next(attrs["content"] for tag, attrs in collector.tags if attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp


def test_report_has_summary_filters_structure_scores_and_marks(records):
    page = build_report(records, "t")
    assert page.count("<article class=\"clause\"") == len(records)
    for label in records[0]["scores"]:
        assert f"value=\"{label}\"" in page          # a filter per label
    assert "<svg class=\"chart\"" in page and "<table>" in page
    assert "Part III › Offences" in page and "s. 14(1)" in page
    assert page.count("<mark ") >= sum(len(s) for r in records for s in r["evidence"].values()) // 2
    first = page.index("<article")
    assert "art. 29(3)(1)(e)" in page[first:first + 2000]  # riskiest first


def test_a_clause_the_model_read_in_part_says_so_in_the_report_and_the_queue(tmp_path, records):
    records[0].update(tokens=310, tokens_read=192)
    records[1].update(tokens=40, tokens_read=40)
    note = "the model read 192 of its 310 word pieces"
    assert build_report(records, "t").count(note) == 1
    store = ReviewStore(tmp_path / "review.sqlite")
    store.load(records)
    items = queue_items(store)["items"]
    store.close()
    assert [item["key"] for item in items if note in item["read_in_part"]] == [clause_key(records[0])]
    assert sum(bool(item["read_in_part"]) for item in items) == 1


def test_script_json_cannot_close_its_element():
    text = script_json({"a": "</script><script>alert(1)</script><!--", "b": "\u2028"})
    assert "<" not in text and ">" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script><!--", "b": "\u2028"}


def test_highlight_marks_overlaps_with_both_labels():
    text = "publishes false news"
    evidence = {"a": [{"start": 0, "end": 15, "why": "x"}], "b": [{"start": 10, "end": 20, "why": "y"}]}
    marked = highlight(text, evidence, {"a": 0, "b": 1})
    assert marked.count("<mark") == 3 and 'title="a: x\nb: y">false</mark>' in marked


def test_highlight_relocates_stale_offsets_and_drops_missing_text():
    evidence = {"a": [{"text": "news", "start": 0, "end": 2, "why": ""}, {"text": "gone", "start": 0, "end": 4}]}
    assert highlight("false news", evidence, {"a": 0}) == 'false <mark data-colour="0" title="a: ">news</mark>'


def test_report_output_is_not_overwritten_without_force(tmp_path):
    output = tmp_path / "report.html"
    write_report(PREDICTIONS, output)
    with pytest.raises(OutputExistsError):
        write_report(PREDICTIONS, output)
    write_report(PREDICTIONS, output, force=True)
    assert not [p for p in tmp_path.iterdir() if p.name != "report.html"]  # no temporary left behind


# ----------------------------------------------------------------------------- store and export


def test_verdicts_latest_wins_and_export_is_a_valid_corpus(tmp_path, records):
    store = ReviewStore(tmp_path / "review.sqlite")
    store.load(records)
    key = "ke-cmca-2018::ke-cmca-2018-s14-1"
    assert store.add_verdict(key, ["core_cybercrime"], ["core_cybercrime"], "", "ana")["decision"] == "accept"
    verdict = store.add_verdict(key, ["core_cybercrime", "overbroad"], ["core_cybercrime"], "too wide", "ben")
    assert verdict["decision"] == "correct"
    with pytest.raises(KeyError):
        store.add_verdict("nope::1", [], [], "", "ana")
    exported = reviewed_records(store)
    assert len(exported) == 1 and store.verdict_count() == 2
    record = exported[0]
    assert record["labels"] == ["core_cybercrime", "overbroad"] and record["rationale"] == "too wide"
    assert record["id"] == "ke-cmca-2018-s14-1" and record["jurisdiction"] == "KE" and record["unit"] == "s. 14(1)"
    assert record["review"]["reviewer"] == "ben" and record["review"]["model_labels"] == ["core_cybercrime"]
    assert record["evidence"] and all(e in record["text"] for e in record["evidence"])
    store.close()
    output = tmp_path / "reviewed.jsonl"
    assert export_reviewed(tmp_path / "review.sqlite", output) == 1
    count, problems = validate(output, LabelSchema.from_yaml())
    assert (count, problems) == (1, [])


def test_reloading_predictions_keeps_verdicts(tmp_path, records):
    store = ReviewStore(tmp_path / "review.sqlite")
    store.load(records)
    store.add_verdict(HOSTILE_KEY, [], ["content_offence"], "", "ana")
    store.load(records)
    assert len(store.clauses()) == len(records) and store.verdict_count() == 1


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "review.sqlite"
    path.write_text("not sqlite at all, just some text that is long enough to look like a header" * 3)
    with pytest.raises(InputError, match="not a review database"):
        ReviewStore(path)


CRASHING_SERVER = """
import sys
from clauseclf.review.records import read_predictions
from clauseclf.review.server import ReviewServer, queue_items
from clauseclf.review.store import ReviewStore
store = ReviewStore(sys.argv[1])
store.load(read_predictions(sys.argv[2]))
server = ReviewServer(store, "127.0.0.1", 0)
print(server.url, flush=True)
server.serve_forever()
"""


def test_verdicts_survive_a_killed_server(tmp_path):
    db = tmp_path / "review.sqlite"
    process = subprocess.Popen([sys.executable, "-c", CRASHING_SERVER, str(db), str(PREDICTIONS)],
                               stdout=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().strip()
        for labels in (["content_offence"], []):
            status, _ = post(url, {"key": HOSTILE_KEY, "labels": labels, "comment": "c", "reviewer": "ana"})
            assert status == 201
    finally:
        os.kill(process.pid, signal.SIGKILL)  # no clean shutdown: what was acknowledged must be on disk
        process.wait()
    store = ReviewStore(db)
    assert store.verdict_count() == 2 and store.latest_verdicts()[HOSTILE_KEY]["labels"] == []


# ----------------------------------------------------------------------------- HTTP API


def request(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict | str]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            body, status, kind = response.read().decode(), response.status, response.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        body, status, kind = error.read().decode(), error.code, error.headers["Content-Type"]
    return status, json.loads(body) if kind.startswith("application/json") else body


def post(url: str, body: dict, **headers) -> tuple[int, dict]:
    return request(url + "api/verdicts", json.dumps(body).encode(), {"Content-Type": "application/json", **headers})


@pytest.fixture
def server(tmp_path, records):
    store = ReviewStore(tmp_path / "review.sqlite")
    store.load(records)
    server = ReviewServer(store, "127.0.0.1", 0, reviewer="ana")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    store.close()


def test_queue_api_orders_and_reports_verdicts(server):
    status, queue = request(server.url + "api/queue")
    assert status == 200 and queue["reviewer"] == "ana"
    assert queue["labels"] == ["core_cybercrime", "content_offence", "missing_intent", "overbroad"]
    assert [item["needs_review"] for item in queue["items"]][:4] == [True] * 4
    model_labels = next(i for i in queue["items"] if i["key"] == HOSTILE_KEY)["labels"]
    assert post(server.url, {"key": HOSTILE_KEY, "labels": model_labels, "reviewer": "ana"})[0] == 201
    _, queue = request(server.url + "api/queue")
    verdict = next(i for i in queue["items"] if i["key"] == HOSTILE_KEY)["verdict"]
    assert verdict["decision"] == "accept" and verdict["reviewer"] == "ana"


def test_page_and_assets_are_served_with_a_strict_policy(server):
    with urllib.request.urlopen(server.url, timeout=10) as response:
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert '<script src="/app.js">' in response.read().decode()
    assert "textContent" in request(server.url + "app.js")[1]
    assert request(server.url + "nothing")[0] == 404


@pytest.mark.parametrize("body, status", [
    ({"key": HOSTILE_KEY, "labels": ["nope"], "reviewer": "ana"}, 400),
    ({"key": HOSTILE_KEY, "labels": [], "reviewer": " "}, 400),
    ({"key": "no::such", "labels": [], "reviewer": "ana"}, 404),
    ({"key": HOSTILE_KEY, "labels": "overbroad", "reviewer": "ana"}, 400),
])
def test_bad_verdicts_are_refused(server, body, status):
    code, answer = post(server.url, body)
    assert code == status and answer["error"]


def test_requests_a_browser_would_send_from_elsewhere_are_refused(server):
    verdict = {"key": HOSTILE_KEY, "labels": [], "reviewer": "ana"}
    assert post(server.url, verdict, Origin="http://evil.example")[0] == 403
    assert post(server.url, verdict, Host="evil.example:80")[0] == 403
    form = request(server.url + "api/verdicts", b"key=x", {"Content-Type": "application/x-www-form-urlencoded"})
    assert form[0] == 415
    assert request(server.url + "api/queue", headers={"Host": "rebound.example"})[0] == 403
    assert server.store.verdict_count() == 0


# ----------------------------------------------------------------------------- commands


def test_commands_have_help_with_an_example(app):
    runner = CliRunner()
    for args in (["report"], ["export"], ["import"], ["review", "serve"], ["review", "export"]):
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0 and "Example: clauseclf" in result.output, args


def test_report_command_writes_and_refuses_to_overwrite(app, tmp_path):
    runner = CliRunner()
    output = tmp_path / "report.html"
    assert runner.invoke(app, ["report", str(PREDICTIONS), "--output", str(output)]).exit_code == 0
    again = runner.invoke(app, ["report", str(PREDICTIONS), "--output", str(output)])
    assert again.exit_code == 2 and "already exists" in again.output
    assert runner.invoke(app, ["report", str(PREDICTIONS), "--output", str(output), "--force"]).exit_code == 0


def test_bad_prediction_line_is_one_line_and_exit_2(app, tmp_path):
    path = write_lines(tmp_path / "p.jsonl", ['{"text": "x", "scores": {"a": 0.5}, "labels": []}', "{oops"])
    result = CliRunner().invoke(app, ["report", str(path), "--output", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and f"{path}:2: malformed JSON" in result.output
    assert "Traceback" not in result.output


def test_review_export_command(app, tmp_path, records):
    db = tmp_path / "review.sqlite"
    store = ReviewStore(db)
    store.load(records)
    store.add_verdict(HOSTILE_KEY, ["content_offence"], ["content_offence"], "ok", "ana")
    store.close()
    output = tmp_path / "reviewed.jsonl"
    result = CliRunner().invoke(app, ["review", "export", "--db", str(db), "--output", str(output)])
    assert result.exit_code == 0 and "wrote 1 reviewed clauses" in result.output
    missing = CliRunner().invoke(app, ["review", "export", "--db", str(tmp_path / "none.sqlite"),
                                       "--output", str(tmp_path / "x.jsonl")])
    assert missing.exit_code == 2 and "no review database" in missing.output


def test_doctests_of_the_review_modules():
    import doctest

    from clauseclf.review import report, store

    for module in (report, store):
        assert doctest.testmod(module).failed == 0
