"""What the Label Studio and Argilla formats share: the clause fields an item carries, and the strict import's
bookkeeping (what was skipped and why, one record per clause, every problem at once)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from clauseclf.errors import InputError
from clauseclf.review.records import ANNOTATION_FIELDS

TEXT_NAME, COMMENT_NAME = "text", "comment"
# Clause fields a task or record carries, so that an annotation comes back as a full corpus record.
CARRIED = ("doc_id", "clause_id", "unit", "heading", "id", *ANNOTATION_FIELDS)


@dataclass
class Imported:
    """What an import brought back: the corpus records, and how many items it skipped, by reason."""

    records: list[dict]
    skipped: Counter[str] = field(default_factory=Counter)


def model_version(record: dict) -> str:
    model = record.get("model") or {}
    name, digest = str(model.get("name") or "clauseclf"), str(model.get("hash") or "")
    return f"{name}@{digest[:12]}" if digest else name


def carried(record: dict) -> dict:
    return {name: record[name] for name in CARRIED if record.get(name) not in (None, "")}


def clause_from(data: dict) -> tuple[dict, str]:
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        return {}, "'text' is missing or empty"
    clause = {name: data[name] for name in CARRIED if name in data}
    return {**clause, "text": text, "labels": [], "evidence": {}}, ""


def add_once(imported: Imported, seen: dict, record: dict, number: int, noun: str, problems: list[str]) -> None:
    """Keep one record per clause: an agreeing duplicate is counted, a contradicting one is a problem."""
    first = seen.get(record["id"])
    if first is None:
        seen[record["id"]] = (number, record["labels"])
        imported.records.append(record)
    elif first[1] == record["labels"]:
        imported.skipped[f"duplicate {noun}s with the same labels (kept once)"] += 1
    else:
        problems.append(f"{noun}s {first[0]} and {number} both annotate clause {record['id']!r} with different "
                        f"labels: {first[1]} against {record['labels']} (settle it in the tool and export again)")


def refuse(path: Path, problems: list[str], shown: int = 12) -> None:
    more = f"; and {len(problems) - shown} more" if len(problems) > shown else ""
    raise InputError(path, "; ".join(problems[:shown]) + more, hint="nothing was imported")


def json_kind(value: object) -> str:
    """What a JSON value is, in JSON's words: 'a string', 'a number', 'true', 'a list', 'an object', 'null'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    kinds = ((str, "a string"), ((int, float), "a number"), (list, "a list"), (dict, "an object"))
    return next((name for kind, name in kinds if isinstance(value, kind)), "null")


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
