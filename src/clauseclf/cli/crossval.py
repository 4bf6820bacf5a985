"""`clauseclf crossval CONFIG`: score a recipe on jurisdictions it never saw (clauseclf.evaluate.crossval)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from clauseclf.cli._util import user_errors
from clauseclf.evaluate.bootstrap import BOOTSTRAP_DRAWS


@user_errors(on_interrupt="interrupted: run the same command with --force to reuse the folds already scored")
def crossval_command(
    config: Annotated[Path, typer.Argument(help="Training recipe (YAML), e.g. configs/train/default.yaml.")],
    folds: Annotated[int, typer.Option("--folds", "-k", help="Number of folds; jurisdictions never straddle two.")] = 5,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for report.json, report.md, PNGs and "
                                                              "the per-fold scores that reruns reuse.")] = Path("reports/crossval"),
    overrides: Annotated[list[str] | None, typer.Option("--set", help="Override a recipe key, e.g. "
                                                                     "--set training.epochs=4 (repeatable).")] = None,
    baselines_only: Annotated[bool, typer.Option("--baselines-only", help="Score only the keyword and TF-IDF "
                                                                           "baselines (seconds, no training).")] = False,
    keep_models: Annotated[bool, typer.Option("--keep-models", help="Keep each fold's model folder.")] = False,
    draws: Annotated[int, typer.Option("--draws", help="Bootstrap draws for the 95% intervals.")] = BOOTSTRAP_DRAWS,
    only_folds: Annotated[list[int] | None, typer.Option("--fold", help="Run only this fold (repeatable); the "
                                                                         "report covers its held-out clauses.")] = None,
    force: Annotated[bool, typer.Option(help="Write into an OUTPUT folder that is not empty (its saved fold scores "
                                                  "are reused where they still apply).")] = False,
    average_of: Annotated[list[Path] | None, typer.Option("--average-of", help="Train nothing: average the saved "
                          "transformer scores of this earlier crossval folder (repeatable; an ensemble of the "
                          "runs), then apply the recipe's combiner and thresholds.")] = None,
) -> None:
    """Score a training recipe on jurisdictions it never saw: grouped K-fold cross-validation.

    Every clause is scored once by a model trained without its jurisdiction; thresholds
    (and the signal combiner, if the recipe has one) are tuned on a dev part carved, by
    jurisdiction, from each fold's training part. The keyword and TF-IDF baselines are
    scored on the same folds. Writes report.json, report.md, predictions.jsonl and one
    reliability diagram per label; per-label F1 carries a 95% interval from resampling
    jurisdictions. Each fold's transformer scores are saved, so a rerun that changes only
    thresholds, the combiner or the review band takes seconds. Takes about K times one
    training run (default recipe, 2 CPU cores: about 64 minutes for 4 folds; configs/train/minilm.yaml: 13).

    Example: clauseclf crossval configs/train/default.yaml --folds 4 --output reports/cv-default

    Ensemble of two earlier runs, in seconds: clauseclf crossval configs/train/default.yaml --folds 4
    --average-of reports/cv-default --average-of reports/cv-seed7 --output reports/cv-average
    """
    from clauseclf.config import load_train_config, resolve_path
    from clauseclf.evaluate.crossval import crossval
    from clauseclf.evaluate.folds import averaged_fold_scores
    from clauseclf.errors import ConfigError, InputError
    from clauseclf.outputs import check_output_folder

    if draws < 100:
        raise ConfigError("--draws", [f"use at least 100 bootstrap draws, got {draws}"])
    if not resolve_path(config).is_file():
        raise InputError(config, "training config not found", hint="pass a YAML such as configs/train/default.yaml")
    recipe = load_train_config(config, overrides or [])
    averaged = averaged_fold_scores(list(average_of)) if average_of else None
    check_output_folder(output, force, remedy="pass --force to write into it: the fold scores saved there are "
                        "reused where the recipe's score-shaping settings are unchanged, and retrained where not")
    name = (str(config) + "".join(f" --set {o}" for o in overrides or [])
            + "".join(f" --average-of {run}" for run in average_of or []))
    result = crossval(recipe, folds, output, baselines_only=baselines_only, keep_models=keep_models, draws=draws,
                      only_folds=only_folds, config_name=name, saved_scores=averaged)
    table = result.markdown_path.read_text(encoding="utf-8").split("## Per fold")[0]
    typer.echo(table.rstrip() + f"\n\nFull report: {result.markdown_path} (and {result.json_path.name}, PNGs)")
