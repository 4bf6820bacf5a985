"""Numbers for 0/1 predictions against annotated labels: the one F1, per label and averaged, and PR-AUC.

>>> out = score(np.array([[1, 0], [1, 1]]), np.array([[1, 0], [0, 1]]), ["a", "b"])
>>> out["per_label"]["a"]["precision"], out["per_label"]["b"]["recall"], round(out["macro_f1"], 3)
(0.5, 1.0, 0.833)
"""

from __future__ import annotations

import numpy as np


def label_matrix(records: list[dict], names: list[str]) -> np.ndarray:
    """0/1 matrix, one row per record, one column per label name."""
    return np.array([[name in r["labels"] for name in names] for r in records], dtype=np.int32).reshape(-1, len(names))


def f1_columns(predicted: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """F1 per column of 0/1 (or boolean) arrays, 2·TP / (predicted + true); 0 where a column has neither.

    >>> f1_columns(np.array([[1, 0], [1, 0]]), np.array([[1, 0], [0, 0]])).round(3).tolist()
    [0.667, 0.0]
    """
    true_pos = (predicted & truth).sum(axis=0)
    denominator = predicted.sum(axis=0) + truth.sum(axis=0)
    return np.divide(2 * true_pos, denominator, out=np.zeros(np.shape(denominator)), where=denominator > 0)


def _ratio(numerator, denominator) -> float:
    return float(numerator / denominator) if denominator else 0.0


def score(predicted: np.ndarray, truth: np.ndarray, names: list[str],
          probabilities: np.ndarray | None = None) -> dict:
    """Per-label precision/recall/F1/support (and PR-AUC given scores), micro and macro F1."""
    predicted, truth = np.asarray(predicted, dtype=bool), np.asarray(truth, dtype=bool)
    true_pos = (predicted & truth).sum(axis=0)
    false_pos = (predicted & ~truth).sum(axis=0)
    false_neg = (~predicted & truth).sum(axis=0)
    f1 = f1_columns(predicted, truth)
    per_label = {
        name: {"precision": _ratio(true_pos[i], true_pos[i] + false_pos[i]),
               "recall": _ratio(true_pos[i], true_pos[i] + false_neg[i]),
               "f1": float(f1[i]), "support": int(truth[:, i].sum())}
        for i, name in enumerate(names)
    }
    result = {
        "per_label": per_label,
        "micro_f1": float(f1_columns(predicted.ravel(), truth.ravel())),
        "macro_f1": float(np.mean([v["f1"] for v in per_label.values()])),
    }
    if probabilities is not None:
        from sklearn.metrics import average_precision_score  # 2 s of import: only where scores are given

        for i, name in enumerate(names):
            has_both = 0 < truth[:, i].sum() < len(truth)
            per_label[name]["pr_auc"] = (
                float(average_precision_score(truth[:, i], probabilities[:, i])) if has_both else None)
    return result
