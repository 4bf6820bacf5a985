"""A real `clauseclf label` process killed mid-way, then finished with --resume: each clause exactly once, in order."""

import json
import os
import signal
import subprocess
import sys
import time

from typer.testing import CliRunner

from clauseclf.cli import app
from clauseclf.label.files import partial_path
from clauseclf.outputs import lock_path

CLAUSES = 4_000  # the tiny model needs ~8 s for these: time enough to kill it mid-way


def write_source(path, corpus_records):
    texts = [r["text"] for r in corpus_records]
    path.write_text("".join(json.dumps({"id": f"c{i:06d}", "text": texts[i % len(texts)]}) + "\n"
                            for i in range(CLAUSES)))


def test_resume_after_sigkill_writes_each_clause_once_in_order(tiny_model_dir, corpus_records, tmp_path):
    source = tmp_path / "in.jsonl"
    write_source(source, corpus_records)
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "clauseclf.cli", "label", str(source), "--model", str(tiny_model_dir),
               "--output", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "TQDM_DISABLE": "1"})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if partial_path(out).exists() and partial_path(out).stat().st_size > 200_000:  # some hundred lines written
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL, "the run finished before it could be killed: raise CLAUSES"
    assert not out.exists()
    assert lock_path(out).exists()  # left by the killed run; the kernel released its hold
    kept = partial_path(out).read_bytes().count(b"\n")
    assert 0 < kept < CLAUSES

    result = CliRunner().invoke(app, ["label", str(source), "--model", str(tiny_model_dir), "--output", str(out),
                                      "--resume", "--summary", "0"])
    assert result.exit_code == 0, result.output
    assert f"({kept} kept from the interrupted run)" in result.output
    ids = [json.loads(line)["clause_id"] for line in out.open(encoding="utf-8")]
    assert ids == [f"c{i:06d}" for i in range(CLAUSES)]
    assert not partial_path(out).exists() and not lock_path(out).exists()


def test_a_second_run_on_the_same_output_is_refused_while_the_first_finishes(tiny_model_dir, corpus_records,
                                                                             tmp_path):
    source = tmp_path / "in.jsonl"
    write_source(source, corpus_records)
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "clauseclf.cli", "label", str(source), "--model", str(tiny_model_dir),
               "--output", str(out)]
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env={**os.environ, "TQDM_DISABLE": "1"})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and first.poll() is None:
        if partial_path(out).exists() and partial_path(out).stat().st_size > 0:
            break
        time.sleep(0.02)
    for extra in ([], ["--force"], ["--resume"]):
        second = CliRunner().invoke(app, ["label", str(source), "--model", str(tiny_model_dir), "--output", str(out),
                                          "--summary", "0", *extra])
        assert second.exit_code == 2, second.output
        assert f"{out}: clauseclf run pid {first.pid} on" in second.output, second.output
    assert first.poll() is None, "the first run finished before the second started: raise CLAUSES"
    assert first.wait(timeout=120) == 0
    ids = [json.loads(line)["clause_id"] for line in out.open(encoding="utf-8")]
    assert ids == [f"c{i:06d}" for i in range(CLAUSES)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]
