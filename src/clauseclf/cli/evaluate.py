"""`clauseclf evaluate MODEL DATA`: score a model folder beside the baselines (clauseclf.evaluate)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from clauseclf.cli._util import user_errors


@user_errors
def evaluate_command(
    model_dir: Annotated[Path, typer.Argument(help="Model folder written by `clauseclf train`.")],
    data: Annotated[Path, typer.Argument(help="Annotated clauses (.jsonl/.csv) the model did not train on.")],
    output: Annotated[Path, typer.Option(help="Folder for report.json and report.md.")] = Path("reports"),
    batch_size: Annotated[int, typer.Option(help="Clauses per forward pass.")] = 32,
    include_seen: Annotated[bool, typer.Option(help="Keep clauses the model trained or tuned on (e.g. the dev split); the report flags them.")] = False,
    quantize: Annotated[str, typer.Option(help="Also label DATA with int8 weights and report how far labels and macro-F1 move from fp32 (quantization.json).")] = "none",
    unseen_jurisdictions: Annotated[bool, typer.Option(help="Also leave out every clause of a jurisdiction the model trained or tuned on (its split.json): a figure for countries it never saw.")] = False,
    force: Annotated[bool, typer.Option(help="Write into an OUTPUT folder that is not empty, overwriting its reports.")] = False,
):
    """Score a model on annotated data beside the keyword and TF-IDF baselines.

    Clauses the model trained or tuned on are left out and counted in the report.

    Example: clauseclf evaluate models/default runs/split/test.jsonl --output reports/test

    Example (48 countries the seed corpus lacks): clauseclf evaluate models/default
    data/corpus/extension.jsonl --unseen-jurisdictions --output reports/new-countries
    """
    from clauseclf.evaluate.report import evaluate_model
    from clauseclf.outputs import check_output_folder

    check_output_folder(output, force, remedy="pass --force to overwrite its reports")

    result = evaluate_model(model_dir, data, output, batch_size, include_seen, unseen_jurisdictions)
    for name, metrics in result.report["systems"].items():
        typer.echo(f"{name:<32} macro-F1 {metrics['macro_f1']:.3f}  micro-F1 {metrics['micro_f1']:.3f}")
    typer.echo(f"wrote {result.json_path} and {result.markdown_path}")
    if quantize != "none":
        from clauseclf.evaluate.quantization import check_model_folder_quantization

        check, path = check_model_folder_quantization(model_dir, data, output, quantize, batch_size, include_seen)
        typer.echo(f"{quantize} vs fp32 on the same {check.clauses} clauses: macro-F1 {check.quantised_macro_f1:.3f} vs "
                   f"{check.fp32_macro_f1:.3f} ({check.macro_f1_difference:+.3f}); same labels on "
                   f"{check.label_agreement:.1%} of clauses; largest score change {check.max_score_change:.4f}")
        typer.echo(f"wrote {path}")
