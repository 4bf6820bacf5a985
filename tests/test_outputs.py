"""Atomic writes (outputs.py): an interrupted write leaves the old file whole, or no file, never half of one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from clauseclf.outputs import atomic_write_text, atomic_writer

OLD = "the old report, whole\n"
# Written in a process of its own, which is killed (SIGKILL: no cleanup runs) while half the new text is written.
WRITER = """
import sys, time
from clauseclf.outputs import atomic_writer
with atomic_writer(sys.argv[1]) as stream:
    stream.write("half of the new report " * 5000)
    stream.flush()
    print("half written", flush=True)
    time.sleep(60)
    stream.write("and the other half")
"""


def test_a_writer_killed_midway_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "report.md"
    target.write_text(OLD, encoding="utf-8")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "half written"
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.wait(timeout=30)
    assert target.read_text(encoding="utf-8") == OLD
    # What the killed run left is a hidden temporary file beside the output, never at its path.
    leftovers = [p.name for p in tmp_path.iterdir() if p != target]
    assert len(leftovers) == 1 and leftovers[0].startswith(".report.md.") and leftovers[0].endswith(".tmp")
    atomic_write_text(target, "the next run's report\n")
    assert target.read_text(encoding="utf-8") == "the next run's report\n"


@pytest.mark.parametrize("existed", [True, False])
def test_a_write_that_fails_midway_leaves_the_old_file_or_nothing_and_no_temporary_file(tmp_path, existed):
    target = tmp_path / "export.json"
    if existed:
        target.write_text(OLD, encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        with atomic_writer(target) as stream:
            stream.write("[{\"half\": ")
            raise KeyboardInterrupt
    assert [p.name for p in tmp_path.iterdir()] == (["export.json"] if existed else [])
    if existed:
        assert target.read_text(encoding="utf-8") == OLD


def test_a_complete_write_replaces_the_file_whole(tmp_path):
    target = tmp_path / "sub" / "scores.json"
    atomic_write_text(target, OLD)
    atomic_write_text(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n" and [p.name for p in target.parent.iterdir()] == ["scores.json"]
