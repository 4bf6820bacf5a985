"""scripts/annotator_agreement.py: two annotations of the same clauses, and a model between them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "annotator_agreement.py"
LABELS = ["core_cybercrime", "content_offence", "missing_intent", "overbroad"]


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args, "--draws", "50"], capture_output=True, text=True)


def _row(shown: str, start: str) -> list[str]:
    return [cell.strip(" *") for cell in next(line for line in shown.splitlines() if line.startswith(start)).split("|")]


def test_agreement_and_the_model_between_the_two_annotations(tmp_path):
    first = [{"id": f"c{i}", "jurisdiction": f"J{i % 6}", "kind": "offence", "lang": "en",
              "labels": [LABELS[i % 4]]} for i in range(24)]
    # B disagrees on every clause of label 0 (drops it) and agrees elsewhere.
    second = [{"id": r["id"], "kind": "offence", "labels": [] if r["labels"] == [LABELS[0]] else r["labels"]}
              for r in first]
    run = tmp_path / "run"
    run.mkdir()
    (run / "report.json").write_text(json.dumps({"main_system": "s"}))
    _write(run / "predictions.jsonl", [{"id": r["id"], "s": {n: float(n in r["labels"]) for n in LABELS},
                                        "predicted": {"s": r["labels"]}} for r in first])  # as crossval writes it
    corpus = _write(tmp_path / "a.jsonl", first)
    done = _run(str(_write(tmp_path / "b.jsonl", second)), "--corpus", str(corpus), "--run", str(run))
    assert done.returncode == 0, done.stderr
    assert "24 clauses of 24" in done.stdout and "kind agreed on 100.0%" in done.stdout
    assert _row(done.stdout, f"| {LABELS[0]} |")[5].startswith("0.000")      # no clause of label 0 shared
    assert _row(done.stdout, f"| {LABELS[1]} |")[5].startswith("1.000")
    assert _row(done.stdout, "| **macro** |")[5].startswith("0.750")
    model_row = _row(done.stdout.split("held-out predictions")[1], f"| {LABELS[0]} |")
    assert model_row[2:5] == ["0.000", "1.000", "0.000"]                    # B vs A, model vs A, model vs B


def test_a_malformed_line_is_named_by_file_and_line(tmp_path):
    corpus = _write(tmp_path / "a.jsonl", [{"id": "c1", "jurisdiction": "J", "labels": []}])
    second = tmp_path / "b.jsonl"
    second.write_text('{"id": "c1", "labels": []}\n{"id": "c2", "labels": \n')
    done = _run(str(second), "--corpus", str(corpus))
    assert done.returncode != 0 and f"{second}:2: malformed JSON" in done.stderr
