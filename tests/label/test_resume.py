"""A real `clauseclf label` process: a second run on its output is refused; killed mid-way, it is finished with
--resume, each clause exactly once, in order."""

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

CLAUSES = 2_000  # the tiny model needs ~8 s for these: time enough to kill it mid-way


def write_source(path, corpus_records):
    texts = [r["text"] for r in corpus_records]
    path.write_text("".join(json.dumps({"id": f"c{i:06d}", "text": texts[i % len(texts)]}) + "\n"
                            for i in range(CLAUSES)))


def test_a_second_run_is_refused_then_a_killed_run_resumes_each_clause_once_in_order(tiny_model_dir, corpus_records,
                                                                                       tmp_path):
    """One real run, used twice (each process start costs seconds): while it writes, a second run on the same
    output is refused, whatever its flags; killed mid-way, it is finished by --resume."""
    source = tmp_path / "in.jsonl"
    write_source(source, corpus_records)
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "clauseclf.cli", "label", str(source), "--model", str(tiny_model_dir),
               "--output", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "TQDM_DISABLE": "1"})
    wait_for_partial_output(process, out, 0)
    for extra in ([], ["--force"], ["--resume"]):
        second = CliRunner().invoke(app, ["label", str(source), "--model", str(tiny_model_dir), "--output", str(out),
                                          "--summary", "0", *extra])
        assert second.exit_code == 2, second.output
        assert f"{out}: clauseclf run pid {process.pid} on" in second.output, second.output

    wait_for_partial_output(process, out, 200_000)  # some hundred lines written
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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]  # no partial file, no lock


def wait_for_partial_output(process: subprocess.Popen, out, size: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if partial_path(out).exists() and partial_path(out).stat().st_size > size:
            return
        time.sleep(0.02)
