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
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from clauseclf.errors import InputError
from clauseclf.schema import Clause


class _Rates:
    """Precision and recall of a score that counts `expected`, `predicted` and `matched` units."""

    expected: int
    predicted: int
    matched: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 0.0


@dataclass
class BoundaryScore(_Rates):
    expected: int
    predicted: int
    matched: int
    missed: list[str] = field(default_factory=list)  # expected units no clause matched
    extra: list[str] = field(default_factory=list)  # predicted units that matched nothing


def _load_fixture(path: str | Path, list_key: str) -> dict:
    """A fixture's JSON, which must name its `document` and hold a list under `list_key`."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InputError(path, f"invalid JSON ({error.msg})", line=error.lineno) from None
    if not isinstance(data.get(list_key), list) or not data.get("document"):
        raise InputError(path, f"expected 'document' and a list of '{list_key}'")
    return data


def load_expected(path: str | Path) -> dict:
    return _load_fixture(path, "clauses")


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


# --- real published documents: `<file>.gold.json` with full clause text ---------------------------

# The bars a real document must reach (issue: bills as their publishers issue them).
GIANT_CLAUSE_CHARS = 6_000
MIN_TITLES_REACHED = 0.95


@dataclass
class GoldScore(_Rates):
    """How a segmentation of a real document compares with its hand-checked gold (`<file>.gold.json`).

    The gold may cover a contiguous run of the document (the preamble to s. 18): precision counts
    only the predicted clauses in that run (from the first gold unit to the last, found by unit).
    """

    expected: int
    predicted: int  # clauses in the gold's run
    matched: int
    words_lost: int  # words of the gold text missing from the clauses' text (multiset, normalised)
    lost_sample: list[str]
    words_added: int  # words of the clauses' text that the gold's text lacks: furniture kept as statute text
    added_sample: list[str]
    titles: int  # gold units with a section title
    titles_reached: int  # ... whose title is in the heading path of the clause with that unit
    largest_chars: int
    largest_unit: str
    largest_is_one_provision: bool  # the largest clause is a single gold unit (a long provision), not a merge
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def title_share(self) -> float:
        return self.titles_reached / self.titles if self.titles else 1.0

    def failures(self, minimum: float = 0.95) -> list[str]:
        """The bars this document misses, in words ("recall 0.81 < 0.95")."""
        failing = []
        if self.precision < minimum:
            failing.append(f"precision {self.precision:.2f} < {minimum}")
        if self.recall < minimum:
            failing.append(f"recall {self.recall:.2f} < {minimum}")
        if self.words_lost:
            failing.append(f"{self.words_lost} statute word(s) lost")
        if self.words_added:
            failing.append(f"{self.words_added} word(s) in clauses that are not statute text")
        if self.title_share < MIN_TITLES_REACHED:
            failing.append(f"titles in heading {self.title_share:.2f} < {MIN_TITLES_REACHED}")
        if self.largest_chars > GIANT_CLAUSE_CHARS and not self.largest_is_one_provision:
            failing.append(f"{self.largest_unit} has {self.largest_chars:,} characters")
        return failing


def load_gold(path: str | Path) -> dict:
    return _load_fixture(path, "units")


def score_gold(clauses: list[Clause], units: list[dict]) -> GoldScore:
    """Score clauses against gold units {unit, heading, starts, ends, text} (see GoldScore)."""
    scope = _gold_run(clauses, units)
    used = [False] * len(scope)
    matched, missed, cursor = 0, [], 0
    for item in units:
        found = next((i for i in range(cursor, len(scope)) if not used[i] and _matches_gold(scope[i], item)), None)
        if found is None:
            missed.append(item["unit"])
            continue
        used[found], matched, cursor = True, matched + 1, found + 1
    gold_words = Counter(_words(" ".join(item.get("text", "") for item in units)).split())
    clause_words = Counter(_words(" ".join(clause.text for clause in scope)).split())
    lost, added = gold_words - clause_words, clause_words - gold_words
    titles = [item for item in units if item.get("heading")]
    reached = sum(_title_reached(scope, item) for item in titles)
    largest = max(clauses, key=lambda clause: len(clause.text), default=None)
    one_provision = largest is not None and any(
        largest.unit == item["unit"] and _matches_gold(largest, item) for item in units)
    return GoldScore(
        expected=len(units), predicted=len(scope), matched=matched, words_lost=sum(lost.values()),
        lost_sample=[word for word, _ in lost.most_common(12)], words_added=sum(added.values()),
        added_sample=[word for word, _ in added.most_common(12)], titles=len(titles), titles_reached=reached,
        largest_chars=len(largest.text) if largest else 0, largest_unit=largest.unit if largest else "",
        largest_is_one_provision=one_provision, missed=missed,
        extra=[clause.unit for clause, hit in zip(scope, used) if not hit])


def _gold_run(clauses: list[Clause], units: list[dict]) -> list[Clause]:
    """The clauses from the first gold unit to the last (by unit), or all of them if either is not found."""
    if not units:
        return clauses
    first = next((i for i, c in enumerate(clauses) if c.unit == units[0]["unit"]), None)
    if first is None:
        return clauses
    last = next((i for i in range(first, len(clauses)) if clauses[i].unit == units[-1]["unit"]), None)
    return clauses[first:] if last is None else clauses[first:last + 1]


def _matches_gold(clause: Clause, item: dict) -> bool:
    text = _words(clause.text)
    return clause.unit == item["unit"] and text.startswith(_words(item["starts"])) and text.endswith(_words(item["ends"]))


def _title_reached(clauses: list[Clause], item: dict) -> bool:
    title = _words(item["heading"])
    return any(clause.unit == item["unit"] and any(_words(part) == title for part in clause.heading)
               for clause in clauses)


def _words(text: str) -> str:
    """Lower-case words, single-spaced: soft hyphens, quotes, dashes and spacing do not count."""
    return " ".join(re.findall(r"\w+", text.replace("\u00ad", "").lower()))
