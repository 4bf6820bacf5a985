"""`clauseclf evaluate --quantize int8`: how far quantised weights move labels and macro-F1 from fp32.

Written to `quantization.json` beside the evaluation report; the weights themselves
are quantised by clauseclf.model.quantize.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clauseclf import corpus
from clauseclf.evaluate import scoring
from clauseclf.evaluate.report import drop_seen
from clauseclf.model.calibrate import apply_thresholds
from clauseclf.model.folder import LoadedModel, load_model_folder
from clauseclf.model.quantize import quantize_loaded
from clauseclf.model.runtime import predict_probabilities
from clauseclf.outputs import atomic_write_text
from clauseclf.schema import LabelSchema


@dataclass
class QuantisationCheck:
    """How far a quantised model's labels move from fp32's on the same annotated clauses."""

    scheme: str
    clauses: int
    fp32_macro_f1: float
    quantised_macro_f1: float
    label_agreement: float  # share of clauses given exactly the same label set
    max_score_change: float  # largest |probability difference| over all clauses and labels

    @property
    def macro_f1_difference(self) -> float:
        return self.quantised_macro_f1 - self.fp32_macro_f1

    def to_dict(self) -> dict:
        return {**dataclasses.asdict(self), "macro_f1_difference": self.macro_f1_difference}


def compare_with_fp32(loaded: LoadedModel, texts: list[str], truth: np.ndarray, scheme: str = "int8",
                      batch_size: int = 32) -> QuantisationCheck:
    """Label `texts` with `loaded` (fp32) and its quantised copy; score both against `truth`."""

    names = loaded.label_names
    fp32 = predict_probabilities(loaded, texts, batch_size)
    quantised = predict_probabilities(quantize_loaded(loaded, scheme), texts, batch_size)
    fp32_labels = apply_thresholds(fp32, loaded.thresholds, names)
    quantised_labels = apply_thresholds(quantised, loaded.thresholds, names)
    return QuantisationCheck(
        scheme=scheme, clauses=len(texts),
        fp32_macro_f1=float(scoring.score(fp32_labels, truth, names)["macro_f1"]),
        quantised_macro_f1=float(scoring.score(quantised_labels, truth, names)["macro_f1"]),
        label_agreement=float((fp32_labels == quantised_labels).all(axis=1).mean()) if len(texts) else 1.0,
        max_score_change=float(np.abs(fp32 - quantised).max()) if len(texts) else 0.0,
    )


def check_model_folder_quantization(model_dir: Path, data: Path, output_dir: Path, scheme: str = "int8",
                                    batch_size: int = 32, include_seen: bool = False) -> tuple[QuantisationCheck, Path]:
    """compare_with_fp32 on the clauses of an annotated file that `evaluate` scores; written to
    `output_dir/quantization.json`. As in `evaluate`, clauses the model trained or tuned on are left
    out unless `include_seen`: on those, fp32 is near-perfect and int8 can only lose."""

    loaded = load_model_folder(model_dir)
    records = corpus.load_corpus(data, LabelSchema.from_names(loaded.label_names))
    if not include_seen:
        records, _ = drop_seen(records, loaded)
    check = compare_with_fp32(loaded, [r["text"] for r in records], scoring.label_matrix(records, loaded.label_names),
                              scheme, batch_size)
    path = Path(output_dir) / "quantization.json"
    atomic_write_text(path, json.dumps({"model": loaded.identity, "data": str(data), **check.to_dict()}, indent=2) + "\n")
    return check, path
