"""Justice Laws Canada's LIMS XML, as justicecanada/laws-lois-xml publishes it: one statute a file.

    eng/acts/M-13.6.xml                                  consolidated Act: <Statute>
    annual-statutes-lois-annuelles/en/2019/2019-c25_e.xml  annual statute as assented to: <Bill>

    <Statute><Identification><ShortTitle>Criminal Code</ShortTitle>...</Identification>
      <Body><Heading>...</Heading>
        <Section><MarginalNote>Mischief in relation to computer data</MarginalNote><Label>430</Label>
          <Subsection><Label>(1.1)</Label><Text>Everyone commits mischief who wilfully</Text>
            <Paragraph><Label>(a)</Label><Text>destroys or alters computer data;</Text></Paragraph> ...
          <HistoricalNote>R.S., c. C-34, s. 387; ...</HistoricalNote></Section>

Each subsection is a provision (430(1.1) is cited on its own); a section without subsections is
one. Marginal notes become the heading; history notes, footnotes and reader's notes are left out of
the text. A defined term (<DefinedTermEn>) is written in quotes, “data” means ..., so that the
segmenter cuts a definitions section into one clause per definition, as the printed consolidation
marks the term in bold italics. A repealed unit (`<Repealed>[Repealed, 2019, c. 25, s. 1]</Repealed>`)
and a section marked `in-force="no"` are counted, not imported, as is an amending section a
consolidation prints only as "[Amendment]". An amending section keeps the text
it inserts (<AmendedText>) on its own line. Only English is read: eng/ and .../en/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from clauseclf.corpus.statute import Provision, Statute, UnknownLayout, continue_line, local_name, parse_xml, words
from clauseclf.errors import InputError

LAYOUT = "lims-xml"
ACTS = Path("eng/acts")
ANNUAL = Path("annual-statutes-lois-annuelles/en")

# Units cited on their own line: (a) paragraphs, (i) subparagraphs, (A) clauses ..., and definitions.
_UNITS = {"Subsection", "Paragraph", "Subparagraph", "Clause", "Subclause", "Subsubclause", "Definition",
          "Item", "Provision", "FormulaParagraph"}
# Not statute text: notes of history and editing, and the marginal note (kept as the heading).
_NOTES = {"MarginalNote", "HistoricalNote", "HistoricalNoteSubItem", "Footnote", "FootnoteRef", "Note",
          "ReaderNote", "RecentAmendments", "Repealed"}
# A repeal notice, and what a consolidation prints for an amending section it leaves out.
_REPEAL_NOTICE = re.compile(r"^\[Repealed\b[^\]]*\]\.?$")
_AMENDMENT = re.compile(r"^\[(?:Amendments?|Consequential amendments?)[^\]]*\]\.?$", re.IGNORECASE)
# Parts of the Act that are not its body's sections: related provisions, amendments not in force, schedules.
_NOT_BODY = {"Schedule", "RelatedOrNotInForce", "AmendedText", "Heading"}


def is_lims(root: Path) -> bool:
    return (root / ACTS).is_dir() or (root / ANNUAL).is_dir()


def lims_paths(root: Path) -> list[Path]:
    return sorted((root / ACTS).glob("*.xml")) + sorted((root / ANNUAL).rglob("*.xml"))


def read_lims(path: Path, relative: str) -> Statute:
    """The statute of one file; its sections are read when the importer reaches them."""
    statute_xml = parse_xml(path, "a Justice Laws <Statute> or <Bill> (LIMS XML)")
    if local_name(statute_xml) not in ("Statute", "Bill"):
        raise UnknownLayout(path, f"not a Justice Laws statute (root element <{local_name(statute_xml)}>)",
                         hint="the lims-xml layout reads eng/acts/*.xml and annual-statutes-lois-annuelles/en/")
    identification = statute_xml.find("Identification")
    short = identification.find("ShortTitle") if identification is not None else None
    long_title = words(_text(identification.find("LongTitle"))) if identification is not None else ""
    # An annual statute's unofficial short title reads "Patent Act, An Act to amend the": the long title is clearer.
    if short is not None and short.get("status") != "unofficial" and _text(short).strip():
        title = words(_text(short))
    else:
        title = long_title or (words(_text(short)) if short is not None else path.stem)
    year = identification.findtext("Chapter/AnnualStatuteId/YYYY") if identification is not None else None
    statute = Statute(slug=re.sub(r"_[ef]$", "", path.stem), title=title,
                      year=int(year) if year and year.strip().isdigit() else None, provisions=[], path=relative)
    body = statute_xml.find("Body")
    statute.provisions = _body_provisions(body, statute) if body is not None else iter(())
    return statute


def _body_provisions(body, statute: Statute) -> Iterator[Provision]:
    for section in _sections(body):
        statute.sections += 1
        number = words(section.findtext("Label") or "").rstrip(".")
        # An amending section's marginal notes cite the amendments to what it amends ("2019, c. 25, s. 225(3)").
        amending = section.get("type") == "amending"
        heading = "" if amending else _heading(section)
        if section.get("in-force") == "no":
            statute.skipped["section not in force"] += 1
            continue
        if not any(local_name(c) in _UNITS for c in section):
            if _repealed(section):
                statute.skipped["repealed section"] += 1
                continue
            if _AMENDMENT.match(words(_text(section.find("Text")))):
                statute.skipped["amending section left out of the consolidation"] += 1
                continue
        # Each subsection on its own; a lead-in before the first, or text after the last, stays with it.
        groups: list[list] = [[]]
        for child in section:
            if local_name(child) == "Subsection":
                groups.append([child])
            elif local_name(child) not in ("Label", "MarginalNote"):
                groups[-1].append(child)
        for group in groups if len(groups) == 1 else [g for g in groups if g]:
            if not group or local_name(group[0]) != "Subsection":
                yield from _provisions(number, heading, group, statute, number)
            elif _repealed(group[0]):
                statute.skipped["repealed subsection or paragraph"] += 1
            elif _AMENDMENT.match(words(_text(group[0].find("Text")))) and len(group[0].findall("Paragraph")) == 0:
                statute.skipped["amending section left out of the consolidation"] += 1
            else:
                subsection = group[0]
                label = words(subsection.findtext("Label") or "")
                # The label is the provision's number ("430(1.1)"), so the subsection's own line starts with its text.
                parts = [c for c in subsection if local_name(c) not in ("Label", "MarginalNote")] + group[1:]
                note = "" if amending else _heading(subsection)
                yield from _provisions(f"{number}{label}", note or heading, parts, statute, number)


def _provisions(number: str, heading: str, parts: list, statute: Statute, section: str) -> Iterator[Provision]:
    """One provision, or, for a definitions section, its lead-in and then one provision per definition
    (numbered '2(1) "data"'): the printed term has no quotes for the segmenter to find after "In this Act,"."""
    definitions = [i for i, part in enumerate(parts) if local_name(part) == "Definition"]
    cuts = [(number, parts[:definitions[0]] if definitions else parts)]
    for i, at in enumerate(definitions):
        term = words("".join(parts[at].find("Text").itertext() if parts[at].find("Text") is not None else ""))
        defined = parts[at].find(".//DefinedTermEn")
        term = words("".join(defined.itertext())) if defined is not None else term[:40]
        until = definitions[i + 1] if i + 1 < len(definitions) else len(parts)
        cuts.append((f'{number} "{term}"', parts[at:until]))
    for cut_number, cut in cuts:
        lines = _lines(cut, statute)
        if lines or cut_number == number and not definitions:
            yield Provision(cut_number, heading, "\n".join(lines), True, section=section)


def _heading(unit) -> str:
    """The marginal note: the heading of the clauses, not their text."""
    note = unit.find("MarginalNote")
    return words("".join(note.itertext())) if note is not None else ""


def _sections(element) -> Iterator:
    """The body's sections in order, not those quoted inside another (amending text) nor schedules."""
    for child in element:
        name = local_name(child)
        if name == "Section":
            yield child
        elif name and name not in _NOT_BODY:
            yield from _sections(child)


def _lines(parts, statute: Statute) -> list[str]:
    """Each unit's label and opening text on a line, its own units on lines below, continued text after."""
    lines: list[str] = []
    for part in parts:
        name = local_name(part)
        if not name or name in _NOTES or name in ("Label", "MarginalNote"):
            continue
        if name in _UNITS:
            if _repealed(part):
                statute.skipped["repealed subsection or paragraph"] += 1
                continue
            own = [words(part.findtext("Label") or "")]
            children = [c for c in part if local_name(c) not in _NOTES and local_name(c) not in ("Label", "MarginalNote")]
            lead = 1 if children and local_name(children[0]) == "Text" else 0
            own += [words(_text(c)) for c in children[:lead]]
            if words(" ".join(own)):
                lines.append(words(" ".join(own)))
            lines.extend(_lines(children[lead:], statute))
        else:
            # Continued text after a list, a table, a formula, the text an amendment inserts: one line each.
            continue_line(lines, words(_text(part)))
    return lines


def _repealed(unit) -> bool:
    """A unit whose own text is a repeal notice: '<Text><Repealed>[Repealed, 1999, c. 18, s. 97]</Repealed></Text>',
    or the same notice as plain text ('<Text>[Repealed, 2012, c. 24, s. 102]</Text>')."""
    text = unit.find("Text")
    if text is None:
        return False
    return text.find(".//Repealed") is not None or bool(_REPEAL_NOTICE.match(words("".join(text.itertext()))))


def _text(element) -> str:
    """The words of an element, notes and footnote marks left out, a defined term in quotes, a table's
    rows as 'cell | cell; ...', an amendment's inserted sections with their numbers."""
    if element is None:
        return ""
    name = local_name(element)
    if not name or name in _NOTES:
        return ""
    if name in ("row",):
        return " | ".join(words(_text(entry)) for entry in element if local_name(entry) == "entry") + "; "
    if name in ("Leader", "LeaderRightJustified", "LineBreak", "PageBreak"):
        return " "
    inner = [element.text or ""]
    for child in element:
        inner.append(_text(child))
        inner.append(child.tail or "")
    text = "".join(inner)
    if name == "DefinedTermEn":
        return f"“{text}”"
    if name in ("Text", "Label", "Section", "Subsection", "Paragraph", "Subparagraph", "Clause", "Subclause",
                "Definition", "Item", "entry", "TitleText", "AmendedText", "ContinuedSectionSubsection"):
        return f" {text} "  # block elements: words on either side stay apart
    return text
