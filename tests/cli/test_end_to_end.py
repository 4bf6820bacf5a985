"""The whole path through the real CLI: train tiny -> evaluate -> label -> reload with a plain pipeline."""

import json

import pytest
import transformers
from typer.testing import CliRunner

from clauseclf import train
from clauseclf.cli import app

from conftest import CORPUS, REPO_ROOT, TINY_CONFIG, interrupted_run, record_resumes

runner = CliRunner()

MODEL_FILES = {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "thresholds.json",
               "training_config.yaml", "split.json", "metrics.json", "README.md",
               "fingerprint.json",  # what it was trained with and on, for `clauseclf train --unless-current`
               "facts.json", "facts.safetensors"}  # the clause-facts model `clauseclf assess` reads


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def test_train_evaluate_label_reload(tmp_path):
    model = tmp_path / "model"
    invoke("train", TINY_CONFIG, "--output", model, "--set", "training.max_steps=3")
    assert {p.name for p in model.iterdir()} == MODEL_FILES

    config = json.loads((model / "config.json").read_text())
    assert config["problem_type"] == "multi_label_classification"
    assert list(config["id2label"].values()) == ["core_cybercrime", "content_offence", "missing_intent", "overbroad"]
    thresholds = json.loads((model / "thresholds.json").read_text())["thresholds"]
    assert set(thresholds) == set(config["label2id"])
    metrics = json.loads((model / "metrics.json").read_text())
    assert {"dev", "test"} <= set(metrics)
    for split in ("dev", "test"):
        per_label = metrics[split]["per_label"]
        assert set(per_label) == set(thresholds)
        assert metrics[split]["macro_f1"] == pytest.approx(sum(row["f1"] for row in per_label.values()) / len(per_label))
    written = json.loads((model / "split.json").read_text())
    assert written["test"]["records"] == len(written["test"]["fingerprints"]) > 0
    test_support = sum(row["support"] for row in metrics["test"]["per_label"].values())
    assert 0 < test_support <= len(thresholds) * written["test"]["records"]
    assert "missing_intent" in (model / "README.md").read_text()

    split = tmp_path / "split"
    invoke("data", "split", CORPUS, "--out", split)
    reports = tmp_path / "reports"
    invoke("evaluate", model, split / "test.jsonl", "--output", reports)
    report = json.loads((reports / "report.json").read_text())
    assert set(report["systems"]) == {"model (model)", "keyword rules", "TF-IDF + logistic regression"}
    assert report["data"]["left_out_seen_in_training"] == 0
    per_label = report["systems"]["keyword rules"]["per_label"]["overbroad"]
    assert {"precision", "recall", "f1", "support", "pr_auc"} <= set(per_label)
    assert report["thresholds"] == thresholds
    assert "TF-IDF" in (reports / "report.md").read_text()

    bill = next((REPO_ROOT / "data" / "examples").glob("*.txt"))
    predictions = tmp_path / "predictions.jsonl"
    invoke("label", bill, "--model", model, "--output", predictions)
    lines = [json.loads(line) for line in predictions.read_text().splitlines()]
    assert len(lines) >= 10
    assert {"doc_id", "clause_id", "unit", "text", "start", "end", "scores", "labels", "needs_review", "model"} <= set(lines[0])
    assert lines[0]["model"]["name"] == "model" and len(lines[0]["model"]["hash"]) == 16

    classifier = transformers.pipeline("text-classification", model=str(model), top_k=None)
    scores = classifier(["Whoever publishes false news commits an offence."])[0]
    assert {s["label"] for s in scores} == set(thresholds)
    # multi_label_classification makes the pipeline apply a sigmoid per label, as clauseclf does
    assert all(0 < s["score"] < 1 for s in scores) and abs(sum(s["score"] for s in scores) - 1) > 1e-3


def test_evaluation_leaves_out_clauses_the_model_trained_on(tiny_model_dir, tmp_path):
    invoke("evaluate", tiny_model_dir, CORPUS, "--output", tmp_path)
    report = json.loads((tmp_path / "report.json").read_text())
    split = json.loads((tiny_model_dir / "split.json").read_text())
    assert report["data"]["left_out_seen_in_training"] == split["train"]["records"] + split["dev"]["records"]
    assert report["data"]["clauses"] == split["test"]["records"]


def test_interrupted_training_resumes_from_last_checkpoint(tmp_path, monkeypatch):
    config = interrupted_run(tmp_path / "model", monkeypatch)
    resumed_from = record_resumes(monkeypatch)
    train.train(config, tmp_path / "model")
    assert resumed_from[0].endswith("checkpoint-2")
    assert not (tmp_path / "model" / "checkpoints").exists()
    assert (tmp_path / "model" / "model.safetensors").is_file()


@pytest.mark.slow
def test_real_base_model_fine_tunes_and_labels(tmp_path):
    """A few steps on the packaged all-mpnet-base-v2 with statute clauses: the default recipe's code path (its
    bottom layers frozen and computed once), end to end, on 200 of the statute clauses rather than all."""
    model = tmp_path / "default"
    invoke("train", REPO_ROOT / "configs" / "train" / "default.yaml", "--output", model,
           "--set", "training.max_steps=6", "--set", "training.batch_size=8", "--set", "model.max_length=96",
           "--set", "data.facts_corpus=[]", "--set", "data.extra_train_sample=200")
    config = json.loads((model / "config.json").read_text())
    assert config["model_type"] == "mpnet" and config["hidden_size"] == 768 and config["num_hidden_layers"] == 12
    split = json.loads((model / "split.json").read_text())
    assert split["train"]["records"] > 600  # the seed train split's 426 and most of the 200 statute clauses
    card = (model / "README.md").read_text()
    assert "200 of their clauses drawn at random" in card and "bottom 10 layers frozen" in card
    clauses = tmp_path / "clauses.jsonl"
    clauses.write_text("".join(json.dumps({"text": t}) + "\n" for t in [
        "Any person who intentionally and without right accesses a computer system commits an offence.",
        "A person who publishes false news commits an offence."]))
    invoke("label", clauses, "--model", model, "--output", tmp_path / "out.jsonl")
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 2
