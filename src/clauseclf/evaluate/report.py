"""Score a model folder on annotated data, beside the two baselines, and write report.json/report.md.

Honesty rules: clauses the model trained or tuned on (matched by text) are left
out and counted; the TF-IDF baseline trains on exactly the model's train split;
thresholds are the model's own, tuned on dev when it was trained.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass
from pathlib import Path


import numpy as np
import yaml

from clauseclf import corpus
from clauseclf.evaluate.metric import MultilabelF1
from clauseclf.evaluate import calibration
from clauseclf.evaluate import scoring
from clauseclf.evaluate.baselines import KeywordBaseline, TfidfLogisticBaseline
from clauseclf.config import DataConfig, resolve_path
from clauseclf.errors import InputError
from clauseclf.model.runtime import predict_probabilities
from clauseclf.model.calibrate import apply_thresholds
from clauseclf.model.folder import LoadedModel, load_model_folder
from clauseclf.outputs import atomic_write_text
from clauseclf.schema import LabelSchema

logger = logging.getLogger(__name__)


@dataclass
class EvaluationResult:
    report: dict
    json_path: Path
    markdown_path: Path


def evaluate_model(model_dir: str | Path, data: str | Path, output_dir: str | Path,
                   batch_size: int = 32, include_seen: bool = False,
                   unseen_jurisdictions: bool = False) -> EvaluationResult:
    """`include_seen` keeps clauses the model trained or tuned on (e.g. to report the dev split); the
    report then says how many there were, because their figures flatter the model. `unseen_jurisdictions`
    also leaves out every clause of a jurisdiction the model trained or tuned on: a figure for new countries."""
    loaded = load_model_folder(model_dir)
    names = loaded.label_names
    schema = LabelSchema.from_names(names)
    records = corpus.load_corpus(data, schema)
    unseen, seen_count = (records, _count_seen(records, loaded)) if include_seen else drop_seen(records, loaded)
    of_known_jurisdictions = 0
    if unseen_jurisdictions:
        unseen, of_known_jurisdictions = drop_seen_jurisdictions(unseen, loaded)
    if not unseen:
        raise InputError(data, f"all {len(records)} clauses were used to train or tune this model"
                         + (", or share a jurisdiction with them" if unseen_jurisdictions else ""),
                         hint="evaluate on the test split or on another corpus")
    truth = scoring.label_matrix(unseen, names)
    texts = [r["text"] for r in unseen]
    probabilities = predict_probabilities(loaded, texts, batch_size)
    systems = {f"model ({loaded.name})": (apply_thresholds(probabilities, loaded.thresholds, names),
                                          probabilities)}
    systems[KeywordBaseline.name] = KeywordBaseline(names).predict(texts)
    tfidf = _tfidf_baseline(loaded, names)
    if tfidf is not None:
        systems[TfidfLogisticBaseline.name] = tfidf.predict(texts)
    metric = MultilabelF1()
    report = {
        "model": {**loaded.identity, "path": str(loaded.path)},
        "data": {"path": str(data), "clauses": len(unseen),
                 ("included_seen_in_training" if include_seen else "left_out_seen_in_training"): seen_count,
                 **({"left_out_seen_jurisdictions": of_known_jurisdictions} if unseen_jurisdictions else {})},
        "thresholds": loaded.thresholds,
        "systems": {name: metric.compute(predictions=predicted, references=truth, label_names=names,
                                       scores=scores)
                    for name, (predicted, scores) in systems.items()},
        # The signals read English only: the model's figures on clauses tagged `lang` en and on the others.
        "by_language": by_language(systems[f"model ({loaded.name})"][0], truth, unseen, names),
        # How many clauses inference would mark needs_review, and how often the model errs in and out of the band.
        "review_band": calibration.review_band_figures(
            probabilities, systems[f"model ({loaded.name})"][0], truth,
            np.array([[loaded.thresholds[n] for n in names]]), loaded.review_band),
    }
    output = Path(output_dir)
    json_path, markdown_path = output / "report.json", output / "report.md"
    atomic_write_text(json_path, json.dumps(report, indent=2) + "\n")
    atomic_write_text(markdown_path, render_markdown(report))
    return EvaluationResult(report, json_path, markdown_path)


def _model_split(loaded: LoadedModel) -> dict:
    path = loaded.path / "split.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _seen_fingerprints(loaded: LoadedModel) -> set[str]:
    split = _model_split(loaded)
    return set(split.get("train", {}).get("fingerprints", [])) | set(split.get("dev", {}).get("fingerprints", []))


def _count_seen(records: list[dict], loaded: LoadedModel) -> int:
    seen = _seen_fingerprints(loaded)
    return sum(corpus.text_fingerprint(r["text"]) in seen for r in records)


def drop_seen(records: list[dict], loaded: LoadedModel) -> tuple[list[dict], int]:
    seen = _seen_fingerprints(loaded)
    unseen = [r for r in records if corpus.text_fingerprint(r["text"]) not in seen]
    if len(unseen) < len(records):
        logger.warning("left out %d clauses the model trained or tuned on", len(records) - len(unseen))
    return unseen, len(records) - len(unseen)


def _tfidf_baseline(loaded: LoadedModel, names: list[str]) -> TfidfLogisticBaseline | None:
    """Train TF-IDF on the model's own train split (data.extra_train included), rebuilt from its training config."""
    config_path = loaded.path / "training_config.yaml"
    if not config_path.is_file():
        logger.warning("%s missing: TF-IDF baseline skipped", config_path)
        return None
    # The folder's data settings only: a recipe key removed since it was trained must not stop the baseline.
    written = yaml.safe_load(config_path.read_text(encoding="utf-8"))["data"]
    data = DataConfig(**{f.name: written[f.name] for f in dataclasses.fields(DataConfig) if f.name in written})
    corpus_path = resolve_path(data.corpus)
    if not corpus_path.is_file():
        logger.warning("training corpus %s not found: TF-IDF baseline skipped", corpus_path)
        return None
    train = corpus.model_splits(data, LabelSchema.from_names(names))["train"]
    return TfidfLogisticBaseline(names).fit([r["text"] for r in train], scoring.label_matrix(train, names))


def by_language(predicted: np.ndarray, truth: np.ndarray, records: list[dict], names: list[str]) -> dict:
    """Clauses, macro-F1 and per-label F1 on the clauses tagged English (or untagged) and on the others."""
    figures = {}
    for language, rows in corpus.language_groups(records).items():
        if rows:
            result = scoring.score(predicted[rows], truth[rows], names)
            figures[language] = {"clauses": len(rows), "macro_f1": result["macro_f1"],
                                 "f1": {n: result["per_label"][n]["f1"] for n in names}}
    return figures


def drop_seen_jurisdictions(records: list[dict], loaded: LoadedModel) -> tuple[list[dict], int]:
    """The clauses of jurisdictions absent from the model's train and dev splits, and how many others there were."""
    split = _model_split(loaded)
    if not split:
        raise InputError(loaded.path / "split.json", "missing: the model folder does not say which jurisdictions "
                         "it trained on", hint="retrain it with `clauseclf train`, or drop --unseen-jurisdictions")
    known = set(split.get("train", {}).get("jurisdictions", [])) | set(split.get("dev", {}).get("jurisdictions", []))
    new = [r for r in records if corpus.group_of(r) not in known]
    return new, len(records) - len(new)


def render_markdown(report: dict) -> str:
    data = report["data"]
    if "included_seen_in_training" in data:
        seen = (f"**{data['included_seen_in_training']} of them were used to train or tune the model: "
                "its figures are optimistic**")
    else:
        seen = f"{data['left_out_seen_in_training']} left out because the model trained or tuned on them"
    if "left_out_seen_jurisdictions" in data:
        seen += (f"; {data['left_out_seen_jurisdictions']} more left out because the model trained or tuned on "
                 "clauses of their jurisdiction")
    lines = [
        f"# Evaluation of `{report['model']['name']}` ({report['model']['hash']})", "",
        f"Data: `{data['path']}`, {data['clauses']} clauses ({seen}).", "",
        "| system | micro-F1 | macro-F1 | " + " | ".join(f"{n} F1" for n in report["thresholds"]) + " |",
        "| --- | --- | --- | " + " | ".join("---" for _ in report["thresholds"]) + " |",
    ]
    for name, result in report["systems"].items():
        per_label = " | ".join(f"{result['per_label'][n]['f1']:.3f}" for n in report["thresholds"])
        lines.append(f"| {name} | {result['micro_f1']:.3f} | {result['macro_f1']:.3f} | {per_label} |")
    for name, result in report["systems"].items():
        lines += ["", f"## {name}", "", "| label | threshold | precision | recall | F1 | PR-AUC | support |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for label, row in result["per_label"].items():
            threshold = f"{report['thresholds'][label]:.2f}" if name.startswith("model") else "-"
            pr_auc = "n/a" if row.get("pr_auc") is None else f"{row['pr_auc']:.3f}"
            lines.append(f"| {label} | {threshold} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} | "
                         f"{pr_auc} | {row['support']} |")
    if report.get("by_language"):
        lines += ["", "## The model by language", "", "| language | clauses | macro-F1 | "
                  + " | ".join(f"{n} F1" for n in report["thresholds"]) + " |",
                  "| --- | --- | --- | " + " | ".join("---" for _ in report["thresholds"]) + " |"]
        for language, row in report["by_language"].items():
            lines.append(f"| {language} | {row['clauses']} | {row['macro_f1']:.3f} | "
                         + " | ".join(f"{row['f1'][n]:.3f}" for n in report["thresholds"]) + " |")
    if "review_band" in report:
        lines += [""] + calibration.review_band_markdown(report["review_band"])
    return "\n".join(lines) + "\n"


