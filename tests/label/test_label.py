"""`clauseclf label`: one prediction per clause, in order, never a half-written output, clear errors."""

import csv
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from clauseclf.cli import app
from clauseclf.label.files import partial_path

from conftest import REPO_ROOT

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def write_clauses(path, corpus_records, count):
    texts = [r["text"] for r in corpus_records]
    rows = [{"id": f"c{i:05d}", "text": texts[i % len(texts)], "source_row": i} for i in range(count)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return rows


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_thousand_clauses_in_give_thousand_predictions_out_in_order(tiny_model_dir, corpus_records, tmp_path):
    rows = write_clauses(tmp_path / "in.jsonl", corpus_records, 1000)
    out = tmp_path / "out.jsonl"
    result = run("label", tmp_path / "in.jsonl", "--model", tiny_model_dir, "--output", out)
    assert result.exit_code == 0, result.output
    predictions = read_jsonl(out)
    assert [p["clause_id"] for p in predictions] == [r["id"] for r in rows]
    assert [p["source_row"] for p in predictions] == list(range(1000))  # other columns carried through
    assert all(set(p["labels"]) <= set(p["scores"]) for p in predictions)
    assert "wrote 1000 predictions" in result.output


def test_csv_in_csv_out_carries_columns(tiny_model_dir, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text('text,country\n"Whoever publishes false news commits an offence.",KE\n'
                      '"A person who intentionally accesses a computer system commits an offence.",MU\n')
    out = tmp_path / "out.csv"
    result = run("label", source, "--model", tiny_model_dir, "--output", out, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert [r["country"] for r in rows] == ["KE", "MU"]
    assert set(json.loads(rows[0]["scores"])) == {"core_cybercrime", "content_offence", "missing_intent", "overbroad"}


def test_existing_output_needs_force(tiny_model_dir, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": "A person who accesses a computer commits an offence."}) + "\n")
    out = tmp_path / "out.jsonl"
    out.write_text("precious\n")
    result = run("label", source, "--model", tiny_model_dir, "--output", out)
    assert result.exit_code == 2 and "--force" in result.output
    assert out.read_text() == "precious\n"
    assert run("label", source, "--model", tiny_model_dir, "--output", out, "--force").exit_code == 0
    assert len(read_jsonl(out)) == 1


def test_failure_midway_leaves_no_output_and_names_the_line(tiny_model_dir, corpus_records, tmp_path):
    source = tmp_path / "in.jsonl"
    write_clauses(source, corpus_records, 700)
    lines = source.read_text().splitlines()
    lines[599] = '{"text": "broken'
    source.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.jsonl"
    result = run("label", source, "--model", tiny_model_dir, "--output", out)
    assert result.exit_code == 2
    assert f"{source}:600: malformed JSON line" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_resume_finishes_with_each_clause_once(tiny_model_dir, corpus_records, tmp_path):
    source = tmp_path / "in.jsonl"
    rows = write_clauses(source, corpus_records, 900)
    out = tmp_path / "out.jsonl"
    assert run("label", source, "--model", tiny_model_dir, "--output", out).exit_code == 0
    complete = out.read_text().splitlines(keepends=True)
    out.unlink()
    # An interrupted run: 300 lines written, the 301st torn.
    partial_path(out).write_text("".join(complete[:300]) + complete[300][:25])
    result = run("label", source, "--model", tiny_model_dir, "--output", out, "--resume")
    assert result.exit_code == 0, result.output
    assert "300 kept from the interrupted run" in result.output
    predictions = read_jsonl(out)
    assert [p["clause_id"] for p in predictions] == [r["id"] for r in rows]
    assert not partial_path(out).exists()


def test_resume_refuses_a_partial_file_from_other_inputs(tiny_model_dir, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "A person who accesses a computer commits an offence."}) + "\n")
    out = tmp_path / "out.jsonl"
    partial_path(out).write_text(json.dumps({"doc_id": "in", "clause_id": "zzz"}) + "\n")
    result = run("label", source, "--model", tiny_model_dir, "--output", out, "--resume")
    assert result.exit_code == 2 and "start again without --resume" in result.output


@pytest.mark.parametrize("line", ['["a", "list"]', "42", '{"doc_id": "in"}'])
def test_resume_names_a_partial_line_that_is_not_a_prediction(tiny_model_dir, tmp_path, line):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "A person who accesses a computer commits an offence."}) + "\n")
    out = tmp_path / "out.jsonl"
    partial_path(out).write_text(line + "\n")
    result = run("label", source, "--model", tiny_model_dir, "--output", out, "--resume")
    assert result.exit_code == 2 and ":1: not a prediction line" in result.output


@pytest.mark.parametrize("name, content, message", [
    ("empty.jsonl", b"", "file is empty"),
    ("binary.jsonl", b"\x00\x01\x02\x03", "binary file"),
    ("latin1.jsonl", b'{"text": "ok"}\n{"text": "caf\xe9"}\n', ":2: invalid UTF-8"),
    ("notext.jsonl", b'{"body": "no text field"}\n', ":1: 'text' is missing"),
    ("array.jsonl", b'["a list"]\n', ":1: expected a JSON object"),
    ("columns.csv", b"body,country\nsomething,KE\n", ":1: no 'text' column"),
    ("bill.exe", b"MZ", "unsupported file type"),
    # json.loads overflowed Python's stack on the first; the second loaded, to overflow it when written out.
    ("deep.jsonl", b'{"text": "ok"}\n{"text": "x", "a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",
     ":2: JSON nested deeper than"),
    ("deeper.jsonl", b'{"text": "x", "a": ' + b"[" * 900 + b"]" * 900 + b"}\n", ":1: JSON nested deeper than"),
])
def test_bad_input_is_one_clear_line(tiny_model_dir, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = run("label", path, "--model", tiny_model_dir, "--output", tmp_path / "out.jsonl")
    assert result.exit_code == 2
    assert message in result.output and str(path) in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.jsonl").exists()


def test_missing_input_file(tiny_model_dir, tmp_path):
    result = run("label", tmp_path / "nope.jsonl", "--model", tiny_model_dir, "--output", tmp_path / "o.jsonl")
    assert result.exit_code == 2 and "nope.jsonl: file not found" in result.output


def test_model_folder_missing_a_file(model_copy, tmp_path):
    (model_copy / "thresholds.json").unlink()
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": "A person who accesses a computer commits an offence."}) + "\n")
    result = run("label", source, "--model", model_copy, "--output", tmp_path / "o.jsonl")
    assert result.exit_code == 2
    assert "missing thresholds.json" in result.output and "clauseclf train" in result.output


def test_label_reads_every_format_the_segmenter_reads():
    from clauseclf.label.inputs import BILL_SUFFIXES
    from clauseclf.segment import SUPPORTED_SUFFIXES

    assert BILL_SUFFIXES == SUPPORTED_SUFFIXES


def test_a_lock_left_by_a_dead_run_is_taken_over_with_a_note(tiny_model_dir, corpus_records, tmp_path, caplog):
    from clauseclf.outputs import lock_path

    write_clauses(tmp_path / "in.jsonl", corpus_records, 20)
    out = tmp_path / "out.jsonl"
    lock_path(out).write_text("clauseclf run pid 999999999 on elsewhere\n")  # no process holds it
    with caplog.at_level("INFO"):
        result = run("label", tmp_path / "in.jsonl", "--model", tiny_model_dir, "--output", out)
    assert result.exit_code == 0, result.output
    assert "pid 999999999" in caplog.text and "taken over" in caplog.text
    assert len(read_jsonl(out)) == 20
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]  # no lock, no partial left


def test_a_run_on_an_output_another_run_holds_is_refused(tiny_model_dir, corpus_records, tmp_path):
    write_clauses(tmp_path / "in.jsonl", corpus_records, 20)
    out = tmp_path / "out.jsonl"
    # What a run in progress holds (tests/label/test_resume.py races two real label runs).
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom clauseclf.outputs import exclusive_output\n"
                               f"with exclusive_output({str(out)!r}):\n print('held', flush=True)\n time.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        result = run("label", tmp_path / "in.jsonl", "--model", tiny_model_dir, "--output", out)
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 2 and f"{out}: clauseclf run pid {holder.pid} on" in result.output, result.output
    assert "is writing it" in result.output
    assert not out.exists() and not partial_path(out).exists()


def test_dataset_force_never_deletes_a_folder_it_did_not_write(tiny_model_dir, corpus_records, tmp_path):
    source = tmp_path / "in.jsonl"
    write_clauses(source, corpus_records, 12)
    out = tmp_path / "labelled"
    out.mkdir()
    (out / "notes.txt").write_text("precious")
    result = run("label", "--dataset", source, "--model", tiny_model_dir, "--output", out, "--force")
    assert result.exit_code == 2 and "notes.txt" in result.output and "`clauseclf label --dataset` did not write" in result.output
    assert (out / "notes.txt").read_text() == "precious"

    (out / "notes.txt").unlink()
    for _ in range(2):  # an empty folder, then the labelled dataset written into it, are replaced
        result = run("label", "--dataset", source, "--model", tiny_model_dir, "--output", out, "--force")
        assert result.exit_code == 0, result.output
    import datasets

    assert datasets.load_from_disk(str(out)).num_rows == 12
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "labelled"]


def test_resume_refuses_a_partial_file_of_another_model_or_quantisation(tiny_model_dir, corpus_records, tmp_path):
    source = tmp_path / "in.jsonl"
    write_clauses(source, corpus_records, 700)
    out = tmp_path / "out.jsonl"
    assert run("label", source, "--model", tiny_model_dir, "--output", out).exit_code == 0
    complete = out.read_text().splitlines(keepends=True)
    out.unlink()
    partial_path(out).write_text("".join(complete[:300]))
    result = run("label", source, "--model", tiny_model_dir, "--output", out, "--resume", "--quantize", "int8")
    assert result.exit_code == 2, result.output
    assert "labelled by model tiny (weights" in result.output and "quantization none), not by this run's" in result.output
    assert "quantization int8" in result.output
    assert not out.exists()

    other = [json.loads(line) for line in complete[:300]]
    for record in other[150:]:
        record["model"]["hash"] = "0" * 16
    partial_path(out).write_text("".join(json.dumps(r) + "\n" for r in other))
    result = run("label", source, "--model", tiny_model_dir, "--output", out, "--resume")
    assert result.exit_code == 2 and f"{partial_path(out)}:151: labelled by model" in result.output, result.output
    assert not out.exists()


def test_bills_of_one_name_get_their_own_doc_ids(tiny_model_dir, tmp_path):
    bill = next((REPO_ROOT / "data" / "examples").glob("*.txt")).read_text(encoding="utf-8")
    folder = tmp_path / "bills"
    (folder / "sub").mkdir(parents=True)
    (folder / "bill.txt").write_text(bill, encoding="utf-8")
    (folder / "sub" / "bill.txt").write_text(bill, encoding="utf-8")
    (folder / "bill.html").write_text("<html><body>" + "".join(f"<p>{line}</p>" for line in bill.splitlines())
                                      + "</body></html>", encoding="utf-8")
    (folder / "bill.jsonl").write_text(json.dumps({"text": "Whoever publishes false news commits an offence."}) + "\n")
    (folder / "other.txt").write_text(bill, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert run("label", folder, "--model", tiny_model_dir, "--output", out).exit_code == 0
    predictions = read_jsonl(out)
    assert {p["doc_id"] for p in predictions} == {"bill.html", "bill.jsonl", "bill.txt", "sub/bill.txt", "other"}
    keys = [(p["doc_id"], p["clause_id"]) for p in predictions]
    assert len(keys) == len(set(keys))
    assert {p["clause_id"] for p in predictions if p["doc_id"] == "bill.jsonl"} == {"bill.jsonl:1"}
    assert all(p["clause_id"].startswith("sub/bill.txt:") for p in predictions if p["doc_id"] == "sub/bill.txt")


def test_an_output_inside_the_input_folder_is_not_read_back(tiny_model_dir, corpus_records, tmp_path, caplog):
    folder = tmp_path / "clauses"
    folder.mkdir()
    write_clauses(folder / "in.jsonl", corpus_records, 157)
    out = folder / "predictions.jsonl"
    for _ in range(3):
        with caplog.at_level("INFO"):
            result = run("label", folder, "--model", tiny_model_dir, "--output", out, "--force")
        assert result.exit_code == 0, result.output
        assert len(read_jsonl(out)) == 157
    assert "predictions.jsonl: left out of the inputs, it is this run's own output" in caplog.text


def test_csv_keeps_the_columns_of_every_input(tiny_model_dir, tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "Whoever publishes false news commits an offence."}) + "\n")
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": "A person who accesses a computer commits an offence.",
                                                  "country": "KE", "note": {"page": 3}}) + "\n")
    out = tmp_path / "out.csv"
    result = run("label", tmp_path / "a.jsonl", tmp_path / "b.jsonl", "--model", tiny_model_dir, "--output", out,
                 "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["country"] for r in rows] == ["", "KE"]
    assert [r["note"] for r in rows] == ["", '{"page": 3}']


def test_a_failed_run_leaves_no_empty_partial_file(tiny_model_dir, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": "Whoever publishes false news commits an offence."}) + "\n"
                      + '{"text": "broken\n')
    out = tmp_path / "out.jsonl"
    result = run("label", source, "--model", tiny_model_dir, "--output", out)
    assert result.exit_code == 2 and f"{source}:2: malformed JSON line" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_inputs_are_checked_before_the_model_loads(tiny_model_dir, corpus_records, tmp_path, monkeypatch):
    import clauseclf.model.folder

    def no_loading(path):
        raise AssertionError("the model loaded before the inputs were checked")

    monkeypatch.setattr(clauseclf.model.folder, "load_model_folder", no_loading)
    (tmp_path / "good.jsonl").write_text(json.dumps({"text": "A person who accesses a computer commits an offence."}))
    (tmp_path / "bad.csv").write_text("body\nsomething\n")
    (tmp_path / "empty.txt").write_text("")
    result = run("label", tmp_path / "good.jsonl", tmp_path / "bad.csv", tmp_path / "empty.txt",
                 "--model", tiny_model_dir, "--output", tmp_path / "out.jsonl")
    assert result.exit_code == 2, result.output
    assert "bad.csv:1: no 'text' column" in result.output and "empty.txt: file is empty" in result.output
    result = run("label", "--dataset", tmp_path / "bad.csv", "--model", tiny_model_dir,
                 "--output", tmp_path / "out.jsonl")
    assert result.exit_code == 2 and "no 'text' column" in result.output, result.output


def test_a_csv_cell_over_the_csv_module_default_is_read(tiny_model_dir, tmp_path):
    # Python's csv module stops at 128 KB a cell: a whole Act pasted into one cell raised _csv.Error.
    source = tmp_path / "long.csv"
    text = "A person who knowingly accesses a computer system commits an offence. " * 3_000  # 210 KB
    with open(source, "w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([["id", "text"], ["long", text], ["short", "A person who hacks."]])
    out = tmp_path / "out.jsonl"
    result = run("label", source, "--model", tiny_model_dir, "--output", out)
    assert result.exit_code == 0, result.output
    assert [(r["clause_id"], len(r["text"])) for r in read_jsonl(out)] == [("long", len(text)), ("short", 19)]


@pytest.mark.parametrize("name, content, message", [
    ("null.jsonl", b'{"text": "A person who hacks."}\n\n{"text": null}\n', ":3: 'text' is empty (null)"),
    ("number.jsonl", b'{"text": 12}\n{"text": 13}\n', "'text' column holds int64, not text"),
    ("malformed.jsonl", b'{"text": "A person who hacks."}\n{"text": "cut short"\n', ":2: malformed JSON line"),
    ("empty.jsonl", b"", "file is empty"),
    ("blank.jsonl", b"\n\n", "file is empty"),
    ("missing.jsonl", None, "file not found"),
    ("marked.jsonl", b"\xef\xbb\xbf  \n", "file is empty"),
    ("header.csv", b"text\n", "the table has no rows"),
    ("hollow.jsonl", b"{}\n", "no row has a 'text' field"),
    # `datasets` raised ValueError from its own error report on this one.
    ("mixed.jsonl", b'{"text": [[], false]}\n{"text": "cut short', ":2: malformed JSON line"),
])
def test_bad_dataset_is_one_clear_line_naming_file_and_line(tiny_model_dir, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run("label", "--dataset", path, "--model", tiny_model_dir, "--output", tmp_path / "out.jsonl")
    assert result.exit_code == 2, result.output
    error = result.output.strip().splitlines()[-1]
    assert error.startswith(f"error: {path}") and message in error, error
    assert "Traceback" not in result.output and not (tmp_path / "out.jsonl").exists()


def test_an_overlong_clause_is_labelled_on_its_first_tokens_and_the_reviewer_is_told(tiny_model_dir, tmp_path, caplog):
    # A missed section marker can run a whole Act into one clause; 400 KB took minutes in the evidence alone.
    body = "A person who knowingly publishes false news or rumours commits an offence " * 2_000  # 150 KB
    bill = tmp_path / "bill.txt"
    bill.write_text(f"1. Short title\nThis Act may be cited.\n2. Offences\n{body}\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with caplog.at_level("WARNING"):
        result = run("label", bill, "--model", tiny_model_dir, "--output", out)
    assert result.exit_code == 0, result.output
    assert f"{bill}: s. 2 is {len(body.strip()):,} characters long" in caplog.text
    long = next(r for r in read_jsonl(out) if r["unit"] == "s. 2")
    assert long["text"] == body.strip() and set(long["evidence"]) == set(long["labels"])
    assert all(long["text"][s["start"]:s["end"]] == s["text"] for spans in long["evidence"].values() for s in spans)
    # The reviewer is told the model read only its start: in the prediction and in the run's summary.
    short = next(r for r in read_jsonl(out) if r["unit"] == "s. 1")
    assert short["tokens"] == short["tokens_read"] < long["tokens_read"] < long["tokens"]
    assert long["tokens"] > 2_000 * 12
    assert "1 clause(s) are longer than the" in result.output


def test_a_model_folder_trained_with_mean_pooling_is_refused(model_copy, tmp_path):
    config = json.loads((model_copy / "config.json").read_text(encoding="utf-8"))
    (model_copy / "config.json").write_text(json.dumps({**config, "clauseclf_pooling": "mean"}), encoding="utf-8")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": "A person who accesses a computer commits an offence."}) + "\n")
    result = run("label", source, "--model", model_copy, "--output", tmp_path / "out.jsonl")
    assert result.exit_code == 2 and "trained with mean pooling" in result.output and "retrain" in result.output
