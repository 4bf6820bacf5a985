"""Text conservation: every line a reader extracts ends up in a clause, or in the list of removed lines.

A segmenter that drops statute text without a word is worse than one that keeps too
much: an offence that lost "commits an offence and is liable ..." reads as a duty.
So the readers and the splitter report every line they leave out (`RemovedLine`, with
a reason such as "running header" or "table of contents"), and `unaccounted` checks,
from the output alone, that each non-blank line of the text is

- inside a clause's span and in that clause's text, or
- a marker ("14.", "(1)", "Article 5") and words found in a clause's heading path, or
- in the removed list.

A line that is none of these was lost by a bug: `check` raises `TextLost`, so the
tests (and the fuzzing) catch it, rather than a note that nobody reads.

>>> from clauseclf.schema import Clause
>>> text = "1. Short title\\nThis Act may be cited as the Demo Act.\\n- 1 -"
>>> clause = Clause("d", "d:1", "This Act may be cited as the Demo Act.", "s. 1", ["Short title"], 15, 53)
>>> unaccounted(text, [clause], [])
[(3, '- 1 -')]
>>> unaccounted(text, [clause], [RemovedLine("- 1 -", "page number", line=3)])
[]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from clauseclf.schema import Clause

# What may stand before a clause's text on its line without being statute words: section and
# subsection numbers, "Article 5", "SEC. 5.", "§ 5", dashes and brackets, an amendment bracket ("[(1)]").
MARKER = re.compile(
    r"^(?:\s*\[?(?:(?:ARTICLE|Article|Art\.|ART\.|SECTION|Section|SEC\.|Sec\.|§{1,2}|Artículo|Articolo|Regulation|Reg\.)"
    r"\s*)?(?:\d{1,4}[A-Za-z]{0,2}(?:\.\d{1,4})*[º°]?|\(?\s?[0-9]{1,3}[A-Z]{0,2}\)|\([a-z]{1,4}\)|\([A-Z]{1,2}\)|"
    r"[IVXLC]+)\]?\.?\s*[-–—:.]*)+")


@dataclass(frozen=True)
class RemovedLine:
    """A line of the extracted text that is in no clause, and why ("page number", "site navigation").

    `line` is its 1-based line number in `Document.text` (None where the reader took it out before
    the text was built, e.g. a PDF's running header); `page` its page, where the format has pages.
    """

    text: str
    reason: str
    page: int | None = None
    line: int | None = None


class TextLost(RuntimeError):
    """Lines of a bill that are in no clause and were not reported as removed: a bug in the segmenter."""

    def __init__(self, doc_id: str, lost: list[tuple[int, str]]):
        shown = "; ".join(f"line {number}: {text[:80]!r}" for number, text in lost[:5])
        more = f" (and {len(lost) - 5} more)" if len(lost) > 5 else ""
        super().__init__(f"{doc_id}: {len(lost)} line(s) of the bill are in no clause and were not reported "
                         f"as removed: {shown}{more}. This is a bug in clauseclf's segmenter: please report it "
                         "with the file")
        self.lost = lost


def summary(removed: list[RemovedLine]) -> str:
    """ "12 lines: 8 running header, 4 page number" (most frequent reason first)."""
    counts = Counter(line.reason for line in removed)
    reasons = ", ".join(f"{count} {reason}" for reason, count in counts.most_common())
    return f"{len(removed)} line(s): {reasons}" if removed else "no lines"


def check(doc_id: str, text: str, clauses: list[Clause], removed: list[RemovedLine]) -> None:
    """Raise TextLost if a line of `text` is neither kept nor reported (see the module docstring)."""
    lost = unaccounted(text, clauses, removed)
    if lost:
        raise TextLost(doc_id, lost)


def unaccounted(text: str, clauses: list[Clause], removed: list[RemovedLine]) -> list[tuple[int, str]]:
    """(line number, text) of each non-blank line of `text` that no clause holds and `removed` does not list."""
    reported = {line.line for line in removed if line.line is not None}
    headings = {normalised_words(part) for clause in clauses for part in clause.heading}
    headings.discard("")
    spans = sorted((c.start, c.end, normalised_words(c.text)) for c in clauses if c.start is not None and c.end is not None)
    lost, offset, span_index = [], 0, 0
    for number, raw in enumerate(text.split("\n"), start=1):
        start, end = offset, offset + len(raw)
        offset = end + 1
        if not raw.strip() or number in reported:
            continue
        while span_index < len(spans) and spans[span_index][1] <= start:
            span_index += 1
        outside, inside_ok = [], True
        cursor = start
        for span_start, span_end, words in spans[span_index:]:
            if span_start >= end:
                break
            if span_end <= start:
                continue
            outside.append(text[cursor:max(cursor, span_start)])
            inside = normalised_words(text[max(start, span_start):min(end, span_end)])
            inside_ok = inside_ok and inside in words
            cursor = max(cursor, min(end, span_end))
        outside.append(text[cursor:end])
        if not inside_ok or not all(_in_heading(part, headings) for part in outside):
            lost.append((number, raw.strip()))
    return lost


# A subsection's number after its section's title, before the clause's text ("165.007 Forgery in the second
# degree. (1) A person commits ...", "14. Jurisdiction (1) Notwithstanding ...").
TRAILING_MARKER = re.compile(r"\s*\((?:[0-9]{1,3}[A-Z]{0,2}|[a-z]{1,4}|[A-Z]{1,2})\)\s*$")


def _in_heading(part: str, headings: set[str]) -> bool:
    """Is this piece of a line (outside every clause) only a marker, or words of a heading (with a marker)?"""
    rest = normalised_words(TRAILING_MARKER.sub("", MARKER.sub("", part.strip(), count=1)))
    if not rest:
        return True
    return rest in headings or any(rest in heading for heading in headings)


def normalised_words(text: str) -> str:
    """Lower-case words and numbers, single-spaced: what the check compares (punctuation and soft hyphens aside)."""
    return " ".join(re.findall(r"\w+", text.replace("\u00ad", "").lower()))
