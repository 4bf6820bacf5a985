"""`clauseclf label --dataset`: score a whole corpus held as a Hugging Face `datasets` dataset.

The dataset (a `save_to_disk` folder, or a .parquet/.arrow/.jsonl/.csv file) keeps
its columns and gains five: `scores` (label -> probability), `labels` (those over
threshold), `needs_review`, and `tokens` and `tokens_read` (the clause's word pieces,
and how many of them the model read). Rows pass through `Dataset.map` in batches, so the
table stays memory-mapped on disk whatever its size. Under `accelerate launch`
each process maps a contiguous shard, and process 0 concatenates them.

Evidence spans are left out here; `clauseclf label FILE.jsonl` writes them.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

from clauseclf.errors import InputError, OutputError, OutputExistsError, one_line
from clauseclf.label.stream import CHUNK_SIZE
from clauseclf.model.calibrate import needs_review
from clauseclf.model.runtime import Runtime, encode, predict_probabilities
from clauseclf.model.folder import LoadedModel
from clauseclf.label.sharding import ShardPlan
from clauseclf.outputs import exclusive_output

logger = logging.getLogger(__name__)

FILE_BUILDERS = {".parquet": "parquet", ".arrow": "arrow", ".jsonl": "json", ".json": "json", ".csv": "csv"}
# What Dataset.save_to_disk writes in its folder: the only folder content --force replaces.
SAVED_DATASET_FILES = re.compile(r"state\.json|dataset_info\.json|data-\d{5}-of-\d{5}\.arrow")


def load_dataset_input(path: Path, text_column: str = "text"):
    """A `datasets.Dataset` from a saved folder or a single table file, every row with a text.

    A missing or empty file, a malformed line and a row without text are refused with
    the file and the line (or row), before any model work.
    """
    import datasets
    import pyarrow

    if path.is_dir():
        try:
            dataset = datasets.load_from_disk(str(path))
        except FileNotFoundError:
            raise InputError(path, "not a folder written by Dataset.save_to_disk") from None
        if isinstance(dataset, datasets.DatasetDict):
            raise InputError(path, f"holds splits {', '.join(dataset)}, not one dataset",
                             hint=f"point --dataset at one of them, e.g. {path / next(iter(dataset))}")
    elif not path.exists():
        raise InputError(path, "file not found")
    elif path.suffix.lower() in FILE_BUILDERS:
        if _blank(path):
            raise InputError(path, "file is empty")
        if FILE_BUILDERS[path.suffix.lower()] == "json":
            _check_first_row(path)
        try:
            dataset = datasets.load_dataset(FILE_BUILDERS[path.suffix.lower()], data_files=str(path), split="train")
        except (datasets.exceptions.DatasetGenerationError, pyarrow.ArrowException, ValueError) as error:
            # ValueError: raised by `datasets` itself while it reports a bad line, or for a table with no rows
            raise _unreadable(path, error, text_column) from None
    else:
        raise InputError(path, f"unsupported dataset file '{path.suffix}'",
                         hint=f"expected a save_to_disk folder or {', '.join(FILE_BUILDERS)}")
    if text_column not in dataset.column_names:
        raise InputError(path, f"no '{text_column}' column (columns: {one_line(', '.join(dataset.column_names))})")
    _check_texts(path, dataset, text_column)
    return dataset


def _blank(path: Path) -> bool:
    """Nothing but whitespace (after any byte-order mark) in the file, read until the first other byte."""
    with open(path, "rb") as stream:
        for number, block in enumerate(iter(lambda: stream.read(1 << 16), b"")):
            if (block.removeprefix(b"\xef\xbb\xbf") if number == 0 else block).strip():
                return False
    return True


def _unreadable(path: Path, error: Exception, text_column: str) -> InputError:
    """The file and line of what the `datasets` builder could not read: for JSON Lines, the first bad line."""
    if path.suffix.lower() == ".jsonl":
        texts = 0
        for number, line in _json_lines(path):
            try:
                row = json.loads(line)
            except json.JSONDecodeError as bad:
                return InputError(path, f"malformed JSON line ({bad.msg} at column {bad.colno})", line=number,
                                  hint="fix or remove the line; every line must be one JSON object")
            except ValueError as bad:  # an integer of over 4,300 digits (sys.get_int_max_str_digits)
                return InputError(path, f"unreadable JSON line ({bad})", line=number)
            except RecursionError:
                return InputError(path, "JSON nested too deeply", line=number)
            if not isinstance(row, dict):
                return InputError(path, "expected a JSON object", line=number)
            texts += text_column in row
        if not texts:
            return InputError(path, f"no row has a '{text_column}' field", hint="every row needs the clause's text")
    if isinstance(error, ValueError) and "corresponds to no data" in str(error):  # a CSV of a header alone
        return InputError(path, "the table has no rows")
    cause = error.__cause__ or error
    return InputError(path, f"not readable as a {FILE_BUILDERS[path.suffix.lower()]} table "
                            f"({type(cause).__name__}: {str(cause).splitlines()[0] if str(cause) else ''})")


def _check_first_row(path: Path) -> None:
    """Refuse JSON whose first non-blank line is null, true, a number or a string: pyarrow's JSON reader crashes
    the process on a first row of null (apache/arrow#47409), so it must not see one. JSON Lines rows are objects;
    a .json file may also be one JSON list (the builder reads it whole). A line that is not JSON is left to the
    builder, whose error names it."""
    for number, line in _json_lines(path):
        line = line.removeprefix("\ufeff") if number == 1 else line
        if not line.strip():  # a byte-order mark alone
            continue
        try:
            row = json.loads(line)
        except (ValueError, RecursionError):
            return
        if not isinstance(row, dict) and not (isinstance(row, list) and path.suffix.lower() == ".json"):
            shown = "null" if row is None else "true" if row is True else "false" if row is False else \
                "a list" if isinstance(row, list) else "a string" if isinstance(row, str) else "a number"
            raise InputError(path, f"expected a JSON object, not {shown}", line=number,
                             hint="every line must be one JSON object" if path.suffix.lower() == ".jsonl"
                             else "give one JSON list of objects, or one object a line")
        return


def _json_lines(path: Path):
    """(line number, text) of each non-blank line."""
    with open(path, encoding="utf-8", errors="replace") as stream:
        for number, line in enumerate(stream, start=1):
            if line.strip():
                yield number, line


def _check_texts(path: Path, dataset, text_column: str) -> None:
    """Every row's text is a string: a null or a number would fail inside the tokenizer, mid-run."""
    import pyarrow.compute

    feature = dataset.features[text_column]
    kind = getattr(feature, "dtype", type(feature).__name__)
    if kind not in ("string", "large_string", "null"):
        raise InputError(path, f"the '{text_column}' column holds {kind}, not text")
    column = dataset.data.column(text_column)
    if kind != "null" and not column.null_count:
        return
    row = pyarrow.compute.index(pyarrow.compute.is_null(column), True).as_py()
    if path.suffix.lower() == ".jsonl":
        line = next(number for index, (number, _) in enumerate(_json_lines(path)) if index == row)
        raise InputError(path, f"'{text_column}' is empty (null)", line=line, hint="every row needs the clause's text")
    raise InputError(path, f"row {row + 1}: '{text_column}' is empty (null)", hint="every row needs the clause's text")


def score_dataset(loaded: LoadedModel, dataset, runtime: Runtime, batch_size: int, text_column: str = "text"):
    """The dataset with `scores`, `labels`, `needs_review`, `tokens` and `tokens_read` columns, and `facts`
    ({"kind", "power"} of each `overbroad` row, nulls elsewhere) where the model folder has a clause-facts model
    (`loaded.facts`)."""
    from clauseclf.label.stream import kind_and_power

    names, thresholds = loaded.label_names, loaded.thresholds
    facts_model = loaded.facts

    def label_batch(batch: dict) -> dict:
        encoded = encode(loaded, batch[text_column], batch_size)
        probabilities = predict_probabilities(loaded, batch[text_column], batch_size, runtime=runtime, encoded=encoded)
        rows = [{n: round(float(s), 4) for n, s in zip(names, row)} for row in probabilities]
        cut = [thresholds[n] for n in names]
        labels = [[n for n in names if row[n] >= thresholds[n]] for row in rows]
        columns = {
            "scores": rows,
            "labels": labels,
            "needs_review": [bool(needs_review([row[n] for n in names], cut, loaded.review_band)) for row in rows],
            "tokens": encoded.tokens,
            "tokens_read": encoded.tokens_read,
        }
        if facts_model is not None:  # the same struct on every row, so that Arrow keeps one column type
            columns["facts"] = [found or {"kind": None, "power": None}
                                for found in kind_and_power(facts_model, batch[text_column], labels)]
        return columns

    return dataset.map(label_batch, batched=True, batch_size=CHUNK_SIZE, desc="labelling")


def check_dataset_output(output: Path, force: bool) -> None:
    """Refuse an existing `output` without `force`, and with it a folder that save_to_disk did not write.

    --force replaces a file, or a folder written by an earlier `label --dataset`; never
    a folder that holds anything else, since replacing a folder deletes all it holds.
    """
    if not output.exists():
        return
    if not force:
        raise OutputExistsError(output, "pass --force to replace it (only a dataset `label --dataset` wrote)")
    if output.is_dir():
        foreign = sorted(p.name for p in output.iterdir() if not SAVED_DATASET_FILES.fullmatch(p.name))
        if foreign:
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
            raise OutputError(f"{output}: a folder that holds files `clauseclf label --dataset` did not write "
                              f"({shown}); --force replaces only a labelled dataset: choose another --output, "
                              "or empty the folder")


def label_dataset(loaded: LoadedModel, source, output: Path, plan: ShardPlan, runtime: Runtime,
                  batch_size: int, force: bool = False, text_column: str = "text") -> int:
    """Write the labelled dataset to `output` (.jsonl, .parquet, or else a save_to_disk folder); rows written.

    `source` is a path for load_dataset_input, or the dataset it returned.
    """
    dataset = load_dataset_input(source, text_column) if isinstance(source, (str, Path)) else source
    if plan.count == 1:
        with exclusive_output(output):
            check_dataset_output(output, force)
            return _write(score_dataset(loaded, dataset, runtime, batch_size, text_column), output)
    import datasets

    check_dataset_output(output, force)
    shard = output.with_name(f"{output.name}.shard-{plan.index:05d}-of-{plan.count:05d}")
    part = dataset.shard(num_shards=plan.count, index=plan.index, contiguous=True)
    score_dataset(loaded, part, runtime, batch_size, text_column).save_to_disk(str(shard))
    plan.barrier()
    rows = 0
    if plan.is_main:
        shards = [output.with_name(f"{output.name}.shard-{i:05d}-of-{plan.count:05d}") for i in range(plan.count)]
        with exclusive_output(output):
            check_dataset_output(output, force)
            rows = _write(datasets.concatenate_datasets([datasets.load_from_disk(str(s)) for s in shards]), output)
        for path in shards:
            shutil.rmtree(path)
    plan.barrier()
    return rows


def _write(dataset, output: Path) -> int:
    """Write beside `output` (a name of this run's own) and rename into place, so a reader never sees half of it.

    The caller has checked (check_dataset_output) that what `output` holds is ours to replace.
    """
    suffix = output.suffix.lower()
    output.parent.mkdir(parents=True, exist_ok=True)
    if suffix in (".jsonl", ".parquet"):
        handle, name = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
        os.close(handle)
    else:
        name = tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        if suffix == ".jsonl":
            dataset.to_json(str(temporary), lines=True, force_ascii=False)
        elif suffix == ".parquet":
            dataset.to_parquet(str(temporary))
        else:
            dataset.save_to_disk(str(temporary))
        if output.is_dir():  # an earlier labelled dataset: moved aside, then removed once the new one is in place
            previous = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.", suffix=".old"))
            output.replace(previous / output.name)
            temporary.replace(output)
            shutil.rmtree(previous)
        else:
            temporary.replace(output)
    finally:
        if temporary.is_dir():
            shutil.rmtree(temporary)
        elif temporary.exists():
            temporary.unlink()
    return len(dataset)
