"""Cut a statute's extracted text into the clauses a lawyer would cite.

Shared by every text-based reader (.txt, .pdf, .docx, .html). The unit of a clause
is the smallest part of the law that says something whole:

- a subsection ("s. 14(1)"), or a section that has none ("s. 23");
- an article's numbered paragraph ("art. 4(1)"), or an article that has none;
- one definition of a definitions section ('s. 2 "access"'), after the lead-in
  ("In this Act, unless the context otherwise requires—") which is its own clause;
- a section's illustrations ("s. 20 illustrations"), which illustrate the whole section;
- text before the first section ("preamble"), and numbered or unnumbered paragraphs
  after a heading that is not part of the body (e.g. a memorandum: "para. 3").

Lists stay with their lead-in: "A person who— (a) ...; (b) ..., commits an offence"
is one clause, whatever its (a), (b), (i) items. PART/CHAPTER headings and section
titles (marginal notes) are not clause text: they make up the clause's `heading`
path. A table of contents ("ARRANGEMENT OF SECTIONS") is skipped, and running
headers, footers and page numbers are left out of clause text; both are reported in
the notes.

What the offsets guarantee: `text[start:end]` starts at the first word after the
clause's own marker ("(1)", "14.", the title) and ends at its last character, and
`clause.text` is that span with its whitespace collapsed to single spaces and any
header, footer or page-number lines inside it left out (`span_text` rebuilds it).

This module is over 400 lines: the walker that recognises markers, headings, lists,
tables of contents and page furniture keeps its state in one class, and its rules
refer to each other; split only along a seam that leaves each rule readable whole.

>>> clauses = split_clauses("1. Short title\\nThis Act may be cited as the Demo Act.\\n"
...                         "2. Offence\\n(1) A person who—\\n(a) hacks; or\\n(b) cracks,\\n"
...                         "commits an offence.\\n(2) It is a defence to act with consent.", "demo")
>>> [(c.unit, c.text) for c in clauses]  # doctest: +NORMALIZE_WHITESPACE
[('s. 1', 'This Act may be cited as the Demo Act.'),
 ('s. 2(1)', 'A person who— (a) hacks; or (b) cracks, commits an offence.'),
 ('s. 2(2)', 'It is a defence to act with consent.')]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from clauseclf.schema import Clause
from clauseclf.segment import conservation
from clauseclf.segment.conservation import RemovedLine

# --- line patterns -----------------------------------------------------------------

_NUMBER = r"(\d{1,4}[A-Z]{0,2})"
# "Article 4", "Art. 4", "Article (4)" (Qatar), "Artikel 4." (Dutch), "Άρθρο 4" (Greek), and French laws'
# first article, "Article premier" or "Article 1er" (FIRST_ARTICLE names it 1).
FIRST_ARTICLE = ("premier", "1er")
# A code's article inserted by an amending law is numbered after its chapter ("Article 431-7": the penal
# code's Title III, chapter 431, article 7, in Senegal's Loi 2008-11): CODED_ARTICLE tells those apart.
CODED_ARTICLE = re.compile(r"(\d{1,4})-(\d{1,4})")
ARTICLE = re.compile(r"^(?:ARTICLE|Article|Art\.|ARTIKEL|Artikel|ΑΡΘΡΟ|Άρθρο)\s*\(?"
                     r"(\d{1,4}-\d{1,4}|\d{1,4}[A-Z]{0,2}|[Pp]remier|PREMIER|1er)(?:\)|\b)\.?\s*(?:[-–—:.]\s*)?(.*)$")
SECTION_WORD = re.compile(r"^(?:SECTION|Section|SEC\.|Sec\.|§{1,2})\s*" + _NUMBER + r"\b\.?\s*(?:[-–—:.]\s*)?(.*)$")
# "12." "12A." "12.(1)": the dot is required, so "12 years" in a wrapped line never matches. A revised
# edition's amendment bracket may open before the number ("[4. Penalty for demanding dowry.—If ...").
NUMBERED = re.compile(r"^\[?" + _NUMBER + r"\.(?!\d)\s*(.*)$")
# A code's section numbered chapter.section ("165.002 Definitions for ORS 165.002 to 165.070. As used in ...": the
# Oregon Revised Statutes; Texas writes "Sec. 32.31."): the number, a space, then the catchline.
DECIMAL = re.compile(r"^(\d{1,4}[A-Z]?\.\d{1,4}[A-Z]?)(?![.\d])\s+(?=\S)(.*)$")
# Numbered paragraphs inside an article: "1 Each Party shall..." (ETS layout) or "1. ...".
# Capitals include accented Latin and Greek ones ("1. Η «ΑΝΑΠΛΑΣΗ ΑΘΗΝΑΣ Α.Ε.» ...").
_CAPITAL = "A-ZÀ-ÖØ-ÞΆΈ-ΏΑ-Ω"
ARTICLE_PARAGRAPH = re.compile(r"^(\d{1,2})\.?\s+(?=[" + _CAPITAL + r"\"“«(]|[a-z]\s+[" + _CAPITAL + r"])(.*)$")
# "(1)", "(a)", and with an amendment bracket around it or opening before it: "[(1)] If ...", "[(2) Nothing ...".
# OCR may read "(4)" as "( 4)": a space before a number is allowed.
ENUMERATOR = re.compile(r"^\[?\((?:\s(?=\d))?([0-9]{1,3}[A-Z]{0,2}|[a-z]{1,4}|[A-Z]{1,2})\)\]?\s*(.*)$")
# What OCR makes of a subsection's "(1)": "(I)" and "(l)" never open a section's subsections otherwise ("(l)" is a
# list's twelfth item, and "(I)" its ninth or a roman list's first, both only after a lead-in).
OCR_ONE = ("I", "l")
# "Chapter One", "Part Two" (Qatar's laws in English).
_WORD_NUMBER = r"(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
HEADING = re.compile(
    r"^(PART|Part|CHAPTER|Chapter|DIVISION|Division|TITLE|Title|BOOK|Book|SUB-PART|Sub-Part|AFDELING|Afdeling)"
    r"\s+([IVXLC]+|\d{1,3}[A-Z]?|[A-Z]|" + _WORD_NUMBER + r")\b\.?(?:\s*[-–—:.]\s*(.*)|\s+([A-Z][A-Z ,'’&()/-]*)|\s*)$"
)
# French group headings, with the same groups as HEADING: "Chapitre premier Dispositions générales" (Morocco's
# Loi 05-20), "TITRE II : DES INFRACTIONS"; the name may be in mixed case after the number, as French prints it.
FRENCH_HEADING = re.compile(
    r"^(CHAPITRE|Chapitre|TITRE|Titre|LIVRE|Livre)\s+([IVXLC]+|\d{1,3}|[Pp]remier|PREMIER|Ier|IER|1er)\b\.?"
    r"(?:\s*[-–—:.]\s*(.*)|\s+([A-ZÀ-Þ«].*)|\s*)$"
)


def heading_match(text: str) -> re.Match | None:
    """A Part, Chapter, Division ... heading line (HEADING), or a French Livre, Titre or Chapitre."""
    return HEADING.match(text) or FRENCH_HEADING.match(text)


# A heading's name in brackets on the line below it ("Chapter Two" / "(Content Crimes)").
SUBTITLE = re.compile(r"^\([^()]{3,120}\)$")
SECTION_HEADING = re.compile(r"^(?:SECTION|Section)\s+(\d{1,3})\b\.?\s*(?:[-–—:.]\s*(.*)|\s*)$")
SCHEDULE = re.compile(r"^(?:(?:THE|FIRST|SECOND|THIRD|FOURTH|FIFTH)\s+)?(?:SCHEDULE|Schedule|ANNEX|Annex|ANNEXURE)\b.{0,60}$")
BARE_SCHEDULE = re.compile(r"^(?:(?:THE|FIRST|SECOND|THIRD|FOURTH|FIFTH)\s+)?(?:SCHEDULE|ANNEX|ANNEXURE)(?:\s+[IVXLC\d]+)?\.?$")
TOC = re.compile(r"^(?:ARRANGEMENT OF (?:SECTIONS|CLAUSES|ARTICLES)|TABLE OF CONTENTS|CONTENTS)\.?$", re.IGNORECASE)
# A definition, maybe lettered or numbered ("(a) “private information” means", "(2) “Government allottee”,—"),
# of one term or two ("(12) “repealed Act” or “repealed Acts” means").
DEFINITION = re.compile(
    r"^(?:\(?([a-z]{1,3}|\d{1,3})[).]?\s+)?[\"“‘']([^\"”’']{1,80})[\"”’'](?:\s+or\s+[\"“‘'][^\"”’']{1,80}[\"”’'])?"
    r"(?:[,]?\s+(?:means|includes|include|has the (?:same )?meaning|shall (?:mean|include|have)|refers to|"
    r"in relation to|in respect of|with respect to|when used|used in relation)|,?\s*(?:--|—|–|:)\s*$)"
)
# The end of a section title wrapped onto the body's first line: "non-compoundable.—(1) The Code ...".
TITLE_WRAP = re.compile(r"^([a-z][^—–.]{0,80})\.\s*[—–]+\s*(?=\S)")
# A line of asterisks: text the publisher left out (India Code's omitted Explanation I: "*   *   *   *   *").
OMISSION = re.compile(r"^\*(?:\s*\*){2,}$")
# A line that only cites, in brackets, the laws that amended a section or the chapter of another law: an
# editor's note of a consolidation (Nigeria's Laws of the Federation: "[1986 No. 17. Cap. T14.]", "[Cap. W6.]").
EDITORIAL_CITATION = re.compile(r"^\[\s*(?:(?:\d{4}\s*No\.?\s*\d{1,4}|Cap\.?\s*[A-Z]{1,2}\d{0,3}|"
                                r"(?:Act|L\.\s?N\.|S\.\s?I\.)\s*No\.?\s*\d{1,4}\s*of\s*\d{4})[.;,]?\s*)+\]$")
# An Act's enacting words, where its preamble starts ("BE it enacted by Parliament in the Twelfth Year ...").
ENACTING = re.compile(r"^(?:BE IT ENACTED|Be it enacted|BE it enacted|ENACTED by|WHEREAS|Whereas|NOW,? THEREFORE|"
                      r"It is hereby enacted)\b")
# The President's formula that opens a Greek law, after its number and title.
PROMULGATION = re.compile(r"^Ο ΠΡΟΕΔΡΟΣ\b")
# An Explanation of a section or subsection (India: "Explanation.—", "Explanation I.—", "Explanation 2.—").
EXPLANATION = re.compile(r"^Explanation\s*(?:[IVX]{1,4}|\d{1,2})?\s*\.?\s*[—–-]")
# A numbered definition written "term: meaning" (Dutch regulations: "1. bedrijf: natuurlijke persoon ...").
TERM_DEFINITION = re.compile(r"^(\d{1,3})\.\s+([^\s:;.][^:;.]{0,59}):\s+\S")
# The formula that closes a law or regulation before its signatures ("Aldus besloten in de openbare vergadering
# ...", Greece's "Παραγγέλλομε τη δημοσίευση του παρόντος ..."): what follows it, up to a schedule, is not statute text.
# Sri Lanka's Government Printer ends each Act with where to buy it: its imprint, not the Act's text.
CLOSING = re.compile(r"^(?:Aldus (?:besloten|vastgesteld)|Παραγγέλλομε τη δημοσίευση|"
                     r"English Acts of the Parliament can be purchased)\b")
ANNEX = re.compile(r"^(?:BIJLAGE|Bijlage|ΠΑΡΑΡΤΗΜΑ|Παράρτημα)\b")
# The words that open a section of definitions: "In this Act", "As used in ORS 165.002 to 165.070", "... unless
# the context otherwise requires".
DEFINITIONS_OPENING = (r"In this (?:Act|Law|By-law|Ordinance|Part|Chapter|section|Regulations?)|As used in [^,]{1,80}|"
                       r"unless the context (?:otherwise )?requires")
# A definitions lead-in, which its numbered definitions follow ("As used in ..., unless the context requires
# otherwise:" / "(1) “Written instrument” means ...").
DEFINITIONS_LEAD_IN = re.compile(rf"^\s*(?:{DEFINITIONS_OPENING})|\bunless the context\b")
# A definitions lead-in that ends with a comma (Canada: "2. (1) In this Act," then "“Agreement” means ...").
LEAD_IN_COMMA = re.compile(rf"\b(?:{DEFINITIONS_OPENING})\s*,\s*$")
# A definition given as "Term: meaning", unquoted (Qatar's laws in English: "Information Technology: Any mean ..."),
# taken only after a lead-in that speaks of meanings, or after another such definition.
TERM_COLON = re.compile(r"^([A-Z][^\s:;,.]*(?:\s+[^\s:;,.]+){0,5}):\s+(?=\S)")
MEANINGS_LEAD_IN = re.compile(r"\bmeanings?\b|\bdefin|\bmeans\b", re.IGNORECASE)
# A provision run into the line of the one before, as some sites type them: the next subsection after a
# sentence ("... shall be guilty of an offence. (2) Any person convicted ...") or the next definition after a
# semicolon ('"public property" means ...; "private property" means ...').
RUN_IN_SUBSECTION = re.compile(r"(?<=[.;:])\s+\(([0-9]{1,3}[A-Z]?)\)\s+(?=[A-Z“\"])")
RUN_IN_DEFINITION = re.compile(r"(?<=;)\s+(?=[\"“][^\"”]{1,80}[\"”]\s+(?:means|includes)\b)")
# A line that ends with a word calling for a number: the "(2)" that opens the next line is cited, not a subsection.
CITES_NUMBER = re.compile(r"\b(?:sub-?section|section|sub-?paragraph|paragraph|sub-?clause|clause|item|article|"
                          r"regulation|rule|of|in|under)\s*$", re.IGNORECASE)
# "Illustrations-" (Sri Lanka, India): worked examples after a section's provisions; they illustrate the
# whole section, not its last subsection or definition.
ILLUSTRATIONS = re.compile(r"^Illustrations?\s*(?:[-—–:.]+|$)")
PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s+of\s+\d{1,4})?$", re.IGNORECASE)
ROMAN = re.compile(r"^(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)$")
# A line that says only "Preamble", above the preamble (openbylaws.org.za): its heading, not its text.
PREAMBLE_HEADING = re.compile(r"^(?:PREAMBLE|Preamble)\.?$")
# A line that ends a sentence or a lead-in: what may come before a new clause marker.
ENDS_STATEMENT = re.compile(r"[.:;—–\-\])]\s*$|\b(?:or|and)\s*$")

MAX_TITLE_CHARS = 110
# A title printed over two lines under an article's number may be longer than one beside it.
MAX_TITLE_WORDS = 20
# Worded section markers in sequence ("Article 1" ... "Article 3") that make them the units of a document.
MIN_WORDED_RUN = 3
# Decimal section numbers in sequence ("165.002", "165.007", ...) that make them the units of a code.
MIN_DECIMAL_RUN = 5
# Lines of a marginal note as PDF extraction breaks them: a few words each.
MAX_NOTE_LINE = 24
# Words that open a statutory sentence: where a title run into its body ends ("Prosecution No prosecution ...").
OPENERS = ("No", "A", "An", "Any", "The", "Where", "Every", "If", "Subject", "Notwithstanding", "Nothing",
           "Whoever", "Each", "There", "This", "Save", "Except", "Unless", "When", "In", "For", "It")
# A list item numbered as paragraphs are ("1. Income from ..."), and a sentence's end inside it.
NUMBERED_ITEM = re.compile(r"^(\d{1,2})\.\s+\S")
SENTENCE_BREAK = re.compile(r"(?<=\w{3})\.\s+([^\W\d_])")
UNIT_PREFIX = {"article": "art.", "section_word": "s.", "numbered": "s.", "section_sign": "§", "decimal": "s."}
# Heading levels, outermost first: a heading drops every heading nested below it. A cross-heading over a
# group of sections (CROSS_HEADING) is innermost.
LEVELS = {"BOOK": 0, "PART": 1, "AFDELING": 1, "SUB-PART": 2, "CHAPTER": 2, "DIVISION": 3, "SECTION": 4, "TITLE": 5,
          "LIVRE": 0, "TITRE": 1, "CHAPITRE": 2}
CROSS_HEADING = 6


@dataclass
class Line:
    start: int
    end: int
    text: str
    number: int = 0  # 1-based line number in the document text


@dataclass
class Segmentation:
    """What `segment_text` returns: the clauses, and what a reader should be told about them."""

    clauses: list[Clause]
    notes: list[str] = field(default_factory=list)
    removed: list[RemovedLine] = field(default_factory=list)  # lines in no clause, each with its reason


@dataclass
class _Open:
    """The clause being built: its unit, heading path and content lines."""

    unit: str
    heading: list[str]
    lines: list[Line] = field(default_factory=list)
    marker_end: int | None = None  # first line's offset after the clause's own marker
    kind: str = "body"  # body | definition | preamble | paragraph
    explanation: bool = False  # an "Explanation.—" that leads in to definitions has begun in it


def split_clauses(text: str, doc_id: str) -> list[Clause]:
    """The clauses of `text`, in document order (see the module docstring for the rules)."""
    return segment_text(text, doc_id).clauses


def segment_text(text: str, doc_id: str, page_starts: list[int] | None = None,
                 running_lines: bool = True, margin_notes: set[int] | None = None) -> Segmentation:
    """Cut `text` into clauses, and account for every line left out of them (clauseclf.segment.conservation).

    `page_starts` (offsets where each page begins, for a PDF) lets removed lines name their page.
    `running_lines=False` says the reader has already taken out running headers and footers (a PDF's,
    by their place on the page) or that its format has none in the text (a Word file's are separate
    parts, a web page has no pages): repeated lines are then statute text ("Article (5)", "or",
    "commits an offence and shall on conviction be liable to"), and only page numbers are left out.
    `margin_notes` are the numbers of lines the reader found printed as margin notes (a PDF's, by their
    place and type size): each is the title of the section it stands above.
    Raises conservation.TextLost if a line is neither in a clause nor reported as removed.
    """
    lines = _lines(text)
    noise = _noise_lines(lines, running_lines)
    lines_left = [line for i, line in enumerate(lines) if i not in noise]
    removed = [_removed(lines[i], reason, page_starts) for i, reason in sorted(noise.items())]
    notes = []
    if noise:
        notes.append(f"left {len(noise)} running header, footer or page-number lines out of clause text")
    style = detect_style(lines_left)
    if style == "paragraphs":
        clauses = _paragraph_clauses(lines_left, doc_id)
        notes.append("no section markers found; split into paragraphs")
        conservation.check(doc_id, text, clauses, removed)
        return Segmentation(clauses, notes, removed)
    toc = _table_of_contents(lines_left, style)
    closing = _closing_formula(lines_left)
    removed += [_removed(lines_left[i], "closing formula, signatures or printer's imprint, and what follows",
                         page_starts) for i in sorted(closing) if lines_left[i].text]
    title_block, preamble_at = _title_block(lines_left, toc)
    if preamble_at is not None:
        toc = {i for i in toc if i < preamble_at} - title_block
    if toc:
        notes.append(f"skipped a table of contents ({len(toc)} lines)")
        removed += [_removed(lines_left[i], "table of contents", page_starts) for i in sorted(toc) if lines_left[i].text]
    removed += [_removed(lines_left[i], "title, number, date or long title (before the enacting words)", page_starts)
                for i in sorted(title_block) if lines_left[i].text]
    walker = _Walker(style, doc_id, text, margin_notes or set())
    walker.walk(lines_left, toc | title_block | closing, preamble_at)
    removed += [_removed(line, "section with no words (omitted or repealed)", page_starts) for line in walker.omitted]
    removed += [_removed(line, "title page or long title (before the preamble's margin note)", page_starts) for line in walker.title_page]
    removed += _titles_without_clause(text, walker, removed, page_starts)
    removed.sort(key=lambda line: line.line or 0)
    conservation.check(doc_id, text, walker.clauses, removed)
    return Segmentation(walker.clauses, notes + walker.notes, removed)


def _removed(line: Line, reason: str, page_starts: list[int] | None) -> RemovedLine:
    page = bisect.bisect_right(page_starts, line.start) if page_starts else None
    return RemovedLine(line.text, reason, page=page, line=line.number)


def _titles_without_clause(text: str, walker: "_Walker", removed: list[RemovedLine],
                           page_starts: list[int] | None) -> list[RemovedLine]:
    """Headings and titles the walker took that no clause carries (a PART heading with nothing under it,
    the title of a repealed section): reported, since they are in no clause's heading path."""
    by_number = {line.number: line for line in walker.title_lines}
    return [_removed(by_number[number], "heading or title with no clause under it", page_starts)
            for number, _ in conservation.unaccounted(text, walker.clauses, removed) if number in by_number]


def span_text(text: str, clause: Clause, noise_free: bool = True, running_lines: bool = True) -> str:
    """`text[clause.start:clause.end]` as `clause.text` holds it: whitespace collapsed,
    header/footer/page-number lines dropped (pass the whole document text, and `running_lines`
    as `segment_text` had it)."""
    lines = _lines(text)
    noise = _noise_lines(lines, running_lines) if noise_free else set()
    parts = []
    for i, line in enumerate(lines):
        if i in noise or line.end <= clause.start or line.start >= clause.end:
            continue
        parts.append(text[max(line.start, clause.start):min(line.end, clause.end)])
    return _join_lines(parts, hyphenated_words(text))


# --- lines and noise ---------------------------------------------------------------

def _lines(text: str) -> list[Line]:
    """Every line, with the offsets of its stripped content (blank lines have empty text)."""
    lines, offset = [], 0
    for number, raw in enumerate(text.split("\n"), start=1):
        content = raw.replace("\f", " ")
        lead = len(content) - len(content.lstrip())
        tail = len(content.rstrip())
        if tail <= lead:
            lines.append(Line(offset, offset, "", number))
        else:
            lines.append(Line(offset + lead, offset + tail, raw[lead:tail], number))
        offset += len(raw) + 1
    return lines


def _noise_lines(lines: list[Line], running_lines: bool = True) -> dict[int, str]:
    """Page numbers, omission marks ("* * *") and editors' citations ("[Cap. W6.]"), and (with `running_lines`)
    short lines repeated like running headers and footers.

    A repeated line counts as a header only if it is not a marker and does not end
    a list item; and a line that stands just before a section in most of its
    occurrences is a repeated title ("Interpretation"), not a header.
    """
    noise = {i: "page number" for i, line in enumerate(lines) if line.text and PAGE_NUMBER.match(line.text)}
    noise.update({i: "omission mark (text left out by the publisher)" for i, line in enumerate(lines)
                  if OMISSION.match(line.text)})
    noise.update({i: "editor's citation of amending laws" for i, line in enumerate(lines)
                  if EDITORIAL_CITATION.match(line.text)})
    if not running_lines:
        return noise
    occurrences: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if i not in noise and _header_candidate(line.text):
            occurrences.setdefault(_shape(line.text), []).append(i)
    following = _next_contents(lines)
    for indices in occurrences.values():
        if len(indices) < 3:
            continue
        before_section = sum(starts_section(following[i]) for i in indices)
        if before_section * 2 <= len(indices):
            noise.update(dict.fromkeys(indices, "running header or footer"))
    return noise


def _next_contents(lines: list[Line]) -> list[str]:
    """For each line, the text of the next non-blank line after it ("" at the end).

    One pass from the end: looking ahead from each repeated line instead made 95,000
    "[Repealed]" lines take 35 s.
    """
    following, text = [""] * len(lines), ""
    for i in range(len(lines) - 1, -1, -1):
        following[i] = text
        if lines[i].text:
            text = lines[i].text
    return following


def starts_section(text: str) -> bool:
    """Does the line open like a section or article ("12.", "Article 4", "Section 3")?"""
    return bool(NUMBERED.match(text) or ARTICLE.match(text) or SECTION_WORD.match(text))


def _header_candidate(text: str) -> bool:
    if not text or len(text) > 80 or text[-1] in ";,:—–-":
        return False
    # A section's own number line ("13. Any person, whether in or outside Sri Lanka who") repeats
    # its wording across sections but is never page furniture.
    if starts_section(text):
        return False
    return not (ENUMERATOR.match(text) or DEFINITION.match(text) or heading_match(text) or text[0] in "\"“")


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text))


# A word broken across lines by the printer: a letter and a hyphen (or a soft hyphen) at the line's end,
# a lower-case letter at the next line's start ("Ανά-" / "πλαση", "elec-" / "tronic"), or capitals on both
# sides ("«ΑΝΑΠΛΑ-" / "ΣΗ ΑΘΗΝΑΣ"); after a soft hyphen, which only a line break puts there, any letter (OCR
# may read the next letter in the wrong case: "prem\u00ad" / "Ises.").
_BROKEN_WORD = re.compile(r"(?<=[^\W\d_])[-\u00ad]\s*\n\s*(?=[^\W\d_A-ZΑ-Ω])"
                          r"|(?<=[A-ZΑ-Ω])[-\u00ad]\s*\n\s*(?=[A-ZΑ-Ω])"
                          r"|(?<=[^\W\d_])\u00ad\s*\n\s*(?=[^\W\d_])")
_WORD = re.compile(r"[^\W\d_]+")
_HYPHENATED = re.compile(r"[^\W\d_]+-[^\W\d_]+")
_BROKEN_AT_LINE_END = re.compile(r"([^\W\d_]+)-[ \t]*\n\s*([^\W\d_]+)")
# Greece's Gazette, set with hyphenation, breaks a word at 21% of its lines; the Word-made Acts of
# Maharashtra and Sri Lanka at 0.1-0.3%, all of them typed compounds ("third-" / "party").
TYPED_HYPHENS_PER_LINE = 0.01


def hyphenated_words(text: str) -> frozenset[str]:
    """The words whose hyphen at a line's end is the word's own, not the printer's, lower-cased: those the
    text spells with a hyphen inside a line ("Co-operative"), and never without; and, in a text set without
    hyphenation (a line in a hundred or fewer ends inside a word, as in a Word file: every such hyphen was
    typed), every word broken at a line's end ("one-" / "fourth")."""
    joined = {word.lower() for word in _WORD.findall(text)}
    words = {word.lower() for word in _HYPHENATED.findall(text) if word.replace("-", "").lower() not in joined}
    broken = _BROKEN_AT_LINE_END.findall(text)
    if len(broken) <= TYPED_HYPHENS_PER_LINE * text.count("\n"):
        words |= {f"{head}-{tail}".lower() for head, tail in broken}
    return frozenset(words)


def _join_lines(parts: list[str], hyphenated: frozenset[str] = frozenset()) -> str:
    """A clause's lines as one string: words broken at a line's end rejoined (keeping the hyphen of a word
    in `hyphenated`: "Co-" / "operative"), whitespace collapsed, soft hyphens dropped."""
    joined = "\n".join(parts)
    joined = _BROKEN_WORD.sub(lambda match: _rejoined(match, hyphenated), joined)
    return _squash(joined.replace("\u00ad", ""))


def _rejoined(match: re.Match, hyphenated: frozenset[str]) -> str:
    """What replaces a hyphen and line break between two parts of a word: nothing, or the word's own hyphen."""
    if not hyphenated or match.group()[0] != "-":
        return ""
    text, start = match.string, match.start()
    while start > 0 and _WORD.match(text[start - 1]):
        start -= 1
    tail = _WORD.match(text, match.end())
    return "-" if f"{text[start:match.start()]}-{tail.group()}".lower() in hyphenated else ""


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- document style ----------------------------------------------------------------

def detect_style(lines: list[Line]) -> str:
    """Which marker makes a unit: "article", "section_word", "section_sign", "numbered", "decimal" or "paragraphs".

    The style whose markers form the longest increasing run of numbers wins, so a
    wrapped line that happens to start with "Article 24 of the Constitution" in a
    numbered Act does not turn it into articles.
    """
    found = {"article": [], "section_word": [], "section_sign": [], "numbered": [], "decimal": []}
    for line in lines:
        text = line.text
        if match := ARTICLE.match(text):
            found["article"].append(_number_key(match.group(1)))
        elif match := SECTION_WORD.match(text):
            found["section_sign" if text.startswith("§") else "section_word"].append(_number_key(match.group(1)))
        elif match := NUMBERED.match(text):
            found["numbered"].append(_number_key(match.group(1)))
        elif match := DECIMAL.match(text):
            found["decimal"].append(_number_key(match.group(1)))
    runs = {style: _increasing_run(keys) for style, keys in found.items()}
    # One bare "12." is a section only beside statute furniture: a "(1)" subsection, a PART
    # heading, a definition, or a title of its own ("12. Offences").
    furniture = any(line.text.startswith("(1)") or heading_match(line.text) or DEFINITION.match(line.text)
                    or ((match := NUMBERED.match(line.text)) and _title_and_body(match.group(2))[0]) for line in lines)
    # Decimal numbers ("2.1 Each Party", "12.50 per cent") are a code's sections only when they run long.
    needed = {"article": 1, "section_word": 1, "section_sign": 1, "numbered": 1 if furniture else 2,
              "decimal": MIN_DECIMAL_RUN}
    order = ["article", "section_sign", "section_word", "numbered", "decimal"]
    best = max(order, key=lambda style: (runs[style], -order.index(style)))
    # Worded markers ("Artikel 2.") are the units when there are a few of them: the bare "1." lines
    # under them (paragraphs, a numbered list of definitions) can outnumber them without being sections.
    worded = max(order[:3], key=lambda style: (runs[style], -order.index(style)))
    if best == "numbered" and runs[worded] >= MIN_WORDED_RUN:
        best = worded
    return best if runs[best] >= needed[best] else "paragraphs"


def _number_key(number: str) -> tuple[int, str]:
    """(number, suffix) for ordering: "12A" -> (12, "A"); a decimal "165.002" -> (165_000_002, "")."""
    if number.lower() in FIRST_ARTICLE:
        return 1, ""
    if coded := CODED_ARTICLE.fullmatch(number):  # "431-7" after "431-6" and before "431-10"
        return int(coded.group(1)), f"-{int(coded.group(2)):04d}"
    if decimal := re.match(r"(\d+)[A-Z]?\.(\d+)", number):
        return int(decimal.group(1)) * 1_000_000 + int(decimal.group(2)), number[decimal.end():]
    digits = re.match(r"\d+", number).group()
    return int(digits), number[len(digits):]


def _is_coded(key: tuple[int, str]) -> bool:
    """Is this _number_key a code article's ("431-7" -> (431, "-0007"))?"""
    return key[1].startswith("-")


def _increasing_run(keys: list[tuple[int, str]]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting)."""
    tails: list[tuple[int, str]] = []
    for key in keys:
        index = bisect.bisect_left(tails, key)
        if index == len(tails):
            tails.append(key)
        else:
            tails[index] = key
    return len(tails)


def _section_match(text: str, style: str) -> re.Match | None:
    if style == "article":
        return ARTICLE.match(text)
    if style in ("section_word", "section_sign"):
        return SECTION_WORD.match(text)
    if style == "decimal":
        return DECIMAL.match(text)
    return NUMBERED.match(text)


def _table_of_contents(lines: list[Line], style: str) -> set[int]:
    """Indices of an "ARRANGEMENT OF SECTIONS" block: from its title up to where numbering restarts."""
    start = next((i for i, line in enumerate(lines) if TOC.match(line.text)), None)
    if start is None:
        return _table_of_sections(lines, style)
    first_number = None
    for i in range(start + 1, len(lines)):
        match = _section_match(lines[i].text, style)
        if not match:
            continue
        if first_number is None:
            first_number = match.group(1)
        elif match.group(1) == first_number:
            end = i
            # The Act's title and the first PART heading that precede the body belong to the body.
            while end - 1 > start and _is_heading_like(lines[end - 1].text):
                end -= 1
            return set(range(start, end))
    return set()


# Entries of an untitled table of sections before a code's text ("165.002 Definitions for ORS 165.002 to 165.070",
# "165.669 Duties imposed upon certain persons ...; compensation to persons; immunity"): a number and a catchline.
MIN_TOC_ENTRIES = 3
MAX_TOC_ENTRY = 200


def _table_of_sections(lines: list[Line], style: str) -> set[int]:
    """Indices of a table of sections with no title: from the first section line to where its number comes
    again, when every line between is an entry (a number and a catchline with no sentence after it) or a
    heading in capitals. Empty if there is none."""
    first = next((i for i, line in enumerate(lines) if _section_match(line.text, style)), None)
    if first is None:
        return set()
    number, entries = _section_match(lines[first].text, style).group(1), 0
    for i in range(first, len(lines)):
        text = lines[i].text
        match = _section_match(text, style)
        if match and match.group(1) == number and i > first:
            end = i
            while end - 1 > first and _is_heading_like(lines[end - 1].text):
                end -= 1  # the heading above the first section belongs to the text
            return set(range(first, end)) if entries >= MIN_TOC_ENTRIES else set()
        if match and len(text) <= MAX_TOC_ENTRY and not re.search(r"\.(?:\s|$)", match.group(2) or ""):
            entries += 1
        elif text and not _is_heading_like(text):
            return set()
    return set()


def _title_block(lines: list[Line], toc: set[int]) -> tuple[set[int], int | None]:
    """An Act printed with a table of contents repeats, after it, its title, number, date of assent and long
    title, then opens with its enacting words ("BE it enacted by Parliament ...", "WHEREAS ..."): the
    indices of those title lines and of the title page before the contents, and where the preamble starts.

    The table of contents as `_table_of_contents` finds it runs to the first section; it ends at its
    last entry ("10. Power of the State Government to make rules.", "SCHEDULE III").
    """
    if not toc:
        return _title_before_promulgation(lines)
    start, end = min(toc), max(toc) + 1
    enacting = next((i for i in range(start, len(lines)) if ENACTING.match(lines[i].text)), None)
    if enacting is None or any(starts_section(lines[i].text) for i in range(end, enacting)):
        return set(), None
    last_entry = max((i for i in range(start, enacting) if _section_match(lines[i].text, "numbered")
                      or heading_match(lines[i].text) or SCHEDULE.match(lines[i].text)), default=start)
    return set(range(start)) | set(range(last_entry + 1, enacting)), enacting


def _title_before_promulgation(lines: list[Line]) -> tuple[set[int], int | None]:
    """A Greek law opens with its number and title, then "Ο ΠΡΟΕΔΡΟΣ / ΤΗΣ ΕΛΛΗΝΙΚΗΣ ΔΗΜΟΚΡΑΤΙΑΣ / Εκδίδομε
    τον ακόλουθο νόμο ...": the title lines before that formula, and where the preamble starts."""
    for i, line in enumerate(lines):
        if starts_section(line.text):
            break
        if PROMULGATION.match(line.text):
            return {j for j in range(i) if lines[j].text}, i
    return set(), None


def _closing_formula(lines: list[Line]) -> set[int]:
    """Indices from the formula that closes the law ("Aldus besloten ...") to the end or to an annex: the
    signatures, the seal, the printer's details, a council's information form."""
    start = next((i for i, line in enumerate(lines) if CLOSING.match(line.text)), None)
    if start is None:
        return set()
    end = next((i for i in range(start + 1, len(lines)) if SCHEDULE.match(lines[i].text) or ANNEX.match(lines[i].text)),
               len(lines))
    return set(range(start, end))


def _is_heading_like(text: str) -> bool:
    return not text or bool(heading_match(text)) or _all_caps(text)


def _all_caps(text: str) -> bool:
    """A line in capitals ("PART I", "SCHEDULE", "MEASURES AGAINST ..."), with words in it: a wrapped list of
    section numbers ("288, 288A, 288B, 308A, 360A, 364 A, 365,") has capitals but no word."""
    letters = [c for c in text if c.isalpha()]
    words = re.findall(r"\b[^\W\d_]{2,}\b", text)
    return len(letters) >= 4 and bool(words) and all(c.isupper() for c in letters) and len(text) <= 120


# --- the walk ----------------------------------------------------------------------

class _Walker:
    """Reads lines in order and opens a new clause at each section, subsection or definition."""

    def __init__(self, style: str, doc_id: str, text: str, margin_notes: set[int] = frozenset()):
        self.style = style
        self.doc_id = doc_id
        self.text = text
        self.hyphenated = hyphenated_words(text)
        self.prefix = UNIT_PREFIX[style]
        self.clauses: list[Clause] = []
        self.notes: list[str] = []
        self.omitted: list[Line] = []  # lines of sections with no words ("22.  23. --"): reported as removed
        self.headings: dict[int, str] = {}
        self.section: str | None = None  # current section/article number
        self.section_key: tuple[int, str] | None = None
        # The last article of each kind of number: plain ("Article 2", False) and a code's ("Article 431-7", True).
        self.last_article: dict[bool, tuple[int, str]] = {}
        self.section_title = ""
        self.section_has_text = False
        self.level_kind: str | None = None  # enumerator kind that makes clauses in this section
        self.last_enumerator: str | None = None
        self.open: _Open | None = None
        self.started = False  # seen a section or heading yet
        self.in_schedule = False
        self.paragraph_count = 0
        self.empty_sections: list[str] = []
        self.pending_title = ""  # a marginal note printed above its section's number
        self.title_lines: list[Line] = []  # lines taken as headings or titles, not clause text
        self.margin_notes = margin_notes  # numbers of the lines the reader found printed as margin notes
        self.title_page: list[Line] = []  # lines before a margin note that marks the preamble: reported as removed

    # public

    def walk(self, lines: list[Line], toc: set[int] = frozenset(), preamble_at: int | None = None) -> None:
        """Walk the lines, skipping those of the table of contents and title block (`toc`); the enacting
        words at `preamble_at`, after them, open the preamble."""
        i = 0
        while i < len(lines):
            if i == preamble_at:
                self.started = False
            if i in toc:
                # A clause never spans the contents; what follows them is the body proper.
                self._close()
                self.started = True
                i += 1
                continue
            i = self._step(lines, i)
        self._close()
        self._close_section()
        if self.empty_sections:
            shown = ", ".join(self.empty_sections[:8]) + (" ..." if len(self.empty_sections) > 8 else "")
            self.notes.append(f"{len(self.empty_sections)} section(s) have no text (omitted, repealed or a bare title): {shown}")

    # one line

    def _step(self, lines: list[Line], i: int) -> int:
        line = lines[i]
        text = line.text
        if not text:
            if self.open and self.open.kind == "paragraph":
                self._close()  # blank lines separate unnumbered paragraphs
            return i + 1
        if line.number in self.margin_notes:
            return self._printed_margin_note(lines, i)
        if self._heading(lines, i):
            return self._after_heading(lines, i)
        if match := self._section_start(text):
            return self._start_section(lines, i, match)
        if self.section is not None and not self.in_schedule and ILLUSTRATIONS.match(text):
            self._close()
            self._open_clause(f"{self.prefix} {self.section} illustrations", line, line.start)
            return i + 1
        if self._run_in(line):
            return i + 1
        if self.section is not None and not self.in_schedule and self._enumerator(line):
            return i + 1
        if self._definition(line):
            return i + 1
        if self._marginal_note(lines, i) or (not self.started and self.open is None and PREAMBLE_HEADING.match(text)):
            self._close()
            self.pending_title = text.rstrip(". ")
            self.title_lines.append(line)
            return i + 1
        self._continue(line)
        return i + 1

    def _heading(self, lines: list[Line], i: int) -> bool:
        text = lines[i].text
        if TOC.match(text):
            return False
        if SCHEDULE.match(text) and self.started:
            # "... under item (a) of" / "Schedule I or under item (a) of Schedule II hereto;" runs on a sentence;
            # "SCHEDULE" alone in capitals is a heading, after a table's last cell too ("... to such person").
            return bool(BARE_SCHEDULE.match(text)) or not (self.open and not ENDS_STATEMENT.search(self.open.lines[-1].text))
        if self.style == "article" and SECTION_HEADING.match(text):
            return True
        match = heading_match(text)
        if match and len(text) <= 160:
            return True
        # Bare capitals after the body began: a memorandum, an endnote, a schedule's title; not a line of
        # capitals that goes on with a sentence ("... σε επιχειρησιακά προγράμματα" / "ΕΣΠΑ.").
        return (self.started and _all_caps(text) and not self._section_start(text) and not ENUMERATOR.match(text)
                and not self._sentence_runs_on())

    def _sentence_runs_on(self) -> bool:
        """Does the open clause's last line leave a sentence or a word unfinished ("... της «ΑΝΑΠΛΑΣΗ",
        "... ΟΓΚΟΛΟ-")?"""
        if not self.open:
            return False
        last = self.open.lines[-1].text
        return not ENDS_STATEMENT.search(last) or bool(re.search(r"[^\W\d_a-zα-ω]-$", last))

    def _after_heading(self, lines: list[Line], i: int) -> int:
        text = lines[i].text
        self.title_lines.append(lines[i])
        self._close()
        self._close_section()
        self.started = True
        consumed = i + 1
        title_line = self._next_text(lines, i)
        if match := heading_match(text):
            level = LEVELS[match.group(1).upper()]
            wrapped = re.search(r"(?:\b(?:AND|OF|EN|VAN)|,)$", text)  # "... VERGUNNINGEN EN" / "VERGUNNINGBEWIJZEN"
            if (not (match.group(3) or match.group(4)) or wrapped) and title_line is not None \
                    and _all_caps(lines[title_line].text):
                text = f"{text} – {lines[title_line].text}"
                consumed = title_line + 1
                self.title_lines.append(lines[title_line])
                wrapped_lines, consumed = self._title_wraps_on(lines, consumed)
                text = " ".join([text] + wrapped_lines)
            elif title_line is not None and self._heading_runs_on(lines, title_line):
                text = f"{text} {lines[title_line].text}"  # a long heading wrapped onto a second line
                consumed = title_line + 1
                self.title_lines.append(lines[title_line])
            elif not (match.group(3) or match.group(4)) and title_line is not None \
                    and self._names_heading_above_another(lines, title_line):
                text = f"{text} – {lines[title_line].text}"  # "Part Two" / "Crimes" / "Chapter One"
                consumed = title_line + 1
                self.title_lines.append(lines[title_line])
        elif SECTION_HEADING.match(text):
            level = LEVELS["SECTION"]
        else:
            # Schedules, memoranda and other capitalised headings stand outside the Parts;
            # the text under them is numbered in paragraphs, not as sections.
            level = -1
            self.in_schedule = bool(SCHEDULE.match(text))
            self.section = None
            self.paragraph_count = 0
        if level >= 0:
            self.in_schedule = False
        subtitle = self._next_text(lines, consumed - 1)
        if subtitle is not None and SUBTITLE.match(lines[subtitle].text) and not ENUMERATOR.match(lines[subtitle].text):
            text = f"{text} {lines[subtitle].text}"  # "Chapter Two" / "(Content Crimes)"
            consumed = subtitle + 1
            self.title_lines.append(lines[subtitle])
        self.headings = {k: v for k, v in self.headings.items() if 0 <= k < level} if level >= 0 else {}
        self.headings[level] = _squash(text)
        return consumed

    def _names_heading_above_another(self, lines: list[Line], j: int) -> bool:
        """Is line j, under a bare "Part Two", its name ("Crimes"), with another heading ("Chapter One") under it?
        (Above a section, a short line may as well be the section's own title; there it is left to be one.)"""
        after = self._next_text(lines, j)
        return (_title_like(lines[j].text) and not self._section_start(lines[j].text) and after is not None
                and bool(heading_match(lines[after].text)))

    def _title_wraps_on(self, lines: list[Line], consumed: int) -> tuple[list[str], int]:
        """The capital lines a heading's title wraps onto ("PART IV" / "MEASURES AGAINST ONLINE COMMUNICATION
        OF PROHIBITED" / "STATEMENTS IN SRI LANKA"), and the index after them."""
        wrapped = []
        for _ in range(2):
            after = self._next_text(lines, consumed - 1)
            if after is None or not _all_caps(lines[after].text) or heading_match(lines[after].text) \
                    or SCHEDULE.match(lines[after].text) or TOC.match(lines[after].text):
                break
            wrapped.append(lines[after].text)
            self.title_lines.append(lines[after])
            consumed = after + 1
        return wrapped, consumed

    def _heading_runs_on(self, lines: list[Line], j: int) -> bool:
        """Is line j the wrapped end of the heading above it ("... computer data" / "and systems")?"""
        text = lines[j].text
        if not text[:1].islower() or len(text) > 60 or ENUMERATOR.match(text) or text[-1] in ".;:,":
            return False
        after = self._next_text(lines, j)
        return after is None or bool(self._section_start(lines[after].text) or heading_match(lines[after].text))

    def _section_start(self, text: str) -> re.Match | None:
        if self.in_schedule and self.style == "numbered":
            return None
        match = _section_match(text, self.style)
        if not match:
            return None
        key = _number_key(match.group(1))
        if self.style == "article" and self.section is not None:
            # An amending law's own articles (1, 2, 3) and the code articles they insert (431-7 ... 431-65)
            # each run in order, interleaved: each is compared with the last of its own kind.
            last = self.last_article.get(_is_coded(key))
            return match if last is None or key > last else None
        if self.section_key is not None:
            if key <= self.section_key:
                return None
            # Bare numbers jump by little; "12." far ahead is a wrapped line, not a section.
            if self.style == "numbered" and key[0] > self.section_key[0] + 30:
                return None
        return match

    def _start_section(self, lines: list[Line], i: int, match: re.Match) -> int:
        line = lines[i]
        popped = "" if self.pending_title else self._pop_marginal_note()
        borrowed_title, self.pending_title = self.pending_title or popped, ""
        self._close()
        self._close_section()
        self.started = True
        self.in_schedule = False
        number, rest = match.group(1), match.group(2) or ""
        number = "1" if number.lower() in FIRST_ARTICLE else number
        self.section, self.section_key = number, _number_key(number)
        self.last_article[_is_coded(self.section_key)] = self.section_key
        self.section_title, self.section_has_text = borrowed_title, False
        self.level_kind, self.last_enumerator = None, None
        rest_start = line.start + match.start(2) if rest else line.end
        title, body_offset = _catchline(rest) if self.style == "decimal" else _title_and_body(rest)
        nxt = self._next_text(lines, i)
        consumed = i + 1
        if title and body_offset is None and nxt is not None and (wrap := TITLE_WRAP.match(lines[nxt].text)):
            # The title wraps onto the next line, where the body starts after its dash
            # ("8. Offences to be cognizable ... bailable and" / "non-compoundable.—(1) The Code ...").
            title = f"{title} {wrap.group(1)}"
            line, rest, rest_start, body_offset = lines[nxt], lines[nxt].text, lines[nxt].start, wrap.end()
            self.title_lines.append(lines[i])
            consumed = nxt + 1
        elif title and body_offset is None and nxt is not None and lines[nxt].text[:1].islower():
            # The "title" runs on into the next line: it is the body, maybe with the
            # marginal note printed at its head ("18. Prosecution No prosecution shall ...").
            title, body_offset = _merged_title(rest)
        self.title_lines.append(line)
        if title:
            self.section_title = title
            if popped and conservation.normalised_words(popped) != conservation.normalised_words(title):
                # Above a section that prints its own title: a heading over a group of sections
                # ("Contracts of employment" / "7. Written particulars of terms of employment").
                self.headings[CROSS_HEADING] = popped
        elif not rest and not borrowed_title:
            nxt = self._next_text(lines, i)
            if nxt is not None and self._title_below(lines, nxt):
                self.section_title = lines[nxt].text
                consumed = nxt + 1
                self.title_lines.append(lines[nxt])
            elif nxt is not None and (second := self._title_wraps_below(lines, nxt)) is not None:
                self.section_title = f"{lines[nxt].text} {lines[second].text}"
                consumed = second + 1
                self.title_lines += [lines[nxt], lines[second]]
        if body_offset is not None:
            body = Line(rest_start + body_offset, line.end, rest[body_offset:])
            if not self._enumerator(body):
                self._open_clause(f"{self.prefix} {number}", body, body.start)
        return consumed

    def _title_below(self, lines: list[Line], j: int) -> bool:
        """Is line j, under a bare "Artikel 2." or "Άρθρο 1", the section's title rather than its first line?

        Not when it is numbered ("1. Het college kan, bij openbaar te maken besluit, ...") or runs on
        into a line that starts in lower case ("Het college beslist uiterlijk binnen 8 weken na" / "een ...").
        Nor when it is a sentence and the whole of the article ("Article 11" / "Les modalités ... sont fixées
        par voie réglementaire." / "Article 12").
        """
        text = lines[j].text
        if not _title_like(text) or self._section_start(text) or _enumerator_parts(text, self.style)[0]:
            return False
        after = self._next_text(lines, j)
        if text.endswith(".") and (after is None or self._section_start(lines[after].text)):
            return False
        return after is None or not lines[after].text[:1].islower()

    def _title_wraps_below(self, lines: list[Line], j: int) -> int | None:
        """The index of the second line of a title printed over two lines under a bare article number, or None.

        ("Άρθρο 9" / "Τροποποίηση της περίπτωσης ιθ' της παρ. 2" / "του άρθρου 14 του ν. 2190/1994 (Α΄ 28)" /
        "Η περίπτωση ιθ' ..."): neither line ends a sentence, the second starts in lower case, the body after
        them in capitals.
        """
        first = lines[j].text
        second = self._next_text(lines, j)
        body = self._next_text(lines, second) if second is not None else None
        if body is None or not first[:1].isupper() or self._section_start(first) or ENUMERATOR.match(first):
            return None
        if not lines[second].text[:1].islower() or not lines[body].text[:1].isupper():
            return None
        title = f"{first} {lines[second].text}"
        if re.search(r"[.:;,]$", first) or re.search(r"[.:;,]$", title) or len(title) > MAX_TITLE_CHARS \
                or len(title.split()) > MAX_TITLE_WORDS:
            return None
        return second

    def _marginal_note(self, lines: list[Line], i: int) -> bool:
        """Is line i the title of the section that starts on the next line ("Unauthorised access." / "14. (1) ...")?"""
        text = lines[i].text
        if not _title_like(text) or (self.open and not ENDS_STATEMENT.search(self.open.lines[-1].text)):
            return False
        if self.section is not None and not self.section_has_text and not self.open and text.endswith("."):
            return False  # the one sentence of a bare "Article 11" above it, not a note of the next article
        nxt = self._next_text(lines, i)
        if nxt is not None and self._opens_next_subsection(lines[nxt].text):
            return True  # "Dissolution of Corporation" / "(2) The Corporation may be dissolved ..." (Canada)
        if nxt is None or not (match := self._section_start(lines[nxt].text)):
            return False
        title, _ = _title_and_body(match.group(2) or "")
        return not title  # a section that names itself needs no note above it

    def _opens_next_subsection(self, text: str) -> bool:
        """Does the line open the subsection that follows the current one ("(2)" after "(1)")? Bare article
        paragraphs ("2. Τα δικαιώματα ...") are not asked: they carry no notes of their own."""
        if self.section is None or self.in_schedule or self.level_kind in (None, "article_paragraph"):
            return False
        kind, value, _ = _enumerator_parts(text, self.style)
        return kind == self.level_kind and _follows(self.last_enumerator, value, kind)

    def _printed_margin_note(self, lines: list[Line], i: int) -> int:
        """A margin note the reader placed above the line it is printed level with: the title of the section
        that starts there. Level with the first line of the preamble ("Preamble" / "WHEREAS ..."), it also
        ends the title page: the lines before it are reported as removed, not made a clause."""
        self.title_lines.append(lines[i])
        self.pending_title = _squash(lines[i].text)
        nxt = self._next_text(lines, i)
        if not self.started and nxt is not None and not self._section_start(lines[nxt].text) and self.open:
            self.title_page += self.open.lines
            self.open = None
        return i + 1

    def _pop_marginal_note(self) -> str:
        """Take back a marginal note that PDF extraction broke over short lines above the number.

        ("... computer system." / "Access with intent" / "to" / "commit" / "further" / "offence." / "5. (1) ...")
        """
        if not self.open:
            return ""
        lines = self.open.lines
        start = len(lines)
        while start > 0 and len(lines[start - 1].text) <= MAX_NOTE_LINE and not ENUMERATOR.match(lines[start - 1].text):
            start -= 1
        if start == len(lines) and len(lines) > 1 and _title_like(lines[-1].text, allow_period=False):
            start -= 1  # one longer line after a sentence's end: "Terms and conditions of employment"
        if start == len(lines) or start == 0 and self.open.kind != "paragraph":
            return ""
        caps = start
        while caps < len(lines) - 1 and _all_caps(lines[caps].text):
            caps += 1  # "SHORT TITLE" / "Short title" / "1. ...": a heading, then the section's note
        note = " ".join(line.text for line in lines[caps:])
        if not note[0].isupper() or not _title_like(note) or (start > 0 and not ENDS_STATEMENT.search(lines[start - 1].text)):
            return ""
        if caps > start:
            self.headings = {-1: " ".join(line.text for line in lines[start:caps])}
        self.title_lines += lines[start:]
        del lines[start:]
        if not lines:
            self.open = None  # the "clause" was only the note
            self.paragraph_count -= 1
        return note.rstrip(". ")

    def _enumerator(self, line: Line) -> bool:
        """Open a clause at a subsection (or numbered paragraph); False if the line is a list item."""
        kind, value, content_offset = _enumerator_parts(line.text, self.style)
        if kind is None or self._explains(line):
            return False
        if self.level_kind is None:
            # Items of a lead-in list ("(a)" after "The objects of this Act are to—", "(1)" after "any person
            # who —"); but "(1)" under a definitions lead-in opens numbered subsections ("As used in ORS 165.002
            # to 165.070, unless the context requires otherwise:" / "(1) “Written instrument” means ..."), as
            # Maharashtra's definitions are "s. 7(1)".
            lead_in = self.open is not None and re.search(r"[:—–]\s*$", self.open.lines[-1].text) and \
                DEFINITIONS_LEAD_IN.search(" ".join(line.text for line in self.open.lines))
            if (self.section_has_text or (self.open and self.open.lines)) and not (kind == "digit" and value == "1" and lead_in):
                return False
            if kind not in ("digit", "lower", "upper", "article_paragraph"):
                return False
            if value in OCR_ONE:  # a scan's OCR read the section's "(1)" as "(I)" or "(l)" (no list opens there)
                kind, value = "digit", "1"
            self.level_kind = kind
        elif kind != self.level_kind or not _follows(self.last_enumerator, value, kind):
            return False
        elif kind == "lower" and ROMAN.match(value) and self.open and not re.search(r"[.:\]]\s*$", self.open.lines[-1].text):
            return False  # "(i)" inside a list, not the ninth subsection
        if self.open and CITES_NUMBER.search(self.open.lines[-1].text):
            return False  # "... every reference to a “woman” in subsection" / "(2) of section 364 ...": a citation
        self.last_enumerator = value
        self._close()
        title, self.pending_title = self.pending_title, ""  # the subsection's own marginal note, if it has one
        self._open_clause(f"{self.prefix} {self.section}({value})", line, line.start + content_offset, title=title)
        return True

    def _run_in(self, line: Line) -> bool:
        """Read a line that holds a provision run in after another (RUN_IN_SUBSECTION, RUN_IN_DEFINITION) as two
        lines, each opening its clause; False if the line holds none."""
        cut = self._run_in_cut(line)
        if cut is None:
            return False
        head = line.text[:cut].rstrip()
        tail = line.text[cut:].lstrip()
        for part in (Line(line.start, line.start + len(head), head, line.number),
                     Line(line.end - len(tail), line.end, tail, line.number)):
            if part.start != line.start and self._run_in(part):
                continue
            if not (self.section is not None and not self.in_schedule and self._enumerator(part)) \
                    and not self._definition(part):
                self._continue(part)
        return True

    def _run_in_cut(self, line: Line) -> int | None:
        """Where in the line a run-in provision starts: the next subsection's number after a sentence, or the next
        quoted definition after a semicolon within definitions; None if there is none."""
        if self.section is None or self.in_schedule:
            return None
        kind, value, _ = _enumerator_parts(line.text, self.style)
        last = value if kind == "digit" else self.last_enumerator
        if kind == "digit" or self.level_kind == "digit":
            for match in RUN_IN_SUBSECTION.finditer(line.text):
                if _follows(last, match.group(1), "digit"):
                    return match.start()
        in_definitions = DEFINITION.match(line.text) or (self.open is not None and self.open.kind == "definition")
        if in_definitions and (match := RUN_IN_DEFINITION.search(line.text)):
            return match.start()
        return None

    def _definition(self, line: Line) -> bool:
        match = DEFINITION.match(line.text) or TERM_DEFINITION.match(line.text)
        if self.open is None or self._explains(line):
            return False
        if not match:
            return self._term_colon_definition(line)
        last = self.open.lines[-1].text
        if self.open.kind != "definition" and not re.search(r"[—–:\-]\s*$", last) and not LEAD_IN_COMMA.search(last):
            return False
        parent = self.open.unit.split(' "')[0] if self.open.kind == "definition" else self.open.unit
        if self.open.kind == "definition" and ' "' not in self.open.unit:
            parent = re.sub(r"\((?:[a-z]{1,3}|\d{1,3})\)$", "", parent)  # "s. 7(1)" -> "s. 7" for "(2) “Landlord” ..."
        letter, term = match.group(1), match.group(2)
        unit = f"{parent}({letter})" if letter else f'{parent} "{term}"'
        # Keep the term (with its quote), drop the letter or number.
        offset = (match.start(2) - (match.re is DEFINITION)) if letter else 0
        self._close()
        self._open_clause(unit, line, line.start + offset, kind="definition")
        return True

    def _explains(self, line: Line) -> bool:
        """Is `line` a numbered definition of an Explanation that began in the open clause? ("Explanation.— For
        the purposes of this section,—" / "(1) “authorised officer” means ..."): the Explanation's, not a
        subsection or a definition clause."""
        return self.open is not None and self.open.explanation and bool(DEFINITION.match(line.text))

    def _term_colon_definition(self, line: Line) -> bool:
        """Open a definition written "Term: meaning" (TERM_COLON), after a lead-in that speaks of meanings
        ("... shall have the meanings respectively assigned thereto, unless the context requires otherwise:") or
        after another definition written so."""
        match = TERM_COLON.match(line.text)
        if not match:
            return False
        after_lead_in = (self.open.kind == "body" and self.open.lines[-1].text.rstrip().endswith(":")
                         and MEANINGS_LEAD_IN.search(self.open.lines[-1].text))
        after_definition = self.open.kind == "definition" and TERM_COLON.match(self.open.lines[0].text)
        if not (after_lead_in or after_definition):
            return False
        parent = self.open.unit.split(' "')[0]
        self._close()
        self._open_clause(f'{parent} "{match.group(1)}"', line, line.start, kind="definition")
        return True

    def _continue(self, line: Line) -> None:
        if self.open is None:
            if not self.started:
                self._open_clause("preamble", line, line.start, kind="preamble")
            elif self.section is None or self.in_schedule:
                self.paragraph_count += 1
                prefix = "schedule, para." if self.in_schedule else "para."
                self._open_clause(f"{prefix} {self.paragraph_count}", line, line.start, kind="paragraph")
            else:
                self._open_clause(f"{self.prefix} {self.section}", line, line.start)
            return
        self.open.lines.append(line)
        if EXPLANATION.match(line.text) and re.search(r"[—–:-]\s*$", line.text):
            self.open.explanation = True  # "Explanation.— For the purposes of this section,—": definitions follow

    # clause bookkeeping

    def _open_clause(self, unit: str, line: Line, content_start: int, kind: str = "body", title: str = "") -> None:
        """Open a clause; `title` (a subsection's own marginal note) comes in the heading path after the section's."""
        heading = [self.headings[k] for k in sorted(self.headings)]
        if self.section_title and kind not in ("preamble", "paragraph"):
            heading.append(self.section_title)
        elif kind == "preamble" and self.pending_title:
            heading.append(self.pending_title)  # the preamble's own margin note ("Preamble")
            self.pending_title = ""
        if title:
            heading.append(title)
        self.open = _Open(unit, heading, [line], content_start, kind)
        if kind in ("body", "definition"):
            self.section_has_text = True

    def _close(self) -> None:
        current, self.open = self.open, None
        if current is None:
            return
        for part in self._paragraphs_after_list(current):
            self._close_part(part)

    def _paragraphs_after_list(self, current: _Open) -> list[_Open]:
        """`current`, less a paragraph that went on after its lead-in's list, as a clause of its own.

        Some laws number a lead-in's items as they number paragraphs ("Its resources are:" / "1. Income
        from ..." ... "4. Revenue from any other lawful cause." / "5. By a joint decision of the Ministers
        ... . Also, ..."). The last item is the article's next paragraph when it has more than one sentence
        and no list of its own, after items of one sentence each. (Qatar's "5. If the offence ... . However,
        ..." between one-sentence items, and "3. In case of ...: A. ... B. ...", stay items.) Only in laws
        cut into articles, whose "5." cannot be a section."""
        if self.style != "article" or current.unit != f"{self.prefix} {self.section}" or self.level_kind:
            return [current]
        items = _list_items(current.lines)
        if len(items) < 3:
            return [current]
        texts = [_squash(" ".join(line.text for line in current.lines[i:j])) for i, j, _ in items]
        last = texts[-1]
        if ":" in last or _sentence_count(last) < 2 or any(_sentence_count(text) > 1 for text in texts[:-1]):
            return [current]
        at, end, value = items[-1]
        line = current.lines[at]
        self.level_kind, self.last_enumerator = "digit", value
        return [_Open(current.unit, current.heading, current.lines[:at], current.marker_end, current.kind),
                _Open(f"{self.prefix} {self.section}({value})", current.heading, current.lines[at:end],
                      line.start + NUMBERED_ITEM.match(line.text).end(1) + 1)]

    def _close_part(self, current: _Open) -> None:
        first = current.lines[0]
        start = current.marker_end if current.marker_end is not None else first.start
        parts = [self.text[start:first.end]] + [line.text for line in current.lines[1:]]
        body = _join_lines(parts, self.hyphenated)
        if not any(c.isalpha() for c in body):
            # "22.  23. --": sections omitted from a revised edition; reported, not labelled.
            self.section_has_text = False
            self.omitted += current.lines
            return
        end = current.lines[-1].end
        self.clauses.append(Clause(
            doc_id=self.doc_id, clause_id=f"{self.doc_id}:{len(self.clauses) + 1:04d}", text=body,
            unit=current.unit, heading=current.heading, start=start, end=end,
        ))

    def _close_section(self) -> None:
        if self.section is not None and not self.section_has_text and not self.in_schedule:
            self.empty_sections.append(f"{self.prefix} {self.section}")
        self.section_has_text = True  # report each empty section once

    @staticmethod
    def _next_text(lines: list[Line], i: int) -> int | None:
        for j in range(i + 1, min(i + 3, len(lines))):
            if lines[j].text:
                return j
        return None


def _list_items(lines: list[Line]) -> list[tuple[int, int, str]]:
    """(first line, end line, number) of the items "1.", "2.", ... of a list that follows a lead-in ending
    with a colon, in `lines`; [] if there is none."""
    starts = [(i, match.group(1)) for i, line in enumerate(lines) if (match := NUMBERED_ITEM.match(line.text))]
    if not starts or starts[0][1] != "1" or starts[0][0] == 0 or not lines[starts[0][0] - 1].text.rstrip().endswith(":"):
        return []
    numbers = [int(value) for _, value in starts]
    if numbers != list(range(1, len(numbers) + 1)):
        return []
    ends = [i for i, _ in starts[1:]] + [len(lines)]
    return [(i, end, value) for (i, value), end in zip(starts, ends)]


def _sentence_count(text: str) -> int:
    """Sentences in a list item: full stops after a word of three letters or more, before a capital."""
    return 1 + sum(1 for match in SENTENCE_BREAK.finditer(text) if match.group(1)[0].isupper())


def _enumerator_parts(text: str, style: str) -> tuple[str | None, str, int]:
    """(kind, value, offset of the content after the marker) of a line-leading enumerator."""
    if match := ENUMERATOR.match(text):
        value = match.group(1)
        if value[0].isdigit():
            kind = "digit"
        elif value.islower():
            kind = "lower"
        else:
            kind = "upper"
        return kind, value, match.start(2)
    if style == "article" and (match := ARTICLE_PARAGRAPH.match(text)):
        return "article_paragraph", match.group(1), match.start(2)
    return None, "", 0


def _follows(previous: str | None, value: str, kind: str) -> bool:
    """Is `value` the next marker after `previous` ((1)->(2), (2)->(2A), (j)->(ja)->(k))?"""
    if previous is None:
        return value in ("1", "a", "A")
    if kind in ("digit", "article_paragraph"):
        prev_n, prev_s = _number_key(previous)
        n, suffix = _number_key(value)
        return (n == prev_n + 1 and not suffix) or (n == prev_n and suffix > prev_s) or (n == prev_n + 1 and suffix == "A")
    prev, cur = previous.lower(), value.lower()
    if len(cur) == 1:
        return ord(cur) == ord(prev[0]) + 1
    return cur[0] == prev[0] and len(cur) == 2  # an inserted "(ja)" after "(j)"


def _title_and_body(rest: str) -> tuple[str, int | None]:
    """Split the text after a section number into its title and where its body starts."""
    if not rest:
        return "", None
    # "Computer related offences.—If any person..." (title, then a dash, then the body, maybe on the next line)
    if match := re.match(r"^([A-Z][^—–]{1,150}?)\.\s*[—–]+\s*(?=\S|$)", rest):
        if len(match.group(1).split()) <= 16 and not ENUMERATOR.match(rest):
            return match.group(1).strip(), match.end() if match.end() < len(rest) else None
    if ENUMERATOR.match(rest):
        return "", 0
    # "Jurisdiction (1) Notwithstanding ...": a title run into the first subsection
    if (match := re.match(r"^([A-Z][^()]{0,100}?)\s+(?=\(1\)\s)", rest)) and _title_like(match.group(1)):
        return match.group(1), match.end()
    if _title_like(rest, allow_period=False):
        return rest, None
    return "", 0


# A code's catchline ends at its full stop, before the body or at the line's end ("Forgery in the second degree.
# (1) A person commits ...", "Definitions for ORS 165.002 to 165.070. As used in ...").
CATCHLINE = re.compile(r"^(.{1,200}?)\.(?:\s+(?=[A-Z(“\"\[])|\s*$)")


def _catchline(rest: str) -> tuple[str, int | None]:
    """Split the text after a decimal section number into its catchline and where its body starts (None: the
    body starts on the next line)."""
    match = CATCHLINE.match(rest)
    if not match:
        return _title_and_body(rest)
    return match.group(1).strip(), (match.end() if match.end() < len(rest.rstrip()) else None)


def _merged_title(rest: str) -> tuple[str, int]:
    """Split "Prosecution No prosecution shall ..." into a title and the body's offset."""
    words = list(re.finditer(r"\S+", rest))
    for index, word in enumerate(words[1:9], start=1):
        if word.group() in OPENERS and words[0].group() not in OPENERS:
            return rest[:word.start()].strip(), word.start()
    return "", 0


def _title_like(text: str, allow_period: bool = True) -> bool:
    """A short line that names a section rather than saying something.

    Marginal notes on a line of their own may end with a full stop ("Short title.");
    after a section number on the same line, a full stop ends a sentence instead.
    """
    if not text or len(text) > MAX_TITLE_CHARS or len(text.split()) > 16:
        return False
    if text[-1] in ";,:—–-" or ENUMERATOR.match(text) or DEFINITION.match(text) or text[0] in "\"“":
        return False
    if text.endswith(".") and not text.endswith("etc.") and (
            not allow_period or len(text.split()) > 12 or re.search(r"\b(?:shall|may|must|is|are|wordt|worden|kan|kunnen|moet)\b", text)):
        return False
    return text[0].isupper() or text[0].isdigit()


def _paragraph_clauses(lines: list[Line], doc_id: str) -> list[Clause]:
    """No markers at all: one clause per blank-line paragraph (per line if there are no blank lines)."""
    hyphenated = hyphenated_words("\n".join(line.text for line in lines))
    blocks: list[list[Line]] = [[]]
    has_blank = any(not line.text for line in lines)
    for line in lines:
        if not line.text:
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append(line)
        if not has_blank:
            blocks.append([])
    clauses = []
    for block in (b for b in blocks if b):
        body = _join_lines([line.text for line in block], hyphenated)
        clauses.append(Clause(doc_id=doc_id, clause_id=f"{doc_id}:{len(clauses) + 1:04d}", text=body,
                              unit=f"para. {len(clauses) + 1}", heading=[], start=block[0].start, end=block[-1].end))
    return clauses


# The largest list start (an HTML <ol start>, a Word level's w:start) taken as given: past it the readers number
# the list from 1 and say so in a note. No bill numbers its items in the hundreds of thousands; a start of
# 10**12 is a damaged or hostile file.
MAX_LIST_START = 100_000


def roman_numeral(number: int) -> str:
    """4 -> "IV": list labels that Word and HTML draw themselves, written back as text.

    Bounded: a number under 1 or over MAX_LIST_START + a list's length has no sensible roman form and is
    written in digits (roman numerals write one "M" per thousand).
    """
    if number < 1 or number > 2 * MAX_LIST_START:
        return str(number)
    values = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
              (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = []
    for value, letters in values:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)
