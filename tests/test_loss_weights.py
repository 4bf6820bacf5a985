"""Positive weights of the BCE loss (training.positive_weights, training.unweighted_labels)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from clauseclf.config import load_train_config
from clauseclf.errors import ConfigError
from clauseclf.training import positive_weights, train

from conftest import TINY_CONFIG

NAMES = ["core_cybercrime", "content_offence", "missing_intent", "overbroad"]
# 10 clauses: 5, 2, 1 and 4 positives.
TRUTH = np.array([[1, 1, 1, 1]] + [[1, 1, 0, 1]] + [[1, 0, 0, 1]] * 2 + [[1, 0, 0, 0]] + [[0, 0, 0, 0]] * 5)


def test_positives_are_weighted_by_negatives_over_positives_up_to_the_cap():
    weights = positive_weights(TRUTH, True, 5.0, NAMES)
    assert weights.tolist() == pytest.approx([1.0, 4.0, 5.0, 1.5])  # missing_intent: 9/1 capped at 5
    assert positive_weights(TRUTH, False, 5.0, NAMES).tolist() == [1.0] * 4


def test_unweighted_labels_keep_weight_one_and_the_others_keep_theirs():
    weights = positive_weights(TRUTH, True, 5.0, NAMES, ["overbroad", "content_offence"])
    assert weights.tolist() == pytest.approx([1.0, 1.0, 5.0, 1.0])
    assert weights.dtype == torch.float32


def test_config_takes_a_list_and_refuses_a_label_named_twice():
    config = load_train_config(TINY_CONFIG, ["training.unweighted_labels=[overbroad]"])
    assert config.training.unweighted_labels == ["overbroad"]
    with pytest.raises(ConfigError, match="lists a label twice"):
        load_train_config(TINY_CONFIG, ["training.unweighted_labels=[overbroad, overbroad]"])


def test_an_unknown_label_is_refused_before_any_training(tmp_path):
    config = load_train_config(TINY_CONFIG, ["training.unweighted_labels=[overbraod]"])
    with pytest.raises(ConfigError, match=r"unknown labels \['overbraod'\].*overbroad"):
        train(config, tmp_path / "model")
    assert not (tmp_path / "model" / "checkpoints").exists()
