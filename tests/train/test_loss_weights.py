"""Positive weights of the BCE loss (training.positive_weights, training.max_positive_weight)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from clauseclf.train import positive_weights

# 10 clauses: 5, 2, 1 and 4 positives.
TRUTH = np.array([[1, 1, 1, 1]] + [[1, 1, 0, 1]] + [[1, 0, 0, 1]] * 2 + [[1, 0, 0, 0]] + [[0, 0, 0, 0]] * 5)


def test_positives_are_weighted_by_negatives_over_positives_up_to_the_cap():
    weights = positive_weights(TRUTH, True, 5.0)
    assert weights.tolist() == pytest.approx([1.0, 4.0, 5.0, 1.5])  # missing_intent: 9/1 capped at 5
    assert weights.dtype == torch.float32
    assert positive_weights(TRUTH, False, 5.0).tolist() == [1.0] * 4
