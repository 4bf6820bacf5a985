"""A trained model folder: what `save_pretrained` writes, plus the files that give it meaning.

    models/default/
      config.json           HF config with id2label, label2id, problem_type
      model.safetensors     weights
      tokenizer.json, tokenizer_config.json
      thresholds.json       one decision threshold per label, tuned on the dev split
      training_config.yaml  the resolved configuration it was trained with
      split.json            which jurisdictions trained, tuned and tested it
      metrics.json          dev and test scores
      combiner.json         optional: stacking over logits and lexicon signals (signals.py)
      facts.json, facts.safetensors  the clause-facts model `clauseclf assess` reads (assess/facts.py)
      README.md             model card
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase

from clauseclf.errors import ModelFolderError
from clauseclf.model.signals import Combiner, load_combiner

if TYPE_CHECKING:
    from clauseclf.assess.facts import FactsModel

REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json", "thresholds.json")


@dataclass
class LoadedModel:
    path: Path
    name: str
    content_hash: str
    tokenizer: PreTrainedTokenizerBase
    model: PreTrainedModel
    label_names: list[str]
    thresholds: dict[str, float]
    review_band: float
    max_length: int
    combiner: "Combiner | None" = None
    """Optional stacking over [logits, lexicon signals] (signals.py), from `combiner.json`."""
    quantization: str = "none"
    """How the weights were quantised after loading (quantize.py): int8 weights share the fp32 file's hash."""
    facts: "FactsModel | None" = None
    """The folder's clause-facts model (assess/facts.py), where the caller loaded it (`clauseclf label`): the
    clauses labelled `overbroad` then carry their predicted kind and power."""

    @property
    def identity(self) -> dict[str, str]:
        """What every prediction records of the model that made it."""
        return {"name": self.name, "hash": self.content_hash, "quantization": self.quantization}


def check_model_folder(path: str | Path) -> Path:
    path = Path(path)
    if not path.is_dir():
        raise ModelFolderError(f"{path}: model folder not found (train one with `clauseclf train configs/train/default.yaml`)")
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise ModelFolderError(f"{path}: model folder is missing {', '.join(missing)} "
                               "(retrain it with `clauseclf train`, or point --model at a complete folder)")
    return path


def weights_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path / "model.safetensors", "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def load_model_folder(path: str | Path) -> LoadedModel:
    path = check_model_folder(path)
    thresholds_file = json.loads((path / "thresholds.json").read_text(encoding="utf-8"))
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForSequenceClassification.from_pretrained(path)
    model.eval()
    if getattr(model.config, "clauseclf_pooling", "cls") != "cls":  # the mean pooling of older clauseclf versions
        raise ModelFolderError(f"{path / 'config.json'}: trained with mean pooling, which this clauseclf no longer "
                               "has (retrain the model)")
    names = [model.config.id2label[i] for i in range(model.config.num_labels)]
    combiner = load_combiner(path)
    thresholds = thresholds_file.get("thresholds", {})
    missing = [n for n in names if n not in thresholds]
    if missing:
        raise ModelFolderError(f"{path / 'thresholds.json'}: no threshold for {', '.join(missing)} (retrain the model)")
    return LoadedModel(
        path=path, name=path.name, content_hash=weights_hash(path), tokenizer=tokenizer, model=model,
        label_names=names, thresholds={n: float(thresholds[n]) for n in names},
        review_band=float(thresholds_file.get("review_band", 0.15)),
        max_length=int(thresholds_file.get("max_length", 256)), combiner=combiner,
    )


