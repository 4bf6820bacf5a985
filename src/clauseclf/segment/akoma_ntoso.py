"""Akoma Ntoso (OASIS LegalDocML) XML: the document's own structure gives the clauses.

A clause is a <subsection> of a <section>, a <paragraph> of an <article>, or the
section/article itself when it has none; lists (<paragraph>, <blockList>...) inside
a clause stay in it. A definition (a block holding a <def>) of a section with
several is its own clause. Parts, chapters and titles make the heading path; `eId`s
make the clause ids. `Document.text` is built from the clauses, so for this format
`text[start:end] == clause.text` exactly.
"""

from __future__ import annotations

import re
from pathlib import Path

from clauseclf.errors import InputError
from clauseclf.schema import Clause
from clauseclf.segment import conservation
from clauseclf.segment.conservation import RemovedLine
from clauseclf.segment.document import Document

CONTAINERS = {"part", "chapter", "division", "title", "book", "subpart", "subchapter", "subdivision", "subtitle",
              "hcontainer", "section_group"}
UNITS = {"section": "s.", "article": "art.", "rule": "r.", "regulation": "reg."}
CHILD_UNITS = {"section": "subsection", "article": "paragraph", "rule": "subrule", "regulation": "subregulation"}
BLOCKS = {"p", "intro", "wrapUp", "content", "paragraph", "subparagraph", "point", "item", "list", "blockList",
          "listIntroduction", "listWrapUp", "subsection", "clause", "subclause", "indent", "alinea", "blockContainer",
          "num", "heading", "crossHeading", "tblock", "table", "tr", "td", "th"}
SKIP = {"authorialNote", "noteRef", "meta", "eol", "eop"}


def read(path: Path, doc_id: str) -> Document:
    root = _parse(path)
    body = next((el for el in root.iter() if _local(el) in ("body", "mainBody", "judgmentBody", "debateBody")), None)
    if body is None:
        raise InputError(path, "Akoma Ntoso file has no <body>", hint="expected an act or a bill with a body")
    builder = _Builder(doc_id)
    preface = next((el for el in root.iter() if _local(el) in ("preface", "preamble")), None)
    if preface is not None:
        builder.clause(_text(preface), "preamble", [], preface.get("eId"))
    builder.walk(body, [])
    notes = [] if builder.clauses else ["no <section>, <article> or <subsection> found"]
    removed = builder.headings_without_clause()
    conservation.check(doc_id, builder.text, builder.clauses, removed)
    return Document(doc_id, str(path), "xml", builder.text, builder.clauses, notes, removed)


def _parse(path: Path):
    from lxml import etree

    # No DTDs, entities or network: a bill is data, not a program.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as error:
        raise InputError(path, f"not well-formed XML ({error.msg})", line=error.lineno) from None
    if _local(root) != "akomaNtoso":
        raise InputError(path, f"XML file is not Akoma Ntoso (root element <{_local(root)}>)",
                         hint="only Akoma Ntoso (LegalDocML) XML is read; save other bills as .txt, .docx or .pdf")
    return root


def _local(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _Builder:
    def __init__(self, doc_id: str):
        self.doc_id = doc_id
        self.text = ""
        self.clauses: list[Clause] = []
        self.heading_lines: dict[int, str] = {}  # line number in `text` -> a heading written there

    def walk(self, element, heading: list[str]) -> None:
        for child in element:
            name = _local(child)
            if name in UNITS:
                self.unit(child, heading)
            elif name in CONTAINERS:
                title = _container_title(child)
                if title:
                    self.line(title)
                self.walk(child, heading + [title] if title else heading)
            elif name in ("crossHeading", "subheading"):
                self.line(_text(child))
            elif name not in ("num", "heading") and _text(child):
                self.clause(_text(child), "para.", heading, child.get("eId"))

    def unit(self, element, heading: list[str]) -> None:
        name = _local(element)
        number = _num(element)
        unit = f"{UNITS[name]} {number}".strip()
        title = _child_text(element, "heading")
        path = heading + [title] if title else heading
        self.line(" ".join(filter(None, [number + ".", title])))
        children = [c for c in element if _local(c) not in ("num", "heading")]
        if not any(_local(c) == CHILD_UNITS[name] for c in children):
            self.blocks(children, unit, path, element.get("eId"))
            return
        for child in children:
            if _local(child) == CHILD_UNITS[name]:
                inner = [c for c in child if _local(c) != "num"]
                self.blocks(inner, f"{unit}({_num(child).strip('()')})", path, child.get("eId"))
            elif _text(child):
                self.clause(_text(child), unit, path, child.get("eId"))

    def blocks(self, children, unit: str, path: list[str], eid: str | None) -> None:
        """One clause of these blocks, or, where they hold definitions, one per definition.

        Blocks before the first definition (the lead-in, "In this Act—") are a clause of
        their own; blocks after a definition (its lists) stay with it.
        """
        if not any(c.find(".//{*}def") is not None for c in children):
            self.clause(" ".join(_text(c) for c in children), unit, path, eid)
            return
        group, term, group_eid = [], None, eid
        for child in children + [None]:
            starts = child is None or child.find(".//{*}def") is not None
            if starts and group:
                self.clause(" ".join(_text(c) for c in group), f'{unit} "{term}"' if term else unit, path, group_eid)
                group = []
            if child is None:
                break
            if starts:
                term, group_eid = _text(child.find(".//{*}def")), child.get("eId")
            group.append(child)

    def clause(self, text: str, unit: str, heading: list[str], eid: str | None) -> None:
        text = _squash(text)
        if not text:
            return
        if self.text:
            self.text += "\n"
        start = len(self.text)
        self.text += text
        number = len(self.clauses) + 1
        clause_id = f"{self.doc_id}:{eid}" if eid else f"{self.doc_id}:{number:04d}"
        if any(c.clause_id == clause_id for c in self.clauses[-50:]):
            clause_id = f"{self.doc_id}:{number:04d}"
        self.clauses.append(Clause(doc_id=self.doc_id, clause_id=clause_id, text=text, unit=unit,
                                   heading=list(heading), start=start, end=len(self.text)))

    def line(self, text: str) -> None:
        """Headings go into the document text (so that it reads whole) but into no clause."""
        text = _squash(text)
        if text:
            self.text += ("\n" if self.text else "") + text
            self.heading_lines[self.text.count("\n") + 1] = text

    def headings_without_clause(self) -> list[RemovedLine]:
        """Headings written into the text that no clause carries in its heading path (cross-headings,
        the number and title of an article with no text)."""
        lost = conservation.unaccounted(self.text, self.clauses, [])
        return [RemovedLine(text, "heading or title with no clause under it", line=number)
                for number, text in lost if number in self.heading_lines]


def _container_title(element) -> str:
    number, heading = _num(element), _child_text(element, "heading")
    name = _local(element)
    label = number if not number or re.match(r"^(?:part|chapter|title|division|book)\b", number, re.IGNORECASE) or name == "hcontainer" else f"{name.capitalize()} {number}"
    return " – ".join(filter(None, [label, heading]))


def _num(element) -> str:
    return _squash(_child_text(element, "num")).rstrip(".")


def _child_text(element, name: str) -> str:
    child = next((c for c in element if _local(c) == name), None)
    return _squash(_text(child)) if child is not None else ""


def _text(element, skip_num: bool = False) -> str:
    """The element's words, blocks separated by spaces; its own <num> left out when asked."""
    if element is None:
        return ""
    pieces = [element.text or ""]
    for child in element:
        name = _local(child)
        if name in SKIP or (skip_num and name == "num"):
            pieces.append(child.tail or "")
            continue
        gap = " " if name in BLOCKS else ""
        pieces.append(gap + _text(child) + gap + (child.tail or ""))
    return _squash("".join(pieces))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()
