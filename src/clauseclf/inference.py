"""Label clauses with a model folder: batched, streamed, restartable.

Clauses are taken in chunks; inside a chunk they are sorted by length so that each
batch pads to its own longest clause (about 1.4x faster than input order on CPU),
and predictions are restored to input order before they are written.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import numpy as np
import torch

from clauseclf.errors import InputError
from clauseclf.evidence import explain
from clauseclf.model_folder import LoadedModel
from clauseclf.outputs import check_writable
from clauseclf.schema import Clause, Prediction

logger = logging.getLogger(__name__)


def predict_probabilities(loaded: LoadedModel, texts: list[str], batch_size: int = 32) -> np.ndarray:
    """Sigmoid scores, one row per text in the given order, one column per label."""
    probabilities = np.zeros((len(texts), len(loaded.label_names)), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    with torch.inference_mode():
        for begin in range(0, len(order), batch_size):
            rows = order[begin:begin + batch_size]
            batch = loaded.tokenizer([texts[i] for i in rows], padding=True, truncation=True,
                                     max_length=loaded.max_length, return_tensors="pt")
            logits = loaded.model(**batch).logits
            probabilities[rows] = torch.sigmoid(logits.float()).numpy()
    return probabilities


def to_prediction(loaded: LoadedModel, clause: Clause, scores: np.ndarray) -> Prediction:
    score_map = {name: round(float(s), 4) for name, s in zip(loaded.label_names, scores)}
    labels = [name for name in loaded.label_names if score_map[name] >= loaded.thresholds[name]]
    uncertain = any(abs(score_map[n] - loaded.thresholds[n]) < loaded.review_band for n in loaded.label_names)
    return Prediction(
        doc_id=clause.doc_id, clause_id=clause.clause_id, unit=clause.unit, heading=clause.heading,
        text=clause.text, start=clause.start, end=clause.end, scores=score_map, labels=labels,
        needs_review=uncertain, model=loaded.identity, evidence=explain(clause.text, labels), extra=clause.extra,
    )


def label_stream(loaded: LoadedModel, clauses: Iterable[Clause], batch_size: int = 32,
                 chunk_size: int = 512) -> Iterator[Prediction]:
    """One prediction per clause, in input order, holding at most `chunk_size` clauses in memory."""
    iterator = iter(clauses)
    while chunk := list(islice(iterator, chunk_size)):
        probabilities = predict_probabilities(loaded, [c.text for c in chunk], batch_size)
        for clause, scores in zip(chunk, probabilities):
            yield to_prediction(loaded, clause, scores)


@dataclass
class LabelRunSummary:
    output: Path
    clauses: int = 0
    resumed_from: int = 0
    label_counts: Counter = field(default_factory=Counter)
    needs_review: int = 0
    flagged: list[Prediction] = field(default_factory=list)


def partial_path(output: Path) -> Path:
    return output.with_name(output.name + ".partial")


def label_to_file(loaded: LoadedModel, clauses: Iterable[Clause], output: Path, *, output_format: str = "jsonl",
                  force: bool = False, resume: bool = False, batch_size: int = 32,
                  on_progress: Callable[[int], None] | None = None, keep_flagged: int = 20) -> LabelRunSummary:
    """Write one prediction per clause to `output`; nothing appears there until the run is complete.

    Lines go to `<output>.partial` (always JSONL) as they are made; at the end it is
    converted if needed and renamed over `output`. An interrupted run leaves the
    partial file, and `resume=True` skips the clauses it already holds.
    """
    output = check_writable(output, force=force)
    partial = partial_path(output)
    summary = LabelRunSummary(output=output)
    done_ids = _completed_clause_ids(partial) if resume and partial.exists() else []
    summary.resumed_from = len(done_ids)
    clauses = _skip_completed(iter(clauses), done_ids, partial)
    with open(partial, "a" if done_ids else "w", encoding="utf-8") as stream:
        for prediction in label_stream(loaded, clauses, batch_size=batch_size):
            stream.write(json.dumps(prediction.to_record(), ensure_ascii=False) + "\n")
            _count(summary, prediction, keep_flagged)
            if on_progress:
                on_progress(1)
        stream.flush()
    summary.clauses += summary.resumed_from
    _finish(partial, output, output_format)
    return summary


def _count(summary: LabelRunSummary, prediction: Prediction, keep_flagged: int) -> None:
    summary.clauses += 1
    summary.label_counts.update(prediction.labels)
    summary.needs_review += prediction.needs_review
    if prediction.labels and len(summary.flagged) < keep_flagged:
        summary.flagged.append(prediction)


def _completed_clause_ids(partial: Path) -> list[tuple[str, str]]:
    """(doc_id, clause_id) of each complete line; a torn last line is cut off."""
    done = []
    with open(partial, "rb") as stream:
        data = stream.read()
    complete = data[: data.rfind(b"\n") + 1]
    if len(complete) != len(data):
        with open(partial, "r+b") as stream:
            stream.truncate(len(complete))
    for line in complete.decode("utf-8").splitlines():
        record = json.loads(line)
        done.append((record["doc_id"], record["clause_id"]))
    return done


def _skip_completed(clauses: Iterator[Clause], done_ids: list[tuple[str, str]], partial: Path) -> Iterator[Clause]:
    for number, expected in enumerate(done_ids, start=1):
        clause = next(clauses, None)
        if clause is None or (clause.doc_id, clause.clause_id) != expected:
            raise InputError(partial, f"line {number} does not match the inputs' clause {number}",
                             hint="the inputs changed since the interrupted run; start again without --resume")
    yield from clauses


def _finish(partial: Path, output: Path, output_format: str) -> None:
    if output_format == "jsonl":
        partial.replace(output)
        return
    from clauseclf.outputs import atomic_write_text

    atomic_write_text(output, predictions_to_csv(partial))
    partial.unlink()


def predictions_to_csv(jsonl: Path) -> str:
    """CSV with one row per prediction; list/dict fields are JSON-encoded cells."""
    import csv
    import io

    buffer = io.StringIO()
    writer = None
    with open(jsonl, encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            if writer is None:
                writer = csv.DictWriter(buffer, fieldnames=list(record), extrasaction="ignore")
                writer.writeheader()
            writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v
                             for k, v in record.items()})
    return buffer.getvalue()
