"""The segmenter's record (`Document`), the checks every file passes first, and the end every text reader shares."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from clauseclf.errors import InputError
from clauseclf.schema import Clause
from clauseclf.segment.splitter import segment_text

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = frozenset({".txt", ".pdf", ".docx", ".html", ".htm", ".xml"})
# A 300-clause bill is well under 5 MB in any of these formats; 50 MB leaves room for
# scanned-then-OCRed PDFs while refusing a misplaced database dump or video.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# The longest clause of the annotated corpora is under 20,000 characters; one of 100,000 (some 20,000
# tokens) is nearly always sections run together where a marker was missed, and the model reads
# only its first max_length tokens (192 by default, about 900 characters).
MAX_CLAUSE_CHARS = 100_000


@dataclass
class Document:
    """One bill as read: its extracted text, the clauses cut from it, and what the reader noticed.

    `clauses[i].start`/`end` are offsets into `text`.
    """

    doc_id: str
    path: str
    format: str
    text: str
    clauses: list[Clause]
    notes: list[str] = field(default_factory=list)


def check_file(path: Path, max_bytes: int) -> None:
    """Missing, unsupported, empty or oversized files fail before any parser sees them."""
    if not path.exists():
        raise InputError(path, "file not found")
    if not path.is_file():
        raise InputError(path, "not a file", hint="give a bill file; `clauseclf label` also takes folders")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise InputError(path, f"unsupported file type '{path.suffix}'",
                         hint=f"expected one of {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    size = path.stat().st_size
    if size == 0:
        raise InputError(path, "file is empty")
    if size > max_bytes:
        raise InputError(path, f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit",
                         hint="split the bill, or raise the limit (max_bytes)")


def document_from_text(path: Path, doc_id: str, fmt: str, text: str, notes: list[str] | None = None) -> Document:
    """What every text-based reader ends with: the shared splitter over the extracted text."""
    if not text.strip():
        raise InputError(path, "no text found in the file")
    segmentation = segment_text(text, doc_id)
    return Document(doc_id, str(path), fmt, text, segmentation.clauses, list(notes or []) + segmentation.notes)


def note_long_clauses(document: Document, limit: int = MAX_CLAUSE_CHARS) -> None:
    """Add a note (and log a warning) for each clause over `limit` characters, naming its unit.

    The clause is kept whole: `clauseclf label` scores it on its first max_length tokens,
    and its evidence comes from all of it.
    """
    for clause in document.clauses:
        if len(clause.text) > limit:
            note = (f"{clause.unit or clause.clause_id} is {len(clause.text):,} characters long, over "
                    f"{limit:,}: check that the bill was cut at its section markers; `clauseclf label` "
                    "scores only its first max_length tokens")
            document.notes.append(note)
            logger.warning("%s: %s", document.path, note)
