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

The transformer's dev and held-out scores of each fold are kept (evaluate/folds.py):
a rerun that changes only thresholds, the combiner or the review band takes seconds.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from clauseclf import corpus
from clauseclf.config import TrainConfig, resolve_path
from clauseclf.errors import ConfigError
from clauseclf.evaluate import calibration, scoring
from clauseclf.evaluate.baselines import KeywordBaseline, TfidfLogisticBaseline
from clauseclf.evaluate.bootstrap import BOOTSTRAP_DRAWS, cluster_bootstrap
from clauseclf.evaluate.folds import Fold, fold_scores, make_folds
from clauseclf.evaluate.scoring import f1_columns
from clauseclf.model import signals
from clauseclf.model.calibrate import apply_thresholds, calibrate, tune_thresholds
from clauseclf.model.embedding_signals import EmbeddingPool, EmbeddingTable
from clauseclf.outputs import atomic_write_text
from clauseclf.schema import LabelSchema

FINE_TUNE = "fine-tune"
COMBINED = "fine-tune + signals"
SIGNALS_ONLY = "lexicon signals + LR"


# ----------------------------------------------------------------------------- systems on the folds


def fold_systems(config: TrainConfig, fold: Fold, names: list[str], saved: dict | None,
                 pool: EmbeddingPool | None = None) -> dict[str, dict]:
    """system -> {"scores", "predicted"} on the fold's held-out part; thresholds and fits use train/dev only.
    `pool`: the annotated clauses the combiner's embedding signals learn from (none of the fold's dev or test
    jurisdictions)."""
    test_texts = [r["text"] for r in fold.test]
    dev_truth = scoring.label_matrix(fold.dev, names)
    systems: dict[str, dict] = {}
    if saved is not None:
        dev, test = np.array(saved["dev"], dtype=np.float32), np.array(saved["test"], dtype=np.float32)
        plain = calibrate(config.training, names, dev, fold.dev, fold.train, combiner=False)
        systems[FINE_TUNE] = {"scores": test, "predicted": apply_thresholds(test, plain.thresholds, names),
                              "thresholds": plain.thresholds}
        if getattr(config.training, "combiner", False):
            signal_train = fold.signal_train(config.training.signals_on_extra_train)  # extras may train the fine-tune only
            combined = calibrate(config.training, names, dev, fold.dev, signal_train, combiner=True, pool=pool)
            scores = combined.combiner.apply(test, test_texts)
            systems[COMBINED] = {"scores": scores, "predicted": apply_thresholds(scores, combined.thresholds, names),
                                 "thresholds": combined.thresholds}
    predicted, scores = KeywordBaseline(names).predict(test_texts)
    systems[KeywordBaseline.name] = {"scores": scores, "predicted": predicted}
    # The lexicon signals alone (model/signals.py's first stage: fitted on train, thresholds on dev), no transformer.
    lexicon_only = signals.fit_signal_model([r["text"] for r in fold.train], scoring.label_matrix(fold.train, names),
                                            names)
    cut = tune_thresholds(lexicon_only.signal_scores([r["text"] for r in fold.dev]), dev_truth, names,
                                  config.training.target_recall)
    scores = lexicon_only.signal_scores(test_texts).astype(np.float32)
    systems[SIGNALS_ONLY] = {"scores": scores, "predicted": apply_thresholds(scores, cut, names),
                             "thresholds": cut}
    # As in evaluate/report.py: TF-IDF trains on the train part (not dev) and cuts at 0.5.
    tfidf = TfidfLogisticBaseline(names).fit([r["text"] for r in fold.train], scoring.label_matrix(fold.train, names))
    predicted, scores = tfidf.predict(test_texts)
    systems[TfidfLogisticBaseline.name] = {"scores": scores, "predicted": predicted}
    return systems


# ----------------------------------------------------------------------------- figures


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
    started = time.time()
    output = Path(output_dir)
    schema = LabelSchema.from_yaml(config.data.labels_file and resolve_path(config.data.labels_file))
    names = schema.names
    records = corpus.load_corpus(resolve_path(config.data.corpus), schema)
    extras = corpus.training_pool(config.data, schema)
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

    embedding = None if baselines_only else embedding_source(config, records)
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
        pool = None
        if embedding is not None:  # the statutes of the fold's dev and test jurisdictions would leak them
            table, annotated = embedding
            pool = EmbeddingPool(table, corpus.training_extras(annotated, fold.dev + fold.test, records))
        systems = fold_systems(config, fold, names, saved, pool)
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


def embedding_source(config: TrainConfig, records: list[dict]) -> tuple[EmbeddingTable, list[dict]] | None:
    """The table that embeds clauses for the combiner's embedding signals, with every corpus and `data.facts_corpus`
    clause embedded once for all folds, and those annotated clauses; None where the recipe has no such signals."""
    if not (config.training.combiner and config.training.embedding_signals):
        return None
    from clauseclf.assess.encoder import SentenceEncoder
    from clauseclf.assess.facts import load_facts_corpus

    annotated = load_facts_corpus(config.data.facts_corpus) if config.data.facts_corpus else []
    table = EmbeddingTable(SentenceEncoder.load(config.model.facts_encoder))
    return table.fill([r["text"] for r in records + annotated], "embedding signals"), annotated


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
