"""The District of Columbia Code as DCCouncil/law-xml-codified publishes it: one XML file a section.

    us/dc/council/code/titles/23/index.xml             the title: heading, chapters, section order
    us/dc/council/code/titles/23/sections/23-542.xml   <section><num>23-542</num><heading>...</heading>
                                                        <para><num>(a)</num><text>...</text><para>...</para>
                                                        <aftertext>...</aftertext></para>
                                                        <annotations>history, notes</annotations></section>

A title is one instrument ("D.C. Code Title 23: Criminal Procedure"). Statute text is what the
section's `num`, `heading`, `text`, `para`, `aftertext` and quoted `include` hold; the history and
editor's notes (`annotations`), the codifier's own markup (the `codify:` namespace: pending
amendments, temporary-law notices) and the editor's "*NOTE: ...*" texts are left out. A section
kept as a placeholder (`<reason>Repealed</reason><text>Repealed.</text>`; also expired, not
funded, recodified, transferred ...) is counted, not imported. Other layouts in the same repository (uk/parliament: reserved GB; us/congress) are
never read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from clauseclf.corpus.statute import Provision, Statute, UnknownLayout, continue_line, local_name, parse_xml, words
from clauseclf.errors import InputError

TITLES = Path("us/dc/council/code/titles")
LAYOUT = "dc-code-xml"
_LIBRARY = "https://code.dccouncil.us/schemas/dc-library"
_XINCLUDE = "{http://www.w3.org/2001/XInclude}include"
# What a placeholder section says instead of its text ("Repealed.", "[Not Funded].", "Recodified as § 1-301.88d.").
_PLACEHOLDER = re.compile(r"^\[?(repealed|expired|not funded|transferred|recodified|omitted|reserved|abolished|"
                          r"renumbered|not applicable|applicable)\b", re.IGNORECASE)
_REPEALED_PARA = re.compile(r"^\[?repealed\]?\.?$", re.IGNORECASE)
# A numbered definition: '(3) the term “intercept” means ...', '(2) "Consent search" means ...'.
_DEFINES = re.compile(r"^(?:the terms? )?[“\"][^”\"]{1,80}[”\"],?\s+(?:\w+\s+){0,6}?(?:means|includes|has the|shall)\b",
                      re.IGNORECASE)
_SECTION_PARTS = {"num", "heading", "reason", "prefix", "annotations"}


def is_dc_code(root: Path) -> bool:
    return (root / TITLES).is_dir()


def dc_statutes(root: Path, files: list[str] | None = None) -> Iterator[Statute]:
    """One statute per title, its sections in the title's own order (index.xml), or `files` only."""
    if files:
        by_title: dict[Path, list[Path]] = {}
        for name in files:
            path = root / name
            by_title.setdefault(path.parent.parent, []).append(path)
        titles = list(by_title.items())
    else:
        titles = [(folder, []) for folder in sorted((root / TITLES).iterdir(), key=_title_key) if folder.is_dir()]
    for folder, chosen in titles:
        yield _title(root, folder, chosen)


def _title(root: Path, folder: Path, chosen: list[Path]) -> Statute:
    number = folder.name
    heading, order = _index(folder / "index.xml")
    on_disk = sorted((folder / "sections").glob("*.xml"))
    # The index gives the Code's order (22-101 before 22-1001); sections it does not list follow.
    listed = [p for p in order if p.exists()]
    paths = chosen or listed + sorted(set(on_disk) - set(listed))
    name = f"D.C. Code Title {number}" + (f": {heading}" if heading else "")
    statute = Statute(slug=f"dc-code-title-{number}", title=name, year=None, provisions=[],
                      path=(folder / "index.xml").relative_to(root).as_posix())
    statute.provisions = _sections(root, paths, statute)
    return statute


def _index(path: Path) -> tuple[str, list[Path]]:
    """The title's heading without "[Enacted title]", and its sections in order; nothing if no index."""
    if not path.exists():
        return "", []
    try:
        index = parse_xml(path, "a D.C. Code title index")
    except InputError:
        return "", []  # the sections are still read, in file order
    heading = next((words(h.text or "") for h in index if local_name(h) == "heading"), "")
    heading = re.sub(r"\s*\[[^\]]*\]\.?$", "", heading).rstrip(".")
    order = [path.parent / include.get("href", "") for include in index.iter(_XINCLUDE)]
    return heading, order


def _sections(root: Path, paths: list[Path], statute: Statute) -> Iterator[Provision]:
    for path in paths:
        relative = path.relative_to(root).as_posix()
        try:
            section = parse_xml(path, "a D.C. Code section (<section> of the dc-library schema)")
            if local_name(section) != "section" or not section.tag.startswith("{" + _LIBRARY):
                raise UnknownLayout(path, f"not a D.C. Code section (root element <{local_name(section)}>)",
                                 hint="the dc-code-xml layout reads us/dc/council/code/titles/*/sections/*.xml")
        except UnknownLayout as error:
            statute.problems.append(str(error))
            statute.skipped["file in an unknown layout"] += 1
            continue
        except InputError as error:
            statute.problems.append(str(error))
            statute.skipped["malformed file"] += 1
            continue
        statute.sections += 1
        yield from _section_provisions(section, relative, statute)


def _section_provisions(section, relative: str, statute: Statute) -> Iterator[Provision]:
    number = words(_child_text(section, "num"))
    heading = words(_child_text(section, "heading")).rstrip(".")
    body = [child for child in section if _is_text_part(child) and local_name(child) not in _SECTION_PARTS]
    body = [child for child in body if not _is_note(child)]
    status = _placeholder(section, body)
    if status:
        statute.skipped[f"{status} section"] += 1
        return
    paras = [child for child in body if local_name(child) == "para"]
    lead_in = paras and body.index(paras[0]) > 0
    if lead_in and sum(bool(_DEFINES.match(words(_inline_texts(p)))) for p in paras) > len(paras) / 2:
        # A definitions section: the lead-in, then each numbered definition on its own, as ANNOTATION.md cuts them.
        yield Provision(number, heading, "\n".join(_lines(body[:body.index(paras[0])], statute)), True, relative, number)
        lead_in = False
        body = body[body.index(paras[0]):]
    if not paras or lead_in:
        # A lead-in ("As used in this subchapter —") and its numbered items are one provision.
        yield Provision(number, heading, "\n".join(_lines(body, statute)), True, relative, number)
        return
    # Subsections (a), (b) ... each a provision; text after the last one belongs to it.
    groups: list[list] = []
    for child in body:
        if local_name(child) == "para" or not groups:
            groups.append([child])
        else:
            groups[-1].append(child)
    for group in groups:
        lines = _lines(group, statute)
        label = words(_child_text(group[0], "num")) if local_name(group[0]) == "para" else ""
        if label and lines and lines[0].startswith(label):
            # The label is the provision's number ("23-542(a)"), so its own line starts with its text.
            lines[0] = lines[0][len(label):].strip()
        if words(" ".join(lines)):
            yield Provision(f"{number}{label}", heading, "\n".join(lines), True, relative, number)


def _placeholder(section, body) -> str:
    """'repealed', 'not funded' ... for a section kept only to say it is gone; '' for one in force."""
    if any(local_name(child) == "para" for child in body):
        return ""
    text = words(" ".join(_inline(child) for child in body))
    found = _PLACEHOLDER.match(text)
    if found:
        status = found.group(1).lower()
        return "not yet applicable" if status == "applicable" else status
    reason = next((words(r.text or "") for r in section if local_name(r) == "reason"), "")
    if section.get("placeholder") and len(text) < 200:
        return (reason or section.get("placeholder")).lower()
    return ""


def _lines(parts, statute: Statute) -> list[str]:
    """A para as lines: its number, heading and text on one, each sub-para on its own, then its after-text."""
    lines: list[str] = []
    for part in parts:
        name = local_name(part)
        if not _is_text_part(part):
            continue
        if name in ("para", "container", "include"):
            children = [c for c in part if _is_text_part(c)]
            # The para's number, heading and opening text make its first line; what follows keeps its order.
            lead = 0
            while lead < len(children) and local_name(children[lead]) in ("num", "heading", "prefix", "text"):
                lead += 1
            own = words(" ".join(_inline(c) for c in children[:lead]))
            if name == "para" and _REPEALED_PARA.match(words(_inline_texts(part))) and not _has_para(part):
                statute.skipped["repealed subsection or paragraph"] += 1
                continue
            if own:
                lines.append(own)
            lines.extend(_lines(children[lead:], statute))
        elif name in ("text", "aftertext"):
            continue_line(lines, words(_inline(part)))
    return [line for line in lines if line]


def _is_note(element) -> bool:
    """The codifier's notice in a text element: '*NOTE: This section includes amendments by emergency legislation ...*'."""
    return local_name(element) == "text" and "".join(element.itertext()).lstrip().startswith("*NOTE")


def _inline(element) -> str:
    """The words of an element: citations and emphasis kept, a table's rows as 'cell | cell; ...',
    the codifier's markup (pending amendments, notices) left out."""
    name = local_name(element)
    if not _is_text_part(element) or _is_note(element):
        return ""
    if name == "table":
        rows = [" | ".join(words(_inline(cell)) for cell in row if local_name(cell) in ("td", "th"))
                for row in element.iter("{%s}tr" % _LIBRARY)]
        return " " + "; ".join(row for row in rows if row) + " "
    if name == "br":
        return " "
    parts = [element.text or ""]
    for child in element:
        parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _inline_texts(para) -> str:
    return " ".join(_inline(c) for c in para if local_name(c) == "text")


def _has_para(element) -> bool:
    return any(local_name(c) == "para" for c in element)


def _is_text_part(element) -> bool:
    """Elements of the dc-library schema, not the codifier's (`codify:`, `codified:`) nor comments."""
    return isinstance(element.tag, str) and element.tag.startswith("{" + _LIBRARY)


def _child_text(element, name: str) -> str:
    return next((_inline(child) for child in element if local_name(child) == name), "")


def _title_key(folder: Path) -> tuple[int, str]:
    """Titles in the Code's order: 1, 2, ..., 27, 27A, 28 ... (not 1, 10, 11)."""
    found = re.match(r"(\d+)(.*)", folder.name)
    return (int(found.group(1)), found.group(2)) if found else (10**6, folder.name)
