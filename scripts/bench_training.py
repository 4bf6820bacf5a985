"""Fine-tuning step time in fp32 against bf16 autocast (`training.bf16`), side by side in one process.

Each step is what the trainer does with a batch: forward, BCE loss (fp32), backward, AdamW update.
Batches are real seed-corpus clauses, --batch-size at a time, sorted by length as the trainer's
length-grouped sampler draws them, tokenised at the recipe's max_length. The two precisions
alternate step by step on the same batches, so a busy neighbour slows both alike; the first round
of each is a warm-up and is not counted. The speed-up is fp32 seconds over bf16 seconds.

    .venv/bin/python scripts/bench_training.py                                       # MiniLM
    .venv/bin/python scripts/bench_training.py --base-model packaged:all-mpnet-base-v2

bf16 pays on a GPU and on CPUs with avx512_bf16 or AMX (`lscpu | grep -o 'avx512_bf16\\|amx_bf16'`);
elsewhere it is emulated and slower. Results go to stdout as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import torch

from clauseclf.config import ModelConfig
from clauseclf.model.base import load_base
from clauseclf.schema import LabelSchema

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "data" / "corpus" / "clauses.jsonl"


def length_sorted_batches(tokenizer, max_length: int, batch_size: int, count: int) -> list[dict]:
    """`count` batches of neighbouring clauses in length order, spread over the whole length range."""
    texts = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts.sort(key=len)
    starts = [round(i * (len(texts) - batch_size) / max(1, count - 1)) for i in range(count)]
    return [dict(tokenizer(texts[s:s + batch_size], truncation=True, max_length=max_length, padding=True,
                           return_tensors="pt")) for s in starts]


def step(model, optimiser, batch: dict, labels: torch.Tensor, bf16: bool) -> float:
    started = time.perf_counter()
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        logits = model(**batch).logits
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits.float(), labels)
    loss.backward()
    optimiser.step()
    optimiser.zero_grad()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-model", default=ModelConfig.base_model)
    parser.add_argument("--max-length", type=int, default=ModelConfig.max_length)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--batches", type=int, default=6, help="Batches, each timed once per precision.")
    args = parser.parse_args()

    schema = LabelSchema.from_yaml()
    tokenizer, model = load_base(ModelConfig(base_model=args.base_model, max_length=args.max_length), schema)
    model.train()
    optimiser = torch.optim.AdamW(model.parameters(), lr=1e-5)
    batches = length_sorted_batches(tokenizer, args.max_length, args.batch_size, args.batches + 1)
    labels = torch.zeros(args.batch_size, len(schema.names))
    seconds: dict[bool, list[float]] = {False: [], True: []}
    for i, batch in enumerate(batches):
        for bf16 in (False, True):
            taken = step(model, optimiser, batch, labels[: len(batch["input_ids"])], bf16)
            if i > 0:  # the first round warms up both paths
                seconds[bf16].append(taken)
    fp32, bf16 = statistics.mean(seconds[False]), statistics.mean(seconds[True])
    print(f"{args.base_model}, batch {args.batch_size}, max_length {args.max_length}, "
          f"{torch.get_num_threads()} threads, {args.batches} batches each\n")
    print("| precision | s a step (mean) | speed-up |\n| --- | --- | --- |")
    print(f"| fp32 | {fp32:.2f} | 1.00x |\n| bf16 autocast | {bf16:.2f} | {fp32 / bf16:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
