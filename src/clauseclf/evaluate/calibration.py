"""How far a score can be read as a probability: expected calibration error, reliability diagrams, the review band.

    >>> import numpy as np
    >>> round(expected_calibration_error(np.array([0.9, 0.9, 0.1, 0.1]), np.array([1, 1, 0, 0])), 3)
    0.1

A score of 0.9 should be right nine times in ten. ECE is the gap between the mean
score and the rate of positives in each of ten equal-width score bins, weighted by
the share of clauses in the bin. The review band of labelling and a target
recall only mean what they say when scores are calibrated.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from clauseclf.model.calibrate import needs_review

logger = logging.getLogger(__name__)

BINS = 10


def _bin_index(scores: np.ndarray, bins: int) -> np.ndarray:
    return np.minimum((np.asarray(scores) * bins).astype(int), bins - 1)


def reliability(scores: np.ndarray, truth: np.ndarray, bins: int = BINS) -> list[dict]:
    """Per non-empty bin: its range, clause count, mean score and observed rate of positives."""
    scores, truth = np.asarray(scores, dtype=float), np.asarray(truth, dtype=float)
    index = _bin_index(scores, bins)
    rows = []
    for b in range(bins):
        inside = index == b
        if inside.any():
            rows.append({"low": b / bins, "high": (b + 1) / bins, "count": int(inside.sum()),
                         "mean_score": float(scores[inside].mean()), "positive_rate": float(truth[inside].mean())})
    return rows


def expected_calibration_error(scores: np.ndarray, truth: np.ndarray, bins: int = BINS) -> float:
    total = len(scores)
    if not total:
        return float("nan")
    return float(sum(r["count"] / total * abs(r["mean_score"] - r["positive_rate"])
                     for r in reliability(scores, truth, bins)))


def reliability_diagram(scores: np.ndarray, truth: np.ndarray, path: str | Path, title: str,
                        bins: int = BINS) -> Path:
    """A PNG: observed rate of positives against mean score per bin, bar width by count."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    rows = reliability(scores, truth, bins)
    figure, axis = plt.subplots(figsize=(4, 4), dpi=100)
    axis.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="perfectly calibrated")
    axis.plot([r["mean_score"] for r in rows], [r["positive_rate"] for r in rows], marker="o", label="observed")
    for r in rows:
        axis.annotate(str(r["count"]), (r["mean_score"], r["positive_rate"]), fontsize=7,
                      textcoords="offset points", xytext=(3, -9))
    axis.set_xlim(0, 1)
    axis.set_ylim(0, 1)
    axis.set_xlabel("mean score in bin")
    axis.set_ylabel("share of clauses with the label")
    axis.set_title(f"{title}\nECE {expected_calibration_error(scores, truth, bins):.3f}", fontsize=9)
    axis.legend(loc="upper left", fontsize=7)
    figure.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)
    return path


def review_band_figures(scores: np.ndarray, predicted: np.ndarray, truth: np.ndarray, thresholds: np.ndarray,
                        band: float) -> dict:
    """How many clauses the review band sends to a person, and how often the model errs inside and outside it.

    `thresholds` is one row per clause (each fold has its own). A clause is in the band when any label's
    score lies within `band` of that label's threshold (model.calibrate.needs_review, as labelling sets it); it is wrong when
    any of its labels is.
    """
    inside = needs_review(scores, thresholds, band)
    wrong = (predicted != truth).any(axis=1)
    wrong_decisions = predicted != truth

    def rate(mask: np.ndarray, errors: np.ndarray) -> float | None:
        return round(float(errors[mask].mean()), 4) if mask.any() else None

    return {
        "band": band, "clauses": int(len(truth)), "in_band": int(inside.sum()),
        "coverage": round(float(inside.mean()), 4) if len(truth) else None,
        "clause_error_rate_in_band": rate(inside, wrong),
        "clause_error_rate_outside_band": rate(~inside, wrong),
        "label_error_rate_in_band": rate(inside, wrong_decisions.mean(axis=1)),
        "label_error_rate_outside_band": rate(~inside, wrong_decisions.mean(axis=1)),
        "errors_caught_by_band": round(float((wrong & inside).sum() / wrong.sum()), 4) if wrong.any() else None,
    }


def review_band_markdown(band: dict) -> list[str]:
    """The review-band figures as Markdown lines (crossval and evaluate reports)."""
    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.1%}"

    return [
        f"## Review band (a score within {band['band']} of its threshold: needs_review)", "",
        f"- Clauses sent to review: {band['in_band']} of {band['clauses']} ({pct(band['coverage'])}).",
        f"- Clauses with any wrong label: {pct(band['clause_error_rate_in_band'])} inside the band, "
        f"{pct(band['clause_error_rate_outside_band'])} outside it.",
        f"- Wrong label decisions: {pct(band['label_error_rate_in_band'])} inside, "
        f"{pct(band['label_error_rate_outside_band'])} outside.",
        f"- Share of wrongly labelled clauses the band sends to a person: {pct(band['errors_caught_by_band'])}.",
    ]
