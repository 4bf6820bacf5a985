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
import logging
import warnings

import torch

from clauseclf.errors import ConfigError
from clauseclf.model.embedding_signals import EmbeddingTable
from clauseclf.model.folder import LoadedModel
from clauseclf.model.signals import Combiner

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
    return dataclasses.replace(loaded, model=quantize_model(loaded.model, scheme), name=f"{loaded.name}+{scheme}",
                               quantization=scheme, combiner=_quantized_combiner(loaded.combiner, scheme))


def _quantized_combiner(combiner: Combiner | None, scheme: str) -> Combiner | None:
    """A copy of the combiner whose embedding signals' encoder (if any) is quantised too: it costs as much as the
    classifier, and left in fp32 it held `--quantize int8` to 41 clauses/s against 66 (docs/performance.md)."""
    if combiner is None or combiner.embedding is None:
        return combiner
    encoder = combiner.embedding.embed.encoder
    quantised = dataclasses.replace(encoder, model=quantize_model(encoder.model, scheme))
    return dataclasses.replace(combiner, embedding=dataclasses.replace(
        combiner.embedding, embed=EmbeddingTable(quantised, remember=False)))
