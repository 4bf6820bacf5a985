"""HTML bills: the statute body of a legislation web page, without its navigation and page furniture.

Scripts, styles, <nav>, the page's own <header> and <footer>, <aside>, forms and elements whose role, id or
class names them as navigation (menu, breadcrumb, sidebar, cookie banner...) are dropped; the text comes from
the statute's element (Akoma Ntoso rendered as HTML), <main>, <article> or the body, with one line per block
element, and ordered-list items get their "(1)"/"(a)" markers back. What a legislation site prints around the
statute's words is left out and reported, each with its reason: site notices ("This Web page has been
archived"), the title block (long title, chapter number, assent date), footnotes and their markers, historical
notes and history brackets ("[1971 c.743 §151]"), editors' notes, and a defined term repeated in the margin.
"""

from __future__ import annotations

import re
from pathlib import Path

from clauseclf.errors import InputError
from clauseclf.segment.conservation import RemovedLine
from clauseclf.segment.document import Document, document_from_text
from clauseclf.segment.splitter import MAX_LIST_START, roman_numeral
from clauseclf.utf8 import Expected, refuse_binary

DROP_TAGS = ["script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
             "button", "svg", "iframe", "select", "input", "label", "dialog"]
# Dropped elements whose content a reader never sees as text (code, styles, drawings): not reported as removed lines.
UNSEEN = {"script", "style", "noscript", "template", "svg"}
DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog"}
# Parts of id/class names ("site-nav", "breadcrumb_list", "cookie-banner") that mark page furniture.
FURNITURE = {"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "footer", "header", "masthead",
             "sidebar", "cookie", "cookies", "banner", "skip", "share", "social", "toolbar", "pagination", "print"}
BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "main", "blockquote",
          "pre", "dd", "dt", "dl", "table", "ol", "ul", "br", "hr", "caption", "figcaption", "address", "center"}
LIST_FORMATS = {"a": "lower", "A": "upper", "i": "roman", "I": "upper_roman", "1": "decimal"}


def read(path: Path, doc_id: str) -> Document:
    from bs4 import BeautifulSoup

    raw = path.read_bytes()
    refuse_binary(path, raw, Expected("HTML bill", "an HTML page, in any encoding it declares", "an"))
    soup = BeautifulSoup(raw, "lxml")
    if soup.body is None and soup.find(True) is None:
        raise InputError(path, "no HTML content found")
    pdf_links = [a.get("href") for a in soup.find_all("a", href=True) if a["href"].lower().split("?")[0].endswith(".pdf")]
    removed = _drop_furniture(soup)
    root = _statute_root(soup)
    removed += _outside(soup, root)
    removed += _drop_editorial(root)
    lines, capped = [], []
    _render(root, lines, [""], capped)
    lines, history = _strip_history_notes(_merge(lines))
    removed += history
    text = "\n".join(line.strip() for line in _merge(lines))
    notes = [f"left out {len(removed)} lines of the page that are not statute text (navigation, notices, "
             "footnotes, history notes)"] if removed else []
    if capped:
        notes.append(f"numbered {len(capped)} ordered list(s) from 1: their start or an item's value was over "
                     f"{MAX_LIST_START:,}")
    if pdf_links and not text.strip():
        _refuse_stub(path, pdf_links, _all_removed(removed))
    document = document_from_text(path, doc_id, "html", text.strip("\n"), notes, removed, running_lines=False)  # no pages
    if pdf_links and _no_statute_text(document):
        _refuse_stub(path, pdf_links, f"no section or article markers, only {len(document.clauses)} short paragraph(s) "
                                      f"of page text ('{document.clauses[0].text[:60]}' ...)")
    return document


def _refuse_stub(path: Path, pdf_links: list[str], detail: str) -> None:
    raise InputError(path, f"the page holds no statute text: {detail}",
                     hint=f"the law is in the PDF the page links to ({pdf_links[0]}): download it and segment that")


def _all_removed(removed: list[RemovedLine]) -> str:
    """Why a page left nothing: its lines, named by one of them. The statute's own element may hold only an
    editor's remark ("[This is a stub. Please see the publication document ...]"): that one, rather than the menu."""
    if not removed:
        return "it has no text"
    shown = next((line for line in reversed(removed) if line.reason in EDITORIAL_CLASSES.values()), removed[0])
    return f"all {len(removed)} lines of its text are site furniture or notes, such as '{shown.text[:80]}' ({shown.reason})"


def _statute_root(soup):
    """The element that holds the statute: Akoma Ntoso rendered as HTML (openbylaws.org.za, Laws.Africa), else
    <main>, <article> or the body. The rendering's root leaves out the site's cover page of the law, its
    notices and history panel, which sit beside it in <main> or <article>."""
    akn = soup.find(class_="akn-akomaNtoso")
    return akn or soup.find("main") or soup.find(attrs={"role": "main"}) or soup.find("article") or soup.body or soup


# A legislation site's stub page ("You can download the PDF instead.") has a dozen lines of buttons and
# notices; the shortest real by-law page of the fixtures has over 5,000 characters of statute text.
STUB_PAGE_CHARS = 1_500


def _no_statute_text(document: Document) -> bool:
    """A page cut into paragraphs (no markers at all) whose text is a few short lines: a stub around a PDF."""
    unmarked = all(clause.unit.startswith("para.") or clause.unit == "preamble" for clause in document.clauses)
    return unmarked and sum(len(clause.text) for clause in document.clauses) < STUB_PAGE_CHARS


# Text a site hides on screen for screen readers ("Marginal note:" before each section title on the Justice
# Laws Website): a short label of the page, not statute text. Longer hidden text is kept.
SCREEN_READER_CLASSES = {"wb-invisible", "wb-inv", "sr-only", "visually-hidden", "screen-reader-text"}
MAX_SCREEN_READER_LABEL = 40


def _drop_furniture(soup) -> list[RemovedLine]:
    """Take the page's navigation, header, footer and the like out of the tree; return their text lines."""
    doomed = [element for element in soup.find_all(DROP_TAGS) if not _section_header(element)]
    for element in soup.find_all(True):
        if element.get("role") in DROP_ROLES or _furniture_name(element):
            doomed.append(element)
    removed = []
    for element in doomed:
        if not element.decomposed:
            if element.name not in UNSEEN:
                removed += _text_lines(element, "site navigation, header or footer")
            element.decompose()
    for element in soup.find_all(class_=lambda name: name in SCREEN_READER_CLASSES):
        if not element.decomposed and len(element.get_text().strip()) <= MAX_SCREEN_READER_LABEL:
            removed += _text_lines(element, "label shown to screen readers only")
            element.decompose()
    return removed


def _section_header(element) -> bool:
    """A <header> or <footer> inside a <section> or <article> heads that part of the text (a schedule's number
    and title, an Act's title block), not the page: HTML gives the page banner role only to the others."""
    return element.name in ("header", "footer") and element.find_parent(["section", "article"]) is not None


# What a legislation site prints around the statute's words, by class name (matched whole, in lower case):
# site notices (Justice Laws' "This Web page has been archived on the Web." and "Version of document from
# ...", openbylaws' COVID-19 alert), the title block that Akoma Ntoso calls the preface (the AKN reader leaves
# it out too), footnotes and historical notes.
EDITORIAL_CLASSES = {
    "archivebar": "site notice", "alert": "site notice", "info": "site notice", "notice": "site notice",
    "title-of-act": "preface (title, number, date)", "chapternumber": "preface (title, number, date)",
    "assenteddate": "preface (title, number, date)", "longtitle": "preface (title, number, date)",
    "akn-preface": "preface (title, number, date)", "coverpage": "preface (title, number, date)",
    "footnote": "footnote", "akn-authorialnote": "footnote",
    "historicalnote": "historical note (the Acts that enacted or amended the provision)", "akn-remark": "editorial remark",
}
# A footnote's marker in the text: a link to the note holding a raised "*" or "1".
MAX_FOOTNOTE_MARKER = 3


def _drop_editorial(root) -> list[RemovedLine]:
    """Take out of the statute's element what the site prints beside the statute's words (EDITORIAL_CLASSES,
    footnote markers, terms repeated in the margin), reporting each with its reason.

    A walk with its own stack that does not enter what it takes out (asking bs4 whether an element was
    decomposed looks through the element's children, and pages nest thousands deep).
    """
    from bs4 import Tag

    removed, doomed = [], []
    stack = [root]
    while stack:
        element = stack.pop()
        reason = _editorial_reason(element) if element is not root else None
        if reason:
            removed += _block_lines(element, reason)
            doomed.append(element)
        else:
            stack.extend(child for child in reversed(element.contents) if isinstance(child, Tag))
    for element in doomed:
        element.decompose()
    return removed


def _editorial_reason(element) -> str | None:
    """Why the element is not statute text (EDITORIAL_CLASSES, a footnote marker, a term in the margin), or None."""
    reason = next((EDITORIAL_CLASSES[name.lower()] for name in element.get("class") or []
                   if name.lower() in EDITORIAL_CLASSES), None)
    if reason is None and _footnote_marker(element):
        reason = "footnote marker"
    if reason is None and _term_in_margin(element):
        reason = "defined term repeated in the margin"
    return reason


def _block_lines(element, reason: str) -> list[RemovedLine]:
    """The element's text as the page shows it, a line per block ("[Note: Part II in force ..., see SI/82-148.]"
    whole, though "see" is in <em>), each a removed line with `reason`."""
    lines: list[str] = []
    _render(element, lines, [""], [])
    return [RemovedLine(_squash(line), reason) for line in lines if line.strip()]


def _footnote_marker(element) -> bool:
    """<a href="#note1"><sup>*</sup></a> before a section's number (Justice Laws): not statute text."""
    return (element.name == "a" and (element.get("href") or "").startswith("#") and element.find("sup") is not None
            and len(element.get_text().strip()) <= MAX_FOOTNOTE_MARKER)


def _term_in_margin(element) -> bool:
    """A <dt> whose term the <dd> after it starts with: the margin note of a definition list (Justice Laws prints
    the term, and its French equivalent, beside a definition that begins with the same term)."""
    if element.name != "dt":
        return False
    definition = element.find_next_sibling()
    first_line = next((line for line in element.get_text("\n").split("\n") if line.strip()), "")
    return (definition is not None and definition.name == "dd" and bool(_words(first_line))
            and _words(definition.get_text()).startswith(_words(first_line)))


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _outside(soup, root) -> list[RemovedLine]:
    """The page's text outside the element read as the statute (<main>, <article>): site furniture too."""
    if root is soup or root is soup.body:
        return []
    body = soup.body or soup
    removed = []
    for string in body.find_all(string=True):
        if string.find_parent(lambda tag: tag is root) is None and string.parent.name not in UNSEEN \
                and not _is_comment(string) and string.strip():
            removed.append(RemovedLine(_squash(string), "page text outside the statute (site furniture)"))
    return removed


def _text_lines(element, reason: str) -> list[RemovedLine]:
    return [RemovedLine(_squash(line), reason) for line in element.get_text("\n").split("\n") if line.strip()]


def _is_comment(string) -> bool:
    from bs4.element import Comment

    return isinstance(string, Comment)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _furniture_name(element) -> bool:
    if element.name in ("body", "html", "main"):
        return False
    names = list(element.get("class") or []) + [element.get("id") or ""]
    parts = {part for name in names if not name.startswith("akn") for part in re.split(r"[-_\s]+", name.lower())}
    return bool(parts & FURNITURE)


# Akoma Ntoso rendered as HTML (Laws.Africa's Indigo) writes every block of the statute as an inline <span>
# ("akn-p", "akn-intro", "akn-item") with no whitespace between them, and lets the site's style sheet make
# them blocks: read as inline text, "... when it" + "has been served" becomes "ithas".
AKN_BLOCKS = {"akn-p", "akn-intro", "akn-wrapUp", "akn-listIntroduction", "akn-listWrapUp", "akn-item",
              "akn-blockList", "akn-content", "akn-heading", "akn-subheading", "akn-crossHeading", "akn-body",
              "akn-preamble"}
# A number or label in an element of its own ("akn-num" "(1)", Justice Laws' "HLabel1" "PART I" and
# "sectionLabel" "1."): a space after it, and it stays on the line of the text it numbers.
LABEL_CLASS = re.compile(r"^(?:akn-num|[A-Za-z]*[Ll]abel\d*)$")
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _render(root, lines: list[str], current: list[str], capped: list[int]) -> None:
    """Append text to current[0]; a block element starts and ends a line. `capped` gets each list whose
    start or item value was over MAX_LIST_START (numbered from 1 instead).

    A walk with its own stack, not recursion: pages nest a thousand elements deep and
    more, past Python's recursion limit.
    """
    from bs4 import NavigableString, Tag
    from bs4.element import Comment

    positions: dict[int, dict[int, int]] = {}  # per <ol>, each of its items' place in it
    label_only = False  # the line so far is only a label ("(1) "): the next block continues it
    # (children left to read, is a block, space after it, is a label that opens its line)
    stack = [(iter(root.children), False, False, False)]
    while stack:
        children, block, space_after, opens_line = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if space_after and current[0] and not current[0].endswith(" "):
                current[0] += " "
            if opens_line and current[0].strip():
                label_only = True
            if block and not label_only:
                _flush(lines, current)
            continue
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            piece = re.sub(r"\s+", " ", str(child))
            current[0] += piece
            label_only = label_only and not piece.strip()
            continue
        if not isinstance(child, Tag):
            continue
        child_block = child.name in BLOCKS or bool(set(child.get("class") or []) & AKN_BLOCKS)
        if child_block and not label_only:
            _flush(lines, current)
        if child.name == "li":
            current[0] += _list_marker(child, positions, capped)
        if child.name in ("td", "th"):
            current[0] += " "
        label = not child_block and any(LABEL_CLASS.match(name) for name in child.get("class") or [])
        # Spans side by side in a heading are its parts (label, title): "PART I" + "COOPERATIVE ENERGY ...".
        in_heading = child.name == "span" and child.parent is not None and child.parent.name in HEADINGS
        stack.append((iter(child.children), child_block, label or in_heading, label and not current[0].strip()))
    _flush(lines, current)  # text after the last block ("<body>... </p>Text</body>") is a line too


def _flush(lines: list[str], current: list[str]) -> None:
    if current[0].strip():
        lines.append(current[0])
    elif lines and lines[-1] != "":
        lines.append("")
    current[0] = ""


# Oregon's Revised Statutes end each section with its history in brackets ("[1971 c.743 §151; 2001 c.535 §27]":
# year, chapter, section of the session laws), give a repealed or renumbered section only its number and that
# bracket ("165.005 [Amended by 1955 c.435 §1; repealed by 1971 c.743 §432]"), and put Legislative Counsel's
# notes between sections ("Note: Legislative Counsel has substituted ..."). None of it is statute text.
HISTORY_BRACKET = re.compile(r"\s*\[(?=[^\[\]]*\b(?:1[89]|20)\d\d c\.\s?\d)[^\[\]]*\]\s*$")
HISTORY_ONLY = re.compile(r"^\d{1,4}[A-Z]?\.\d{1,4}[A-Z]?\.?\s+\[[^\[\]]*\]$")
EDITORS_NOTE = re.compile(r"^Note(?: \d{1,2})?:\s")


def _strip_history_notes(lines: list[str]) -> tuple[list[str], list[RemovedLine]]:
    """The lines without history brackets, history-only sections and editors' notes, and those, as removed."""
    kept, removed = [], []
    for line in lines:
        text = line.strip()
        if HISTORY_ONLY.match(text):
            removed.append(RemovedLine(text, "section repealed or renumbered (its history note only)"))
        elif EDITORS_NOTE.match(text):
            removed.append(RemovedLine(text, "editor's note"))
        elif match := HISTORY_BRACKET.search(line):
            removed.append(RemovedLine(match.group().strip(), "history note (the Acts that enacted or amended the section)"))
            kept.append(line[:match.start()])
        else:
            kept.append(line)
    return kept, removed


def _merge(lines: list[str]) -> list[str]:
    """Collapse runs of blank lines to one."""
    out = []
    for line in lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line)
    return out


def _list_marker(item, positions: dict[int, dict[int, int]], capped: list[int]) -> str:
    """"(a) ", "(iv) ", "(3) " for an item of an ordered list; `positions` keeps each list's item order,
    found once per list rather than once per item. A start or value over MAX_LIST_START is not taken: the list
    counts from 1 and its id goes into `capped`."""
    parent = item.parent
    if parent is None or parent.name != "ol":
        return ""
    kind = LIST_FORMATS.get(parent.get("type", "1"), "decimal")
    start = _list_number(parent.get("start"))
    if start is None:
        start = 1
    elif start > MAX_LIST_START:
        start = 1
        _cap(parent, capped)
    if id(parent) not in positions:
        positions[id(parent)] = {id(li): i for i, li in enumerate(parent.find_all("li", recursive=False))}
    position = start + positions[id(parent)][id(item)]
    value = _list_number(item.get("value"))
    if value is not None:
        if value <= MAX_LIST_START:
            position = value
        else:
            _cap(parent, capped)
    if kind == "lower":
        label = chr(ord("a") + (position - 1) % 26)
    elif kind == "upper":
        label = chr(ord("A") + (position - 1) % 26)
    elif kind in ("roman", "upper_roman"):
        label = roman_numeral(position).lower() if kind == "roman" else roman_numeral(position)
    else:
        label = str(position)
    return f"({label}) "


# A list's start or an item's value: ASCII digits only ("²" passes str.isdigit() but not int()), and at most 12
# of them (int() refuses 4,300 and more; anything past MAX_LIST_START is capped anyway). Anything else is ignored.
LIST_NUMBER = re.compile(r"[0-9]{1,12}")


def _list_number(value) -> int | None:
    """A start or value attribute as a number, or None where it is missing or not one (then it is ignored)."""
    if not isinstance(value, str):
        return None
    value = value.strip(" \t\n\r\f")
    return int(value) if LIST_NUMBER.fullmatch(value) else None


def _cap(parent, capped: list[int]) -> None:
    if id(parent) not in capped:
        capped.append(id(parent))
