"""Where and how the forward pass runs: device, precision, tokenised batches, sigmoid scores.

Every path (label, evaluate, train's threshold tuning) gets its scores through
`predict_probabilities`. On CPU, whole batches run side by side, one per core, instead
of each matrix product being split across the cores (small products split badly):
int8 gains 1.3-1.5x from it, fp32 1.1-1.2x. On a GPU the forward pass autocasts to
bf16 (fp16 where bf16 is missing) with larger batches. Figures in docs/performance.md.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import torch

from clauseclf.errors import ConfigError
from clauseclf.model.folder import LoadedModel
from clauseclf.model.quantize import check_scheme, quantize_loaded

logger = logging.getLogger(__name__)

PRECISIONS = ("auto", "fp32", "bf16", "fp16")
# Side by side on CPU cores, batches of 16 pad less than 32 and ran 1.0-1.2x faster (docs/performance.md).
CPU_BATCH_SIZE = 16
# A GPU is starved by batches of 32 short clauses; 128 fits any card at max_length 256.
GPU_BATCH_SIZE = 128


@dataclass(frozen=True)
class Runtime:
    """Where the forward pass runs, and in which floating-point type."""

    device: torch.device
    autocast: torch.dtype | None = None  # None: the weights' own dtype
    workers: int = 1  # CPU: batches run side by side on this many threads, one core each (_forward)

    @classmethod
    def on(cls, device: torch.device, precision: str = "auto") -> "Runtime":
        # On CPU, torch's thread count is the cores it may use (OMP_NUM_THREADS, or all of them): one worker each.
        workers = torch.get_num_threads() if device.type == "cpu" else 1
        return cls(device, _autocast_dtype(device, precision), workers)

    @classmethod
    def for_model(cls, model: torch.nn.Module, precision: str = "auto") -> "Runtime":
        parameter = next(model.parameters(), None)
        return cls.on(parameter.device if parameter is not None else torch.device("cpu"), precision)

    @property
    def batch_size(self) -> int:
        """A batch size that suits the device, for when the user gave none."""
        return GPU_BATCH_SIZE if self.device.type == "cuda" else CPU_BATCH_SIZE


def _autocast_dtype(device: torch.device, precision: str) -> torch.dtype | None:
    if precision == "auto":
        if device.type != "cuda":
            return None  # fp32 on CPU: bf16 is fast only where the CPU has avx512_bf16
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return {"fp32": None, "bf16": torch.bfloat16, "fp16": torch.float16}[precision]


def resolve_device(name: str = "auto") -> torch.device:
    """'auto' picks the first GPU there is, else the CPU; 'cpu', 'cuda', 'cuda:1', 'mps' are taken as given."""
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        return torch.device("cpu")
    try:
        device = torch.device(name)
    except RuntimeError:
        raise ConfigError("--device", [f"'{name}' is not a device (try auto, cpu, cuda, cuda:1)"]) from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ConfigError("--device", [f"{name} asked for, but torch sees no CUDA GPU (use --device cpu)"])
    return device


def prepare(loaded: LoadedModel, device: str | torch.device = "auto", precision: str = "auto",
            quantize: str = "none") -> tuple[LoadedModel, Runtime]:
    """Move (and optionally quantise) the model once, before any clause is labelled."""
    target = device if isinstance(device, torch.device) else resolve_device(device)
    problems = []
    if precision not in PRECISIONS:
        problems.append(f"--precision must be one of {', '.join(PRECISIONS)}, not '{precision}'")
    elif quantize == "int8" and precision not in ("auto", "fp32"):
        problems.append(f"--quantize int8 already fixes the arithmetic; drop --precision {precision}")
    if problems:
        raise ConfigError("--precision", problems)
    check_scheme(quantize, target)
    if quantize != "none":
        loaded = quantize_loaded(loaded, quantize)
    else:
        loaded.model.to(target)
        if loaded.combiner is not None and loaded.combiner.embedding is not None:  # its encoder goes the same way
            loaded.combiner.embedding.to(target)
    runtime = Runtime.on(target, precision)
    logger.info("labelling on %s (%s)", target, quantize if quantize != "none" else runtime.autocast or "fp32")
    return loaded, runtime


@dataclass
class EncodedChunk:
    """A chunk's texts tokenised in length order: batch i holds the rows `order[i*b:(i+1)*b]`."""

    order: list[int]
    batches: list[dict[str, torch.Tensor]]
    tokens: list[int]  # word pieces of each whole text, in input order
    tokens_read: list[int]  # of them, those the model reads: the first max_length


def encode(loaded: LoadedModel, texts: list[str], batch_size: int) -> EncodedChunk:
    """Tokenise once without padding, sort by token count, then pad each batch to its own longest row.

    Sorting must use tokens, not characters: a Chinese or Persian clause is short in
    characters and long in word pieces, and character order left most batches of the
    seed corpus padded to max_length (1.05x the unsorted speed instead of 1.8x fewer tokens).
    """
    encoded = loaded.tokenizer(texts, truncation=True, max_length=loaded.max_length)
    lengths = [len(ids) for ids in encoded["input_ids"]]
    tokens = whole_lengths(loaded, texts, lengths)
    order = sorted(range(len(texts)), key=lengths.__getitem__)
    batches = []
    for begin in range(0, len(order), batch_size):
        rows = order[begin:begin + batch_size]
        # The tokenizer's own pad: its pad ids and padding side, to this batch's longest row.
        batches.append(dict(loaded.tokenizer.pad({key: [values[i] for i in rows] for key, values in encoded.items()},
                                                 return_tensors="pt")))
    return EncodedChunk(order, batches, tokens, lengths)


def whole_lengths(loaded: LoadedModel, texts: list[str], lengths: list[int]) -> list[int]:
    """Each text's word pieces uncut, for the reviewer to see which clauses the model read only the start of:
    only the texts cut at max_length are tokenised again (a fifth of the statute clauses at 192)."""
    cut = [i for i, n in enumerate(lengths) if n >= loaded.max_length]
    whole = list(lengths)
    if cut:  # verbose=False: no warning for texts longer than the encoder's own limit, they are only counted
        counted = loaded.tokenizer([texts[i] for i in cut], verbose=False)["input_ids"]
        for i, ids in zip(cut, counted):
            whole[i] = len(ids)
    return whole


def predict_probabilities(loaded: LoadedModel, texts: list[str], batch_size: int = 32, *,
                          runtime: Runtime | None = None, encoded: EncodedChunk | None = None) -> np.ndarray:
    """Sigmoid scores, one row per text in the given order, one column per label.

    Every path (label, evaluate, train's threshold tuning) comes through here;
    `encoded` is the chunk already tokenised by label_stream's background thread.
    """
    probabilities = transformer_scores(loaded, texts, batch_size, runtime=runtime, encoded=encoded)
    if texts and loaded.combiner is not None:  # signals.py: lexicon signals stacked on the logits (combiner.json)
        probabilities = loaded.combiner.apply(probabilities, texts)
    return probabilities


def transformer_scores(loaded: LoadedModel, texts: list[str], batch_size: int = 32, *,
                       runtime: Runtime | None = None,
                       encoded: EncodedChunk | None = None) -> np.ndarray:
    """The transformer's own sigmoid scores, before any combiner: one row per text, one column per label."""
    runtime = runtime or Runtime.for_model(loaded.model)
    outputs = np.zeros((len(texts), len(loaded.label_names)), dtype=np.float32)
    if texts:
        encoded = encoded or encode(loaded, texts, batch_size)
        outputs[encoded.order] = _forward(loaded.model, encoded.batches, runtime)
    return outputs


def _forward(model: torch.nn.Module, batches: list[dict[str, torch.Tensor]], runtime: Runtime) -> np.ndarray:
    if runtime.workers > 1 and len(batches) > 1:
        return _forward_side_by_side(model, batches, runtime)
    autocast = (torch.autocast(runtime.device.type, dtype=runtime.autocast) if runtime.autocast
                else contextlib.nullcontext())
    outputs = []
    with torch.inference_mode(), autocast:
        for batch in batches:
            batch = {k: v.to(runtime.device, non_blocking=True) for k, v in batch.items()}
            outputs.append(torch.sigmoid(model(**batch).logits.float()))
    # One device-to-host copy per chunk, not per batch.
    return torch.cat(outputs).cpu().numpy()


def _forward_side_by_side(model: torch.nn.Module, batches: list[dict[str, torch.Tensor]], runtime: Runtime) -> np.ndarray:
    """CPU: `runtime.workers` batches at a time, each on one core, outputs in batch order.

    torch splits each matrix product across its threads and waits for the slowest; a
    MiniLM product on 16 clauses is too small for that to pay (on 2 cores, int8 ran at
    52 clauses/s split, 64-78 side by side). torch's thread count is process-wide, and a
    new thread takes it on its first operation: it is 1 while the workers run.
    """
    one_batch = dataclasses.replace(runtime, workers=1)
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with ThreadPoolExecutor(runtime.workers, thread_name_prefix="clauseclf-model") as pool:
            outputs = list(pool.map(lambda batch: _forward(model, [batch], one_batch), batches))
    finally:
        torch.set_num_threads(previous)
    return np.concatenate(outputs)
