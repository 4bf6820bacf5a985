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
    ocr: Annotated[bool, typer.Option("--ocr", help="Read the pages of a PDF that have no text layer (scans) with Tesseract; clauses from pages of low OCR confidence are marked for review.")] = False,
    ocr_language: Annotated[str, typer.Option("--ocr-language", help="Tesseract's language code for --ocr: eng, fra, spa, ell (Greek)...")] = "eng",
    show_removed: Annotated[bool, typer.Option("--show-removed", help="List every line left out of the clauses (running headers, page numbers, contents, site navigation...), with its page and line, on stderr.")] = False,
) -> None:
    """Cut a bill into the clauses `clauseclf label` would score, and print them.

    A clause is a subsection, a section without subsections, an article's paragraph or one definition.
    Lists stay with their lead-in. Notes about the file go to stderr, with how many lines were left out
    of the clauses and why; --show-removed lists them, so that a reviewer can see no statute text went.

    Example: clauseclf segment data/examples/ke_computer_misuse_and_cybercrimes_act_2018.txt
    """
    from clauseclf.segment import read_document

    if format not in FORMATS:
        raise typer.BadParameter(f"'{format}' is not one of {', '.join(FORMATS)}", param_hint="--format")
    from clauseclf.segment.conservation import summary

    document = read_document(file, ocr=ocr, ocr_language=ocr_language)
    for note in document.notes:
        typer.echo(f"note: {file}: {note}", err=True)
    typer.echo(f"removed: {file}: {summary(document.removed)} (the rest of the text is in the clauses"
               f"{'' if show_removed else '; --show-removed lists them'})", err=True)
    if show_removed:
        for line in document.removed:
            typer.echo(f"  {_place(line):<16} {line.reason:<32} {line.text}", err=True)
    if format == "jsonl":
        for clause in document.clauses:
            record = asdict(clause)
            record.pop("extra")
            typer.echo(json.dumps(record, ensure_ascii=False))
        return
    typer.echo(render_table(document))


def _place(line) -> str:
    """ "page 3, line 41", "line 41", "page 3" or "" for a removed line."""
    parts = [f"page {line.page}" if line.page is not None else "", f"line {line.line}" if line.line is not None else ""]
    return ", ".join(filter(None, parts))


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
