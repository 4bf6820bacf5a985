"""One `clauseclf label` command over several processes (GPUs, machines) under `accelerate launch`.

Every process reads the whole input stream (reading is cheap; the model is not)
and labels every k-th chunk of it, writing its own shard file beside the output:

    chunk:    0   1   2   3   4   5   6        (SHARD_CHUNK clauses each, the last one shorter)
    process:  0   1   2   0   1   2   0        -> predictions.jsonl.shard-00000-of-00003 ...

Round robin, not contiguous ranges, because a stream's length is unknown until
its end. After a barrier, process 0 merges the shards back into input order by
taking SHARD_CHUNK lines from each in turn, and checks that nothing is left over.
A bad input line stops every process at the same place, since each reads it.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import torch

from clauseclf.errors import InputError
from clauseclf.label.files import (LabelRunSummary, check_same_model, count_records, finish, label_to_file,
                                   partial_path)
from clauseclf.label.stream import CHUNK_SIZE
from clauseclf.model.runtime import Runtime
from clauseclf.model.folder import LoadedModel
from clauseclf.outputs import check_writable, exclusive_output
from clauseclf.schema import Clause

logger = logging.getLogger(__name__)

# Fixed, not a user option: the merge must cut the shards where labelling cut the input.
SHARD_CHUNK = CHUNK_SIZE


@dataclass(frozen=True)
class ShardPlan:
    """This process's place among `count` processes labelling one input."""

    index: int = 0
    count: int = 1
    device: torch.device | None = None  # the device accelerate gives this process, if any
    barrier: Callable[[], None] = lambda: None

    @property
    def is_main(self) -> bool:
        return self.index == 0


def current_plan() -> ShardPlan:
    """One process unless started by `accelerate launch` (or torchrun) with several."""
    if int(os.environ.get("WORLD_SIZE", "1")) <= 1:
        return ShardPlan()
    from accelerate import PartialState

    # Without cpu=True, accelerate on a machine with no GPU ignores WORLD_SIZE and runs each process alone.
    state = PartialState(cpu=not torch.cuda.is_available())
    return ShardPlan(state.process_index, state.num_processes, state.device, state.wait_for_everyone)


def shard_path(output: Path, index: int, count: int) -> Path:
    return output.with_name(f"{output.name}.shard-{index:05d}-of-{count:05d}")


def take_shard(clauses: Iterable[Clause], index: int, count: int, chunk: int = SHARD_CHUNK) -> Iterator[Clause]:
    """The clauses of chunks index, index + count, index + 2*count, ... of the stream."""
    for number, clause in enumerate(clauses):
        if (number // chunk) % count == index:
            yield clause


def merge_shards(shards: list[Path], target: Path, chunk: int = SHARD_CHUNK) -> Iterator[str]:
    """Write the shards' lines to `target` in input order; yield each line as it goes.

    Raises InputError when the shards do not fit together (a process stopped early).
    """
    streams = [open(path, encoding="utf-8") for path in shards]
    try:
        with open(target, "w", encoding="utf-8") as sink:
            for number in itertools.count():
                lines = list(islice(streams[number % len(streams)], chunk))
                sink.writelines(lines)
                yield from lines
                if len(lines) < chunk:
                    break
        for path, stream in zip(shards, streams):
            if stream.readline():
                raise InputError(path, "has more lines than its place in the input allows",
                                 hint="a shard is incomplete or stale: rerun without --resume")
    finally:
        for stream in streams:
            stream.close()


def label_to_output(loaded: LoadedModel, clauses: Iterable[Clause], output: Path, plan: ShardPlan, *,
                    output_format: str = "jsonl", force: bool = False, resume: bool = False, batch_size: int = 32,
                    on_progress: Callable[[int], None] | None = None, keep_flagged: int = 20,
                    runtime: Runtime | None = None) -> LabelRunSummary:
    """label_to_file for one process, or this process's shard plus (on process 0) the merge."""
    options = dict(batch_size=batch_size, on_progress=on_progress, keep_flagged=keep_flagged, runtime=runtime)
    if plan.count == 1:
        return label_to_file(loaded, clauses, output, output_format=output_format, force=force, resume=resume,
                             **options)
    started = time.perf_counter()
    check_writable(output, force=force)
    mine = shard_path(output, plan.index, plan.count)
    if resume and mine.exists():
        with open(mine, encoding="utf-8") as stream:
            for number, line in enumerate(stream, start=1):
                check_same_model(mine, number, json.loads(line).get("model"), loaded.identity)
        logger.info("%s is complete from an earlier run: kept", mine)
    else:
        label_to_file(loaded, take_shard(clauses, plan.index, plan.count), mine, force=True, resume=resume, **options)
    plan.barrier()
    summary = LabelRunSummary(output=output)
    if plan.is_main:
        shards = [shard_path(output, i, plan.count) for i in range(plan.count)]
        with exclusive_output(output):
            check_writable(output, force=force)
            count_records(summary, merge_shards(shards, partial_path(output)), keep_flagged)
            finish(partial_path(output), output, output_format)
        for shard in shards:
            shard.unlink()
    plan.barrier()  # nobody exits (and tears down the process group) before the merge is done
    summary.seconds = time.perf_counter() - started
    return summary
