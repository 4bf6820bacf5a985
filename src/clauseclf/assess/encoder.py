"""The frozen sentence encoder the clause facts read: each clause becomes one vector.

    encoder = SentenceEncoder.load("packaged:all-minilm-l6-v2")
    vectors = encoder.embed(["A police officer may, with a warrant ...", ...])   # (clauses, 384), each of length 1

The encoder's last-layer token states, averaged over the clause's tokens (the attention
mask leaves the padding out) and scaled to length 1: how all-MiniLM-L6-v2 was trained
to embed a sentence. Nothing is fine-tuned. Clauses are cut at 128 tokens, the length
all-MiniLM-L6-v2 was trained on (its model card); the corpus's clauses average 118 of its
tokens (config.ModelConfig.max_length), so most are read whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from clauseclf.memory import release_free_memory

MAX_TOKENS = 128
POOLING = "mean"  # the only pooling there is: a folder that names another was not written by clauseclf
# Clauses per forward pass. Sorted by token count first, each batch pads only to its own longest clause.
BATCH_SIZE = 32
TRIM_EVERY = 10  # batches between handing freed heap pages back (memory.py)


@dataclass
class SentenceEncoder:
    name: str
    """As `model.facts_encoder` names it: `packaged:all-minilm-l6-v2`, `tiny-random`, a folder."""
    tokenizer: object
    model: torch.nn.Module
    max_tokens: int = MAX_TOKENS

    @classmethod
    def load(cls, name: str, max_tokens: int = MAX_TOKENS, setting: str = "model.facts_encoder") -> "SentenceEncoder":
        """`setting` is what an error about `name` names: the config key, or the facts.json it was read from."""
        from clauseclf.model.base import load_encoder

        tokenizer, model = load_encoder(name, setting)
        return cls(name, tokenizer, model, max_tokens)

    @property
    def dimensions(self) -> int:
        return int(self.model.config.hidden_size)

    def describe(self) -> dict:
        """What facts.json records of the encoder, so that loading rebuilds the same features."""
        return {"name": self.name, "max_tokens": self.max_tokens, "pooling": POOLING, "dimensions": self.dimensions}

    def to(self, device: str | torch.device) -> "SentenceEncoder":
        self.model.to(device)
        return self

    def embed(self, texts: list[str], batch_size: int = BATCH_SIZE,
              on_progress: Callable[[int], object] | None = None) -> np.ndarray:
        """One row of float32 per text, in the order given; `on_progress(n)` after each batch of n texts."""
        vectors = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if not texts:
            return vectors
        # Sorted by token count, not characters: a Japanese clause is short in characters and long in word pieces,
        # and character order padded the statute clauses to 1.46x the tokens. Longest first: in rising order each
        # batch needs larger blocks than any freed so far, and the heap grows (scripts/bench_embedding.py; the
        # same as model/frozen_layers.py's computing_order).
        # The id lists alone: the tokenizer's result also holds each token's text and offsets, for every clause.
        encoded = dict(self.tokenizer(texts, truncation=True, max_length=self.max_tokens))
        order = np.argsort([-len(ids) for ids in encoded["input_ids"]], kind="stable")
        device = next(self.model.parameters()).device
        with torch.inference_mode():
            for number, start in enumerate(range(0, len(texts), batch_size)):
                rows = order[start:start + batch_size]
                batch = self.tokenizer.pad({key: [values[i] for i in rows] for key, values in encoded.items()},
                                           return_tensors="pt").to(device)
                vectors[rows] = _mean_pooled(self.model(**batch).last_hidden_state, batch["attention_mask"])
                if number % TRIM_EVERY == 0:  # each batch has its own shape: freed blocks pile up untrimmed
                    release_free_memory()
                if on_progress:
                    on_progress(len(rows))
        return vectors


def _mean_pooled(states: torch.Tensor, attention_mask: torch.Tensor) -> np.ndarray:
    mask = attention_mask.unsqueeze(-1).to(states.dtype)
    mean = (states * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
    return torch.nn.functional.normalize(mean, dim=-1).float().cpu().numpy()
