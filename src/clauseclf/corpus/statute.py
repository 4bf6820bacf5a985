"""What every collection reader hands the importer: a statute and its provisions, in reading order.

A reader turns one collection layout (JSON seeds, D.C. Code XML, Justice Laws XML) into
`Statute`s; the importer cuts each provision into clauses the same way whatever the layout.
What a reader leaves out (a repealed section, a file it cannot parse) it counts in
`Statute.skipped`, with the file named in `Statute.problems`, so nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from clauseclf.errors import InputError


class UnknownLayout(InputError):
    """A file in a collection's folders that is none of the layouts the importer reads."""


@dataclass
class Provision:
    """One section (or one subsection of it) of a statute."""

    number: str  # as cited: "342.1", "430(1.1)", "23-542(a)"
    heading: str  # the section's title or marginal note, not part of the clause text
    text: str
    # True when `text` already has its subsections and list items on lines of their own (read from XML),
    # False when it is a flattened string whose structure the importer must restore.
    lined: bool = False
    path: str = ""  # the file it was read from, where a statute spans several files
    section: str = ""  # the section `source` points at, where `number` names a subsection


@dataclass
class Statute:
    slug: str
    title: str
    year: int | None
    provisions: Iterable[Provision]  # may be a generator: XML readers parse a file only when it is reached
    article_style: bool = False  # cited "art. 5" rather than "s. 5"
    path: str = ""  # the statute's file, relative to the collection root
    sections: int = 0  # sections read, those left out included; counted as the provisions are read
    skipped: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def parse_xml(path: Path, what: str):
    """The root element of an XML file; no DTDs, entities or network: a statute is data, not a program."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        return etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as error:
        raise InputError(path, f"not well-formed XML ({error.msg})", line=error.lineno,
                         hint=f"expected {what}; fetch the file again from the collection") from None
    except OSError as error:
        raise InputError(path, f"cannot be read ({error})") from None


def local_name(element) -> str:
    """'section' for '{https://code.dccouncil.us/schemas/dc-library}section'; '' for comments."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def continue_line(lines: list[str], text: str) -> None:
    """Text after a list ("shall be fined ...", "commits an offence") on a line of its own, unless the
    segmenter would read it as a new section or heading ("12. ...", "Section 5 ...", "INTERPRETATION"):
    then it joins the line before, in the same clause."""
    from clauseclf.segment.splitter import ARTICLE, HEADING, NUMBERED, SECTION_WORD

    if not text:
        return
    if lines and (any(p.match(text) for p in (ARTICLE, HEADING, NUMBERED, SECTION_WORD))
                  or re.match(r"[A-ZÀ-Ý]{4,}\b", text)):
        lines[-1] = f"{lines[-1]} {text}"
    else:
        lines.append(text)


def words(text: str) -> str:
    """Whitespace collapsed to single spaces, as a clause holds its text."""
    return " ".join(text.split())
