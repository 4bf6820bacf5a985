"""Annotated corpora: read, validate, count and split by jurisdiction.

A record is one JSON object (or CSV row) with the fields of ANNOTATION.md; `text`
and `labels` are required, the rest is carried through. Reading stops at the
first bad record; `validate` reports every bad record by file and line.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from clauseclf.config import resolve_path
from clauseclf.errors import InputError, one_line
from clauseclf.schema import KINDS, POWERS, REPO_ROOT, SAFEGUARD_FACTS, SAFEGUARD_KINDS, LabelSchema
from clauseclf.utf8 import Expected, read_utf8

CORPUS_SUFFIXES = (".jsonl", ".csv")
CORPUS_FILE = Expected("corpus file", "UTF-8 JSON Lines or CSV, one annotated clause a record")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def read_rows(path: str | Path) -> list[tuple[int, dict | None, str]]:
    """(line number, row or None, problem) for each record of a JSONL or CSV file.

    Raises InputError for a file that cannot be read at all.
    """
    path = Path(path)
    text = read_text_file(path)
    if path.suffix.lower() == ".csv":
        return _csv_rows(path, text)
    if path.suffix.lower() == ".jsonl":
        return _jsonl_rows(text)
    raise InputError(path, f"unsupported corpus format '{path.suffix}'", hint="use .jsonl or .csv")


def read_text_file(path: Path, expected: Expected = CORPUS_FILE) -> str:
    """The whole file at `path` as text; an InputError, in the terms of what it should be (`expected`), for a
    file that is missing, a folder, empty, binary or not UTF-8."""
    if not path.exists():
        raise InputError(path, "file not found")
    if path.is_dir():
        raise InputError(path, "is a folder, expected a file")
    text = read_utf8(path, expected)
    if not text.strip():
        raise InputError(path, "file is empty")
    return text


def _jsonl_rows(text: str) -> list[tuple[int, dict | None, str]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            rows.append((number, None, f"malformed JSON ({error.msg} at column {error.colno})"))
            continue
        except ValueError as error:  # an integer of over 4,300 digits (sys.get_int_max_str_digits)
            rows.append((number, None, f"unreadable JSON ({error})"))
            continue
        except RecursionError:
            rows.append((number, None, "JSON nested too deeply to read"))
            continue
        if not isinstance(row, dict):
            rows.append((number, None, "expected a JSON object"))
            continue
        rows.append((number, row, ""))
    return rows


def _csv_rows(path: Path, text: str) -> list[tuple[int, dict | None, str]]:
    # A clause may be longer than the csv module's default cell limit (128 KB); no cell can be longer than the file.
    csv.field_size_limit(max(csv.field_size_limit(), len(text)))
    reader = csv.DictReader(text.splitlines())
    try:
        fieldnames = reader.fieldnames
    except csv.Error as error:
        raise InputError(path, f"not readable as CSV ({error})", line=1) from None
    if not fieldnames or "text" not in fieldnames:
        raise InputError(path, f"no 'text' column (columns: {one_line(', '.join(fieldnames or []))})",
                         line=1, hint="name the clause column 'text'")
    rows = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as error:
            raise InputError(path, f"not readable as CSV ({error})", line=reader.line_num) from None
        if None in row:
            rows.append((reader.line_num, None, "more fields than the header has"))
            continue
        rows.append((reader.line_num, _parse_csv_record(row), ""))


def _parse_csv_record(row: dict) -> dict:
    """CSV cells are strings: `labels` may be a JSON list or separated by ; | or ,."""
    record = dict(row)
    for key in ("labels", "evidence"):
        cell = (record.get(key) or "").strip()
        if not cell and key in record:
            record[key] = []
        elif cell.startswith("["):
            try:
                record[key] = json.loads(cell)
            except (ValueError, RecursionError):
                # Malformed, a number of over 4,300 digits, or nested too deeply: the cell as it is,
                # which check_record then names.
                record[key] = cell
        elif key == "labels" and cell:
            sep = next((s for s in ";|," if s in cell), None)
            record[key] = [part.strip() for part in cell.split(sep)] if sep else [cell]
    return record


def check_record(row: dict, schema: LabelSchema) -> list[str]:
    """What is wrong with one annotated record, in the annotator's terms."""
    problems = []
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append("'text' is missing or empty")
    labels = row.get("labels")
    if labels is None:
        problems.append("'labels' is missing (use [] for a clause with no label)")
    elif not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        problems.append("'labels' must be a list of label names")
    else:
        unknown = sorted(set(labels) - set(schema.names))
        if unknown:
            problems.append(f"unknown label(s) {one_line(', '.join(unknown))} (known: {', '.join(schema.names)})")
    kind = row.get("kind")
    if kind not in (None, "") and kind not in KINDS:
        problems.append(f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
    evidence = row.get("evidence")
    if isinstance(evidence, list) and isinstance(text, str):
        missing = [e for e in evidence if isinstance(e, str) and e not in text]
        if missing:
            problems.append(f"evidence not found in text: {missing[0]!r}")
    if "safeguards" in row:
        problems += _safeguard_problems(row["safeguards"], kind)
    return problems


def _safeguard_problems(safeguards, kind) -> list[str]:
    """The `safeguards` object of ANNOTATION.md: a known power and known values, on the kinds that take it."""
    if kind not in SAFEGUARD_KINDS:
        return [f"'safeguards' belongs to clauses of kind {', '.join(SAFEGUARD_KINDS)}, not '{kind}'"]
    if not isinstance(safeguards, dict):
        return ["'safeguards' must be an object of facts (see ANNOTATION.md)"]
    problems = []
    if safeguards.get("power") not in POWERS:
        problems.append(f"safeguards: unknown power {safeguards.get('power')!r} (known: {', '.join(POWERS)})")
    for fact, value in safeguards.items():
        if fact != "power" and value not in SAFEGUARD_FACTS.get(fact, ()):
            allowed = SAFEGUARD_FACTS.get(fact)
            problems.append(f"safeguards: {fact}={value!r} " + (f"(allowed: {', '.join(allowed)})" if allowed
                            else f"is not a fact (known: {', '.join(SAFEGUARD_FACTS)})"))
    return problems


def validate(path: str | Path, schema: LabelSchema) -> tuple[int, list[Problem]]:
    """(number of records, every problem found) for a corpus file."""
    rows = read_rows(path)
    problems = []
    for number, row, problem in rows:
        if row is None:
            problems.append(Problem(str(path), number, problem))
            continue
        problems += [Problem(str(path), number, p) for p in check_record(row, schema)]
    return len(rows), problems


def load_corpus(path: str | Path, schema: LabelSchema) -> list[dict]:
    """All records of a valid corpus; raises InputError naming the first bad line."""
    records = []
    for number, row, problem in read_rows(path):
        problems = [problem] if row is None else check_record(row, schema)
        if problems:
            raise InputError(path, problems[0], line=number,
                             hint="run `clauseclf data validate` to list every problem")
        records.append(row)
    return records


def stats(records: list[dict], schema: LabelSchema) -> dict[str, Counter]:
    """Counts per label, kind, language and jurisdiction."""
    labels = Counter({name: 0 for name in schema.names})
    for record in records:
        labels.update(record["labels"])
        if not record["labels"]:
            labels["(no label)"] += 1
    return {
        "records": Counter({"total": len(records)}),
        "labels": labels,
        "kind": Counter(str(r.get("kind") or "unknown") for r in records),
        "lang": Counter(str(r.get("lang") or "unknown") for r in records),
        "jurisdiction": Counter(group_of(r) for r in records),
    }


def group_of(record: dict) -> str:
    return str(record.get("jurisdiction") or "unknown")


def split_by_jurisdiction(records: list[dict], dev_fraction: float, test_fraction: float,
                          seed: int) -> dict[str, list[dict]]:
    """Train/dev/test with no jurisdiction in two splits; the same seed gives the same split.

    Jurisdictions are shuffled, then each goes to test or dev while it fits their
    target size, else to train. A jurisdiction larger than a target (US has 119 of
    608 clauses) thus always trains, and no split overshoots its target.
    """
    sizes = Counter(group_of(r) for r in records)
    groups = sorted(sizes)
    random.Random(seed).shuffle(groups)
    targets = {"test": test_fraction * len(records), "dev": dev_fraction * len(records)}
    filled = {"test": 0, "dev": 0}
    assignment = {}
    for group in groups:
        split = next((s for s in ("test", "dev") if filled[s] + sizes[group] <= targets[s]), "train")
        if split != "train":
            filled[split] += sizes[group]
        assignment[group] = split
    splits: dict[str, list[dict]] = {"train": [], "dev": [], "test": []}
    for record in records:
        splits[assignment[group_of(record)]].append(record)
    return splits


def training_extras(extra: list[dict], held_out: list[dict], known: list[dict]) -> list[dict]:
    """The clauses of `extra` that may train beside a split: none of a jurisdiction in `held_out` (it would
    leak the law being judged) and none whose text is already in `known`."""
    held = {group_of(r) for r in held_out}
    seen = {text_fingerprint(r["text"]) for r in known}
    return [r for r in extra if group_of(r) not in held and text_fingerprint(r["text"]) not in seen]


def with_extras(splits: dict[str, list[dict]], extras: list[dict], records: list[dict]) -> dict[str, list[dict]]:
    """`splits` with the `extras` that may train (training_extras) appended to its train part."""
    held_out = splits["dev"] + splits.get("test", [])
    return {**splits, "train": splits["train"] + training_extras(extras, held_out, records)}


def corpus_clauses(part: list[dict], records: list[dict]) -> list[dict]:
    """The clauses of a training part that come from the corpus `records`, not from `data.extra_train`: an extra
    clause never shares a text with the corpus (training_extras drops it), so the texts tell them apart."""
    own = {text_fingerprint(r["text"]) for r in records}
    return [r for r in part if text_fingerprint(r["text"]) in own]


def model_splits(data, schema: LabelSchema) -> dict[str, list[dict]]:
    """The train/dev/test split a model is trained, tuned and tested on, as its `data` config (DataConfig)
    describes it: the corpus split by jurisdiction, then `data.extra_train` added to train. Training and
    evaluation's TF-IDF baseline both rebuild it here."""
    records = load_corpus(resolve_path(data.corpus), schema)
    splits = split_by_jurisdiction(records, data.dev_fraction, data.test_fraction, data.split_seed)
    return with_extras(splits, training_pool(data, schema), records)


def training_pool(data, schema: LabelSchema) -> list[dict]:
    """The `data.extra_train` clauses a recipe trains on: all of them, or `data.extra_train_sample` drawn at random."""
    extras = load_extras(data.extra_train, schema)
    if not data.extra_train_sample:
        return extras
    return random.Random(data.split_seed).sample(extras, len(extras))[:data.extra_train_sample]


def load_extras(paths: list[str], schema: LabelSchema) -> list[dict]:
    """All records of the `data.extra_train` corpora (paths or glob patterns as a config gives them), in order."""
    return [record for path in expand_paths(paths) for record in load_corpus(path, schema)]


def expand_paths(paths: list[str], setting: str = "data.extra_train") -> list[Path]:
    """Each path as resolve_path finds it; a pattern with * or ? becomes its matches, sorted (in the
    working directory, else the repository root). A pattern that matches nothing is an error: a typo
    must not silently train on less. `setting` names the config key the paths came from, for the message."""
    expanded = []
    for path in paths:
        if not any(ch in path for ch in "*?["):
            expanded.append(resolve_path(path))
            continue
        matches = sorted(Path(path).parent.glob(Path(path).name)) or sorted(REPO_ROOT.glob(path))
        if not matches:
            raise InputError(path, "no file matches this pattern", hint=f"check {setting} in the config")
        expanded += matches
    return expanded


def language_groups(records: list[dict]) -> dict[str, list[int]]:
    """Indices of the clauses tagged English (or untagged) and of the others: the lexicon signals read English."""
    english = [(r.get("lang") or "en") == "en" for r in records]
    return {"en": [i for i, is_en in enumerate(english) if is_en],
            "other": [i for i, is_en in enumerate(english) if not is_en]}


def text_fingerprint(text: str) -> str:
    """Whitespace- and case-insensitive hash, to spot the same clause in two files."""
    return hashlib.sha1(" ".join(text.lower().split()).encode()).hexdigest()[:16]


def write_jsonl(records: list[dict], path: Path) -> None:
    from clauseclf.outputs import atomic_write_text

    atomic_write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
