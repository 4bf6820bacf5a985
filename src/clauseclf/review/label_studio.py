"""Label Studio: predictions out as pre-annotated tasks, the project's JSON export back as corpus records.

Tasks follow its "Basic Label Studio JSON format" for pre-annotated data: a
`data` object with the text, and a `predictions` list whose items carry
`model_version`, `score` and a `result` list of `{from_name, to_name, type:
"choices", value: {choices: [...]}}` (https://labelstud.io/guide/predictions,
https://labelstud.io/guide/task_format). The project's labeling config is
`label_studio_config(labels)`: a required `<Choices choice="multiple">` with one
`<Choice>` per label and a last one, `none`, for "no label applies", and a
`<TextArea>` for the reviewer's comment. Its JSON export (a list of tasks with
`annotations`) comes back through `from_label_studio`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from xml.sax.saxutils import quoteattr

from clauseclf.errors import InputError, one_line
from clauseclf.review.exchange import (COMMENT_NAME, TEXT_NAME, Imported, add_once, carried, clause_from,
                                       json_kind, model_version, plural, refuse)
from clauseclf.review.records import clause_key, confidence, corpus_record, severity

CHOICES_NAME = "labels"
# The choice that says "no label applies": a clause leaves without labels only where a reviewer ticked it.
NONE = "none"


def label_studio_config(labels: list[str]) -> str:
    """The labeling config (XML) that the tasks of `to_label_studio` match.

    Its last choice, `none`, says that no label applies: an answer is always
    ticked (`required`), so a clause nobody looked at is never taken for one
    without labels.
    """
    if NONE in labels:
        raise ValueError(f"a label may not be called {NONE!r}: the labeling config uses it for 'no label applies'")
    choices = "\n".join(f"    <Choice value={quoteattr(label)}/>" for label in labels)
    choices += f"\n    <Choice value=\"{NONE}\" hint=\"no label applies\"/>"
    return (f"<View>\n  <Header value=\"$unit\"/>\n  <Text name=\"{TEXT_NAME}\" value=\"$text\"/>\n"
            f"  <Choices name=\"{CHOICES_NAME}\" toName=\"{TEXT_NAME}\" choice=\"multiple\" showInLine=\"true\" "
            f"required=\"true\">\n"
            f"{choices}\n  </Choices>\n"
            f"  <TextArea name=\"{COMMENT_NAME}\" toName=\"{TEXT_NAME}\" rows=\"3\" maxSubmissions=\"1\" "
            f"editable=\"true\" placeholder=\"Why? (becomes the record's rationale)\"/>\n</View>\n")


def to_label_studio(records: list[dict]) -> list[dict]:
    """One task per clause; its prediction pre-ticks the predicted labels.

    The prediction `score` is the model's confidence (1 - uncertainty), so Label
    Studio's "lowest score first" ordering walks the most uncertain clauses first;
    every label's own probability is in `data.scores`. A clause the model left
    unlabelled comes with `none` ticked.
    """
    tasks = []
    for record in records:
        result = [{"id": f"{CHOICES_NAME}-0", "from_name": CHOICES_NAME, "to_name": TEXT_NAME, "type": "choices",
                   "value": {"choices": list(record["labels"]) or [NONE]}}]
        # `unit` always: the config's <Header value="$unit"/> needs it in every task.
        data = {"text": record["text"], "unit": record.get("unit", ""), **carried(record),
                "clause_key": clause_key(record),
                "scores": record["scores"], "needs_review": bool(record["needs_review"]),
                "risk": round(severity(record), 4)}
        tasks.append({"data": data, "predictions": [{"model_version": model_version(record),
                                                      "score": round(confidence(record), 4), "result": result}]})
    return tasks


def from_label_studio(tasks: object, path: Path, labels: list[str], choices_name: str = CHOICES_NAME,
                      comment_name: str = COMMENT_NAME) -> Imported:
    """Corpus records from Label Studio's JSON export, read strictly.

    The annotations may only use the controls the export's config names: the
    `Choices` (`choices_name`) and the `TextArea` (`comment_name`); any other
    control, a malformed annotation, an unknown label or two tasks for one clause
    with different labels refuse the whole file, every problem named at once.
    The latest annotation that was not cancelled counts. A clause has no label
    only where a reviewer ticked `none`: a task with nothing ticked is skipped and
    counted, like a task nobody annotated.
    """
    if not isinstance(tasks, list):
        raise InputError(path, "expected a JSON list of tasks", hint="export the project as 'JSON' in Label Studio")
    problems: list[str] = []
    controls: Counter[tuple[str, str]] = Counter()
    answers = []  # (task number, data, annotation or the reason it is skipped)
    for number, task in enumerate(tasks, start=1):
        where = f"task {number}"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise InputError(path, f"{where} has no 'data' object", hint="export the project as 'JSON', not JSON-MIN")
        annotations = task.get("annotations")
        if annotations is None:
            annotations = []
        if not isinstance(annotations, list):
            problems.append(f"{where}: 'annotations' is not a list")
            continue
        malformed = [problem for index, annotation in enumerate(annotations, start=1)
                     for problem in _check_annotation(annotation, f"{where}, annotation {index}", controls)]
        problems += malformed
        if not malformed:
            answers.append((number, task["data"], _latest_annotation(annotations)))
    expected = {(choices_name, "choices"), (comment_name, "textarea")}
    unknown = {control: count for control, count in controls.items() if control not in expected}
    if unknown:
        found = ", ".join(f"{name!r} ({kind}, {plural(count, 'result')})" for (name, kind), count in sorted(unknown.items()))
        problems.insert(0, f"the annotations use control(s) {found}; expected the choices control '{choices_name}' and "
                           f"the comment '{comment_name}' of the exported config (name the project's own with "
                           f"--choices-name / --comment-name)")

    imported, seen = Imported([]), {}
    for number, data, annotation in answers:
        where = f"task {number}"
        if isinstance(annotation, str):
            imported.skipped[annotation] += 1
            continue
        chosen, comment, problem = _read_result(annotation["result"], labels, choices_name, comment_name)
        if problem:
            problems.append(f"{where}: {problem}")
            continue
        if chosen is None:
            imported.skipped[NOTHING_TICKED] += 1
            continue
        clause, problem = clause_from(data)
        if problem:
            problems.append(f"{where}: {problem}")
            continue
        review = {"reviewer": _person(annotation.get("completed_by")),
                  "reviewed_at": annotation.get("updated_at") or annotation.get("created_at") or "",
                  "decision": "annotated", "tool": "label-studio"}
        record = corpus_record(clause, [label for label in labels if label in chosen], comment, review)
        add_once(imported, seen, record, number, "task", problems)
    if problems:
        refuse(path, problems)
    return imported


NO_ANNOTATION, ALL_CANCELLED = "tasks nobody annotated", "tasks whose every annotation was cancelled"
NOTHING_TICKED = f"tasks annotated without a ticked choice (tick '{NONE}' for no label)"


def _check_annotation(annotation: object, where: str, controls: Counter) -> list[str]:
    """The problems of one annotation; counts the (control, type) of each result item in `controls`."""
    if not isinstance(annotation, dict):
        return [f"{where} is not an object"]
    result = annotation.get("result")
    if not isinstance(result, list):
        return [f"{where}: 'result' is not a list"]
    problems = []
    for item in result:
        if not isinstance(item, dict) or not isinstance(item.get("value"), dict):
            problems.append(f"{where}: a result item has no 'value' object")
        elif not isinstance(item.get("from_name"), str) or not isinstance(item.get("type"), str):
            problems.append(f"{where}: a result item has no 'from_name' or 'type'")
        else:
            controls[(item["from_name"], item["type"])] += 1
    return problems


def _latest_annotation(annotations: list) -> dict | str:
    """The latest annotation not cancelled, or why there is none."""
    kept = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    if not kept:
        return ALL_CANCELLED if annotations else NO_ANNOTATION
    return max(kept, key=lambda a: str(a.get("updated_at") or a.get("created_at") or ""))


def _read_result(result: list, labels: list[str], choices_name: str,
                 comment_name: str) -> tuple[set[str] | None, str, str]:
    """(chosen labels, or None when nothing was ticked; the comment; a problem, or '')."""
    chosen, comments, ticked = set(), [], False
    for item in result:
        value = item["value"]
        if item["type"] == "choices" and item["from_name"] == choices_name:
            values = value.get("choices")
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                return None, "", "'choices' is not a list of labels"
            chosen.update(values)
            ticked = ticked or bool(values)
        elif item["type"] == "textarea" and item["from_name"] == comment_name:
            text = value.get("text") or []
            if isinstance(text, str):
                comments.append(text)
            elif isinstance(text, list):
                comments += [str(t) for t in text]
            else:
                return None, "", f"the comment's 'text' is not text or a list of texts (got {json_kind(text)})"
    unknown = sorted(chosen - set(labels) - {NONE})
    if unknown:
        return None, "", (f"unknown label(s) {one_line(', '.join(unknown))} (the labeling config must use the labels "
                          f"{', '.join(labels)} and '{NONE}')")
    if NONE in chosen and len(chosen) > 1:
        return None, "", f"'{NONE}' ticked together with {', '.join(sorted(chosen - {NONE}))}"
    comment = " ".join(c.strip() for c in comments if c.strip())
    return (chosen - {NONE} if ticked else None), comment, ""


def _person(who: object) -> str:
    if isinstance(who, dict):
        return str(who.get("email") or who.get("username") or who.get("id") or "")
    return "" if who is None else str(who)
