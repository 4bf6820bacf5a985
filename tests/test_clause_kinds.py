"""The kind head: the transformer learns the clause `kind` beside the labels, and the combiner reads it."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from clauseclf import clause_kinds, signals
from clauseclf.config import load_train_config
from clauseclf.errors import ConfigError, ModelFolderError

from conftest import TINY_CONFIG

NAMES = ["core_cybercrime", "content_offence", "missing_intent", "overbroad"]
KIND_HEAD = "training.kind_head=[offence, procedural_power]"


@pytest.fixture(scope="module")
def kind_model_dir(tmp_path_factory):
    from clauseclf.training import train

    output = tmp_path_factory.mktemp("models") / "kinds"
    train(load_train_config(TINY_CONFIG, ["training.combiner=true", "training.max_steps=2", KIND_HEAD]), output)
    return output


def test_kind_outputs_follow_the_labels_and_only_the_combiner_reads_them(kind_model_dir):
    from clauseclf.inference import predict_probabilities, transformer_scores
    from clauseclf.model_folder import load_model_folder

    config = json.loads((kind_model_dir / "config.json").read_text())
    assert [config["id2label"][str(i)] for i in range(6)] == NAMES + ["kind:offence", "kind:procedural_power"]
    thresholds = json.loads((kind_model_dir / "thresholds.json").read_text())["thresholds"]
    assert sorted(thresholds) == sorted(NAMES)
    loaded = load_model_folder(kind_model_dir)
    assert loaded.label_names == NAMES and loaded.kind_names == ["offence", "procedural_power"]
    assert loaded.combiner.kinds == ["offence", "procedural_power"]
    texts = ["Whoever publishes false news commits an offence.", "The police may search any computer."]
    labels, kinds = transformer_scores(loaded, texts)
    assert labels.shape == (2, 4) and kinds.shape == (2, 2)
    assert predict_probabilities(loaded, texts).shape == (2, 4)
    with pytest.raises(ValueError, match="kind scores"):
        loaded.combiner.apply(labels, texts)  # without the kind head's scores it cannot score


def test_a_combiner_reading_kinds_the_model_lacks_is_refused(kind_model_dir, model_copy):
    from clauseclf.model_folder import load_model_folder

    (model_copy / signals.COMBINER_FILE).write_text((kind_model_dir / signals.COMBINER_FILE).read_text())
    with pytest.raises(ModelFolderError, match="kind scores"):
        load_model_folder(model_copy)


def test_the_combiner_learns_from_kind_scores_and_round_trips(tmp_path):
    """missing_intent here is 'an offence clause', which no lexicon feature of these texts tells."""
    rng = np.random.default_rng(0)
    n = 160
    texts = ["Section " + str(i) + " of the law." for i in range(n)]
    offence = rng.integers(0, 2, n)
    truth = np.zeros((n, 4), dtype=int)
    truth[:, 2] = offence
    truth[:, 0] = rng.integers(0, 2, n)
    probabilities = np.full((n, 4), 0.5, dtype=np.float32)
    kind_scores = np.clip(offence[:, None] * 0.8 + 0.1 + rng.normal(0, 0.05, (n, 1)), 0, 1)
    combiner, crossfitted = signals.fit_combiner(
        probabilities, texts, truth, NAMES, [f"j{i % 6}" for i in range(n)], texts, truth,
        kind_scores=kind_scores, train_kinds=offence[:, None], kinds=["offence"])
    assert crossfitted[offence == 1, 2].min() > crossfitted[offence == 0, 2].max()
    combiner.save(tmp_path)
    loaded = signals.load_combiner(tmp_path)
    assert loaded.features[-1] == "kind:offence"
    np.testing.assert_allclose(loaded.apply(probabilities, texts, kind_scores),
                               combiner.apply(probabilities, texts, kind_scores), atol=1e-4)


def test_the_loss_adds_the_kind_task_to_the_labels_bce():
    from clauseclf.training import WeightedBCETrainer

    torch.manual_seed(0)
    logits, targets = torch.randn(8, 6), torch.randint(0, 2, (8, 6)).float()
    weights = torch.rand(4) + 0.5
    model = lambda **_: SimpleNamespace(logits=logits)  # noqa: E731
    trainer = SimpleNamespace(positive_weights=weights, label_count=4, kind_loss_weight=0.3)
    loss = WeightedBCETrainer.compute_loss(trainer, model, {"labels": targets})
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    expected = bce(logits[:, :4], targets[:, :4], pos_weight=weights) + 0.3 * bce(logits[:, 4:], targets[:, 4:])
    assert loss.item() == pytest.approx(expected.item(), rel=1e-6)
    # Without a kind head the loss is the plain positive-weighted BCE of before.
    plain = torch.nn.BCEWithLogitsLoss(pos_weight=weights)(logits[:, :4], targets[:, :4])
    no_head = WeightedBCETrainer.compute_loss(trainer, lambda **_: SimpleNamespace(logits=logits[:, :4]),
                                              {"labels": targets[:, :4]})
    assert no_head.item() == pytest.approx(plain.item())


def test_kind_head_needs_known_kinds_and_annotated_clauses():
    with pytest.raises(ConfigError, match="unknown kinds"):
        load_train_config(TINY_CONFIG, ["training.kind_head=[offense]"])
    with pytest.raises(ConfigError, match="must be list"):
        load_train_config(TINY_CONFIG, ["training.kind_head=offence"])
    with pytest.raises(ConfigError, match="c2"):
        clause_kinds.kind_matrix([{"id": "c1", "kind": "offence"}, {"id": "c2"}], ["offence"])


def test_crossval_reports_how_well_the_kind_head_recognises_kinds(tmp_path):
    from clauseclf import crossval

    config = load_train_config(TINY_CONFIG, ["training.max_steps=2", "training.combiner=true", KIND_HEAD])
    result = crossval.crossval(config, folds=2, output_dir=tmp_path, draws=100, only_folds=[0])
    figures = result.report["kind_head"]
    assert set(figures) == {"offence", "procedural_power"}
    assert figures["offence"]["support"] > 100 and 0 <= figures["offence"]["f1"] <= 1
    assert "## Kind head on held-out clauses" in result.markdown_path.read_text()
    saved = json.loads(next((tmp_path / "folds").glob("fold-0-*.json")).read_text())
    assert len(saved["test_kinds"]) == len(saved["test"]) and len(saved["test_kinds"][0]) == 2
