"""Label clauses with a model folder: batched, streamed, restartable, on whatever hardware is there.

Where the speed comes from (2 CPU cores, MiniLM-L6; figures in docs/performance.md):

- Clauses are taken in chunks; inside a chunk they are sorted by token count so that
  each batch pads to its own longest clause (on the seed corpus, 1.8x fewer tokens
  than input order), and predictions are restored to input order before they are written.
- A background thread reads and tokenises the next chunk while the model runs on
  this one: torch and the Rust tokenizer both release the GIL.
- On CPU, whole batches run side by side, one per core, instead of each matrix
  product being split across the cores (small products split badly): int8 gains
  1.3-1.5x from it, fp32 1.1-1.2x. `--quantize int8` (quantize.py) adds 1.46x over
  fp32 on an AVX2-only CPU and about 3x where the CPU has VNNI.
- On a GPU the forward pass autocasts to bf16 (fp16 where bf16 is missing) with
  larger batches.

Memory holds a few chunks at a time whatever the input's size: inputs are read as a
stream and each prediction is written as soon as its chunk is done.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import dataclasses
import json
import logging
import os
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from itertools import islice
from pathlib import Path
from typing import TypeVar

import numpy as np
import torch

from clauseclf.errors import ConfigError, InputError
from clauseclf.model_folder import LoadedModel
from clauseclf.outputs import atomic_writer, check_writable
from clauseclf.schema import Clause, Prediction

logger = logging.getLogger(__name__)

PRECISIONS = ("auto", "fp32", "bf16", "fp16")
# 512 clauses of ~100 tokens are ~2 s of int8 work on 2 cores: long enough to sort
# usefully, short enough that an interruption loses little.
CHUNK_SIZE = 512
# Side by side on CPU cores, batches of 16 pad less than 32 and ran 1.0-1.2x faster (docs/performance.md).
CPU_BATCH_SIZE = 16
# A GPU is starved by batches of 32 short clauses; 128 fits any card at max_length 256.
GPU_BATCH_SIZE = 128

T = TypeVar("T")


# ----------------------------------------------------------------------------- where the model runs


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
    from clauseclf.quantize import check_scheme, quantize_loaded

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
    runtime = Runtime.on(target, precision)
    logger.info("labelling on %s (%s)", target, quantize if quantize != "none" else runtime.autocast or "fp32")
    return loaded, runtime


# ----------------------------------------------------------------------------- scores


@dataclass
class EncodedChunk:
    """A chunk's texts tokenised in length order: batch i holds the rows `order[i*b:(i+1)*b]`."""

    order: list[int]
    batches: list[dict[str, torch.Tensor]]


def encode(loaded: LoadedModel, texts: list[str], batch_size: int) -> EncodedChunk:
    """Tokenise once without padding, sort by token count, then pad each batch to its own longest row.

    Sorting must use tokens, not characters: a Chinese or Persian clause is short in
    characters and long in word pieces, and character order left most batches of the
    seed corpus padded to max_length (1.05x the unsorted speed instead of 1.8x fewer tokens).
    """
    encoded = loaded.tokenizer(texts, truncation=True, max_length=loaded.max_length)
    lengths = [len(ids) for ids in encoded["input_ids"]]
    order = sorted(range(len(texts)), key=lengths.__getitem__)
    batches = []
    for begin in range(0, len(order), batch_size):
        rows = order[begin:begin + batch_size]
        # The tokenizer's own pad: its pad ids and padding side, to this batch's longest row.
        batches.append(dict(loaded.tokenizer.pad({key: [values[i] for i in rows] for key, values in encoded.items()},
                                                 return_tensors="pt")))
    return EncodedChunk(order, batches)


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


def to_prediction(loaded: LoadedModel, clause: Clause, scores: np.ndarray) -> Prediction:
    from clauseclf.evidence import explain

    score_map = {name: round(float(s), 4) for name, s in zip(loaded.label_names, scores)}
    labels = [name for name in loaded.label_names if score_map[name] >= loaded.thresholds[name]]
    uncertain = any(abs(score_map[n] - loaded.thresholds[n]) < loaded.review_band for n in loaded.label_names)
    return Prediction(
        doc_id=clause.doc_id, clause_id=clause.clause_id, unit=clause.unit, heading=clause.heading,
        text=clause.text, start=clause.start, end=clause.end, scores=score_map, labels=labels,
        needs_review=uncertain, model=loaded.identity, evidence=explain(clause.text, labels), extra=clause.extra,
    )


# ----------------------------------------------------------------------------- memory


def release_free_memory() -> None:
    """Hand freed heap pages back to the system (glibc's malloc_trim; nothing elsewhere).

    Every batch has its own padded shape, so the allocator keeps freed blocks of
    every size in each thread's arena, and resident memory creeps up with the input.
    Trimming after each chunk keeps it flat.
    """
    if os.environ.get("CLAUSECLF_NO_MALLOC_TRIM"):  # to measure what it saves (docs/performance.md)
        return
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # the C library already loaded: no search
    if trim is not None:  # glibc; macOS and musl have none
        trim(0)


# ----------------------------------------------------------------------------- streams


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def prefetch(items: Iterable[T], depth: int = 2) -> Iterator[T]:
    """Yield `items` in order while a background thread produces up to `depth` ahead.

    An error in the producer is raised here, after the items before it.
    """
    buffer: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple) -> bool:
        while not stop.is_set():
            try:
                buffer.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((item, None, False)):
                    return
            put((None, None, True))
        except BaseException as error:  # handed to the consumer, which raises it
            put((None, error, True))

    thread = threading.Thread(target=produce, name="clauseclf-read-tokenise", daemon=True)
    thread.start()
    try:
        while True:
            item, error, done = buffer.get()
            if error is not None:
                raise error
            if done:
                return
            yield item
    finally:
        stop.set()


def label_stream(loaded: LoadedModel, clauses: Iterable[Clause], batch_size: int = 32,
                 chunk_size: int = CHUNK_SIZE, runtime: Runtime | None = None) -> Iterator[Prediction]:
    """One prediction per clause, in input order, holding a few chunks of `chunk_size` clauses in memory."""
    runtime = runtime or Runtime.for_model(loaded.model)
    # Three stages, each in its own thread: read and tokenise -> model -> evidence and
    # records (here). The model spends its time in torch, which releases the GIL, so
    # the Python work of the stages around it runs meanwhile.
    encoded_chunks = ((chunk, encode(loaded, [c.text for c in chunk], batch_size))
                      for chunk in chunked(clauses, chunk_size))
    scored_chunks = ((chunk, predict_probabilities(loaded, [c.text for c in chunk], batch_size,
                                                   runtime=runtime, encoded=encoded))
                     for chunk, encoded in prefetch(encoded_chunks))
    for chunk, probabilities in prefetch(scored_chunks, depth=1):
        for clause, scores in zip(chunk, probabilities):
            yield to_prediction(loaded, clause, scores)
        release_free_memory()


# ----------------------------------------------------------------------------- files


@dataclass
class LabelRunSummary:
    output: Path
    clauses: int = 0
    resumed_from: int = 0
    label_counts: Counter = field(default_factory=Counter)
    needs_review: int = 0
    flagged: list[Prediction] = field(default_factory=list)
    seconds: float = 0.0  # labelling time of this run, model loading excluded

    @property
    def clauses_per_second(self) -> float:
        labelled = self.clauses - self.resumed_from
        return labelled / self.seconds if self.seconds else 0.0


def partial_path(output: Path) -> Path:
    return output.with_name(output.name + ".partial")


def label_to_file(loaded: LoadedModel, clauses: Iterable[Clause], output: Path, *, output_format: str = "jsonl",
                  force: bool = False, resume: bool = False, batch_size: int = 32,
                  on_progress: Callable[[int], None] | None = None, keep_flagged: int = 20,
                  runtime: Runtime | None = None, chunk_size: int = CHUNK_SIZE) -> LabelRunSummary:
    """Write one prediction per clause to `output`; nothing appears there until the run is complete.

    Lines go to `<output>.partial` (always JSONL) as they are made, flushed after
    each chunk; at the end it is converted if needed and renamed over `output`. An
    interrupted run leaves the partial file, and `resume=True` keeps the lines it
    holds and labels only the clauses after them.
    """
    started = time.perf_counter()
    output = check_writable(output, force=force)
    partial = partial_path(output)
    summary = LabelRunSummary(output=output)
    clauses = iter(clauses)
    if resume and partial.exists():
        clauses = _skip_completed(clauses, partial, summary, keep_flagged)
    with open(partial, "a" if summary.resumed_from else "w", encoding="utf-8") as stream:
        for number, prediction in enumerate(label_stream(loaded, clauses, batch_size, chunk_size, runtime), 1):
            stream.write(json.dumps(to_record(prediction), ensure_ascii=False) + "\n")
            _count(summary, prediction, keep_flagged)
            if number % chunk_size == 0:
                stream.flush()  # an interruption then loses at most one chunk
            if on_progress:
                on_progress(1)
    finish(partial, output, output_format)
    summary.seconds = time.perf_counter() - started
    return summary


def _count(summary: LabelRunSummary, prediction: Prediction, keep_flagged: int) -> None:
    summary.clauses += 1
    summary.label_counts.update(prediction.labels)
    summary.needs_review += prediction.needs_review
    if prediction.labels:
        # Keep the clauses with the most flags (a bare core_cybercrime is the least worrying),
        # earliest first among equals: a bounded list, so memory does not grow with the input.
        summary.flagged.append(prediction)
        if len(summary.flagged) > keep_flagged:
            summary.flagged.sort(key=lambda p: -len(p.labels))
            del summary.flagged[keep_flagged:]


_PREDICTION_FIELDS = [f.name for f in fields(Prediction) if f.name != "extra"]


def to_record(prediction: Prediction) -> dict:
    """Prediction.to_record without its deep copy (dataclasses.asdict), which cost ~0.5 ms a clause."""
    record = {name: getattr(prediction, name) for name in _PREDICTION_FIELDS}
    for key, value in prediction.extra.items():
        record.setdefault(key, value)
    return record


def prediction_from_record(record: dict) -> Prediction:
    """The Prediction a JSON line was written from (input columns go back into `extra`)."""
    known = {k: v for k, v in record.items() if k in _PREDICTION_FIELDS}
    return Prediction(**known, extra={k: v for k, v in record.items() if k not in _PREDICTION_FIELDS})


def count_records(summary: LabelRunSummary, lines: Iterable[str], keep_flagged: int) -> None:
    for line in lines:
        _count(summary, prediction_from_record(json.loads(line)), keep_flagged)


def complete_lines(partial: Path) -> int:
    """How many whole lines an interrupted run left; a torn last line is cut off the file."""
    count = kept_bytes = 0
    with open(partial, "rb") as stream:
        for line in stream:
            if not line.endswith(b"\n"):
                break
            count += 1
            kept_bytes += len(line)
    if kept_bytes != partial.stat().st_size:
        logger.info("%s: cut a torn last line after %d complete ones", partial, count)
        os.truncate(partial, kept_bytes)
    return count


def _skip_completed(clauses: Iterator[Clause], partial: Path, summary: LabelRunSummary,
                    keep_flagged: int) -> Iterator[Clause]:
    """Check, line by line, that the partial file holds the inputs' first clauses; consume those."""
    complete_lines(partial)
    with open(partial, encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            try:
                prediction = prediction_from_record(json.loads(line))
            except (json.JSONDecodeError, TypeError):
                raise InputError(partial, "not a prediction line", line=number,
                                 hint="delete the partial file and start again without --resume") from None
            clause = next(clauses, None)
            if clause is None or (clause.doc_id, clause.clause_id) != (prediction.doc_id, prediction.clause_id):
                raise InputError(partial, f"line {number} does not match the inputs' clause {number}",
                                 hint="the inputs changed since the interrupted run; start again without --resume")
            _count(summary, prediction, keep_flagged)
    summary.resumed_from = summary.clauses
    return clauses


def finish(partial: Path, output: Path, output_format: str) -> None:
    """Rename the complete partial JSONL over `output`, converting it to CSV on the way if asked."""
    if output_format == "jsonl":
        partial.replace(output)
        return
    write_predictions_csv(partial, output)
    partial.unlink()


def write_predictions_csv(jsonl: Path, target: Path) -> None:
    """CSV with one row per prediction (list/dict fields as JSON cells), streamed and renamed into place.

    Columns are those of the first record: carried-through input columns that
    only later records have are left out.
    """
    with atomic_writer(target, newline="") as sink, open(jsonl, encoding="utf-8") as source:
        writer = None
        for line in source:
            record = json.loads(line)
            if writer is None:
                writer = csv.DictWriter(sink, fieldnames=list(record), extrasaction="ignore")
                writer.writeheader()
            writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v
                             for k, v in record.items()})
