"""`clauseclf train CONFIG`: fine-tune and write a model folder (clauseclf.train)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from clauseclf.cli._util import user_errors


@user_errors(on_interrupt="interrupted: run the same command again to resume from the last checkpoint")
def train_command(
    config: Annotated[Path, typer.Argument(help="Training config YAML, e.g. configs/train/default.yaml.")],
    output: Annotated[Optional[Path], typer.Option(help="Model folder to write (default: the config's output_dir).")] = None,
    set_: Annotated[Optional[list[str]], typer.Option("--set", help="Override a config key: --set training.epochs=3 (repeatable).")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite a model folder that holds a finished model; discard checkpoints of another config or data.")] = False,
    unless_current: Annotated[bool, typer.Option(help="Do nothing if the folder already holds a model trained with this very configuration and data (scripts/quickstart.sh uses it with --force: a model of another recipe is retrained).")] = False,
):
    """Fine-tune a multi-label clause classifier and write a model folder.

    Resumes from the last epoch checkpoint if a previous run of the same config and
    data was interrupted; a folder that holds a finished model is overwritten only
    with --force, and is replaced whole (no file of the earlier model survives).
    On several GPUs: accelerate launch -m clauseclf.cli train CONFIG.

    Example: clauseclf train configs/train/default.yaml --output models/default
    """
    import yaml

    from clauseclf import corpus
    from clauseclf.config import check_splits, load_train_config, resolve_path
    from clauseclf.outputs import check_output_folder
    from clauseclf.schema import LabelSchema
    from clauseclf.errors import ClauseclfError, StaleCheckpointsError
    from clauseclf.train import check_replaceable, is_current, train

    resolved = load_train_config(config, set_)
    if output:
        resolved.output_dir = str(output)
    labels = resolved.data.labels_file
    splits = corpus.model_splits(resolved.data, LabelSchema.from_yaml(labels and resolve_path(labels)))
    if unless_current and is_current(Path(resolved.output_dir), resolved, splits):
        typer.echo(f"{resolved.output_dir} holds a model trained with this configuration and data: nothing to do")
        return
    check_output_folder(resolved.output_dir, force, finished=("model.safetensors", "metrics.json"),
                        remedy="it holds a finished model: pass --force to train again and replace it")
    check_replaceable(Path(resolved.output_dir))
    check_splits(resolved.data, splits)
    shown = resolved.to_dict()
    if resolved.model.base_model != "tiny-random":  # the test encoder's sizes mean nothing for a real one
        del shown["model"]["tiny"]
    typer.echo("resolved configuration:\n" + yaml.safe_dump(shown, sort_keys=False))
    try:
        result = train(resolved, splits=splits, discard_stale_checkpoints=force)
    except StaleCheckpointsError as error:
        overrides = "".join(f" --set {item}" for item in set_ or [])
        raise ClauseclfError(f"{error}: clauseclf train {config} --output {resolved.output_dir}{overrides} --force") from None
    embedding = (f", {result.embedding_seconds:.0f} s embedding the annotated clauses" if result.embedding_seconds
                 else "")
    facts = f", then {result.facts_seconds:.0f} s fitting the clause facts" if result.facts_seconds else ""
    typer.echo(f"wrote {result.output_dir}: {result.seconds - result.embedding_seconds:.0f} s fine-tuning and "
               f"calibrating{embedding}{facts}; thresholds {result.thresholds}")
    for split, metrics in result.metrics.items():
        per_label = ", ".join(f"{k} {v['f1']:.2f}" for k, v in metrics["per_label"].items())
        typer.echo(f"{split}: macro-F1 {metrics['macro_f1']:.3f}, micro-F1 {metrics['micro_f1']:.3f} ({per_label})")
