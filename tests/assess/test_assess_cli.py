"""`clauseclf assess`: the three files from a real bill with a tiny model folder, and its refusals."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from clauseclf.assess.facts import FACTS_JSON, FACTS_WEIGHTS
from clauseclf.cli import app
from conftest import REPO_ROOT

runner = CliRunner()
BILL = REPO_ROOT / "data" / "examples" / "ke_computer_misuse_and_cybercrimes_act_2018.txt"
STATUSES = {"met", "partly_met", "not_met", "not_addressed"}


def test_assess_writes_json_markdown_and_html_for_the_sample_bill(tiny_model_dir, tmp_path):
    output = tmp_path / "assessment"
    result = runner.invoke(app, ["assess", str(BILL), "--model", str(tiny_model_dir), "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in output.iterdir()) == ["assessment.html", "assessment.json", "assessment.md"]
    assessment = json.loads((output / "assessment.json").read_text(encoding="utf-8"))
    assert assessment["bill"] == BILL.stem and assessment["clauses"] > 100
    assert [a["id"] for a in assessment["asks"]] == list(range(1, 16))
    assert {a["status"] for a in assessment["asks"]} <= STATUSES
    text = BILL.read_text(encoding="utf-8")
    for ask in assessment["asks"]:
        for clause in ask["clauses"]:
            assert set(clause) >= {"unit", "heading", "text", "why"} and clause["text"][:40] in " ".join(text.split())
    markdown = (output / "assessment.md").read_text(encoding="utf-8")
    assert markdown.count("\n## ") == 15 and "| 15 | Service providers never the final decision-maker |" in markdown
    assert "15. " in result.output and "wrote" in result.output


def test_assess_refuses_an_output_folder_with_files_and_a_model_without_clause_facts(model_copy, tmp_path):
    output = tmp_path / "out"
    output.mkdir()
    (output / "notes.txt").write_text("mine")
    result = runner.invoke(app, ["assess", str(BILL), "--model", str(model_copy), "--output", str(output)])
    assert result.exit_code == 2 and "already exists (pass --force" in result.output
    assert (output / "notes.txt").read_text() == "mine"
    (model_copy / FACTS_JSON).unlink()
    (model_copy / FACTS_WEIGHTS).unlink()
    result = runner.invoke(app, ["assess", str(BILL), "--model", str(model_copy), "--output", str(tmp_path / "new")])
    assert result.exit_code != 0
    assert "has no clause-facts model" in result.output and "clauseclf train" in result.output
    assert not (tmp_path / "new").exists()


def test_assess_refuses_a_table_of_several_bills(tiny_model_dir, tmp_path):
    table = tmp_path / "two.jsonl"
    table.write_text('{"doc_id": "a", "text": "A person commits an offence."}\n'
                     '{"doc_id": "b", "text": "A person commits an offence."}\n')
    result = runner.invoke(app, ["assess", str(table), "--model", str(tiny_model_dir), "--output", str(tmp_path / "o")])
    assert result.exit_code != 0 and "holds 2 documents (a, b)" in result.output and "one bill at a time" in result.output



def test_assess_loads_the_facts_encoder_once_and_reads_every_clause_in_one_pass(tiny_model_dir, tmp_path, monkeypatch):
    from clauseclf.assess.encoder import SentenceEncoder

    loads, passes = [], []
    load, embed = SentenceEncoder.load.__func__, SentenceEncoder.embed
    monkeypatch.setattr(SentenceEncoder, "load", classmethod(lambda cls, *a, **k: loads.append(a) or load(cls, *a, **k)))
    monkeypatch.setattr(SentenceEncoder, "embed", lambda self, texts, **k: passes.append(len(texts)) or embed(self, texts, **k))
    result = runner.invoke(app, ["assess", str(BILL), "--model", str(tiny_model_dir), "--output", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    clauses = json.loads((tmp_path / "o" / "assessment.json").read_text(encoding="utf-8"))["clauses"]
    assert loads == [("tiny-random", 128)] and passes == [clauses]
