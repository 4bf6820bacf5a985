"""Mean pooling for the classifier: the clause vector the sentence encoder was trained to produce.

A `...ForSequenceClassification` head reads the first token's vector (BERT through its pooler,
MPNet directly). Sentence-transformers encoders such as all-MiniLM-L6-v2 were trained to mean
their token vectors instead, so the first token starts the fine-tune knowing little about the
clause. With `model.pooling: mean` the first token's slot of the encoder's output is replaced
by the mean of the clause's (unpadded) token vectors, so the unchanged head reads the mean:

    use_mean_pooling(model)   # at training, and again when a model folder is loaded

The choice is written into the model's config.json (`clauseclf_pooling`), so a saved folder
is pooled as it was trained. The weights and their names do not change.
"""

from __future__ import annotations

import threading

import torch
from transformers import PreTrainedModel

from clauseclf.errors import ConfigError

CONFIG_KEY = "clauseclf_pooling"


class _MeanIntoFirstToken:
    """Two hooks sharing one attention mask: read it as the encoder model starts, use it as its encoder ends.

    The mask is kept per thread: inference.py runs batches side by side on threads of one model.
    """

    def __init__(self) -> None:
        self.current = threading.local()

    def __deepcopy__(self, memo) -> "_MeanIntoFirstToken":
        return _MeanIntoFirstToken()  # a copied model (int8 quantisation copies) gets hooks of its own

    def remember_mask(self, module, args, kwargs):
        self.current.mask = kwargs.get("attention_mask")

    def replace_first_token(self, module, args, output):
        hidden = output[0]
        mask = getattr(self.current, "mask", None)
        if mask is None:
            mask = torch.ones(hidden.shape[:2], dtype=hidden.dtype, device=hidden.device)
        weights = mask[:, : hidden.shape[1]].to(hidden.dtype).unsqueeze(-1)
        mean = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)
        pooled = torch.cat([mean.unsqueeze(1), hidden[:, 1:]], dim=1)
        if isinstance(output, tuple):
            return (pooled, *output[1:])
        output.last_hidden_state = pooled
        return output


def use_mean_pooling(model: PreTrainedModel) -> PreTrainedModel:
    """Make `model` classify from the mean of its token vectors; recorded in its config."""
    encoder_model = model.base_model
    encoder = getattr(encoder_model, "encoder", None)
    if encoder is None:
        raise ConfigError("model.pooling", [
            f"mean pooling needs an encoder model (BERT, MPNet, RoBERTa...); {type(model).__name__} has none"])
    hooks = _MeanIntoFirstToken()
    encoder_model.register_forward_pre_hook(hooks.remember_mask, with_kwargs=True)
    encoder.register_forward_hook(hooks.replace_first_token)
    model.config.update({CONFIG_KEY: "mean"})
    return model


def apply_saved_pooling(model: PreTrainedModel) -> PreTrainedModel:
    """Pool a model loaded from a folder as it was trained."""
    if getattr(model.config, CONFIG_KEY, "cls") == "mean":
        return use_mean_pooling(model)
    return model
