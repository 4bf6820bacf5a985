"""Label a stream of clauses: chunks sorted by length, read ahead on a thread, predictions in input order.

Where the speed comes from (2 CPU cores, MiniLM-L6; figures in docs/performance.md):

- Clauses are taken in chunks; inside a chunk they are sorted by token count so that
  each batch pads to its own longest clause (on the seed corpus, 1.8x fewer tokens
  than input order), and predictions are restored to input order before they are written.
- A background thread reads and tokenises the next chunk while the model runs on
  this one: torch and the Rust tokenizer both release the GIL.
- On CPU, whole batches run side by side, one per core, instead of each matrix
  product being split across the cores (small products split badly): int8 gains
  1.3-1.5x from it, fp32 1.1-1.2x. `--quantize int8` (model/quantize.py) adds 1.46x over
  fp32 on an AVX2-only CPU and about 3x where the CPU has VNNI.
- On a GPU the forward pass autocasts to bf16 (fp16 where bf16 is missing) with
  larger batches.

Memory holds a few chunks at a time whatever the input's size: inputs are read as a
stream and each prediction is written as soon as its chunk is done.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from clauseclf.label.evidence import explain
from clauseclf.model.calibrate import needs_review
from clauseclf.model.folder import LoadedModel
from clauseclf.memory import release_free_memory
from clauseclf.model.runtime import Runtime, encode, predict_probabilities
from clauseclf.schema import SAFEGUARD_KINDS, Clause, Prediction

if TYPE_CHECKING:
    from clauseclf.assess.facts import FactsModel

# 512 clauses of ~100 tokens are ~2 s of int8 work on 2 cores: long enough to sort
# usefully, short enough that an interruption loses little.
CHUNK_SIZE = 512

T = TypeVar("T")


def to_prediction(loaded: LoadedModel, clause: Clause, scores: np.ndarray, tokens: int | None = None,
                  tokens_read: int | None = None) -> Prediction:
    score_map = {name: round(float(s), 4) for name, s in zip(loaded.label_names, scores)}
    labels = [name for name in loaded.label_names if score_map[name] >= loaded.thresholds[name]]
    uncertain = bool(needs_review([score_map[n] for n in loaded.label_names],
                                  [loaded.thresholds[n] for n in loaded.label_names], loaded.review_band))
    # A clause read by OCR from a page of low confidence is read against the scan, whatever its scores.
    uncertain = uncertain or bool(clause.extra.get("ocr_low_confidence"))
    return Prediction(
        doc_id=clause.doc_id, clause_id=clause.clause_id, unit=clause.unit, heading=clause.heading,
        text=clause.text, start=clause.start, end=clause.end, scores=score_map, labels=labels,
        needs_review=uncertain, model=loaded.identity, evidence=explain(clause.text, labels),
        tokens=tokens, tokens_read=tokens_read, extra=clause.extra,
    )


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def prefetch(items: Iterable[T], depth: int = 2) -> Iterator[T]:
    """Yield `items` in order while a background thread produces up to `depth` ahead.

    An error in the producer is raised here, after the items before it.
    """
    buffer: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple) -> bool:
        while not stop.is_set():
            try:
                buffer.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((item, None, False)):
                    return
            put((None, None, True))
        except BaseException as error:  # handed to the consumer, which raises it
            put((None, error, True))

    thread = threading.Thread(target=produce, name="clauseclf-read-tokenise", daemon=True)
    thread.start()
    try:
        while True:
            item, error, done = buffer.get()
            if error is not None:
                raise error
            if done:
                return
            yield item
    finally:
        stop.set()


def label_stream(loaded: LoadedModel, clauses: Iterable[Clause], batch_size: int = 32,
                 chunk_size: int = CHUNK_SIZE, runtime: Runtime | None = None) -> Iterator[Prediction]:
    """One prediction per clause, in input order, holding a few chunks of `chunk_size` clauses in memory."""
    runtime = runtime or Runtime.for_model(loaded.model)
    # Three stages, each in its own thread: read and tokenise -> model -> evidence and
    # records (here). The model spends its time in torch, which releases the GIL, so
    # the Python work of the stages around it runs meanwhile.
    encoded_chunks = ((chunk, encode(loaded, [c.text for c in chunk], batch_size))
                      for chunk in chunked(clauses, chunk_size))
    # Only the counts of word pieces travel on with the scores: the padded batches are freed once scored.
    scored_chunks = ((chunk, zip(encoded.tokens, encoded.tokens_read),
                      predict_probabilities(loaded, [c.text for c in chunk], batch_size, runtime=runtime,
                                            encoded=encoded))
                     for chunk, encoded in prefetch(encoded_chunks))
    for chunk, counts, probabilities in prefetch(scored_chunks, depth=1):
        predictions = [to_prediction(loaded, clause, scores, tokens, read)
                       for clause, scores, (tokens, read) in zip(chunk, probabilities, counts)]
        if loaded.facts is not None:
            add_clause_facts(loaded.facts, predictions)
        yield from predictions
        release_free_memory()


# The label whose asks depend on what a clause is (assess/links.py): an overbroad offence engages ask 4, an
# overbroad power asks 7-9 and those of its kind of power. Only these clauses get the facts model's encoder
# pass, so that labelling costs a second pass over a few clauses, not over all of them.
NEEDS_KIND = "overbroad"


def add_clause_facts(facts_model: FactsModel, predictions: list[Prediction]) -> None:
    """Set `facts` ({"kind", "power"}) on each prediction labelled `overbroad`, in one encoder pass."""
    found = kind_and_power(facts_model, [p.text for p in predictions], [p.labels for p in predictions])
    for prediction, facts in zip(predictions, found):
        if facts is not None:
            prediction.facts = facts


def kind_and_power(facts_model: FactsModel, texts: list[str], labels: list[list[str]]) -> list[dict | None]:
    """{"kind", "power"} of each clause labelled `overbroad` (power only for powers, cooperation and
    safeguards), None for the others: one encoder pass over the flagged clauses alone."""
    flagged = [i for i, names in enumerate(labels) if NEEDS_KIND in names]
    found: list[dict | None] = [None] * len(texts)
    for i, facts in zip(flagged, facts_model.predict([texts[i] for i in flagged])):
        found[i] = {"kind": facts.kind, "power": facts.power if facts.kind in SAFEGUARD_KINDS else None}
    return found
