"""Where a PDF page's lines sit: the page's text as pypdf writes it, and the margin notes put back in place.

Printers of Acts (Sri Lanka's Government Printer, many Commonwealth gazettes) set each section's
title as a margin note: a narrow column of short lines in smaller type in the outer margin, level
with the section's first line. The text layer gives these notes after the page's body, sometimes
out of order, so that read in text order each note ends the last clause of the page:

    body (10 pt, x 211-460)                              note (8 pt, x 140)
    13. Any person, whether in or outside Sri Lanka who  Communication
    communicates a false statement by way of an online   of false
    ...                                                  statement ...

`lines_of_pages` reads each line's position and type size through pypdf's own text extraction (its
visitor sees every piece of text it writes, so the lines are exactly pypdf's), tells the notes
from the body by their place and size, joins each note's lines into one and puts it just above
the body line it is level with, as a `MarginNote`, which the splitter takes as the section's title.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from clauseclf.segment.splitter import starts_section

# A margin note is set smaller than the body: 8 pt against 10 pt in Sri Lanka's Acts.
NOTE_SIZE_RATIO = 0.92
# A note's lines are a few words each ("Disturbing a", "religious", "assembly by a"); a line of body
# text, or of a second text column, is longer.
MAX_NOTE_LINE_CHARS = 30
# Body lines of at least this many characters fix where the body column starts.
MIN_BODY_LINE_CHARS = 30
# A note stands apart from the body: left of the body's left edge, or right of where any body line
# starts by more than an indent (Sri Lanka's notes: 70 pt left of the body, 190 pt right of its last start).
NOTE_GAP = 15.0
RIGHT_NOTE_GAP = 60.0
# Margin notes that stand level with a section's number, in a document that has them (Sri Lanka's
# Online Safety Act has 53); a few lines in small type beside the text are something else.
MIN_SECTION_NOTES = 3


class MarginNote(str):
    """A section title printed in the page's margin, placed above the body line it is level with."""


@dataclass
class PlacedLine:
    """One line of pypdf's text of a page, with where its first piece of text starts and its type size."""

    text: str
    x: float | None = None  # None: a line with no text (a blank line)
    y: float | None = None
    size: float = 0.0


def lines_of_pages(pages) -> list[list[str]]:
    """Each page's text as pypdf extracts it, one string per line, with the margin notes (if the document
    has them) moved above the body line each is level with (see the module docstring).

    A document has margin notes when most of the notes found open a section ("13. Any person ..."): a side
    panel of a council's cover page ("Datum:", "Registratienummer:") or a gazette's colophon in small type
    beside the text are not section titles, and stay where the text layer puts them.
    """
    placed = [placed_lines(page) for page in pages]
    notes = [_margin_notes(lines) for lines in placed]
    anchors = [anchor for page in notes for _, anchor in page]
    opening = sum(anchor is not None and starts_section(lines[anchor].text.strip())
                  for lines, page in zip(placed, notes) for _, anchor in page)
    if opening < MIN_SECTION_NOTES or opening * 2 < len(anchors):
        return [[line.text for line in lines] for lines in placed]
    return [_with_notes_in_place(lines, page) for lines, page in zip(placed, notes)]


def placed_lines(page) -> list[PlacedLine]:
    """pypdf's text of the page, line by line, each line with the position and size of its first text."""
    lines = [PlacedLine("")]

    def visit(text: str, cm: list[float], tm: list[float], font: dict, font_size: float) -> None:
        for index, piece in enumerate(text.split("\n")):
            if index:
                lines.append(PlacedLine(""))
            line = lines[-1]
            if piece.strip() and line.x is None:
                line.x, line.y, line.size = _position(cm, tm, font_size)
            line.text += piece

    text = page.extract_text(visitor_text=visit)
    if "".join(line.text for line in lines) != text.replace("\n", ""):
        # Not expected (the visitor sees every piece pypdf writes); keep pypdf's text, without positions.
        return [PlacedLine(line) for line in text.split("\n")]
    return lines


def _position(cm: list[float], tm: list[float], font_size: float) -> tuple[float | None, float | None, float]:
    """Where the text matrix `tm` puts text on the page under the transformation `cm`, and its size in points."""
    try:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        size = abs(font_size) * math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
    except (TypeError, IndexError):
        return None, None, 0.0
    if not all(math.isfinite(value) for value in (x, y, size)):
        return None, None, 0.0
    return x, y, size


def _margin_notes(lines: list[PlacedLine]) -> list[tuple[list[int], int | None]]:
    """The page's margin notes, each as its lines' indices and the index of the body line it is level with."""
    notes = _note_indices(lines)
    if not notes:
        return []
    body = [i for i, line in enumerate(lines) if i not in notes]
    return [(group, _anchor(lines, body, group[0])) for group in _group_notes(lines, notes)]


def _with_notes_in_place(lines: list[PlacedLine], notes: list[tuple[list[int], int | None]]) -> list[str]:
    """The page's lines with each note joined into one `MarginNote` above its body line (at the end if it
    is level with none)."""
    taken = {i for group, _ in notes for i in group}
    above: dict[int | None, list[str]] = {}
    for group, anchor in notes:
        above.setdefault(anchor, []).append(MarginNote(_join_note([lines[i].text for i in group])))
    placed = []
    for i, line in enumerate(lines):
        if i not in taken:
            placed += above.get(i, []) + [line.text]
    return placed + above.get(None, [])


def _note_indices(lines: list[PlacedLine]) -> set[int]:
    """Lines set smaller than the body, short, and outside the body's column."""
    positioned = [line for line in lines if line.x is not None and line.text.strip()]
    if not positioned:
        return set()
    sizes = Counter()
    for line in positioned:
        sizes[round(line.size, 1)] += len(line.text)
    body_size = sizes.most_common(1)[0][0]
    # The running header and footer (the page's top and bottom lines) often start elsewhere ("13Online Safety
    # Act, No. 9 of 2024" at the right of an even page): they do not mark the body's column.
    top, bottom = max(line.y for line in positioned), min(line.y for line in positioned)
    body_starts = [line.x for line in positioned
                   if line.size >= body_size * NOTE_SIZE_RATIO and len(line.text.strip()) >= MIN_BODY_LINE_CHARS
                   and bottom < line.y < top]
    if not body_starts:
        return set()
    left, right = min(body_starts), max(body_starts)
    return {i for i, line in enumerate(lines)
            if line.x is not None and line.text.strip() and line.size < body_size * NOTE_SIZE_RATIO
            and len(line.text.strip()) <= MAX_NOTE_LINE_CHARS
            and (line.x < left - NOTE_GAP or line.x > right + RIGHT_NOTE_GAP)}


def _group_notes(lines: list[PlacedLine], notes: set[int]) -> list[list[int]]:
    """The note lines cut into notes: a note's lines follow each other down the column, one line apart."""
    groups: list[list[int]] = []
    for i in sorted(notes):
        if groups:
            last = lines[groups[-1][-1]]
            line = lines[i]
            step = last.y - line.y
            if groups[-1][-1] == i - 1 and abs(line.x - last.x) < 3 and 0 < step < 1.6 * max(last.size, 1.0):
                groups[-1].append(i)
                continue
        groups.append([i])
    return groups


def _anchor(lines: list[PlacedLine], body: list[int], first: int) -> int | None:
    """The body line level with a note's first line (the closest by height, within a line), else the
    first body line below it; None if the note is below all of the page's text."""
    top = lines[first]
    positioned = [i for i in body if lines[i].y is not None]
    if not positioned:
        return None
    closest = min(positioned, key=lambda i: abs(lines[i].y - top.y))
    if abs(lines[closest].y - top.y) <= max(lines[closest].size, top.size):
        return closest
    below = [i for i in positioned if lines[i].y < top.y]
    return max(below, key=lambda i: lines[i].y) if below else None


def _join_note(parts: list[str]) -> str:
    """A note's lines as one: "Wantonly giving" / "provocation by" -> "Wantonly giving provocation by";
    a word the printer broke at a line's end ("communica-" / "tion") is rejoined."""
    joined = "\n".join(part.strip() for part in parts)
    joined = re.sub(r"(?<=[^\W\d_])-\n(?=[^\W\d_A-Z])", "", joined)
    return re.sub(r"\s+", " ", joined).strip()
