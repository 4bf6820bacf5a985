"""The words that support each predicted label, for a reviewer to read.

Spans come from the word lists of lexicon.py; each carries the standard it rests on.

>>> explain("A person who publishes false news commits an offence.", ["missing_intent"])["missing_intent"][0]["text"]
'A person who'
"""

from __future__ import annotations

from clauseclf import lexicon

NO_MENTAL_ELEMENT = ("No mental element found ('intentionally', 'knowingly', 'with intent to', ...): "
                     "ANNOTATION.md, missing_intent; UN OHCHR asks that offences require intent.")

# Which word lists support which label.
SUPPORT = {
    "core_cybercrime": (lexicon.SYSTEM_ACT,),
    "content_offence": (lexicon.EXPRESSION,),
    "overbroad": (lexicon.VAGUE_TERMS, lexicon.UNLIMITED_POWER),
    "missing_intent": (lexicon.OFFENCE_CREATING, lexicon.NEGLIGENCE),
}


def explain(text: str, labels: list[str]) -> dict[str, list[dict]]:
    """label -> [{text, start, end, why}] for each predicted label (exact substrings of `text`)."""
    evidence = {}
    for label in labels:
        spans = [span for lex in SUPPORT.get(label, ()) for span in lexicon.find_spans(text, lex)]
        records = [{"text": s.text, "start": s.start, "end": s.end, "why": s.why}
                   for s in sorted(spans, key=lambda s: s.start)]
        if label == "missing_intent" and records:
            records[0]["why"] += " " + NO_MENTAL_ELEMENT
        evidence[label] = records
    return evidence
