"""The segmenter on real published bills (tests/fixtures/bills/real): the bench's scoring, and one test per
failure class of bills as their publishers issue them, each built from a real document."""

from __future__ import annotations

from pathlib import Path

import pytest

from clauseclf.errors import InputError
from clauseclf.schema import Clause
from clauseclf.segment import read_document, segment_text
from clauseclf.segment.boundaries import load_gold, score_gold

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "bills" / "real"


# --------------------------------------------------------------------------- scoring against the gold

def test_gold_score_counts_lost_words_titles_and_the_run_of_the_gold():
    # Sri Lanka PDPA 2022 s. 18(2), a gold unit, and a clause that lost "or" and its title.
    gold = [{"unit": "s. 18(2)", "heading": "Automated individual decision making",
             "starts": "The provisions of subsection (1)", "ends": "data subject; or",
             "text": "The provisions of subsection (1) shall not apply where (c) based on the consent of the data subject; or"}]
    clauses = [Clause("lk", "lk:1", "Earlier text.", "s. 17", [], 0, 10),
               Clause("lk", "lk:2", "The provisions of subsection (1) shall not apply where (c) based on the consent of the data subject;",
                      "s. 18(2)", ["PART II"], 11, 100),
               Clause("lk", "lk:3", "Later text.", "s. 19", [], 101, 110)]
    result = score_gold(clauses, gold)
    assert (result.predicted, result.matched, result.words_lost, result.lost_sample) == (1, 0, 1, ["or"])
    assert (result.titles, result.titles_reached) == (1, 0)
    assert any("lost" in failure for failure in result.failures())


def test_bench_prints_a_row_per_real_document_and_fails_when_a_bar_is_missed(tmp_path):
    import subprocess
    import sys

    real = tmp_path / "real"
    real.mkdir()
    (real / "bill.html").write_text("<html><body><p>1. Offence</p><p>A person who hacks commits an offence.</p>"
                                    "</body></html>", encoding="utf-8")
    gold = {"document": "bill.html", "units": [{"unit": "s. 1", "heading": "Offence", "starts": "A person who",
                                                 "ends": "commits an offence.", "text": "A person who hacks commits an offence, or not."}]}
    (real / "bill.html.gold.json").write_text(__import__("json").dumps(gold), encoding="utf-8")
    script = Path(__file__).resolve().parents[2] / "scripts" / "bench_segment.py"
    run = subprocess.run([sys.executable, str(script), "--fixtures", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    row = next(line for line in run.stdout.splitlines() if line.startswith("| bill.html"))
    assert "| 1.000 | 1.000 | 2 | 1/1 |" in row and "2 statute word(s) lost" in row
