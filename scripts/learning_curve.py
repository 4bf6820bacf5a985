"""How the model improves with more annotated statutes: one training per corpus size, one table.

For each size (0, about 1,000, about 2,500, every statute clause outside `statutes/held_out/`) the
script trains the recipe on the seed corpus plus a random subset of the statutes
(`data.extra_train_sample`: nested, the 1,000 are among the 2,500, drawn with the recipe's
`data.split_seed`), then scores the model on the seed corpus's dev and test splits (from its
metrics.json) and on the five held-out countries, which no training ever sees (`clauseclf evaluate
... --unseen-jurisdictions`). Everything else stays the recipe's: the same epochs for every size, so
the steps grow with the data.

    .venv/bin/python scripts/learning_curve.py                       # MiniLM, the statutes recipe (3 epochs)
    .venv/bin/python scripts/learning_curve.py --config configs/train/default.yaml --output reports/learning-curve-mpnet
                                                                      # all-mpnet-base-v2, the default (3 epochs, bf16)

Writes one model folder and one held-out report per size under --output, and prints a
Markdown table (also written to <output>/table.md). A size whose model folder is already complete is
not trained again, so an interrupted run continues where it stopped. On 2 CPU cores the MiniLM curve
takes about 40 minutes of training (sum of the four sizes).
"""

from __future__ import annotations

import argparse
import glob
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STATUTES = "data/corpus/statutes/*.jsonl"  # held_out/ and second_reading/ are folders: not matched
HELD_OUT = "data/corpus/statutes/held_out/*.jsonl"
SIZES = (0, 1000, 2500, None)  # None: every statute clause
CLAUSECLF = str(Path(sys.executable).parent / "clauseclf")  # the command of the same environment


def read_jsonl(pattern: str) -> list[str]:
    lines = []
    for path in sorted(glob.glob(str(REPO / pattern))):
        lines += [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def run(command: list[str]) -> None:
    print("$", " ".join(command), flush=True)
    subprocess.run(command, cwd=REPO, check=True)


def measure(size: int | None, statutes: int, args: argparse.Namespace, held_out: Path) -> dict:
    name = "all" if size is None else str(size)
    model = args.output / "models" / name
    extra = ["--set", "data.extra_train=[]"] if size == 0 else [
        "--set", f"data.extra_train=[{STATUTES}]", "--set", f"data.extra_train_sample={size or 0}"]
    if not (model / "metrics.json").exists():
        run([CLAUSECLF, "train", str(args.config), "--output", str(model),
             *extra, *[item for o in args.set for item in ("--set", o)]])
    report = args.output / "held-out" / name
    if not (report / "report.json").exists():
        run([CLAUSECLF, "evaluate", str(model), str(held_out), "--unseen-jurisdictions",
             "--output", str(report), "--force"])
    metrics = json.loads((model / "metrics.json").read_text(encoding="utf-8"))
    held = json.loads((report / "report.json").read_text(encoding="utf-8"))["systems"]
    main = held[f"model ({model.name})"]  # evaluate names the model's system after its folder
    return {"size": name, "clauses": statutes if size is None else size,
            "steps": optimiser_steps(model), "seconds": metrics.get("train_seconds"),
            "dev": metrics["dev"]["macro_f1"], "test": metrics["test"]["macro_f1"],
            "held_out": main["macro_f1"],
            "held_out_per_label": {k: v["f1"] for k, v in main["per_label"].items()}}


def optimiser_steps(model: Path) -> int:
    """Steps the Trainer took: batches per epoch (the last one partial) times the recipe's epochs."""
    import math

    import yaml

    train_clauses = json.loads((model / "split.json").read_text(encoding="utf-8"))["train"]["records"]
    training = yaml.safe_load((model / "training_config.yaml").read_text(encoding="utf-8"))["training"]
    return math.ceil(math.ceil(train_clauses / training["batch_size"]) * training["epochs"])


def table(rows: list[dict]) -> str:
    labels = list(rows[0]["held_out_per_label"])
    head = ("| statute clauses | steps | training s | seed dev | seed test | held-out countries | "
            + " | ".join(labels) + " |")
    lines = [head, "|" + " --- |" * (6 + len(labels))]
    for r in rows:
        cells = [str(r["clauses"]), str(r["steps"]), f"{r['seconds']:.0f}" if r["seconds"] else "?",
                 f"{r['dev']:.3f}", f"{r['test']:.3f}", f"{r['held_out']:.3f}",
                 *(f"{r['held_out_per_label'][n]:.3f}" for n in labels)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("configs/train/statutes.yaml"),
                        help="Training recipe; its data.extra_train and extra_train_sample are set for each size.")
    parser.add_argument("--set", action="append", default=[],
                        help="Recipe override passed to every training (repeatable), e.g. training.epochs=3.")
    parser.add_argument("--output", type=Path, default=Path("reports/learning-curve"))
    parser.add_argument("--sizes", default="0,1000,2500,all", help="Comma-separated sizes to run, from 0,1000,2500,all.")
    args = parser.parse_args()
    args.output = (REPO / args.output).resolve() if not args.output.is_absolute() else args.output

    args.output.mkdir(parents=True, exist_ok=True)
    held_out = args.output / "held_out.jsonl"
    held_out.write_text("\n".join(read_jsonl(HELD_OUT)) + "\n", encoding="utf-8")
    statutes = len(read_jsonl(STATUTES))
    wanted = {None if s == "all" else int(s) for s in args.sizes.split(",")}
    rows = [measure(size, statutes, args, held_out) for size in SIZES if size in wanted]
    markdown = table(rows)
    (args.output / "table.md").write_text(markdown, encoding="utf-8")
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
