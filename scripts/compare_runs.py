"""Is one cross-validation run better than another? A paired cluster bootstrap over jurisdictions.

    .venv/bin/python scripts/compare_runs.py reports/cv-default reports/cv-kind3
    .venv/bin/python scripts/compare_runs.py reports/cv-default reports/cv-kind3 --system-a "fine-tune"

Both runs must hold out the same clauses (same corpus, same --folds). Each draw
resamples jurisdictions with replacement and scores both runs on the same draw, so
the interval is for the *difference* (B minus A), which is much narrower than either
run's own interval. Prints macro-F1 and per-label F1 of each, the mean difference,
its 95% interval, and the share of draws in which B is ahead.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

LABELS = ["core_cybercrime", "content_offence", "missing_intent", "overbroad"]


def predicted_and_truth(run: Path, system: str | None) -> tuple[dict[str, np.ndarray], dict[str, str], str]:
    """id -> 0/1 predictions, id -> jurisdiction, and the system read, from a run's predictions.jsonl."""
    report = json.loads((run / "report.json").read_text(encoding="utf-8"))
    system = system or report["main_system"]
    rows = [json.loads(line) for line in (run / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    cuts = _fold_thresholds(report, system, len(rows))
    predicted, truth, groups = {}, {}, {}
    for row, cut in zip(rows, cuts):
        if "predicted" in row:
            labels = row["predicted"][system]
        else:  # runs written before predictions.jsonl carried labels: cut the (rounded) scores again
            labels = [n for n in LABELS if row[system][n] >= cut[n]]
        predicted[row["id"]] = np.array([n in labels for n in LABELS], dtype=int)
        truth[row["id"]] = np.array([n in row["labels"] for n in LABELS], dtype=int)
        groups[row["id"]] = row["jurisdiction"]
    return {"predicted": predicted, "truth": truth}, groups, system


def _fold_thresholds(report: dict, system: str, count: int) -> list[dict]:
    cuts = []
    for fold in report["folds"]:
        cut = fold.get("thresholds", {}).get(system, {n: 0.5 for n in LABELS})
        cuts += [cut] * fold["test"]["clauses"]
    return cuts + [{n: 0.5 for n in LABELS}] * (count - len(cuts))


def f1_columns(predicted: np.ndarray, truth: np.ndarray) -> np.ndarray:
    true_pos = (predicted & truth).sum(axis=0)
    denominator = predicted.sum(axis=0) + truth.sum(axis=0)
    return np.divide(2 * true_pos, denominator, out=np.zeros(truth.shape[1]), where=denominator > 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run_a", type=Path)
    parser.add_argument("run_b", type=Path)
    parser.add_argument("--system-a", help="system of run A (default: its main system)")
    parser.add_argument("--system-b", help="system of run B (default: its main system)")
    parser.add_argument("--draws", type=int, default=2000)
    args = parser.parse_args()
    a, groups, system_a = predicted_and_truth(args.run_a, args.system_a)
    b, _, system_b = predicted_and_truth(args.run_b, args.system_b)
    if set(a["predicted"]) != set(b["predicted"]):
        raise SystemExit("the two runs hold out different clauses: use the same corpus and --folds")
    ids = sorted(a["predicted"])
    truth = np.stack([a["truth"][i] for i in ids])
    pa, pb = (np.stack([run["predicted"][i] for i in ids]) for run in (a, b))
    jurisdictions = sorted(set(groups.values()))
    members = {j: np.array([k for k, i in enumerate(ids) if groups[i] == j]) for j in jurisdictions}
    rng = np.random.default_rng(0)
    differences = []
    for _ in range(args.draws):
        index = np.concatenate([members[jurisdictions[c]] for c in rng.integers(0, len(jurisdictions), len(jurisdictions))])
        fa, fb = f1_columns(pa[index], truth[index]), f1_columns(pb[index], truth[index])
        differences.append(np.append(fb - fa, fb.mean() - fa.mean()))
    differences = np.array(differences)
    low, high = np.percentile(differences, [2.5, 97.5], axis=0)
    fa, fb = f1_columns(pa, truth), f1_columns(pb, truth)
    print(f"A: {args.run_a} [{system_a}]\nB: {args.run_b} [{system_b}]\n{len(ids)} clauses, {len(jurisdictions)} "
          f"jurisdictions, {args.draws} paired draws\n")
    print(f"{'':18} {'A':>6} {'B':>6} {'B - A':>7}  95% interval       B ahead")
    for k, name in enumerate([*LABELS, "macro-F1"]):
        first, second = (fa[k], fb[k]) if k < len(LABELS) else (fa.mean(), fb.mean())
        print(f"{name:18} {first:6.3f} {second:6.3f} {second - first:+7.3f}  [{low[k]:+.3f}, {high[k]:+.3f}]  "
              f"{(differences[:, k] > 0).mean():6.0%}")


if __name__ == "__main__":
    main()
