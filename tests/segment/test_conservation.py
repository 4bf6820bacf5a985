"""Text conservation: every extracted line is in a clause (text or heading) or reported as removed, with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from clauseclf.errors import InputError
from clauseclf.schema import Clause
from clauseclf.segment import read_document, segment_text
from clauseclf.segment import splitter
from clauseclf.segment.conservation import RemovedLine, TextLost, summary, unaccounted

REPO = Path(__file__).resolve().parents[2]
BILLS = REPO / "tests" / "fixtures" / "bills"
FIXTURES = sorted(p for p in list(BILLS.glob("*.*")) + list((BILLS / "real").glob("*.*"))
                  if p.suffix in (".txt", ".pdf", ".html", ".docx", ".xml"))
LK_PDF = BILLS / "real" / "lk_personal_data_protection_act_2022.pdf"


def test_a_line_in_no_clause_and_not_reported_is_found():
    # Kenya CMCA s. 14(1): the penalty line is in the text but in no clause.
    text = ("14. Unauthorised access\n(1) A person who causes a computer system to perform a function\n"
            "commits an offence and shall be liable on conviction to a fine\n")
    clause = Clause("ke", "ke:1", "A person who causes a computer system to perform a function", "s. 14(1)",
                    ["Unauthorised access"], text.index("A person"), text.index("function") + len("function"))
    assert unaccounted(text, [clause], []) == [(3, "commits an offence and shall be liable on conviction to a fine")]
    reported = [RemovedLine("commits an offence and shall be liable on conviction to a fine", "running header", line=3)]
    assert unaccounted(text, [clause], reported) == []


def test_a_clause_whose_text_lost_words_of_its_span_is_found():
    text = "1. Offence\nA person who hacks\ncommits an offence.\n"
    start = text.index("A person")
    clause = Clause("d", "d:1", "A person who hacks", "s. 1", ["Offence"], start, len(text) - 1)
    assert [number for number, _ in unaccounted(text, [clause], [])] == [3]


def test_the_splitter_raises_when_it_drops_a_line_it_does_not_report(monkeypatch):
    original = splitter._Walker._continue

    def forgetful(self, line):
        if "liable" not in line.text:
            original(self, line)

    monkeypatch.setattr(splitter._Walker, "_continue", forgetful)
    text = "1. Offence\n(1) A person who hacks\ncommits an offence and is liable to a fine.\n(2) It is a defence.\n"
    with pytest.raises(TextLost) as caught:
        segment_text(text, "demo")
    assert "line 3" in str(caught.value) and "bug" in str(caught.value)


def test_running_lines_and_contents_are_reported_with_their_reason():
    text = ("ARRANGEMENT OF SECTIONS\n1. Short title\n2. Offence\n"
            "1. Short title\nThis Act may be cited as the Demo Act.\n- 1 -\n"
            "2. Offence\nA person who hacks commits an offence.\n")
    segmentation = segment_text(text, "demo")
    reasons = {(line.text, line.reason, line.line) for line in segmentation.removed}
    assert ("- 1 -", "page number", 6) in reasons
    assert ("ARRANGEMENT OF SECTIONS", "table of contents", 1) in reasons
    assert summary(segmentation.removed).startswith(f"{len(segmentation.removed)} line(s): ")


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_fixture_accounts_for_every_line(path):
    # read_document raises TextLost if a line is neither kept nor reported; each removed line has a reason.
    try:
        document = read_document(path)
    except InputError:
        pytest.skip("not a readable bill (e.g. a scan without --ocr)")
    assert all(line.reason and line.text for line in document.removed)
    kept = {line.line for line in document.removed if line.line}
    assert unaccounted(document.text, document.clauses, document.removed) == []
    assert all(1 <= number <= document.text.count("\n") + 1 for number in kept)


def test_pdf_running_lines_name_their_page():
    document = read_document(BILLS / "coe_convention_on_cybercrime_ets185.pdf")
    pages = {line.page for line in document.removed if line.reason == "page number"}
    assert pages == {1, 2, 3, 4}


def test_segment_command_says_what_it_removed_and_lists_it():
    from clauseclf.cli import app

    result = CliRunner().invoke(app, ["segment", str(BILLS / "coe_convention_on_cybercrime_ets185.pdf"),
                                      "--show-removed"])
    assert result.exit_code == 0, result.output
    assert "8 line(s): 4 running header or footer, 4 page number" in result.stderr
    assert "page 2" in result.stderr and "ETS 185 – Convention on Cybercrime, 23.XI.2001" in result.stderr

