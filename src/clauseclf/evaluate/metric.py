"""The evaluation harness's metric as a Hugging Face `evaluate` metric, over the one F1 of scoring.py.

It runs offline (nothing is fetched from the hub), and any `evaluate`-based loop can use it:

>>> out = MultilabelF1().compute(predictions=[[1, 0], [1, 1]], references=[[1, 0], [0, 1]], label_names=["a", "b"])
>>> out["per_label"]["a"]["precision"], out["per_label"]["b"]["recall"], round(out["macro_f1"], 3)
(0.5, 1.0, 0.833)
"""

from __future__ import annotations

import datasets
import evaluate
import numpy as np

from clauseclf.evaluate import scoring


class MultilabelF1(evaluate.Metric):
    """Per-label precision, recall, F1 and support, micro and macro F1; PR-AUC per label given `scores`."""

    def _info(self) -> evaluate.MetricInfo:
        return evaluate.MetricInfo(
            description=__doc__.split("\n")[0],
            citation="",
            inputs_description="predictions, references: lists of 0/1 lists, one column per label; "
                               "label_names: the column names; scores (optional): the scores behind the predictions",
            features=datasets.Features({"predictions": datasets.Sequence(datasets.Value("int32")),
                                        "references": datasets.Sequence(datasets.Value("int32"))}),
        )

    def _compute(self, predictions, references, label_names=None, scores=None) -> dict:
        truth = np.asarray(references, dtype=bool).reshape(len(references), -1)
        names = list(label_names) if label_names is not None else [str(i) for i in range(truth.shape[1])]
        predicted = np.asarray(predictions, dtype=bool).reshape(truth.shape)
        return scoring.score(predicted, truth, names, None if scores is None else np.asarray(scores))
