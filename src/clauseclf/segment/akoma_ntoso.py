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


BODIES = ("body", "mainBody", "judgmentBody", "debateBody")
# Parts of a file that hold no clause of the law: reported as removed, with these reasons.
OUTSIDE = {"coverPage": "cover page", "preface": "preface (title, number, date)", "conclusions": "conclusions (signatures, dates)",
           "attachments": "attachment", "components": "other component (explanatory memorandum, financial statement)"}


def read(path: Path, doc_id: str) -> Document:
    root = _parse(path)
    # A documentCollection (the European Commission's proposals) holds the bill beside an explanatory
    # memorandum and a financial statement: the bill or act is what is read.
    law = next((el for el in root.iter() if _local(el) in ("act", "bill")), root)
    body = next((el for el in law.iter() if _local(el) in BODIES), None)
    if body is None:
        raise InputError(path, "Akoma Ntoso file has no <body>", hint="expected an act or a bill with a body")
    builder = _Builder(doc_id)
    # The enacting formula and recitals are the preamble; where there is none, the preface stands for it.
    preamble = next((el for el in root.iter() if _local(el) == "preamble"), None)
    if preamble is None:
        preamble = next((el for el in law.iter() if _local(el) == "preface"), None)
    if preamble is not None:
        builder.clause(_text(preamble), "preamble", [], preamble.get("eId"))
    builder.walk(body, [])
    notes = [] if builder.clauses else ["no <section>, <article> or <subsection> found"]
    removed = builder.headings_without_clause()
    conservation.check(doc_id, builder.text, builder.clauses, removed)
    removed += builder.skipped + _outside_lines(root, body, preamble)
    return Document(doc_id, str(path), "xml", builder.text, builder.clauses, notes, removed)


def _outside_lines(root, body, preamble) -> list[RemovedLine]:
    """The text of the parts read as no clause (cover page, preface, conclusions, other components), a line per block."""
    removed = []
    for element in root.iter():
        reason = OUTSIDE.get(_local(element))
        if reason is None or element is preamble or _inside(body, element) or _inside(preamble, element):
            continue
        if any(_local(a) in OUTSIDE for a in element.iterancestors()):
            continue  # reported with its ancestor
        for block in element.iter():
            if _local(block) in ("p", "heading", "num", "td") and (text := _text(block)):
                removed.append(RemovedLine(text, reason))
    return removed


def _inside(container, element) -> bool:
    return container is not None and (element is container or any(a is container for a in element.iterancestors()))


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
        self.skipped: list[RemovedLine] = []  # editorial parts of the body: a page marker, an omission

    def walk(self, element, heading: list[str]) -> None:
        for child in element:
            name = _local(child)
            if not name:
                continue  # a comment ("<!-- omissis -->") or processing instruction: no text of the law
            if child.get("status") == "editorial":
                # A publisher's mark in the body, such as a Statutes-at-Large page break coded as a <section>.
                if _text(child):
                    self.skipped.append(RemovedLine(_text(child), "editorial mark (page break, omission)"))
                continue
            if name in UNITS and not _groups_units(child):
                self.unit(child, heading)
            elif name in CONTAINERS or name in UNITS:
                # The European Commission's drafting tool groups articles in <section>s: a container there.
                title = _container_title(child)
                if title:
                    self.line(title)
                self.walk(child, heading + [title] if title else heading)
            elif name in ("intro", "wrapUp") and element is not None and _local(element) in CONTAINERS | {"section"}:
                # A chapter's <intro> or <wrapUp> is a heading-like note on the chapter, not a clause.
                self.line(_text(child))
                heading = heading + [_text(child)] if name == "intro" and _text(child) else heading
            elif name in ("crossHeading", "subheading"):
                self.line(_text(child))
            elif name not in ("num", "heading") and _text(child):
                self.clause(_text(child), "para.", heading, child.get("eId"))

    def unit(self, element, heading: list[str]) -> None:
        name = _local(element)
        number = _unit_number(_num(element))
        unit = f"{UNITS[name]} {number}".strip()
        title = _child_text(element, "heading")
        path = heading + [title] if title else heading
        self.line(" ".join(filter(None, [_num(element) + ".", title])))
        children = _flatten_lists([c for c in element if _local(c) not in ("num", "heading") and _local(c)])
        if not any(_local(c) == CHILD_UNITS[name] for c in children):
            if _numbered_points(children):
                # "(a) Requirement.-- ..." "(b) ...": a section made of lettered subsections (US style).
                for child in children:
                    inner = [c for c in child if _local(c) != "num"]
                    self.blocks(inner, f"{unit}({_num(child).strip('()')})", path, child.get("eId"))
                return
            self.blocks(children, unit, path, element.get("eId"))
            return
        subunits = [c for c in children if _local(c) == CHILD_UNITS[name]]
        for child in children:
            if _local(child) == CHILD_UNITS[name]:
                inner = [c for c in child if _local(c) != "num"]
                # Finnish acts leave their subsections (momentit) unnumbered: cited by position, and a
                # section with one of them is cited as the section.
                number = _num(child).strip("()") or (str(subunits.index(child) + 1) if len(subunits) > 1 else "")
                self.blocks(inner, f"{unit}({number})" if number else unit, path, child.get("eId"))
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
                # A definition's own letter or number ("(a)") is its marker, not its text.
                self.clause(" ".join(_text(c, skip_num=bool(term)) for c in group), f'{unit} "{term}"' if term else unit,
                            path, group_eid)
                group = []
            if child is None:
                break
            if starts:
                term, group_eid = _defined_term(child), child.get("eId")
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


def _groups_units(element) -> bool:
    """A <section> that holds <article>s groups them (the European Commission's dialect); it is no unit."""
    return any(_local(child) in ("article", "section") for child in element)


def _flatten_lists(children: list) -> list:
    """A unit whose body is one <list>/<blockList> (intro, points): its items are the unit's children."""
    if len(children) == 1 and _local(children[0]) in ("list", "blockList"):
        return [c for c in children[0] if _local(c)]
    return children


def _numbered_points(children: list) -> bool:
    """Are these the lettered or numbered subsections of a section, with no lead-in and no definitions?"""
    points = [c for c in children if _local(c) in ("point", "paragraph", "subsection")]
    return (len(points) >= 2 and len(points) == len(children) and all(_num(c) for c in points)
            and not any(c.find(".//{*}def") is not None for c in points))


UNIT_WORDS = re.compile(r"^(?:SECTION|Section|SEC\.?|Sec\.?|Artículo|Articolo|Artikel|ARTICLE|Article|Art\.?)\s*",
                        re.IGNORECASE)


def _unit_number(number: str) -> str:
    """ "SEC. 3 ." -> "3", "Art. 1." -> "1", "Artículo 1º" -> "1": the number a citation uses."""
    return re.sub(r"[\s.º°§]+$", "", UNIT_WORDS.sub("", number)).strip() or number


QUOTED_TERM = re.compile(r"``(.{1,80}?)''|‘(.{1,80}?)’|“(.{1,80}?)”|\"(.{1,80}?)\"")


def _defined_term(block) -> str:
    """The term a definition defines: its <term>, else the first quoted words, else the <def> text."""
    term = block.find(".//{*}term")
    if term is not None and _text(term):
        return _text(term)
    if match := QUOTED_TERM.search(_text(block)):
        return next(group for group in match.groups() if group)
    return _text(block.find(".//{*}def")).rstrip(".:;,- ")


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
            # A footnote between two words ("drugs<authorialNote>...</authorialNote>and") stood for a space.
            tail = child.tail or ""
            pieces.append((" " if name in ("authorialNote", "noteRef") and tail[:1].isalnum() else "") + tail)
            continue
        gap = " " if name in BLOCKS else ""
        pieces.append(gap + _text(child) + gap + (child.tail or ""))
    return _squash("".join(pieces))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()
