"""The segmenter's record (`Document`), the checks every file passes first, and the end every text reader shares."""

from __future__ import annotations

import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from clauseclf.errors import InputError
from clauseclf.schema import Clause
from clauseclf.segment.conservation import RemovedLine
from clauseclf.segment.splitter import ENUMERATOR, segment_text, starts_section

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = frozenset({".txt", ".pdf", ".docx", ".html", ".htm", ".xml"})
# A 300-clause bill is well under 5 MB in any of these formats; 50 MB leaves room for
# scanned-then-OCRed PDFs while refusing a misplaced database dump or video.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# The longest clause of the annotated corpora is under 20,000 characters; one of 100,000 (some 20,000
# tokens) is nearly always sections run together where a marker was missed, and the model reads
# only its first max_length tokens (192 by default, about 900 characters).
MAX_CLAUSE_CHARS = 100_000
# A clause over this many characters (some 1,200 tokens) that holds lines opening like sections or
# subsections is most likely several provisions run together where a marker was missed.
GIANT_CLAUSE_CHARS = 6_000
# A .docx is a zip of XML parts: Word's own compress 2-35x (styles.xml of the Kenyan fixture 29x). A part
# of over a megabyte that unpacks 100 times its packed size is built to blow up (a 100 KB file with
# 20 MB of XML inside), and the parser would hold it all in memory many times over.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM = 1024 * 1024


@dataclass
class Document:
    """One bill as read: its extracted text, the clauses cut from it, and what the reader noticed.

    `clauses[i].start`/`end` are offsets into `text`. `removed` lists every line the reader or the
    splitter left out of all clauses, with the reason (clauseclf.segment.conservation): with the
    clauses' text and headings it accounts for every line extracted from the file.
    """

    doc_id: str
    path: str
    format: str
    text: str
    clauses: list[Clause]
    notes: list[str] = field(default_factory=list)
    removed: list[RemovedLine] = field(default_factory=list)


def check_file(path: Path, max_bytes: int, max_ratio: int = MAX_COMPRESSION_RATIO) -> None:
    """Missing, unsupported, empty or oversized files fail before any parser sees them.

    A .docx is also held, part by part, to what it unpacks to (check_unpacked_size).
    """
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
    if path.suffix.lower() == ".docx":
        check_unpacked_size(path, max_bytes, max_ratio)


def check_unpacked_size(path: Path, max_bytes: int, max_ratio: int = MAX_COMPRESSION_RATIO) -> None:
    """Refuse a zip whose parts unpack beyond `max_bytes` in all, or one part beyond `max_ratio` times its size.

    Read from the zip's directory only, before any part is unpacked. The sizes there bound what
    unpacking yields: zipfile stops at a part's declared size and fails its checksum past it.
    A file that is not a zip at all is left to the reader, which says so.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return
    total = sum(part.file_size for part in parts)
    if total > max_bytes:
        raise InputError(path, f"unpacks to {total / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit",
                         hint="split the bill, or raise the limit (max_bytes)")
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_CHECKED_FROM and ratio > max_ratio:
            raise InputError(path, f"part {part.filename} unpacks from {part.compress_size / 1e3:.0f} KB to "
                                   f"{part.file_size / 1e6:.1f} MB, {ratio:.0f} times its size: over the "
                                   f"{max_ratio} times a Word file's parts stay under",
                             hint="save the file again from Word, or raise the limit (max_ratio)")


def document_from_text(path: Path, doc_id: str, fmt: str, text: str, notes: list[str] | None = None,
                       removed: list[RemovedLine] | None = None, page_starts: list[int] | None = None,
                       running_lines: bool = True, margin_notes: set[int] | None = None) -> Document:
    """What every text-based reader ends with: the shared splitter over the extracted text.

    `removed` are the lines the reader itself took out before building `text` (a PDF's running
    headers, a web page's navigation); the splitter's own come after them. `running_lines=False`:
    the text holds no running headers for the splitter to guess from repetition (see segment_text).
    `margin_notes`: numbers of the lines the reader knows to be section titles printed in the margin.
    """
    if not text.strip():
        raise InputError(path, "no text found in the file")
    segmentation = segment_text(text, doc_id, page_starts, running_lines, margin_notes)
    return Document(doc_id, str(path), fmt, text, segmentation.clauses, list(notes or []) + segmentation.notes,
                    list(removed or []) + segmentation.removed)


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


def note_giant_clauses(document: Document, limit: int = GIANT_CLAUSE_CHARS) -> None:
    """Add a note (and log a warning) for each clause over `limit` characters that looks like several
    provisions run together; refuse the document when every clause is over `limit`.

    A single long provision (a definition, a subsection with a long list) is left alone: its text holds
    no line that opens like a section or subsection. Akoma Ntoso clauses are the publisher's own units.
    """
    giant = [clause for clause in document.clauses if len(clause.text) > limit]
    if document.clauses and len(giant) == len(document.clauses):
        largest = max(giant, key=lambda clause: len(clause.text))
        raise InputError(Path(document.path), f"every clause is over {limit:,} characters ({len(giant)} clause(s), "
                                              f"the largest {largest.unit or largest.clause_id} with {len(largest.text):,}): "
                                              "the bill's sections or articles were not found",
                         hint=f"check that the file holds the bill's text (`clauseclf segment {document.path} --show-removed` "
                              "lists what was left out); if its sections are numbered in a way not listed in "
                              "docs/segmentation.md, save it as .txt with each section starting on a line of its own "
                              "('12. Title' or 'Article 12')")
    if document.format == "xml":
        return
    for clause in giant:
        if _holds_markers(document.text, clause):
            note = (f"{clause.unit or clause.clause_id} is {len(clause.text):,} characters long and holds lines that "
                    f"open like sections or subsections: check it (`clauseclf segment {document.path} --format jsonl`), "
                    "it may be several provisions run together")
            document.notes.append(note)
            logger.warning("%s: %s", document.path, note)


def _holds_markers(text: str, clause: Clause) -> bool:
    """Does a line inside the clause's span (after its first) open like a section or a numbered subsection?"""
    lines = text[clause.start:clause.end].split("\n")[1:]
    return any(starts_section(line.strip()) or ((match := ENUMERATOR.match(line.strip())) and match.group(1)[0].isdigit())
               for line in lines)
