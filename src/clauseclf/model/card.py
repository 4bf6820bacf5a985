"""The model card written into every model folder: what it is, what it was trained on, how well it does."""

from __future__ import annotations

import json
import platform
from datetime import datetime, timezone
from pathlib import Path

import torch
import transformers

from clauseclf import __version__
from clauseclf.config import TrainConfig


# The default recipe's figures on jurisdictions it never saw, from grouped cross-validation (docs/quality.md):
# every clause scored once by a model trained without its jurisdiction; 95% intervals resample jurisdictions.
# Written by scripts/held_out_figures.py from the crossval report.
HELD_OUT_FILE = Path(__file__).with_name("default_recipe_held_out.json")
# The recipe fields those figures hold for: a model trained otherwise gets them marked as another recipe's.
RECIPE_KEYS = (("data", "extra_train"), ("data", "extra_train_sample"), ("data", "facts_corpus"),
               ("model", "base_model"), ("model", "max_length"), ("training", "epochs"), ("training", "learning_rate"),
               ("training", "bf16"), ("training", "frozen_layers"), ("training", "combiner"),
               ("training", "embedding_signals"), ("training", "signals_english_only"),
               ("training", "signals_on_extra_train"))


def default_recipe_held_out() -> dict | None:
    return json.loads(HELD_OUT_FILE.read_text(encoding="utf-8")) if HELD_OUT_FILE.is_file() else None


def _held_out_section(config: TrainConfig) -> list[str]:
    figures = default_recipe_held_out()
    if not figures:
        return []
    settings = config.to_dict()
    same = all(settings[a][b] == figures["recipe"][f"{a}.{b}"] for a, b in RECIPE_KEYS)
    lines = [
        "## The recipe on unseen jurisdictions (cross-validated)", "",
        ("This model was trained with the default recipe, whose" if same else
         "**This model was not trained with the default recipe**; for comparison, the default recipe's")
        + f" figures from {figures['folds']}-fold cross-validation by jurisdiction ({figures['clauses']} clauses, "
        f"{figures['jurisdictions']} jurisdictions; 95% intervals from resampling jurisdictions) are:", "",
        "| system | macro-F1 | " + " | ".join(figures["labels"]) + " |",
        "| --- | --- | " + " | ".join("---" for _ in figures["labels"]) + " |",
    ]
    for name, row in figures["systems"].items():
        cells = [f"{row[n][0]:.2f} [{row[n][1]:.2f}, {row[n][2]:.2f}]" for n in figures["labels"]]
        lines.append(f"| {name} | {row['macro'][0]:.2f} [{row['macro'][1]:.2f}, {row['macro'][2]:.2f}] | "
                     + " | ".join(cells) + " |")
    lines += ["", f"Command: `{figures['command']}`. {figures.get('note', '')}".rstrip(), ""]
    return lines + _countries_lines(figures.get("held_out_countries"))


def _countries_lines(countries: dict | None) -> list[str]:
    """The default recipe's model on the countries that no recipe trains on (data/corpus/statutes/held_out/)."""
    if not countries:
        return []
    labels = ", ".join(f"{name} {f1:.2f}" for name, f1 in countries["per_label"].items())
    languages = ", ".join(f"{language} {row['macro']:.2f} ({row['clauses']} clauses)"
                          for language, row in countries["by_language"].items())
    return [f"On {countries['clauses']} statute clauses of five countries that no recipe trains on (Switzerland, "
            f"Colombia, Hungary, Norway, Qatar; many not in English), a model of the default recipe scored macro-F1 "
            f"{countries['macro']:.2f}: {labels}; by language {languages}. Command: `{countries['command']}`, "
            "runs/held_out.jsonl being data/corpus/statutes/held_out/*.jsonl joined.", ""]


def _extra_train_line(config: TrainConfig) -> list[str]:
    """Where the train split's further clauses (`data.extra_train`) came from: they train only, never dev or test."""
    data = config.data
    if not data.extra_train:
        return []
    drawn = (f"{data.extra_train_sample} of their clauses drawn at random (seed {data.split_seed})"
             if data.extra_train_sample else "all of their clauses")
    return [f"- Further training clauses, in the train split only: {', '.join(f'`{p}`' for p in data.extra_train)}, "
            f"{drawn}, less any of a dev or test jurisdiction"]


def render(config: TrainConfig, thresholds: dict[str, float], metrics: dict, splits: dict, seconds: float,
           content_hash: str) -> str:
    lines = [
        "---",
        "library_name: transformers",
        "pipeline_tag: text-classification",
        "tags: [clauseclf, multi-label, legal, cybercrime-legislation]",
        "---",
        f"# clauseclf model `{config.output_dir}`",
        "",
        "Labels each clause of a cybercrime bill with any of `core_cybercrime`, `content_offence`, "
        "`missing_intent`, `overbroad` (see ANNOTATION.md). A first pass for human-rights analysts: "
        "every flag is for a person to check, not a finding.",
        "",
        f"- Base model: `{config.model.base_model}`"
        + (f", its embeddings and bottom {config.training.frozen_layers} layers frozen (the layers above fine-tuned)"
           if config.training.frozen_layers else ""),
        f"- Training data: `{config.data.corpus}`, split by jurisdiction "
        + ", ".join(f"{k} {len(v)} clauses / {len({r.get('jurisdiction') for r in v})} jurisdictions"
                    for k, v in splits.items()),
        *_extra_train_line(config),
        f"- Weights hash: `{content_hash}`; trained {datetime.now(timezone.utc):%Y-%m-%d} in {seconds:.0f} s "
        f"on {platform.machine()} (clauseclf {__version__}, transformers {transformers.__version__}, "
        f"torch {torch.__version__})",
        "",
        "## Scores on jurisdictions it never saw",
        "",
        "Thresholds were tuned on the dev split; the test split was used for nothing but these numbers.",
        "",
    ]
    for split, result in metrics.items():
        lines += [f"### {split} split (micro-F1 {result['micro_f1']:.3f}, macro-F1 {result['macro_f1']:.3f})", "",
                  "| label | threshold | precision | recall | F1 | PR-AUC | support |", "| --- | --- | --- | --- | --- | --- | --- |"]
        for name, row in result["per_label"].items():
            pr_auc = "n/a" if row.get("pr_auc") is None else f"{row['pr_auc']:.3f}"
            lines.append(f"| {name} | {thresholds[name]:.2f} | {row['precision']:.3f} | {row['recall']:.3f} | "
                         f"{row['f1']:.3f} | {pr_auc} | {row['support']} |")
        lines.append("")
    lines += _held_out_section(config)
    if config.training.combiner:
        lines += [
            "## Lexicon signals (`combiner.json`)", "",
            "Scores are the transformer's logits blended with lexicon signals (offence-creating wording, mental "
            "element, vague terms; clauseclf.model.signals) by a logistic regression stored as plain JSON. "
            "`thresholds.json` applies to these blended scores: `clauseclf label` applies both; a bare "
            "`transformers.pipeline` gives the transformer's own scores, for which these thresholds are not tuned.",
            "",
        ]
    lines += [
        "## Intended use and limits",
        "",
        "- Intended: a first pass over statutory clauses of cybercrime laws and bills, to order a human review.",
        "- Not intended: deciding whether a law complies with human-rights standards without a reviewer.",
        f"- Trained on {len(splits.get('train', []))} annotated clauses, mostly English; other languages and unusual "
        "drafting are weaker.",
        "- `missing_intent` is read from the clause alone; a criminal code's general part may supply intent.",
        "",
        "Load with `transformers.pipeline(\"text-classification\", model=DIR, top_k=None)` (sigmoid scores), "
        "and apply `thresholds.json`; or use `clauseclf label --model DIR`.",
        "",
    ]
    return "\n".join(lines)
