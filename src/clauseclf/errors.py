"""Typed errors the library raises; only the CLI turns them into a message and an exit code.

Every message speaks in terms of the user's data: which file, which line, what is
wrong with it and what to do about it.
"""

from __future__ import annotations

import re
from pathlib import Path


# What str.splitlines breaks a line at, and the other control characters: one_line writes them as escapes.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """`text` with line breaks and control characters escaped as Python writes them ('\\n', '\\x00'), for a name
    from a user's file in a message: the CLI's error is one line whatever the file holds."""
    return _BREAKS.sub(lambda match: repr(match.group())[1:-1], text)


class ClauseclfError(Exception):
    """Base class: an error the user can fix. The CLI prints it on one line and exits 2."""

    exit_code = 2


class InputError(ClauseclfError):
    """A file the user gave us cannot be read as what it should be."""

    def __init__(self, path: str | Path, problem: str, line: int | None = None, hint: str = ""):
        self.path = str(path)
        self.line = line
        self.problem = problem
        self.hint = hint
        where = f"{self.path}:{line}" if line is not None else self.path
        message = f"{where}: {problem}"
        if hint:
            message += f" ({hint})"
        # One line whatever went into it: a file name, or a parser's own message (lxml's holds line breaks).
        super().__init__(one_line(message))


class ConfigError(ClauseclfError):
    """A configuration file or override is invalid. Carries every problem at once."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


class ModelFolderError(ClauseclfError):
    """A model folder is missing a file or is not a clauseclf model."""


class OutputError(ClauseclfError):
    """An output cannot be written: another run is writing it, or writing it would delete what clauseclf did not write."""


class OutputExistsError(ClauseclfError):
    """Refusing to overwrite an existing output without --force; `remedy` names only options the command has."""

    def __init__(self, path: str | Path, remedy: str = "pass --force to overwrite it"):
        self.path = Path(path)
        super().__init__(f"{path}: already exists ({remedy})")


class StaleCheckpointsError(ClauseclfError):
    """A model folder holds checkpoints of an interrupted run of another configuration or other training data."""

    def __init__(self, folder: str | Path, why: str):
        self.folder = Path(folder)
        super().__init__(f"{folder}: checkpoints of an interrupted run {why}; resume it with that configuration "
                         "and data, or start fresh with --force (which discards these checkpoints)")
