"""After fine-tuning, on dev only: fit the signal combiner, tune one threshold per label, keep the review band.

`calibrate()` is the one copy of this step; training (train.py) and every fold of
cross-validation (evaluate/crossval.py) call it. `needs_review` is the one rule that
sends a clause to a person: some label's score lies within the review band of its
threshold.

>>> import numpy as np
>>> needs_review(np.array([[0.52, 0.1], [0.9, 0.1]]), np.array([0.5, 0.5]), 0.05).tolist()
[True, False]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from clauseclf import corpus
from clauseclf.config import TrainingConfig
from clauseclf.evaluate.scoring import f1_columns, label_matrix
from clauseclf.model import signals
from clauseclf.model.embedding_signals import EmbeddingPool, fit_embedding_signals

# Candidate thresholds: 0.05 apart is finer than dev-split noise (about 15-30 positives a label).
THRESHOLD_GRID = np.round(np.arange(0.05, 0.96, 0.05), 2)


def tune_thresholds(probabilities: np.ndarray, truth: np.ndarray, names: list[str],
                    target_recall: float = 0.0) -> dict[str, float]:
    """Per label: the F1-optimal threshold, or with a target recall the highest threshold that meets it."""
    thresholds = {}
    for i, name in enumerate(names):
        scores, positives = probabilities[:, i], truth[:, i].astype(bool)
        if not positives.any():
            thresholds[name] = 0.5
            continue
        if target_recall > 0:
            meeting = [t for t in THRESHOLD_GRID if (scores[positives] >= t).mean() >= target_recall]
            thresholds[name] = float(max(meeting)) if meeting else float(THRESHOLD_GRID[0])
        else:
            f1s = [float(f1_columns(scores >= t, positives)) for t in THRESHOLD_GRID]
            thresholds[name] = float(THRESHOLD_GRID[int(np.argmax(f1s))])
    return thresholds


def apply_thresholds(probabilities: np.ndarray, thresholds: dict[str, float], names: list[str]) -> np.ndarray:
    cut = np.array([thresholds[n] for n in names], dtype=np.float32)
    return (probabilities >= cut).astype(np.int32)


def needs_review(scores, thresholds, band: float) -> np.ndarray:
    """Per row (last axis: labels), whether any score lies within `band` of its label's threshold."""
    return (np.abs(np.asarray(scores, dtype=np.float64) - np.asarray(thresholds, dtype=np.float64)) < band).any(axis=-1)


@dataclass
class Calibration:
    thresholds: dict[str, float]
    review_band: float
    combiner: signals.Combiner | None  # None: the transformer's scores are used as they are
    dev_scores: np.ndarray  # the dev scores the thresholds were tuned on (cross-fitted when combined)


def calibrate(training: TrainingConfig, names: list[str], dev_scores: np.ndarray, dev: list[dict],
              train: list[dict], combiner: bool | None = None, pool: EmbeddingPool | None = None) -> Calibration:
    """Fit the combiner (if `combiner`, default `training.combiner`) and the thresholds on dev.

    The combiner's lexicon signals are fitted on the train records and its blend on dev,
    cross-fitted by jurisdiction (signals.fit_combiner), so thresholds are tuned on dev
    scores the combiner did not see while it was fitted. With `training.embedding_signals`, the
    signals also read the embedding heads fitted on `pool` (annotated clauses of no dev or test
    jurisdiction) and the train records (model/embedding_signals.py).
    """
    dev_truth = label_matrix(dev, names)
    fitted, tuning = None, dev_scores
    if training.combiner if combiner is None else combiner:
        embedding, train_scores = None, None
        if training.embedding_signals and pool is not None:
            embedding, train_scores = fit_embedding_signals(pool, train, names)
        fitted, tuning = signals.fit_combiner(dev_scores, [r["text"] for r in dev], dev_truth, names,
                                              [corpus.group_of(r) for r in dev], [r["text"] for r in train],
                                              label_matrix(train, names), english_only=training.signals_english_only,
                                              embedding=embedding, train_embedding_scores=train_scores)
    thresholds = tune_thresholds(tuning, dev_truth, names, training.target_recall)
    return Calibration(thresholds, training.review_band, fitted, tuning)
