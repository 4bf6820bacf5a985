"""Per-label precision, recall and F1 with micro and macro averages, for multi-label 0/1 matrices.

>>> import evaluate, clauseclf.metrics as m
>>> metric = m.load_metric("multilabel_f1")
>>> out = metric.compute(predictions=[[1, 0], [1, 1]], references=[[1, 0], [0, 1]], label_names=["a", "b"])
>>> out["per_label"]["a"]["precision"], out["per_label"]["b"]["recall"], round(out["macro_f1"], 3)
(0.5, 1.0, 0.833)
"""

import datasets
import evaluate
import numpy as np

_DESCRIPTION = "Per-label precision/recall/F1/support plus micro and macro F1 for multi-label classification."


class MultilabelF1(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation="",
            inputs_description="predictions, references: lists of 0/1 lists, one column per label",
            features=datasets.Features({
                "predictions": datasets.Sequence(datasets.Value("int32")),
                "references": datasets.Sequence(datasets.Value("int32")),
            }),
        )

    def _compute(self, predictions, references, label_names=None):
        predicted = np.asarray(predictions, dtype=bool)
        truth = np.asarray(references, dtype=bool)
        names = label_names or [str(i) for i in range(truth.shape[1])]
        true_pos = (predicted & truth).sum(axis=0)
        false_pos = (predicted & ~truth).sum(axis=0)
        false_neg = (~predicted & truth).sum(axis=0)
        per_label = {}
        for i, name in enumerate(names):
            precision = _ratio(true_pos[i], true_pos[i] + false_pos[i])
            recall = _ratio(true_pos[i], true_pos[i] + false_neg[i])
            per_label[name] = {
                "precision": precision, "recall": recall, "f1": _f1(precision, recall), "support": int(truth[:, i].sum()),
            }
        micro_p = _ratio(true_pos.sum(), true_pos.sum() + false_pos.sum())
        micro_r = _ratio(true_pos.sum(), true_pos.sum() + false_neg.sum())
        return {
            "per_label": per_label,
            "micro_f1": _f1(micro_p, micro_r),
            "macro_f1": float(np.mean([v["f1"] for v in per_label.values()])),
        }


def _ratio(numerator, denominator) -> float:
    return float(numerator / denominator) if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
