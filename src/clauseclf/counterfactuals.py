"""Counterfactual training clauses for `missing_intent`: the same offence with and without its mental element.

ANNOTATION.md reads `missing_intent` off the clause's own words: an offence-creating clause
carries it exactly when no mental element ("intentionally", "with intent to", ...) is there.
A small encoder sees too few offences to learn an *absence*; pairs that differ only in those
words show it what the label turns on:

    >>> strip_mental_element("A person who intentionally and without right accesses a computer system commits an offence.")
    'A person who without right accesses a computer system commits an offence.'
    >>> add_mental_element("A person who accesses a computer system commits an offence.")
    'A person who intentionally accesses a computer system commits an offence.'

Only English offence clauses are rewritten (the patterns are English drafting formulas), and a
rewrite is dropped rather than kept half-done: when any intent or knowledge wording survives,
or when the result leaves a dangling "and"/"or". A purpose ("with intent to defraud") becomes a
likely result ("in a manner likely to defraud"), so the sentence keeps its grammar. The rewrites
join the transformer's training clauses only; dev, test and the signal model see real clauses.

Opt-in (`training.intent_counterfactuals`): on the 4 jurisdiction folds it did not lift the recipe
and lowered the transformer's own missing_intent F1 by 0.07 (docs/quality.md rows 29-30).
"""

from __future__ import annotations

import re

from clauseclf import lexicon

LABEL = "missing_intent"

_ADVERB = (r"(?:intentionally|knowingly|wil(?:l)?fully|deliberately|dishonestly|fraudulently|maliciously|"
           r"recklessly|purposely|corruptly)")
_ADVERB_RUN = rf"{_ADVERB}(?:,? (?:and|or) {_ADVERB})*"
# "unlawfully and intentionally accesses" -> "unlawfully accesses"; "intentionally and without right" ->
# "without right"; "knowingly or intentionally sends" -> "sends".
_ADVERBS = re.compile(rf"\b(?:(?:and|or) {_ADVERB_RUN}|{_ADVERB_RUN}(?:,? and\b| or\b)?)\s*", re.IGNORECASE)
# A purpose keeps its grammar under an objective test: "with intent to defraud" -> "in a manner likely to
# defraud" (a likely result, which ANNOTATION.md does not count as a mental element).
_PURPOSE = (
    (re.compile(r"\bwith (?:the )?(?:intent|intention) to\b", re.IGNORECASE), "in a manner likely to"),
    (re.compile(r"\bwith (?:the )?(?:intent|intention) that\b", re.IGNORECASE), "such that"),
    (re.compile(r"\bwith (?:the )?intention of\b", re.IGNORECASE), "in a manner likely to result in"),
    (re.compile(r"\bwith a view to\b", re.IGNORECASE), "in a manner likely to"),
    (re.compile(r"\bfor the purpose of\b", re.IGNORECASE), "for"),
)
# A knowledge phrase has no such stand-in: it goes, but only where commas set it apart ("..., knowing such
# access is unauthorised, commits ..."), so that what follows is still the sentence.
_KNOWLEDGE = re.compile(
    r",\s*(?:and |or )?(?:knowing|with (?:the )?knowledge|having reason to believe|in bad faith)\b[^,;:—–()]{0,120},",
    re.IGNORECASE)
_DANGLING = re.compile(r"\b(?:and|or)\s*(?:[,;:—–]|$)|,\s*,", re.IGNORECASE)
# Stricter than the lexicon: wording it does not list ("with either the intention to", "malafide") still
# reads as a mental element, so a rewrite that keeps any of it is dropped rather than mislabelled.
_RESIDUE = re.compile(r"\b(?:intent\w*|know\w*|mala ?fide|purpose\w*|wil(?:l)?ful\w*|fraudulent\w*|dishonest\w*|malic\w*)",
                      re.IGNORECASE)
# Where an offence names its doer: "A person who ...", "Whoever ...", "Anyone who ...".
_DOER = re.compile(r"\b(?:who|whoever)\b,?\s+(?=[a-z])", re.IGNORECASE)
# "who is likely", "who has the right": the doer's act comes later, or it is not the offence.
_AUXILIARY = re.compile(r"(?:is|are|was|were|has|have|had|shall|may|must|can|will)\b", re.IGNORECASE)


def strip_mental_element(text: str) -> str | None:
    """The clause with every mental element taken out, or None when that cannot be done cleanly."""
    stripped = _KNOWLEDGE.sub(",", _ADVERBS.sub("", text))
    for pattern, stand_in in _PURPOSE:
        stripped = pattern.sub(stand_in, stripped)
    stripped = re.sub(r"\s+([,.;])", r"\1", re.sub(r"\s{2,}", " ", stripped)).strip()
    if stripped == text.strip() or _RESIDUE.search(stripped) or _DANGLING.search(stripped):
        return None
    return stripped


def add_mental_element(text: str) -> str | None:
    """The clause with "intentionally" before each doer's act, or None when it names no doer."""
    if not _DOER.search(text) or lexicon.mentions(text, lexicon.NEGLIGENCE):
        return None

    def insert(match: re.Match) -> str:
        if _AUXILIARY.match(text, match.end()):
            return match.group(0)
        joiner = "intentionally and " if text[match.end():].lower().startswith("without") else "intentionally "
        return match.group(0) + joiner

    return _DOER.sub(insert, text)


def intent_counterfactuals(records: list[dict]) -> list[dict]:
    """One rewritten copy of each English offence clause that can be flipped, its `missing_intent` flipped too.

    A clause with a mental element loses it and gains the label; a clause with the label and no mental
    element gains "intentionally" and loses the label. Other labels are kept: the act is the same.
    """
    rewritten = []
    for record in records:
        if record.get("kind") != "offence" or record.get("lang", "en") != "en":
            continue
        labels = list(record.get("labels", []))
        if LABEL in labels:
            text = None if lexicon.mentions(record["text"], lexicon.MENTAL_ELEMENT) else add_mental_element(record["text"])
            new_labels = [name for name in labels if name != LABEL]
        else:
            text = strip_mental_element(record["text"]) if lexicon.mentions(record["text"], lexicon.MENTAL_ELEMENT) else None
            new_labels = labels + [LABEL]
        if text is not None:
            rewritten.append({**record, "id": f"{record.get('id', '')}#counterfactual", "text": text,
                              "labels": new_labels, "evidence": []})
    return rewritten
