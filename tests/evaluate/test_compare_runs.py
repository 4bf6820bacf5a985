"""scripts/compare_runs.py: a paired bootstrap of two cross-validation runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "compare_runs.py"
LABELS = ["core_cybercrime", "content_offence", "missing_intent", "overbroad"]


def _run(folder: Path, rows: list[dict], predicted: list[list[str]]) -> Path:
    folder.mkdir()
    report = {"main_system": "s", "folds": [{"test": {"clauses": len(rows)}, "thresholds": {"s": {n: 0.5 for n in LABELS}}}]}
    (folder / "report.json").write_text(json.dumps(report))
    (folder / "predictions.jsonl").write_text("".join(
        json.dumps({**row, "s": {n: float(n in labels) for n in LABELS}, "predicted": {"s": labels}}) + "\n"
        for row, labels in zip(rows, predicted)))
    return folder


def test_a_run_that_is_right_everywhere_is_ahead_in_every_draw(tmp_path):
    rows = [{"id": f"c{i}", "jurisdiction": f"J{i % 8}", "labels": [LABELS[i % 4]]} for i in range(40)]
    perfect = _run(tmp_path / "b", rows, [r["labels"] for r in rows])
    wrong = _run(tmp_path / "a", rows, [[LABELS[(i + 1) % 4]] if i % 2 else r["labels"] for i, r in enumerate(rows)])
    shown = subprocess.run([sys.executable, str(SCRIPT), str(wrong), str(perfect), "--draws", "200"],
                           capture_output=True, text=True, check=True).stdout
    macro = next(line for line in shown.splitlines() if line.startswith("macro-F1")).split()
    assert float(macro[2]) == 1.0 and float(macro[1]) < 1.0 and macro[-1] == "100%"


def _labelled(path: Path, rows: list[dict], predicted: list[list[str]]) -> Path:
    """A predictions file as `clauseclf label` writes it (scores, labels; no annotation)."""
    path.write_text("".join(json.dumps({"id": row["id"], "text": "t", "scores": {n: float(n in labels) for n in LABELS},
                                        "labels": labels}) + "\n" for row, labels in zip(rows, predicted)))
    return path


def test_two_labelled_files_are_compared_on_the_annotated_clauses_they_labelled(tmp_path):
    rows = [{"id": f"c{i}", "jurisdiction": f"J{i % 3}", "labels": [LABELS[i % 4]]} for i in range(30)]
    truth = tmp_path / "truth.jsonl"
    truth.write_text("".join(json.dumps(r) + "\n" for r in rows))
    perfect = _labelled(tmp_path / "b.jsonl", rows, [r["labels"] for r in rows])
    empty = _labelled(tmp_path / "a.jsonl", rows, [[] for _ in rows])
    shown = subprocess.run([sys.executable, str(SCRIPT), str(empty), str(perfect), "--truth", str(truth),
                            "--group-by", "clause", "--draws", "100"], capture_output=True, text=True, check=True).stdout
    assert "30 clauses, clauses resampled" in shown
    macro = next(line for line in shown.splitlines() if line.startswith("macro-F1")).split()
    assert float(macro[1]) == 0.0 and float(macro[2]) == 1.0 and macro[-1] == "100%"

    missing = subprocess.run([sys.executable, str(SCRIPT), str(empty), str(perfect)], capture_output=True, text=True)
    assert missing.returncode != 0 and "needs --truth" in missing.stderr
    truth.write_text("".join(json.dumps(r) + "\n" for r in rows[:-1]))
    unknown = subprocess.run([sys.executable, str(SCRIPT), str(empty), str(perfect), "--truth", str(truth)],
                             capture_output=True, text=True)
    assert f"a.jsonl:30: clause 'c29' is not in {truth}" in unknown.stderr
