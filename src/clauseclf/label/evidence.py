"""The words that support each predicted label, for a reviewer to read.

A lexicon hit (lexicon.py) is a trigger word; the reviewer needs the phrase it
sits in ("knowingly sends a communication", not "knowingly"), so each hit grows
to the words around it up to the nearest punctuation, and neighbouring phrases
of one label that are only a comma or an "or" apart are joined ("annoyance,
inconvenience"). Every span is an exact substring of the clause, with offsets,
and its `why` cites the standard it rests on.

>>> clause = "A person who publishes false news or rumours commits an offence."
>>> evidence = explain(clause, ["content_offence", "missing_intent"])
>>> [span["text"] for span in evidence["content_offence"]]
['publishes false news or rumours']
>>> span = evidence["missing_intent"][0]
>>> span["text"], clause[span["start"]:span["end"]] == span["text"], "No mental element" in span["why"]
('A person who publishes false news or rumours commits an offence', True, True)
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import takewhile

from clauseclf import lexicon
from clauseclf.lexicon import Lexicon, Span

NO_MENTAL_ELEMENT = ("No mental element found in the clause ('intentionally', 'knowingly', 'with intent to', ...): "
                     "ANNOTATION.md, missing_intent; UN OHCHR asks that offences require intent.")
PRESENT_INTENT = ("The clause says '{words}', yet the offence is read as lacking a mental element: check that the "
                  "word governs the main limb (ANNOTATION.md, missing_intent: a split clause whose main limb "
                  "lacks one carries it).")
NARROWING_INTENT = ("The mental element that narrows the act to a crime (Budapest Convention arts. 2-8: "
                    "'intentionally' and 'without right').")

# A word, with inner hyphens and apostrophes ("cyber-bullying", "person's").
WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# Punctuation that ends a phrase: a span never crosses it.
BOUNDARY = re.compile(r"[,;:.!?()\[\]{}\"“”—–]|\s-\s|\n")
# What may separate two phrases of one label that are read as one ("false, misleading or").
JOINER = re.compile(r"^(?:\s|,|\bor\b|\band\b|\band/or\b)*$", re.IGNORECASE)
# Nouns that name the object of nearly every clause of a cybercrime law: not evidence by themselves.
GENERIC_OBJECTS = frozenset({"computer", "data", "system", "network", "computer system", "computer data",
                             "computer program"})
# Function words a grown phrase neither starts nor ends on ("of cyber harassment if" -> "cyber harassment").
EDGE_WORDS = frozenset({"a", "an", "the", "of", "to", "in", "on", "by", "for", "with", "from", "and", "or", "if",
                        "that", "which", "who", "when", "where", "as", "at", "any", "such", "is", "be", "its"})
# The offence-creating frame ("A person who", "commits an offence"): other labels' phrases stop at it.
FRAME = (lexicon.OFFENCE_CREATING, lexicon.CRIMINALISING)


@dataclass(frozen=True)
class Rule:
    """How one word list supports one label: how far its hits grow, and what the reviewer is told."""

    lexicon: Lexicon
    left: int = 0
    right: int = 0
    why: str = ""


RULES: dict[str, tuple[Rule, ...]] = {
    # The act on data or systems, and the mental element that keeps it narrow.
    "core_cybercrime": (Rule(lexicon.SYSTEM_ACT, right=2),
                        Rule(lexicon.MENTAL_ELEMENT, right=6, why=NARROWING_INTENT),
                        Rule(lexicon.MENTAL_ELEMENT_MULTILINGUAL, right=6, why=NARROWING_INTENT)),
    # The words on which the offence turns: what the message says or depicts.
    "content_offence": (Rule(lexicon.EXPRESSION, left=2, right=3),),
    # The undefined term itself, with the noun it qualifies.
    "overbroad": (Rule(lexicon.VAGUE_TERMS, left=2, right=3), Rule(lexicon.UNLIMITED_POWER, left=2, right=4)),
    # The offence-creating phrase with its conduct, and any negligence standard.
    "missing_intent": (Rule(lexicon.OFFENCE_CREATING, right=8, why=NO_MENTAL_ELEMENT),
                       Rule(lexicon.CRIMINALISING, right=8, why=NO_MENTAL_ELEMENT),
                       Rule(lexicon.NEGLIGENCE, right=3)),
}


def explain(text: str, labels: list[str]) -> dict[str, list[dict]]:
    """label -> [{text, start, end, why}] for each predicted label, in reading order.

    A label with no supporting words gets an empty list; a label not predicted gets no entry.
    """
    words = _Words(text)
    return {label: [_record(span) for span in label_spans(text, label, words)] for label in labels}


def label_spans(text: str, label: str, words: "_Words | None" = None) -> list[Span]:
    words = words or _Words(text)
    frame = _Barriers([(s.start, s.end) for lex in FRAME for s in lexicon.find_spans(text, lex)])
    spans = [_grow(words, hit, rule, _Barriers([]) if rule.lexicon in FRAME else frame)
             for rule in RULES.get(label, ()) for hit in _hits(text, rule)]
    spans = _join(text, spans)
    if label == "missing_intent":
        spans = _flag_present_intent(text, spans)
    return spans


def _flag_present_intent(text: str, spans: list[Span]) -> list[Span]:
    """Where the clause does use a mental-element word, say so rather than claim none was found."""
    present = [s.text for lex in lexicon.MENTAL_ELEMENT_LISTS for s in lexicon.find_spans(text, lex)]
    if not present or lexicon.mentions(text, lexicon.NEGLIGENCE):
        return spans
    note = PRESENT_INTENT.format(words="', '".join(dict.fromkeys(present)))
    return [Span(s.text, s.start, s.end, s.why.replace(NO_MENTAL_ELEMENT, note)) for s in spans]


def _hits(text: str, rule: Rule) -> list[Span]:
    hits = lexicon.find_spans(text, rule.lexicon)
    if rule.lexicon is lexicon.SYSTEM_ACT:
        hits = [h for h in hits if h.text.lower() not in GENERIC_OBJECTS]
    return hits


def _grow(words: "_Words", hit: Span, rule: Rule, barriers: "_Barriers") -> Span:
    """The hit widened by up to `left`/`right` words, never across punctuation or a barrier,
    nor onto a function word."""
    before = _outer_trimmed(list(takewhile(barriers.free, words.before(hit.start, rule.left))))
    after = _outer_trimmed(list(takewhile(barriers.free, words.after(hit.end, rule.right))))
    start = before[-1].start() if before else hit.start
    end = after[-1].end() if after else hit.end
    return Span(words.text[start:end], start, end, rule.why or hit.why)


class _Words:
    """The words of one clause, found once, so that each hit looks only at its neighbours.

    Finding them again before every hit made evidence quadratic in the clause's length
    (a 200 KB clause took 45 s, 400 KB 185 s); with the word ends sorted, the words
    before a position are a bisection away.
    """

    def __init__(self, text: str):
        self.text = text
        self.words = list(WORD.finditer(text))
        self.ends = [word.end() for word in self.words]

    def before(self, position: int, limit: int) -> list[re.Match]:
        """Up to `limit` words before `position`, nearest first, up to the nearest punctuation.

        A word that runs across `position` counts with its part before it ("cyber-" of "cyber-bullying"),
        as a search of `text[:position]` would find it.
        """
        index = bisect.bisect_right(self.ends, position)
        candidates = self.words[max(0, index - limit - 1):index]
        if index < len(self.words) and self.words[index].start() < position:
            cut = WORD.match(self.text, self.words[index].start(), position)
            candidates.append(cut)
        words = []
        for word in reversed(candidates):
            if len(words) >= limit or BOUNDARY.search(self.text, word.end(), position):
                break
            words.append(word)
        return words

    def after(self, position: int, limit: int) -> list[re.Match]:
        """Up to `limit` words after `position`, nearest first, up to the nearest punctuation."""
        words = []
        for word in WORD.finditer(self.text, position):
            if len(words) >= limit or BOUNDARY.search(self.text, position, word.start()):
                break
            words.append(word)
        return words


class _Barriers:
    """Spans a grown phrase must not reach into, merged and sorted so that a word is checked by bisection."""

    def __init__(self, spans: list[tuple[int, int]]):
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [start for start, _ in merged]
        self.ends = [end for _, end in merged]

    def free(self, word: re.Match) -> bool:
        index = bisect.bisect_right(self.ends, word.start())  # the first barrier ending after the word starts
        return index == len(self.ends) or self.starts[index] >= word.end()


def _outer_trimmed(words: list[re.Match]) -> list[re.Match]:
    while words and words[-1].group(0).lower() in EDGE_WORDS:
        words = words[:-1]
    return words


def _join(text: str, spans: list[Span]) -> list[Span]:
    """Merge spans that overlap or are only a comma/conjunction apart; a merged span keeps each distinct `why`.

    Offsets are merged first and each span's text cut once, so that a long run of joined phrases
    ("annoyance, inconvenience, ...") costs its length, not its length squared.
    """
    merged: list[list] = []  # [start, end, why]
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        last = merged[-1] if merged else None
        if last and (span.start <= last[1] or JOINER.match(text[last[1]:span.start])):
            last[1] = max(last[1], span.end)
            if span.why not in last[2]:
                last[2] = f"{last[2]} {span.why}"
        else:
            merged.append([span.start, span.end, span.why])
    return [Span(text[start:end], start, end, why) for start, end, why in merged]


def _record(span: Span) -> dict:
    return {"text": span.text, "start": span.start, "end": span.end, "why": span.why}


# ----------------------------------------------------------------------------- model attributions (optional)


def rank_by_attribution(text: str, label: str, spans: list[dict], model, tokenizer, max_length: int = 512) -> list[dict]:
    """The spans of one label, most supported by the model first, each with its `attribution`.

    Gradient x input on the input embeddings (Simonyan et al. 2014; Shrikumar et al.
    2017) for the label's logit, summed over the tokens inside each span. It ranks
    the lexicon's candidate spans; it never adds words a reviewer could not read.
    `model` is a Hugging Face sequence classifier whose config names `label`.
    """
    import torch

    encoded = tokenizer(text, return_offsets_mapping=True, truncation=True, max_length=max_length,
                        return_tensors="pt")
    offsets = encoded.pop("offset_mapping")[0].tolist()
    device = next(model.parameters()).device
    encoded = {name: tensor.to(device) for name, tensor in encoded.items()}
    embeddings = model.get_input_embeddings()(encoded.pop("input_ids")).detach().requires_grad_(True)
    with torch.enable_grad():
        logits = model(inputs_embeds=embeddings, **encoded).logits
        logits[0, model.config.label2id[label]].backward()
    per_token = (embeddings.grad * embeddings).sum(-1)[0].detach().float().cpu().tolist()
    ranked = [{**span, "attribution": round(sum(score for (start, end), score in zip(offsets, per_token)
                                                 if start < end and span["start"] < end and start < span["end"]), 6)}
              for span in spans]
    return sorted(ranked, key=lambda span: -span["attribution"])
