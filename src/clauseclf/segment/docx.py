"""Word (.docx) bills: the body's paragraphs and tables in order, with Word's automatic numbering.

Page headers and footers live in their own parts of a .docx, so they never reach the
text. Numbers that Word draws itself ("1.", "(a)" from a numbered list) are not in
the paragraph text: they are rebuilt from numbering.xml so that the splitter sees them.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from clauseclf.errors import InputError
from clauseclf.segment.document import Document, document_from_text
from clauseclf.segment.splitter import MAX_LIST_START, roman_numeral

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
    lines = [line for element in body.iterchildren() for line in _block_lines(element, numbering)]
    notes = ["rebuilt Word's automatic numbering for the list paragraphs"] if numbering.used else []
    if numbering.capped:
        notes.append(f"numbered {numbering.capped} list level(s) from 1: their start value was over "
                     f"{MAX_LIST_START:,}")
    # Word keeps page headers and footers in parts of their own, never read here: a line
    # repeated in the body ("Article (5)", "or") is statute text.
    return document_from_text(path, doc_id, "docx", "\n".join(lines), notes, running_lines=False)


def _block_lines(element, numbering: "_Numbering") -> list[str]:
    if element.tag == W + "p":
        return [numbering.label(element) + _paragraph_text(element)]
    if element.tag == W + "tbl":
        rows = []
        for row in element.iter(W + "tr"):
            cells, seen = [], set()
            for cell in row.iter(W + "tc"):
                text = " ".join(_paragraph_text(p) for p in cell.iter(W + "p")).strip()
                if text and text not in seen:  # merged cells repeat their text
                    seen.add(text)
                    cells.append(text)
            rows.append(" ".join(cells))
        return rows
    return []


def _paragraph_text(paragraph) -> str:
    parts = []
    for node in paragraph.iter(W + "t", W + "tab", W + "br", W + "cr"):
        if node.tag == W + "t":
            parts.append(node.text or "")
        else:
            parts.append(" ")  # a tab after "14." or a soft line break inside a paragraph
    return "".join(parts)


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
