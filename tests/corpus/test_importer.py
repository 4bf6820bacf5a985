"""The statute importer on small copies of real collections (tests/fixtures/collections/README.md)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clauseclf.cli import app
from clauseclf.corpus.importer import Provenance, import_collection
from clauseclf.errors import InputError

COLLECTIONS = Path(__file__).resolve().parents[1] / "fixtures" / "collections"
PROVENANCE = Provenance("Ansvar-Systems/singapore-law-mcp", "71d2ed7aa5bd26efdf4ea008d7fc887fe554bb00")


def test_sections_are_cut_into_subsections_with_their_provenance():
    result = import_collection(COLLECTIONS / "ansvar-sg", "sg", PROVENANCE)
    units = [r["unit"] for r in result.records]
    assert units[:4] == ["s. 3(1)", "s. 3(2)", "s. 3(3)", "s. 4(1)"]
    first = result.records[0]
    assert first["jurisdiction"] == "SG" and first["instrument"] == "Computer Misuse Act" and first["year"] == 1993
    assert first["source"] == ("https://github.com/Ansvar-Systems/singapore-law-mcp/blob/"
                               "71d2ed7aa5bd26efdf4ea008d7fc887fe554bb00/data/seed/cma-1993.json#3")
    # List items stay in the clause they belong to, with the collection's "( a )" spacing undone.
    assert "(a) any particular program or data; (b)" in result.records[2]["text"]
    assert len({r["id"] for r in result.records}) == len(result.records)


def test_what_is_left_out_is_counted_with_its_reason():
    result = import_collection(COLLECTIONS / "ansvar-sg", "SG", PROVENANCE)
    # s. 5(2) and 5(3) repeat s. 3(2) and 3(3) word for word; s. 99 is empty.
    assert result.skipped == {"duplicate clause": 2, "empty provision": 1}
    known = {r["text"] for r in result.records[:3]}
    from clauseclf.corpus import text_fingerprint
    again = import_collection(COLLECTIONS / "ansvar-sg", "SG", PROVENANCE,
                              known_texts={text_fingerprint(t) for t in known})
    assert again.skipped["duplicate clause"] == 5 and len(again.records) == len(result.records) - 3


def test_lettered_subsections_and_the_documents_variant():
    result = import_collection(COLLECTIONS / "ansvar-us", "US", PROVENANCE)
    assert [r["unit"] for r in result.records] == ["s. 2(a)", "s. 2(b)", "s. 875(a)", "s. 875(b)", "s. 875(c)", "s. 875(d)"]
    assert result.records[0]["instrument"] == "Crimes and Criminal Procedure"


def test_articles_keep_their_numbered_items_together():
    result = import_collection(COLLECTIONS / "ansvar-rw", "RW", PROVENANCE)
    assert [r["unit"] for r in result.records] == ["art. 16", "art. 17"]
    assert "1° does not have consent" in result.records[0]["text"] and "2°" in result.records[0]["text"]


def test_a_malformed_file_is_named_and_an_irrelevant_instrument_counted():
    result = import_collection(COLLECTIONS / "malformed", "SG", PROVENANCE)
    assert result.records == []
    assert result.skipped == {"malformed file": 1, "instrument outside the relevant fields": 1}
    assert "ca-2018.json:" in result.problems[0] and "malformed JSON" in result.problems[0]
    kept = import_collection(COLLECTIONS / "malformed", "SG", PROVENANCE, all_instruments=True)
    assert [r["text"] for r in kept.records] == ["This Act is the Fisheries Act."]


@pytest.mark.parametrize("code", ["UG", "gb", "SA"])
def test_a_reserved_jurisdiction_is_refused(code):
    with pytest.raises(InputError, match="reserved for blind evaluation"):
        import_collection(COLLECTIONS / "ansvar-sg", code, PROVENANCE)


def test_an_unknown_layout_is_refused(tmp_path):
    (tmp_path / "statutes").mkdir()
    with pytest.raises(InputError, match="no statute files found"):
        import_collection(tmp_path, "SG", PROVENANCE)


def test_the_command_writes_records_and_reports_skips(tmp_path):
    output = tmp_path / "sg.jsonl"
    run = CliRunner().invoke(app, ["data", "import", str(COLLECTIONS / "ansvar-sg"), "--jurisdiction", "SG",
                                   "--repository", PROVENANCE.repository, "--commit", PROVENANCE.commit,
                                   "--output", str(output)])
    assert run.exit_code == 0, run.output
    assert "9 clauses from 1 instruments" in run.output and "empty provision" in run.output
    assert len([json.loads(line) for line in output.read_text().splitlines()]) == 9
    refused = CliRunner().invoke(app, ["data", "import", str(COLLECTIONS / "ansvar-sg"), "--jurisdiction", "UG",
                                       "--repository", "x/y", "--output", str(tmp_path / "ug.jsonl")])
    assert refused.exit_code == 2 and "reserved" in refused.output and not (tmp_path / "ug.jsonl").exists()


def test_ids_stay_unique_when_units_repeat_or_use_other_scripts(tmp_path):
    seed = tmp_path / "data" / "seed"
    seed.mkdir(parents=True)
    provisions = [{"section": "50", "title": "Ορισμός", "content": "(1) Πρώτο εδάφιο. (2) Δεύτερο εδάφιο."},
                  {"section": "50Α", "title": "Ποινικό αδίκημα", "content": "Όποιος δημοσιεύει ειδήσεις τιμωρείται."},
                  {"section": "50Β", "title": "Ποινή", "content": "(1) Πρώτο. (2) Δεύτερο εδάφιο του 50Β."},
                  {"section": "50", "title": "Ορισμός", "content": "(1) Τροποποιημένο πρώτο εδάφιο."}]
    (seed / "penal.json").write_text(json.dumps({"title": "Ποινικός Κώδικας", "provisions": provisions}), encoding="utf-8")
    result = import_collection(tmp_path, "CY", PROVENANCE, lang="el", all_instruments=True)
    ids = [r["id"] for r in result.records]
    assert len(ids) == len(set(ids)) == 6
    assert "cy-penal-s-50α" in ids and "cy-penal-s-50β-2" in ids and "cy-penal-s-50-1-2" in ids
