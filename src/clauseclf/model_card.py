"""The model card written into every model folder: what it is, what it was trained on, how well it does."""

from __future__ import annotations

import platform
from datetime import datetime, timezone

import torch
import transformers

from clauseclf import __version__
from clauseclf.config import TrainConfig


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
