"""Lexicon signals, the stacking combiner stored as JSON, and calibration helpers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from clauseclf.evaluate import calibration
from clauseclf.model import signals
from clauseclf.errors import ModelFolderError

NAMES = ["core_cybercrime", "content_offence", "missing_intent", "overbroad"]


def _column(name: str) -> int:
    return signals.FEATURE_NAMES.index(name)


def test_features_read_offence_wording_and_mental_element():
    rows = signals.signal_features([
        "Any person who publishes false news commits an offence.",
        "Any person who intentionally publishes false news commits an offence.",
        "A person who ought reasonably to have known that the data was false commits an offence.",
        "In this Act, computer system means any device.",
    ])
    without_intent = rows[:, _column("offence_without_intent")]
    assert without_intent.tolist() == [1.0, 0.0, 1.0, 0.0]  # negligence is no mental element
    assert rows[0, _column("vague_terms")] > 0 and rows[3, _column("offence_creating")] == 0


def _synthetic(n: int = 200, seed: int = 0):
    """Transformer scores that know nothing about missing_intent; the truth is the drafting rule."""
    rng = np.random.default_rng(seed)
    texts = [("Any person who " + ("knowingly " if rng.random() < 0.5 else "") + "accesses a computer system "
              + ("commits an offence." if rng.random() < 0.7 else "may be authorised by a judge."))
             for _ in range(n)]
    truth = np.zeros((n, 4), dtype=int)
    truth[:, 2] = signals.signal_features(texts)[:, _column("offence_without_intent")]
    truth[:, 0] = rng.integers(0, 2, n)
    probabilities = np.full((n, 4), 0.5, dtype=np.float32) + rng.normal(0, 0.05, (n, 4)).astype(np.float32)
    return texts, truth, np.clip(probabilities, 0.01, 0.99)


def test_mental_element_formulas_beyond_the_keyword_lists_and_penalty_clauses():
    rows = signals.signal_features([
        "Any person who with intent - (a) distributes racist material commits an offence.",
        "A person who, intending to provoke a breach of the peace, sends a message commits an offence.",
        "A person who accesses a computer for purposes of carrying out a terrorist act commits an offence.",
        "For purposes of this section, a person who accesses a computer commits an offence.",
        "Whoever commits the offence specified in sub-section (1) shall be punished with imprisonment.",
    ])
    assert rows[:, _column("offence_without_intent")].tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]
    assert rows[:, _column("penalty_reference")].tolist() == [0.0, 0.0, 0.0, 0.0, 1.0]


def test_combiner_learns_the_missing_intent_rule_and_round_trips_as_json(tmp_path):
    texts, truth, probabilities = _synthetic()
    train_texts, train_truth, _ = _synthetic(seed=1)
    groups = [f"j{i % 6}" for i in range(len(texts))]
    combiner, crossfitted = signals.fit_combiner(probabilities, texts, truth, NAMES, groups, train_texts, train_truth)
    positives = truth[:, 2] == 1
    assert crossfitted[positives, 2].min() > crossfitted[~positives, 2].max()
    combiner.save(tmp_path)
    stored = json.loads((tmp_path / signals.COMBINER_FILE).read_text())
    assert stored["features"] == list(signals.FEATURE_NAMES) and stored["blend_weights"]["missing_intent"]
    loaded = signals.load_combiner(tmp_path)
    np.testing.assert_allclose(loaded.apply(probabilities, texts), combiner.apply(probabilities, texts), atol=1e-4)


def test_a_label_with_too_few_positives_keeps_its_raw_score():
    texts, truth, probabilities = _synthetic(60)
    truth[:, 1] = 0
    combiner, _ = signals.fit_combiner(probabilities, texts, truth, NAMES, ["a", "b"] * 30, texts, truth)
    assert combiner.signal_weights["content_offence"] is None
    np.testing.assert_array_equal(combiner.apply(probabilities, texts)[:, 1], probabilities[:, 1])


def test_the_english_gate_leaves_other_languages_with_the_transformer_scores(tmp_path):
    texts, truth, probabilities = _synthetic()
    combiner, _ = signals.fit_combiner(probabilities, texts, truth, NAMES, [f"j{i % 6}" for i in range(len(texts))],
                                       texts, truth, english_only=True)
    spanish = "Quien acceda sin autorización a un sistema informático será sancionado con prisión."
    batch = [texts[0], spanish]
    scores = np.array([[0.5, 0.5, 0.5, 0.5], [0.2, 0.3, 0.4, 0.6]], dtype=np.float32)
    blended = combiner.apply(scores, batch)
    np.testing.assert_array_equal(blended[1], scores[1])
    assert not np.allclose(blended[0], scores[0])
    combiner.save(tmp_path)
    assert signals.load_combiner(tmp_path).english_only


def test_a_combiner_naming_an_unknown_feature_is_refused(tmp_path):
    texts, truth, probabilities = _synthetic(60)
    data = signals.fit_combiner(probabilities, texts, truth, NAMES, ["a", "b"] * 30, texts, truth)[0].to_json()
    data["features"][-1] = "no_such_feature"
    (tmp_path / signals.COMBINER_FILE).write_text(json.dumps(data))
    with pytest.raises(ModelFolderError, match="no_such_feature"):
        signals.load_combiner(tmp_path)


def test_a_combiner_fitted_on_fewer_features_still_applies(tmp_path):
    """A model folder from before a feature was added keeps its combiner."""
    texts, truth, probabilities = _synthetic(60)
    data = signals.fit_combiner(probabilities, texts, truth, NAMES, ["a", "b"] * 30, texts, truth)[0].to_json()
    data["features"] = data["features"][:-1]
    for weights in data["signal_weights"].values():
        if weights:
            weights["coef"] = weights["coef"][:-1]
    (tmp_path / signals.COMBINER_FILE).write_text(json.dumps(data))
    older = signals.load_combiner(tmp_path)
    assert older.features == list(signals.FEATURE_NAMES[:-1])
    assert older.apply(probabilities, texts).shape == probabilities.shape


def test_training_with_the_combiner_writes_and_applies_it(tmp_path):
    from clauseclf.config import load_train_config
    from clauseclf.model.runtime import predict_probabilities
    from clauseclf.model.folder import load_model_folder
    from clauseclf.train import train

    from conftest import TINY_CONFIG

    result = train(load_train_config(TINY_CONFIG, ["training.combiner=true", "training.max_steps=2"]), tmp_path / "m")
    assert (tmp_path / "m" / signals.COMBINER_FILE).is_file()
    loaded = load_model_folder(tmp_path / "m")
    assert loaded.combiner is not None
    texts = ["Whoever publishes false news commits an offence.", "This Act may be cited as the Cybercrime Act."]
    combined = predict_probabilities(loaded, texts)
    loaded.combiner = None
    raw = predict_probabilities(loaded, texts)
    assert not np.allclose(combined, raw)
    assert set(result.raw_probabilities) == {"dev", "test"}


def test_expected_calibration_error():
    rng = np.random.default_rng(1)
    z = rng.normal(0, 2, 4000)
    calibrated = 1 / (1 + np.exp(-z))
    truth = (rng.random(4000) < calibrated).astype(int)
    overconfident = 1 / (1 + np.exp(-3 * z))
    assert calibration.expected_calibration_error(calibrated, truth) < 0.03
    assert calibration.expected_calibration_error(overconfident, truth) > 0.08
