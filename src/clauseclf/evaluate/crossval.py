"""The yardstick: cross-validation that leaves whole jurisdictions out, with confidence intervals.

    report = crossval(load_train_config("configs/train/default.yaml"), folds=5, output_dir="reports/cv")

One train/dev/test split of a 608-clause corpus puts about 90 clauses from a
handful of countries in test: a label's F1 then moves by 0.1 with the luck of the
draw. Here every clause is scored exactly once, by a model that never saw its
jurisdiction:

1. Jurisdictions are dealt into K folds of about equal size (sklearn GroupKFold).
2. For each fold, the other K-1 folds are split again by jurisdiction into train and
   dev (corpus.split_by_jurisdiction with `data.dev_fraction`); the recipe trains on
   train and tunes its thresholds (and its combiner, if any) on dev only.
3. The held-out fold's scores are pooled over folds, and scored once.

Confidence intervals resample *jurisdictions* with replacement (a cluster
bootstrap, 1,000 draws): clauses of one law are drafted alike, so resampling
clauses would pretend there is more independent evidence than there is.

The transformer's dev and held-out scores of each fold are kept in
`<output>/folds/` under a key of everything that shapes them: a rerun that changes
only thresholds, the combiner or the review band reuses them and takes seconds.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

# scoring and baselines import sklearn (2 s): imported where used, so that `clauseclf --help` stays fast.
from clauseclf import corpus
from clauseclf.evaluate import calibration
from clauseclf.model import signals
from clauseclf.config import TrainConfig, resolve_path
from clauseclf.errors import ConfigError, InputError
from clauseclf.outputs import atomic_write_text
from clauseclf.schema import LabelSchema

logger = logging.getLogger(__name__)

BOOTSTRAP_DRAWS = 1000
FINE_TUNE = "fine-tune"
COMBINED = "fine-tune + signals"
SIGNALS_ONLY = "lexicon signals + LR"
# Config fields that do not change the transformer's scores: changing them reuses a fold's saved scores.
_SCORE_NEUTRAL = {"output_dir": None, "training": ("target_recall", "review_band", "eval_batch_size",
                                                    "logging_steps", "combiner", "signals_english_only")}


@dataclass
class Fold:
    index: int
    train: list[dict]
    dev: list[dict]
    test: list[dict]

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
        test = [records[i] for i in held_out]
        added = corpus.training_extras(extras or [], inner["dev"] + test, records)
        folds.append(Fold(index, inner["train"] + added, inner["dev"], test))
    return folds


# ----------------------------------------------------------------------------- scores per fold


def _score_key(config: TrainConfig, fold: Fold) -> str:
    """Hash of what shapes a fold's transformer scores: the config less its neutral fields, and the fold's texts."""
    settings = config.to_dict()
    settings.pop("output_dir", None)
    for name in _SCORE_NEUTRAL["training"]:
        settings["training"].pop(name, None)
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
    result = train(fold_config, model_dir, splits={"train": fold.train, "dev": fold.dev, "test": fold.test})
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


# ----------------------------------------------------------------------------- systems on the folds


def fold_systems(config: TrainConfig, fold: Fold, names: list[str], saved: dict | None) -> dict[str, dict]:
    """system -> {"scores", "predicted"} on the fold's held-out part; thresholds and fits use train/dev only."""
    from clauseclf.evaluate import scoring
    from clauseclf.evaluate.baselines import KeywordBaseline, TfidfLogisticBaseline

    test_texts = [r["text"] for r in fold.test]
    dev_truth = scoring.label_matrix(fold.dev, names)
    systems: dict[str, dict] = {}
    if saved is not None:
        dev, test = np.array(saved["dev"], dtype=np.float32), np.array(saved["test"], dtype=np.float32)
        thresholds = scoring.tune_thresholds(dev, dev_truth, names, config.training.target_recall)
        systems[FINE_TUNE] = {"scores": test, "predicted": scoring.apply_thresholds(test, thresholds, names),
                              "thresholds": thresholds}
        if getattr(config.training, "combiner", False):
            combiner, dev_combined = signals.fit_combiner(
                dev, [r["text"] for r in fold.dev], dev_truth, names, [corpus.group_of(r) for r in fold.dev],
                [r["text"] for r in fold.train], scoring.label_matrix(fold.train, names),
                english_only=config.training.signals_english_only)
            thresholds = scoring.tune_thresholds(dev_combined, dev_truth, names, config.training.target_recall)
            combined = combiner.apply(test, test_texts)
            systems[COMBINED] = {"scores": combined, "predicted": scoring.apply_thresholds(combined, thresholds, names),
                                 "thresholds": thresholds}
    predicted, scores = KeywordBaseline(names).predict(test_texts)
    systems[KeywordBaseline.name] = {"scores": scores, "predicted": predicted}
    # The lexicon signals alone (signals.py's first stage: fitted on train, thresholds on dev), no transformer.
    lexicon_only = signals.fit_signal_model([r["text"] for r in fold.train], scoring.label_matrix(fold.train, names),
                                            names)
    cut = scoring.tune_thresholds(lexicon_only.signal_scores([r["text"] for r in fold.dev]), dev_truth, names,
                                  config.training.target_recall)
    scores = lexicon_only.signal_scores(test_texts).astype(np.float32)
    systems[SIGNALS_ONLY] = {"scores": scores, "predicted": scoring.apply_thresholds(scores, cut, names),
                             "thresholds": cut}
    # As in evaluation.py: TF-IDF trains on the train part (not dev) and cuts at 0.5.
    tfidf = TfidfLogisticBaseline(names).fit([r["text"] for r in fold.train], scoring.label_matrix(fold.train, names))
    predicted, scores = tfidf.predict(test_texts)
    systems[TfidfLogisticBaseline.name] = {"scores": scores, "predicted": predicted}
    return systems


# ----------------------------------------------------------------------------- figures


def f1_columns(predicted: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Per-label F1 of 0/1 matrices (0 where a label has neither positives nor predictions)."""
    true_pos = (predicted & truth).sum(axis=0)
    denominator = predicted.sum(axis=0) + truth.sum(axis=0)
    return np.divide(2 * true_pos, denominator, out=np.zeros(truth.shape[1]), where=denominator > 0)


def cluster_bootstrap(predicted: np.ndarray, truth: np.ndarray, groups: list[str], draws: int = BOOTSTRAP_DRAWS,
                      seed: int = 0) -> dict[str, list[float]]:
    """95% intervals of per-label and macro F1, resampling groups (jurisdictions) with replacement.

    >>> p = np.array([[1], [0], [1], [0]]); t = np.array([[1], [0], [0], [0]])
    >>> ci = cluster_bootstrap(p, t, ["a", "a", "b", "b"], draws=200)
    >>> 0.0 <= ci["label_0"][0] <= ci["label_0"][1] <= 1.0
    True
    """
    rows = []
    for index in resampled_rows(groups, draws, seed):
        f1 = f1_columns(predicted[index], truth[index])
        rows.append(np.append(f1, f1.mean()))
    low, high = np.percentile(np.array(rows), [2.5, 97.5], axis=0)
    keys = [f"label_{i}" for i in range(truth.shape[1])] + ["macro"]
    return {key: [round(float(a), 4), round(float(b), 4)] for key, a, b in zip(keys, low, high)}


def paired_bootstrap_differences(predicted_a: np.ndarray, predicted_b: np.ndarray, truth: np.ndarray,
                                 groups: list[str], draws: int = 2000, seed: int = 0) -> np.ndarray:
    """Per draw, B's per-label F1 minus A's and then the macro difference: both scored on the same resample."""
    rows = []
    for index in resampled_rows(groups, draws, seed):
        f1_a, f1_b = f1_columns(predicted_a[index], truth[index]), f1_columns(predicted_b[index], truth[index])
        rows.append(np.append(f1_b - f1_a, f1_b.mean() - f1_a.mean()))
    return np.array(rows)


def resampled_rows(groups: list[str], draws: int, seed: int):
    """Row indices of `draws` resamples that draw whole groups (jurisdictions) with replacement."""
    names = sorted(set(groups))
    members = {g: np.array([i for i, x in enumerate(groups) if x == g]) for g in names}
    rng = np.random.default_rng(seed)
    for _ in range(draws):
        yield np.concatenate([members[names[c]] for c in rng.integers(0, len(names), len(names))])


def _score_subset(predicted: np.ndarray, truth: np.ndarray, names: list[str]) -> dict:
    support = truth.sum(axis=0)
    f1 = f1_columns(predicted, truth)
    per_label = {n: (round(float(f1[i]), 4) if support[i] else None) for i, n in enumerate(names)}
    scored = [v for v in per_label.values() if v is not None]
    return {"clauses": int(len(truth)), "per_label_f1": per_label,
            "support": {n: int(support[i]) for i, n in enumerate(names)},
            "macro_f1": round(float(np.mean(scored)), 4) if scored else None}


def score_system(predicted: np.ndarray, scores: np.ndarray, truth: np.ndarray, records: list[dict],
                 names: list[str], draws: int) -> dict:
    from clauseclf.evaluate import scoring

    groups = [corpus.group_of(r) for r in records]
    overall = scoring.score(predicted, truth, names, scores)
    intervals = cluster_bootstrap(predicted, truth, groups, draws)
    for i, name in enumerate(names):
        overall["per_label"][name]["f1_ci95"] = intervals[f"label_{i}"]
        overall["per_label"][name]["ece"] = round(calibration.expected_calibration_error(scores[:, i], truth[:, i]), 4)
    overall["macro_f1_ci95"] = intervals["macro"]
    language = corpus.language_groups(records)
    kinds = sorted({str(r.get("kind") or "unknown") for r in records})
    by_kind = {k: [i for i, r in enumerate(records) if str(r.get("kind") or "unknown") == k] for k in kinds}
    overall["by_language"] = {k: _score_subset(predicted[v], truth[v], names) for k, v in language.items() if v}
    overall["by_kind"] = {k: _score_subset(predicted[v], truth[v], names) for k, v in by_kind.items() if v}
    return overall


# ----------------------------------------------------------------------------- the whole run


@dataclass
class CrossvalResult:
    report: dict
    json_path: Path
    markdown_path: Path


def crossval(config: TrainConfig, folds: int = 5, output_dir: str | Path = "reports/crossval",
             baselines_only: bool = False, keep_models: bool = False, draws: int = BOOTSTRAP_DRAWS,
             config_name: str = "", only_folds: list[int] | None = None,
             saved_scores: Callable[[Fold], dict] | None = None) -> CrossvalResult:
    """Train and score the recipe on K jurisdiction-grouped folds; write report.json, report.md and PNGs.

    `only_folds` runs some of the K folds (e.g. to spread a run over sessions): the report then covers
    their held-out clauses only, and says so. `saved_scores` gives each fold's transformer scores instead
    of training (averaged_fold_scores: an ensemble of earlier runs).
    """
    from clauseclf.evaluate import scoring

    started = time.time()
    output = Path(output_dir)
    schema = LabelSchema.from_yaml(config.data.labels_file and resolve_path(config.data.labels_file))
    names = schema.names
    records = corpus.load_corpus(resolve_path(config.data.corpus), schema)
    extras = corpus.load_extras(config.data.extra_train, schema)
    split = make_folds(records, folds, config.data.dev_fraction, config.data.split_seed, extras)
    if only_folds:
        unknown = sorted(set(only_folds) - set(range(folds)))
        if unknown:
            raise ConfigError("--fold", [f"fold(s) {unknown} do not exist: folds are numbered 0 to {folds - 1}"])
        split = [fold for fold in split if fold.index in set(only_folds)]
    folds_dir = output / "folds"
    output.mkdir(parents=True, exist_ok=True)
    if saved_scores is None and not baselines_only:  # only a run that trains keeps fold scores
        folds_dir.mkdir(exist_ok=True)

    pooled: dict[str, dict[str, list]] = {}
    held_out: list[dict] = []
    fold_rows = []
    for fold in split:
        if baselines_only:
            saved = None
        elif saved_scores is not None:
            saved = saved_scores(fold)
        else:
            saved = fold_scores(config, fold, folds_dir, keep_models)
        systems = fold_systems(config, fold, names, saved)
        held_out += fold.test
        truth = scoring.label_matrix(fold.test, names)
        row = {"fold": fold.index, **fold.describe(), "train_seconds": saved["train_seconds"] if saved else None,
               "macro_f1": {}}
        for name, system in systems.items():
            entry = pooled.setdefault(name, {"scores": [], "predicted": [], "thresholds": []})
            entry["scores"].append(system["scores"])
            entry["predicted"].append(system["predicted"])
            cut = system.get("thresholds")
            entry["thresholds"].append(np.tile([cut[n] for n in names] if cut else [0.5] * len(names),
                                               (len(fold.test), 1)))
            row["macro_f1"][name] = round(float(f1_columns(system["predicted"], truth).mean()), 4)
            if cut:
                row.setdefault("thresholds", {})[name] = cut
        fold_rows.append(row)

    truth = scoring.label_matrix(held_out, names)
    order = [r.get("id") or corpus.text_fingerprint(r["text"]) for r in held_out]
    report_systems, arrays = {}, {}
    for name, entry in pooled.items():
        scores = np.concatenate(entry["scores"])
        predicted = np.concatenate(entry["predicted"]).astype(np.int32)
        arrays[name] = (scores, predicted, np.concatenate(entry["thresholds"]))
        report_systems[name] = score_system(predicted, scores, truth, held_out, names, draws)
    main = COMBINED if COMBINED in arrays else FINE_TUNE if FINE_TUNE in arrays else None
    report = {
        "config": config_name or "(given TrainConfig)",
        "recipe": config.to_dict(),
        "method": {
            "folds": folds, "folds_run": [fold.index for fold in split], "grouping": "jurisdiction (sklearn GroupKFold); dev carved by jurisdiction from the "
            f"training part of each fold (data.dev_fraction {config.data.dev_fraction})",
            "confidence_intervals": f"95% cluster bootstrap resampling jurisdictions, {draws} draws",
            "pooling": "each clause scored once, by the fold that held its jurisdiction out; thresholds per fold "
                       "tuned on that fold's dev part" + (f" for target recall {config.training.target_recall}"
                                                          if config.training.target_recall else " (F1-optimal)"),
        },
        "clauses": len(held_out), "jurisdictions": len({corpus.group_of(r) for r in held_out}),
        "folds": fold_rows,
        "train_seconds_total": round(sum(r["train_seconds"] or 0 for r in fold_rows), 1),
        "systems": report_systems,
        "main_system": main,
    }
    if main:
        scores, predicted, thresholds = arrays[main]
        report["calibration"] = {}
        for i, name in enumerate(names):
            png = calibration.reliability_diagram(scores[:, i], truth[:, i], output / f"reliability-{name}.png",
                                                  f"{name} ({main}, held-out jurisdictions)")
            report["calibration"][name] = {
                "ece": round(calibration.expected_calibration_error(scores[:, i], truth[:, i]), 4),
                "diagram": png.name, "bins": calibration.reliability(scores[:, i], truth[:, i])}
        report["review_band"] = calibration.review_band_figures(scores, predicted, truth, thresholds, config.training.review_band)
    report["seconds"] = round(time.time() - started, 1)
    atomic_write_text(output / "predictions.jsonl", "".join(
        json.dumps({"id": order[i], "jurisdiction": corpus.group_of(r), "lang": r.get("lang"), "kind": r.get("kind"),
                    "labels": r["labels"],
                    **{name: {n: round(float(arrays[name][0][i, j]), 4) for j, n in enumerate(names)}
                       for name in arrays},
                    # Each system's labels after its fold's thresholds (scripts/compare_runs.py pairs two runs on them).
                    "predicted": {name: [n for j, n in enumerate(names) if arrays[name][1][i, j]] for name in arrays},
                    }) + "\n" for i, r in enumerate(held_out)))
    json_path, markdown_path = output / "report.json", output / "report.md"
    atomic_write_text(json_path, json.dumps(report, indent=2) + "\n")
    atomic_write_text(markdown_path, render_markdown(report, names))
    return CrossvalResult(report, json_path, markdown_path)


def _ci(pair: list[float]) -> str:
    return f"[{pair[0]:.2f}, {pair[1]:.2f}]"


def render_markdown(report: dict, names: list[str]) -> str:
    method = report["method"]
    lines = [
        f"# Cross-validation by jurisdiction: `{report['config']}`", "",
        f"{report['clauses']} clauses from {report['jurisdictions']} jurisdictions, {method['folds']} folds"
        + ("" if len(method["folds_run"]) == method["folds"] else
           f" (**only folds {method['folds_run']} run: the figures cover their held-out clauses only**)")
        + "; "
        f"{method['grouping']}. {method['pooling']}. Intervals: {method['confidence_intervals']}.", "",
        f"Training time, all folds: {report['train_seconds_total']:.0f} s.", "",
        "## F1 on held-out jurisdictions (95% CI)", "",
        "| system | macro-F1 | " + " | ".join(names) + " |",
        "| --- | --- | " + " | ".join("---" for _ in names) + " |",
    ]
    for name, result in report["systems"].items():
        cells = [f"{result['per_label'][n]['f1']:.3f} {_ci(result['per_label'][n]['f1_ci95'])}" for n in names]
        lines.append(f"| {name} | {result['macro_f1']:.3f} {_ci(result['macro_f1_ci95'])} | " + " | ".join(cells) + " |")
    lines += ["", "## Per fold (macro-F1)", "",
              "| fold | held-out clauses | held-out jurisdictions | " + " | ".join(report["systems"]) + " |",
              "| --- | --- | --- | " + " | ".join("---" for _ in report["systems"]) + " |"]
    for row in report["folds"]:
        lines.append(f"| {row['fold']} | {row['test']['clauses']} | {', '.join(row['test']['jurisdictions'])} | "
                     + " | ".join(f"{row['macro_f1'][s]:.3f}" for s in report["systems"]) + " |")
    for title, key in (("language", "by_language"), ("clause kind", "by_kind")):
        lines += ["", f"## By {title} (F1; support in brackets)", "",
                  f"| {title} | system | clauses | macro-F1 | " + " | ".join(names) + " |",
                  "| --- | --- | --- | --- | " + " | ".join("---" for _ in names) + " |"]
        for group in next(iter(report["systems"].values()))[key]:
            for name, result in report["systems"].items():
                sub = result[key][group]
                cells = [("-" if sub["per_label_f1"][n] is None else f"{sub['per_label_f1'][n]:.2f}")
                         + f" ({sub['support'][n]})" for n in names]
                macro = "-" if sub["macro_f1"] is None else f"{sub['macro_f1']:.3f}"
                lines.append(f"| {group} | {name} | {sub['clauses']} | {macro} | " + " | ".join(cells) + " |")
    if "calibration" in report:
        lines += ["", f"## Calibration of `{report['main_system']}`", "",
                  "| label | ECE | diagram |", "| --- | --- | --- |"]
        for name, row in report["calibration"].items():
            lines.append(f"| {name} | {row['ece']:.3f} | ![{name}]({row['diagram']}) |")
        lines += [""] + calibration.review_band_markdown(report["review_band"])
    return "\n".join(lines) + "\n"
