"""`clauseclf label --dataset`: score a whole corpus held as a Hugging Face `datasets` dataset.

The dataset (a `save_to_disk` folder, or a .parquet/.arrow/.jsonl/.csv file) keeps
its columns and gains three: `scores` (label -> probability), `labels` (those over
threshold) and `needs_review`. Rows pass through `Dataset.map` in batches, so the
table stays memory-mapped on disk whatever its size. Under `accelerate launch`
each process maps a contiguous shard, and process 0 concatenates them.

Evidence spans are left out here; `clauseclf label FILE.jsonl` writes them.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from clauseclf.errors import InputError, OutputExistsError
from clauseclf.label.stream import CHUNK_SIZE
from clauseclf.model.calibrate import needs_review
from clauseclf.model.runtime import Runtime, predict_probabilities
from clauseclf.model.folder import LoadedModel
from clauseclf.label.sharding import ShardPlan

logger = logging.getLogger(__name__)

FILE_BUILDERS = {".parquet": "parquet", ".arrow": "arrow", ".jsonl": "json", ".json": "json", ".csv": "csv"}


def load_dataset_input(path: Path, text_column: str = "text"):
    """A `datasets.Dataset` from a saved folder or a single table file."""
    import datasets

    if path.is_dir():
        try:
            dataset = datasets.load_from_disk(str(path))
        except FileNotFoundError:
            raise InputError(path, "not a folder written by Dataset.save_to_disk") from None
        if isinstance(dataset, datasets.DatasetDict):
            raise InputError(path, f"holds splits {', '.join(dataset)}, not one dataset",
                             hint=f"point --dataset at one of them, e.g. {path / next(iter(dataset))}")
    elif path.suffix.lower() in FILE_BUILDERS:
        dataset = datasets.load_dataset(FILE_BUILDERS[path.suffix.lower()], data_files=str(path), split="train")
    elif not path.exists():
        raise InputError(path, "file not found")
    else:
        raise InputError(path, f"unsupported dataset file '{path.suffix}'",
                         hint=f"expected a save_to_disk folder or {', '.join(FILE_BUILDERS)}")
    if text_column not in dataset.column_names:
        raise InputError(path, f"no '{text_column}' column (columns: {', '.join(dataset.column_names)})")
    return dataset


def score_dataset(loaded: LoadedModel, dataset, runtime: Runtime, batch_size: int, text_column: str = "text"):
    names, thresholds = loaded.label_names, loaded.thresholds

    def label_batch(batch: dict) -> dict:
        probabilities = predict_probabilities(loaded, batch[text_column], batch_size, runtime=runtime)
        rows = [{n: round(float(s), 4) for n, s in zip(names, row)} for row in probabilities]
        cut = [thresholds[n] for n in names]
        return {
            "scores": rows,
            "labels": [[n for n in names if row[n] >= thresholds[n]] for row in rows],
            "needs_review": [bool(needs_review([row[n] for n in names], cut, loaded.review_band)) for row in rows],
        }

    return dataset.map(label_batch, batched=True, batch_size=CHUNK_SIZE, desc="labelling")


def label_dataset(loaded: LoadedModel, source: Path, output: Path, plan: ShardPlan, runtime: Runtime,
                  batch_size: int, force: bool = False, text_column: str = "text") -> int:
    """Write the labelled dataset to `output` (.jsonl, .parquet, or else a save_to_disk folder); rows written."""
    import datasets

    if output.exists() and not force:
        raise OutputExistsError(output)
    dataset = load_dataset_input(source, text_column)
    if plan.count == 1:
        return _write(score_dataset(loaded, dataset, runtime, batch_size, text_column), output)
    shard = output.with_name(f"{output.name}.shard-{plan.index:05d}-of-{plan.count:05d}")
    part = dataset.shard(num_shards=plan.count, index=plan.index, contiguous=True)
    score_dataset(loaded, part, runtime, batch_size, text_column).save_to_disk(str(shard))
    plan.barrier()
    rows = 0
    if plan.is_main:
        shards = [output.with_name(f"{output.name}.shard-{i:05d}-of-{plan.count:05d}") for i in range(plan.count)]
        rows = _write(datasets.concatenate_datasets([datasets.load_from_disk(str(s)) for s in shards]), output)
        for path in shards:
            shutil.rmtree(path)
    plan.barrier()
    return rows


def _write(dataset, output: Path) -> int:
    """Write beside `output` and rename into place, so a reader never sees half of it."""
    temporary = output.with_name(output.name + ".partial")
    suffix = output.suffix.lower()
    if suffix == ".jsonl":
        dataset.to_json(str(temporary), lines=True, force_ascii=False)
    elif suffix == ".parquet":
        dataset.to_parquet(str(temporary))
    else:
        if temporary.exists():
            shutil.rmtree(temporary)
        dataset.save_to_disk(str(temporary))
    if output.is_dir():
        shutil.rmtree(output)
    elif output.exists():
        output.unlink()
    temporary.replace(output)
    return len(dataset)
