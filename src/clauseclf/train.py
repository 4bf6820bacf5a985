"""Fine-tune a multi-label clause classifier and write a self-describing model folder.

    result = train(load_train_config("configs/train/default.yaml"))

Steps: split the corpus by jurisdiction; fine-tune with BCE whose positive
weights come from the train split's class balance; checkpoint every epoch (an
interrupted run resumes from the last one); tune one threshold per label on dev;
score dev and test; write the folder described in model/folder.py.

Resuming: `checkpoints/run.json` holds a fingerprint of the resolved config and of
the split records (corpus and extra_train). A rerun resumes only checkpoints of the
same fingerprint (others are refused, or discarded when asked); a checkpoint torn
by a kill mid-save is removed with a note and the one before it, if any, resumes.

The finished folder is written whole into a hidden sibling and swapped in at the
end: no file of an earlier model in the folder (a stale combiner.json) survives.

The same code runs on several GPUs under `accelerate launch -m clauseclf.cli train ...`:
the Trainer picks up the distributed environment that accelerate sets.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import re
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import yaml
from datasets import Dataset
from transformers import DataCollatorWithPadding, Trainer, TrainingArguments, set_seed

from clauseclf import corpus
from clauseclf.assess.encoder import SentenceEncoder
from clauseclf.assess.facts import fit_facts, load_facts_corpus
from clauseclf.config import AFTER_FINE_TUNE, TrainConfig, resolve_path
from clauseclf.errors import OutputError, StaleCheckpointsError
from clauseclf.evaluate import scoring
from clauseclf.memory import ReleaseFreeMemory, release_free_memory
from clauseclf.model import base, card
from clauseclf.model.calibrate import apply_thresholds, calibrate
from clauseclf.model.embedding_signals import EmbeddingPool, EmbeddingTable
from clauseclf.model.folder import LoadedModel, weights_hash
from clauseclf.model.frozen_layers import CLAUSE_INDEX, TopLayers, bottom_states
from clauseclf.model.runtime import transformer_scores
from clauseclf.outputs import atomic_write_text
from clauseclf.schema import LabelSchema

logger = logging.getLogger(__name__)

CHECKPOINTS = "checkpoints"
RUN_FINGERPRINT = "run.json"  # in checkpoints/: what the checkpoints were trained on
MODEL_FINGERPRINT = "fingerprint.json"  # in a finished folder: the whole config and the data it was trained on
# What only a clauseclf model folder, or an interrupted run's, holds: a folder with none of these is not
# replaced (it is someone else's), since the finished model replaces the folder whole.
OWN_FILES = ("training_config.yaml", "thresholds.json", "metrics.json", CHECKPOINTS)
FP32_WARNING = ("training.bf16 is set, but this machine has no bf16 instructions (no avx512_bf16 or AMX, or a GPU "
                "older than Ampere): training in fp32, about 3x slower on a CPU (the default: 55 minutes on 2 cores "
                "with avx2 only, 18-23 with avx512_bf16); the scores are the same (docs/performance.md)")


@dataclass
class TrainResult:
    output_dir: Path
    metrics: dict
    thresholds: dict[str, float]
    seconds: float  # fine-tuning, calibration and scoring
    facts_seconds: float = 0.0  # fitting the clause facts `clauseclf assess` reads (0: no facts model)
    embedding_seconds: float = 0.0  # of `seconds`: embedding the annotated clauses (embedding signals, clause facts)
    # Scores of the transformer alone, before any combiner, per evaluated split (evaluate/crossval.py reuses them).
    raw_probabilities: dict[str, np.ndarray] | None = None


class WeightedBCETrainer(Trainer):
    """Trainer whose loss is BCE with a positive weight per label (rare labels count more)."""

    def __init__(self, *args, positive_weights: torch.Tensor, **kwargs):
        super().__init__(*args, **kwargs)
        self.positive_weights = positive_weights

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        targets = inputs.pop("labels")
        outputs = model(**inputs)
        logits = outputs.logits.float()  # under bf16 autocast the loss is still taken in fp32
        loss = torch.nn.functional.binary_cross_entropy_with_logits(
            logits, targets.to(logits.dtype), pos_weight=self.positive_weights.to(logits.device))
        return (loss, outputs) if return_outputs else loss


def positive_weights(truth: np.ndarray, enabled: bool, cap: float) -> torch.Tensor:
    """negatives/positives per label, capped; 1.0 everywhere when disabled."""
    if not enabled:
        return torch.ones(truth.shape[1])
    positives = truth.sum(axis=0).clip(min=1)
    weights = ((len(truth) - positives) / positives).clip(max=cap)
    return torch.tensor(weights, dtype=torch.float32)


def _dataset(records: list[dict], truth: np.ndarray, tokenizer, max_length: int) -> Dataset:
    # Labels as float32: integer labels break BCE ("result type Float can't be cast to ... Long").
    data = Dataset.from_dict({"text": [r["text"] for r in records], "labels": truth.astype(np.float32).tolist()})
    return data.map(lambda batch: tokenizer(batch["text"], truncation=True, max_length=max_length),
                    batched=True, remove_columns=["text"], keep_in_memory=True)


def train(config: TrainConfig, output_dir: str | Path | None = None,
          splits: dict[str, list[dict]] | None = None, discard_stale_checkpoints: bool = False) -> TrainResult:
    """`splits` (train/dev/test records) replaces the corpus split, e.g. for one fold of evaluate/crossval.py.

    Checkpoints in the output folder left by another config or other data raise
    StaleCheckpointsError, unless `discard_stale_checkpoints` (then training starts fresh).
    """
    started = time.time()
    output = Path(output_dir or config.output_dir)
    config.output_dir = str(output)
    check_replaceable(output)
    set_seed(config.training.seed)
    schema = LabelSchema.from_yaml(config.data.labels_file and resolve_path(config.data.labels_file))
    names = schema.names
    if splits is None:
        splits = corpus.model_splits(config.data, schema)
    truth = {name: scoring.label_matrix(split, names) for name, split in splits.items()}
    logger.info("split by jurisdiction: %s", {k: len(v) for k, v in splits.items()})
    # Read before fine-tuning, so that a wrong path or encoder fails in seconds, not after the training.
    facts_records = load_facts_corpus(config.data.facts_corpus) if config.data.facts_corpus else []
    embedding_signals = config.training.combiner and config.training.embedding_signals
    facts_encoder = (SentenceEncoder.load(config.model.facts_encoder)
                     if facts_records or embedding_signals else None)
    checkpoint_dir = output / CHECKPOINTS
    fingerprint = run_fingerprint(config, splits)
    last = checkpoint_to_resume(checkpoint_dir, fingerprint, discard_stale_checkpoints)

    tokenizer, model = base.load_base(config.model, schema)
    if config.training.bf16 and not trains_in_bf16(config):  # said before the first long pass, not after it
        logger.warning(FP32_WARNING)
    frozen = config.training.frozen_layers
    train_data = _dataset(splits["train"], truth["train"], tokenizer, config.model.max_length)
    stepped = model
    if frozen:  # model/frozen_layers.py: the bottom layers run once, before the first step, not in every step
        train_data = train_data.add_column(CLAUSE_INDEX, list(range(len(train_data))))
        stepped = TopLayers(model, frozen, bottom_states(model, tokenizer, train_data, frozen, trains_in_bf16(config)))
    trainer = _trainer(config, output, stepped, tokenizer, train_data, truth["train"])
    if trainer.is_world_process_zero():
        checkpoint_dir.mkdir(parents=True, exist_ok=True)
        atomic_write_text(checkpoint_dir / RUN_FINGERPRINT, json.dumps(fingerprint, indent=2) + "\n")
    if last:
        logger.info("resuming from %s", last)
    trainer.train(resume_from_checkpoint=last)
    if not trainer.is_world_process_zero():
        return TrainResult(output, {}, {}, time.time() - started)
    # The optimiser's moments and the cached states (1.3 GiB on the statutes) go before calibration and embedding.
    del trainer, stepped, train_data
    gc.collect()
    release_free_memory()

    model = model.to("cpu").eval()  # trained in place, whole or from its frozen layers up
    loaded = LoadedModel(output, output.name, "", tokenizer, model, names, {}, config.training.review_band,
                         config.model.max_length)
    raw = {split: transformer_scores(loaded, [r["text"] for r in records], config.training.eval_batch_size)
           for split, records in splits.items() if split != "train" and records}
    embedding_started = time.time()
    split_records = [r for split in splits.values() for r in split]
    table = embed_annotated(facts_encoder, facts_records + (split_records if embedding_signals else []))
    embedding_seconds = time.time() - embedding_started if table is not None else 0.0
    pool = None
    if embedding_signals:  # no statute of a dev or test jurisdiction: the figures stay on laws never learnt from
        pool = EmbeddingPool(table, corpus.training_extras(facts_records, splits["dev"] + splits.get("test", []),
                                                           split_records))
    fitted = calibrate(config.training, names, raw["dev"], splits["dev"], _signal_train(config, schema, splits["train"]),
                       pool=pool)
    thresholds, combiner = fitted.thresholds, fitted.combiner
    probabilities = dict(raw)
    if combiner is not None:  # model/signals.py: lexicon signals stacked on the logits; dev scores cross-fitted
        probabilities = {k: combiner.apply(p, [r["text"] for r in splits[k]]) for k, p in raw.items()}
        probabilities["dev"] = fitted.dev_scores
    metrics = {
        split: scoring.score(apply_thresholds(p, thresholds, names), truth[split], names, p)
        for split, p in probabilities.items()
    }
    seconds = time.time() - started
    # The whole folder is written beside the output, then takes its place (checkpoints included).
    staging = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.", suffix=".new"))
    try:
        if combiner is not None:
            combiner.save(staging)
        facts_started = time.time()
        if facts_records:
            fit_facts(facts_records, facts_encoder, seed=config.training.seed, embed=table).save(staging)
        facts_seconds = time.time() - facts_started if facts_records else 0.0
        _write_folder(staging, config, model, tokenizer, thresholds, metrics, splits,
                      {"train_seconds": seconds, "embedding_seconds": embedding_seconds, "facts_seconds": facts_seconds})
        _swap_in(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # left only if writing it failed
    return TrainResult(output, metrics, thresholds, seconds, facts_seconds, embedding_seconds, raw_probabilities=raw)


def embed_annotated(encoder: SentenceEncoder | None, records: list[dict]) -> EmbeddingTable | None:
    """Every clause the clause facts and the embedding signals learn from, embedded once. The encoder pass over
    the statute clauses is most of it: 120 s for 11,092 clauses on 2 cores (scripts/bench_embedding.py), on the
    GPU where there is one."""
    if encoder is None:
        return None
    table = EmbeddingTable(encoder.to("cuda" if torch.cuda.is_available() else "cpu"))
    return table.fill([r["text"] for r in records], "annotated clauses")


def check_replaceable(output: Path) -> None:
    """Refuse an output folder that holds files, none of them a clauseclf model's or an interrupted run's."""
    if output.is_dir() and any(output.iterdir()) and not any((output / name).exists() for name in OWN_FILES):
        shown = ", ".join(sorted(p.name for p in output.iterdir())[:3])
        raise OutputError(f"{output}: holds files that are not a clauseclf model ({shown}), and training replaces "
                          "the folder whole: choose another --output, or empty the folder")


def _swap_in(staging: Path, output: Path) -> None:
    """Put the complete `staging` folder in the place of `output`; nothing of the earlier folder survives."""
    if not output.exists():
        staging.replace(output)
        return
    previous = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.", suffix=".old"))
    output.replace(previous / output.name)
    staging.replace(output)
    shutil.rmtree(previous)


def model_fingerprint(config: TrainConfig, splits: dict[str, list[dict]]) -> dict:
    """Hashes of all a finished model depends on: every setting (less where it is written) and the records."""
    settings = config.to_dict()
    settings.pop("output_dir", None)
    data = hashlib.sha256(json.dumps(splits, sort_keys=True, ensure_ascii=False, default=str).encode())
    return {"config": settings, "data": data.hexdigest()[:16]}


def is_current(output: Path, config: TrainConfig, splits: dict[str, list[dict]]) -> bool:
    """Whether `output` holds a finished model trained with this config on these records."""
    try:
        recorded = json.loads((output / MODEL_FINGERPRINT).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    return (output / "model.safetensors").is_file() and recorded == model_fingerprint(config, splits)


def run_fingerprint(config: TrainConfig, splits: dict[str, list[dict]]) -> dict:
    """What the checkpoints depend on: the model's fingerprint less the settings fitted after the fine-tune."""
    fingerprint = model_fingerprint(config, splits)
    for section, names in AFTER_FINE_TUNE.items():
        for name in names:
            fingerprint["config"][section].pop(name, None)
    return fingerprint


def checkpoint_to_resume(folder: Path, fingerprint: dict, discard_stale: bool) -> str | None:
    """The newest complete checkpoint of this run in `folder`, or None to start from scratch."""
    candidates = sorted((p for p in folder.glob("checkpoint-*") if re.fullmatch(r"checkpoint-\d+", p.name)),
                        key=lambda p: int(p.name.split("-")[1]), reverse=True) if folder.is_dir() else []
    if not candidates:
        return None
    why = _stale(folder, fingerprint)
    if why and not discard_stale:
        raise StaleCheckpointsError(folder, why)
    if why:
        logger.warning("%s: checkpoints of an interrupted run %s: discarded, training starts fresh", folder, why)
        shutil.rmtree(folder, ignore_errors=True)  # every process of a multi-GPU run gets here
        return None
    for candidate in candidates:
        problem = _checkpoint_problem(candidate)
        if problem is None:
            return str(candidate)
        logger.warning("%s: incomplete (%s), as when a run is killed while saving: removed", candidate, problem)
        shutil.rmtree(candidate, ignore_errors=True)
    return None


def _stale(folder: Path, fingerprint: dict) -> str:
    """Why the checkpoints in `folder` are not this run's; empty if they are."""
    try:
        recorded = json.loads((folder / RUN_FINGERPRINT).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return f"without a readable {RUN_FINGERPRINT} (what they were trained on is unknown)"
    if not isinstance(recorded, dict):
        return f"without a readable {RUN_FINGERPRINT} (what they were trained on is unknown)"
    changed = sorted(_changed_keys(recorded.get("config"), fingerprint["config"]))
    if changed:
        return f"of another configuration ({', '.join(changed[:5])} differ)"
    if recorded.get("data") != fingerprint["data"]:
        return "of other training data (the corpus or extra_train records changed)"
    return ""


def _changed_keys(old: object, new: dict, prefix: str = "") -> list[str]:
    if not isinstance(old, dict):
        return [prefix.rstrip(".") or "config"]
    keys = set(old) | set(new)
    changed = []
    for key in keys:
        if isinstance(new.get(key), dict):
            changed += _changed_keys(old.get(key), new[key], f"{prefix}{key}.")
        elif old.get(key) != new.get(key):
            changed.append(prefix + key)
    return changed


def _checkpoint_problem(checkpoint: Path) -> str | None:
    """What makes a checkpoint unusable, or None. The Trainer writes trainer_state.json last."""
    try:
        json.loads((checkpoint / "trainer_state.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return "trainer_state.json missing or unreadable"
    from safetensors import SafetensorError, safe_open

    try:
        with safe_open(str(checkpoint / "model.safetensors"), "pt"):
            pass
    except (OSError, SafetensorError):
        return "model.safetensors missing or unreadable"
    for name in ("optimizer.pt", "scheduler.pt"):
        if not zipfile.is_zipfile(checkpoint / name):  # torch.save writes a zip; a cut one has no directory
            return f"{name} missing or unreadable"
    return None


def bf16_runs_natively() -> bool:
    """Whether this machine computes in bf16 (an Ampere or later GPU, or a CPU with avx512_bf16 or AMX)."""
    if torch.cuda.is_available():
        return torch.cuda.is_bf16_supported()  # as model/runtime.py picks labelling precision
    return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())


def trains_in_bf16(config: TrainConfig) -> bool:
    """Whether the fine-tune runs under bf16 autocast: asked for, and this machine computes in bf16."""
    return config.training.bf16 and bf16_runs_natively()


def _trainer(config: TrainConfig, output: Path, model, tokenizer, train_data: Dataset,
             train_truth: np.ndarray) -> WeightedBCETrainer:
    t = config.training
    bf16 = trains_in_bf16(config)
    steps_per_epoch = -(-len(train_data) // t.batch_size)
    total_steps = t.max_steps if t.max_steps > 0 else int(steps_per_epoch * t.epochs)
    arguments = TrainingArguments(
        output_dir=str(output / "checkpoints"), num_train_epochs=t.epochs, max_steps=t.max_steps,
        learning_rate=t.learning_rate, per_device_train_batch_size=t.batch_size, weight_decay=t.weight_decay,
        warmup_steps=int(t.warmup_ratio * total_steps), seed=t.seed, data_seed=t.seed,
        save_strategy="epoch" if t.max_steps <= 0 else "steps", save_steps=max(1, total_steps // 2),
        save_total_limit=1, logging_steps=t.logging_steps, report_to="none", eval_strategy="no",
        dataloader_pin_memory=torch.cuda.is_available(), disable_tqdm=False,
        bf16=bf16, use_cpu=bf16 and not torch.cuda.is_available(),  # transformers asks for use_cpu with CPU bf16
        # Batches of similar length pad less: about 2x faster on CPU for clauses of 20-700 tokens.
        train_sampling_strategy="group_by_length",
    )
    return WeightedBCETrainer(
        model=model, args=arguments, train_dataset=train_data, processing_class=tokenizer,
        data_collator=DataCollatorWithPadding(tokenizer),
        positive_weights=positive_weights(train_truth, t.positive_weights, t.max_positive_weight),
        callbacks=[ReleaseFreeMemory()],
    )


def _write_folder(output: Path, config: TrainConfig, model, tokenizer, thresholds: dict, metrics: dict,
                  splits: dict[str, list[dict]], timings: dict[str, float]) -> None:
    output.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(output)
    tokenizer.save_pretrained(output)
    _dump_json(output / "thresholds.json", {
        "thresholds": thresholds, "review_band": config.training.review_band,
        "max_length": config.model.max_length,
        "tuned_on": "dev split" + (f", target recall {config.training.target_recall}"
                                   if config.training.target_recall else ", F1-optimal"),
    })
    atomic_write_text(output / "training_config.yaml", yaml.safe_dump(config.to_dict(), sort_keys=False))
    _dump_json(output / MODEL_FINGERPRINT, model_fingerprint(config, splits))
    _dump_json(output / "split.json", {
        name: {"jurisdictions": sorted({corpus.group_of(r) for r in split}), "records": len(split),
               "fingerprints": sorted(corpus.text_fingerprint(r["text"]) for r in split)}
        for name, split in splits.items()
    })
    _dump_json(output / "metrics.json", {**metrics, **{name: round(value, 1) for name, value in timings.items()}})
    atomic_write_text(output / "README.md", card.render(config, thresholds, metrics, splits, timings["train_seconds"],
                                                              weights_hash(output)))


def _signal_train(config: TrainConfig, schema: LabelSchema, train: list[dict]) -> list[dict]:
    """The training clauses the combiner's lexicon signals learn from (`training.signals_on_extra_train`)."""
    if config.training.signals_on_extra_train or not config.data.extra_train:
        return train
    return corpus.corpus_clauses(train, corpus.load_corpus(resolve_path(config.data.corpus), schema))


def _dump_json(path: Path, data: dict) -> None:
    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
