"""HTML bills: the statute body of a legislation web page, without its navigation and page furniture.

Scripts, styles, <nav>, <header>, <footer>, <aside>, forms and elements whose role,
id or class names them as navigation (menu, breadcrumb, sidebar, cookie banner...)
are dropped; the text comes from <main> (or <article>, or the body) with one line
per block element, and ordered-list items get their "(1)"/"(a)" markers back.
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
    root = soup.find("main") or soup.find(attrs={"role": "main"}) or soup.find("article") or soup.body or soup
    removed += _outside(soup, root)
    lines, capped = [], []
    _render(root, lines, [""], capped)
    text = "\n".join(line.strip() for line in _merge(lines))
    notes = [f"left out {len(removed)} lines of the page's navigation, header and footer"] if removed else []
    if capped:
        notes.append(f"numbered {len(capped)} ordered list(s) from 1: their start or an item's value was over "
                     f"{MAX_LIST_START:,}")
    document = document_from_text(path, doc_id, "html", text.strip("\n"), notes, removed, running_lines=False)  # no pages
    if pdf_links and _no_statute_text(document):
        raise InputError(path, "the page holds no statute text: no section or article markers, only "
                               f"{len(document.clauses)} short paragraph(s) of page text ('{document.clauses[0].text[:60]}' ...)",
                         hint=f"the law is in the PDF the page links to ({pdf_links[0]}): download it and segment that")
    return document


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
    doomed = list(soup.find_all(DROP_TAGS))
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


def _render(root, lines: list[str], current: list[str], capped: list[int]) -> None:
    """Append text to current[0]; a block element starts and ends a line. `capped` gets each list whose
    start or item value was over MAX_LIST_START (numbered from 1 instead).

    A walk with its own stack, not recursion: pages nest a thousand elements deep and
    more, past Python's recursion limit.
    """
    from bs4 import NavigableString, Tag
    from bs4.element import Comment

    positions: dict[int, dict[int, int]] = {}  # per <ol>, each of its items' place in it
    stack = [(iter(root.children), False)]  # (children left to read, is a block element)
    while stack:
        children, block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if block:
                _flush(lines, current)
            continue
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            current[0] += re.sub(r"\s+", " ", str(child))
            continue
        if not isinstance(child, Tag):
            continue
        child_block = child.name in BLOCKS
        if child_block:
            _flush(lines, current)
        if child.name == "li":
            current[0] += _list_marker(child, positions, capped)
        if child.name in ("td", "th"):
            current[0] += " "
        stack.append((iter(child.children), child_block))


def _flush(lines: list[str], current: list[str]) -> None:
    if current[0].strip():
        lines.append(current[0])
    elif lines and lines[-1] != "":
        lines.append("")
    current[0] = ""


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
