"""Numbers for a set of scores against annotated labels: thresholds, F1, PR-AUC.

Shared by training (tune thresholds on dev) and evaluation (report on held-out data).
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import average_precision_score

from clauseclf.metrics import load_metric

# Candidate thresholds: 0.05 apart is finer than dev-split noise (about 15-30 positives a label).
THRESHOLD_GRID = np.round(np.arange(0.05, 0.96, 0.05), 2)


def label_matrix(records: list[dict], names: list[str]) -> np.ndarray:
    """0/1 matrix, one row per record, one column per label name."""
    return np.array([[name in r["labels"] for name in names] for r in records], dtype=np.int32).reshape(-1, len(names))


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
            f1s = [_f1(scores >= t, positives) for t in THRESHOLD_GRID]
            thresholds[name] = float(THRESHOLD_GRID[int(np.argmax(f1s))])
    return thresholds


def _f1(predicted: np.ndarray, positives: np.ndarray) -> float:
    true_pos = (predicted & positives).sum()
    denominator = predicted.sum() + positives.sum()
    return 2 * true_pos / denominator if denominator else 0.0


def apply_thresholds(probabilities: np.ndarray, thresholds: dict[str, float], names: list[str]) -> np.ndarray:
    cut = np.array([thresholds[n] for n in names], dtype=np.float32)
    return (probabilities >= cut).astype(np.int32)


def score(predicted: np.ndarray, truth: np.ndarray, names: list[str],
          probabilities: np.ndarray | None = None) -> dict:
    """Per-label precision/recall/F1/support (and PR-AUC given scores), micro and macro F1."""
    metric = load_metric("multilabel_f1")
    result = metric.compute(predictions=predicted.tolist(), references=truth.tolist(), label_names=names)
    if probabilities is not None:
        for i, name in enumerate(names):
            has_both = 0 < truth[:, i].sum() < len(truth)
            result["per_label"][name]["pr_auc"] = (
                float(average_precision_score(truth[:, i], probabilities[:, i])) if has_both else None)
    return result
