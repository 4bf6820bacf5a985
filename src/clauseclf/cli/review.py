"""The review commands: `clauseclf report`, `export`, `import` and `review serve|export` (clauseclf.review)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated, Optional

import typer

from clauseclf.cli._util import user_errors
from clauseclf.errors import ClauseclfError


def _check_format(fmt: str) -> str:
    from clauseclf.review.interop import FORMATS

    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return fmt


def _default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or password database
        return ""


@user_errors
def report_command(
    predictions: Annotated[Path, typer.Argument(help="Predictions JSONL written by `clauseclf label`.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")],
    title: Annotated[str, typer.Option(help="Heading of the report (default: the predictions file name).")] = "",
    force: Annotated[bool, typer.Option(help="Overwrite an existing output file.")] = False,
):
    """Write one self-contained HTML report of a predictions file, riskiest clauses first.

    The report filters by label, shows each label's score as a bar, marks the
    evidence in the clause text, places each clause in the bill's structure, and
    opens with a table and a chart per label. It makes no network request.

    Example: clauseclf report predictions.jsonl --output report.html
    """
    from clauseclf.review.report import write_report

    path = write_report(predictions, output, force=force, title=title)
    typer.echo(f"wrote {path}")


@user_errors
def export_command(
    predictions: Annotated[Path, typer.Argument(help="Predictions JSONL written by `clauseclf label`.")],
    output_format: Annotated[str, typer.Option("--format", help="label-studio (tasks with predictions) or argilla (records with suggestions).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The JSON file to write.")],
    force: Annotated[bool, typer.Option(help="Overwrite an existing output file.")] = False,
):
    """Export predictions for review in Label Studio or Argilla (docs/review.md shows the project setup).

    Example: clauseclf export predictions.jsonl --format label-studio --output tasks.json
    """
    from clauseclf.review.interop import export_predictions

    count = export_predictions(predictions, output, _check_format(output_format), force=force)
    typer.echo(f"wrote {count} {output_format} items to {output}")


@user_errors
def import_command(
    file: Annotated[Path, typer.Argument(help="Label Studio JSON export, or Argilla records saved as JSON.")],
    input_format: Annotated[str, typer.Option("--format", help="label-studio or argilla.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Corpus JSONL to write, ready for `clauseclf train`.")],
    labels: Annotated[Optional[Path], typer.Option(help="Label schema YAML the annotations must use (default: the packaged one).")] = None,
    choices_name: Annotated[str, typer.Option(help="Label Studio: name of the Choices control that holds the labels, where the project renamed it.")] = "labels",
    comment_name: Annotated[str, typer.Option(help="Name of the comment control (Label Studio) or question (Argilla), where renamed.")] = "comment",
    question: Annotated[Optional[list[str]], typer.Option(help="Argilla: LABEL=NAME where the dataset's question for LABEL has another name (repeat per label).")] = None,
    only_submitted: Annotated[bool, typer.Option(help="Argilla: the file holds submitted responses only, so a response without a 'status' counts.")] = False,
    force: Annotated[bool, typer.Option(help="Overwrite an existing output file.")] = False,
):
    """Bring annotations made in Label Studio or Argilla back as annotated corpus records.

    The file must use the controls (Label Studio) or questions (Argilla) that
    `clauseclf export` set up, or name them with the options; anything else is
    refused, never dropped. Items nobody answered, cancelled annotations and
    draft or discarded Argilla responses are left out and counted. A clause gets
    no label only where the reviewer ticked `none` (Label Studio) or answered no
    to every label (Argilla). The reviewer's comment becomes the rationale.

    Argilla's Record.to_dict() drops each response's status; save it back with
    [{**r.to_dict(), "responses": {q: [{"value": a.value, "user_id": str(a.user_id),
    "status": a.status.value} for a in r.responses[q]] for q in {a.question_name
    for a in r.responses}}} for r in dataset.records(with_responses=True)].

    Example: clauseclf import project-1-export.json --format label-studio --output reviewed.jsonl
    """
    from clauseclf.config import resolve_path
    from clauseclf.outputs import check_writable
    from clauseclf.review.interop import import_annotations
    from clauseclf.review.records import write_records
    from clauseclf.schema import LabelSchema

    _check_format(input_format)
    check_writable(output, force)
    names = LabelSchema.from_yaml(labels and resolve_path(labels)).names
    imported = import_annotations(file, input_format, names, choices_name=choices_name, comment_name=comment_name,
                                  questions=_questions(question or [], names), only_submitted=only_submitted)
    skipped = "; ".join(f"{reason}: {count}" for reason, count in imported.skipped.items())
    if not imported.records:
        raise ClauseclfError(f"{file}: no annotation to import ({skipped or 'the file holds no item'}); "
                             f"nothing written")
    write_records(imported.records, output, force=force)
    typer.echo(f"wrote {len(imported.records)} annotated records to {output}")
    for reason, count in imported.skipped.items():
        typer.echo(f"skipped {reason}: {count}")


def _questions(pairs: list[str], labels: list[str]) -> dict[str, str]:
    questions = {}
    for pair in pairs:
        label, _, name = pair.partition("=")
        if not name or label not in labels:
            raise typer.BadParameter(f"--question takes LABEL=NAME with LABEL one of {', '.join(labels)}, not {pair!r}")
        questions[label] = name
    return questions


review_app = typer.Typer(help="Walk flagged clauses in a local web page and keep every verdict in SQLite.",
                         no_args_is_help=True)


@review_app.command("serve")
@user_errors
def review_serve_command(
    predictions: Annotated[Path, typer.Argument(help="Predictions JSONL written by `clauseclf label`.")],
    db: Annotated[Path, typer.Option(help="SQLite file for the verdicts; created if absent, resumed if present.")] = Path("review.sqlite"),
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 8765,
    host: Annotated[str, typer.Option(help="Address to bind; the default keeps the page on this machine (any other is warned about: it opens the queue to the network).")] = "127.0.0.1",
    reviewer: Annotated[str, typer.Option(help="Name the page suggests for the verdicts (default: your user name).")] = "",
):
    """Serve the review queue: the most uncertain and most severe clauses first.

    Accept or correct each clause's labels and add a comment, by mouse or keyboard
    (press ? on the page). Every verdict is committed to DB as it is saved, with
    the reviewer's name and the time; stop with Ctrl+C and serve again to resume.

    Example: clauseclf review serve predictions.jsonl --db review.sqlite --port 8765
    """
    from clauseclf.review.records import read_predictions
    from clauseclf.review.store import ReviewStore

    if not 0 <= port <= 65535:  # a socket takes the port modulo 65536: 70000 would serve on 4464
        raise ClauseclfError(f"--port {port}: a port is 0 to 65535 (0: any free port)")
    records = read_predictions(predictions)
    store = ReviewStore(db)
    try:
        store.load(records)
        server = _bind(store, host, port, reviewer or _default_reviewer())
        if server.warning:
            typer.secho(f"WARNING: {server.warning}", fg=typer.colors.RED, bold=True, err=True)
        typer.echo(f"review queue of {len(records)} clauses at {server.url} (verdicts in {db}); Ctrl+C stops")
        try:
            server.serve_forever()  # returns on Ctrl+C (the server stops its own loop)
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
        typer.echo(f"stopped; {store.verdict_count()} verdicts kept in {db}")
    finally:
        store.close()


def _bind(store, host: str, port: int, reviewer: str):
    from clauseclf.review.server import ReviewServer

    try:
        return ReviewServer(store, host, port, reviewer)
    except OSError as error:
        raise ClauseclfError(f"cannot listen on {host}:{port} ({error.strerror}); try another --port") from None


@review_app.command("export")
@user_errors
def review_export_command(
    db: Annotated[Path, typer.Option(help="SQLite file written by `clauseclf review serve`.")] = Path("review.sqlite"),
    output: Annotated[Path, typer.Option("--output", "-o", help="Corpus JSONL to write, ready for `clauseclf train`.")] = Path("reviewed.jsonl"),
    force: Annotated[bool, typer.Option(help="Overwrite an existing output file.")] = False,
):
    """Write every reviewed clause (its latest verdict) as an annotated corpus record.

    The record keeps the clause's fields, takes the reviewer's labels, the evidence
    for them, and the comment as its rationale; `review` says who decided and when.

    Example: clauseclf review export --db review.sqlite --output reviewed.jsonl
    """
    from clauseclf.review.store import export_reviewed

    count = export_reviewed(db, output, force=force)
    typer.echo(f"wrote {count} reviewed clauses to {output}")
