"""`clauseclf label INPUTS`: label every clause of bills or tables with a model folder (clauseclf.label)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from clauseclf.cli._util import user_errors


@user_errors(on_interrupt="interrupted: run the same command with --resume to finish")
def label_command(
    inputs: Annotated[Optional[list[Path]], typer.Argument(help="Bills (.txt .pdf .docx .html .xml), clause tables (.jsonl .csv with a 'text' column), or folders of them.")] = None,
    model: Annotated[Path, typer.Option(help="Model folder written by `clauseclf train`.")] = Path("models/default"),
    output: Annotated[Path, typer.Option(help="Predictions file: one line (or row) per clause, in input order.")] = Path("predictions.jsonl"),
    output_format: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    force: Annotated[bool, typer.Option(help="Overwrite an existing output file (an output folder of --dataset only if it holds an earlier labelled dataset).")] = False,
    resume: Annotated[bool, typer.Option(help="Finish an interrupted run, keeping the clauses already written.")] = False,
    batch_size: Annotated[Optional[int], typer.Option(help="Clauses per forward pass (default: 16 on CPU, one batch per core at a time; 128 on a GPU).")] = None,
    quantize: Annotated[str, typer.Option(help="none, or int8: about 1.5x faster than fp32 on an AVX2 CPU, about 3x with VNNI; 2-10% of clauses change labels, see `clauseclf evaluate --quantize int8`.")] = "none",
    device: Annotated[str, typer.Option(help="auto (a GPU if there is one), cpu, cuda, cuda:1, ...")] = "auto",
    precision: Annotated[str, typer.Option(help="auto (bf16/fp16 autocast on a GPU, fp32 on CPU), fp32, bf16 or fp16.")] = "auto",
    dataset: Annotated[Optional[Path], typer.Option(help="Label a `datasets` corpus instead (save_to_disk folder, .parquet, .arrow, .jsonl); OUTPUT gains scores/labels columns.")] = None,
    summary: Annotated[int, typer.Option(help="How many flagged clauses to print at the end.")] = 10,
    ocr: Annotated[bool, typer.Option("--ocr", help="Read the pages of PDF bills that have no text layer (scans) with Tesseract; clauses from pages of low OCR confidence need review.")] = False,
    ocr_language: Annotated[str, typer.Option("--ocr-language", help="Tesseract's language code for --ocr: eng, fra, spa, ell (Greek)...")] = "eng",
):
    """Label every clause of the inputs and write one prediction per clause.

    Nothing appears at OUTPUT until the run is complete; an interrupted run can be
    finished with --resume, by the same model. While a run writes OUTPUT it holds
    OUTPUT.lock, and a second run on the same OUTPUT is refused. Under `accelerate launch` each process labels a share
    of the clauses and process 0 merges them in input order (docs/performance.md).

    Example: clauseclf label data/examples --model models/default --output predictions.jsonl
    """
    from contextlib import nullcontext

    from tqdm import tqdm

    from clauseclf.assess.facts import facts_for_labelling
    from clauseclf.label.files import own_files
    from clauseclf.label.sharding import current_plan, label_to_output
    from clauseclf.model.folder import check_model_folder, load_model_folder
    from clauseclf.model.runtime import prepare
    from clauseclf.outputs import check_writable, exclusive_output

    if output_format not in ("jsonl", "csv"):
        raise typer.BadParameter("--format must be jsonl or csv")
    if bool(inputs) == bool(dataset):
        raise typer.BadParameter("give either INPUTS or --dataset, not both or neither")
    plan = current_plan()
    # Process 0 holds OUTPUT.lock from here to the end: a second run on the same output is refused at once.
    with exclusive_output(output) if plan.is_main else nullcontext():
        # Inputs, output and model folder are checked before the model's weights load.
        if dataset:
            from clauseclf.label.dataset import check_dataset_output, label_dataset, load_dataset_input

            check_dataset_output(output, force)
            table = load_dataset_input(dataset)
        else:
            from clauseclf.label.inputs import check_inputs, read_inputs

            if plan.is_main:
                check_writable(output, force=force)
            files = check_inputs(inputs, skip=own_files(output))
        check_model_folder(model)
        # Under accelerate each process takes the device it was given, unless --device names one.
        target = plan.device if device == "auto" and plan.device is not None else device
        loaded, runtime = prepare(load_model_folder(model), device=target, precision=precision, quantize=quantize)
        batch_size = batch_size or runtime.batch_size
        # The kind and power of overbroad clauses, read by the encoder the combiner's embedding signals hold, if any.
        embedding = loaded.combiner.embedding if loaded.combiner is not None else None
        loaded.facts = facts_for_labelling(model, runtime.device, embedding.embed.encoder if embedding else None)
        if dataset:
            rows = label_dataset(loaded, table, output, plan, runtime, batch_size, force=force)
            if plan.is_main:
                typer.echo(f"wrote {rows} labelled rows to {output}")
            return
        with tqdm(desc="labelling", unit="clause", disable=not plan.is_main) as bar:
            result = label_to_output(loaded, read_inputs(files, ocr, ocr_language), output, plan, output_format=output_format,
                                     force=force, resume=resume, batch_size=batch_size, on_progress=bar.update,
                                     runtime=runtime)
    if plan.is_main:
        _print_label_summary(result, summary, loaded.max_length)
        typer.echo(f"labelled {result.clauses - result.resumed_from} clauses in {result.seconds:.1f} s "
                   f"({result.clauses_per_second:.1f} clauses/s, {plan.count} process(es), {loaded.name})")


def _print_label_summary(result, limit: int, max_length: int) -> None:
    resumed = f" ({result.resumed_from} kept from the interrupted run)" if result.resumed_from else ""
    typer.echo(f"wrote {result.clauses} predictions to {result.output}{resumed}")
    counts = ", ".join(f"{label} {n}" for label, n in sorted(result.label_counts.items())) or "none"
    typer.echo(f"flags: {counts}; {result.needs_review} clause(s) need review")
    if result.read_in_part:
        typer.echo(f"{result.read_in_part} clause(s) are longer than the {max_length} word pieces the model reads: "
                   "it labelled them from their start (tokens_read < tokens in the output; their evidence is "
                   "quoted from the whole clause)")
    if result.flagged:
        typer.echo("most flagged clauses (all are in the output; `clauseclf report` shows them with their evidence):")
    for prediction in result.flagged[:limit]:
        where = prediction.unit or prediction.clause_id
        typer.echo(f"  {prediction.doc_id} {where}: {', '.join(prediction.labels)} | {prediction.text[:90]}...")
