"""Cross-validation folds that leave whole jurisdictions out, and each fold's transformer scores.

The scores of a fold are kept in `<output>/folds/` under a key of everything that
shapes them: a rerun that changes only thresholds, the combiner or the review band
reuses them. `averaged_fold_scores` averages the saved scores of earlier runs (an
ensemble, no training).
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from clauseclf import corpus
from clauseclf.config import AFTER_FINE_TUNE, TrainConfig
from clauseclf.errors import ConfigError, InputError
from clauseclf.outputs import atomic_write_text

logger = logging.getLogger(__name__)

# Settings added after fold scores were first saved: at the value that trains as before they existed (no draw
# from extra_train, fp32, every layer fine-tuned) they stay out of the key, so the saved scores of earlier runs
# are still found.
_ADDED_LATER = {"data": {"extra_train_sample": 0}, "training": {"bf16": False, "frozen_layers": 0}}


@dataclass
class Fold:
    index: int
    train: list[dict]
    dev: list[dict]
    test: list[dict]
    corpus_train: list[dict] | None = None  # the training clauses from the corpus itself, without data.extra_train

    def signal_train(self, on_extra_train: bool) -> list[dict]:
        """The training clauses the combiner's lexicon signals learn from (`training.signals_on_extra_train`)."""
        return self.train if on_extra_train or self.corpus_train is None else self.corpus_train

    def describe(self) -> dict:
        return {name: {"clauses": len(part), "jurisdictions": sorted({corpus.group_of(r) for r in part})}
                for name, part in (("train", self.train), ("dev", self.dev), ("test", self.test))}


def make_folds(records: list[dict], k: int, dev_fraction: float, seed: int,
               extras: list[dict] | None = None) -> list[Fold]:
    """K folds, no jurisdiction in two of (train, dev, test) of any fold, every record in one test part.

    `extras` (data.extra_train) join each fold's training part, less the jurisdictions it holds out: the
    folds themselves are dealt from `records` alone, so they stay the same with or without extras."""
    from sklearn.model_selection import GroupKFold

    groups = [corpus.group_of(r) for r in records]
    if k < 2 or k > len(set(groups)):
        raise ConfigError("--folds", [f"must be between 2 and the number of jurisdictions ({len(set(groups))}), got {k}"])
    folds = []
    for index, (rest, held_out) in enumerate(GroupKFold(n_splits=k).split(records, groups=groups)):
        inner = corpus.split_by_jurisdiction([records[i] for i in rest], dev_fraction, 0.0, seed + index)
        parts = corpus.with_extras({"train": inner["train"], "dev": inner["dev"], "test": [records[i] for i in held_out]},
                                   extras or [], records)
        folds.append(Fold(index, parts["train"], parts["dev"], parts["test"], inner["train"]))
    return folds


def _score_key(config: TrainConfig, fold: Fold) -> str:
    """Hash of what shapes a fold's transformer scores: the config less its neutral fields, and the fold's texts."""
    settings = config.to_dict()
    settings.pop("output_dir", None)
    for section in ("model", "data", "training"):
        for name in AFTER_FINE_TUNE.get(section, ()):
            settings[section].pop(name, None)
        for name, default in _ADDED_LATER.get(section, {}).items():
            if settings[section].get(name) == default:
                del settings[section][name]
    texts = [[corpus.text_fingerprint(r["text"]) for r in part] for part in (fold.train, fold.dev, fold.test)]
    payload = json.dumps([settings, texts], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def fold_scores(config: TrainConfig, fold: Fold, folds_dir: Path, keep_models: bool = False) -> dict:
    """The transformer's dev and held-out scores for one fold: read from `folds_dir` if saved, else trained."""
    from clauseclf.train import train

    key = _score_key(config, fold)
    cache = folds_dir / f"fold-{fold.index}-{key}.json"
    if cache.is_file():
        logger.info("fold %d: reusing %s", fold.index, cache)
        return json.loads(cache.read_text(encoding="utf-8"))
    model_dir = folds_dir / f"model-{fold.index}"
    logger.info("fold %d: training on %d clauses, dev %d, held out %d",
                fold.index, len(fold.train), len(fold.dev), len(fold.test))
    fold_config = copy.deepcopy(config)
    # A fold's model only scores clauses: no clause-facts model to fit, and the combiner (with its embedding
    # signals) is fitted afresh from the saved scores (crossval.fold_systems).
    fold_config.data.facts_corpus = []
    fold_config.training.embedding_signals = False
    # A fold's folder is scratch: checkpoints of another config or corpus there are discarded, not resumed.
    result = train(fold_config, model_dir, splits={"train": fold.train, "dev": fold.dev, "test": fold.test},
                   discard_stale_checkpoints=True)
    saved = {
        "fold": fold.index, "key": key, "train_seconds": round(result.seconds, 1),
        "dev": result.raw_probabilities["dev"].round(5).tolist(),
        "test": result.raw_probabilities["test"].round(5).tolist(),
    }
    atomic_write_text(cache, json.dumps(saved) + "\n")
    if not keep_models:
        shutil.rmtree(model_dir, ignore_errors=True)
    return saved


def averaged_fold_scores(runs: list[Path]) -> Callable[[Fold], dict]:
    """Each fold's transformer scores averaged over the saved scores of earlier runs (an ensemble, no training).

    The runs must have used the same corpus and --folds; each run folder holds one saved file per fold.
    """
    if missing := [run for run in runs if not (run / "folds").is_dir()]:
        raise InputError(missing[0], "no folds/ folder of saved scores",
                         hint="--average-of takes an --output folder of an earlier `clauseclf crossval`")

    def scores(fold: Fold) -> dict:
        saved = []
        for run in runs:
            found = sorted((run / "folds").glob(f"fold-{fold.index}-*.json"))
            if len(found) != 1:
                raise InputError(run / "folds", f"{'no' if not found else len(found)} saved scores for fold "
                                 f"{fold.index}", hint="--average-of takes folders written by `clauseclf crossval` "
                                 "with the same --folds, one run each")
            one = json.loads(found[0].read_text(encoding="utf-8"))
            if (len(one["dev"]), len(one["test"])) != (len(fold.dev), len(fold.test)):
                raise InputError(found[0], f"scores {len(one['dev'])} dev and {len(one['test'])} held-out clauses, "
                                 f"this fold has {len(fold.dev)} and {len(fold.test)}",
                                 hint="average runs of the same corpus, --folds and data settings")
            saved.append(one)
        logger.info("fold %d: averaging the saved scores of %d runs", fold.index, len(saved))
        return {"fold": fold.index, "train_seconds": sum(one["train_seconds"] for one in saved),
                **{part: np.mean([one[part] for one in saved], axis=0).round(5).tolist() for part in ("dev", "test")}}

    return scores
