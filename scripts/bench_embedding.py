"""Embedding the statute clauses for the clause facts: in which order the clauses are batched, side by side.

Training embeds every annotated statute clause with the clause-facts encoder (assess/encoder.py) before it fits
the clause facts: 120-220 s of the default's training on 2 cores. Every variant embeds the same clauses with the
same encoder, batch size and 128-token cut; they differ only in the order that decides which clauses share a
padded batch:

- "characters": sorted by character count, each batch tokenised on its own (the encoder before). A Japanese or
  Greek clause is short in characters and long in word pieces, so it pads the short clauses beside it;
- "tokens, shortest first": sorted by word pieces, rising;
- "tokens, longest first": sorted by word pieces, falling, as `SentenceEncoder.embed` does now. In rising order
  every batch needs larger blocks than the heap has freed so far, and the heap grows.

Each variant runs in a fresh process (a process's peak memory cannot be reset), one after the other.

    .venv/bin/python scripts/bench_embedding.py                 # every statute clause, about 6 minutes on 2 cores

Results go to stdout as a Markdown table: tokens computed (padding included), seconds, peak resident memory of
the process (the encoder's weights included), and the ratios against character order.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
STATUTES = sorted((REPO / "data" / "corpus" / "statutes").glob("*.jsonl"))
VARIANTS = ("characters", "tokens, shortest first", "tokens, longest first")


def statute_texts() -> list[str]:
    return [json.loads(line)["text"] for path in STATUTES
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def embed_in_character_order(encoder, texts: list[str], batch_size: int) -> np.ndarray:
    """The encoder's embed() as it was: each batch tokenised and padded on its own, batches in character order."""
    import torch

    from clauseclf.assess.encoder import _mean_pooled

    vectors = np.zeros((len(texts), encoder.dimensions), dtype=np.float32)
    order = np.argsort([len(text) for text in texts], kind="stable")
    with torch.inference_mode():
        for start in range(0, len(texts), batch_size):
            rows = order[start:start + batch_size]
            batch = encoder.tokenizer([texts[i] for i in rows], truncation=True, max_length=encoder.max_tokens,
                                      padding=True, return_tensors="pt")
            vectors[rows] = _mean_pooled(encoder.model(**batch).last_hidden_state, batch["attention_mask"])
    return vectors


def padded_tokens(lengths: list[int], order: np.ndarray, batch_size: int) -> int:
    return sum(max(lengths[i] for i in order[s:s + batch_size]) * len(order[s:s + batch_size])
               for s in range(0, len(order), batch_size))


def measure(variant: str, encoder_name: str, clauses: int, results) -> None:
    """In a fresh process: embed the clauses the variant's way; put (variant, result) on `results`."""
    from clauseclf.assess import encoder as module

    texts = statute_texts()[:clauses or None]
    encoder = module.SentenceEncoder.load(encoder_name)
    lengths = [len(ids) for ids in encoder.tokenizer(texts, truncation=True, max_length=encoder.max_tokens)["input_ids"]]
    rising = np.argsort(lengths, kind="stable")
    if variant == "tokens, shortest first":  # the encoder's own loop, its order reversed
        argsort = np.argsort
        module.np = _NumpyWith(argsort=lambda values, kind=None: argsort(values, kind=kind)[::-1])
    started = time.perf_counter()
    if variant == "characters":
        vectors = embed_in_character_order(encoder, texts, module.BATCH_SIZE)
        order = np.argsort([len(t) for t in texts], kind="stable")
    else:
        vectors = encoder.embed(texts)
        order = rising if variant == "tokens, shortest first" else rising[::-1]
    seconds = time.perf_counter() - started
    results.put((variant, {"seconds": seconds, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                           "tokens": padded_tokens(lengths, order, module.BATCH_SIZE), "vectors": vectors,
                           "clauses": len(texts), "batch_size": module.BATCH_SIZE}))


class _NumpyWith:
    """numpy, one function replaced: how the shortest-first variant runs the encoder's own code."""

    def __init__(self, **replaced):
        self.replaced = replaced

    def __getattr__(self, name):
        return self.replaced[name] if name in self.replaced else getattr(np, name)


def main() -> int:
    from clauseclf.config import ModelConfig

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", default=ModelConfig.facts_encoder)
    parser.add_argument("--clauses", type=int, default=0, help="The first N statute clauses (0: all of them).")
    args = parser.parse_args()
    spawn = multiprocessing.get_context("spawn")
    results = spawn.Queue()
    measured = {}
    for variant in VARIANTS:
        child = spawn.Process(target=measure, args=(variant, args.encoder, args.clauses, results))
        child.start()
        name, measured[name] = results.get()  # before join: a child cannot exit while its result fills the pipe
        child.join()
    base = measured["characters"]
    first = next(iter(measured.values()))
    print(f"{first['clauses']} statute clauses, {args.encoder}, batches of {first['batch_size']}, "
          "one fresh process each\n")
    print("| sorted by | tokens computed | tokens ratio | seconds | speed-up | peak MiB | peak ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, m in measured.items():
        print(f"| {name} | {m['tokens']:,} | {m['tokens'] / base['tokens']:.2f}x | {m['seconds']:.0f} "
              f"| {base['seconds'] / m['seconds']:.2f}x | {m['peak_mib']:,.0f} | {m['peak_mib'] / base['peak_mib']:.2f}x |")
    difference = max(float(np.abs(m["vectors"] - base["vectors"]).max()) for m in measured.values())
    print(f"\nlargest difference between two variants' embeddings of a clause: {difference:.1e} (unit vectors)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
