"""The `clauseclf` command: a thin layer over the library, which owns the terminal.

One module per command or command group; each defines plain Typer functions over
the library, and this module registers them so that `clauseclf --help` lists every
command in one place. Heavy libraries (torch, transformers) are imported inside the
commands, so that `clauseclf --help` answers at once.
"""

from __future__ import annotations

import os

import typer

from clauseclf.cli._util import user_errors
from clauseclf.cli.assess import assess_command
from clauseclf.cli.crossval import crossval_command
from clauseclf.cli.data import data_app
from clauseclf.cli.evaluate import evaluate_command
from clauseclf.cli.label import label_command
from clauseclf.cli.review import export_command, import_command, report_command, review_app
from clauseclf.cli.segment import segment_command
from clauseclf.cli.train import train_command

# Quiet transformers' load reports and hub progress bars; a user can still override both.
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

__all__ = ["app", "main", "user_errors"]

app = typer.Typer(
    help="Flag the clauses of cybercrime bills that human-rights analysts must review.\n\n"
    "Typical loop: `clauseclf train configs/train/default.yaml`, then "
    "`clauseclf label data/examples --model models/default --output predictions.jsonl`.",
    no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
)
app.add_typer(data_app, name="data")
app.command("train")(train_command)
app.command("evaluate")(evaluate_command)
app.command("label")(label_command)
app.command("crossval")(crossval_command)
app.command("segment")(segment_command)
app.command("report")(report_command)
app.command("assess")(assess_command)
app.command("export")(export_command)
app.command("import")(import_command)
app.add_typer(review_app, name="review")


def main() -> None:
    app()
