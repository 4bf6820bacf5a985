"""Embedding the statute clauses for the clause facts: batches sorted by token count against by characters.

Training embeds every annotated statute clause with the clause-facts encoder (assess/encoder.py) before it fits
the clause facts: 150-220 s of the default's training on 2 cores. Both variants embed the same clauses with the
same encoder, batch size and 128-token cut, one after the other in this process; they differ only in the order
that decides which clauses share a padded batch. "characters" sorts by character count (the order before);
"tokens" by word pieces, as `SentenceEncoder.embed` does now. A Japanese or Greek clause is short in characters
and long in word pieces, so character order puts it beside short clauses and pads them all to its length.

    .venv/bin/python scripts/bench_embedding.py                 # every statute clause, about 5 minutes on 2 cores

Results go to stdout as a Markdown table: tokens computed (padding included), seconds, and the ratios.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

from clauseclf.assess.encoder import BATCH_SIZE, SentenceEncoder, _mean_pooled
from clauseclf.config import ModelConfig

REPO = Path(__file__).resolve().parents[1]
STATUTES = sorted((REPO / "data" / "corpus" / "statutes").glob("*.jsonl"))


def statute_texts() -> list[str]:
    return [json.loads(line)["text"] for path in STATUTES
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def embed_in_character_order(encoder: SentenceEncoder, texts: list[str]) -> np.ndarray:
    """The encoder's embed() as it was: each batch tokenised and padded on its own, batches in character order."""
    vectors = np.zeros((len(texts), encoder.dimensions), dtype=np.float32)
    order = np.argsort([len(text) for text in texts], kind="stable")
    with torch.inference_mode():
        for start in range(0, len(texts), BATCH_SIZE):
            rows = order[start:start + BATCH_SIZE]
            batch = encoder.tokenizer([texts[i] for i in rows], truncation=True, max_length=encoder.max_tokens,
                                      padding=True, return_tensors="pt")
            vectors[rows] = _mean_pooled(encoder.model(**batch).last_hidden_state, batch["attention_mask"])
    return vectors


def padded_tokens(lengths: list[int], order: np.ndarray) -> int:
    return sum(max(lengths[i] for i in order[s:s + BATCH_SIZE]) * len(order[s:s + BATCH_SIZE])
               for s in range(0, len(order), BATCH_SIZE))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", default=ModelConfig.facts_encoder)
    parser.add_argument("--clauses", type=int, default=0, help="The first N statute clauses (0: all of them).")
    args = parser.parse_args()
    texts = statute_texts()
    texts = texts[:args.clauses] if args.clauses else texts
    encoder = SentenceEncoder.load(args.encoder)
    lengths = [len(ids) for ids in encoder.tokenizer(texts, truncation=True, max_length=encoder.max_tokens)["input_ids"]]
    tokens = {"characters": padded_tokens(lengths, np.argsort([len(t) for t in texts], kind="stable")),
              "tokens": padded_tokens(lengths, np.argsort(lengths, kind="stable"))}
    seconds, vectors = {}, {}
    for name, embed in (("characters", lambda: embed_in_character_order(encoder, texts)),
                        ("tokens", lambda: encoder.embed(texts))):
        started = time.perf_counter()
        vectors[name] = embed()
        seconds[name] = time.perf_counter() - started
    difference = float(np.abs(vectors["characters"] - vectors["tokens"]).max())
    print(f"{len(texts)} statute clauses, {args.encoder}, batches of {BATCH_SIZE}, {torch.get_num_threads()} threads\n")
    print("| sorted by | tokens computed | tokens ratio | seconds | speed-up |")
    print("| --- | --- | --- | --- | --- |")
    for name in ("characters", "tokens"):
        print(f"| {name} | {tokens[name]:,} | {tokens[name] / tokens['characters']:.2f}x | {seconds[name]:.0f} "
              f"| {seconds['characters'] / seconds[name]:.2f}x |")
    print(f"\nlargest difference between the two embeddings of a clause: {difference:.1e} (unit vectors)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
