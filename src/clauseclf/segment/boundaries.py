"""Score a segmentation against hand-checked clause boundaries (`<bill>.expected.json`).

An expected clause is {"unit": "s. 14(1)", "starts": "A person who causes", "ends":
"or to both."}: a predicted clause matches it when the units are equal and its
text (whitespace collapsed) starts and ends with those words. Matching is one to
one, in document order. Precision is matched / predicted, recall matched / expected:
a clause cut in two costs precision and recall, a header glued onto a clause's
end costs both too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from clauseclf.errors import InputError
from clauseclf.schema import Clause


@dataclass
class BoundaryScore:
    expected: int
    predicted: int
    matched: int
    missed: list[str] = field(default_factory=list)  # expected units no clause matched
    extra: list[str] = field(default_factory=list)  # predicted units that matched nothing

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 0.0


def load_expected(path: str | Path) -> dict:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InputError(path, f"invalid JSON ({error.msg})", line=error.lineno) from None
    if not isinstance(data.get("clauses"), list) or not data.get("document"):
        raise InputError(path, "expected 'document' and a list of 'clauses'")
    return data


def score(clauses: list[Clause], expected: list[dict]) -> BoundaryScore:
    """Match predicted clauses to expected ones in order (see the module docstring)."""
    used = [False] * len(clauses)
    matched, missed = 0, []
    cursor = 0
    for item in expected:
        found = next((i for i in range(cursor, len(clauses)) if not used[i] and _matches(clauses[i], item)), None)
        if found is None:
            missed.append(item["unit"])
            continue
        used[found] = True
        matched += 1
        cursor = found + 1
    extra = [clause.unit for clause, hit in zip(clauses, used) if not hit]
    return BoundaryScore(len(expected), len(clauses), matched, missed, extra)


def expected_entry(clause: Clause, words: int = 6) -> dict:
    """The {unit, starts, ends} record of a clause, as the expected files store it."""
    tokens = _squash(clause.text).split(" ")
    return {"unit": clause.unit, "starts": " ".join(tokens[:words]), "ends": " ".join(tokens[-min(words, len(tokens)):])}


def _matches(clause: Clause, item: dict) -> bool:
    text = _squash(clause.text)
    return clause.unit == item["unit"] and text.startswith(_squash(item["starts"])) and text.endswith(_squash(item["ends"]))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
