"""One test for "binary or not UTF-8" (clauseclf/utf8.py), and each reader's message in the terms of its data."""

from __future__ import annotations

from pathlib import Path

import pytest

from clauseclf.corpus import load_corpus
from clauseclf.corpus.importer import Provenance, import_collection
from clauseclf.errors import InputError
from clauseclf.label.inputs import iter_csv_clauses, iter_jsonl_clauses
from clauseclf.review.interop import import_annotations
from clauseclf.review.records import read_predictions
from clauseclf.schema import LabelSchema
from clauseclf.segment import read_document
from clauseclf.utf8 import SNIFF_BYTES, Expected, utf8_lines

BINARY = b"PK\x03\x04\x00\x00binary"
# "caf\xe9" is café in Latin-1: the \xe9 is byte 25 of the file, on its second line.
LATIN1 = b'{"text": "ok"}\n{"a": "caf\xe9"}\n'


def first_error(read, path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read(path)
    return str(caught.value)


READERS = {
    "corpus": (".jsonl", lambda path: load_corpus(path, LabelSchema.from_yaml()),
               "looks like a binary file, not a corpus file (expected UTF-8 JSON Lines or CSV, one annotated clause "
               "a record)", "re-save the corpus file as UTF-8"),
    "clause table": (".jsonl", lambda path: list(iter_jsonl_clauses(path)),
                     "looks like a binary file, not a clause table (expected UTF-8 JSON Lines or CSV, one clause a "
                     "row)", "re-save the clause table as UTF-8"),
    "bill": (".txt", read_document, "looks like a binary file, not a bill (expected UTF-8 text)",
             "re-save the bill as UTF-8"),
    "predictions": (".jsonl", read_predictions,
                    "looks like a binary file, not a predictions file (expected UTF-8 JSON Lines, as `clauseclf "
                    "label` writes them)", "re-save the predictions file as UTF-8"),
    "Label Studio export": (".json", lambda path: import_annotations(path, "label-studio", ["a"]),
                            "looks like a binary file, not a Label Studio export (expected UTF-8 JSON, as Label "
                            "Studio exports tasks)", "re-save the Label Studio export as UTF-8"),
    "Argilla export": (".json", lambda path: import_annotations(path, "argilla", ["a"]),
                       "looks like a binary file, not an Argilla export (expected UTF-8 JSON, a list of saved Argilla "
                       "records)", "re-save the Argilla export as UTF-8"),
}


@pytest.mark.parametrize("reader", sorted(READERS))
def test_a_binary_file_is_named_as_what_the_reader_expected(tmp_path, reader):
    suffix, read, binary, _ = READERS[reader]
    path = tmp_path / f"file{suffix}"
    path.write_bytes(BINARY)
    assert first_error(read, path) == f"{path}: {binary}"


@pytest.mark.parametrize("reader", sorted(READERS))
def test_bytes_that_are_not_utf8_are_named_by_line_and_byte(tmp_path, reader):
    suffix, read, _, hint = READERS[reader]
    path = tmp_path / f"file{suffix}"
    path.write_bytes(LATIN1)
    assert first_error(read, path) == f"{path}:2: invalid UTF-8 at byte 25 ({hint})"


def test_a_csv_clause_table_names_the_line_that_is_not_utf8(tmp_path):
    path = tmp_path / "clauses.csv"
    path.write_bytes(b'text,id\n"A person who\nhacks",1\ncaf\xe9,2\n')
    assert first_error(lambda p: list(iter_csv_clauses(p)), path) == (
        f"{path}:4: invalid UTF-8 at byte 34 (re-save the clause table as UTF-8)")


def test_an_html_bill_is_refused_only_when_binary_its_encoding_is_its_own(tmp_path):
    binary = tmp_path / "bill.html"
    binary.write_bytes(b"<html>\x00\x00")
    assert first_error(read_document, binary) == (f"{binary}: looks like a binary file, not an HTML bill (expected an "
                                                  "HTML page, in any encoding it declares)")
    latin1 = tmp_path / "latin1.html"
    latin1.write_bytes(b'<html><head><meta charset="iso-8859-1"></head><body><p>1. Caf\xe9s are open.</p></body></html>')
    assert "Caf\u00e9s" in read_document(latin1).text


def test_a_statute_file_not_in_utf8_is_counted_and_named(tmp_path):
    seed = tmp_path / "data" / "seed"
    seed.mkdir(parents=True)
    (seed / "act.json").write_bytes(b'{"title": "Computer Misuse Act",\n "provisions": ["caf\xe9"]}')
    result = import_collection(tmp_path, "SG", Provenance("owner/repo", "0" * 40))
    assert result.skipped == {"malformed file": 1}
    assert result.problems == [f"{seed / 'act.json'}:2: invalid UTF-8 at byte 53 (re-save the statute file as UTF-8)"]


def test_a_nul_past_the_sniffed_bytes_is_text_and_a_byte_order_mark_is_dropped(tmp_path):
    path = tmp_path / "table.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b'{"text": "one"}\n' + b" " * SNIFF_BYTES + b"\x00\n")
    lines = list(utf8_lines(path, Expected("clause table", "UTF-8")))
    assert lines[0] == (1, '{"text": "one"}\n') and lines[1][1].endswith("\x00\n")


def test_a_csv_clause_table_with_old_mac_line_endings_is_read(tmp_path):
    path = tmp_path / "clauses.csv"
    path.write_bytes(b'text,id\r"A person\r\nwho hacks",1\rSecond,2\r')
    clauses = list(iter_csv_clauses(path))
    assert [c.text for c in clauses] == ["A person\r\nwho hacks", "Second"]
    assert [c.clause_id for c in clauses] == ["1", "2"]
