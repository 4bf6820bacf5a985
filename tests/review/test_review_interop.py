"""Label Studio and Argilla files, checked against the formats those tools document, and their re-import.

Label Studio: tasks with `data` and `predictions` (model_version, score, result of
`choices` items naming the config's control and object tags), labelstud.io/guide/predictions
and /guide/task_format. Argilla v2: what `rg.Record.to_dict()` writes and
`rg.Record.from_dict()` reads (argilla-io/argilla, argilla/src/argilla/records/_resource.py).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
import typer
from typer.testing import CliRunner

from clauseclf.corpus import validate
from clauseclf.errors import InputError
from clauseclf.cli.review import export_command, import_command
from clauseclf.review.interop import (argilla_settings, export_predictions, from_argilla, from_label_studio,
                                      label_studio_config, to_argilla, to_label_studio)
from clauseclf.review.records import read_predictions
from clauseclf.schema import LabelSchema
from conftest import REPO_ROOT

PREDICTIONS = REPO_ROOT / "tests" / "fixtures" / "review" / "predictions.jsonl"
LABELS = LabelSchema.from_yaml().names


@pytest.fixture
def records() -> list[dict]:
    return read_predictions(PREDICTIONS)


# ----------------------------------------------------------------------------- Label Studio


def check_label_studio_task(task: dict, config: ET.Element) -> None:
    """What Label Studio requires of an imported pre-annotated task, for a config of Text/Choices/TextArea."""
    variables = {tag.get("value")[1:] for tag in config.iter() if (tag.get("value") or "").startswith("$")}
    assert variables <= set(task["data"]), variables - set(task["data"])
    controls = {tag.get("name"): tag for tag in config.iter() if tag.tag in ("Choices", "TextArea")}
    objects = {tag.get("name") for tag in config.iter() if tag.tag == "Text"}
    for prediction in task["predictions"]:
        assert isinstance(prediction["model_version"], str) and prediction["model_version"]
        assert isinstance(prediction["score"], float) and 0 <= prediction["score"] <= 1
        for item in prediction["result"]:
            control = controls[item["from_name"]]
            assert item["to_name"] in objects and control.get("toName") == item["to_name"]
            assert item["type"] == control.tag.lower()
            allowed = {choice.get("value") for choice in control.iter("Choice")}
            assert set(item["value"]["choices"]) <= allowed


def test_label_studio_config_has_one_multiple_choice_per_label():
    config = ET.fromstring(label_studio_config(LABELS))
    choices = config.find("Choices")
    assert choices.get("choice") == "multiple" and choices.get("toName") == config.find("Text").get("name")
    assert [c.get("value") for c in choices.iter("Choice")] == [*LABELS, "none"] and choices.get("required") == "true"


def test_label_studio_tasks_match_the_documented_format(records):
    config = ET.fromstring(label_studio_config(LABELS))
    tasks = to_label_studio(records)
    assert len(tasks) == len(records)
    for task, record in zip(tasks, records):
        check_label_studio_task(task, config)
        assert task["data"]["text"] == record["text"] and task["data"]["scores"] == record["scores"]
        choices = [c for item in task["predictions"][0]["result"] for c in item["value"]["choices"]]
        assert choices == (record["labels"] or ["none"])  # an unlabelled clause comes with 'none' ticked
    # the most uncertain clause has the lowest score, so Label Studio shows it first
    lowest = min(tasks, key=lambda t: t["predictions"][0]["score"])
    assert lowest["data"]["needs_review"]


def label_studio_export(tasks: list[dict], verdicts: dict[int, tuple[list[str], str]]) -> list[dict]:
    """Tasks as Label Studio's JSON export writes them once annotated (task_format: `annotations`)."""
    exported = []
    for number, task in enumerate(tasks, start=1):
        annotations = []
        if number in verdicts:
            labels, comment = verdicts[number]
            result = [{"value": {"choices": labels}, "id": f"r{number}", "from_name": "labels", "to_name": "text",
                       "type": "choices", "origin": "manual"}]
            if comment:
                result.append({"value": {"text": [comment]}, "id": f"c{number}", "from_name": "comment",
                               "to_name": "text", "type": "textarea", "origin": "manual"})
            annotations = [
                {"id": 100 + number, "completed_by": 1, "result": [], "was_cancelled": True,
                 "created_at": "2026-01-01T09:00:00.000000Z", "updated_at": "2026-01-01T09:00:00.000000Z"},
                {"id": 200 + number, "completed_by": {"id": 1, "email": "ana@example.org"}, "result": result,
                 "was_cancelled": False, "ground_truth": False, "created_at": "2026-01-02T10:00:00.000000Z",
                 "updated_at": "2026-01-02T10:05:00.000000Z", "lead_time": 12.5, "task": number, "project": 1},
            ]
        exported.append({"id": number, "annotations": annotations, "data": task["data"],
                         "predictions": task["predictions"], "meta": {}, "project": 1})
    return exported


def test_label_studio_round_trip_gives_a_valid_corpus(tmp_path, records):
    exported = label_studio_export(to_label_studio(records), {1: (["core_cybercrime", "overbroad"], "too wide"),
                                                              2: (["none"], "")})
    back = from_label_studio(exported, tmp_path / "export.json", LABELS).records
    assert [r["id"] for r in back] == ["ke-cmca-2018-s14-1", "ke-cmca-2018-s14-3"]
    assert back[0]["labels"] == ["core_cybercrime", "overbroad"] and back[0]["rationale"] == "too wide"
    assert back[0]["review"]["reviewer"] == "ana@example.org" and back[0]["unit"] == "s. 14(1)"
    assert back[1]["labels"] == [] and back[1]["evidence"] == []
    output = tmp_path / "corpus.jsonl"
    output.write_text("".join(json.dumps(r) + "\n" for r in back))
    assert validate(output, LabelSchema.from_yaml()) == (2, [])


def test_label_studio_unknown_choice_is_an_input_error(tmp_path, records):
    exported = label_studio_export(to_label_studio(records[:1]), {1: (["spam"], "")})
    with pytest.raises(InputError, match="task 1: unknown label"):
        from_label_studio(exported, tmp_path / "e.json", LABELS)


def test_label_studio_json_min_is_refused_with_a_hint(tmp_path):
    with pytest.raises(InputError, match="JSON-MIN"):
        from_label_studio([{"text": "x", "labels": {"choices": []}}], tmp_path / "e.json", LABELS)


# ----------------------------------------------------------------------------- Argilla


def check_argilla_record(record: dict, settings: dict) -> None:
    """What rg.Record.from_dict reads and the dataset's settings accept."""
    assert set(record) == {"id", "fields", "metadata", "suggestions", "responses", "vectors"}
    assert isinstance(record["id"], str) and record["id"]
    assert set(record["fields"]) <= {f["name"] for f in settings["fields"]}
    questions = {q["name"]: q for q in settings["questions"]}
    for name, suggestion in record["suggestions"].items():
        assert set(suggestion) == {"value", "score", "agent"}  # Suggestion(question_name, value, score, agent)
        assert suggestion["value"] in questions[name]["labels"]
        assert isinstance(suggestion["score"], float) and 0 <= suggestion["score"] <= 1
        assert isinstance(suggestion["agent"], str)
    for value in record["metadata"].values():
        assert isinstance(value, (str, int, float)) or all(isinstance(v, str) for v in value)
    assert re.fullmatch(r"[a-z0-9_]+", "".join(questions))  # Argilla question names


def test_argilla_records_match_the_documented_format(records):
    settings = argilla_settings(LABELS)
    out = to_argilla(records)
    for record, source in zip(out, records):
        check_argilla_record(record, settings)
        assert set(record["suggestions"]) == set(source["scores"])  # one suggestion per label, none lost
        for label, suggestion in record["suggestions"].items():
            predicted = label in source["labels"]
            assert suggestion["value"] == ("yes" if predicted else "no")
            assert suggestion["score"] == pytest.approx(source["scores"][label] if predicted
                                                        else 1 - source["scores"][label], abs=1e-4)


def test_argilla_round_trip_with_two_reviewers(tmp_path, records):
    out = to_argilla(records[:3])
    done = {"status": "submitted"}
    out[0]["responses"] = {"overbroad": [{"value": "yes", "user_id": "u1", **done}, {"value": "no", "user_id": "u2", **done}],
                           "core_cybercrime": [{"value": "yes", "user_id": "u1", **done},
                                               {"value": "yes", "user_id": "u2", **done}],
                           "content_offence": [{"value": "no", "user_id": "u1", **done}],
                           "missing_intent": [{"value": "no", "user_id": "u2", **done}],
                           "comment": [{"value": "tie on overbroad", "user_id": "u1", **done}]}
    out[2]["responses"] = {label: [{"value": "no", "user_id": "u2", **done}] for label in LABELS}
    back = from_argilla(json.loads(json.dumps(out)), tmp_path / "records.json", LABELS).records
    assert len(back) == 2  # record 2 was not answered
    assert back[0]["labels"] == ["core_cybercrime", "overbroad"] and back[0]["rationale"] == "tie on overbroad"
    assert back[0]["review"]["reviewer"] == "u1, u2" and back[0]["jurisdiction"] == "KE"
    assert back[1]["labels"] == []
    output = tmp_path / "corpus.jsonl"
    output.write_text("".join(json.dumps(r) + "\n" for r in back))
    assert validate(output, LabelSchema.from_yaml()) == (2, [])


def test_argilla_answer_must_be_yes_or_no(tmp_path, records):
    out = to_argilla(records[:1])
    out[0]["responses"] = argilla_answers({**ALL_NO, "overbroad": "maybe"})
    with pytest.raises(InputError, match="record 1"):
        from_argilla(out, tmp_path / "r.json", LABELS)


# ----------------------------------------------------------------------------- commands


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    app.command("export")(export_command)
    app.command("import")(import_command)
    return app


def test_export_then_import_through_the_commands(app, tmp_path, records):
    runner = CliRunner()
    tasks_file = tmp_path / "tasks.json"
    result = runner.invoke(app, ["export", str(PREDICTIONS), "--format", "label-studio", "--output", str(tasks_file)])
    assert result.exit_code == 0, result.output
    tasks = json.loads(tasks_file.read_text())
    export_file = tmp_path / "project-1.json"
    export_file.write_text(json.dumps(label_studio_export(tasks, {3: (["missing_intent"], "no intent")})))
    corpus = tmp_path / "corpus.jsonl"
    result = runner.invoke(app, ["import", str(export_file), "--format", "label-studio", "--output", str(corpus)])
    assert result.exit_code == 0 and "wrote 1 annotated records" in result.output
    assert json.loads(corpus.read_text())["labels"] == ["missing_intent"]
    again = runner.invoke(app, ["import", str(export_file), "--format", "label-studio", "--output", str(corpus)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_import_of_malformed_json_names_the_line(app, tmp_path):
    bad = tmp_path / "records.json"
    bad.write_text('[\n{"id": 1,\n oops}\n]')
    result = CliRunner().invoke(app, ["import", str(bad), "--format", "argilla", "--output", str(tmp_path / "c.jsonl")])
    assert result.exit_code == 2 and f"{bad}:3: malformed JSON" in result.output


def test_unknown_format_is_a_usage_error(app, tmp_path):
    result = CliRunner().invoke(app, ["export", str(PREDICTIONS), "--format", "csv", "--output", str(tmp_path / "x")])
    assert result.exit_code == 2 and "label-studio, argilla" in result.output


def test_export_predictions_writes_one_json_list(tmp_path):
    assert export_predictions(PREDICTIONS, tmp_path / "records.json", "argilla") == 13
    assert len(json.loads((tmp_path / "records.json").read_text())) == 13


# ----------------------------------------------------------------------------- strict imports


def annotated(tasks: list[dict], number: int, result: list, **annotation) -> None:
    """Give task `number` (1-based) one submitted annotation with this result."""
    tasks[number - 1]["annotations"] = [{"id": number, "completed_by": 1, "result": result, "was_cancelled": False,
                                         "created_at": "2026-01-02T10:00:00Z", **annotation}]


def choices(values: list[str], control: str = "labels") -> dict:
    return {"value": {"choices": values}, "from_name": control, "to_name": "text", "type": "choices"}


def test_label_studio_choices_control_under_another_name_is_refused_not_read_as_negatives(tmp_path, records):
    exported = label_studio_export(to_label_studio(records[:3]), {})
    for number in (1, 2, 3):
        annotated(exported, number, [choices(["overbroad"] if number == 1 else ["none"], control="verdict")])
    with pytest.raises(InputError) as caught:
        from_label_studio(exported, tmp_path / "e.json", LABELS)
    message = str(caught.value)
    assert "'verdict' (choices, 3 results)" in message and "--choices-name" in message and "'labels'" in message
    # named with the option, the same file imports
    back = from_label_studio(exported, tmp_path / "e.json", LABELS, choices_name="verdict")
    assert [r["labels"] for r in back.records] == [["overbroad"], [], []]


def test_label_studio_malformed_annotations_are_refused_all_at_once(tmp_path, records):
    exported = label_studio_export(to_label_studio(records[:4]), {})
    annotated(exported, 1, {"choices": ["overbroad"]})                      # result is not a list
    annotated(exported, 2, [{"from_name": "labels", "type": "choices"}])    # no value
    exported[2]["annotations"] = {"result": []}                              # annotations is not a list
    annotated(exported, 4, [choices(["overbroad", "none"])])                # a label and 'none'
    with pytest.raises(InputError) as caught:
        from_label_studio(exported, tmp_path / "e.json", LABELS)
    message = str(caught.value)
    for expected in ("task 1", "task 2", "task 3", "task 4", "'none' ticked together with overbroad"):
        assert expected in message, expected


def test_label_studio_never_invents_a_negative_and_counts_what_it_skips(tmp_path, records):
    exported = label_studio_export(to_label_studio(records[:6]), {})
    annotated(exported, 1, [choices(["overbroad"])])
    annotated(exported, 2, [choices(["none"])])                              # an explicit negative
    annotated(exported, 3, [])                                               # submitted with nothing ticked
    annotated(exported, 4, [{"value": {"text": ["unsure"]}, "from_name": "comment", "to_name": "text",
                             "type": "textarea"}])                           # a comment, no choice
    annotated(exported, 5, [choices(["overbroad"])], was_cancelled=True)    # skipped in Label Studio
    back = from_label_studio(exported, tmp_path / "e.json", LABELS)          # task 6: nobody annotated it
    assert [(r["id"], r["labels"]) for r in back.records] == [(records[0]["id"], ["overbroad"]),
                                                              (records[1]["id"], [])]
    assert back.skipped == {"tasks annotated without a ticked choice (tick 'none' for no label)": 2,
                            "tasks whose every annotation was cancelled": 1, "tasks nobody annotated": 1}


def test_label_studio_contradictory_duplicates_are_refused_naming_both(tmp_path, records):
    tasks = to_label_studio(records[:2])
    exported = label_studio_export([*tasks, tasks[0], tasks[1]], {})
    annotated(exported, 1, [choices(["overbroad"])])
    annotated(exported, 2, [choices(["none"])])
    annotated(exported, 3, [choices(["content_offence"])])
    annotated(exported, 4, [choices(["none"])])
    with pytest.raises(InputError) as caught:
        from_label_studio(exported, tmp_path / "e.json", LABELS)
    message = str(caught.value)
    assert f"tasks 1 and 3 both annotate clause '{records[0]['id']}'" in message
    assert "['overbroad'] against ['content_offence']" in message and "tasks 2 and 4" not in message
    annotated(exported, 3, [choices(["overbroad"])])                         # agreeing duplicates: kept once
    back = from_label_studio(exported, tmp_path / "e.json", LABELS)
    assert len(back.records) == 2 and back.skipped == {"duplicate tasks with the same labels (kept once)": 2}


def argilla_answers(labels: dict[str, str], user: str = "u1", status: str | None = "submitted") -> dict:
    extra = {} if status is None else {"status": status}
    return {name: [{"value": value, "user_id": user, **extra}] for name, value in labels.items()}


ALL_NO = {label: "no" for label in LABELS}


def test_argilla_answers_under_unknown_question_names_are_refused(tmp_path, records):
    out = to_argilla(records[:2])
    renamed = {f"is_{label}": value for label, value in {**ALL_NO, "overbroad": "yes"}.items()}
    out[0]["responses"] = argilla_answers(renamed)
    out[1]["responses"] = argilla_answers({f"is_{label}": "no" for label in LABELS})
    with pytest.raises(InputError) as caught:
        from_argilla(out, tmp_path / "r.json", LABELS)
    message = str(caught.value)
    assert "'is_overbroad' (2 responses)" in message and "--question" in message and "'overbroad'" in message
    back = from_argilla(out, tmp_path / "r.json", LABELS, questions={label: f"is_{label}" for label in LABELS})
    assert [r["labels"] for r in back.records] == [["overbroad"], []]


def test_argilla_counts_only_submitted_responses(tmp_path, records):
    out = to_argilla(records[:4])
    out[0]["responses"] = argilla_answers({**ALL_NO, "overbroad": "yes"})
    out[0]["responses"]["overbroad"].append({"value": "no", "user_id": "u2", "status": "draft"})
    out[1]["responses"] = argilla_answers({**ALL_NO, "overbroad": "yes"}, status="draft")
    out[2]["responses"] = argilla_answers(ALL_NO, status="discarded")
    out[3]["responses"] = argilla_answers({"overbroad": "yes"})             # the other labels unanswered
    back = from_argilla(out, tmp_path / "r.json", LABELS)
    assert [(r["id"], r["labels"], r["review"]["reviewer"]) for r in back.records] == [
        (records[0]["id"], ["overbroad"], "u1")]
    assert back.skipped == {"draft responses ignored": 5, "discarded responses ignored": 4,
                            "records with no submitted response": 2,
                            "records where not every label was answered": 1}


def test_argilla_responses_without_a_status_are_refused_unless_declared_submitted(tmp_path, records):
    out = to_argilla(records[:1])
    out[0]["responses"] = argilla_answers(ALL_NO, status=None)
    with pytest.raises(InputError, match="4 responses without a 'status'.*--only-submitted"):
        from_argilla(out, tmp_path / "r.json", LABELS)
    assert from_argilla(out, tmp_path / "r.json", LABELS, only_submitted=True).records[0]["labels"] == []


def test_argilla_contradictory_duplicates_are_refused_naming_both(tmp_path, records):
    out = to_argilla([records[0], records[0]])
    out[0]["responses"] = argilla_answers(ALL_NO)
    out[1]["responses"] = argilla_answers({**ALL_NO, "content_offence": "yes"})
    with pytest.raises(InputError, match=f"records 1 and 2 both annotate clause '{records[0]['id']}'"):
        from_argilla(out, tmp_path / "r.json", LABELS)


def test_import_command_prints_what_it_skipped_and_refuses_an_empty_result(app, tmp_path, records):
    runner = CliRunner()
    exported = label_studio_export(to_label_studio(records[:3]), {1: (["overbroad"], "")})
    annotated(exported, 2, [])
    export_file = tmp_path / "export.json"
    export_file.write_text(json.dumps(exported))
    corpus = tmp_path / "corpus.jsonl"
    result = runner.invoke(app, ["import", str(export_file), "--format", "label-studio", "--output", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "wrote 1 annotated records" in result.output
    assert "skipped tasks nobody annotated: 1" in result.output
    assert "skipped tasks annotated without a ticked choice (tick 'none' for no label): 1" in result.output
    nothing = tmp_path / "nothing.json"
    nothing.write_text(json.dumps(label_studio_export(to_label_studio(records[:2]), {})))
    empty = runner.invoke(app, ["import", str(nothing), "--format", "label-studio", "--output", str(tmp_path / "e.jsonl")])
    assert empty.exit_code == 2 and "no annotation to import (tasks nobody annotated: 2)" in empty.output
    assert not (tmp_path / "e.jsonl").exists()
    renamed = runner.invoke(app, ["import", str(export_file), "--format", "label-studio", "--output",
                                  str(tmp_path / "r.jsonl"), "--choices-name", "verdict"])
    assert renamed.exit_code == 2 and "'labels' (choices, 1 result)" in renamed.output
