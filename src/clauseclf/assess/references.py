"""Cross-references inside a bill: which clauses safeguard which power.

A power granted in one section is often safeguarded in another. The assessment
guideline (data/assessments/GUIDELINE.md) counts every safeguard the bill gives a
power, wherever it is written:

- the power's own clause, and the other clauses of its section ("s. 52(1)" and "s. 52(4)");
- a clause that names the power's section ("a warrant under section 52", "sections 30 to 34",
  "subject to section 60"), and the clauses of a section the power's clause names;
- a clause that speaks of all the powers of its Part or of the whole bill ("the powers in
  this Part", "an order made under this Act").

    >>> sorted(referenced_sections("a warrant under section 52(1), or sections 30 to 32 of this Act"))
    ['30', '31', '32', '52']
    >>> sorted(referenced_sections("as defined in section 4 of the Penal Code"))
    []
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

# The section or article a unit belongs to: "s. 52(1)" -> 52, "art. 7" -> 7, '§ 3a' -> 3a, 's. 2 "access"' -> 2.
UNIT_SECTION = re.compile(r"^(?:s\.|art\.|§)\s*(\d{1,4}[A-Za-z]{0,2})\b")
_NUMBER = r"\d{1,4}[A-Z]{0,2}"
_SUBDIVISION = r"(?:\s*\((?:\d{1,3}[A-Za-z]?|[a-z]{1,4})\))*"
_LINK = r"\s*(?:,|and|or|to|through|-|–|—)\s*(?:(?:sub)?sections?\s+|articles?\s+)?"
# "section 52", "sections 30 to 34", "ss. 30, 31 and 32", "article 7(2)", "§ 12", "s. 40(1)(b)".
REFERENCE = re.compile(
    rf"\b(?:sections?|ss?\.|articles?|arts?\.)\s*({_NUMBER}{_SUBDIVISION}(?:{_LINK}{_NUMBER}{_SUBDIVISION})*)"
    rf"|§§?\s*({_NUMBER}{_SUBDIVISION}(?:{_LINK}{_NUMBER}{_SUBDIVISION})*)", re.IGNORECASE)
# A reference to another law: "section 4 of the Penal Code", "article 3 of the Constitution".
OTHER_LAW = re.compile(r"\s*(?:of|in|under)\s+the\s+(?!said\b)[A-Z]")
RANGE = re.compile(rf"({_NUMBER}){_SUBDIVISION}\s*(?:to|through|-|–|—)\s*(?:(?:sub)?sections?\s+|articles?\s+)?"
                   rf"({_NUMBER})", re.IGNORECASE)
NUMBER = re.compile(rf"(?<![\w(]){_NUMBER}(?![\w)])")
# A clause that speaks of every power of its Part (or Chapter, Division) or of the whole bill: "an order made
# under this Part", "the powers conferred by this Act". Not "an offence under this Act", which every clause says.
_POWER_WORDS = (r"\b(?:powers?|orders?|warrants?|requests?|directions?|measures?|notices?|interceptions?|"
                r"search(?:es)?|seizures?|investigations?)\b[^.;]{0,40}?\b(?:under|of|in|by|to) this ")
PART_SCOPE = re.compile(_POWER_WORDS + r"(?:Part|Chapter|Division|Title|Sub-Part)\b", re.IGNORECASE)
BILL_SCOPE = re.compile(_POWER_WORDS + r"(?:Act|Law|Code|Bill|Ordinance|Proclamation|Decree|Regulations?)\b",
                        re.IGNORECASE)
PART_HEADING = re.compile(r"^(?:PART|CHAPTER|DIVISION|TITLE|SUB-PART)\b", re.IGNORECASE)


def section_of(unit: str) -> str:
    """The section or article number of a clause's unit ("s. 52(1)" -> "52"), or "" for a preamble."""
    match = UNIT_SECTION.match(unit or "")
    return match.group(1).upper() if match else ""


def part_of(heading: list[str]) -> str:
    """The Part (Chapter, Division) a clause sits in, from its heading path; "" where the bill has none."""
    return next((h for h in heading if PART_HEADING.match(str(h))), "")


def referenced_sections(text: str) -> set[str]:
    """The section or article numbers a clause names, ranges expanded; references to other laws left out."""
    found: set[str] = set()
    for match in REFERENCE.finditer(text):
        if OTHER_LAW.match(text, match.end()):
            continue
        listed = match.group(1) or match.group(2)
        for low, high in RANGE.findall(listed):
            if low.isdigit() and high.isdigit() and 0 < int(high) - int(low) <= 50:
                found |= {str(n) for n in range(int(low), int(high) + 1)}
        found |= {n.upper() for n in NUMBER.findall(re.sub(_SUBDIVISION, "", listed))}
    return found


@dataclass(frozen=True)
class Place:
    """Where a clause sits, and what it names."""

    section: str
    part: str
    names: frozenset[str]
    """Sections the clause names."""
    part_wide: bool
    """It speaks of the powers (or orders, warrants) of its whole Part."""
    bill_wide: bool
    """It speaks of those of the whole bill."""


def place_of(unit: str, heading: list[str], text: str) -> Place:
    section = section_of(unit)
    return Place(section, part_of(heading), frozenset(referenced_sections(text) - {section}),
                 bool(PART_SCOPE.search(text)), bool(BILL_SCOPE.search(text)))


def safeguard_sources(power: int, places: list[Place], guards: list[int],
                      general: Collection[int] = ()) -> list[tuple[int, str]]:
    """The clauses (indices into `places`, from `guards`) whose safeguards count for the power at index
    `power`, each with how it applies; the power's own clause first.

    `guards` are the clauses that may state a safeguard: the bill's powers, cooperation and
    safeguard clauses. Only those in `general` (the safeguard clauses) apply to a whole Part or
    bill: another power's "investigation under this Act" does not lend its warrant to every power.
    """
    own = places[power]
    sources = [(power, "its own clause")]
    for other in guards:
        if other == power:
            continue
        place = places[other]
        how = ""
        if own.section and place.section == own.section:
            how = "the same section"
        elif own.section and own.section in place.names:
            how = f"names s. {own.section}"
        elif place.section and place.section in own.names:
            how = f"s. {place.section}, which the power names"
        elif place.bill_wide and other in general:
            how = "applies to the whole bill"
        elif place.part_wide and place.part == own.part and other in general:
            how = "applies to its Part"
        if how:
            sources.append((other, how))
    return sources
