"""Label Studio and Argilla files: predictions out as pre-annotations, reviewed annotations back in.

The formats live in label_studio.py and argilla.py; this module reads and writes
the files. Imports read strictly (`Imported` says what was skipped and why): the
controls and questions must be those the export wrote, or be named; a clause
leaves without labels only where a reviewer said so.
"""

from __future__ import annotations

import json
from pathlib import Path

from clauseclf.corpus import read_text_file
from clauseclf.errors import InputError
from clauseclf.outputs import atomic_write_text, check_writable
from clauseclf.review.argilla import argilla_settings, from_argilla, to_argilla
from clauseclf.review.exchange import COMMENT_NAME, Imported
from clauseclf.review.label_studio import CHOICES_NAME, from_label_studio, label_studio_config, to_label_studio
from clauseclf.review.records import read_predictions
from clauseclf.utf8 import Expected

__all__ = ["FORMATS", "Imported", "argilla_settings", "export_predictions", "from_argilla", "from_label_studio",
           "import_annotations", "label_studio_config", "to_argilla", "to_label_studio"]

FORMATS = ("label-studio", "argilla")
# What an import reads, for the messages that refuse a binary file or one that is not UTF-8.
EXPORTS = {"label-studio": Expected("Label Studio export", "UTF-8 JSON, as Label Studio exports tasks"),
           "argilla": Expected("Argilla export", "UTF-8 JSON, a list of saved Argilla records", "an")}


def export_predictions(predictions: str | Path, output: str | Path, fmt: str, force: bool = False) -> int:
    """Write the predictions as Label Studio tasks or Argilla records (one JSON list); returns the count."""
    _check_format(fmt)
    output = check_writable(output, force)
    records = read_predictions(predictions)
    items = to_label_studio(records) if fmt == "label-studio" else to_argilla(records)
    atomic_write_text(output, json.dumps(items, ensure_ascii=False, indent=1) + "\n")
    return len(items)


def import_annotations(path: str | Path, fmt: str, labels: list[str], choices_name: str = CHOICES_NAME,
                       comment_name: str = COMMENT_NAME, questions: dict[str, str] | None = None,
                       only_submitted: bool = False) -> Imported:
    """Corpus records from a Label Studio JSON export or saved Argilla records, and what was skipped."""
    _check_format(fmt)
    path = Path(path)
    try:
        data = json.loads(read_text_file(path, EXPORTS[fmt]))
    except json.JSONDecodeError as error:
        raise InputError(path, f"malformed JSON ({error.msg})", line=error.lineno) from None
    except ValueError as error:  # an integer of over 4,300 digits (sys.get_int_max_str_digits)
        raise InputError(path, f"unreadable JSON ({error})") from None
    except RecursionError:
        raise InputError(path, "JSON nested too deeply to be an export") from None
    if fmt == "label-studio":
        return from_label_studio(data, path, labels, choices_name=choices_name, comment_name=comment_name)
    return from_argilla(data, path, labels, questions=questions, comment_name=comment_name,
                        only_submitted=only_submitted)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
