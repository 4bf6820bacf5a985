"""The reviewer's loop links each flagged clause to the asks it engages: the report and the queue; the kind and
power of an overbroad clause come from the facts model that `clauseclf label` runs, or else from its words."""

from __future__ import annotations

import json
import logging

from typer.testing import CliRunner

from clauseclf.assess.facts import FACTS_JSON, FACTS_WEIGHTS
from clauseclf.assess.links import ask_titles, asks_engaged
from clauseclf.cli import app
from clauseclf.review.records import read_predictions
from clauseclf.review.report import build_report
from clauseclf.review.server import queue_items
from clauseclf.review.store import ReviewStore
from clauseclf.schema import KINDS, SAFEGUARD_KINDS
from conftest import REPO_ROOT

PREDICTIONS = REPO_ROOT / "tests" / "fixtures" / "review" / "predictions.jsonl"


def test_labels_and_the_words_of_a_power_give_the_asks():
    assert asks_engaged({"labels": [], "text": "A person who intercepts ..."}) == []
    assert asks_engaged({"labels": ["core_cybercrime"], "text": "A person who intentionally accesses ..."}) == [1, 5]
    offence = "A person who publishes offensive messages commits an offence and is liable to a fine."
    assert asks_engaged({"labels": ["overbroad", "content_offence"], "text": offence}) == [2, 4]
    search = "A police officer may, without a warrant, search any premises and seize any computer system."
    assert asks_engaged({"labels": ["overbroad"], "text": search}) == [7, 8, 9, 10]
    request = "The Attorney-General may grant a request for mutual legal assistance from a foreign State."
    assert asks_engaged({"labels": ["overbroad"], "text": request}) == [12, 13, 14]
    # A clause table that gives the kind is believed over the words.
    assert asks_engaged({"labels": ["overbroad"], "text": request, "kind": "offence"}) == [4]
    assert ask_titles([2])[0] == {"id": 2, "ask": "No offences based on the content of expression"}


def test_report_cards_and_queue_items_carry_the_asks(tmp_path):
    records = read_predictions(PREDICTIONS)
    flagged = [r for r in records if asks_engaged(r)]
    assert flagged
    html = build_report(records, "t")
    assert html.count('<ul class="asks"') == len(flagged)
    store = ReviewStore(tmp_path / "review.sqlite")
    try:
        store.load(records)
        items = queue_items(store)["items"]
    finally:
        store.close()
    assert sum(1 for item in items if item["asks"]) == len(flagged)
    assert all(set(ask) == {"id", "ask"} for item in items for ask in item["asks"])


def test_the_kind_and_power_from_clause_facts_replace_the_words():
    text = "The Minister may, by order, require any person to do anything necessary."  # no power named in words
    assert asks_engaged({"labels": ["overbroad"], "text": text}) == [7, 8, 9]
    power = {"kind": "procedural_power", "power": "real_time_collection"}
    assert asks_engaged({"labels": ["overbroad"], "text": text, "facts": power}) == [6, 7, 8, 9, 15]
    search = "A police officer may, without a warrant, search any premises and seize any computer system."
    assert asks_engaged({"labels": ["overbroad"], "text": search,
                         "facts": {"kind": "offence", "power": None}}) == [4]  # the words say power; the facts do not
    assert asks_engaged({"labels": ["overbroad"], "text": search,
                         "facts": {"kind": "safeguard", "power": "search_seizure"}}) == [7, 8, 9, 10]
    assert asks_engaged({"labels": ["overbroad"], "text": "Requests from a journalist's source may be refused.",
                         "facts": {"kind": "procedural_power", "power": "other"}}) == [7, 8, 9, 11]
    assert asks_engaged({"labels": ["overbroad"], "text": text, "facts": {"kind": "cooperation", "power": None}}) == [12, 13, 14]
    # A clause table's kind is believed over the facts model's.
    assert asks_engaged({"labels": ["overbroad"], "text": text, "kind": "offence", "facts": power}) == [4]


def label(model, tmp_path, *texts: str) -> list[dict]:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("".join(json.dumps({"text": text}) + "\n" for text in texts), encoding="utf-8")
    result = CliRunner().invoke(app, ["label", str(source), "--model", str(model), "--output", str(output), "--force"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]


def overbroad_everywhere(model) -> None:
    path = model / "thresholds.json"
    thresholds = json.loads(path.read_text(encoding="utf-8"))
    thresholds["thresholds"]["overbroad"] = 0.0
    path.write_text(json.dumps(thresholds), encoding="utf-8")


def test_label_writes_the_facts_of_overbroad_clauses_when_the_folder_has_a_facts_model(model_copy, tmp_path, caplog):
    texts = ("A police officer may, without a warrant, search any premises.", "Whoever publishes false news.")
    overbroad_everywhere(model_copy)
    records = label(model_copy, tmp_path, *texts)
    assert all("overbroad" in r["labels"] for r in records)
    assert all(set(r["facts"]) == {"kind", "power"} and r["facts"]["kind"] in KINDS for r in records)
    assert all(r["facts"]["power"] is None for r in records if r["facts"]["kind"] not in SAFEGUARD_KINDS)
    # An old facts model is passed over with a warning; no facts model at all, silently: the words decide.
    meta = json.loads((model_copy / FACTS_JSON).read_text(encoding="utf-8"))
    (model_copy / FACTS_JSON).write_text(json.dumps({**meta, "format": 1}), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert [r["facts"] for r in label(model_copy, tmp_path, *texts)] == [None, None]
    assert "format 1" in caplog.text and "read from its words" in caplog.text
    (model_copy / FACTS_JSON).unlink()
    (model_copy / FACTS_WEIGHTS).unlink()
    assert [r["facts"] for r in label(model_copy, tmp_path, *texts)] == [None, None]


def test_only_overbroad_clauses_are_read_by_the_facts_model(model_copy, tmp_path, monkeypatch):
    from clauseclf.assess.facts import FactsModel

    path = model_copy / "thresholds.json"
    thresholds = json.loads(path.read_text(encoding="utf-8"))
    thresholds["thresholds"]["overbroad"] = 1.01  # no clause reaches it
    path.write_text(json.dumps(thresholds), encoding="utf-8")
    read = []
    predict = FactsModel.predict
    monkeypatch.setattr(FactsModel, "predict", lambda self, texts: read.extend(texts) or predict(self, texts))
    records = label(model_copy, tmp_path, "A police officer may search any premises.")
    assert read == [] and records[0]["facts"] is None and "overbroad" not in records[0]["labels"]


def test_label_dataset_writes_the_facts_of_overbroad_rows_and_nulls_elsewhere(model_copy, tmp_path):
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    texts = ["A police officer may, without a warrant, search any premises.", "Whoever publishes false news."]
    source.write_text("".join(json.dumps({"text": text}) + "\n" for text in texts), encoding="utf-8")
    path = model_copy / "thresholds.json"
    thresholds = json.loads(path.read_text(encoding="utf-8"))
    thresholds["thresholds"]["overbroad"] = 0.0
    path.write_text(json.dumps(thresholds), encoding="utf-8")
    result = CliRunner().invoke(app, ["label", "--dataset", str(source), "--model", str(model_copy), "--output", str(output)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in rows] == texts and all(r["facts"]["kind"] in KINDS for r in rows)
    thresholds["thresholds"]["overbroad"] = 1.01  # no row is overbroad: the column is there, all nulls
    path.write_text(json.dumps(thresholds), encoding="utf-8")
    result = CliRunner().invoke(app, ["label", "--dataset", str(source), "--model", str(model_copy), "--output",
                                      str(output), "--force"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [r["facts"] for r in rows] == [{"kind": None, "power": None}] * 2
