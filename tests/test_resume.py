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

CLAUSES = 4_000  # the tiny model needs ~8 s for these: time enough to kill it mid-way


def test_resume_after_sigkill_writes_each_clause_once_in_order(tiny_model_dir, corpus_records, tmp_path):
    texts = [r["text"] for r in corpus_records]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"c{i:06d}", "text": texts[i % len(texts)]}) + "\n"
                              for i in range(CLAUSES)))
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
    kept = partial_path(out).read_bytes().count(b"\n")
    assert 0 < kept < CLAUSES

    result = CliRunner().invoke(app, ["label", str(source), "--model", str(tiny_model_dir), "--output", str(out),
                                      "--resume", "--summary", "0"])
    assert result.exit_code == 0, result.output
    assert f"({kept} kept from the interrupted run)" in result.output
    ids = [json.loads(line)["clause_id"] for line in out.open(encoding="utf-8")]
    assert ids == [f"c{i:06d}" for i in range(CLAUSES)]
    assert not partial_path(out).exists()
