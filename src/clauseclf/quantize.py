"""Smaller, faster weights for CPU labelling: the one place that knows how.

`int8` is PyTorch dynamic quantisation of every `nn.Linear` (weights stored as
int8, activations quantised on the fly). It labels MiniLM-L6 1.46x faster than fp32
on a CPU without int8 dot-product instructions (AVX2 only) and about 3x on one with
VNNI; on a fine-tuned model 2-10% of clauses change label set, in both directions,
with the same macro-F1 (docs/performance.md).
`torch.ao.quantization` is deprecated in favour of torchao; everything that uses it
sits behind `quantize_model`, so moving to another backend touches this file only.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from clauseclf.errors import ConfigError
from clauseclf.model_folder import LoadedModel

logger = logging.getLogger(__name__)

SCHEMES = ("none", "int8")


def check_scheme(scheme: str, device: torch.device) -> None:
    problems = []
    if scheme not in SCHEMES:
        problems.append(f"--quantize must be one of {', '.join(SCHEMES)}, not '{scheme}'")
    elif scheme == "int8" and device.type != "cpu":
        problems.append(f"--quantize int8 runs on CPU only (device is {device}); on a GPU use --precision bf16 or fp16")
    if problems:
        raise ConfigError("--quantize", problems)


def quantize_model(model: torch.nn.Module, scheme: str) -> torch.nn.Module:
    """The model with its Linear layers quantised (`scheme` 'int8'), or unchanged ('none')."""
    if scheme == "none":
        return model
    with warnings.catch_warnings():
        # The deprecation notices name torchao; the docstring above says where to move.
        warnings.simplefilter("ignore", category=DeprecationWarning)
        warnings.simplefilter("ignore", category=UserWarning)
        warnings.simplefilter("ignore", category=FutureWarning)
        # One weight scale per output channel, not per matrix: on the fine-tuned default model,
        # per-matrix scales changed the label set of 10.5% of 256 corpus clauses, per-channel
        # 7.0%, at the same speed.
        per_channel = torch.ao.quantization.per_channel_dynamic_qconfig
        quantized = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear: per_channel}, dtype=torch.qint8)
    logger.info("quantised %s to int8 (dynamic, Linear layers, per-channel weights)", type(model).__name__)
    return quantized.eval()


def quantize_loaded(loaded: LoadedModel, scheme: str) -> LoadedModel:
    """A copy of `loaded` with quantised weights; its name says so, so predictions record it."""
    check_scheme(scheme, torch.device("cpu"))
    if scheme == "none":
        return loaded
    return dataclasses.replace(loaded, model=quantize_model(loaded.model, scheme), name=f"{loaded.name}+{scheme}")


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
    from clauseclf import scoring
    from clauseclf.inference import predict_probabilities

    names = loaded.label_names
    fp32 = predict_probabilities(loaded, texts, batch_size)
    quantised = predict_probabilities(quantize_loaded(loaded, scheme), texts, batch_size)
    fp32_labels = scoring.apply_thresholds(fp32, loaded.thresholds, names)
    quantised_labels = scoring.apply_thresholds(quantised, loaded.thresholds, names)
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
    from clauseclf import corpus, scoring
    from clauseclf.evaluation import drop_seen
    from clauseclf.model_folder import load_model_folder
    from clauseclf.outputs import atomic_write_text
    from clauseclf.schema import LabelSchema

    loaded = load_model_folder(model_dir)
    records = corpus.load_corpus(data, LabelSchema.from_names(loaded.label_names))
    if not include_seen:
        records, _ = drop_seen(records, loaded)
    check = compare_with_fp32(loaded, [r["text"] for r in records], scoring.label_matrix(records, loaded.label_names),
                              scheme, batch_size)
    path = Path(output_dir) / "quantization.json"
    atomic_write_text(path, json.dumps({"model": loaded.identity, "data": str(data), **check.to_dict()}, indent=2) + "\n")
    return check, path
