"""`clauseclf segment FILE`: show the clauses a bill is cut into, without running a model (clauseclf.segment)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from clauseclf.cli._util import user_errors

FORMATS = ("table", "jsonl")


@user_errors
def segment_command(
    file: Annotated[Path, typer.Argument(help="A bill: .txt, .pdf, .docx, .html/.htm or Akoma Ntoso .xml.")],
    format: Annotated[str, typer.Option("--format", help="table (unit, heading, start of the text) or jsonl (one clause per line, with offsets).")] = "table",
) -> None:
    """Cut a bill into the clauses `clauseclf label` would score, and print them.

    A clause is a subsection, a section without subsections, an article's paragraph or one definition.
    Lists stay with their lead-in. Notes about the file go to stderr.

    Example: clauseclf segment data/examples/ke_computer_misuse_and_cybercrimes_act_2018.txt
    """
    from clauseclf.segment import read_document

    if format not in FORMATS:
        raise typer.BadParameter(f"'{format}' is not one of {', '.join(FORMATS)}", param_hint="--format")
    document = read_document(file)
    for note in document.notes:
        typer.echo(f"note: {file}: {note}", err=True)
    if format == "jsonl":
        for clause in document.clauses:
            record = asdict(clause)
            record.pop("extra")
            typer.echo(json.dumps(record, ensure_ascii=False))
        return
    typer.echo(render_table(document))


def render_table(document) -> str:
    """A fixed-width table: one clause a row, its text cut to fit an 120-column terminal."""
    width = min(32, max([len("unit")] + [len(c.unit) for c in document.clauses]))
    rows = [f"{'unit':<{width}}  {'heading':<28}  text"]
    for clause in document.clauses:
        heading = clause.heading[-1] if clause.heading else ""
        heading = heading if len(heading) <= 28 else heading[:27] + "…"
        text = clause.text if len(clause.text) <= 70 else clause.text[:69] + "…"
        unit = clause.unit if len(clause.unit) <= width else clause.unit[:width - 1] + "…"
        rows.append(f"{unit:<{width}}  {heading:<28}  {text}")
    rows.append(f"{len(document.clauses)} clauses from {document.path} ({document.format})")
    return "\n".join(rows)
