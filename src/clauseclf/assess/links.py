"""Which of the fifteen asks a flagged clause engages, for the reviewer's loop (`clauseclf report`, the
review queue): from the clause's labels, and for an `overbroad` clause from what kind of clause it is.

    >>> asks_engaged({"labels": ["content_offence", "missing_intent"], "text": "A person who publishes ..."})
    [2, 3]
    >>> asks_engaged({"labels": ["overbroad"], "text": "An officer may intercept any communication."})
    [6, 7, 8, 9]

What an `overbroad` clause engages depends on what it is: an offence reaches ask 4, a
power asks 7-9 and the asks of its kind of power, a cooperation clause asks 12-14. The
kind is the clause table's where it gives one; else the facts model's, which `clauseclf
label` writes into the prediction (`facts`: kind and power) when the model folder has
one; else, for a folder without, it is read from the clause's words.

    >>> asks_engaged({"labels": ["overbroad"], "text": "The Minister may make regulations.",
    ...               "facts": {"kind": "procedural_power", "power": "interception"}})
    [6, 7, 8, 9]
"""

from __future__ import annotations

import re

from clauseclf.assess.asks import ASKS, INTRUSIVE, PROVIDER_POWERS
from clauseclf.schema import KINDS

BY_LABEL = {"core_cybercrime": [1], "content_offence": [2], "missing_intent": [3]}
OFFENCE = re.compile(r"commits an offen[cs]e|\bguilty of an offen[cs]e|\bshall be (?:liable|punished)|\bis liable\b|"
                     r"\bconviction\b|\bimprisonment\b|\bfine\b", re.IGNORECASE)
COOPERATION = re.compile(r"\bmutual (?:legal )?assistance\b|\bextradit|\brequesting (?:state|party|country)\b|"
                         r"\bforeign (?:state|government|authority)\b", re.IGNORECASE)
# Ask 11 has no kind of power: the words that name what it protects engage it, with clause facts or without.
PRIVILEGE = re.compile(r"\bprivileg|\bjournalis|\blegal practitioner|\bsource", re.IGNORECASE)
# Without clause facts: (asks, words that name the power); a power engages 7-9 whatever its kind.
POWERS = (
    ([6], re.compile(r"\bintercept|\breal[- ]time\b", re.IGNORECASE)),
    ([10], re.compile(r"\bsearch|\bseiz", re.IGNORECASE)),
    ([11], PRIVILEGE),
    ([15], re.compile(r"\bservice provider|\bblock|\btake ?down|\bremov(?:e|al) (?:of )?(?:content|data)|\bdecrypt|"
                      r"\bpreserv|\bretain|\bproduc(?:e|tion)", re.IGNORECASE)),
)
POWER = re.compile(r"\bmay\b.{0,120}\b(?:order|direct|require|intercept|search|seize|access|collect|record|"
                   r"block|disclose|enter|compel|preserve|retain)|\bwarrant\b|\border\b", re.IGNORECASE)


def asks_engaged(record: dict) -> list[int]:
    """The ids of the asks a predicted clause engages, ascending; none for a clause with no label."""
    labels = record.get("labels") or []
    text = str(record.get("text") or "")
    found = {number for label in labels for number in BY_LABEL.get(label, [])}
    if "core_cybercrime" in labels:
        found.add(5)  # offences of access, interception, data and devices need carve-outs
    if "overbroad" in labels:
        facts = record.get("facts")
        found |= set(_overbroad_asks(text, record.get("kind"), facts if isinstance(facts, dict) else None))
    return sorted(found)


def _overbroad_asks(text: str, kind: object, facts: dict | None) -> list[int]:
    if facts is not None:
        return _asks_of_kind(text, kind if kind in KINDS else facts.get("kind"), facts.get("power"))
    if kind == "offence" or (kind is None and OFFENCE.search(text)):
        return [4]
    if kind == "cooperation" or (kind is None and COOPERATION.search(text)):
        return [12, 13, 14]
    if kind in ("procedural_power", "safeguard") or POWER.search(text):
        return [7, 8, 9] + [n for asks, words in POWERS if words.search(text) for n in asks]
    return [4]


def _asks_of_kind(text: str, kind: object, power: object) -> list[int]:
    """From the clause facts: the asks of its kind, and for a power those of its kind of power (asks.py's sets)."""
    if kind == "cooperation":
        return [12, 13, 14]
    if kind not in ("procedural_power", "safeguard"):
        return [4]  # an offence, or a definition or other provision that reaches too far
    asks = [7, 8, 9]
    asks += [6] if power in INTRUSIVE else []
    asks += [10] if power == "search_seizure" else []
    asks += [11] if PRIVILEGE.search(text) else []
    asks += [15] if power in PROVIDER_POWERS else []
    return asks


def ask_titles(numbers: list[int]) -> list[dict]:
    """[{"id": 2, "ask": "No offences based on the content of expression"}, ...] for pages to show."""
    return [{"id": number, "ask": ASKS[number]} for number in numbers]
