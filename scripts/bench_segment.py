"""How the segmenter does on real published bills: per document, against its hand-checked gold.

Each `tests/fixtures/bills/real/<file>.gold.json` lists the clauses of `<file>` (a
printer's or gazette PDF, a legislation web page, Akoma Ntoso...) as {unit, heading,
starts, ends, text}. Per document the table gives:

- unit precision and recall: a clause counts when its unit, first and last words match
  a gold clause (in order; precision counts only the clauses within the gold's run);
- statute words lost: words of the gold text missing from the clauses' text (a multiset
  of lower-cased words, so a lost "or" counts even if "or" is elsewhere);
- words added: words of the clauses' text (in the gold's run) that the gold's text lacks: a running
  header, a footnote or an editor's note kept as statute text;
- titles in heading: gold section titles found in the heading path of their clause;
- the largest clause, in characters.

A document whose gold has no clauses (a page with no statute text) passes when the
segmenter refuses it. The synthetic fixtures (`tests/fixtures/bills/*.expected.json`)
get the older boundary table per format.

    .venv/bin/python scripts/bench_segment.py
    .venv/bin/python scripts/bench_segment.py --min 0.95 --results reports/segment.json

Prints Markdown tables; exits 1 if a real document misses a bar (precision or recall under
--min, any word lost or added, under 95% of titles in the heading, a merged clause over 6,000 characters).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "bills"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=FIXTURES, help="Folder of <bill>.expected.json files, with real/ inside.")
    parser.add_argument("--results", type=Path, help="Also write the figures here as JSON.")
    parser.add_argument("--min", type=float, default=0.95, help="Fail (exit 1) when a document's unit precision or recall is below this.")
    parser.add_argument("--verbose", action="store_true", help="List the units each document missed or added, and words lost.")
    args = parser.parse_args()

    documents = [bench_document(path, args.min, args.verbose) for path in sorted((args.fixtures / "real").glob("*.gold.json"))]
    print(documents_table(documents))
    formats = bench_formats(args.fixtures)
    print()
    print(formats_table(formats))
    if args.results:
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps({"documents": documents, "formats": formats}, indent=2) + "\n", encoding="utf-8")
    failing = [row["document"] for row in documents if row["failures"]]
    failing += [row["format"] for row in formats if min(row["precision"], row["recall"]) < args.min]
    if failing:
        print(f"below the bars: {', '.join(failing)}", file=sys.stderr)
        return 1
    return 0


def bench_document(gold_path: Path, minimum: float, verbose: bool) -> dict:
    from clauseclf.errors import InputError
    from clauseclf.segment import read_document
    from clauseclf.segment.boundaries import load_gold, score_gold

    gold = load_gold(gold_path)
    row = {"document": gold["document"], "gold units": len(gold["units"])}
    try:
        document = read_document(gold_path.parent / gold["document"])
    except InputError as error:
        refused_right = not gold["units"]
        return {**row, "refused": str(error), "failures": [] if refused_right else [f"refused: {error.problem}"]}
    if not gold["units"]:
        return {**row, "predicted": len(document.clauses), "failures": ["a page with no statute text was not refused"]}
    result = score_gold(document.clauses, gold["units"])
    if verbose:
        print(f"{gold['document']}: missed {result.missed}\n  extra {result.extra}\n  lost {result.lost_sample}\n"
              f"  added {result.added_sample}", file=sys.stderr)
    return {**row, "format": document.format, "predicted": result.predicted, "precision": round(result.precision, 3),
            "recall": round(result.recall, 3), "words_lost": result.words_lost, "words_added": result.words_added, "titles": result.titles,
            "titles_reached": result.titles_reached, "largest_chars": result.largest_chars,
            "largest_unit": result.largest_unit, "largest_is_one_provision": result.largest_is_one_provision,
            "removed_lines": len(document.removed), "failures": result.failures(minimum)}


def documents_table(rows: list[dict]) -> str:
    lines = ["| document | gold units | predicted (in run) | precision | recall | words lost | words added | "
             "titles in heading | largest clause (chars) | removed lines | bars missed |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        missed = "; ".join(row["failures"]) or "none"
        if "refused" in row:
            lines.append(f"| {row['document']} | {row['gold units']} | refused | | | | | | | | {missed} |")
            continue
        if "precision" not in row:
            lines.append(f"| {row['document']} | 0 | {row['predicted']} | | | | | | | | {missed} |")
            continue
        titles = f"{row['titles_reached']}/{row['titles']}" if row["titles"] else "–"
        largest = f"{row['largest_chars']:,} ({row['largest_unit']})"
        lines.append(f"| {row['document']} | {row['gold units']} | {row['predicted']} | {row['precision']:.3f} | "
                     f"{row['recall']:.3f} | {row['words_lost']} | {row['words_added']} | {titles} | {largest} | {row['removed_lines']} | {missed} |")
    return "\n".join(lines)


def bench_formats(fixtures: Path) -> list[dict]:
    """The synthetic fixtures' boundary precision and recall, pooled per format."""
    from clauseclf.segment import read_document
    from clauseclf.segment.boundaries import load_expected, score

    totals = defaultdict(lambda: {"bills": 0, "expected": 0, "predicted": 0, "matched": 0})
    for path in sorted(fixtures.glob("*.expected.json")):
        expected = load_expected(path)
        document = read_document((path.parent / expected["document"]).resolve())
        result = score(document.clauses, expected["clauses"])
        total = totals[document.format]
        total["bills"] += 1
        for key in ("expected", "predicted", "matched"):
            total[key] += getattr(result, key)
    rows = []
    for fmt, total in sorted(totals.items()):
        precision = total["matched"] / total["predicted"] if total["predicted"] else 0.0
        recall = total["matched"] / total["expected"] if total["expected"] else 0.0
        rows.append({"format": fmt, "precision": round(precision, 4), "recall": round(recall, 4), **total})
    return rows


def formats_table(rows: list[dict]) -> str:
    lines = ["| format (synthetic fixtures) | bills | expected clauses | predicted | precision | recall |",
             "| --- | --- | --- | --- | --- | --- |"]
    lines += [f"| {row['format']} | {row['bills']} | {row['expected']} | {row['predicted']} | {row['precision']:.3f} | "
              f"{row['recall']:.3f} |" for row in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
