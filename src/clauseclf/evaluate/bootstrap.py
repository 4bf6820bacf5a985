"""Confidence intervals that resample jurisdictions, not clauses (a cluster bootstrap).

Clauses of one law are drafted alike, so resampling clauses would pretend there is
more independent evidence than there is. Used by cross-validation and by
scripts/compare_runs.py and scripts/annotator_agreement.py.
"""

from __future__ import annotations

import numpy as np

from clauseclf.evaluate.scoring import f1_columns

BOOTSTRAP_DRAWS = 1000


def cluster_bootstrap(predicted: np.ndarray, truth: np.ndarray, groups: list[str], draws: int = BOOTSTRAP_DRAWS,
                      seed: int = 0) -> dict[str, list[float]]:
    """95% intervals of per-label and macro F1, resampling groups (jurisdictions) with replacement.

    >>> p = np.array([[1], [0], [1], [0]]); t = np.array([[1], [0], [0], [0]])
    >>> ci = cluster_bootstrap(p, t, ["a", "a", "b", "b"], draws=200)
    >>> 0.0 <= ci["label_0"][0] <= ci["label_0"][1] <= 1.0
    True
    """
    rows = []
    for index in resampled_rows(groups, draws, seed):
        f1 = f1_columns(predicted[index], truth[index])
        rows.append(np.append(f1, f1.mean()))
    low, high = np.percentile(np.array(rows), [2.5, 97.5], axis=0)
    keys = [f"label_{i}" for i in range(truth.shape[1])] + ["macro"]
    return {key: [round(float(a), 4), round(float(b), 4)] for key, a, b in zip(keys, low, high)}


def paired_bootstrap_differences(predicted_a: np.ndarray, predicted_b: np.ndarray, truth: np.ndarray,
                                 groups: list[str], draws: int = 2000, seed: int = 0) -> np.ndarray:
    """Per draw, B's per-label F1 minus A's and then the macro difference: both scored on the same resample."""
    rows = []
    for index in resampled_rows(groups, draws, seed):
        f1_a, f1_b = f1_columns(predicted_a[index], truth[index]), f1_columns(predicted_b[index], truth[index])
        rows.append(np.append(f1_b - f1_a, f1_b.mean() - f1_a.mean()))
    return np.array(rows)


def resampled_rows(groups: list[str], draws: int, seed: int):
    """Row indices of `draws` resamples that draw whole groups (jurisdictions) with replacement."""
    names = sorted(set(groups))
    members = {g: np.array([i for i, x in enumerate(groups) if x == g]) for g in names}
    rng = np.random.default_rng(seed)
    for _ in range(draws):
        yield np.concatenate([members[names[c]] for c in rng.integers(0, len(names), len(names))])
