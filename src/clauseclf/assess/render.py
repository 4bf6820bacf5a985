"""An assessment as files: `assessment.json` (for programs), `assessment.md` (to paste into a memo) and
`assessment.html` (page.py), written into one output folder, each atomically.

    write_assessment(assessment, Path("out"), force=False)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from clauseclf.assess.assessment import Assessment, Engaged
from clauseclf.outputs import atomic_write_text, check_output_folder

FILES = ("assessment.json", "assessment.md", "assessment.html")
STATUS_WORDS = {"met": "met", "partly_met": "partly met", "not_met": "not met", "not_addressed": "not addressed"}
QUOTE_CHARS = 300  # a memo quotes the start of a clause; the JSON and the page hold it whole


def check_output(output: str | Path, force: bool) -> Path:
    """Refuse, before any work, an output folder that holds files (without `force`) or cannot be written."""
    return check_output_folder(output, force)


def write_assessment(assessment: Assessment, output: str | Path, force: bool = False) -> list[Path]:
    from clauseclf.assess.page import build_page

    output = check_output(output, force)
    output.mkdir(parents=True, exist_ok=True)
    texts = {"assessment.json": json.dumps(assessment.to_dict(), indent=2, ensure_ascii=False) + "\n",
             "assessment.md": to_markdown(assessment), "assessment.html": build_page(assessment)}
    for name in FILES:
        atomic_write_text(output / name, texts[name])
    return [output / name for name in FILES]


def to_markdown(assessment: Assessment) -> str:
    lines = [f"# {md(assessment.bill)}: assessment against the UN human-rights office's asks", "",
             f"{assessment.clauses} clauses read by model {md(str(assessment.model.get('name', 'unknown')))}. "
             "Each status is a first reading from the clauses listed under it, for the analyst to check.", "",
             "| # | ask | status |", "| --- | --- | --- |"]
    lines += [f"| {a.id} | {md(a.ask)} | {STATUS_WORDS[a.status]} |" for a in assessment.asks]
    for ask in assessment.asks:
        lines += ["", f"## {ask.id}. {md(ask.ask)}: {STATUS_WORDS[ask.status]}", "", md(ask.summary)]
        if ask.clauses:
            lines.append("")
        lines += [_clause_line(clause) for clause in ask.clauses]
    return "\n".join(lines) + "\n"


def _clause_line(clause: Engaged) -> str:
    mark = {True: "meets", False: "misses", None: "engages"}[clause.meets]
    heading = f" ({md(clause.heading)})" if clause.heading else ""
    return f"- **{md(clause.unit)}**{heading}, {mark}: {md(clause.why)}. “{md(quote(clause.text))}”"


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """The clause's words, cut at a word boundary past `limit` characters.

    >>> quote("one two three", 8)
    'one two…'
    """
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def md(text: str) -> str:
    """Text as Markdown shows it literally: the characters that would make emphasis, links, HTML or a table
    cell are escaped, and line breaks become spaces.

    >>> md("a *b* <script> | c")
    'a \\\\*b\\\\* \\\\<script\\\\> \\\\| c'
    """
    return re.sub(r"([\\`*_\[\]<>#|~])", r"\\\1", " ".join(str(text).split()))
