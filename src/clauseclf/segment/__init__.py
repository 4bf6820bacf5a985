"""Bills in, clauses out: one reader per format, one clause splitter shared by the text-based ones.

`read_document(path)` picks the reader by suffix (READERS) and returns a `Document` whose
`clauses` carry `unit` ("s. 14(1)"), `heading` path and offsets into `Document.text`.

>>> from pathlib import Path
>>> doc = read_document(Path(__file__).resolve().parents[3] / "data/examples/ke_computer_misuse_and_cybercrimes_act_2018.txt")
>>> doc.format, doc.clauses[1].unit, doc.clauses[1].heading
('txt', 's. 1', ['PART I – PRELIMINARY', 'Short title'])
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from clauseclf.errors import InputError
from clauseclf.segment import akoma_ntoso, docx, html, pdf, plain_text
from clauseclf.segment.document import (DEFAULT_MAX_BYTES, MAX_COMPRESSION_RATIO, SUPPORTED_SUFFIXES, Document,
                                        check_file, note_giant_clauses, note_long_clauses)
from clauseclf.segment.splitter import segment_text, split_clauses

__all__ = ["DEFAULT_MAX_BYTES", "READERS", "SUPPORTED_SUFFIXES", "Document", "read_document", "segment_text",
           "split_clauses"]

# One reader per suffix: read(path, doc_id) -> Document. Each imports its parser (pypdf, python-docx,
# BeautifulSoup, lxml) when it runs, so that importing this package stays cheap.
READERS: dict[str, Callable[[Path, str], Document]] = {
    ".txt": plain_text.read,
    ".pdf": pdf.read,
    ".docx": docx.read,
    ".html": html.read,
    ".htm": html.read,
    ".xml": akoma_ntoso.read,
}
assert set(READERS) == SUPPORTED_SUFFIXES  # a reader for every suffix that check_file lets through


def read_document(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
                  max_ratio: int = MAX_COMPRESSION_RATIO, ocr: bool = False, ocr_language: str = "eng") -> Document:
    """Read a bill (.txt .pdf .docx .html/.htm, Akoma Ntoso .xml) and cut it into clauses.

    `max_bytes` bounds the file and, for a .docx, what it unpacks to; `max_ratio` how many times its
    packed size one part of a .docx may unpack to (check_file).
    Raises InputError, naming the file, for anything that cannot be read as a bill. A clause over
    MAX_CLAUSE_CHARS is kept whole and named in `notes` (and a logged warning), and so is one over
    GIANT_CLAUSE_CHARS that looks like several provisions run together; a bill whose clauses are all over
    GIANT_CLAUSE_CHARS is an InputError (note_giant_clauses). With `ocr`, the pages of
    a PDF that have no text layer are read by Tesseract in `ocr_language` (clauseclf.segment.ocr).
    """
    path = Path(path)
    check_file(path, max_bytes, max_ratio)
    if path.suffix.lower() == ".pdf":
        document = pdf.read(path, path.stem, ocr=ocr, ocr_language=ocr_language)
    else:
        document = READERS[path.suffix.lower()](path, path.stem)
    if not document.clauses:
        raise InputError(path, "no clause text found", hint="is this the bill itself, not a cover page?")
    note_long_clauses(document)
    note_giant_clauses(document)
    return document
