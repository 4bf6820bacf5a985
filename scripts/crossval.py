"""Run the jurisdiction cross-validation without the CLI (the same function as `clauseclf crossval`).

    .venv/bin/python scripts/crossval.py configs/train/default.yaml --folds 5 --output reports/cv-default
"""

import logging
import os

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import typer  # noqa: E402

from clauseclf.crossval import crossval_command  # noqa: E402

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    typer.run(crossval_command)
