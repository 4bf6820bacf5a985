"""sharding.py: every k-th chunk per process, merged back in input order; one real 2-process accelerate run."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clauseclf.label.dataset import label_dataset
from clauseclf.errors import InputError
from clauseclf.model.runtime import prepare
from clauseclf.model.folder import load_model_folder
from clauseclf.schema import Clause
from clauseclf.label.sharding import SHARD_CHUNK, ShardPlan, label_to_output, merge_shards, shard_path, take_shard


def write_shards(tmp_path: Path, lines: list[str], count: int, chunk: int) -> list[Path]:
    shards = []
    for index in range(count):
        path = tmp_path / f"shard-{index}"
        path.write_text("".join(f"{line}\n" for line in take_shard(lines, index, count, chunk)))
        shards.append(path)
    return shards


@pytest.mark.parametrize("total", [0, 1, 3, 4, 5, 23, 24])
@pytest.mark.parametrize("count", [1, 2, 3])
def test_take_then_merge_restores_input_order(tmp_path, total, count):
    lines = [f"line {i}" for i in range(total)]
    shards = write_shards(tmp_path, lines, count, chunk=4)
    merged = tmp_path / "merged"
    yielded = list(merge_shards(shards, merged, chunk=4))
    assert merged.read_text().splitlines() == lines
    assert [line.rstrip("\n") for line in yielded] == lines


def test_take_shard_is_round_robin_by_chunk():
    assert list(take_shard(range(10), 1, 3, chunk=2)) == [2, 3, 8, 9]


def test_merge_notices_a_shard_that_stopped_early(tmp_path):
    lines = [f"line {i}" for i in range(20)]
    shards = write_shards(tmp_path, lines, 2, chunk=4)
    shards[0].write_text("".join(shards[0].read_text().splitlines(keepends=True)[:4]))  # lost its 2nd chunk
    with pytest.raises(InputError, match="more lines than its place"):
        list(merge_shards(shards, tmp_path / "merged", chunk=4))


def clauses(corpus_records, count):
    texts = [r["text"] for r in corpus_records]
    return [Clause("bill", f"c{i:05d}", texts[i % len(texts)]) for i in range(count)]


def test_two_processes_one_after_the_other_equal_one_process(tiny_model_dir, corpus_records, tmp_path):
    """Process 1 then process 0 (whose barrier is then a no-op): the merge sees exactly what a real run sees."""
    loaded, runtime = prepare(load_model_folder(tiny_model_dir), device="cpu")
    items = clauses(corpus_records, 2 * SHARD_CHUNK + 100)
    single = tmp_path / "single.jsonl"
    label_to_output(loaded, items, single, ShardPlan(), runtime=runtime)
    sharded = tmp_path / "sharded.csv"
    label_to_output(loaded, items, sharded, ShardPlan(1, 2), runtime=runtime, output_format="csv")
    assert shard_path(sharded, 1, 2).exists() and not sharded.exists()
    summary = label_to_output(loaded, items, sharded, ShardPlan(0, 2), runtime=runtime, output_format="csv")
    assert summary.clauses == len(items)
    assert not shard_path(sharded, 0, 2).exists() and not shard_path(sharded, 1, 2).exists()
    import csv

    rows = list(csv.DictReader(sharded.open(newline="")))
    expected = [json.loads(line) for line in single.open()]
    assert [r["clause_id"] for r in rows] == [e["clause_id"] for e in expected]
    assert [json.loads(r["scores"]) for r in rows] == [e["scores"] for e in expected]


def test_resume_refuses_a_shard_another_model_wrote(tiny_model_dir, corpus_records, tmp_path):
    from clauseclf.model.quantize import quantize_loaded

    loaded, runtime = prepare(load_model_folder(tiny_model_dir), device="cpu")
    items = clauses(corpus_records, SHARD_CHUNK + 10)
    out = tmp_path / "out.jsonl"
    label_to_output(loaded, items, out, ShardPlan(1, 2), runtime=runtime)
    with pytest.raises(InputError, match="quantization none\\), not by this run's model tiny\\+int8"):
        label_to_output(quantize_loaded(loaded, "int8"), items, out, ShardPlan(1, 2), runtime=runtime, resume=True)


def test_dataset_path_adds_score_and_label_columns(tiny_model_dir, corpus_records, tmp_path):
    import datasets

    texts = [r["text"] for r in corpus_records[:30]]
    source = tmp_path / "corpus"
    datasets.Dataset.from_dict({"text": texts, "row": list(range(30))}).save_to_disk(str(source))
    loaded, runtime = prepare(load_model_folder(tiny_model_dir), device="cpu")
    out = tmp_path / "labelled.jsonl"
    label_dataset(loaded, source, out, ShardPlan(1, 2), runtime, batch_size=8)
    assert label_dataset(loaded, source, out, ShardPlan(0, 2), runtime, batch_size=8) == 30
    rows = [json.loads(line) for line in out.open()]
    assert [r["row"] for r in rows] == list(range(30))
    assert set(rows[0]["scores"]) == set(loaded.label_names) and {"labels", "needs_review"} <= set(rows[0])
    assert all(r["tokens_read"] == min(r["tokens"], loaded.max_length) for r in rows)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "labelled.jsonl"]


# Slow: accelerate starts two fresh interpreters (about 10 s); the in-process
# test_two_processes_one_after_the_other_equal_one_process checks the same shards and merge.
@pytest.mark.slow
def test_accelerate_launch_two_cpu_processes(tiny_model_dir, corpus_records, tmp_path):
    texts = [r["text"] for r in corpus_records]
    count = SHARD_CHUNK * 2 + 37  # three chunks: process 0 takes the first and the last
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"c{i:05d}", "text": texts[i % len(texts)]}) + "\n"
                              for i in range(count)))
    out = tmp_path / "out.jsonl"
    launcher = Path(sys.executable).with_name("accelerate")
    # --multi_gpu is accelerate's name for "start N processes with torchrun"; on a machine without a GPU
    # the processes run on CPU with the gloo backend.
    command = [str(launcher), "launch", "--multi_gpu", "--num_processes", "2", "--num_machines", "1",
               "--mixed_precision", "no", "--dynamo_backend", "no", "-m", "clauseclf.cli", "label", str(source),
               "--model", str(tiny_model_dir), "--output", str(out), "--summary", "0"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "TQDM_DISABLE": "1"})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert "2 process(es)" in result.stdout
    ids = [json.loads(line)["clause_id"] for line in out.open()]
    assert ids == [f"c{i:05d}" for i in range(count)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]
