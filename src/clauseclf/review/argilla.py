"""Argilla (v2 SDK): predictions out as records with suggestions, reviewed records back as corpus records.

Records are what `rg.Record.to_dict()` writes and `dataset.records.to_json()`
saves as a JSON list: `{id, fields, metadata, suggestions: {question: {value,
score, agent}}, responses: {question: [{value, user_id}]}, vectors}`
(argilla-io/argilla, argilla/src/argilla/records/_resource.py, `Record.to_dict` /
`Record.from_dict`; suggestions.py: `Suggestion(question_name, value, score,
agent)`). One yes/no `LabelQuestion` per label carries that label's suggestion
and score, so no score is lost; `argilla_settings(labels)` describes the dataset
to create (`rg.Settings`).

`Record.to_dict()` leaves out each response's `status` (submitted, draft or
discarded; responses.py `Response(question_name, value, user_id, status)`), and
only submitted answers are verdicts, so the import wants it back in each
response, which `Record.from_dict` accepts as well:

    [{**r.to_dict(), "responses": {q: [{"value": a.value, "user_id": str(a.user_id), "status": a.status.value}
                                       for a in r.responses[q]] for q in {a.question_name for a in r.responses}}}
     for r in dataset.records(with_responses=True)]
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from clauseclf.errors import InputError
from clauseclf.review.exchange import (COMMENT_NAME, TEXT_NAME, Imported, add_once, carried, clause_from,
                                       json_kind, model_version, plural, refuse)
from clauseclf.review.records import clause_key, corpus_record, severity

YES, NO = "yes", "no"
# Argilla v2 response statuses (argilla/src/argilla/responses.py, ResponseStatus); only "submitted" counts.
RESPONSE_STATUSES = ("submitted", "draft", "discarded")


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
        metadata = {**carried(record), "needs_review": YES if record["needs_review"] else NO,
                    "risk": round(severity(record), 4)}
        out.append({"id": clause_key(record), "fields": {TEXT_NAME: record["text"]}, "metadata": metadata,
                    "suggestions": suggestions, "responses": {}, "vectors": {}})
    return out


def from_argilla(records: object, path: Path, labels: list[str], questions: dict[str, str] | None = None,
                 comment_name: str = COMMENT_NAME, only_submitted: bool = False) -> Imported:
    """Corpus records from exported Argilla records, read strictly.

    `questions` maps a label to its question's name where the dataset renamed it
    (by default the question is the label). Only submitted responses count: a
    draft or discarded one is ignored and counted. Each response needs its
    `status`; `only_submitted` says the file holds nothing else, so one without a
    status counts. A record is kept when every label's question has a submitted
    answer; with several reviewers a label is kept when at least half of those who
    answered it said yes (a tie keeps the flag, for the next reviewer to settle).
    An answer to a question the export did not write, a malformed response or two
    records for one clause with different labels refuse the whole file.
    """
    if not isinstance(records, list):
        raise InputError(path, "expected a JSON list of records", hint="save them with dataset.records.to_json()")
    questions = {label: (questions or {}).get(label, label) for label in labels}
    problems: list[str] = []
    names: Counter[str] = Counter()
    no_status = 0
    for number, record in enumerate(records, start=1):
        where = f"record {number}"
        if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
            raise InputError(path, f"{where} has no 'fields' object")
        responses = record.get("responses")
        if responses is None:
            continue
        if not isinstance(responses, dict):
            problems.append(f"{where}: 'responses' is not an object")
            continue
        for name, answers in responses.items():
            if not isinstance(answers, list) or not all(isinstance(a, dict) and "value" in a for a in answers):
                problems.append(f"{where}: the responses to {name!r} are not a list of {{value, user_id, status}}")
                continue
            names[name] += len(answers)
            for answer in answers:
                status = answer.get("status")
                if status is None:
                    no_status += 1
                elif status not in RESPONSE_STATUSES:
                    problems.append(f"{where}: response status {status!r} is not one of {', '.join(RESPONSE_STATUSES)}")
    expected = [*questions.values(), comment_name]
    unknown = {name: count for name, count in names.items() if name not in expected}
    if unknown:
        found = ", ".join(f"{name!r} ({plural(count, 'response')})" for name, count in sorted(unknown.items()))
        problems.insert(0, f"responses to question(s) {found} that the export did not write; expected "
                           f"{', '.join(repr(name) for name in expected)} (name the dataset's own with "
                           f"--question LABEL=NAME / --comment-name)")
    if no_status and not only_submitted:
        problems.append(f"{plural(no_status, 'response')} without a 'status', so drafts cannot be told from submitted "
                        f"answers: save each response's status (`clauseclf import --help` shows how), or pass "
                        f"--only-submitted if the file holds submitted responses only")
    if problems:
        refuse(path, problems)

    imported, seen = Imported([]), {}
    for number, record in enumerate(records, start=1):
        where = f"record {number}"
        responses = record.get("responses") or {}
        submitted = {}
        for name in expected:
            answers = responses.get(name) or []
            for answer in answers:
                status = answer.get("status") or "submitted"
                if status != "submitted":
                    imported.skipped[f"{status} responses ignored"] += 1
            submitted[name] = [a for a in answers if (a.get("status") or "submitted") == "submitted"]
        answered = {label: submitted[questions[label]] for label in labels}
        if not any(answered.values()):
            imported.skipped["records with no submitted response"] += 1
            continue
        if not all(answered.values()):
            imported.skipped["records where not every label was answered"] += 1
            continue
        chosen, problem = [], ""
        for label, answers in answered.items():
            values = [a.get("value") for a in answers]
            if any(v not in (YES, NO) for v in values):
                problem = f"a label answer must be '{YES}' or '{NO}', got {values}"
                break
            if 2 * values.count(YES) >= len(values):
                chosen.append(label)
        metadata = record.get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            problem = problem or f"'metadata' is not an object (got {json_kind(metadata)})"
            metadata = None
        clause, missing = clause_from({**(metadata or {}), TEXT_NAME: record["fields"].get(TEXT_NAME)})
        if problem or missing:
            problems.append(f"{where}: {problem or missing}")
            continue
        users = sorted({str(a.get("user_id")) for answers in answered.values() for a in answers})
        comments = [str(a.get("value", "")).strip() for a in submitted[comment_name]]
        review = {"reviewer": ", ".join(users), "reviewed_at": "", "decision": "annotated", "tool": "argilla"}
        add_once(imported, seen, corpus_record(clause, chosen, " / ".join(c for c in comments if c), review),
                  number, "record", problems)
    if problems:
        refuse(path, problems)
    return imported
