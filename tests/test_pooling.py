"""Mean pooling: the classifier reads the mean of the clause's token vectors, in training and after loading."""

from __future__ import annotations

import json

import pytest
import torch

from clauseclf import base_models, pooling
from clauseclf.config import load_train_config
from clauseclf.errors import ConfigError
from clauseclf.schema import LabelSchema

from conftest import TINY_CONFIG

TEXTS = ["A person who accesses a computer system commits an offence.",
         "Whoever publishes false news that causes public alarm, annoyance or inconvenience commits an offence "
         "and is liable on conviction to imprisonment."]


def _tiny(pool: str):
    config = load_train_config(TINY_CONFIG, [f"model.pooling={pool}"])
    torch.manual_seed(0)
    return base_models.load_base(config.model, LabelSchema.from_yaml())


def test_the_head_reads_the_mean_of_the_unpadded_token_vectors():
    tokenizer, model = _tiny("mean")
    model.eval()
    batch = tokenizer(TEXTS, padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model.base_model(**batch).last_hidden_state
        model.base_model._forward_pre_hooks.clear()
        model.base_model.encoder._forward_hooks.clear()
        raw = model.base_model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    assert torch.allclose(hidden[:, 0], (raw * mask).sum(1) / mask.sum(1), atol=1e-5)
    assert torch.equal(hidden[:, 1:], raw[:, 1:])


def test_padding_does_not_change_a_clauses_scores():
    tokenizer, model = _tiny("mean")
    model.eval()
    with torch.no_grad():
        alone = model(**tokenizer(TEXTS[:1], return_tensors="pt")).logits
        padded = model(**tokenizer(TEXTS, padding=True, return_tensors="pt")).logits[:1]
        _, cls_model = _tiny("cls")
        cls_logits = cls_model.eval()(**tokenizer(TEXTS[:1], return_tensors="pt")).logits
    assert torch.allclose(alone, padded, atol=1e-5)
    assert not torch.allclose(alone, cls_logits, atol=1e-3)  # same weights (same seed), other vector read


def test_a_saved_folder_is_pooled_as_it_was_trained(tmp_path):
    from clauseclf.inference import transformer_scores
    from clauseclf.model_folder import load_model_folder
    from clauseclf.training import train

    result = train(load_train_config(TINY_CONFIG, ["model.pooling=mean", "training.max_steps=1"]), tmp_path / "m")
    assert json.loads((result.output_dir / "config.json").read_text())[pooling.CONFIG_KEY] == "mean"
    loaded = load_model_folder(result.output_dir)
    scores, _ = transformer_scores(loaded, TEXTS)
    loaded.model.base_model._forward_pre_hooks.clear()
    loaded.model.base_model.encoder._forward_hooks.clear()
    unpooled, _ = transformer_scores(loaded, TEXTS)
    assert scores.shape == (2, 4) and not (abs(scores - unpooled) < 1e-4).all()


def test_an_unknown_pooling_is_a_config_error():
    with pytest.raises(ConfigError, match="model.pooling"):
        load_train_config(TINY_CONFIG, ["model.pooling=max"])


def test_an_int8_copy_keeps_mean_pooling_with_hooks_of_its_own():
    from clauseclf.quantize import quantize_model

    tokenizer, model = _tiny("mean")
    quantized = quantize_model(model.eval(), "int8")
    (pre_hook,) = quantized.base_model._forward_pre_hooks.values()
    (hook,) = quantized.base_model.encoder._forward_hooks.values()
    assert pre_hook.__self__ is hook.__self__
    assert pre_hook.__self__ is not next(iter(model.base_model._forward_pre_hooks.values())).__self__
    with torch.no_grad():
        alone = quantized(**tokenizer(TEXTS[:1], return_tensors="pt")).logits
        padded = quantized(**tokenizer(TEXTS, padding=True, return_tensors="pt")).logits[:1]
    assert torch.allclose(alone, padded, atol=2e-3)  # int8 activations are scaled per batch: close, not equal
