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
