"""What `clauseclf label` reads: bills (cut into clauses by segment/), clause tables, and folders of both.

Clause tables are streamed row by row, so a 100,000-clause JSONL file never sits in
memory. A row that cannot be read stops the run with its file and line: a
clause is never skipped silently. `check_inputs` finds the files and reads the start
of each before any model is loaded, so that a wrong input fails in a second.

A clause's `doc_id` (where its row names none) is its file's stem, or, where several
input files share a stem (`bill.txt`, `bill.pdf`, `sub/bill.html`), the file's path
under its folder: `bill.txt`, `bill.pdf`, `sub/bill.html`.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import json
import logging
import math
import re
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from clauseclf.errors import InputError, one_line
from clauseclf.schema import Clause
from clauseclf.utf8 import Expected, utf8_lines

logger = logging.getLogger(__name__)

TABLE_SUFFIXES = frozenset({".jsonl", ".csv"})
# Bills are read and cut into clauses by segment/ (imported only when a bill is read:
# its PDF and DOCX readers are slow to import).
BILL_SUFFIXES = frozenset({".txt", ".pdf", ".docx", ".html", ".htm", ".xml"})
# Columns that name a clause; everything else in a row is carried through.
ID_COLUMNS = ("clause_id", "id")
# A clause row is flat; its other columns are carried into the prediction and written out with
# json.dumps, whose recursion ends near 1,000 levels. Nothing a table of clauses holds nests this deep.
MAX_NESTING = 64
# What a clause table is, for the messages that refuse a binary file or one that is not UTF-8.
CLAUSE_TABLE = Expected("clause table", "UTF-8 JSON Lines or CSV, one clause a row")


@dataclass(frozen=True)
class InputFile:
    path: Path
    doc_id: str
    """The document id of its clauses where a row names none: unique among the run's files."""


def expand_inputs(paths: list[Path], skip: Collection[Path] = ()) -> list[InputFile]:
    """Files in the order given; a folder contributes its supported files, sorted by path, less `skip`.

    `skip` is what the run itself writes (its output, partial and lock files): an
    output inside an input folder is not read back as input by the next run.
    """
    skipped = {p.resolve() for p in skip}
    found: list[tuple[Path, str]] = []  # (file, its path under the folder given, or as given)
    for path in paths:
        if path.is_dir():
            members = []
            for member in sorted(p for p in path.rglob("*") if p.is_file() and _supported(p)):
                if member.resolve() in skipped:
                    logger.info("%s: left out of the inputs, it is this run's own output", member)
                else:
                    members.append(member)
            if not members:
                raise InputError(path, "folder holds no supported file",
                                 hint=f"expected {', '.join(sorted(BILL_SUFFIXES | TABLE_SUFFIXES))}")
            found += [(member, member.relative_to(path).as_posix()) for member in members]
        elif not path.exists():
            raise InputError(path, "file not found")
        elif not _supported(path):
            raise InputError(path, f"unsupported file type '{path.suffix}'",
                             hint=f"expected {', '.join(sorted(BILL_SUFFIXES | TABLE_SUFFIXES))}")
        else:
            found.append((path, path.as_posix()))
    return _with_doc_ids(found)


def _with_doc_ids(found: list[tuple[Path, str]]) -> list[InputFile]:
    """The stem where it is unique, else the path under its folder, else the whole path."""
    stems = Counter(path.stem for path, _ in found)
    named = Counter(name for path, name in found if stems[path.stem] > 1)
    return [InputFile(path, path.stem if stems[path.stem] == 1 else name if named[name] == 1 else path.as_posix())
            for path, name in found]


def _supported(path: Path) -> bool:
    return path.suffix.lower() in BILL_SUFFIXES | TABLE_SUFFIXES


def check_inputs(paths: list[Path], skip: Collection[Path] = ()) -> list[InputFile]:
    """expand_inputs, then the checks that need no parsing of a whole file, for every file at once.

    A bill is checked for size and type; a table for content and its first row. A
    bad row further down still stops the run when it is reached. Several bad files
    are reported together.
    """
    from clauseclf.segment.document import DEFAULT_MAX_BYTES, check_file

    files = expand_inputs(paths, skip)
    problems: list[InputError] = []
    for file in files:
        try:
            if file.path.suffix.lower() in TABLE_SUFFIXES:
                rows = iter_table_clauses(file)
                next(rows, None)
                rows.close()
            else:
                check_file(file.path, DEFAULT_MAX_BYTES)
        except InputError as error:
            problems.append(error)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InputError(f"{len(problems)} input files", "; ".join(str(p) for p in problems))
    return files


def iter_clauses(paths: list[Path], skip: Collection[Path] = ()) -> Iterator[Clause]:
    yield from read_inputs(expand_inputs(paths, skip))


def read_inputs(files: list[InputFile], ocr: bool = False, ocr_language: str = "eng") -> Iterator[Clause]:
    """The clauses of every input; with `ocr`, scanned PDF pages are read by Tesseract (clauseclf.segment.ocr)."""
    for file in files:
        if file.path.suffix.lower() in TABLE_SUFFIXES:
            yield from iter_table_clauses(file)
        else:
            yield from _bill_clauses(file, ocr, ocr_language)


def iter_table_clauses(file: InputFile) -> Iterator[Clause]:
    if file.path.suffix.lower() == ".jsonl":
        return iter_jsonl_clauses(file.path, file.doc_id)
    return iter_csv_clauses(file.path, file.doc_id)


def _bill_clauses(file: InputFile, ocr: bool = False, ocr_language: str = "eng") -> Iterator[Clause]:
    from clauseclf.segment import read_document

    stem = file.path.stem
    for clause in read_document(file.path, ocr=ocr, ocr_language=ocr_language).clauses:
        if file.doc_id == stem:
            yield clause
            continue
        # The segmenter names a bill's clauses `<stem>:<number>`: they take the unique doc_id instead.
        clause_id = clause.clause_id
        if clause_id.startswith(stem + ":"):
            clause_id = file.doc_id + clause_id[len(stem):]
        yield dataclasses.replace(clause, doc_id=file.doc_id, clause_id=clause_id)


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """(number, text) of each line of a clause table, read one at a time: a binary file or a line that is not
    UTF-8 is an error naming the file (and the line)."""
    if path.stat().st_size == 0:
        raise InputError(path, "file is empty")
    return utf8_lines(path, CLAUSE_TABLE)


def iter_jsonl_clauses(path: Path, doc_id: str | None = None) -> Iterator[Clause]:
    for number, line in _lines(path):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(path, f"malformed JSON line ({error.msg} at column {error.colno})", line=number,
                             hint="fix or remove the line; every line must be one JSON object") from None
        except ValueError as error:  # an integer of over 4,300 digits (sys.get_int_max_str_digits)
            raise InputError(path, f"unreadable JSON line ({error})", line=number,
                             hint="fix or remove the line; every line must be one JSON object") from None
        except RecursionError:
            row = None
        if row is None or _nested_deeper(row, MAX_NESTING):
            raise InputError(path, f"JSON nested deeper than {MAX_NESTING} levels", line=number,
                             hint="a clause row holds its text and flat columns")
        yield _clause_from_row(path, number, row, doc_id or path.stem)


def _nested_deeper(value: object, limit: int) -> bool:
    """Does `value` hold lists or objects more than `limit` levels deep? (no recursion: it is what is checked)"""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def iter_csv_clauses(path: Path, doc_id: str | None = None) -> Iterator[Clause]:
    from clauseclf.segment.document import DEFAULT_MAX_BYTES

    lines = _lines(path)
    # The csv module stops at 128 KB a cell; a clause may be as long as a bill may be large.
    csv.field_size_limit(max(csv.field_size_limit(), DEFAULT_MAX_BYTES))
    with contextlib.closing(lines):
        reader = csv.DictReader(_csv_lines(lines))
        try:
            fieldnames = reader.fieldnames
            if not fieldnames or "text" not in fieldnames:
                raise InputError(path, f"no 'text' column (columns: {one_line(', '.join(fieldnames or []))})", line=1,
                                 hint="name the clause column 'text'")
            for row in reader:
                if None in row:
                    raise InputError(path, "more fields than the header has", line=reader.line_num)
                yield _clause_from_row(path, reader.line_num, row, doc_id or path.stem)
        except csv.Error as error:
            raise InputError(path, f"unreadable CSV ({error})", line=reader.line_num) from None


# A line break that is a \r alone: where a file opened with newline="" also ends a line.
_LONE_CR = re.compile(r"(?<=\r)(?!\n)")


def _csv_lines(lines: Iterator[tuple[int, str]]) -> Iterator[str]:
    """The lines, with their endings, also cut after a lone \\r (old Mac files), as a file opened with
    newline="" gives them to the csv module: it then reads a quoted cell's line breaks as they are."""
    for _, line in lines:
        yield from (piece for piece in _LONE_CR.split(line) if piece)


def _clause_from_row(path: Path, line: int, row: object, doc_id: str) -> Clause:
    if not isinstance(row, dict):
        raise InputError(path, "expected a JSON object with a 'text' field", line=line)
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(path, "'text' is missing or empty", line=line, hint="every row needs the clause's text")
    clause_id = next((str(row[c]) for c in ID_COLUMNS if row.get(c) not in (None, "")), f"{doc_id}:{line}")
    heading = row.get("heading")
    extra = {k: v for k, v in row.items() if k not in {"text", "clause_id", "doc_id", "unit", "heading", "start", "end"}}
    return Clause(
        doc_id=str(row.get("doc_id") or doc_id), clause_id=clause_id, text=text,
        unit=str(row.get("unit") or ""), heading=heading if isinstance(heading, list) else [],
        start=_offset(path, line, row, "start"), end=_offset(path, line, row, "end"), extra=extra,
    )


OFFSET = re.compile(r"[0-9]{1,15}")


def _offset(path: Path, line: int, row: dict, key: str) -> int | None:
    """A row's start or end: None where it is missing or empty, else a finite whole number of 0 or more
    (12, 12.0, or "12" from a CSV cell); anything else (-1, 1.5, Infinity, "x", true, a list) is an error of the
    row's line."""
    value = row.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, float) and math.isfinite(value) and value >= 0 and value.is_integer():
        return int(value)
    if isinstance(value, str) and OFFSET.fullmatch(value.strip()):
        return int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool):
        shown = "negative"
    elif isinstance(value, (bool, float)):
        shown = json.dumps(value)  # true, -1.5, Infinity, NaN: as the file writes them
    elif isinstance(value, str):
        shown = repr(value[:20] + ("..." if len(value) > 20 else ""))
    else:
        shown = "a list" if isinstance(value, list) else "an object"
    raise InputError(path, f"'{key}' is {shown}, not a character offset (a whole number of 0 or more)", line=line,
                     hint=f"give '{key}' as a number such as 0, or leave it out")
