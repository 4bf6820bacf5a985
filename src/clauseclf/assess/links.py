"""Which of the fifteen asks a flagged clause engages, for the reviewer's loop (`clauseclf report`, the
review queue): from the clause's labels, and for an `overbroad` power from the words that name it.

    >>> asks_engaged({"labels": ["content_offence", "missing_intent"], "text": "A person who publishes ..."})
    [2, 3]
    >>> asks_engaged({"labels": ["overbroad"], "text": "An officer may intercept any communication."})
    [6, 7, 8, 9]

A prediction record carries no clause facts, so the kind of an `overbroad` clause is
read from its words: an offence reaches ask 4, a power asks 7-9 and the asks of its
kind of power, a cooperation clause asks 12-14. `clauseclf assess` reads the facts model
instead; this is the quick link a reviewer follows from one clause to the standard.
"""

from __future__ import annotations

import re

from clauseclf.assess.asks import ASKS

BY_LABEL = {"core_cybercrime": [1], "content_offence": [2], "missing_intent": [3]}
OFFENCE = re.compile(r"commits an offen[cs]e|\bguilty of an offen[cs]e|\bshall be (?:liable|punished)|\bis liable\b|"
                     r"\bconviction\b|\bimprisonment\b|\bfine\b", re.IGNORECASE)
COOPERATION = re.compile(r"\bmutual (?:legal )?assistance\b|\bextradit|\brequesting (?:state|party|country)\b|"
                         r"\bforeign (?:state|government|authority)\b", re.IGNORECASE)
# (asks, words that name the power); a power engages 7-9 whatever its kind.
POWERS = (
    ([6], re.compile(r"\bintercept|\breal[- ]time\b", re.IGNORECASE)),
    ([10], re.compile(r"\bsearch|\bseiz", re.IGNORECASE)),
    ([11], re.compile(r"\bprivileg|\bjournalis|\blegal practitioner|\bsource", re.IGNORECASE)),
    ([15], re.compile(r"\bservice provider|\bblock|\btake ?down|\bremov(?:e|al) (?:of )?(?:content|data)|\bdecrypt|"
                      r"\bpreserv|\bretain|\bproduc(?:e|tion)", re.IGNORECASE)),
)
POWER = re.compile(r"\bmay\b.{0,120}\b(?:order|direct|require|intercept|search|seize|access|collect|record|"
                   r"block|disclose|enter|compel|preserve|retain)|\bwarrant\b|\border\b", re.IGNORECASE)


def asks_engaged(record: dict) -> list[int]:
    """The ids of the asks a predicted clause engages, ascending; none for a clause with no label."""
    labels = record.get("labels") or []
    text = str(record.get("text") or "")
    kind = record.get("kind")  # carried through from a clause table, where it has one
    found = {number for label in labels for number in BY_LABEL.get(label, [])}
    if "core_cybercrime" in labels:
        found.add(5)  # offences of access, interception, data and devices need carve-outs
    if "overbroad" in labels:
        found |= set(_overbroad_asks(text, kind))
    return sorted(found)


def _overbroad_asks(text: str, kind: object) -> list[int]:
    if kind == "offence" or (kind is None and OFFENCE.search(text)):
        return [4]
    if kind == "cooperation" or (kind is None and COOPERATION.search(text)):
        return [12, 13, 14]
    if kind in ("procedural_power", "safeguard") or POWER.search(text):
        return [7, 8, 9] + [n for asks, words in POWERS if words.search(text) for n in asks]
    return [4]


def ask_titles(numbers: list[int]) -> list[dict]:
    """[{"id": 2, "ask": "No offences based on the content of expression"}, ...] for pages to show."""
    return [{"id": number, "ask": ASKS[number]} for number in numbers]
