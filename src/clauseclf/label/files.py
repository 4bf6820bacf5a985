"""Predictions into a file: written as they are made to `<output>.partial`, renamed into place at the end.

An interrupted run leaves the partial file; `resume=True` checks that it holds the
inputs' first clauses, labelled by the same model, keeps them and labels only the
rest. A run holds `<output>.lock` throughout, so two runs never share a partial file.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path

from clauseclf.errors import InputError
from clauseclf.label.stream import CHUNK_SIZE, label_stream
from clauseclf.model.folder import LoadedModel
from clauseclf.model.runtime import Runtime
from clauseclf.outputs import atomic_writer, check_writable, exclusive_output, lock_path
from clauseclf.schema import Clause, Prediction

logger = logging.getLogger(__name__)


@dataclass
class LabelRunSummary:
    output: Path
    clauses: int = 0
    resumed_from: int = 0
    label_counts: Counter = field(default_factory=Counter)
    needs_review: int = 0
    read_in_part: int = 0  # clauses longer than the model reads (Prediction.tokens_read)
    flagged: list[Prediction] = field(default_factory=list)
    seconds: float = 0.0  # labelling time of this run, model loading excluded

    @property
    def clauses_per_second(self) -> float:
        labelled = self.clauses - self.resumed_from
        return labelled / self.seconds if self.seconds else 0.0


def partial_path(output: Path) -> Path:
    return output.with_name(output.name + ".partial")


def own_files(output: Path) -> list[Path]:
    """The files a run on `output` writes: never to be read back as its inputs."""
    return [output, partial_path(output), lock_path(output)]


def label_to_file(loaded: LoadedModel, clauses: Iterable[Clause], output: Path, *, output_format: str = "jsonl",
                  force: bool = False, resume: bool = False, batch_size: int = 32,
                  on_progress: Callable[[int], None] | None = None, keep_flagged: int = 20,
                  runtime: Runtime | None = None, chunk_size: int = CHUNK_SIZE) -> LabelRunSummary:
    """Write one prediction per clause to `output`; nothing appears there until the run is complete.

    Lines go to `<output>.partial` (always JSONL) as they are made, flushed after
    each chunk; at the end it is converted if needed and renamed over `output`. An
    interrupted run leaves the partial file, and `resume=True` keeps the lines it
    holds and labels only the clauses after them. Another run on the same output
    meanwhile is refused (OutputError).
    """
    started = time.perf_counter()
    with exclusive_output(output):
        output = check_writable(output, force=force)
        partial = partial_path(output)
        summary = LabelRunSummary(output=output)
        clauses = iter(clauses)
        if resume and partial.exists():
            clauses = _skip_completed(clauses, partial, summary, keep_flagged, loaded.identity)
        try:
            with open(partial, "a" if summary.resumed_from else "w", encoding="utf-8") as stream:
                predictions = label_stream(loaded, clauses, batch_size, chunk_size, runtime)
                for number, prediction in enumerate(predictions, 1):
                    stream.write(json.dumps(to_record(prediction), ensure_ascii=False) + "\n")
                    _count(summary, prediction, keep_flagged)
                    if number % chunk_size == 0:
                        stream.flush()  # an interruption then loses at most one chunk
                    if on_progress:
                        on_progress(1)
        except BaseException:
            if partial.exists() and partial.stat().st_size == 0:  # nothing to resume from
                partial.unlink()
            raise
        finish(partial, output, output_format)
    summary.seconds = time.perf_counter() - started
    return summary


def _count(summary: LabelRunSummary, prediction: Prediction, keep_flagged: int) -> None:
    summary.clauses += 1
    summary.label_counts.update(prediction.labels)
    summary.needs_review += prediction.needs_review
    summary.read_in_part += prediction.read_in_part
    if prediction.labels:
        # Keep the clauses with the most flags (a bare core_cybercrime is the least worrying),
        # earliest first among equals: a bounded list, so memory does not grow with the input.
        summary.flagged.append(prediction)
        if len(summary.flagged) > keep_flagged:
            summary.flagged.sort(key=lambda p: -len(p.labels))
            del summary.flagged[keep_flagged:]


_PREDICTION_FIELDS = [f.name for f in fields(Prediction) if f.name != "extra"]


def to_record(prediction: Prediction) -> dict:
    """Prediction.to_record without its deep copy (dataclasses.asdict), which cost ~0.5 ms a clause."""
    record = {name: getattr(prediction, name) for name in _PREDICTION_FIELDS}
    for key, value in prediction.extra.items():
        record.setdefault(key, value)
    return record


def prediction_from_record(record: dict) -> Prediction:
    """The Prediction a JSON line was written from (input columns go back into `extra`)."""
    known = {k: v for k, v in record.items() if k in _PREDICTION_FIELDS}
    return Prediction(**known, extra={k: v for k, v in record.items() if k not in _PREDICTION_FIELDS})


def count_records(summary: LabelRunSummary, lines: Iterable[str], keep_flagged: int) -> None:
    for line in lines:
        _count(summary, prediction_from_record(json.loads(line)), keep_flagged)


def complete_lines(partial: Path) -> int:
    """How many whole lines an interrupted run left; a torn last line is cut off the file."""
    count = kept_bytes = 0
    with open(partial, "rb") as stream:
        for line in stream:
            if not line.endswith(b"\n"):
                break
            count += 1
            kept_bytes += len(line)
    if kept_bytes != partial.stat().st_size:
        logger.info("%s: cut a torn last line after %d complete ones", partial, count)
        os.truncate(partial, kept_bytes)
    return count


def _skip_completed(clauses: Iterator[Clause], partial: Path, summary: LabelRunSummary,
                    keep_flagged: int, model: dict[str, str]) -> Iterator[Clause]:
    """Check, line by line, that the partial file holds the inputs' first clauses, labelled by `model`; consume those."""
    complete_lines(partial)
    with open(partial, encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            try:
                record = json.loads(line)
                if not isinstance(record, dict):  # a list or a number is JSON, not a prediction
                    raise TypeError
                prediction = prediction_from_record(record)
            except (json.JSONDecodeError, TypeError):
                raise InputError(partial, "not a prediction line", line=number,
                                 hint="delete the partial file and start again without --resume") from None
            check_same_model(partial, number, prediction.model, model)
            clause = next(clauses, None)
            if clause is None or (clause.doc_id, clause.clause_id) != (prediction.doc_id, prediction.clause_id):
                raise InputError(partial, f"line {number} does not match the inputs' clause {number}",
                                 hint="the inputs changed since the interrupted run; start again without --resume")
            _count(summary, prediction, keep_flagged)
    summary.resumed_from = summary.clauses
    return clauses


def check_same_model(path: Path, line: int, written_by: object, model: dict[str, str]) -> None:
    """Refuse to resume a file whose `line` another model (or the same weights quantised otherwise) wrote."""
    if _model_key(written_by) != _model_key(model):
        raise InputError(path, f"labelled by {_describe(written_by)}, not by this run's {_describe(model)}", line=line,
                         hint="resume with the --model and --quantize of the interrupted run, "
                              "or start again without --resume")


def _model_key(model: object) -> tuple[str, str]:
    """What makes two runs' scores the same: the weights and their quantisation (the folder name does not)."""
    model = model if isinstance(model, dict) else {}
    return str(model.get("hash", "")), str(model.get("quantization", "none"))


def _describe(model: object) -> str:
    model = model if isinstance(model, dict) else {}
    weights, quantization = _model_key(model)
    return f"model {model.get('name', '?')} (weights {weights or '?'}, quantization {quantization})"


def finish(partial: Path, output: Path, output_format: str) -> None:
    """Rename the complete partial JSONL over `output`, converting it to CSV on the way if asked."""
    if output_format == "jsonl":
        partial.replace(output)
        return
    write_predictions_csv(partial, output)
    partial.unlink()


def write_predictions_csv(jsonl: Path, target: Path) -> None:
    """CSV with one row per prediction (list/dict fields as JSON cells), streamed and renamed into place.

    Columns are every column of any record, in order of first appearance: inputs
    with other carried-through columns each keep theirs, empty in the other rows.
    The JSONL is read twice (columns, then rows), so memory stays flat.
    """
    columns: dict[str, None] = {}
    with open(jsonl, encoding="utf-8") as source:
        for line in source:
            columns.update(dict.fromkeys(json.loads(line)))
    with atomic_writer(target, newline="") as sink, open(jsonl, encoding="utf-8") as source:
        if not columns:  # no prediction: an empty file, not a blank header line
            return
        writer = csv.DictWriter(sink, fieldnames=list(columns))
        writer.writeheader()
        for line in source:
            writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v
                             for k, v in json.loads(line).items()})
