"""How far do two annotators agree on the same clauses, and where does the model stand between them?

    .venv/bin/python scripts/annotator_agreement.py data/corpus/second_annotation.jsonl --run reports/cv-default
    .venv/bin/python scripts/annotator_agreement.py data/corpus/statutes/second_reading/*.jsonl --corpus data/corpus/statutes/*.jsonl

Annotation A is the corpus (`--corpus`, default data/corpus/clauses.jsonl); annotation B is a
second, blind annotation of the same clauses (one JSON line per clause: id, kind, labels). Either
may be several files. Where both record `safeguards` facts (ANNOTATION.md), their agreement per fact
is tabled too.
Agreement on a label is the F1 of one annotation scored against the other; it is symmetric
(2 x both / (A's + B's)), so it is the ceiling a model scored against A can be expected to
reach when the labels themselves differ this much. Cohen's kappa beside it corrects for
chance. Intervals: the cluster bootstrap over jurisdictions the cross-validation uses.

With `--run`, a cross-validation run's held-out predictions (its main system, or `--system`)
are scored against A (the yardstick of docs/quality.md), against B, and on the clauses where
A and B agree; "model - B" is a paired bootstrap of the model's F1 against A minus B's F1
against A. Prints markdown tables.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from clauseclf import corpus
from clauseclf.evaluate import scoring
from clauseclf.evaluate.bootstrap import cluster_bootstrap, paired_bootstrap_differences
from clauseclf.evaluate.scoring import f1_columns
from clauseclf.errors import InputError
from clauseclf.schema import LabelSchema
from compare_runs import read_run  # beside this script: a run's held-out predictions, with its checks

REPO = Path(__file__).resolve().parents[1]
LABELS = LabelSchema.from_yaml().names  # the packaged labels.yaml


def read_jsonl(paths: list[Path]) -> dict[str, dict]:
    """id -> record, over one or more files; a malformed line is named by file and line."""
    rows = {}
    for path in paths:
        try:
            parsed = corpus.read_rows(path)
        except InputError as error:
            raise SystemExit(str(error)) from None
        for number, row, problem in parsed:
            if row is None or "id" not in row or not isinstance(row.get("labels"), list):
                raise SystemExit(f"{path}:{number}: {problem or 'needs an id and a labels list'}")
            rows[row["id"]] = row
    return rows


def safeguard_table(first: list[dict], second: list[dict]) -> list[str]:
    """Per safeguard fact: on the clauses both annotators gave that fact, how often they agree."""
    pairs = [(a["safeguards"], b["safeguards"]) for a, b in zip(first, second)
             if isinstance(a.get("safeguards"), dict) and isinstance(b.get("safeguards"), dict)]
    lines = [f"{len(pairs)} clauses with safeguard facts from both annotators.", "",
             "| fact | clauses with it from both | agreed | share |", "| --- | ---: | ---: | ---: |"]
    for fact in dict.fromkeys(key for a, b in pairs for key in (*a, *b)):
        both = [(a[fact], b[fact]) for a, b in pairs if fact in a and fact in b]
        if both:
            agreed = sum(x == y for x, y in both)
            lines.append(f"| {fact} | {len(both)} | {agreed} | {agreed / len(both):.0%} |")
    return lines


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Agreement of two 0/1 columns beyond what their rates give by chance."""
    observed = (a == b).mean()
    chance = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
    return float((observed - chance) / (1 - chance)) if chance < 1 else 1.0


def interval_cell(f1: float, interval: list[float]) -> str:
    return f"{f1:.3f} [{interval[0]:.2f}, {interval[1]:.2f}]"


def agreement_table(a: np.ndarray, b: np.ndarray, groups: list[str], draws: int) -> list[str]:
    f1, ci = f1_columns(b, a), cluster_bootstrap(b, a, groups, draws)
    lines = ["| label | A | B | both | agreement F1 [95%] | Cohen's kappa |", "| --- | ---: | ---: | ---: | --- | ---: |"]
    for i, name in enumerate(LABELS):
        lines.append(f"| {name} | {a[:, i].sum()} | {b[:, i].sum()} | {(a[:, i] & b[:, i]).sum()} | "
                     f"{interval_cell(f1[i], ci[f'label_{i}'])} | {cohen_kappa(a[:, i], b[:, i]):.3f} |")
    lines.append(f"| **macro** | | | | **{interval_cell(f1.mean(), ci['macro'])}** | "
                 f"{np.mean([cohen_kappa(a[:, i], b[:, i]) for i in range(len(LABELS))]):.3f} |")
    return lines


def model_table(a: np.ndarray, b: np.ndarray, model: np.ndarray, groups: list[str], draws: int) -> list[str]:
    """The model against A, against B, on the clauses A and B agree on, and paired against B (both scored on A)."""
    against_a, against_b, b_on_a = f1_columns(model, a), f1_columns(model, b), f1_columns(b, a)
    differences = paired_bootstrap_differences(b, model, a, groups, draws)
    low, high = np.percentile(differences, [2.5, 97.5], axis=0)
    agree = a == b
    consensus = [f1_columns(model[agree[:, i]][:, [i]], a[agree[:, i]][:, [i]])[0] for i in range(len(LABELS))]
    lines = ["| label | B vs A | model vs A | model vs B | model vs A where A = B (clauses) | model - B, on A [95%] |",
             "| --- | ---: | ---: | ---: | --- | --- |"]
    for i, name in enumerate(LABELS):
        lines.append(f"| {name} | {b_on_a[i]:.3f} | {against_a[i]:.3f} | {against_b[i]:.3f} | {consensus[i]:.3f} "
                     f"({int(agree[:, i].sum())}) | {differences[:, i].mean():+.3f} [{low[i]:+.2f}, {high[i]:+.2f}] |")
    k = len(LABELS)
    lines.append(f"| **macro** | **{b_on_a.mean():.3f}** | **{against_a.mean():.3f}** | **{against_b.mean():.3f}** | "
                 f"**{np.mean(consensus):.3f}** | {differences[:, k].mean():+.3f} [{low[k]:+.2f}, {high[k]:+.2f}] |")
    return lines


def language_table(a: np.ndarray, b: np.ndarray, model: np.ndarray | None, records: list[dict]) -> list[str]:
    lines = ["| clauses | n | B vs A macro-F1 | model vs A macro-F1 |", "| --- | ---: | ---: | ---: |"]
    for name, rows in corpus.language_groups(records).items():
        if rows:
            on_model = f"{f1_columns(model[rows], a[rows]).mean():.3f}" if model is not None else "-"
            lines.append(f"| {name} | {len(rows)} | {f1_columns(b[rows], a[rows]).mean():.3f} | {on_model} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("second_annotation", type=Path, nargs="+", help="JSONL: id, kind, labels of each clause, annotated blind")
    parser.add_argument("--corpus", type=Path, nargs="+", default=[REPO / "data" / "corpus" / "clauses.jsonl"],
                        help="annotation A (one or more files)")
    parser.add_argument("--run", type=Path, help="a `clauseclf crossval` output folder to place beside them")
    parser.add_argument("--system", help="the run's system to read (default: its main one)")
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()

    first, second = read_jsonl(args.corpus), read_jsonl(args.second_annotation)
    unknown = sorted(set(second) - set(first))
    if unknown:
        raise SystemExit(f"{len(unknown)} ids of the second annotation are not in the corpus, e.g. {unknown[:3]}")
    ids = [i for i in first if i in second]
    records = [first[i] for i in ids]
    groups = [corpus.group_of(r) for r in records]
    a, b = scoring.label_matrix(records, LABELS), scoring.label_matrix([second[i] for i in ids], LABELS)
    kinds_agree = np.mean([first[i].get("kind") == second[i].get("kind") for i in ids])
    print(f"{len(ids)} clauses of {len(first)} annotated twice, {len(set(groups))} jurisdictions; "
          f"clause kind agreed on {kinds_agree:.1%}\n")
    print("\n".join(agreement_table(a, b, groups, args.draws)))
    if any("safeguards" in second[i] for i in ids):
        print("\nSafeguard facts:\n")
        print("\n".join(safeguard_table(records, [second[i] for i in ids])))

    model = None
    if args.run:
        predicted, _, system = read_run(args.run, args.system)
        missing = [i for i in ids if i not in predicted]
        if missing:
            raise SystemExit(f"{args.run}: holds no prediction for {len(missing)} of these clauses, e.g. {missing[:3]}")
        model = scoring.label_matrix([{"labels": predicted[i]["predicted"][system]} for i in ids], LABELS)
        print(f"\nThe held-out predictions of {args.run} [{system}]:\n")
        print("\n".join(model_table(a, b, model, groups, args.draws)))
    print("\nBy language:\n")
    print("\n".join(language_table(a, b, model, records)))


if __name__ == "__main__":
    main()
