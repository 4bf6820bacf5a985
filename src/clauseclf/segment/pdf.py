"""PDF bills, through pypdf's text layer; running headers, footers and page numbers are removed,
and margin notes are put back above the section they name (clauseclf.segment.pdf_layout).

A scanned PDF has no text layer: that is an error that says OCR is needed, never an
empty result. PyMuPDF is not used: it is AGPL.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from pathlib import Path

from clauseclf.errors import InputError
from clauseclf.segment.conservation import RemovedLine
from clauseclf.segment.document import Document, document_from_text
from clauseclf.segment.pdf_layout import MarginNote, lines_of_pages

# A page with fewer letters than this is taken to be an image (a scan, a photo of a page).
MIN_LETTERS_PER_PAGE = 20
# Lines looked at for a running header (top) or footer (bottom) on each page.
EDGE_LINES = 3
# Running headers are short ("ETS 185 – Convention on Cybercrime, 23.XI.2001" is 46 characters).
MAX_RUNNING_CHARS = 90
PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)


def read(path: Path, doc_id: str, ocr: bool = False, ocr_language: str = "eng") -> Document:
    """Read a PDF's text layer; with `ocr`, pages without one are read by Tesseract (clauseclf.segment.ocr)
    and the clauses from pages of low OCR confidence are marked for review (`extra["ocr_confidence"]`)."""
    pages, has_images, taken_out = _page_texts(path)
    scanned = [i for i, page in enumerate(pages) if _letters(page) < MIN_LETTERS_PER_PAGE and has_images[i]]
    blank = [i for i, page in enumerate(pages) if _letters(page) < MIN_LETTERS_PER_PAGE and not has_images[i]]
    notes, confidence = [], {}
    if ocr and scanned:
        from clauseclf.segment.ocr import LOW_CONFIDENCE, ocr_pages

        for index, page in ocr_pages(path, scanned, ocr_language).items():
            pages[index], confidence[index + 1] = page.text.split("\n"), page.confidence
        low = [f"{page} ({value:.0f})" for page, value in sorted(confidence.items()) if value < LOW_CONFIDENCE]
        notes.append(f"read {len(scanned)} page(s) by OCR (Tesseract, {ocr_language})"
                     + (f"; low confidence on page(s) {', '.join(low)}: their clauses are marked for review" if low else ""))
    elif sum(_letters(page) for page in pages) < MIN_LETTERS_PER_PAGE:
        raise InputError(path, f"PDF has no text layer ({len(pages)} page(s) of images, e.g. a scan)",
                         hint="pass --ocr to read it with Tesseract (e.g. `clauseclf segment bill.pdf --ocr`; "
                              "--ocr-language ell for Greek)")
    elif scanned:
        notes.append(f"page(s) {', '.join(str(i + 1) for i in scanned)} have no text layer (scanned?): their text is "
                     "missing; pass --ocr to read them")
    if blank:
        notes.append(f"page(s) {', '.join(str(i + 1) for i in blank)} are blank (no text and no image)")
    removed = strip_running_lines(pages)
    removed += strip_footnotes(pages)
    if removed:
        notes.append(f"removed {len(removed)} running header, footer, page-number or footnote lines")
    for reason, count in Counter(line.reason for line in taken_out).items():
        notes.append(f"left {count} piece(s) of text out of the clauses: {reason}")
    removed += taken_out
    text, page_starts, margin_notes = _join_pages(pages)
    # Running lines went by their place on the page (strip_running_lines): repetition elsewhere is statute text.
    document = document_from_text(path, doc_id, "pdf", text, notes, removed, page_starts, running_lines=False,
                                  margin_notes=margin_notes)
    if confidence:
        _mark_ocr_confidence(document, page_starts, confidence)
    return document


def _mark_ocr_confidence(document: Document, page_starts: list[int], confidence: dict[int, float]) -> None:
    """Give each clause from OCRed pages the lowest confidence of its pages; under LOW_CONFIDENCE it needs review."""
    from clauseclf.segment.ocr import LOW_CONFIDENCE

    for clause in document.clauses:
        first = bisect.bisect_right(page_starts, clause.start)
        last = bisect.bisect_right(page_starts, max(clause.start, clause.end - 1))
        values = [confidence[page] for page in range(first, last + 1) if page in confidence]
        if values:
            clause.extra["ocr_confidence"] = min(values)
            clause.extra["ocr_low_confidence"] = min(values) < LOW_CONFIDENCE


def _join_pages(pages: list[list[str]]) -> tuple[str, list[int], set[int]]:
    """The pages' lines as one text, the offset where each page starts in it, and the (1-based) numbers
    of the lines that are margin notes."""
    lines, page_starts, offset = [], [], 0
    for page in pages:
        page_starts.append(offset)
        if not "".join(page):
            continue  # a page with no text adds no line
        lines += page
        offset += sum(len(line.rstrip()) + 1 for line in page)
    margin_notes = {number for number, line in enumerate(lines, start=1) if isinstance(line, MarginNote)}
    return "\n".join(line.rstrip() for line in lines), page_starts, margin_notes


def _page_texts(path: Path) -> tuple[list[list[str]], list[bool], list[RemovedLine]]:
    """Each page's lines (clauseclf.segment.pdf_layout), whether each may be a scan, and what the layout
    reading took out of them (raised footnote marks, a masthead, a side panel)."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    locked = InputError(path, "PDF is encrypted with a password",
                        hint="save an unprotected copy (e.g. `qpdf --decrypt --password=... in.pdf out.pdf`)")
    try:
        reader = PdfReader(path)
        # An empty user password is what a viewer tries first: gazettes often carry only an owner password.
        if reader.is_encrypted and not reader.decrypt(""):
            raise locked
        pages, taken_out = lines_of_pages(reader.pages)
        pages = [_split_lines(lines) for lines in pages]
        rejoin_split_words(path, pages)
        # Only a page with (almost) no text can be a scan: the others' resources are not read.
        return pages, [_letters(lines) < MIN_LETTERS_PER_PAGE and _has_images(page)
                       for page, lines in zip(reader.pages, pages)], taken_out
    except DependencyError as error:
        # pypdf needs `cryptography` for AES; a missing package is not a password problem.
        raise InputError(path, f"PDF is encrypted with AES and cannot be decrypted here ({error})",
                         hint="install the package pypdf needs for AES: `pip install cryptography`") from None
    except FileNotDecryptedError:
        raise locked from None
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise InputError(path, f"not a readable PDF ({type(error).__name__}: {error})",
                         hint="is the file complete? try opening and re-saving it as PDF") from None


def _has_images(page) -> bool:
    """Does the page draw an image (a scan)? A page with neither text nor image is blank, not a scan."""
    try:
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else {}
        objects = resources.get("/XObject")
        objects = objects.get_object() if objects is not None else {}
        return any(objects[name].get_object().get("/Subtype") in ("/Image", "/Form") for name in objects)
    except (AttributeError, KeyError, TypeError, ValueError):
        return True  # unreadable resources: assume a scan, the cautious reading


def _split_lines(lines: list[str]) -> list[str]:
    """A page's lines with a carriage return taken as a line break, as "\r\n" is (a margin note stays one line)."""
    split = []
    for line in lines:
        if isinstance(line, MarginNote):
            split.append(line)
        else:
            split += (line[:-1] if line.endswith("\r") else line).split("\r")
    return split


def rejoin_split_words(path: Path, pages: list[list[str]]) -> int:
    """Join the words that pypdf split with a space where a line is drawn in pieces: it leaves the line's
    word spacing out of a piece's width, so the next piece seems to start a word away ("the decision s
    made by the co ntroller", "section 286 A"; pypdf issue 3358). PDFium reads each page too, with where
    each character is: "a b" becomes "ab" where PDFium's page has "ab" with no gap at the join and never
    has "a b". Returns how many were joined; a PDF PDFium cannot open keeps pypdf's text."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return 0
    joined = 0
    with document:
        for index, lines in enumerate(pages[:len(document)]):
            if any(" " in line for line in lines):
                page = _PdfiumPage(document[index].get_textpage())
                for number, line in enumerate(lines):
                    repaired, count = _rejoin(line, page)
                    if count:
                        lines[number] = type(line)(repaired)  # a MarginNote stays one
                        joined += count
    return joined


# A gap under this share of the characters' height is inside a word (a space is about a fifth of it;
# letters of one word measured 0-0.08 on the fixtures, a title's letter-spaced words 0.15-0.17).
WORD_GAP = 0.1


class _PdfiumPage:
    """One page as PDFium reads it: its text, and whether a pair of pieces is one word there."""

    def __init__(self, textpage):
        self.textpage = textpage
        self.text = textpage.get_text_range()
        self.flat = " ".join(self.text.split())

    def one_word(self, left: str, right: str) -> bool:
        if f"{left} {right}" in self.flat:
            return False
        start = self.text.find(left + right)
        while start >= 0:
            if self._gap(start + len(left)) < WORD_GAP:
                return True
            start = self.text.find(left + right, start + 1)
        return False

    def _gap(self, index: int) -> float:
        """The gap before character `index`, as a share of the taller of the two characters."""
        before, after = self.textpage.get_charbox(index - 1, loose=True), self.textpage.get_charbox(index, loose=True)
        height = max(before[3] - before[1], after[3] - after[1])
        return (after[0] - before[2]) / height if height > 0 else 1.0


def _rejoin(line: str, page: _PdfiumPage) -> tuple[str, int]:
    """`line` with each "a b" joined that is one word on the PDFium page."""
    tokens = line.split(" ")
    kept, count = tokens[:1], 0
    for token in tokens[1:]:
        left, right = re.search(r"\w*$", kept[-1]).group(), re.match(r"\w*", token).group()
        if left and right and page.one_word(left, right):
            kept[-1] += token
            count += 1
        else:
            kept.append(token)
    return " ".join(kept), count


def _letters(lines: list[str]) -> int:
    return sum(c.isalpha() for line in lines for c in line)


def strip_running_lines(pages: list[list[str]]) -> list[RemovedLine]:
    """Remove, in place, running headers and footers, and page numbers at the top or bottom of pages;
    return them, each with its page and line on the page.

    A running line has the same shape (digits replaced by #) at the same place (say,
    second line from the top) on more than half the pages, and is no longer than
    MAX_RUNNING_CHARS: body text that happens to start two pages alike is longer.
    Printers alternate headers between odd and even pages ("5 ... Act, No. 9 of 2024" /
    "Act, No. 9 of 2024 ... 6"), so odd and even pages are also counted apart.
    """
    if not pages:
        return []
    removed = _strip_edge_specks(pages)
    running = _running_places(pages) | _running_places(pages[0::2]) | _running_places(pages[1::2])
    for number, page in enumerate(pages, start=1):
        content = [i for i, line in enumerate(page) if line.strip()]
        doomed = set()
        for rank, index in enumerate(content[:EDGE_LINES]):
            if not _is_running(page[index], ("top", rank), running):
                break
            doomed.add(index)
        for rank, index in enumerate(reversed(content[-EDGE_LINES:])):
            if not _is_running(page[index], ("bottom", rank), running):
                break
            doomed.add(index)
        for index in sorted(doomed):
            reason = "page number" if PAGE_NUMBER.match(page[index].strip()) else "running header or footer"
            removed.append(RemovedLine(page[index].strip(), reason, page=number, line=None))
        page[:] = [line for i, line in enumerate(page) if i not in doomed]
    return removed


def _strip_edge_specks(pages: list[list[str]]) -> list[RemovedLine]:
    """Remove, in place, lines without a letter or digit at the top or bottom of a page (a scanner's specks
    that OCR read as ". - -~··--···", rules, asterisks): they hold no statute word, and under a running
    footer they would hide it."""
    removed = []
    for number, page in enumerate(pages, start=1):
        content = [i for i, line in enumerate(page) if line.strip()]
        edge = content[:EDGE_LINES] + content[-EDGE_LINES:]
        specks = {i for i in edge if not any(c.isalnum() for c in page[i])}
        removed += [RemovedLine(page[i].strip(), "no letter or digit at a page's edge", page=number, line=None)
                    for i in sorted(specks)]
        page[:] = [line for i, line in enumerate(page) if i not in specks]
    return removed


def _running_places(pages: list[list[str]]) -> set[tuple[str, int, str]]:
    """(edge, rank, shape) places held by the same line on more than half of `pages` (and on two at least)."""
    places = Counter()
    for page in pages:
        places.update(_places(page))
    needed = max(2, len(pages) // 2 + 1)
    return {place for place, count in places.items() if count >= needed}


# An amendment footnote of a revised edition (India Code): "5. Section 3 renumbered as sub-section (1) ...",
# "9. Ins. by Act 63 of 1984, s. 3 (w.e.f. 2-10-1985)", "1  This Act has been repealed by ...".
FOOTNOTE_START = re.compile(r"^(\d{1,3})\.?\s+\S")
AMENDMENT_WORDS = re.compile(r"\b(?:Subs\. by|Ins\. by|[Oo]mitted by|w\.e\.f\.|ibid|[Rr]epealed by|[Aa]mended|"
                             r"[Rr]enumbered|[Ss]ubstituted|[Ii]nserted|notification)")
MAX_FOOTNOTE_LINES = 30


def strip_footnotes(pages: list[list[str]]) -> list[RemovedLine]:
    """Remove, in place, the amendment footnotes at the foot of each page and return them.

    A footnote block follows the page's last blank line and numbers its notes in sequence ("1.", "2." ...
    or "1 ", "2 "); most notes name an amendment ("Subs. by", "Ins. by", "w.e.f."). Left in the text, its
    "4." and "9." would open sections 4 and 9.
    """
    removed = []
    for number, page in enumerate(pages, start=1):
        start = _footnote_block(page)
        if start is None:
            continue
        removed += [RemovedLine(line.strip(), "footnote", page=number, line=None) for line in page[start:] if line.strip()]
        del page[start:]
    return removed


def _footnote_block(page: list[str]) -> int | None:
    """Index where the page's footnote block starts, or None."""
    blanks = [i for i, line in enumerate(page) if not line.strip()]
    start = blanks[-1] + 1 if blanks else None
    if start is None or not 0 < len(page) - start <= MAX_FOOTNOTE_LINES:
        return None
    notes, expected = [], None
    for line in page[start:]:
        match = FOOTNOTE_START.match(line.strip())
        if match and (expected is None or int(match.group(1)) == expected):
            notes.append(line)
            expected = int(match.group(1)) + 1
        elif expected is None:
            return None  # the block does not open with a note number
    named = sum(bool(AMENDMENT_WORDS.search(note)) for note in notes)
    return start if notes and named * 2 > len(notes) else None


def _places(page: list[str]) -> set[tuple[str, int, str]]:
    content = [line for line in page if line.strip()]
    top = {("top", rank, _shape(line)) for rank, line in enumerate(content[:EDGE_LINES])}
    bottom = {("bottom", rank, _shape(line)) for rank, line in enumerate(reversed(content[-EDGE_LINES:]))}
    return top | bottom


def _is_running(line: str, place: tuple[str, int], running: set[tuple[str, int, str]]) -> bool:
    stripped = line.strip()
    if PAGE_NUMBER.match(stripped):
        return True
    return len(stripped) <= MAX_RUNNING_CHARS and (*place, _shape(line)) in running


# Characters OCR reads for one another in a running line ("[Issue 1] Ll-14", "[Issue lJ Ll-6", "[lssue 1] Ll-12",
# "[Issue I] LI - 8" on four pages of one scan): all read as the digit 1.
OCR_LOOKALIKES = str.maketrans({c: "1" for c in "iIlLjJ|!"})


def _shape(line: str) -> str:
    """The line with its numbers as "#", and no space kept beside them: a page number is run into a running
    header with or without one ("ΚΥΒΕΡΝΗΣΕΩΣ7998 Τεύχος" on page 2, "ΚΥΒΕΡΝΗΣΕΩΣ 7999Τεύχος" on page 3). Case,
    punctuation and OCR_LOOKALIKES are ignored, so a scan's footer read differently on each page keeps one shape."""
    letters = re.sub(r"[\W_]+", "", line.strip().casefold()).translate(OCR_LOOKALIKES)
    return re.sub(r"\d+", "#", letters)
