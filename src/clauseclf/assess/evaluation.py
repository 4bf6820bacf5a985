"""How good the assessment is: the clause facts on held-out jurisdictions, and whole bills against the
gold assessments in data/assessments/.

    scores = fact_scores(FactsModel.load("models/default"), held_out_records)  # fact -> {"f1", "clauses"}
    table = bill_agreement(predicted, gold)   # ask -> {"agree", "bills", "statuses"}

Per-fact F1: `kind` and `power` are macro-F1 over the values present in the held-out
annotation; `judicial_authorisation` macro-F1 over stated / after_the_fact / not_stated;
every other safeguard fact the F1 of `stated` (most clauses state none, so accuracy
would flatter). Facts are scored on the clauses that annotate them (the gold kind), so
that a wrong kind does not hide how well a power's safeguards are read.
"""

from __future__ import annotations

import json
from pathlib import Path

from sklearn.metrics import f1_score

from clauseclf.assess.asks import ASKS
from clauseclf.assess.facts import FACT_NAMES, FactsModel, fact_targets
from clauseclf.errors import InputError

MULTI_VALUED = ("kind", "power", "judicial_authorisation")


def fact_scores(model: FactsModel, records: list[dict]) -> dict[str, dict]:
    """fact -> {"f1": ..., "clauses": how many annotate it}, over `records` (never trained on)."""
    predicted = model.predict([r["text"] for r in records])
    truth = fact_targets(records)
    scores = {}
    for fact in FACT_NAMES:
        rows = [i for i, value in enumerate(truth[fact]) if value is not None]
        if not rows or fact not in model.heads:
            continue
        gold = [truth[fact][i] for i in rows]
        guess = [_value(predicted[i], fact) for i in rows]
        scores[fact] = {"f1": round(fact_f1(fact, gold, guess), 3), "clauses": len(rows)}
    return scores


def _value(facts, fact: str) -> str:
    if fact == "kind":
        return facts.kind
    if fact == "power":
        return facts.power or "other"
    return facts.safeguards.get(fact, "not_stated")


def fact_f1(fact: str, gold: list[str], guess: list[str]) -> float:
    if fact in MULTI_VALUED:
        return float(f1_score(gold, guess, labels=sorted(set(gold)), average="macro", zero_division=0))
    return float(f1_score(gold, guess, pos_label="stated", average="binary", zero_division=0))


# ----------------------------------------------------------------------------- whole bills


def read_gold(folder: str | Path) -> list[dict]:
    """Every gold assessment (`<bill>.json`) in `folder`, sorted by name; each must give a status for asks 1-15."""
    gold = []
    for path in sorted(Path(folder).glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise InputError(path, f"unreadable gold assessment ({error})") from None
        statuses = {a.get("id"): a.get("status") for a in record.get("asks", []) if isinstance(a, dict)} \
            if isinstance(record, dict) else {}
        missing = [number for number in ASKS if number not in statuses]
        if missing:
            raise InputError(path, f"gold assessment gives no status for ask(s) {', '.join(map(str, missing))}",
                             hint="data/assessments/GUIDELINE.md: every ask 1-15 appears once")
        gold.append({"bill": record.get("bill") or path.stem, "document": record.get("document", ""),
                     "jurisdiction": record.get("jurisdiction", ""), "statuses": statuses, "path": str(path)})
    return gold


def bill_agreement(predicted: dict[str, dict[int, str]], gold: list[dict]) -> dict:
    """Per ask: on how many bills the predicted status equals the gold one; and over all asks."""
    per_ask = {}
    for number in ASKS:
        pairs = [(g["statuses"][number], predicted[g["bill"]][number]) for g in gold if g["bill"] in predicted]
        per_ask[number] = {"agree": sum(a == b for a, b in pairs), "bills": len(pairs), "pairs": pairs}
    agree = sum(v["agree"] for v in per_ask.values())
    total = sum(v["bills"] for v in per_ask.values())
    return {"per_ask": per_ask, "agree": agree, "total": total}


def agreement_markdown(table: dict, bills: list[str]) -> str:
    lines = [f"Bills: {', '.join(bills) or 'none yet'}.", "", "| # | ask | agree | bills | gold → predicted where they differ |",
             "| --- | --- | --- | --- | --- |"]
    for number, row in table["per_ask"].items():
        differ = ", ".join(f"{g} → {p}" for g, p in row["pairs"] if g != p) or "—"
        share = f"{row['agree'] / row['bills']:.0%}" if row["bills"] else "—"
        lines.append(f"| {number} | {ASKS[number]} | {row['agree']} ({share}) | {row['bills']} | {differ} |")
    share = f"{table['agree'] / table['total']:.0%}" if table["total"] else "—"
    lines.append(f"| all | every ask | {table['agree']} ({share}) | {table['total']} status(es) | |")
    return "\n".join(lines)


def facts_markdown(columns: dict[str, dict[str, dict]]) -> str:
    """One row per fact, one column per approach (name -> fact_scores)."""
    names = list(columns)
    facts = [f for f in FACT_NAMES if any(f in scores for scores in columns.values())]
    lines = ["| fact | clauses | " + " | ".join(names) + " |", "| --- | --- | " + " | ".join("---" for _ in names) + " |"]
    for fact in facts:
        count = next(scores[fact]["clauses"] for scores in columns.values() if fact in scores)
        cells = [f"{columns[n][fact]['f1']:.3f}" if fact in columns[n] else "—" for n in names]
        lines.append(f"| {fact} | {count} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
