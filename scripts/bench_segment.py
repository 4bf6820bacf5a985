"""Clause-boundary precision and recall of the segmenter on the hand-checked bill fixtures, per format.

Each `tests/fixtures/bills/<bill>.expected.json` names a bill (real legislation laid
out as users receive it: .txt, .pdf, .docx, .html, Akoma Ntoso .xml) and lists its
clauses as {unit, starts, ends}. A predicted clause counts when its unit, first
words and last words all match (clauseclf.segment.boundaries). Figures are pooled
over the bills of a format: precision = matched / predicted, recall = matched /
expected.

    .venv/bin/python scripts/bench_segment.py
    .venv/bin/python scripts/bench_segment.py --results reports/segment.json --min 0.95

Prints a Markdown table; exits 1 if a format falls below --min.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "bills"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=FIXTURES, help="Folder of <bill>.expected.json files.")
    parser.add_argument("--results", type=Path, help="Also write the figures here as JSON.")
    parser.add_argument("--min", type=float, default=0.95, help="Fail (exit 1) when a format's precision or recall is below this.")
    parser.add_argument("--verbose", action="store_true", help="List the units each bill missed or added.")
    args = parser.parse_args()

    from clauseclf.segment import read_document
    from clauseclf.segment.boundaries import load_expected, score

    totals = defaultdict(lambda: {"bills": 0, "expected": 0, "predicted": 0, "matched": 0, "seconds": 0.0})
    bills = []
    for path in sorted(args.fixtures.glob("*.expected.json")):
        expected = load_expected(path)
        started = time.perf_counter()
        document = read_document((path.parent / expected["document"]).resolve())
        seconds = time.perf_counter() - started
        result = score(document.clauses, expected["clauses"])
        total = totals[document.format]
        total["bills"] += 1
        total["seconds"] += seconds
        for key in ("expected", "predicted", "matched"):
            total[key] += getattr(result, key)
        bills.append({"bill": expected["document"], "format": document.format, "precision": result.precision,
                      "recall": result.recall, "expected": result.expected, "predicted": result.predicted,
                      "missed": result.missed, "extra": result.extra, "seconds": round(seconds, 3)})
        if args.verbose and (result.missed or result.extra):
            print(f"{expected['document']}: missed {result.missed}, extra {result.extra}", file=sys.stderr)

    rows = []
    for fmt, total in sorted(totals.items()):
        precision = total["matched"] / total["predicted"] if total["predicted"] else 0.0
        recall = total["matched"] / total["expected"] if total["expected"] else 0.0
        rows.append({"format": fmt, "precision": round(precision, 4), "recall": round(recall, 4), **total})
    print("| format | bills | expected clauses | predicted | precision | recall | read + split (s) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(f"| {row['format']} | {row['bills']} | {row['expected']} | {row['predicted']} | "
              f"{row['precision']:.3f} | {row['recall']:.3f} | {row['seconds']:.2f} |")
    if args.results:
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps({"formats": rows, "bills": bills}, indent=2) + "\n", encoding="utf-8")
    failing = [row["format"] for row in rows if min(row["precision"], row["recall"]) < args.min]
    if failing:
        print(f"below {args.min}: {', '.join(failing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
