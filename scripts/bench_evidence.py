"""How well do the evidence spans of `clauseclf.label.evidence.explain` match the annotators' own?

For every clause of the annotated corpus that carries at least one label and has
annotated `evidence`, `explain(text, gold labels)` proposes spans; both sides are
turned into sets of word tokens by position in the clause, and compared:

- per label L, over the clauses that carry L: token precision, recall and F1 of
  everything the reviewer would see highlighted for the clause (micro-averaged
  over tokens, and the mean of per-clause F1 as SQuAD reports it);
- "own P": the share of the tokens highlighted *for L* that lie inside annotated
  evidence (the corpus' evidence is one list per clause, not one per label, so
  recall can only be measured per clause).

Usage: .venv/bin/python scripts/bench_evidence.py [--corpus data/corpus/clauses.jsonl] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

from clauseclf.label.evidence import explain

REPO_ROOT = Path(__file__).resolve().parents[1]
TOKEN = re.compile(r"\w+")


def token_positions(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Start offsets of the word tokens of `text` that fall inside any span."""
    return {m.start() for m in TOKEN.finditer(text) if any(s <= m.start() < e for s, e in spans)}


def gold_spans(text: str, evidence: list[str]) -> list[tuple[int, int]]:
    spans = []
    for phrase in evidence:
        at = text.find(phrase)
        if at >= 0:
            spans.append((at, at + len(phrase)))
    return spans


def prf(hit: int, predicted: int, gold: int) -> tuple[float, float, float]:
    precision = hit / predicted if predicted else 0.0
    recall = hit / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def bench(records: list[dict]) -> dict[str, dict[str, float]]:
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for record in records:
        text, labels = record["text"], record["labels"]
        gold = token_positions(text, gold_spans(text, record.get("evidence") or []))
        if not labels or not gold:
            continue
        evidence = explain(text, labels)
        shown = token_positions(text, [(s["start"], s["end"]) for spans in evidence.values() for s in spans])
        clause_f1 = prf(len(shown & gold), len(shown), len(gold))[2]
        for label in [*labels, "all"]:
            row = totals[label]
            row["clauses"] += 1
            row["hit"] += len(shown & gold)
            row["shown"] += len(shown)
            row["gold"] += len(gold)
            row["f1_sum"] += clause_f1
            own = shown if label == "all" else token_positions(
                text, [(s["start"], s["end"]) for s in evidence.get(label, [])])
            row["own_hit"] += len(own & gold)
            row["own"] += len(own)
    return {label: _summary(row) for label, row in totals.items()}


def _summary(row: dict[str, float]) -> dict[str, float]:
    precision, recall, f1 = prf(row["hit"], row["shown"], row["gold"])
    return {"clauses": int(row["clauses"]), "precision": precision, "recall": recall, "f1": f1,
            "mean_clause_f1": row["f1_sum"] / row["clauses"],
            "own_precision": row["own_hit"] / row["own"] if row["own"] else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO_ROOT / "data" / "corpus" / "clauses.jsonl")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    records = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = bench(records)
    order = sorted(k for k in results if k != "all") + ["all"]
    if args.json:
        print(json.dumps({k: results[k] for k in order}, indent=2))
        return
    print(f"{'label':<16} {'clauses':>7} {'P':>6} {'R':>6} {'F1':>6} {'clauseF1':>8} {'own P':>6}")
    for label in order:
        r = results[label]
        print(f"{label:<16} {r['clauses']:>7} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f} "
              f"{r['mean_clause_f1']:>8.3f} {r['own_precision']:>6.3f}")


if __name__ == "__main__":
    main()
