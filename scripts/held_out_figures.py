"""Write the default recipe's cross-validated figures, which every model card quotes, from a crossval report.

    clauseclf crossval configs/train/default.yaml --folds 4 --output reports/cv-default
    .venv/bin/python scripts/held_out_figures.py reports/cv-default/report.json

and, with a model of the default recipe scored on the five countries no recipe trains on, that figure too:

    cat data/corpus/statutes/held_out/*.jsonl > runs/held_out.jsonl
    clauseclf evaluate models/default runs/held_out.jsonl --unseen-jurisdictions --output reports/held-out-default
    .venv/bin/python scripts/held_out_figures.py reports/cv-default/report.json --countries reports/held-out-default/report.json

reports/ is regenerated, not kept in git; this small file (src/clauseclf/model/default_recipe_held_out.json)
is, so that a model card printed anywhere carries the figures without copying them by hand.
tests/model/test_model_card.py fails when the recipe in configs/train/default.yaml drifts from the one
the figures were measured on.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / "src" / "clauseclf" / "model" / "default_recipe_held_out.json"
# The systems the card shows, under the names it shows them by.
SYSTEMS = {"fine-tune + signals": "default recipe (fine-tune + signals)", "fine-tune": "fine-tune alone",
           "TF-IDF + logistic regression": "TF-IDF + logistic regression", "keyword rules": "keyword rules"}


def figures(report: dict) -> dict:
    from clauseclf.model.card import RECIPE_KEYS

    labels = list(next(iter(report["systems"].values()))["per_label"])
    recipe = report["recipe"]
    main = report["systems"]["fine-tune + signals"]
    english, other = main["by_language"]["en"], main["by_language"].get("other")

    def row(result: dict) -> dict:
        cells = {n: [round(result["per_label"][n]["f1"], 3), *result["per_label"][n]["f1_ci95"]] for n in labels}
        return {**cells, "macro": [round(result["macro_f1"], 3), *result["macro_f1_ci95"]]}

    return {
        "folds": report["method"]["folds"], "clauses": report["clauses"], "jurisdictions": report["jurisdictions"],
        "labels": labels,
        "recipe": {f"{a}.{b}": recipe[a][b] for a, b in RECIPE_KEYS},
        "systems": {shown: row(report["systems"][name]) for name, shown in SYSTEMS.items() if name in report["systems"]},
        "command": "clauseclf crossval configs/train/default.yaml --folds 4 --output reports/cv-default",
        "note": (f"Clauses not in English ({other['clauses']} of {report['clauses']}) keep the transformer's scores "
                 f"and reach macro-F1 {other['macro_f1']:.2f}, against {english['macro_f1']:.2f} for English: "
                 "see docs/quality.md.") if other else "",
    }


def countries(report: dict) -> dict:
    """The default model's figures on the held-out countries, from a `clauseclf evaluate` report."""
    model = next(result for name, result in report["systems"].items() if name.startswith("model"))
    return {
        "clauses": report["data"]["clauses"],
        "macro": round(model["macro_f1"], 3),
        "per_label": {name: round(row["f1"], 3) for name, row in model["per_label"].items()},
        "by_language": {language: {"clauses": row["clauses"], "macro": round(row["macro_f1"], 3)}
                        for language, row in report["by_language"].items()},
        "command": "clauseclf evaluate models/default runs/held_out.jsonl --unseen-jurisdictions",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="report.json written by clauseclf crossval")
    parser.add_argument("--countries", type=Path,
                        help="report.json written by clauseclf evaluate for a default model on statutes/held_out/")
    args = parser.parse_args()
    written = figures(json.loads(args.report.read_text(encoding="utf-8")))
    if args.countries:
        written["held_out_countries"] = countries(json.loads(args.countries.read_text(encoding="utf-8")))
    TARGET.write_text(json.dumps(written, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {TARGET.relative_to(REPO)}")


if __name__ == "__main__":
    main()
