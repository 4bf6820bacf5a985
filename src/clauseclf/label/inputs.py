"""What `clauseclf label` reads: bills (cut into clauses by segment/), clause tables, and folders of both.

Clause tables are streamed row by row, so a 100,000-clause JSONL file never sits in
memory. A row that cannot be read stops the run with its file and line: a
clause is never skipped silently.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from clauseclf.errors import InputError
from clauseclf.schema import Clause
TABLE_SUFFIXES = frozenset({".jsonl", ".csv"})
# Bills are read and cut into clauses by segment/ (imported only when a bill is read:
# its PDF and DOCX readers are slow to import).
BILL_SUFFIXES = frozenset({".txt", ".pdf", ".docx", ".html", ".htm", ".xml"})
# Columns that name a clause; everything else in a row is carried through.
ID_COLUMNS = ("clause_id", "id")


def expand_inputs(paths: list[Path]) -> list[Path]:
    """Files in the order given; a folder contributes its supported files, sorted by path."""
    files = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _supported(p))
            if not found:
                raise InputError(path, "folder holds no supported file",
                                 hint=f"expected {', '.join(sorted(BILL_SUFFIXES | TABLE_SUFFIXES))}")
            files += found
        elif not path.exists():
            raise InputError(path, "file not found")
        elif not _supported(path):
            raise InputError(path, f"unsupported file type '{path.suffix}'",
                             hint=f"expected {', '.join(sorted(BILL_SUFFIXES | TABLE_SUFFIXES))}")
        else:
            files.append(path)
    return files


def _supported(path: Path) -> bool:
    return path.suffix.lower() in BILL_SUFFIXES | TABLE_SUFFIXES


def iter_clauses(paths: list[Path]) -> Iterator[Clause]:
    for path in expand_inputs(paths):
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            yield from iter_jsonl_clauses(path)
        elif suffix == ".csv":
            yield from iter_csv_clauses(path)
        else:
            from clauseclf.segment import read_document

            yield from read_document(path).clauses


def _check_readable(path: Path) -> None:
    if path.stat().st_size == 0:
        raise InputError(path, "file is empty")
    with open(path, "rb") as stream:
        if b"\x00" in stream.read(8192):
            raise InputError(path, "looks like a binary file, not text", hint="expected UTF-8 JSONL or CSV")


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with open(path, "rb") as stream:
        for number, raw in enumerate(stream, start=1):
            try:
                yield number, raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise InputError(path, "invalid UTF-8", line=number, hint="re-save the file as UTF-8") from None


def iter_jsonl_clauses(path: Path) -> Iterator[Clause]:
    _check_readable(path)
    for number, line in _lines(path):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(path, f"malformed JSON line ({error.msg} at column {error.colno})", line=number,
                             hint="fix or remove the line; every line must be one JSON object") from None
        yield _clause_from_row(path, number, row)


def iter_csv_clauses(path: Path) -> Iterator[Clause]:
    _check_readable(path)
    with open(path, encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        try:
            fieldnames = reader.fieldnames
            if not fieldnames or "text" not in fieldnames:
                raise InputError(path, f"no 'text' column (columns: {', '.join(fieldnames or [])})", line=1,
                                 hint="name the clause column 'text'")
            for row in reader:
                if None in row:
                    raise InputError(path, "more fields than the header has", line=reader.line_num)
                yield _clause_from_row(path, reader.line_num, row)
        except UnicodeDecodeError:
            raise InputError(path, "invalid UTF-8", hint="re-save the file as UTF-8") from None


def _clause_from_row(path: Path, line: int, row: object) -> Clause:
    if not isinstance(row, dict):
        raise InputError(path, "expected a JSON object with a 'text' field", line=line)
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(path, "'text' is missing or empty", line=line, hint="every row needs the clause's text")
    clause_id = next((str(row[c]) for c in ID_COLUMNS if row.get(c) not in (None, "")), f"{path.stem}:{line}")
    heading = row.get("heading")
    extra = {k: v for k, v in row.items() if k not in {"text", "clause_id", "doc_id", "unit", "heading", "start", "end"}}
    return Clause(
        doc_id=str(row.get("doc_id") or path.stem), clause_id=clause_id, text=text,
        unit=str(row.get("unit") or ""), heading=heading if isinstance(heading, list) else [],
        start=_int_or_none(row.get("start")), end=_int_or_none(row.get("end")), extra=extra,
    )


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
