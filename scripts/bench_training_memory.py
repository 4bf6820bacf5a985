"""Peak memory of the default recipe's training: what each of two choices saves, side by side in one run.

With `training.frozen_layers` the bottom layers' output for every training clause is computed once and kept
(model/frozen_layers.py), then the Trainer steps batches of every padded shape. Two choices keep resident memory
near what is really held:

- the cache is computed **longest clause first** (`computing_order`): each batch's intermediates fit in the
  memory the larger batch before it freed; shortest first, every batch needs larger blocks than any freed so far;
- freed heap pages go **back to the system** every 10 steps and after the cache (memory.py, malloc_trim): each
  step's batch has its own shape, and glibc keeps freed blocks of every size.

Each variant trains the default recipe on the same random draw of statute clauses (`data.extra_train_sample`) in
a fresh process (a process's peak memory cannot be reset) and reports its peak resident memory when the cache is
done and at the end of the fine-tune (the clause facts are left out: they come after, in less memory).

    .venv/bin/python scripts/bench_training_memory.py                     # 3,000 statute clauses, 1 epoch

Results go to stdout as a Markdown table.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VARIANTS = {  # name: (cache computed shortest first, heap trimmed)
    "shortest first, no trim": (True, False),
    "longest first, no trim": (False, False),
    "shortest first, trimmed": (True, True),
    "longest first, trimmed": (False, True),
}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(variant: str, clauses: int, epochs: float, results) -> None:
    """In a fresh process: one training run of the variant; report the peaks (MiB) and seconds."""
    shortest_first, trimmed = VARIANTS[variant]
    if not trimmed:
        os.environ["CLAUSECLF_NO_MALLOC_TRIM"] = "1"
    from clauseclf import train
    from clauseclf.config import load_train_config
    from clauseclf.model import frozen_layers

    if shortest_first:
        frozen_layers.computing_order = lambda lengths: sorted(range(len(lengths)), key=lengths.__getitem__)
    at_cache = {}
    compute_cache = train.bottom_states

    def bottom_states(*args, **kwargs):
        states = compute_cache(*args, **kwargs)
        at_cache["peak"] = _peak_mib()
        at_cache["held"] = sum(t.numel() * t.element_size() for t in states) / 2**20
        return states

    train.bottom_states = bottom_states
    stepping = {}
    fine_tune = train.WeightedBCETrainer.train

    def timed_fine_tune(self, *args, **kwargs):
        started, system = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF).ru_stime
        output = fine_tune(self, *args, **kwargs)
        stepping["s"] = time.perf_counter() - started
        stepping["system"] = resource.getrusage(resource.RUSAGE_SELF).ru_stime - system
        return output

    train.WeightedBCETrainer.train = timed_fine_tune
    config = load_train_config(REPO / "configs" / "train" / "default.yaml", [
        f"data.extra_train_sample={clauses}", f"training.epochs={epochs}", "data.facts_corpus=[]"])
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        train.train(config, Path(folder) / "model")
    results.put((variant, at_cache["held"], at_cache["peak"], _peak_mib(), time.perf_counter() - started,
                 stepping["s"], stepping["system"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statute-clauses", type=int, default=3000)
    parser.add_argument("--epochs", type=float, default=1)
    args = parser.parse_args()

    spawn = multiprocessing.get_context("spawn")
    results = spawn.Queue()
    rows = []
    for variant in VARIANTS:
        child = spawn.Process(target=measure, args=(variant, args.statute_clauses, args.epochs, results))
        child.start()
        rows.append(results.get())
        child.join()

    print(f"\nconfigs/train/default.yaml with {args.statute_clauses} statute clauses, {args.epochs:g} epoch(s), "
          "no clause facts\n")
    print("| variant | cached states MiB | peak after the cache MiB | peak in all MiB | peak ratio | s in all | "
          "s of steps | of which in the kernel | steps ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    first = rows[0]
    for variant, held, at_cache, peak, seconds, steps, system in rows:
        print(f"| {variant} | {held:.0f} | {at_cache:.0f} | {peak:.0f} | {peak / first[3]:.2f}x | {seconds:.0f} | "
              f"{steps:.0f} | {system:.0f} | {steps / first[5]:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
