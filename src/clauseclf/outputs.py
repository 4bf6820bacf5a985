"""Writing files so that a reader never sees half of one.

Every output goes to a temporary file beside its destination and is renamed over
it when complete (`os.replace` is atomic on one filesystem). A run that writes an
output holds `<output>.lock` (`exclusive_output`), so that a second run on the same
output is refused instead of writing into the first one's files.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from clauseclf.errors import OutputError, OutputExistsError

logger = logging.getLogger(__name__)

# The lock files this process holds, with how many nested `exclusive_output` blocks hold each.
_HELD: dict[Path, int] = {}


def check_writable(path: str | Path, force: bool, remedy: str = "pass --force to overwrite it") -> Path:
    """Refuse, before any work, an output file that exists (without `force`: `remedy` says what to pass) or could
    never be written."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give the path of a file to write")
    check_parent(path)
    if path.exists() and not force:
        raise OutputExistsError(path, remedy)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def check_parent(path: str | Path) -> None:
    """The nearest existing folder above `path` must be a folder this process may write in.

    Otherwise the run would do all its work and fail only when it writes: a parent
    that is a file, or a folder without write permission.
    """
    path = Path(path)
    ancestor = path.absolute().parent
    while not ancestor.exists() and not ancestor.is_symlink():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(f"{path}: {ancestor} is a file, not a folder; choose another output path")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: cannot write in {ancestor} (permission denied); choose another output path")


def check_output_folder(folder: str | Path, force: bool, finished: tuple[str, ...] = (),
                        remedy: str = "pass --force to write into it") -> Path:
    """Refuse to write into an existing non-empty folder without `force` (`remedy` says what the command takes).

    With `finished`, only a folder holding one of those files (what a completed run leaves) is
    refused: a training run's checkpoints alone mean an interrupted run, which resumes.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is a file; give the path of a folder to write in")
    check_parent(folder)
    if not force and folder.is_dir():
        done = any((folder / name).exists() for name in finished) if finished else any(folder.iterdir())
        if done:
            raise OutputExistsError(folder, remedy)
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


def lock_path(output: str | Path) -> Path:
    output = Path(output)
    return output.with_name(output.name + ".lock")


@contextmanager
def exclusive_output(output: str | Path) -> Iterator[None]:
    """Hold `<output>.lock` for the block; refuse (OutputError) while another run holds it.

    The lock is an flock on that file, which the kernel drops when its holder ends in
    any way, kill -9 included: a lock file left by a run that died is taken over, with
    a note. The file names the holder (pid and host) for the refusal message. Nested
    blocks on one output in one process share the lock.
    """
    lock = lock_path(output).absolute()
    if lock in _HELD:
        _HELD[lock] += 1
        try:
            yield
        finally:
            _HELD[lock] -= 1
        return
    check_parent(output)
    lock.parent.mkdir(parents=True, exist_ok=True)
    handle = _acquire(lock, Path(output))
    _HELD[lock] = 1
    try:
        yield
    finally:
        del _HELD[lock]
        lock.unlink(missing_ok=True)  # before letting go, so that no other run holds the file being removed
        os.close(handle)


def _acquire(lock: Path, output: Path) -> int:
    while True:
        handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(handle) or "another run"
            os.close(handle)
            raise OutputError(f"{output}: {holder} is writing it (lock {lock}); wait for that run to finish, "
                              "or choose another --output") from None
        # The run before may have removed the file between our open and our lock: the lock
        # counts only on the file that is at `lock` now.
        try:
            current = os.stat(lock)
        except FileNotFoundError:
            current = None
        opened = os.fstat(handle)
        if current is not None and (current.st_dev, current.st_ino) == (opened.st_dev, opened.st_ino):
            break
        os.close(handle)
    if previous := _holder(handle):
        logger.info("%s: left by %s, which ended without finishing; taken over", lock, previous)
    os.ftruncate(handle, 0)
    os.pwrite(handle, f"clauseclf run pid {os.getpid()} on {socket.gethostname()}\n".encode(), 0)
    return handle


def _holder(handle: int) -> str:
    return os.pread(handle, 200, 0).decode("utf-8", "replace").strip()
