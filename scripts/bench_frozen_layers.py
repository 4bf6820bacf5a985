"""Fine-tuning time with every layer trained against `training.frozen_layers`, side by side in one process.

Both fine-tune the same model on the same statute clauses, in length-sorted batches of --batch-size as the
trainer's length-grouped sampler draws them, for --epochs passes (forward, BCE loss, backward, AdamW):
"every layer" runs the whole encoder in every step; "frozen" first computes the bottom --frozen-layers'
output for each clause once (model/frozen_layers.py), then steps only the layers above. Both start from the
same weights, in bf16 autocast where this machine has bf16 instructions (as training does). The ratio is
every-layer seconds over frozen seconds, the one-off pass included; the memory is what the cached states hold.

    .venv/bin/python scripts/bench_frozen_layers.py                     # all-mpnet-base-v2, 10 layers frozen

Results go to stdout as a Markdown table.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import time
from pathlib import Path

import torch
from datasets import Dataset
from transformers import DataCollatorWithPadding

from bench_training import step  # scripts/bench_training.py: one timed trainer step

from clauseclf.config import ModelConfig, TrainingConfig
from clauseclf.model.base import load_base
from clauseclf.model.frozen_layers import CLAUSE_INDEX, TopLayers, bottom_states
from clauseclf.schema import LabelSchema
from clauseclf.train import bf16_runs_natively

REPO = Path(__file__).resolve().parents[1]
STATUTES = sorted((REPO / "data" / "corpus" / "statutes").glob("*.jsonl"))


def statute_texts(count: int) -> list[str]:
    texts = [json.loads(line)["text"] for path in STATUTES
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return random.Random(13).sample(texts, count)


def fine_tune(model, batches: list[dict], epochs: int, bf16: bool, labels: torch.Tensor) -> float:
    """Seconds for `epochs` passes over `batches` (bench_training.step each), stepping what requires gradients."""
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-5)
    model.train()
    inputs = [{k: batch[k] for k in ("input_ids", "attention_mask", CLAUSE_INDEX)} for batch in batches]
    return sum(step(model, optimiser, batch, labels[:len(batch["input_ids"])], bf16)
               for _ in range(epochs) for batch in inputs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-model", default=ModelConfig.base_model)
    parser.add_argument("--frozen-layers", type=int, default=TrainingConfig.frozen_layers)
    parser.add_argument("--clauses", type=int, default=192, help="Statute clauses drawn at random (seed 13).")
    parser.add_argument("--epochs", type=int, default=int(TrainingConfig.epochs))
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()

    schema = LabelSchema.from_yaml()
    config = ModelConfig(base_model=args.base_model)
    tokenizer, model = load_base(config, schema)
    bf16 = TrainingConfig.bf16 and bf16_runs_natively()
    texts = sorted(statute_texts(args.clauses), key=len)
    data = Dataset.from_dict({"text": texts}).map(
        lambda b: tokenizer(b["text"], truncation=True, max_length=config.max_length), batched=True,
        remove_columns=["text"])
    data = data.add_column(CLAUSE_INDEX, list(range(len(data))))
    collate = DataCollatorWithPadding(tokenizer)
    rows = [data[i] for i in range(len(data))]
    batches = [collate(rows[s:s + args.batch_size]) for s in range(0, len(rows), args.batch_size)]
    labels = torch.zeros(args.batch_size, len(schema.names))
    whole = copy.deepcopy(model)

    every = fine_tune(_Whole(whole), batches, args.epochs, bf16, labels)
    started = time.perf_counter()
    states = bottom_states(model, tokenizer, data, args.frozen_layers, bf16)
    once = time.perf_counter() - started
    top = fine_tune(TopLayers(model, args.frozen_layers, states), batches, args.epochs, bf16, labels)
    held = sum(s.numel() * s.element_size() for s in states) / 2**20

    print(f"\n{args.base_model}, {len(texts)} statute clauses, {args.epochs} epochs, batch {args.batch_size}, "
          f"{'bf16 autocast' if bf16 else 'fp32'}, {torch.get_num_threads()} threads\n")
    print("| fine-tune | s in all | s a clause-epoch | speed-up |\n| --- | --- | --- | --- |")
    per = len(texts) * args.epochs
    print(f"| every layer | {every:.1f} | {every / per:.3f} | 1.00x |")
    print(f"| bottom {args.frozen_layers} frozen (once: {once:.1f} s; steps: {top:.1f} s) | {once + top:.1f} | "
          f"{(once + top) / per:.3f} | {every / (once + top):.2f}x |")
    print(f"\nCached states: {held:.1f} MiB for {len(texts)} clauses ({held * 1024 / len(texts):.0f} KiB a clause).")
    return 0


class _Whole(torch.nn.Module):
    """The classifier, called as TopLayers is (the clause index unused), so both take the same batches."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, clause_index):
        return self.model(input_ids=input_ids, attention_mask=attention_mask)


if __name__ == "__main__":
    raise SystemExit(main())
