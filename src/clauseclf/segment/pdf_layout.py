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

The same positions show what else the text order hides, each taken out and reported as removed:
footnotes in small type at a page's foot (Maharashtra's amendment notes), footnote numbers raised in
small type inside a line (India Code's "such date¹ as"), a masthead the
text layer gives after the page's body (Greece's Government Gazette), and a side panel left of the
body (a Dutch council's record of its regulation).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from clauseclf.segment.conservation import RemovedLine
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
# A footnote mark: a number in type under 0.8 of the body's (India Code: 7 pt in 11 pt), its baseline raised
# by over a sixth of the body's size (5 pt there).
FOOTNOTE_MARK = re.compile(r"^\d{1,3}$")
MARK_SIZE_RATIO = 0.8
MARK_RAISE = 1 / 6
# A masthead has a few lines (Greece's Gazette: title, state, date and issue); one line above the text given
# after it may be anything.
MIN_MASTHEAD_LINES = 3
MAX_MASTHEAD_LINES = 8
PAGE_NUMBER = re.compile(r"^\d{1,5}$")
# Margin notes that stand level with a section's number, in a document that has them (Sri Lanka's
# Online Safety Act has 53); a few lines in small type beside the text are something else.
MIN_SECTION_NOTES = 3


class MarginNote(str):
    """A section title printed in the page's margin, placed above the body line it is level with."""


@dataclass
class Piece:
    """A piece of text as pypdf writes it, where it starts on the page and its type size in points."""

    text: str
    x: float | None = None  # None: the piece's place is unknown
    y: float | None = None
    size: float = 0.0


@dataclass
class PlacedLine:
    """One line of pypdf's text of a page, as the pieces it was written from."""

    pieces: list[Piece] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)

    @property
    def first(self) -> Piece:
        """The line's first piece with words in it (an empty piece for a blank line)."""
        return next((piece for piece in self.pieces if piece.text.strip()), Piece(""))

    @property
    def x(self) -> float | None:
        return self.first.x

    @property
    def y(self) -> float | None:
        return self.first.y

    @property
    def size(self) -> float:
        return self.first.size


def lines_of_pages(pages) -> tuple[list[list[str]], list[RemovedLine]]:
    """Each page's text as pypdf extracts it, one string per line, with the margin notes (if the document has
    them) moved above the body line each is level with; and what was taken out of the lines, as removed:
    raised footnote marks, a masthead, a side panel (see the module docstring).

    A document has margin notes when most of the notes found open a section ("13. Any person ..."): a side
    panel of a council's cover page ("Datum:", "Registratienummer:") or a gazette's colophon in small type
    beside the text are not section titles. In a document without margin notes, the short lines left of the
    body's column that come after its text are a side panel (drop_side_panel).
    """
    placed = [placed_lines(page) for page in pages]
    taken_out = [line for number, lines in enumerate(placed, start=1) for line in drop_page_footnotes(lines, number)]
    taken_out += [line for number, lines in enumerate(placed, start=1) for line in drop_footnote_marks(lines, number)]
    taken_out += [line for number, lines in enumerate(placed, start=1) for line in drop_masthead(lines, number)]
    notes = [_margin_notes(lines) for lines in placed]
    anchors = [anchor for page in notes for _, anchor in page]
    opening = sum(anchor is not None and starts_section(lines[anchor].text.strip())
                  for lines, page in zip(placed, notes) for _, anchor in page)
    if opening < MIN_SECTION_NOTES or opening * 2 < len(anchors):
        taken_out += [line for number, lines in enumerate(placed, start=1) for line in drop_side_panel(lines, number)]
        return [[line.text for line in lines] for lines in placed], taken_out
    return [_with_notes_in_place(lines, page) for lines, page in zip(placed, notes)], taken_out


def placed_lines(page) -> list[PlacedLine]:
    """pypdf's text of the page, line by line, each line with its pieces' places and sizes."""
    lines = [PlacedLine()]

    def visit(text: str, cm: list[float], tm: list[float], font: dict, font_size: float) -> None:
        for index, part in enumerate(text.split("\n")):
            if index:
                lines.append(PlacedLine())
            if part:
                lines[-1].pieces.append(Piece(part, *_position(cm, tm, font_size)))

    text = page.extract_text(visitor_text=visit)
    if "".join(line.text for line in lines) != text.replace("\n", ""):
        # Not expected (the visitor sees every piece pypdf writes); keep pypdf's text, without places.
        return [PlacedLine([Piece(line)]) for line in text.split("\n")]
    return lines


def drop_page_footnotes(lines: list[PlacedLine], page: int) -> list[RemovedLine]:
    """Take out of the page, in place, the footnotes set in small type at its foot, and return them.

    Maharashtra's Acts note each amendment at the page's foot in 9 pt under 11 pt body text, each note
    opening with its number in 6 pt ("¹ This Act has been repealed by Mah. 23 of 2012, s. 7."). Left in,
    they end the page's last clause. The block is the page's last lines, every one in small type, from
    the first that opens with a number smaller than its words; a margin note given at the page's end
    opens with a word, and stays.
    """
    body_size = _body_size(lines)
    start = len(lines)
    while start > 0 and (not lines[start - 1].text.strip() or _small_type(lines[start - 1], body_size)):
        start -= 1
    first = next((i for i in range(start, len(lines)) if _opens_with_note_number(lines[i])), None)
    if first is None:
        return []
    removed = [RemovedLine(line.text.strip(), "footnote at the page's foot", page=page, line=None)
               for line in lines[first:] if line.text.strip()]
    del lines[first:]
    return removed


def _small_type(line: PlacedLine, body_size: float) -> bool:
    sizes = [piece.size for piece in line.pieces if piece.text.strip() and piece.x is not None]
    return bool(sizes) and bool(body_size) and max(sizes) < body_size * NOTE_SIZE_RATIO


def _opens_with_note_number(line: PlacedLine) -> bool:
    pieces = [piece for piece in line.pieces if piece.text.strip()]
    return len(pieces) > 1 and bool(FOOTNOTE_MARK.match(pieces[0].text.strip())) and pieces[0].size < pieces[1].size


def drop_footnote_marks(lines: list[PlacedLine], page: int) -> list[RemovedLine]:
    """Take out of the lines, in place, the footnote numbers raised in small type inside them, and return them.

    India Code's revised Acts mark each amendment with one: "such date¹ as", "—⁵[(1)] If any person"; left
    in, "5[(1)]" hides the subsection's number and "1[4. Penalty" the section's.
    """
    body_size = _body_size(lines)
    removed = []
    for line in lines:
        for index, piece in enumerate(line.pieces):
            if FOOTNOTE_MARK.match(piece.text.strip()) and _raised_small(piece, line.pieces, index, body_size):
                removed.append(RemovedLine(piece.text.strip(), "footnote mark in the text", page=page, line=None))
                piece.text = ""
    return removed


def _raised_small(piece: Piece, pieces: list[Piece], index: int, body_size: float) -> bool:
    """Is the piece set smaller than the body and above the baseline of the body-size text beside it?"""
    if piece.y is None or not body_size or piece.size >= body_size * MARK_SIZE_RATIO:
        return False
    beside = [other for other in pieces[index + 1:] + pieces[:index][::-1]
              if other.text.strip() and other.y is not None and other.size >= body_size * MARK_SIZE_RATIO]
    return bool(beside) and piece.y - beside[0].y > body_size * MARK_RAISE


def _body_size(lines: list[PlacedLine]) -> float:
    """The type size most of the page's characters are set in."""
    sizes = Counter()
    for line in lines:
        for piece in line.pieces:
            if piece.x is not None:
                sizes[round(piece.size, 1)] += len(piece.text.strip())
    return sizes.most_common(1)[0][0] if sizes else 0.0


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


def drop_masthead(lines: list[PlacedLine], page: int) -> list[RemovedLine]:
    """Take out of the page, in place, a masthead the text layer gives after the page's body, and return it.

    Greece's Government Gazette prints "ΕΦΗΜΕΡΙΔΑ ΤΗΣ ΚΥΒΕΡΝΗΣΕΩΣ ΤΗΣ ΕΛΛΗΝΙΚΗΣ ΔΗΜΟΚΡΑΤΙΑΣ", the date and
    the issue's number above the first page's two columns, and its text layer gives them last: read in order,
    they fall into the middle of an article. Such lines all stand above the page's text, and come after it.
    A page number among them is left for the page-number check.
    """
    written = [i for i, line in enumerate(lines) if line.text.strip() and line.y is not None]
    heights = [lines[i].y for i in written]
    top_so_far = list(itertools.accumulate(heights, max))  # the highest line given up to each one
    size, start, lowest = _body_size(lines), None, math.inf
    for k in range(len(written) - 1, 0, -1):
        lowest = min(lowest, heights[k])
        if lowest > top_so_far[k - 1] + size:
            start = k  # the lines from k on all stand above every line given before them
    if start is None:
        return []
    masthead = [i for i in written[start:] if not PAGE_NUMBER.match(lines[i].text.strip())]
    if not MIN_MASTHEAD_LINES <= len(masthead) <= MAX_MASTHEAD_LINES or start < 2 * len(masthead):
        return []  # not a few lines after the page's body (a page number given first, then the body above it)
    removed = [RemovedLine(lines[i].text.strip(), "masthead above the text", page=page, line=None) for i in masthead]
    for i in reversed(masthead):
        del lines[i]
    return removed


def drop_side_panel(lines: list[PlacedLine], page: int) -> list[RemovedLine]:
    """Take out of the page, in place, a side panel, and return its lines.

    A side panel is a block of short lines left of the body's column that the text layer gives after the
    page's body, going back up the page: a council's record of the regulation ("Datum:", "18-12-2024",
    "Vastgesteld door:", "Gemeenteraad van", "Heerlen"), never its text. A table's first column, left of
    the body too, comes in reading order, each row below the last, and stays.
    """
    column = _body_column(lines)
    if column is None:
        return []
    left, _, body_size = column
    written = [i for i, line in enumerate(lines) if line.text.strip()]
    start = len(written)
    while start > 0 and _beside_left(lines[written[start - 1]], left):
        start -= 1
    if start in (0, len(written)):
        return []
    first, before = lines[written[start]], lines[written[start - 1]]
    if first.y is None or before.y is None or first.y <= before.y + body_size:
        return []  # in reading order: part of the page's text
    panel = [lines[i] for i in written[start:]]
    for i in reversed(written[start:]):
        del lines[i]
    return [RemovedLine(line.text.strip(), "side panel beside the text", page=page, line=None) for line in panel]


def _beside_left(line: PlacedLine, left: float) -> bool:
    return line.x is not None and line.x < left - NOTE_GAP and len(line.text.strip()) <= MAX_NOTE_LINE_CHARS


def _body_column(lines: list[PlacedLine]) -> tuple[float, float, float] | None:
    """Where the page's body lines start (leftmost and rightmost start) and the body's type size."""
    positioned = [line for line in lines if line.x is not None and line.text.strip()]
    if not positioned:
        return None
    body_size = _body_size(lines)
    # The running header and footer (the page's top and bottom lines) often start elsewhere ("13Online Safety
    # Act, No. 9 of 2024" at the right of an even page): they do not mark the body's column.
    top, bottom = max(line.y for line in positioned), min(line.y for line in positioned)
    body_starts = [line.x for line in positioned
                   if line.size >= body_size * NOTE_SIZE_RATIO and len(line.text.strip()) >= MIN_BODY_LINE_CHARS
                   and bottom < line.y < top]
    return (min(body_starts), max(body_starts), body_size) if body_starts else None


def _note_indices(lines: list[PlacedLine]) -> set[int]:
    """Lines set smaller than the body, short, and outside the body's column."""
    column = _body_column(lines)
    if column is None:
        return set()
    left, right, body_size = column
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
