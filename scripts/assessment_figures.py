"""The figures of docs/assessment.md: the clause facts on the held-out jurisdictions, and whole bills
against every gold assessment in data/assessments/.

    .venv/bin/python scripts/assessment_figures.py --model models/default
    .venv/bin/python scripts/assessment_figures.py --model models/default --save runs/gold-bills   # keep each assessment

Prints Markdown tables:

1. per-fact F1 of the model folder's clause-facts model on data/corpus/statutes/held_out/ (five
   jurisdictions no recipe trains on): kind, power, and each safeguard fact; then the same on the English
   clauses and on the others;
2. per ask, on how many bills `clauseclf assess` gives the status of the hand assessment. Every
   `data/assessments/<bill>.json` is read, so the table grows as gold assessments are added; its
   bill is `data/assessments/<document>`.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="models/default", help="model folder written by `clauseclf train`")
    parser.add_argument("--gold", default=str(REPO / "data" / "assessments"), help="folder of gold <bill>.json")
    parser.add_argument("--held-out", default=str(REPO / "data" / "corpus" / "statutes" / "held_out"),
                        help="annotated clauses of jurisdictions the model never trained on")
    parser.add_argument("--save", default="", help="folder to write each bill's assessment.json into")
    parser.add_argument("--skip-facts", action="store_true", help="only the bill-level table")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    from clauseclf.assess.evaluation import agreement_markdown, bill_agreement, fact_scores, facts_markdown, read_gold
    from clauseclf.assess.run import assess_clauses, load_models, read_bill_clauses
    from clauseclf.corpus import read_rows

    loaded, runtime, facts_model = load_models(args.model)
    if not args.skip_facts:
        records = [row for path in sorted(Path(args.held_out).glob("*.jsonl")) for _, row, _ in read_rows(path) if row]
        scores = fact_scores(facts_model, records)
        print(f"## Clause facts on the held-out jurisdictions ({len(records)} clauses)\n")
        print(facts_markdown({f"{facts_model.encoder.name} embeddings + logistic regression": scores}) + "\n")
        for part, rows in (("the English clauses", [r for r in records if r.get("lang") == "en"]),
                           ("the clauses in other languages", [r for r in records if r.get("lang") != "en"])):
            print(f"### The same, on {part} only ({len(rows)})\n")
            print(facts_markdown({"F1": fact_scores(facts_model, rows)}) + "\n")

    gold = read_gold(args.gold)
    predicted: dict[str, dict[int, str]] = {}
    for entry in gold:
        bill = Path(args.gold) / entry["document"]
        if not entry["document"] or not bill.is_file():
            print(f"warning: {entry['path']}: its bill {bill} is not there; left out", file=sys.stderr)
            continue
        _, clauses = read_bill_clauses(bill)
        assessment = assess_clauses(entry["bill"], clauses, loaded, runtime, facts_model)
        predicted[entry["bill"]] = {a.id: a.status for a in assessment.asks}
        if args.save:
            target = Path(args.save) / entry["bill"]
            target.mkdir(parents=True, exist_ok=True)
            (target / "assessment.json").write_text(json.dumps(assessment.to_dict(), indent=2, ensure_ascii=False),
                                                    encoding="utf-8")
        print(f"assessed {entry['bill']} ({len(clauses)} clauses)", file=sys.stderr)
    table = bill_agreement(predicted, gold)
    print(f"## Whole bills against the hand assessments ({len(predicted)} bills)\n")
    print(agreement_markdown(table, sorted(predicted)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
