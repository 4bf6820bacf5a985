"""Label Studio and Argilla: predictions out as pre-annotations, reviewed annotations back in as corpus records.

Label Studio. Tasks follow its "Basic Label Studio JSON format" for pre-annotated
data: a `data` object with the text, and a `predictions` list whose items carry
`model_version`, `score` and a `result` list of `{from_name, to_name, type:
"choices", value: {choices: [...]}}` (https://labelstud.io/guide/predictions,
https://labelstud.io/guide/task_format). The project's labeling config is
`label_studio_config(labels)`: a `<Choices choice="multiple">` with one `<Choice>`
per label, and a `<TextArea>` for the reviewer's comment. Its JSON export (a list
of tasks with `annotations`) comes back through `from_label_studio`.

Argilla (v2 SDK). Records are what `rg.Record.to_dict()` writes and
`dataset.records.to_json()` saves as a JSON list: `{id, fields, metadata,
suggestions: {question: {value, score, agent}}, responses: {question: [{value,
user_id}]}, vectors}` (argilla-io/argilla, argilla/src/argilla/records/_resource.py,
`Record.to_dict` / `Record.from_dict`; suggestions.py: `Suggestion(question_name,
value, score, agent)`). One yes/no `LabelQuestion` per label carries that label's
suggestion and score, so no score is lost; `argilla_settings(labels)` describes
the dataset to create (`rg.Settings`).
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import quoteattr

from clauseclf.corpus import read_text_file
from clauseclf.errors import InputError
from clauseclf.outputs import atomic_write_text, check_writable
from clauseclf.review.records import (ANNOTATION_FIELDS, clause_key, confidence, corpus_record, read_predictions,
                                      severity)

FORMATS = ("label-studio", "argilla")
CHOICES_NAME, TEXT_NAME, COMMENT_NAME = "labels", "text", "comment"
YES, NO = "yes", "no"
# Clause fields a task or record carries, so that an annotation comes back as a full corpus record.
CARRIED = ("doc_id", "clause_id", "unit", "heading", "id", *ANNOTATION_FIELDS)


def model_version(record: dict) -> str:
    model = record.get("model") or {}
    name, digest = str(model.get("name") or "clauseclf"), str(model.get("hash") or "")
    return f"{name}@{digest[:12]}" if digest else name


def _carried(record: dict) -> dict:
    return {name: record[name] for name in CARRIED if record.get(name) not in (None, "")}


# ----------------------------------------------------------------------------- Label Studio


def label_studio_config(labels: list[str]) -> str:
    """The labeling config (XML) that the tasks of `to_label_studio` match."""
    choices = "\n".join(f"    <Choice value={quoteattr(label)}/>" for label in labels)
    return (f"<View>\n  <Header value=\"$unit\"/>\n  <Text name=\"{TEXT_NAME}\" value=\"$text\"/>\n"
            f"  <Choices name=\"{CHOICES_NAME}\" toName=\"{TEXT_NAME}\" choice=\"multiple\" showInLine=\"true\">\n"
            f"{choices}\n  </Choices>\n"
            f"  <TextArea name=\"{COMMENT_NAME}\" toName=\"{TEXT_NAME}\" rows=\"3\" maxSubmissions=\"1\" "
            f"editable=\"true\" placeholder=\"Why? (becomes the record's rationale)\"/>\n</View>\n")


def to_label_studio(records: list[dict]) -> list[dict]:
    """One task per clause; its prediction pre-ticks the predicted labels.

    The prediction `score` is the model's confidence (1 - uncertainty), so Label
    Studio's "lowest score first" ordering walks the most uncertain clauses first;
    every label's own probability is in `data.scores`.
    """
    tasks = []
    for record in records:
        result = [{"id": f"{CHOICES_NAME}-0", "from_name": CHOICES_NAME, "to_name": TEXT_NAME, "type": "choices",
                   "value": {"choices": list(record["labels"])}}] if record["labels"] else []
        # `unit` always: the config's <Header value="$unit"/> needs it in every task.
        data = {"text": record["text"], "unit": record.get("unit", ""), **_carried(record),
                "clause_key": clause_key(record),
                "scores": record["scores"], "needs_review": bool(record["needs_review"]),
                "risk": round(severity(record), 4)}
        tasks.append({"data": data, "predictions": [{"model_version": model_version(record),
                                                      "score": round(confidence(record), 4), "result": result}]})
    return tasks


def from_label_studio(tasks: object, path: Path, labels: list[str]) -> list[dict]:
    """Corpus records from Label Studio's JSON export; tasks with no submitted annotation are skipped."""
    if not isinstance(tasks, list):
        raise InputError(path, "expected a JSON list of tasks", hint="export the project as 'JSON' in Label Studio")
    records = []
    for number, task in enumerate(tasks, start=1):
        where = f"task {number}"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise InputError(path, f"{where} has no 'data' object", hint="export the project as 'JSON', not JSON-MIN")
        annotation = _latest_annotation(task.get("annotations") or [])
        if annotation is None:
            continue
        chosen, comment = _read_result(annotation.get("result") or [], path, where, labels)
        clause = _clause(task["data"], path, where)
        review = {"reviewer": _person(annotation.get("completed_by")),
                  "reviewed_at": annotation.get("updated_at") or annotation.get("created_at") or "",
                  "decision": "annotated", "tool": "label-studio"}
        records.append(corpus_record(clause, [label for label in labels if label in chosen], comment, review))
    return records


def _latest_annotation(annotations: list) -> dict | None:
    kept = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    return max(kept, key=lambda a: str(a.get("updated_at") or a.get("created_at") or ""), default=None)


def _read_result(result: list, path: Path, where: str, labels: list[str]) -> tuple[set[str], str]:
    chosen, comments = set(), []
    for item in result:
        value = item.get("value") if isinstance(item, dict) else None
        if not isinstance(value, dict):
            raise InputError(path, f"{where}: a result item has no 'value' object")
        if item.get("type") == "choices" and item.get("from_name") == CHOICES_NAME:
            chosen.update(value.get("choices") or [])
        elif item.get("type") == "textarea" and item.get("from_name") == COMMENT_NAME:
            text = value.get("text") or []
            comments += [text] if isinstance(text, str) else [str(t) for t in text]
    unknown = sorted(chosen - set(labels))
    if unknown:
        raise InputError(path, f"{where}: unknown label(s) {', '.join(unknown)}",
                         hint=f"the labeling config must use the labels {', '.join(labels)}")
    return chosen, " ".join(c.strip() for c in comments if c.strip())


def _person(who: object) -> str:
    if isinstance(who, dict):
        return str(who.get("email") or who.get("username") or who.get("id") or "")
    return "" if who is None else str(who)


def _clause(data: dict, path: Path, where: str) -> dict:
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(path, f"{where}: 'text' is missing or empty")
    clause = {name: data[name] for name in CARRIED if name in data}
    return {**clause, "text": text, "labels": [], "evidence": {}}


# ----------------------------------------------------------------------------- Argilla


def argilla_settings(labels: list[str]) -> dict:
    """What the dataset's `rg.Settings` hold, as plain data (docs/review.md shows the Python)."""
    return {
        "fields": [{"name": TEXT_NAME, "type": "text"}],
        "questions": [*({"name": label, "type": "label_selection", "labels": [YES, NO]} for label in labels),
                      {"name": COMMENT_NAME, "type": "text", "required": False}],
        "metadata": [{"name": "needs_review", "type": "terms"}, {"name": "risk", "type": "float"}],
    }


def to_argilla(records: list[dict]) -> list[dict]:
    """One Argilla record per clause: a yes/no suggestion for every label, scored by the model's probability
    of the suggested answer."""
    out = []
    for record in records:
        agent = model_version(record)
        suggestions = {}
        for label, score in record["scores"].items():
            answer = YES if label in record["labels"] else NO
            probability = float(score) if answer == YES else 1 - float(score)
            suggestions[label] = {"value": answer, "score": round(probability, 4), "agent": agent}
        metadata = {**_carried(record), "needs_review": YES if record["needs_review"] else NO,
                    "risk": round(severity(record), 4)}
        out.append({"id": clause_key(record), "fields": {TEXT_NAME: record["text"]}, "metadata": metadata,
                    "suggestions": suggestions, "responses": {}, "vectors": {}})
    return out


def from_argilla(records: object, path: Path, labels: list[str]) -> list[dict]:
    """Corpus records from exported Argilla records; a record nobody answered is skipped.

    Several reviewers: a label is kept when at least half of those who answered its
    question said yes (a tie keeps the flag, for the next reviewer to settle).
    """
    if not isinstance(records, list):
        raise InputError(path, "expected a JSON list of records", hint="save them with dataset.records.to_json()")
    out = []
    for number, record in enumerate(records, start=1):
        where = f"record {number}"
        if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
            raise InputError(path, f"{where} has no 'fields' object")
        responses = record.get("responses") or {}
        answered = {name: [r for r in responses.get(name) or [] if isinstance(r, dict)] for name in labels}
        if not any(answered.values()):
            continue
        chosen = [label for label, answers in answered.items() if answers and _kept(answers, path, where)]
        metadata = record.get("metadata") or {}
        clause = _clause({**metadata, TEXT_NAME: record["fields"].get(TEXT_NAME)}, path, where)
        users = sorted({str(r.get("user_id")) for answers in answered.values() for r in answers})
        comments = [str(r.get("value", "")).strip() for r in responses.get(COMMENT_NAME) or [] if isinstance(r, dict)]
        review = {"reviewer": ", ".join(users), "reviewed_at": "", "decision": "annotated", "tool": "argilla"}
        out.append(corpus_record(clause, chosen, " / ".join(c for c in comments if c), review))
    return out


def _kept(answers: list[dict], path: Path, where: str) -> bool:
    values = [a.get("value") for a in answers]
    if any(v not in (YES, NO) for v in values):
        raise InputError(path, f"{where}: a label answer must be '{YES}' or '{NO}', got {values}")
    return 2 * values.count(YES) >= len(values)


# ----------------------------------------------------------------------------- files


def export_predictions(predictions: str | Path, output: str | Path, fmt: str, force: bool = False) -> int:
    """Write the predictions as Label Studio tasks or Argilla records (one JSON list); returns the count."""
    _check_format(fmt)
    output = check_writable(output, force)
    records = read_predictions(predictions)
    items = to_label_studio(records) if fmt == "label-studio" else to_argilla(records)
    atomic_write_text(output, json.dumps(items, ensure_ascii=False, indent=1) + "\n")
    return len(items)


def import_annotations(path: str | Path, fmt: str, labels: list[str]) -> list[dict]:
    """Corpus records from a Label Studio JSON export or saved Argilla records."""
    _check_format(fmt)
    path = Path(path)
    try:
        data = json.loads(read_text_file(path))
    except json.JSONDecodeError as error:
        raise InputError(path, f"malformed JSON ({error.msg})", line=error.lineno) from None
    return from_label_studio(data, path, labels) if fmt == "label-studio" else from_argilla(data, path, labels)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")

