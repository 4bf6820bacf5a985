"""The combiner's embedding signals: per-label heads over a frozen encoder's sentence embeddings, fitted on
annotated statutes and the train split, cross-fitted on train, stored in combiner.json and loaded back. The tiny
random encoder stands in for all-MiniLM-L6-v2."""

from __future__ import annotations

import json

import numpy as np
import pytest

from clauseclf.assess.encoder import SentenceEncoder
from clauseclf.config import load_train_config
from clauseclf.errors import ModelFolderError
from clauseclf.model import signals
from clauseclf.model.calibrate import calibrate
from clauseclf.model.embedding_signals import EmbeddingPool, EmbeddingTable, fit_embedding_signals
from conftest import REPO_ROOT, TINY_CONFIG, read_records

NAMES = ["core_cybercrime", "content_offence", "missing_intent", "overbroad"]
SENEGAL = REPO_ROOT / "data" / "corpus" / "statutes" / "sn.jsonl"  # 71 annotated clauses in French


@pytest.fixture(scope="module")
def table() -> EmbeddingTable:
    return EmbeddingTable(SentenceEncoder.load("tiny-random"))


def _clauses(jurisdictions: int, per_jurisdiction: int, prefix: str = "J") -> list[dict]:
    """Access offences (core_cybercrime) and news offences (content_offence), worded apart."""
    records = []
    for j in range(jurisdictions):
        for i in range(per_jurisdiction):
            access = i % 2 == 0
            text = (f"Any person who accesses a computer system or program number {i} without authority commits an "
                    f"offence in territory {prefix}{j}." if access else
                    f"Whoever publishes false news or rumours in newspaper {i} is liable to a fine in territory "
                    f"{prefix}{j}.")
            records.append({"text": text, "jurisdiction": f"{prefix}{j}", "kind": "offence",
                            "labels": ["core_cybercrime"] if access else ["content_offence"]})
    return records


def test_heads_learn_what_the_annotated_clauses_say_and_the_train_split_is_cross_fitted(table):
    pool, train = _clauses(6, 10), _clauses(4, 6, "T")
    fitted, crossfitted = fit_embedding_signals(EmbeddingPool(table, pool), train, NAMES)
    assert fitted.trained_on == len(pool) + len(train) and fitted.feature_names[0] == "embedding_core_cybercrime"
    unseen = ["Any person who accesses a computer system without authority commits an offence.",
              "Whoever publishes false news or rumours is liable to a fine."]
    scores = fitted.scores(unseen)
    assert scores[0, 0] > scores[1, 0] and scores[1, 1] > scores[0, 1]
    assert crossfitted.shape == (len(train), len(NAMES))
    assert not np.allclose(crossfitted, fitted.scores([r["text"] for r in train]))  # each scored without its law
    # A label no clause carries gets a head that says so.
    assert (scores[:, 2] < 0.01).all()


def test_a_combiner_with_embedding_signals_round_trips_through_its_file(table, tmp_path):
    train, dev = _clauses(6, 8), _clauses(4, 8, "D")
    fitted, crossfitted = fit_embedding_signals(EmbeddingPool(table, read_records(SENEGAL)), train, NAMES)
    texts = [r["text"] for r in dev]
    truth = np.array([[n in r["labels"] for n in NAMES] for r in dev], dtype=int)
    probabilities = np.full((len(dev), 4), 0.5, dtype=np.float32)
    train_truth = np.array([[n in r["labels"] for n in NAMES] for r in train], dtype=int)
    combiner, _ = signals.fit_combiner(probabilities, texts, truth, NAMES, [r["jurisdiction"] for r in dev],
                                       [r["text"] for r in train], train_truth, embedding=fitted,
                                       train_embedding_scores=crossfitted)
    assert combiner.inputs == list(signals.FEATURE_NAMES) + fitted.feature_names
    assert len(combiner.signal_weights["core_cybercrime"][0]) == len(combiner.inputs)
    combiner.save(tmp_path)
    stored = json.loads((tmp_path / signals.COMBINER_FILE).read_text(encoding="utf-8"))
    assert stored["embedding_signals"]["encoder"]["name"] == "tiny-random"
    assert np.array(stored["embedding_signals"]["coef"]).shape == (4, 32)
    loaded = signals.load_combiner(tmp_path)
    np.testing.assert_allclose(loaded.apply(probabilities, texts), combiner.apply(probabilities, texts), atol=1e-4)


def _small_combiner(table) -> tuple[signals.Combiner, list[str]]:
    """A combiner with embedding signals fitted on a few train clauses (train and dev alike), and their texts."""
    train = _clauses(6, 4)
    fitted, crossfitted = fit_embedding_signals(EmbeddingPool(table, []), train, NAMES)
    truth = np.array([[n in r["labels"] for n in NAMES] for r in train], dtype=int)
    texts = [r["text"] for r in train]
    combiner, _ = signals.fit_combiner(np.full((len(train), 4), 0.5), texts, truth, NAMES,
                                       [r["jurisdiction"] for r in train], texts, truth, embedding=fitted,
                                       train_embedding_scores=crossfitted)
    return combiner, texts


def test_a_combiner_whose_encoder_cannot_be_loaded_is_refused_with_what_to_do(table, tmp_path):
    combiner, _ = _small_combiner(table)
    data = combiner.to_json()
    data["embedding_signals"]["encoder"]["name"] = "packaged:no-such-encoder"
    (tmp_path / signals.COMBINER_FILE).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelFolderError, match="no-such-encoder.*combiner reads that encoder"):
        signals.load_combiner(tmp_path)


def test_calibration_fits_embedding_signals_only_where_the_recipe_asks(table):
    train, dev = _clauses(6, 6), _clauses(4, 6, "D")
    scores = np.full((len(dev), 4), 0.5, dtype=np.float32)
    pool = EmbeddingPool(table, _clauses(3, 4, "P"))
    on = load_train_config(TINY_CONFIG, ["training.combiner=true", "training.embedding_signals=true"]).training
    off = load_train_config(TINY_CONFIG, ["training.combiner=true"]).training
    assert calibrate(on, NAMES, scores, dev, train, pool=pool).combiner.embedding is not None
    assert calibrate(off, NAMES, scores, dev, train, pool=pool).combiner.embedding is None
    assert calibrate(on, NAMES, scores, dev, train).combiner.embedding is None  # no pool given: lexicon only


def test_training_keeps_statutes_of_dev_and_test_jurisdictions_out_of_the_heads(tmp_path):
    from clauseclf.model.folder import load_model_folder
    from clauseclf.train import train

    config = load_train_config(TINY_CONFIG, ["training.combiner=true", "training.embedding_signals=true",
                                             "training.max_steps=2"])
    split = json.loads((train(config, tmp_path / "m").output_dir / "split.json").read_text(encoding="utf-8"))
    combiner = load_model_folder(tmp_path / "m").combiner
    statutes = read_records(SENEGAL)
    held = set(split["dev"]["jurisdictions"]) | set(split["test"]["jurisdictions"])
    expected = sum(r["jurisdiction"] not in held for r in statutes) + split["train"]["records"]
    assert combiner.embedding is not None and combiner.embedding.trained_on == expected


def test_int8_quantises_the_embedding_encoder_in_a_copy(table):
    import torch

    from clauseclf.model.quantize import _quantized_combiner

    combiner, texts = _small_combiner(table)
    quantised = _quantized_combiner(combiner, "int8")

    def linear_kinds(encoder) -> set[type]:
        return {type(m) for m in encoder.model.modules() if "Linear" in type(m).__name__}

    assert linear_kinds(combiner.embedding.embed.encoder) == {torch.nn.Linear}  # the fp32 combiner is untouched
    assert torch.nn.Linear not in linear_kinds(quantised.embedding.embed.encoder)
    np.testing.assert_allclose(quantised.embedding.scores(texts), combiner.embedding.scores(texts), atol=0.2)
