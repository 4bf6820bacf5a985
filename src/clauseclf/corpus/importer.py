"""Public bulk legislation collections in, clause records (text and provenance, no labels yet) out.

A collection is a folder of statutes, as a public repository publishes it. Three layouts are read,
told apart by their folders:

    ansvar-json  `data/seed/*.json` of the Ansvar-Systems `*-law-mcp` repositories: one statute a
                 file, `{title, title_en, issued_date, provisions: [{provision_ref, section, title,
                 content}]}`, or `{documents: [...], provisions: [{section_number, title, text}]}`
    dc-code-xml  `us/dc/council/code/titles/*/sections/*.xml` of DCCouncil/law-xml-codified: the
                 District of Columbia Code, one section a file, a title an instrument (dc_code.py)
    lims-xml     `eng/acts/*.xml` and `annual-statutes-lois-annuelles/en/` of
                 justicecanada/laws-lois-xml: Justice Laws Canada's consolidated Acts and annual
                 statutes, one statute a file (lims.py)

Each provision is cut into the clause units of ANNOTATION.md by the project's own segmenter
(`segment_text`), after the collection's flattening is undone: list items and subsections go
back on lines of their own. What is not imported is counted with its reason, never dropped
silently: empty provisions, duplicates, clauses over `max_chars`, malformed files, instruments
outside the relevant fields. A reserved jurisdiction (kept for blind evaluation) is refused.

    >>> lines_of_provision("3. —(1) Any person who — ( a ) does X; or ( b ) does Y. (2) Subsection (1) applies.", "3")
    '(1) Any person who —\\n(a) does X; or\\n(b) does Y.\\n(2) Subsection (1) applies.'
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from clauseclf.corpus import dc_code, lims, text_fingerprint
from clauseclf.corpus.reserved import RESERVED_JURISDICTIONS
from clauseclf.corpus.statute import Provision, Statute, UnknownLayout
from clauseclf.errors import InputError
from clauseclf.language import looks_english
from clauseclf.segment.splitter import segment_text
from clauseclf.utf8 import Expected, read_utf8

# Titles of the instruments worth annotating for this task: penal and criminal codes, cyber and
# computer-misuse laws, communications, interception and surveillance, terrorism, media, mutual
# legal assistance, criminal procedure and evidence.
RELEVANT_TITLE = re.compile(
    r"p[ée]nal|criminal|crime|cyber|computer|telecom|communication|intercept|surveillance|terror|"
    r"media|press|broadcast|publication|mutual (legal )?assistance|extradition|evidence|"
    r"electronic transaction|information technology|online|internet|falsehood|sedition|"
    r"defamation|obscen|investigat|(?<!social )security|police|procedure",
    re.IGNORECASE,
)
# A clause longer than this is a schedule or a list of definitions, not a rule to annotate.
DEFAULT_MAX_CHARS = 6000
# What a collection's statute file is, for the messages that refuse a binary file or one that is not UTF-8.
STATUTE_FILE = Expected("statute file", "UTF-8 JSON of one statute and its provisions")

_SPACED_ENUMERATOR = re.compile(r"\(\s+([A-Za-z0-9]{1,6})\s+\)")
_SUBSECTION = re.compile(r"(?:(?<=^)|(?<=[.;:—–]))\s*(?=\(\d+[A-Z]?\)\s)")
_LIST_ITEM = re.compile(r"(?:(?<=^)|(?<=[;:—–,])|(?<=\bor)|(?<=\band))\s*(?=\((?:[a-z]{1,2}|[ivx]{1,5})\)\s)")
# Codes whose subsections are lettered (the United States Code: "(a) ... . (b) ...").
_LETTERED_SUBSECTION = re.compile(r"(?<=\.)\s*(?=\([a-z]\)\s)")
_DEGREE_ITEM = re.compile(r"(?<=[;:])\s*(?=\d{1,2}°\s)")
_LEADING_NUMBER = re.compile(r"(\d+[A-Z]?(?:\.\d+)*)\.?\s")
_DEFINITION = re.compile(r"(?<=[;:.—–])\s*(?=[“\"][^”\"]{1,80}[”\"]\s+(?:means|includes|has the)\b)")


@dataclass
class ImportResult:
    """Clause records in collection order, and what was left out, by reason."""

    records: list[dict] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    instruments: int = 0
    sections: int = 0  # of the instruments imported, those left out included


@dataclass(frozen=True)
class Provenance:
    """Where a collection was read: its public repository and commit."""

    repository: str
    commit: str

    def source(self, path: str, section: str) -> str:
        return f"https://github.com/{self.repository}/blob/{self.commit}/{path}#{section}"


def import_collection(root: Path, jurisdiction: str, provenance: Provenance, *, lang: str = "",
                      all_instruments: bool = False, max_chars: int = DEFAULT_MAX_CHARS,
                      known_texts: set[str] | None = None, files: list[str] | None = None) -> ImportResult:
    """Every clause of every relevant statute under `root` (a checkout of the collection).

    `files` (paths relative to root) picks instruments by hand; `known_texts` holds fingerprints
    of clauses already in a corpus, which are skipped as duplicates.
    """
    jurisdiction = refuse_reserved(root, jurisdiction)
    result = ImportResult()
    seen = set(known_texts or ())
    ids: Counter = Counter()
    for relative, load in _statute_loaders(root, files):
        try:
            statute = load()
        except UnknownLayout as error:
            result.problems.append(str(error))
            result.skipped["file in an unknown layout"] += 1
            continue
        except InputError as error:
            result.problems.append(str(error))
            result.skipped["malformed file"] += 1
            continue
        if statute is None:
            result.skipped["not a statute file"] += 1
            continue
        if not all_instruments and not files and not RELEVANT_TITLE.search(statute.title):
            result.skipped["instrument outside the relevant fields"] += 1
            continue
        result.instruments += 1
        for record in _statute_clauses(statute, jurisdiction, lang, provenance, relative, result):
            fingerprint = text_fingerprint(record["text"])
            if fingerprint in seen:
                result.skipped["duplicate clause"] += 1
            elif len(record["text"]) > max_chars:
                result.skipped[f"clause over {max_chars} characters"] += 1
            else:
                seen.add(fingerprint)
                record["id"] = _unique(record["id"], ids)
                result.records.append(record)
        # What the reader left out while reading (repealed sections, unreadable section files).
        result.sections += statute.sections
        result.skipped.update(statute.skipped)
        result.problems.extend(statute.problems)
    return result


def _statute_loaders(root: Path, files: list[str] | None):
    """(path, function that reads the statute) for each statute of the collection, in its layout."""
    if files:
        dc_files = [f for f in files if Path(f).is_relative_to(dc_code.TITLES)]
        for statute in dc_code.dc_statutes(root, dc_files) if dc_files else ():
            yield statute.path, lambda statute=statute: statute
        for name in (f for f in files if f not in dc_files):
            path = root / name
            reader = lims.read_lims if path.suffix.lower() == ".xml" else _read_statute
            yield name, lambda path=path, name=name, reader=reader: reader(path, name)
        return
    if dc_code.is_dc_code(root):
        for statute in dc_code.dc_statutes(root):
            yield statute.path, lambda statute=statute: statute
        return
    if lims.is_lims(root):
        paths, reader = lims.lims_paths(root), lims.read_lims
    else:
        paths, reader = sorted((root / "data" / "seed").rglob("*.json")), _read_statute
    if not paths:
        raise InputError(root, "no statute files found: expected data/seed/*.json (ansvar-json), "
                               f"{dc_code.TITLES.as_posix()}/*/sections/*.xml (dc-code-xml) or "
                               f"{lims.ACTS.as_posix()}/*.xml and {lims.ANNUAL.as_posix()}/ (lims-xml)",
                         hint="give the folder of a checked-out collection")
    for path in paths:
        relative = path.relative_to(root).as_posix()
        yield relative, lambda path=path, relative=relative: reader(path, relative)


def refuse_reserved(root: Path, jurisdiction: str) -> str:
    """The code, upper-cased; a jurisdiction kept for blind evaluation is refused."""
    jurisdiction = jurisdiction.upper()
    if jurisdiction in RESERVED_JURISDICTIONS:
        raise InputError(root, f"jurisdiction {jurisdiction} is reserved for blind evaluation",
                         hint="its laws may not enter the corpus, whatever the source")
    return jurisdiction


def _read_statute(path: Path, relative: str) -> Statute | None:
    """A statute of the ansvar-json layout; None for a JSON file that holds none."""
    try:
        raw = json.loads(read_utf8(path, STATUTE_FILE))
    except json.JSONDecodeError as error:
        raise InputError(path, f"malformed JSON: {error.msg}", line=error.lineno) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("provisions"), list):
        return None
    if isinstance(raw.get("documents"), list):  # the {documents, provisions} variant: one document
        document = raw["documents"][0] if raw["documents"] else {}
        title = str(document.get("title") or document.get("short_name") or path.stem)
        year = _year(document.get("effective_date"))
        keys = ("section_number", "title", "text")
    else:
        title = str(raw.get("title_en") or raw.get("title") or path.stem)
        year = _year(raw.get("issued_date"))
        keys = ("section", "title", "content")
    provisions = [Provision(*(str(p.get(k) or "") for k in keys)) for p in raw["provisions"] if isinstance(p, dict)]
    refs = [str(p.get("provision_ref") or p.get("title") or "") for p in raw["provisions"] if isinstance(p, dict)]
    article_style = bool(refs) and sum(r.lower().startswith("art") for r in refs) > len(refs) / 2
    return Statute(path.stem, title, year, provisions, article_style, relative, sections=len(provisions))


def _statute_clauses(statute: Statute, jurisdiction: str, lang: str, provenance: Provenance, path: str,
                     result: ImportResult):
    for provision in statute.provisions:
        number, title, content = provision.number, provision.heading, provision.text
        number = number.replace("§", "").strip().rstrip(".")
        if not content.strip():
            result.skipped["empty provision"] += 1
            continue
        if not number:  # some collections leave the number in the content only ("5.1. Associated persons ...")
            found = _LEADING_NUMBER.match(content.strip())
            number = found.group(1) if found else ""
        title = re.sub(rf"^(section|article|art\.?)\s+({re.escape(number)}|[A-Za-z]+)\.?\s*[—–-]?\s*", "",
                       title, flags=re.IGNORECASE)
        # The segmenter sees the provision as section 1 (numbers such as "183.1" or "32 bis" are not
        # section numbers to it); the real number goes back into the unit.
        if provision.lined:
            # Read from XML: the heading is known, so the segmenter gets a placeholder title with the body
            # on the same line ("1. Provision.— the term ... means"), where a body starting in lower case
            # would otherwise be read as the title running on.
            first, _, rest = content.strip().partition("\n")
            text = f"1. Provision.— {first}\n{rest}\n"
        else:
            text = f"1. {title.strip() or 'Provision'}\n{lines_of_provision(content, number, title.strip())}\n"
        for clause in segment_text(text, statute.slug).clauses:
            clause_text = " ".join(text[clause.start:clause.end].split())
            if not clause_text:
                continue
            unit = _unit(clause.unit, number, statute.article_style) if number else ""
            yield {
                "id": _clause_id(jurisdiction, statute.slug, unit or number),
                "text": clause_text,
                "instrument": statute.title,
                "jurisdiction": jurisdiction,
                "year": statute.year,
                "unit": unit,
                "heading": title.strip(),
                "lang": lang or ("en" if looks_english(clause_text) else ""),
                "source": provenance.source(provision.path or path, provision.section or number),
            }


def lines_of_provision(content: str, number: str, title: str = "") -> str:
    """A flattened provision with its subsections and list items back on lines of their own."""
    text = " ".join(_SPACED_ENUMERATOR.sub(r"(\1)", content).split())
    if number:  # the section number repeated at the start of the content ("3. —(1) ...")
        text = re.sub(rf"^(?:section\s+)?{re.escape(number)}\.?\s*[—–-]?\s*", "", text, flags=re.IGNORECASE)
        if title and text.lower().startswith(title.lower()):  # the title repeated after it
            text = text[len(title):].lstrip(" .—–-")
    for pattern in (_SUBSECTION, _LIST_ITEM, _LETTERED_SUBSECTION, _DEGREE_ITEM, _DEFINITION):
        text = pattern.sub("\n", text)
    return text.strip()


def _unit(segmenter_unit: str, number: str, article_style: bool) -> str:
    """'s. 1(2) "data"' for provision 183.1 -> 's. 183.1(2) "data"'; a bare paragraph is the provision."""
    rest = segmenter_unit[len("s. 1"):] if re.match(r"s\. 1(?![\w.])", segmenter_unit) else ""
    return f"{'art.' if article_style else 's.'} {number}{rest}"


def collection_commit(root: Path) -> str:
    """The commit a checked-out collection is at; refuses a folder that is not a git checkout."""
    import subprocess

    try:
        return subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], check=True, capture_output=True,
                              text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        raise InputError(root, "not a git checkout, so the commit read is unknown",
                         hint="pass --commit with the commit the files come from") from None


def _clause_id(jurisdiction: str, slug: str, unit: str) -> str:
    """'s. 50Α(2)' of cy-law-154 -> 'cy-0152-cy-law-154-s-50α-2' (letters of any script kept)."""
    unit_slug = re.sub(r"[\W_]+", "-", unit.lower()).strip("-") or "x"
    return f"{jurisdiction.lower()}-{re.sub(r'[^a-z0-9]+', '-', slug.lower()).strip('-')}-{unit_slug}"


def _unique(clause_id: str, used: Counter) -> str:
    """The id, or with -2, -3 ... when a unit is cited twice in one instrument (amending acts)."""
    used[clause_id] += 1
    candidate, n = clause_id, used[clause_id]
    while n > 1 and candidate in used:
        candidate, n = f"{clause_id}-{n}", n + 1
    if candidate != clause_id:
        used[candidate] += 1
    return candidate


def _year(value) -> int | None:
    match = re.match(r"(\d{4})", str(value or ""))
    return int(match.group(1)) if match else None
