"""Is one run better than another? A paired cluster bootstrap over jurisdictions.

    .venv/bin/python scripts/compare_runs.py reports/cv-default reports/cv-kind3
    .venv/bin/python scripts/compare_runs.py reports/cv-default reports/cv-kind3 --system-a "fine-tune"
    .venv/bin/python scripts/compare_runs.py a.jsonl b.jsonl --truth runs/held_out.jsonl --group-by clause

A run is a `clauseclf crossval` folder, or a predictions file that `clauseclf label` wrote for the
annotated clauses of --truth (two models on the same held-out clauses). Both runs must hold out the
same clauses (same corpus, same --folds). Each draw
resamples jurisdictions with replacement and scores both runs on the same draw, so
the interval is for the *difference* (B minus A), which is much narrower than either
run's own interval. Prints macro-F1 and per-label F1 of each, the mean difference,
its 95% interval, and the share of draws in which B is ahead. With few jurisdictions (the five
held-out countries) `--group-by clause` resamples clauses instead: a narrower interval that assumes the
clauses of one law err independently, which they do not quite.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from clauseclf.evaluate.bootstrap import paired_bootstrap_differences
from clauseclf.evaluate.scoring import f1_columns


LABELLED = "model"  # the one system of a `clauseclf label` predictions file


def read_run(run: Path, system: str | None, truth: Path | None = None) -> tuple[dict[str, dict], list[str], str]:
    """id -> predictions.jsonl row, the label names, and the system to read (default: the run's main one)."""
    if run.is_file():
        return read_labelled(run, truth)
    report = json.loads((run / "report.json").read_text(encoding="utf-8"))
    system = system or report["main_system"]
    rows = [json.loads(line) for line in (run / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    if rows and "predicted" not in rows[0]:
        raise SystemExit(f"{run}: written before predictions.jsonl carried each system's labels; rerun the same "
                         "`clauseclf crossval` on that folder (it reuses the saved fold scores: about a minute)")
    if rows and system not in rows[0]["predicted"]:
        raise SystemExit(f"{run}: no system '{system}' (it has: {', '.join(rows[0]['predicted'])})")
    return {row["id"]: row for row in rows}, list(rows[0][system]) if rows else [], system


def read_labelled(predictions: Path, truth: Path | None) -> tuple[dict[str, dict], list[str], str]:
    """A `clauseclf label` output as crossval rows: each clause's annotated labels from `truth`, by id."""
    if truth is None:
        raise SystemExit(f"{predictions}: a predictions file needs --truth, the annotated clauses it labelled")
    annotated = {}
    for line in truth.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            annotated[record["id"]] = record
    rows, labels = {}, []
    for number, line in enumerate(predictions.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        labels = labels or list(row["scores"])
        record = annotated.get(row.get("id"))
        if record is None:
            raise SystemExit(f"{predictions}:{number}: clause {row.get('id')!r} is not in {truth}")
        rows[row["id"]] = {"id": row["id"], "jurisdiction": record["jurisdiction"], "labels": record["labels"],
                           "predicted": {LABELLED: row["labels"]}}
    return rows, labels, LABELLED


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run_a", type=Path)
    parser.add_argument("run_b", type=Path)
    parser.add_argument("--system-a", help="system of run A (default: its main system)")
    parser.add_argument("--system-b", help="system of run B (default: its main system)")
    parser.add_argument("--truth", type=Path, help="annotated JSONL of the clauses two predictions files labelled")
    parser.add_argument("--group-by", choices=("jurisdiction", "clause"), default="jurisdiction",
                        help="what each draw resamples (default: whole jurisdictions)")
    parser.add_argument("--draws", type=int, default=2000)
    args = parser.parse_args()
    a, labels, system_a = read_run(args.run_a, args.system_a, args.truth)
    b, _, system_b = read_run(args.run_b, args.system_b, args.truth)
    if set(a) != set(b):
        raise SystemExit("the two runs hold out different clauses: use the same corpus and --folds")
    ids = sorted(a)

    def matrix(rows: dict[str, dict], field: str, system: str | None = None) -> np.ndarray:
        return np.array([[n in (rows[i]["predicted"][system] if system else rows[i][field]) for n in labels]
                         for i in ids], dtype=int)

    truth, pa, pb = matrix(a, "labels"), matrix(a, "predicted", system_a), matrix(b, "predicted", system_b)
    groups = [a[i]["jurisdiction"] if args.group_by == "jurisdiction" else i for i in ids]
    differences = paired_bootstrap_differences(pa, pb, truth, groups, args.draws)
    low, high = np.percentile(differences, [2.5, 97.5], axis=0)
    fa, fb = f1_columns(pa, truth), f1_columns(pb, truth)
    resampled = f"{len(set(groups))} jurisdictions" if args.group_by == "jurisdiction" else "clauses resampled"
    print(f"A: {args.run_a} [{system_a}]\nB: {args.run_b} [{system_b}]\n{len(ids)} clauses, {resampled}, "
          f"{args.draws} paired draws\n")
    print(f"{'':18} {'A':>6} {'B':>6} {'B - A':>7}  95% interval       B ahead")
    for k, name in enumerate([*labels, "macro-F1"]):
        first, second = (fa[k], fb[k]) if k < len(labels) else (fa.mean(), fb.mean())
        print(f"{name:18} {first:6.3f} {second:6.3f} {second - first:+7.3f}  [{low[k]:+.3f}, {high[k]:+.3f}]  "
              f"{(differences[:, k] > 0).mean():6.0%}")


if __name__ == "__main__":
    main()
