"""Prediction lines in, corpus records out: the data every review tool shares.

A prediction is one JSON line of `clauseclf label` (schema.Prediction.to_record);
a reviewed clause leaves as one record of the annotated corpus (ANNOTATION.md
fields), ready for `clauseclf train`.
"""

from __future__ import annotations

import json
from pathlib import Path

from clauseclf.corpus import read_text_file, write_jsonl
from clauseclf.errors import InputError
from clauseclf.label.evidence import explain
from clauseclf.outputs import check_writable
from clauseclf.utf8 import Expected

# How much a predicted label weighs in a clause's risk. The three human-rights
# flags outweigh the legitimate core (ANNOTATION.md: core_cybercrime is what a
# cybercrime law should hold); a label this table does not know weighs 1.
SEVERITY = {"overbroad": 1.0, "content_offence": 1.0, "missing_intent": 0.75, "core_cybercrime": 0.25}
# Fields of the annotated corpus that a prediction carries through from its input rows.
ANNOTATION_FIELDS = ("instrument", "jurisdiction", "year", "kind", "lang", "source")
PREDICTIONS = Expected("predictions file", "UTF-8 JSON Lines, as `clauseclf label` writes them")


def read_predictions(path: str | Path) -> list[dict]:
    """Every prediction line of a JSONL file, checked; raises InputError naming the first bad line."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        raise InputError(path, "review tools read JSONL predictions", hint="label with --format jsonl")
    records, seen = [], {}
    for number, line in enumerate(read_text_file(path, PREDICTIONS).splitlines(), start=1):
        if not line.strip():
            continue
        record = _parse_line(path, number, line)
        key = clause_key(record)
        if key in seen:
            raise InputError(path, f"clause {key!r} appears twice (first on line {seen[key]})", line=number,
                             hint="give each clause its own clause_id")
        seen[key] = number
        records.append(record)
    if not records:
        raise InputError(path, "holds no prediction")
    return records


def _parse_line(path: Path, number: int, line: str) -> dict:
    hint = "expected a line written by `clauseclf label`"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(path, f"malformed JSON ({error.msg} at column {error.colno})", line=number,
                         hint=hint) from None
    except ValueError as error:  # an integer of over 4,300 digits (sys.get_int_max_str_digits)
        raise InputError(path, f"unreadable JSON ({error})", line=number, hint=hint) from None
    except RecursionError:
        raise InputError(path, "JSON nested too deeply to be a prediction", line=number, hint=hint) from None
    problem = _problem(record)
    if problem:
        raise InputError(path, problem, line=number, hint=hint)
    record.setdefault("doc_id", path.stem)
    record.setdefault("clause_id", str(number))
    record.setdefault("heading", [])
    record.setdefault("unit", "")
    record.setdefault("needs_review", False)
    record.setdefault("model", {})
    record.setdefault("evidence", {})
    return record


def _problem(record: object) -> str:
    if not isinstance(record, dict):
        return "expected a JSON object"
    if not isinstance(record.get("text"), str) or not record["text"].strip():
        return "'text' is missing or empty"
    scores = record.get("scores")
    if not isinstance(scores, dict) or not all(isinstance(v, (int, float)) for v in scores.values()):
        return "'scores' must map each label to a probability"
    labels = record.get("labels")
    if (not isinstance(labels, list) or not all(isinstance(label, str) for label in labels)
            or not set(labels) <= set(scores)):
        return "'labels' must be a list of labels that 'scores' names"
    if not isinstance(record.get("evidence", {}), dict):
        return "'evidence' must map a label to a list of spans"
    return _id_problem(record.get("doc_id", ""), record.get("clause_id", ""))


def _id_problem(doc_id: object, clause_id: object) -> str:
    # The key is doc_id + '::' + clause_id; it splits one way only (at its first '::') when doc_id holds no '::'
    # and does not end with ':'. Otherwise 'a:' + 'b' and 'a' + ':b' would both be 'a:::b'.
    for name, value in (("doc_id", doc_id), ("clause_id", clause_id)):
        if not isinstance(value, str):
            return f"'{name}' must be text, not {json.dumps(value)}"
    if "::" in doc_id or doc_id.endswith(":"):
        return f"'doc_id' may not contain '::' or end with ':' (got {doc_id!r}): keys are doc_id::clause_id"
    return ""


def clause_key(record: dict) -> str:
    """One clause's identity across files and tools: its document and its clause id, as `doc_id::clause_id`.

    The key parses back one way only: read_predictions refuses a doc_id that holds
    '::' or ends with ':', and so does this function (ValueError).

    >>> clause_key({"doc_id": "bill", "clause_id": "s. 1::a"})
    'bill::s. 1::a'
    """
    doc_id, clause_id = record.get("doc_id", ""), record.get("clause_id", "")
    problem = _id_problem(doc_id, clause_id)
    if problem:
        raise ValueError(problem)
    return f"{doc_id}::{clause_id}"


def label_names(records: list[dict]) -> list[str]:
    """The model's labels, in the order its `scores` list them (read from the data, never a constant)."""
    names: dict[str, None] = {}
    for record in records:
        names.update(dict.fromkeys(record["scores"]))
    return list(names)


# ----------------------------------------------------------------------------- ranking


def severity(record: dict) -> float:
    """Sum of the predicted labels' scores, each weighted by SEVERITY (0 for an unflagged clause)."""
    return sum(SEVERITY.get(label, 1.0) * float(record["scores"].get(label, 0.0)) for label in record["labels"])


def uncertainty(record: dict) -> float:
    """1 where some label's score is a coin toss (0.5), 0 where every score is 0 or 1."""
    return max((1 - abs(2 * float(s) - 1) for s in record["scores"].values()), default=0.0)


def confidence(record: dict) -> float:
    return 1 - uncertainty(record)


def read_in_part(record: dict) -> str:
    """What a reviewer should know of a clause longer than the model reads (Prediction.tokens_read); else ""."""
    total, read = record.get("tokens"), record.get("tokens_read")
    if not (isinstance(total, int) and isinstance(read, int) and 0 <= read < total):
        return ""
    return (f"labelled from its start: the model read {read} of its {total} word pieces "
            "(the evidence is quoted from the whole clause)")


def review_order(records: list[dict]) -> list[dict]:
    """The queue: clauses the model marked `needs_review` first, then the most severe and uncertain."""
    return sorted(records, key=lambda r: (not r["needs_review"], -(severity(r) + uncertainty(r))))


def risk_order(records: list[dict]) -> list[dict]:
    """The report: the riskiest clauses first; among equals, those that need review."""
    return sorted(records, key=lambda r: (-round(severity(r), 6), not r["needs_review"]))


# ----------------------------------------------------------------------------- corpus records


def evidence_strings(record: dict, labels: list[str]) -> list[str]:
    """The evidence texts for the labels a reviewer kept: the model's spans where it predicted the
    label, fresh lexicon spans (evidence.explain) where the reviewer added it."""
    model_spans = record.get("evidence") or {}
    added = [label for label in labels if label not in model_spans]
    fresh = explain(record["text"], added)
    texts = [span.get("text") for label in labels for span in (model_spans.get(label) or fresh.get(label) or [])]
    return list(dict.fromkeys(t for t in texts if isinstance(t, str) and t and t in record["text"]))


def corpus_record(record: dict, labels: list[str], comment: str, review: dict) -> dict:
    """One annotated record (ANNOTATION.md fields) for a reviewed clause; `review` says who decided, when."""
    out = {
        "id": str(record.get("id") or f"{record.get('doc_id', '')}:{record.get('clause_id', '')}"),
        "text": record["text"],
        "labels": list(labels),
        "unit": record.get("unit", ""),
        "evidence": evidence_strings(record, labels),
        "rationale": comment,
        "source": record.get("source") or record.get("doc_id", ""),
    }
    for name in ANNOTATION_FIELDS:
        if record.get(name) not in (None, "") and name not in out:
            out[name] = record[name]
    out["doc_id"] = record.get("doc_id", "")
    out["heading"] = record.get("heading", [])
    out["review"] = review
    return out


def write_records(records: list[dict], output: str | Path, force: bool = False) -> Path:
    """Write JSONL atomically; refuses to overwrite without `force` (OutputExistsError)."""
    output = check_writable(output, force)
    write_jsonl(records, output)
    return output
