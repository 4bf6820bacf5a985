"""Writing files so that a reader never sees half of one.

Every output goes to a temporary file beside its destination and is renamed over
it when complete (`os.replace` is atomic on one filesystem).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from clauseclf.errors import OutputExistsError


def check_writable(path: str | Path, force: bool) -> Path:
    path = Path(path)
    if path.exists() and not force:
        raise OutputExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def check_output_folder(folder: str | Path, force: bool, finished: tuple[str, ...] = ()) -> Path:
    """Refuse to write into an existing non-empty folder without `force`.

    With `finished`, only a folder holding one of those files (what a completed run leaves) is
    refused: a training run's checkpoints alone mean an interrupted run, which resumes.
    """
    folder = Path(folder)
    if not force and folder.is_dir():
        done = any((folder / name).exists() for name in finished) if finished else any(folder.iterdir())
        if done:
            raise OutputExistsError(folder)
    return folder


@contextmanager
def atomic_writer(path: str | Path, newline: str | None = None) -> Iterator[TextIO]:
    """A text stream whose content replaces `path` only if the block completes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def atomic_write_text(path: str | Path, text: str) -> None:
    with atomic_writer(path) as stream:
        stream.write(text)
