"""`clauseclf label`: one prediction per clause, in order, never a half-written output, clear errors."""

import csv
import json

import pytest
from typer.testing import CliRunner

from clauseclf.cli import app
from clauseclf.label.files import partial_path

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


@pytest.mark.parametrize("name, content, message", [
    ("empty.jsonl", b"", "file is empty"),
    ("binary.jsonl", b"\x00\x01\x02\x03", "binary file"),
    ("latin1.jsonl", b'{"text": "ok"}\n{"text": "caf\xe9"}\n', ":2: invalid UTF-8"),
    ("notext.jsonl", b'{"body": "no text field"}\n', ":1: 'text' is missing"),
    ("array.jsonl", b'["a list"]\n', ":1: expected a JSON object"),
    ("columns.csv", b"body,country\nsomething,KE\n", ":1: no 'text' column"),
    ("bill.exe", b"MZ", "unsupported file type"),
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
