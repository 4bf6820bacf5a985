"""Memory of the frozen layers' cache: computed longest clause first against shortest first, in one run.

`training.frozen_layers` computes the bottom layers' output once per training clause and keeps it for every step
(model/frozen_layers.py). Batches group clauses of like length. Taken shortest first, every batch needs larger
blocks than the allocator has freed so far, the heap grows with each, and the process ends well past what the
states hold; longest first (`computing_order`), each batch fits in what the larger one before it freed. Each order
runs `bottom_states` over the same statute clauses in a fresh process (a process's peak memory cannot be reset);
the figure is the growth of its peak resident memory while the states are computed (the model's weights, read
from disk at the first batch, included), against the bytes the states hold.

    .venv/bin/python scripts/bench_cached_states.py                    # 3,000 clauses, all-mpnet-base-v2
    .venv/bin/python scripts/bench_cached_states.py --max-length 384

Results go to stdout as a Markdown table.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time

import torch

from bench_frozen_layers import statute_texts  # a fixed random draw of statute clauses

from clauseclf.config import ModelConfig, TrainingConfig


def _resident_mib() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def measure(order: str, clauses: int, frozen: int, max_length: int, results) -> None:
    """In a fresh process: tokenise, then compute the cache in `order`; report MiB and seconds."""
    from datasets import Dataset

    from clauseclf.model import frozen_layers
    from clauseclf.model.base import load_base
    from clauseclf.schema import LabelSchema
    from clauseclf.train import bf16_runs_natively

    if order == "shortest first":
        frozen_layers.computing_order = lambda lengths: sorted(range(len(lengths)), key=lengths.__getitem__)
    config = ModelConfig(max_length=max_length)
    tokenizer, model = load_base(config, LabelSchema.from_yaml())
    data = Dataset.from_dict({"text": statute_texts(clauses)}).map(
        lambda b: tokenizer(b["text"], truncation=True, max_length=config.max_length), batched=True,
        remove_columns=["text"])
    before = _resident_mib()
    started = time.perf_counter()
    states = frozen_layers.bottom_states(model, tokenizer, data, frozen, TrainingConfig.bf16 and bf16_runs_natively())
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    held = sum(t.numel() * t.element_size() for t in states)
    results.put((order, held / 2**20, peak - before, _resident_mib() - before, seconds))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clauses", type=int, default=3000)
    parser.add_argument("--frozen-layers", type=int, default=TrainingConfig.frozen_layers)
    parser.add_argument("--max-length", type=int, default=ModelConfig.max_length)
    args = parser.parse_args()

    spawn = multiprocessing.get_context("spawn")
    results = spawn.Queue()
    rows = []
    for order in ("shortest first", "longest first"):
        child = spawn.Process(target=measure, args=(order, args.clauses, args.frozen_layers, args.max_length, results))
        child.start()
        rows.append(results.get())
        child.join()

    print(f"\n{ModelConfig.base_model}, {args.clauses} statute clauses cut at {args.max_length} tokens, "
          f"bottom {args.frozen_layers} layers, {torch.get_num_threads()} threads\n")
    print("| computed | states hold MiB | peak memory grows MiB | still held after MiB | s | peak over states |")
    print("| --- | --- | --- | --- | --- | --- |")
    for order, held, grown, kept, seconds in rows:
        print(f"| {order} | {held:.0f} | {grown:.0f} | {kept:.0f} | {seconds:.1f} | {grown / held:.2f}x |")
    shortest, longest = rows
    print(f"\nPeak growth, shortest first over longest first: {shortest[2] / longest[2]:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
