"""The counts of the datasheet of data/corpus/statutes/ (its README), as Markdown tables.

    .venv/bin/python scripts/statutes_datasheet.py

Reads every data/corpus/statutes/*.jsonl (the annotated clauses) and second_reading/*.jsonl,
and prints: totals, labels, kinds, languages, the safeguard facts recorded, and one row per
collection (repository and commit, read from each record's `source`) with its jurisdictions,
instruments and clauses.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

STATUTES = Path(__file__).resolve().parents[1] / "data" / "corpus" / "statutes"
SOURCE = re.compile(r"https://github\.com/([^/]+/[^/]+)/blob/([0-9a-f]{40})/")


def read(paths: list[Path]) -> list[dict]:
    return [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def table(header: tuple[str, ...], rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    records = read(sorted(STATUTES.glob("*.jsonl")) + sorted((STATUTES / "held_out").glob("*.jsonl")))
    second = read(sorted((STATUTES / "second_reading").glob("*.jsonl")))
    english = sum(r["lang"] == "en" for r in records)
    powers = sum(r["kind"] in ("procedural_power", "cooperation") for r in records)
    print(f"{len(records)} clauses, {len({r['jurisdiction'] for r in records})} jurisdictions, "
          f"{len({(r['jurisdiction'], r['instrument']) for r in records})} instruments; {english} in English; "
          f"{powers} procedural-power or cooperation clauses; {len(second)} read a second time "
          f"({len(second) / len(records):.1%}).\n")
    labels = Counter(label for r in records for label in r["labels"])
    labels["(no label)"] = sum(not r["labels"] for r in records)
    print(table(("label", "clauses"), labels.most_common()) + "\n")
    print(table(("kind", "clauses"), Counter(r["kind"] for r in records).most_common()) + "\n")
    print(table(("language", "clauses"), Counter(r["lang"] for r in records).most_common()) + "\n")
    facts = Counter((fact, value) for r in records for fact, value in (r.get("safeguards") or {}).items() if fact != "power")
    by_fact = defaultdict(dict)
    for (fact, value), count in facts.items():
        by_fact[fact][value] = count
    print(table(("safeguard fact", "stated", "after_the_fact", "not_stated"),
                [(fact, v.get("stated", 0), v.get("after_the_fact", "") if fact == "judicial_authorisation" else "",
                  v.get("not_stated", 0)) for fact, v in by_fact.items()]) + "\n")
    collections = defaultdict(lambda: {"jurisdictions": set(), "instruments": set(), "clauses": 0})
    for record in records:
        match = SOURCE.match(record["source"])
        key = (match.group(1), match.group(2)[:12]) if match else (record["source"], "")
        collections[key]["jurisdictions"].add(record["jurisdiction"])
        collections[key]["instruments"].add(record["instrument"])
        collections[key]["clauses"] += 1
    print(table(("collection", "commit", "jurisdiction", "instruments", "clauses"),
                [(repo, commit, " ".join(sorted(c["jurisdictions"])), len(c["instruments"]), c["clauses"])
                 for (repo, commit), c in sorted(collections.items())]))


if __name__ == "__main__":
    main()
