"""Word (.docx) bills: the body's paragraphs and tables in order, with Word's automatic numbering.

Page headers and footers live in their own parts of a .docx, so they never reach the
text. Numbers that Word draws itself ("1.", "(a)" from a numbered list) are not in
the paragraph text: they are rebuilt from numbering.xml so that the splitter sees them.

A law as a ministry's legal portal publishes it (Qatar's Al Meezan) is laid out rather than styled:
its title is centred above the text, the signature and date are set right, and its definitions sit
in a two-column table, term in one cell and meaning in the other. The title and signature block are
left out and reported; each definition becomes one line, "Term: meaning". Where a promulgating law
("Law No. (14) of 2014 Promulgating the Cybercrime Prevention Law", its own Articles 1-5, signature)
comes before the Law it promulgates (whose articles start again at Article 1), its articles are cited
"promulgation art. 1".
"""

from __future__ import annotations

import dataclasses
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from clauseclf.errors import InputError
from clauseclf.schema import Clause
from clauseclf.segment import conservation
from clauseclf.segment.conservation import RemovedLine
from clauseclf.segment.document import Document, document_from_text
from clauseclf.segment.splitter import (ARTICLE, HEADING, MAX_LIST_START, SCHEDULE, roman_numeral, segment_text,
                                        starts_section)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read(path: Path, doc_id: str) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    hint = "is the file complete? an old .doc must be saved as .docx first"
    try:
        document = docx.Document(str(path))
        # A part of the wrong kind (a document part of another root or without <w:body>, a relationships file
        # as [Content_Types].xml) shows as an AttributeError of python-docx; a zip whose directory points before
        # the file's start, as an OSError of zipfile.
        body = document.element.body
        numbering = _Numbering(document)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, XMLSyntaxError, ValueError, AttributeError,
            OSError) as error:
        raise InputError(path, f"not a readable .docx file ({type(error).__name__}: {error})", hint=hint) from None
    if body is None:
        raise InputError(path, "not a readable .docx file (its document part has no <w:body>)", hint=hint)
    paragraphs = [paragraph for element in body.iterchildren() for paragraph in _block_paragraphs(element, numbering)]
    notes = ["rebuilt Word's automatic numbering for the list paragraphs"] if numbering.used else []
    if numbering.capped:
        notes.append(f"numbered {numbering.capped} list level(s) from 1: their start value was over "
                     f"{MAX_LIST_START:,}")
    instruments, removed = _instruments(paragraphs)
    # Word keeps page headers and footers in parts of their own, never read here: a line
    # repeated in the body ("Article (5)", "or") is statute text.
    if len(instruments) == 1 or not PROMULGATING.search(instruments[0].title):
        lines = [line for instrument in instruments for line in instrument.lines]
        return document_from_text(path, doc_id, "docx", "\n".join(lines), notes, removed, running_lines=False)
    return _promulgating_law(path, doc_id, instruments, notes, removed)


@dataclass
class _Paragraph:
    """A line of the body as Word lays it out: its text and its alignment (w:jc: "center", "right", "both"...)."""

    text: str
    align: str = ""


def _block_paragraphs(element, numbering: "_Numbering") -> list[_Paragraph]:
    if element.tag == W + "p":
        align = element.find(f"{W}pPr/{W}jc")
        lines = (numbering.label(element) + _paragraph_text(element)).split("\n")
        return [_Paragraph(line, align.get(W + "val", "") if align is not None else "") for line in lines]
    if element.tag == W + "tbl":
        return [_Paragraph(line) for line in _definitions_table(element) or _table_rows(element)]
    return []


def _table_rows(table) -> list[str]:
    rows = []
    for row in table.iter(W + "tr"):
        cells, seen = [], set()
        for cell in row.iter(W + "tc"):
            text = " ".join(_paragraph_text(p) for p in cell.iter(W + "p")).strip()
            if text and text not in seen:  # merged cells repeat their text
                seen.add(text)
                cells.append(text)
        rows.append(" ".join(cells))
    return rows


# A term in a definitions table: a few words ending with a colon ("Information Technology:").
TABLE_TERM = re.compile(r"^\S.{0,60}:$")


def _definitions_table(table) -> list[str] | None:
    """A table of definitions, a line per definition ("Information Technology: Any mean, ..."), or None.

    Each row has a cell of terms ("Traffic Data:", and below it "Official Electronic Document:") and a cell
    of their meanings, in either order (right to left in Al Meezan's files). A meaning is a paragraph, with the
    list items that follow it (a "including:" sub-list); a row holds as many meanings as terms, or the table is
    read as rows.
    """
    definitions = []
    for row in table.iter(W + "tr"):
        cells = [[p for p in cell.iter(W + "p") if _paragraph_text(p).strip()] for cell in row.iter(W + "tc")]
        if len(cells) != 2:
            return None
        terms_first = all(TABLE_TERM.match(_paragraph_text(p).strip()) for p in cells[0])
        terms, meanings = (cells[0], cells[1]) if terms_first else (cells[1], cells[0])
        if not terms or not all(TABLE_TERM.match(_paragraph_text(p).strip()) for p in terms):
            return None
        groups: list[list[str]] = []
        for paragraph in meanings:
            in_list = paragraph.find(f"{W}pPr/{W}numPr") is not None
            if in_list and groups:
                groups[-1].append(_paragraph_text(paragraph).strip())
            else:
                groups.append([_paragraph_text(paragraph).strip()])
        if len(groups) != len(terms):
            return None
        for term, group in zip(terms, groups):
            definitions.append(f"{_paragraph_text(term).strip()} {group[0]}")
            definitions += group[1:]
    return definitions or None


def _paragraph_text(paragraph) -> str:
    """The paragraph's text; a line break in it (Shift+Enter: "(Crimes Pertaining to Electronic Transactions
    Cards)" / "Article (12)") starts a new line, a tab is a space ("14." tab "Unauthorised access")."""
    parts = []
    for node in paragraph.iter(W + "t", W + "tab", W + "br", W + "cr"):
        if node.tag == W + "t":
            parts.append(node.text or "")
        elif node.tag == W + "tab":
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


# --- title, signature and the instruments of a promulgating law ---------------------------------------

# A title is centred above the text, a line or a few; more centred lines are the text's own layout.
MAX_TITLE_LINES = 4
# A signature block: a few lines set right (name, office), and the date lines under them ("Issued at the
# Amiri Diwan on : 20/11/1435 (H)", "Corresponding to : 15/09/2014 (AD)").
MAX_SIGNATURE_LINES = 8
MAX_SIGNATURE_LINE = 80
DATED_LINE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")
PROMULGATING = re.compile(r"\bpromulgat", re.IGNORECASE)


@dataclass
class _Instrument:
    """A law in the file: its centred title (may be empty) and the lines of its text."""

    title: str
    lines: list[str]


def _instruments(paragraphs: list[_Paragraph]) -> tuple[list[_Instrument], list[RemovedLine]]:
    """The file's laws, each cut at a signature block, with their titles and signature blocks as removed lines."""
    instruments, removed, i = [], [], 0
    while i < len(paragraphs):
        title, i = _title_block(paragraphs, i)
        removed += [RemovedLine(line, "title of the law (centred above its text)") for line in title]
        lines = []
        while i < len(paragraphs):
            signature, after = _signature_block(paragraphs, i)
            if signature and any(line.strip() for line in lines) and (
                    after == len(paragraphs) or _title_block(paragraphs, after)[0]):
                removed += [RemovedLine(line, "signature and date") for line in signature]
                i = after
                break
            lines.append(paragraphs[i].text)
            i += 1
        instruments.append(_Instrument(" ".join(title), lines))
    return instruments or [_Instrument("", [])], removed


def _title_block(paragraphs: list[_Paragraph], i: int) -> tuple[list[str], int]:
    """The centred lines from i that stand above the text (not "Part One" or "Article (1)"), and the index after."""
    title, j = [], i
    while j < len(paragraphs) and (paragraphs[j].align == "center" or not paragraphs[j].text.strip()):
        text = paragraphs[j].text.strip()
        if text and (HEADING.match(text) or ARTICLE.match(text) or SCHEDULE.match(text) or starts_section(text)):
            break
        if text:
            title.append(text)
        j += 1
    if not title or len(title) > MAX_TITLE_LINES:
        return [], i
    return title, j


def _signature_block(paragraphs: list[_Paragraph], i: int) -> tuple[list[str], int]:
    """Lines set right from i (a name and an office), with the dated lines just under them; ([], i) if none."""
    signature, j = [], i
    while j < len(paragraphs) and (paragraphs[j].align in ("right", "end") or not paragraphs[j].text.strip()):
        signature.append(paragraphs[j].text.strip())
        j += 1
    if not any(signature):
        return [], i
    while j < len(paragraphs) and (DATED_LINE.search(paragraphs[j].text) or not paragraphs[j].text.strip()):
        signature.append(paragraphs[j].text.strip())
        j += 1
    signature = [line for line in signature if line]
    if len(signature) > MAX_SIGNATURE_LINES or any(len(line) > MAX_SIGNATURE_LINE for line in signature):
        return [], i
    return signature, j


def _promulgating_law(path: Path, doc_id: str, instruments: list[_Instrument], notes: list[str],
                      removed: list[RemovedLine]) -> Document:
    """A promulgating law and the Law it promulgates, cut apart so that each one's Article 1 is found: the
    first's clauses are cited "promulgation art. N" (its preamble stays "preamble"), the Law's as they are."""
    texts = ["\n".join(instrument.lines) for instrument in instruments]
    clauses: list[Clause] = []
    offset, line_offset = 0, 0
    for k, text in enumerate(texts):
        promulgation = k < len(texts) - 1
        if text.strip():
            segmentation = segment_text(text, doc_id, running_lines=False)
            for clause in segmentation.clauses:
                unit = f"promulgation {clause.unit}" if promulgation and clause.unit != "preamble" else clause.unit
                clauses.append(dataclasses.replace(clause, clause_id=f"{doc_id}:{len(clauses) + 1:04d}", unit=unit,
                                                   start=clause.start + offset, end=clause.end + offset))
            notes += [note for note in segmentation.notes if note not in notes]
            removed += [dataclasses.replace(line, line=line.line + line_offset if line.line else None)
                        for line in segmentation.removed]
        offset += len(text) + 1
        line_offset += text.count("\n") + 1
    text = "\n".join(texts)
    conservation.check(doc_id, text, clauses, removed)
    notes.append(f"a promulgating law and the law it promulgates: the first's {sum(u.unit.startswith('promulgation') for u in clauses)} "
                 "clause(s) are cited 'promulgation art. N'")
    return Document(doc_id, str(path), "docx", text, clauses, notes, removed)


class _Numbering:
    """Counters for Word's list numbering (numbering.xml), enough for "1.", "(a)", "(i)" lists."""

    def __init__(self, document):
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, list[int]] = {}
        self.used = False
        self.capped = 0  # list levels whose start was over MAX_LIST_START, numbered from 1
        # Styles such as "List Number" carry the numbering themselves, not their paragraphs.
        self.style_numbering = {
            style.get(W + "styleId"): num_pr
            for style in document.styles.element.iter(W + "style")
            if (num_pr := style.find(f"{W}pPr/{W}numPr")) is not None
        }
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return  # no numbering part: nothing is auto-numbered
        abstract = {}
        for node in root.iter(W + "abstractNum"):
            levels = {}
            for level in node.iter(W + "lvl"):
                ilvl = _level(level.get(W + "ilvl"))
                if ilvl is None:
                    continue  # not a level Word has (0 to 8): the level is ignored
                fmt = level.find(W + "numFmt")
                text = level.find(W + "lvlText")
                start = level.find(W + "start")
                start = _word_number(start.get(W + "val")) if start is not None else 1
                if start is None:
                    start = 1  # a start that is not a number is ignored
                elif start > MAX_LIST_START:
                    start = 1
                    self.capped += 1
                levels[ilvl] = (
                    fmt.get(W + "val") if fmt is not None else "decimal",
                    text.get(W + "val") if text is not None else "",
                    start,
                )
            abstract[node.get(W + "abstractNumId")] = levels
        for num in root.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            if ref is not None and ref.get(W + "val") in abstract:
                num_id = num.get(W + "numId")
                self.abstract_of[num_id] = ref.get(W + "val")
                for ilvl, spec in abstract[ref.get(W + "val")].items():
                    self.formats[(num_id, ilvl)] = spec

    def label(self, paragraph) -> str:
        num_pr = paragraph.find(f"{W}pPr/{W}numPr")
        if num_pr is None:
            style = paragraph.find(f"{W}pPr/{W}pStyle")
            num_pr = self.style_numbering.get(style.get(W + "val")) if style is not None else None
        if num_pr is None:
            return ""
        num_id_node, ilvl_node = num_pr.find(W + "numId"), num_pr.find(W + "ilvl")
        num_id = num_id_node.get(W + "val") if num_id_node is not None else None
        ilvl = _level(ilvl_node.get(W + "val")) if ilvl_node is not None else 0
        if ilvl is None:
            ilvl = 0  # a level that is not one is ignored, as if the paragraph named none
        if (num_id, ilvl) not in self.formats:
            return ""
        key = self.abstract_of[num_id]
        counters = self.counters.setdefault(key, [0] * 9)
        start = self.formats[(num_id, ilvl)][2]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        fmt, text, _ = self.formats[(num_id, ilvl)]
        if fmt in ("bullet", "none") or not text:
            return ""
        self.used = True
        for level in range(ilvl + 1):
            level_fmt = self.formats.get((num_id, level), ("decimal", "", 1))[0]
            text = text.replace(f"%{level + 1}", _format(counters[level] or 1, level_fmt))
        return text + " "


WORD_NUMBER = re.compile(r"[0-9]{1,12}")


def _word_number(value) -> int | None:
    """A numbering attribute (w:ilvl, w:start) as a number: 1 to 12 ASCII digits, else None."""
    if not isinstance(value, str) or not WORD_NUMBER.fullmatch(value.strip()):
        return None
    return int(value.strip())


def _level(value) -> int | None:
    """A list level, 0 to 8 as in Word, or None."""
    level = _word_number(value)
    return level if level is not None and level <= 8 else None


def _format(number: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return chr(ord("a") + (number - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (number - 1) % 26)
    if fmt in ("lowerRoman", "upperRoman"):
        roman = roman_numeral(number)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(number)
