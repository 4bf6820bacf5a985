"""The model card written into every model folder: what it is, what it was trained on, how well it does."""

from __future__ import annotations

import platform
from datetime import datetime, timezone

import torch
import transformers

from clauseclf import __version__
from clauseclf.config import TrainConfig


# The default recipe's figures on jurisdictions it never saw, from grouped cross-validation (docs/quality.md):
# every clause scored once by a model trained without its jurisdiction; 95% intervals resample jurisdictions.
DEFAULT_RECIPE_HELD_OUT: dict | None = {
    'folds': 4, 'clauses': 608, 'jurisdictions': 66,
    'labels': ['core_cybercrime', 'content_offence', 'missing_intent', 'overbroad'],
    'recipe': {'model.base_model': 'packaged:all-minilm-l6-v2', 'model.max_length': 192, 'training.epochs': 12.0,
               'training.learning_rate': 5e-05, 'training.combiner': True, 'training.signals_english_only': True},
    'systems': {'default recipe (fine-tune + signals)': {'core_cybercrime': (0.823, 0.7771, 0.8528),
                                                         'content_offence': (0.809, 0.7351, 0.856),
                                                         'missing_intent': (0.597, 0.5241, 0.6626),
                                                         'overbroad': (0.565, 0.4654, 0.6321),
                                                         'macro': (0.698, 0.661, 0.7254)},
                'fine-tune alone': {'core_cybercrime': (0.807, 0.77, 0.8484),
                                    'content_offence': (0.746, 0.6788, 0.8231),
                                    'missing_intent': (0.481, 0.3782, 0.5673),
                                    'overbroad': (0.57, 0.4739, 0.6388),
                                    'macro': (0.651, 0.6133, 0.6907)},
                'TF-IDF + logistic regression': {'core_cybercrime': (0.611, 0.5185, 0.6941),
                                                 'content_offence': (0.574, 0.3889, 0.6947),
                                                 'missing_intent': (0.321, 0.2064, 0.4286),
                                                 'overbroad': (0.335, 0.2553, 0.3961),
                                                 'macro': (0.46, 0.3977, 0.5059)},
                'keyword rules': {'core_cybercrime': (0.526, 0.3248, 0.6478),
                                  'content_offence': (0.578, 0.4417, 0.6765),
                                  'missing_intent': (0.378, 0.2652, 0.4734),
                                  'overbroad': (0.432, 0.3282, 0.5281),
                                  'macro': (0.479, 0.3691, 0.5479)}},
    'command': 'clauseclf crossval configs/train/default.yaml --folds 4 --output reports/cv-default',
    'note': "Clauses not in English (99 of 608) keep the transformer's scores and reach macro-F1 0.59, "
            'against 0.70 for English: see docs/quality.md.'}
# The recipe fields those figures hold for: a model trained otherwise gets them marked as another recipe's.
_RECIPE_KEYS = (("model", "base_model"), ("model", "max_length"), ("training", "epochs"),
                ("training", "learning_rate"), ("training", "combiner"), ("training", "signals_english_only"))


def _held_out_section(config: TrainConfig) -> list[str]:
    figures = DEFAULT_RECIPE_HELD_OUT
    if not figures:
        return []
    settings = config.to_dict()
    same = all(settings[a][b] == figures["recipe"][f"{a}.{b}"] for a, b in _RECIPE_KEYS)
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
    return lines


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
        f"- Base model: `{config.model.base_model}`",
        f"- Training data: `{config.data.corpus}`, split by jurisdiction "
        + ", ".join(f"{k} {len(v)} clauses / {len({r.get('jurisdiction') for r in v})} jurisdictions"
                    for k, v in splits.items()),
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
            "element, vague terms; clauseclf.signals) by a logistic regression stored as plain JSON. "
            "`thresholds.json` applies to these blended scores: `clauseclf label` applies both; a bare "
            "`transformers.pipeline` gives the transformer's own scores, for which these thresholds are not tuned.",
            "",
        ]
    lines += [
        "## Intended use and limits",
        "",
        "- Intended: a first pass over statutory clauses of cybercrime laws and bills, to order a human review.",
        "- Not intended: deciding whether a law complies with human-rights standards without a reviewer.",
        "- Trained on a few hundred clauses, mostly English; other languages and unusual drafting are weaker.",
        "- `missing_intent` is read from the clause alone; a criminal code's general part may supply intent.",
        "",
        "Load with `transformers.pipeline(\"text-classification\", model=DIR, top_k=None)` (sigmoid scores), "
        "and apply `thresholds.json`; or use `clauseclf label --model DIR`.",
        "",
    ]
    return "\n".join(lines)
