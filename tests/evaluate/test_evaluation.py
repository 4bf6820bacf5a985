import json

import numpy as np

from clauseclf.evaluate import scoring
from clauseclf.evaluate.baselines import KeywordBaseline, TfidfLogisticBaseline
from clauseclf.model.calibrate import needs_review, tune_thresholds

NAMES = ["core_cybercrime", "content_offence", "missing_intent", "overbroad"]


def test_metric_values_by_hand():
    result = scoring.score(np.array([[1, 1], [1, 0], [0, 0]]), np.array([[1, 0], [0, 0], [1, 1]]), ["a", "b"])
    assert result["per_label"]["a"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert result["per_label"]["b"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert result["micro_f1"] == 2 / 6  # 1 true positive, 3 predicted, 3 true
    assert result["macro_f1"] == 0.25


def test_needs_review_is_any_label_within_the_band():
    thresholds = np.array([0.5, 0.3])
    scores = np.array([[0.54, 0.9], [0.56, 0.9], [0.9, 0.26], [0.1, 0.0]])
    assert needs_review(scores, thresholds, 0.05).tolist() == [True, False, True, False]


def test_thresholds_are_f1_optimal_or_meet_target_recall():
    truth = np.array([[1], [1], [1], [0], [0]])
    scores = np.array([[0.9], [0.7], [0.3], [0.4], [0.1]], dtype=np.float32)
    # 0.15-0.3 keeps all three positives for one false positive: F1 6/7 beats 0.8 at 0.5.
    assert tune_thresholds(scores, truth, ["x"])["x"] == 0.15  # ties go to the lower, recall-friendly cut
    assert tune_thresholds(scores, truth, ["x"], target_recall=0.99)["x"] == 0.3


def test_keyword_baseline_reads_the_guideline():
    predicted, _ = KeywordBaseline(NAMES).predict([
        "Any person who intentionally and without right accesses a computer system commits an offence.",
        "A person who publishes false news likely to disturb public order commits an offence.",
        "In this Act, 'computer' means an electronic device.",
    ])
    core, content, missing, overbroad = predicted.T
    assert core.tolist() == [1, 0, 0]
    assert content.tolist() == [0, 1, 0]
    assert missing.tolist() == [0, 1, 0]
    assert overbroad.tolist()[1] == 1 and overbroad.tolist()[2] == 0


def test_tfidf_baseline_learns_from_its_train_split(corpus_records):
    truth = scoring.label_matrix(corpus_records, NAMES)
    model = TfidfLogisticBaseline(NAMES).fit([r["text"] for r in corpus_records], truth)
    predicted, scores = model.predict([r["text"] for r in corpus_records[:50]])
    assert scores.shape == (50, 4)
    assert (predicted == truth[:50]).mean() > 0.8  # fits its own training data


def test_unseen_jurisdictions_leaves_out_every_country_the_model_trained_on(tiny_model_dir, tmp_path):
    from clauseclf.evaluate.report import evaluate_model

    trained_on = json.loads((tiny_model_dir / "split.json").read_text(encoding="utf-8"))["train"]["jurisdictions"]
    rows = [{"text": "A person who without authority alters computer data commits an offence.", "jurisdiction": "XX",
             "labels": ["core_cybercrime", "missing_intent"]},
            {"text": "A person who publishes false news commits an offence.", "jurisdiction": trained_on[0],
             "labels": ["content_offence", "missing_intent", "overbroad"]}]
    data = tmp_path / "new.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    plain = evaluate_model(tiny_model_dir, data, tmp_path / "plain").report["data"]
    assert plain["clauses"] == 2 and "left_out_seen_jurisdictions" not in plain
    report = evaluate_model(tiny_model_dir, data, tmp_path / "new", unseen_jurisdictions=True).report
    assert (report["data"]["clauses"], report["data"]["left_out_seen_jurisdictions"]) == (1, 1)
    assert list(report["by_language"]) == ["en"] and report["by_language"]["en"]["clauses"] == 1
    assert "1 more left out because the model trained or tuned on clauses of their jurisdiction" in (
        tmp_path / "new" / "report.md").read_text(encoding="utf-8")
