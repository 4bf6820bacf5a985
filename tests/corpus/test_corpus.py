import json

import pytest

from clauseclf import corpus
from clauseclf.corpus.reserved import RESERVED_JURISDICTIONS as RESERVED
from clauseclf.errors import InputError
from clauseclf.schema import KINDS, LabelSchema

from conftest import CORPUS, EXTENSION, PAGES, SECOND_ANNOTATION, STATUTES, STATUTES_SECOND, read_records

SCHEMA = LabelSchema.from_yaml()
SHIPPED = [CORPUS, EXTENSION, PAGES, *STATUTES]


def test_shipped_corpus_is_valid_and_complete(corpus_records):
    count, problems = corpus.validate(CORPUS, SCHEMA)
    assert problems == []
    assert count == len(corpus_records) >= 608
    assert all(r.get("source") for r in corpus_records)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_corpora_hold_no_reserved_jurisdiction(path):
    assert not {r["jurisdiction"] for r in read_records(path)} & RESERVED


def test_the_extension_is_valid_sourced_and_new():
    count, problems = corpus.validate(EXTENSION, SCHEMA)
    assert problems == [] and count >= 150
    extension, seed = read_records(EXTENSION), read_records(CORPUS)
    assert all(r.get("source") for r in extension)
    assert not {r["id"] for r in extension} & {r["id"] for r in seed}
    assert not ({corpus.text_fingerprint(r["text"]) for r in extension}
                & {corpus.text_fingerprint(r["text"]) for r in seed}), "a clause of the seed corpus, again"
    assert all(e in r["text"] for r in extension for e in r["evidence"])


def test_the_second_annotation_covers_every_seed_clause_once_with_known_labels_and_kinds():
    seed, second = {r["id"]: r for r in read_records(CORPUS)}, read_records(SECOND_ANNOTATION)
    assert sorted(r["id"] for r in second) == sorted(seed)
    assert all(set(r["labels"]) <= set(SCHEMA.names) and r["kind"] in KINDS for r in second)
    assert all(e in seed[r["id"]]["text"] for r in second for e in r["evidence"])


def test_validate_reports_every_bad_record_with_its_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    good = {"text": "A person who intentionally accesses a computer system commits an offence.", "labels": ["core_cybercrime"]}
    path.write_text("\n".join([
        json.dumps(good),
        "{not json",
        json.dumps({"text": "x", "labels": ["fake_news"]}),
        json.dumps({"labels": []}),
        json.dumps({"text": "y", "labels": [], "kind": "weird"}),
    ]) + "\n")
    count, problems = corpus.validate(path, SCHEMA)
    assert count == 5
    assert [p.line for p in problems] == [2, 3, 4, 5]
    assert "malformed JSON" in problems[0].message
    assert "unknown label(s) fake_news" in problems[1].message
    assert "'text' is missing" in problems[2].message
    assert "unknown kind 'weird'" in problems[3].message


def test_csv_corpus_with_label_lists(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text('text,labels,jurisdiction\n"Whoever publishes false news commits an offence.","content_offence;overbroad",KE\n'
                    '"Definitions.",,KE\n', encoding="utf-8")
    records = corpus.load_corpus(path, SCHEMA)
    assert records[0]["labels"] == ["content_offence", "overbroad"]
    assert records[1]["labels"] == []


def test_csv_without_text_column_is_refused(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("clause,labels\nabc,\n")
    with pytest.raises(InputError, match="no 'text' column"):
        corpus.load_corpus(path, SCHEMA)


@pytest.mark.parametrize("content, message", [
    (b"", "empty"), (b"\x00\x01\x02binary", "binary"), (b'{"text": "caf\xe9", "labels": []}\n', "invalid UTF-8")])
def test_unreadable_files_are_named(tmp_path, content, message):
    path = tmp_path / "c.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        corpus.load_corpus(path, SCHEMA)
    assert str(path) in str(caught.value)


def test_split_keeps_each_jurisdiction_in_one_split_and_is_deterministic(corpus_records):
    first = corpus.split_by_jurisdiction(corpus_records, 0.15, 0.15, seed=13)
    again = corpus.split_by_jurisdiction(corpus_records, 0.15, 0.15, seed=13)
    other = corpus.split_by_jurisdiction(corpus_records, 0.15, 0.15, seed=14)
    groups = {name: {r["jurisdiction"] for r in split} for name, split in first.items()}
    assert not groups["train"] & groups["dev"] and not groups["train"] & groups["test"] and not groups["dev"] & groups["test"]
    assert sum(len(s) for s in first.values()) == len(corpus_records)
    assert [r["id"] for r in first["test"]] == [r["id"] for r in again["test"]]
    assert [r["id"] for r in first["test"]] != [r["id"] for r in other["test"]]
    for name in ("dev", "test"):
        assert 0.05 * len(corpus_records) <= len(first[name]) <= 0.15 * len(corpus_records)


def test_stats_counts_labels_and_unlabelled(corpus_records):
    counts = corpus.stats(corpus_records, SCHEMA)
    assert counts["labels"]["core_cybercrime"] == sum("core_cybercrime" in r["labels"] for r in corpus_records)
    assert counts["labels"]["(no label)"] == sum(not r["labels"] for r in corpus_records)
    assert counts["records"]["total"] == len(corpus_records)


def test_safeguard_facts_are_checked():
    base = {"text": "A judge may order interception.", "labels": [], "kind": "procedural_power"}
    good = {**base, "safeguards": {"power": "interception", "judicial_authorisation": "stated", "time_limit": "not_stated"}}
    assert corpus.check_record(good, SCHEMA) == []
    assert "unknown power 'tapping'" in corpus.check_record({**base, "safeguards": {"power": "tapping"}}, SCHEMA)[0]
    assert "allowed: stated, not_stated" in corpus.check_record(
        {**base, "safeguards": {"power": "interception", "targeted": "yes"}}, SCHEMA)[0]
    assert "is not a fact" in corpus.check_record(
        {**base, "safeguards": {"power": "interception", "warrant": "stated"}}, SCHEMA)[0]
    assert "not 'offence'" in corpus.check_record({**good, "kind": "offence"}, SCHEMA)[0]


@pytest.mark.parametrize("path", STATUTES, ids=lambda p: p.name)
def test_imported_statutes_are_valid_annotated_and_sourced(path):
    count, problems = corpus.validate(path, SCHEMA)
    assert problems == [] and count > 0
    records = read_records(path)
    assert len({r["id"] for r in records}) == count
    for record in records:
        assert record["kind"] in KINDS and record["rationale"].strip()
        assert record["source"].startswith("https://github.com/") and "/blob/" in record["source"]
        assert ("safeguards" in record) == (record["kind"] in ("procedural_power", "cooperation", "safeguard"))
        assert "missing_intent" not in record["labels"] or record["kind"] == "offence"


def test_the_second_reading_covers_clauses_of_the_imported_statutes():
    imported = {r["id"]: r for path in STATUTES for r in read_records(path)}
    for path in sorted(STATUTES_SECOND.glob("*.jsonl")):
        assert corpus.validate(path, SCHEMA)[1] == []
        for record in read_records(path):
            assert record["text"] == imported[record["id"]]["text"]


def test_the_page_clauses_are_valid_and_name_their_page():
    assert corpus.validate(PAGES, SCHEMA)[1] == []
    records = read_records(PAGES)
    assert len({r["id"] for r in records}) == len(records)
    assert all(r["source"].startswith(("https://", "http://")) and r["rationale"].strip() for r in records)


def test_a_long_csv_cell_and_deeply_nested_json_are_read_or_named_by_line(tmp_path):
    long_csv = tmp_path / "long.csv"
    long_csv.write_text('text,labels\n"' + "A person who accesses a computer. " * 6000 + '",overbroad\n', encoding="utf-8")
    (number, row, problem), = corpus.read_rows(long_csv)
    assert problem == "" and len(row["text"]) > 200_000 and row["labels"] == ["overbroad"]
    deep = tmp_path / "deep.jsonl"
    deep.write_text('{"text": "ok", "labels": []}\n{"text": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
                    encoding="utf-8")
    count, problems = corpus.validate(deep, SCHEMA)
    assert count == 2 and [(p.line, p.message) for p in problems] == [(2, "JSON nested too deeply to read")]
