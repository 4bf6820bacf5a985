"""The language check that gates the English lexicon signals."""

from __future__ import annotations

import json
from pathlib import Path

from clauseclf.language import looks_english

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus" / "clauses.jsonl"


def test_agrees_with_every_annotated_language_tag_in_the_corpus():
    records = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    wrong = [(r["id"], r["lang"]) for r in records if looks_english(r["text"]) != (r["lang"] == "en")]
    assert wrong == []
    assert sum(r["lang"] != "en" for r in records) > 90  # the check is not trivially all-English


def test_short_and_empty_texts():
    assert looks_english("Penalty.")
    assert not looks_english("Штраф.")
    assert not looks_english("")
    assert not looks_english("第一条")
