"""The `clauseclf` command: a thin layer over the library, which owns the terminal.

Heavy libraries (torch, transformers) are imported inside the commands, so that
`clauseclf --help` answers at once.
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from clauseclf.errors import ClauseclfError

# Quiet transformers' load reports and hub progress bars; a user can still override both.
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

app = typer.Typer(
    help="Flag the clauses of cybercrime bills that human-rights analysts must review.\n\n"
    "Typical loop: `clauseclf train configs/train/default.yaml`, then "
    "`clauseclf label data/examples --model models/default --output predictions.jsonl`.",
    no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
)
data_app = typer.Typer(help="Check, count and split annotated corpora (JSONL or CSV).", no_args_is_help=True)
app.add_typer(data_app, name="data")


def user_errors(command):
    """Turn the library's typed errors into one line on stderr and a non-zero exit, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        _configure_logging()
        try:
            return command(*args, **kwargs)
        except ClauseclfError as error:
            typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            typer.secho("interrupted: run the same command with --resume to finish", err=True)
            raise typer.Exit(130) from None

    return wrapper


def _configure_logging() -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")


# ----------------------------------------------------------------------------- data


@data_app.command("validate")
@user_errors
def data_validate(path: Annotated[Path, typer.Argument(help="Corpus file, .jsonl or .csv.")],
                  labels: Annotated[Optional[Path], typer.Option(help="Label schema YAML (default: the packaged one).")] = None):
    """Check every record of a corpus against the schema; list each bad record by file and line.

    Example: clauseclf data validate data/corpus/clauses.jsonl
    """
    from clauseclf import corpus
    from clauseclf.config import resolve_path
    from clauseclf.schema import LabelSchema

    count, problems = corpus.validate(path, LabelSchema.from_yaml(labels and resolve_path(labels)))
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        typer.secho(f"{len(problems)} problem(s) in {count} records of {path}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    typer.echo(f"{path}: {count} records, all valid")


@data_app.command("stats")
@user_errors
def data_stats(path: Annotated[Path, typer.Argument(help="Corpus file, .jsonl or .csv.")],
               labels: Annotated[Optional[Path], typer.Option(help="Label schema YAML (default: the packaged one).")] = None):
    """Print counts per label, kind, language and jurisdiction.

    Example: clauseclf data stats data/corpus/clauses.jsonl
    """
    from clauseclf import corpus
    from clauseclf.config import resolve_path
    from clauseclf.schema import LabelSchema

    counts = corpus.stats(corpus.load_corpus(path, LabelSchema.from_yaml(labels and resolve_path(labels))), LabelSchema.from_yaml(labels and resolve_path(labels)))
    for section, counter in counts.items():
        typer.echo(f"{section}:")
        for key, value in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
            typer.echo(f"  {key:<20} {value}")


@data_app.command("split")
@user_errors
def data_split(path: Annotated[Path, typer.Argument(help="Corpus file, .jsonl or .csv.")],
               out: Annotated[Path, typer.Option("--out", help="Folder for train.jsonl, dev.jsonl, test.jsonl.")],
               dev_fraction: Annotated[float, typer.Option(help="Share of clauses for dev.")] = 0.15,
               test_fraction: Annotated[float, typer.Option(help="Share of clauses for test.")] = 0.15,
               seed: Annotated[int, typer.Option(help="Shuffle seed; the same seed gives the same split.")] = 13,
               force: Annotated[bool, typer.Option(help="Overwrite existing split files.")] = False,
               labels: Annotated[Optional[Path], typer.Option(help="Label schema YAML (default: the packaged one).")] = None):
    """Write train/dev/test splits by jurisdiction: no jurisdiction appears in two splits.

    Example: clauseclf data split data/corpus/clauses.jsonl --out runs/split
    """
    from clauseclf import corpus
    from clauseclf.config import resolve_path
    from clauseclf.outputs import check_writable
    from clauseclf.schema import LabelSchema

    records = corpus.load_corpus(path, LabelSchema.from_yaml(labels and resolve_path(labels)))
    splits = corpus.split_by_jurisdiction(records, dev_fraction, test_fraction, seed)
    for name, split in splits.items():
        target = check_writable(out / f"{name}.jsonl", force)
        corpus.write_jsonl(split, target)
        groups = sorted({corpus.group_of(r) for r in split})
        typer.echo(f"{target}: {len(split)} clauses from {len(groups)} jurisdictions")


@data_app.command("import")
@user_errors
def data_import(collection: Annotated[Path, typer.Argument(help="Folder of a checked-out legislation collection (data/seed/*.json).")],
                jurisdiction: Annotated[str, typer.Option(help="ISO 3166-1 alpha-2 code of the collection's country.")],
                repository: Annotated[str, typer.Option(help="The public repository it came from, as owner/name.")],
                output: Annotated[Path, typer.Option(help="JSONL file of clause records (text and provenance, no labels).")],
                commit: Annotated[Optional[str], typer.Option(help="Commit read; found with git when the folder is a checkout.")] = None,
                file: Annotated[Optional[list[str]], typer.Option(help="Only these statute files (paths inside the collection); repeatable.")] = None,
                all_instruments: Annotated[bool, typer.Option(help="Keep instruments outside the relevant fields too.")] = False,
                known: Annotated[Optional[list[Path]], typer.Option(help="Corpus whose clauses are skipped as duplicates; repeatable.")] = None,
                max_chars: Annotated[int, typer.Option(help="Skip (and count) clauses longer than this.")] = 6000,
                lang: Annotated[str, typer.Option(help="ISO 639-1 code of the text; guessed (English or not) when left out.")] = "",
                force: Annotated[bool, typer.Option(help="Overwrite OUTPUT.")] = False):
    """Cut a public bulk legislation collection into clause records to annotate.

    Reads the statutes of an Ansvar-Systems `*-law-mcp` repository (data/seed/*.json), keeps the
    instruments of the relevant fields (penal and criminal procedure codes, cyber, communications,
    interception, terrorism, media, mutual legal assistance ...), cuts each section into the clause
    units of ANNOTATION.md with the project's segmenter, and writes one record per clause with its
    provenance (repository, commit, path, section) in `source`. Empty provisions, duplicates and
    overlong clauses are counted, malformed files named; a reserved jurisdiction is refused.

    Example: clauseclf data import singapore-law-mcp --jurisdiction SG --repository Ansvar-Systems/singapore-law-mcp --output runs/import/sg.jsonl
    """
    from clauseclf import corpus
    from clauseclf.corpus.importer import Provenance, collection_commit, import_collection, refuse_reserved
    from clauseclf.outputs import check_writable

    refuse_reserved(collection, jurisdiction)
    target = check_writable(output, force)
    known_texts = {corpus.text_fingerprint(row["text"]) for path in known or []
                   for _, row, _ in corpus.read_rows(path) if row and isinstance(row.get("text"), str)}
    provenance = Provenance(repository, commit or collection_commit(collection))
    result = import_collection(collection, jurisdiction, provenance, lang=lang, all_instruments=all_instruments,
                               max_chars=max_chars, known_texts=known_texts, files=file)
    corpus.write_jsonl(result.records, target)
    for problem in result.problems:
        typer.echo(f"skipped {problem}", err=True)
    typer.echo(f"{target}: {len(result.records)} clauses from {result.instruments} instruments")
    for reason, count in sorted(result.skipped.items(), key=lambda kv: -kv[1]):
        typer.echo(f"  skipped {count:>6}  {reason}")


# ----------------------------------------------------------------------------- train / evaluate


@app.command("train")
@user_errors
def train_command(
    config: Annotated[Path, typer.Argument(help="Training config YAML, e.g. configs/train/default.yaml.")],
    output: Annotated[Optional[Path], typer.Option(help="Model folder to write (default: the config's output_dir).")] = None,
    set_: Annotated[Optional[list[str]], typer.Option("--set", help="Override a config key: --set training.epochs=3 (repeatable).")] = None,
):
    """Fine-tune a multi-label clause classifier and write a model folder.

    Resumes from the last epoch checkpoint if a previous run was interrupted.
    On several GPUs: accelerate launch -m clauseclf.cli train CONFIG.

    Example: clauseclf train configs/train/default.yaml --output models/default
    """
    import yaml

    from clauseclf.config import load_train_config
    from clauseclf.training import train

    resolved = load_train_config(config, set_)
    if output:
        resolved.output_dir = str(output)
    typer.echo("resolved configuration:\n" + yaml.safe_dump(resolved.to_dict(), sort_keys=False))
    result = train(resolved)
    typer.echo(f"wrote {result.output_dir} in {result.seconds:.0f} s; thresholds {result.thresholds}")
    for split, metrics in result.metrics.items():
        per_label = ", ".join(f"{k} {v['f1']:.2f}" for k, v in metrics["per_label"].items())
        typer.echo(f"{split}: macro-F1 {metrics['macro_f1']:.3f}, micro-F1 {metrics['micro_f1']:.3f} ({per_label})")


@app.command("evaluate")
@user_errors
def evaluate_command(
    model_dir: Annotated[Path, typer.Argument(help="Model folder written by `clauseclf train`.")],
    data: Annotated[Path, typer.Argument(help="Annotated clauses (.jsonl/.csv) the model did not train on.")],
    output: Annotated[Path, typer.Option(help="Folder for report.json and report.md.")] = Path("reports"),
    batch_size: Annotated[int, typer.Option(help="Clauses per forward pass.")] = 32,
    include_seen: Annotated[bool, typer.Option(help="Keep clauses the model trained or tuned on (e.g. the dev split); the report flags them.")] = False,
    quantize: Annotated[str, typer.Option(help="Also label DATA with int8 weights and report how far labels and macro-F1 move from fp32 (quantization.json).")] = "none",
    unseen_jurisdictions: Annotated[bool, typer.Option(help="Also leave out every clause of a jurisdiction the model trained or tuned on (its split.json): a figure for countries it never saw.")] = False,
):
    """Score a model on annotated data beside the keyword and TF-IDF baselines.

    Clauses the model trained or tuned on are left out and counted in the report.

    Example: clauseclf evaluate models/default runs/split/test.jsonl --output reports/test

    Example (48 countries the seed corpus lacks): clauseclf evaluate models/default
    data/corpus/extension.jsonl --unseen-jurisdictions --output reports/new-countries
    """
    from clauseclf.evaluation import evaluate_model

    result = evaluate_model(model_dir, data, output, batch_size, include_seen, unseen_jurisdictions)
    for name, metrics in result.report["systems"].items():
        typer.echo(f"{name:<32} macro-F1 {metrics['macro_f1']:.3f}  micro-F1 {metrics['micro_f1']:.3f}")
    typer.echo(f"wrote {result.json_path} and {result.markdown_path}")
    if quantize != "none":
        from clauseclf.quantize import check_model_folder_quantization

        check, path = check_model_folder_quantization(model_dir, data, output, quantize, batch_size, include_seen)
        typer.echo(f"{quantize} vs fp32 on the same {check.clauses} clauses: macro-F1 {check.quantised_macro_f1:.3f} vs "
                   f"{check.fp32_macro_f1:.3f} ({check.macro_f1_difference:+.3f}); same labels on "
                   f"{check.label_agreement:.1%} of clauses; largest score change {check.max_score_change:.4f}")
        typer.echo(f"wrote {path}")


# ----------------------------------------------------------------------------- label


@app.command("label")
@user_errors
def label_command(
    inputs: Annotated[Optional[list[Path]], typer.Argument(help="Bills (.txt .pdf .docx .html .xml), clause tables (.jsonl .csv with a 'text' column), or folders of them.")] = None,
    model: Annotated[Path, typer.Option(help="Model folder written by `clauseclf train`.")] = Path("models/default"),
    output: Annotated[Path, typer.Option(help="Predictions file: one line (or row) per clause, in input order.")] = Path("predictions.jsonl"),
    output_format: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    force: Annotated[bool, typer.Option(help="Overwrite an existing output file.")] = False,
    resume: Annotated[bool, typer.Option(help="Finish an interrupted run, keeping the clauses already written.")] = False,
    batch_size: Annotated[Optional[int], typer.Option(help="Clauses per forward pass (default: 16 on CPU, one batch per core at a time; 128 on a GPU).")] = None,
    quantize: Annotated[str, typer.Option(help="none, or int8: about 1.5x faster than fp32 on an AVX2 CPU, about 3x with VNNI; 2-10% of clauses change labels, see `clauseclf evaluate --quantize int8`.")] = "none",
    device: Annotated[str, typer.Option(help="auto (a GPU if there is one), cpu, cuda, cuda:1, ...")] = "auto",
    precision: Annotated[str, typer.Option(help="auto (bf16/fp16 autocast on a GPU, fp32 on CPU), fp32, bf16 or fp16.")] = "auto",
    dataset: Annotated[Optional[Path], typer.Option(help="Label a `datasets` corpus instead (save_to_disk folder, .parquet, .arrow, .jsonl); OUTPUT gains scores/labels columns.")] = None,
    summary: Annotated[int, typer.Option(help="How many flagged clauses to print at the end.")] = 10,
):
    """Label every clause of the inputs and write one prediction per clause.

    Nothing appears at OUTPUT until the run is complete; an interrupted run can be
    finished with --resume. Under `accelerate launch` each process labels a share
    of the clauses and process 0 merges them in input order (docs/performance.md).

    Example: clauseclf label data/examples --model models/default --output predictions.jsonl
    """
    from tqdm import tqdm

    from clauseclf.inference import prepare
    from clauseclf.model_folder import load_model_folder
    from clauseclf.sharding import current_plan, label_to_output

    if output_format not in ("jsonl", "csv"):
        raise typer.BadParameter("--format must be jsonl or csv")
    if bool(inputs) == bool(dataset):
        raise typer.BadParameter("give either INPUTS or --dataset, not both or neither")
    plan = current_plan()
    # Under accelerate each process takes the device it was given, unless --device names one.
    target = plan.device if device == "auto" and plan.device is not None else device
    loaded, runtime = prepare(load_model_folder(model), device=target, precision=precision, quantize=quantize)
    batch_size = batch_size or runtime.batch_size
    if dataset:
        from clauseclf.dataset_labelling import label_dataset

        rows = label_dataset(loaded, dataset, output, plan, runtime, batch_size, force=force)
        if plan.is_main:
            typer.echo(f"wrote {rows} labelled rows to {output}")
        return
    from clauseclf.inputs import iter_clauses

    with tqdm(desc="labelling", unit="clause", disable=not plan.is_main) as bar:
        result = label_to_output(loaded, iter_clauses(inputs), output, plan, output_format=output_format, force=force,
                                 resume=resume, batch_size=batch_size, on_progress=bar.update, runtime=runtime)
    if plan.is_main:
        _print_label_summary(result, summary)
        typer.echo(f"labelled {result.clauses - result.resumed_from} clauses in {result.seconds:.1f} s "
                   f"({result.clauses_per_second:.1f} clauses/s, {plan.count} process(es), {loaded.name})")


def _print_label_summary(result, limit: int) -> None:
    resumed = f" ({result.resumed_from} kept from the interrupted run)" if result.resumed_from else ""
    typer.echo(f"wrote {result.clauses} predictions to {result.output}{resumed}")
    counts = ", ".join(f"{label} {n}" for label, n in sorted(result.label_counts.items())) or "none"
    typer.echo(f"flags: {counts}; {result.needs_review} clause(s) need review")
    if result.flagged:
        typer.echo("most flagged clauses (all are in the output; `clauseclf report` shows them with their evidence):")
    for prediction in result.flagged[:limit]:
        where = prediction.unit or prediction.clause_id
        typer.echo(f"  {prediction.doc_id} {where}: {', '.join(prediction.labels)} | {prediction.text[:90]}...")


# ----------------------------------------------------------------------------- the reviewer's side and the rest
# Commands whose code lives beside the step they serve; registered here so that
# `clauseclf --help` lists every command in one place.

from clauseclf.review.commands import export_command, import_command, report_command, review_app  # noqa: E402
from clauseclf.crossval import crossval_command  # noqa: E402
from clauseclf.segment.command import segment_command  # noqa: E402

app.command("crossval")(user_errors(crossval_command))
app.command("segment")(user_errors(segment_command))
app.command("report")(report_command)
app.command("export")(export_command)
app.command("import")(import_command)
app.add_typer(review_app, name="review")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
