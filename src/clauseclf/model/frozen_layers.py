"""Fine-tune only the encoder's top layers, over the bottom layers' output computed once (`training.frozen_layers`).

A full fine-tune pays a forward and a backward pass through every layer, for every clause, in every epoch. With
the embeddings and the bottom N layers frozen, their output for a clause never changes: it is computed once,
before the first step (in eval mode, under bf16 autocast where training runs in bf16), and each step runs only
the layers above and the classification head. all-mpnet-base-v2 with 10 of its 12 layers frozen fine-tunes on
9,045 clauses for 3 epochs in 969 s on 2 CPU cores, where every layer took 4,380 (docs/quality.md, row 65). The
model saved is the whole sequence classifier, its frozen layers as loaded: labelling does not know how it was
trained.

    states = bottom_states(classifier, tokenizer, train_data, frozen=10, bf16=True)
    trainable = TopLayers(classifier, frozen=10, states=states)   # what the Trainer steps; `classifier` learns
"""

from __future__ import annotations

import contextlib
import os
import time

import torch
from datasets import Dataset
from torch import nn
from tqdm.auto import tqdm
from transformers import PreTrainedModel, PreTrainedTokenizerBase
from transformers.masking_utils import create_bidirectional_mask
from transformers.modeling_outputs import SequenceClassifierOutput

from clauseclf.errors import ConfigError
from clauseclf.memory import release_free_memory

CLAUSE_INDEX = "clause_index"  # the dataset column that finds a training clause's cached states


class EncoderParts:
    """What a forward pass from a cached layer needs of a BERT or MPNet sequence classifier."""

    KINDS = ("bert", "mpnet")

    def __init__(self, model: PreTrainedModel):
        if model.config.model_type not in self.KINDS:
            raise ConfigError("training.frozen_layers", [
                f"freezing layers works with BERT and MPNet encoders, not {model.config.model_type} "
                "(set training.frozen_layers=0 to fine-tune every layer)"])
        self.model = model
        self.kind = model.config.model_type
        self.encoder = model.bert if self.kind == "bert" else model.mpnet
        self.layers = self.encoder.encoder.layer

    def run_layers(self, hidden: torch.Tensor, attention_mask: torch.Tensor, layers) -> torch.Tensor:
        mask = create_bidirectional_mask(config=self.encoder.config, inputs_embeds=hidden,
                                         attention_mask=attention_mask)
        extra = ()
        if self.kind == "mpnet":  # MPNet adds a relative position bias, from a table frozen with the embeddings
            with torch.no_grad():
                extra = (self.encoder.encoder.compute_position_bias(hidden),)
        for layer in layers:
            out = layer(hidden, mask, *extra)
            hidden = out[0] if isinstance(out, tuple) else out
        return hidden

    def head(self, hidden: torch.Tensor) -> torch.Tensor:
        """Logits from the last layer's states, as the classifier's own forward computes them."""
        if self.kind == "mpnet":
            return self.model.classifier(hidden)
        return self.model.classifier(self.model.dropout(self.encoder.pooler(hidden)))

    def trainable(self, frozen: int) -> list[nn.Module]:
        head = [self.model.classifier] + ([self.encoder.pooler] if self.kind == "bert" else [])
        return list(self.layers[frozen:]) + head


def check_frozen_layers(model: PreTrainedModel, frozen: int) -> None:
    """Refuse, before any work, an encoder this cannot run or a count that leaves no layer to train."""
    layers = len(EncoderParts(model).layers)
    if not 0 < frozen < layers:
        raise ConfigError("training.frozen_layers", [
            f"'training.frozen_layers' is {frozen}, but the encoder has {layers} layers (set it between 1 and "
            f"{layers - 1}, or 0 to fine-tune them all)"])


def computing_order(lengths: list[int]) -> list[int]:
    """The clauses' indices longest first: batches of like length pad little, and each batch's intermediates fit
    in the memory freed by the larger batch before it. Shortest first, every batch needs larger blocks than any
    freed so far: for 418 MiB of states the process peaked at 3,335 MiB against 2,039 (scripts/bench_training_memory.py)."""
    return sorted(range(len(lengths)), key=lengths.__getitem__, reverse=True)


def bottom_states(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, data: Dataset, frozen: int,
                  bf16: bool, batch_size: int = 32) -> list[torch.Tensor]:
    """Each clause's hidden states after the embeddings and the bottom `frozen` layers ([tokens, hidden],
    unpadded), in the order of `data` (tokenised, an `input_ids` column); computed in batches of clauses of like
    length (`computing_order`), on the GPU if there is one. An encoder or a count it cannot take is refused first."""
    check_frozen_layers(model, frozen)
    parts = EncoderParts(model)
    # Under `accelerate launch` each process computes them on its own GPU (LOCAL_RANK), before the Trainer starts.
    device = f"cuda:{os.environ.get('LOCAL_RANK', '0')}" if torch.cuda.is_available() else "cpu"
    model.to(device).eval()
    lengths = [len(ids) for ids in data["input_ids"]]
    order = computing_order(lengths)
    states: list[torch.Tensor | None] = [None] * len(data)
    autocast = torch.autocast(device.split(":")[0], dtype=torch.bfloat16) if bf16 else contextlib.nullcontext()
    # Kept in the precision the top layers compute in: in bf16 half the memory (about 1.3 GiB for all-mpnet-base-v2
    # on 9,045 clauses cut at 192 tokens, against 2.6 in fp32).
    dtype = torch.bfloat16 if bf16 else torch.float32
    started = time.time()
    # The bar counts tokens, not batches: longest first, the first batches take several times the last ones,
    # and a count of batches would foretell half an hour for a pass of five minutes.
    bar = tqdm(total=sum(lengths), desc=f"bottom {frozen} layers, once", unit="token", unit_scale=True)
    with torch.no_grad(), autocast, bar:
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            # The tokenizer's own pad (its pad id and side), as the trainer's collator pads the same rows.
            batch = tokenizer.pad({"input_ids": [data[i]["input_ids"] for i in rows]}, return_tensors="pt")
            ids, mask = batch["input_ids"].to(device), batch["attention_mask"].to(device)
            hidden = parts.run_layers(parts.encoder.embeddings(input_ids=ids), mask, parts.layers[:frozen])
            for row, i in enumerate(rows):
                states[i] = hidden[row, :lengths[i]].to("cpu", dtype, copy=True)
            bar.update(sum(lengths[i] for i in rows))
    model.to("cpu")
    release_free_memory()  # the batches' intermediates, before the Trainer allocates its own
    seconds = time.time() - started
    tqdm.write(f"bottom {frozen} layers of {len(data)} training clauses computed in {seconds:.0f} s")
    return states


class TopLayers(nn.Module):
    """The classifier from its layer `frozen` up, reading each training clause's cached states by its index.

    It holds `classifier` itself, so training it trains `classifier` in place; only the layers above `frozen`
    and the head require gradients (the optimiser steps nothing else)."""

    def __init__(self, classifier: PreTrainedModel, frozen: int, states: list[torch.Tensor]):
        super().__init__()
        self.classifier = classifier
        self.frozen = frozen
        self.states = states  # a plain list: not parameters, not saved with checkpoints
        self.parts = EncoderParts(classifier)
        classifier.requires_grad_(False)
        for module in self.parts.trainable(frozen):
            module.requires_grad_(True)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, clause_index: torch.Tensor,
                labels: torch.Tensor | None = None) -> SequenceClassifierOutput:
        rows = [self.states[i] for i in clause_index.tolist()]
        hidden = rows[0].new_zeros((len(rows), input_ids.shape[1], rows[0].shape[-1]))
        for r, states in enumerate(rows):  # the collator padded input_ids to this batch's longest clause
            hidden[r, :states.shape[0]] = states
        hidden = self.parts.run_layers(hidden.to(input_ids.device), attention_mask,
                                       self.parts.layers[self.frozen:])
        return SequenceClassifierOutput(logits=self.parts.head(hidden))
