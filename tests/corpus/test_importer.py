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


# --- XML layouts: the D.C. Code (dc-code-xml) and Justice Laws Canada (lims-xml) ---------------------

DC_CODE = Provenance("DCCouncil/law-xml-codified", "876d977ddff7b247e85cf67ad706c97aa9a62e00")
LIMS = Provenance("justicecanada/laws-lois-xml", "d6853c4af2ae0b7ab8c205a0e95ee734b9945c31")
DC_SECTIONS = "us/dc/council/code/titles/23/sections"


def test_dc_code_sections_are_cut_into_subsections_and_definitions_with_their_provenance():
    result = import_collection(COLLECTIONS / "dc-code", "us-dc", DC_CODE)
    units = [r["unit"] for r in result.records]
    # The title index gives the Code's order: 23-541 before 23-1327, though "23-1327" sorts first.
    assert units[:3] == ["s. 23-541", "s. 23-541(1)", "s. 23-541(2)"] and units[-1] == "s. 23-1328(d)"
    assert "s. 23-542(a)" in units and "s. 23-542(b)" in units
    first = result.records[1]
    assert first["jurisdiction"] == "US-DC" and first["instrument"] == "D.C. Code Title 23: Criminal Procedure"
    assert first["text"].startswith("the term “wire communication” means any communication")
    assert first["heading"] == "Definitions"
    assert first["source"] == ("https://github.com/DCCouncil/law-xml-codified/blob/876d977ddff7b247e85cf67ad706c97aa9a62e00/"
                               f"{DC_SECTIONS}/23-541.xml#23-541")
    offence = next(r for r in result.records if r["unit"] == "s. 23-542(a)")
    # The list stays with its lead-in, and the text after the list ends the same clause.
    assert offence["text"].startswith("Except as otherwise specifically provided in this subchapter, any person who")
    assert "(2) willfully discloses" in offence["text"] and offence["text"].endswith("common knowledge or public information.")
    assert result.sections == 5  # 23-541, 23-542, 23-331, 23-1327, 23-1328; the cut 23-543 is counted as malformed
    assert len({r["id"] for r in result.records}) == len(result.records)


def test_dc_code_history_and_notes_stay_out_of_the_text():
    texts = " ".join(r["text"] for r in import_collection(COLLECTIONS / "dc-code", "US-DC", DC_CODE).records)
    for note in ("Pub. L. 91-358", "1973 Ed.", "D.C. Law 17-231", "This section is referenced in", "Prior Codifications"):
        assert note not in texts


def test_dc_code_skips_are_counted_and_the_malformed_section_named():
    result = import_collection(COLLECTIONS / "dc-code", "US-DC", DC_CODE)
    # 23-331 is "[Repealed]."; 23-1328(c) repeats 23-1327(d) word for word; 23-543 is cut short; Title 42
    # (Real Property) is outside the relevant fields.
    assert result.skipped == {"repealed section": 1, "duplicate clause": 1, "malformed file": 1,
                              "instrument outside the relevant fields": 1}
    assert len(result.problems) == 1 and f"{DC_SECTIONS}/23-543.xml:" in result.problems[0]
    assert "not well-formed XML" in result.problems[0]


def test_an_empty_dc_code_section_is_counted():
    # 42-3131.04 is "[Reserved]." with no text at all.
    result = import_collection(COLLECTIONS / "dc-code", "US-DC", DC_CODE,
                               files=["us/dc/council/code/titles/42/sections/42-3131.04.xml"])
    assert result.records == [] and result.skipped == {"empty provision": 1} and result.sections == 1


def test_lims_statutes_are_cut_into_subsections_with_their_provenance():
    result = import_collection(COLLECTIONS / "lims-ca", "CA", LIMS)
    act = [r for r in result.records if r["instrument"] == "Identification of Criminals Act"]
    assert [r["unit"] for r in act[:5]] == ["s. 1", "s. 1.1", "s. 2(1)", "s. 2(2)", "s. 2(3)"]
    assert act[2]["heading"] == "Fingerprints and photographs"
    assert act[2]["source"] == ("https://github.com/justicecanada/laws-lois-xml/blob/"
                                "d6853c4af2ae0b7ab8c205a0e95ee734b9945c31/eng/acts/I-1.xml#2")
    # Paragraphs and subparagraphs stay in their subsection; the repealed (iii) and history notes are gone.
    assert "(a) any person who is in lawful custody charged with or convicted of (i) an indictable offence" in act[2]["text"]
    texts = " ".join(r["text"] for r in result.records)
    assert "[Repealed" not in texts and "R.S., c. I-1, s. 1" not in texts and "1992, c. 47, s. 73" not in texts


def test_lims_amending_statutes_keep_the_text_they_insert():
    result = import_collection(COLLECTIONS / "lims-ca", "CA", LIMS)
    luring = [r for r in result.records if r["instrument"] == "An Act to amend the Criminal Code (luring a child)"]
    assert [(r["unit"], r["year"]) for r in luring] == [("s. 1", 2007)]
    assert luring[0]["text"] == ("Paragraphs 172.1(2)(a) and (b) of the Criminal Code are replaced by the following: "
                                 "(a) an indictable offence and liable to imprisonment for a term of not more than ten "
                                 "years; or (b) an offence punishable on summary conviction and liable to imprisonment "
                                 "for a term not exceeding eighteen months.")
    # An amending section's marginal note cites amendments ("2019, c. 25, s. 225(3)"): not a heading.
    assert all(not r["heading"] for r in result.records if r["instrument"].endswith("(bail reform)") and r["unit"].startswith("s. 1("))


def test_lims_skips_are_counted_and_the_malformed_statute_named():
    result = import_collection(COLLECTIONS / "lims-ca", "CA", LIMS)
    # I-1 s. 2(1)(a)(iii) is repealed; 2023-c7 s. 4 repeats 2023-c30 s. 5 (the coming into force) word for
    # word; 2010-c19 is cut short.
    assert result.skipped == {"repealed subsection or paragraph": 1, "duplicate clause": 1, "malformed file": 1}
    assert len(result.problems) == 1 and "annual-statutes-lois-annuelles/en/2010/2010-c19_E.xml:1:" in result.problems[0]


def test_lims_definitions_are_one_clause_each_and_repealed_empty_or_omitted_sections_are_counted(tmp_path):
    # The Act's own sections, with a definitions section, a repealed one and an empty one put in their place.
    act = (COLLECTIONS / "lims-ca" / "eng" / "acts" / "I-1.xml").read_text(encoding="utf-8-sig")
    body = act.index("<Body")
    first_section = act.index("<Section", body)
    inserted = ('<Section><MarginalNote>Definitions</MarginalNote><Label>0.1</Label><Text>In this Act,</Text>'
                '<Definition><Text><DefinedTermEn>data</DefinedTermEn> means representations; (<DefinedTermFr>données'
                '</DefinedTermFr>)</Text></Definition><Definition><Text><DefinedTermEn>record</DefinedTermEn> means a '
                'medium on which data is registered.</Text></Definition></Section>'
                '<Section><Label>0.2</Label><Text><Repealed>[Repealed, 2019, c. 25, s. 1]</Repealed></Text></Section>'
                '<Section><Label>0.3</Label><Text></Text></Section>'
                # As s. 46 to 89 and B-9.81 s. 42 print them: a plain-text repeal notice, an omitted amendment.
                '<Section><Label>0.4</Label><Text>[Repealed, 2012, c. 24, s. 102]</Text></Section>'
                '<Section><Label>0.5</Label><Text>[Amendment]</Text></Section>'
                '<Section><Label>0.6</Label><Subsection><Label>(1)</Label><Text>[Amendment]</Text></Subsection></Section>')
    (tmp_path / "eng" / "acts").mkdir(parents=True)
    (tmp_path / "eng" / "acts" / "I-1.xml").write_text(act[:first_section] + inserted + act[first_section:], encoding="utf-8")
    result = import_collection(tmp_path, "CA", LIMS)
    assert [(r["unit"], r["text"]) for r in result.records[:3]] == [
        ("s. 0.1", "In this Act,"), ('s. 0.1 "data"', "“data” means representations; (données)"),
        ('s. 0.1 "record"', "“record” means a medium on which data is registered.")]
    assert result.skipped == {"repealed section": 2, "empty provision": 1, "repealed subsection or paragraph": 1,
                              "amending section left out of the consolidation": 2}


def test_a_file_in_an_unknown_layout_is_named(tmp_path):
    # A D.C. Code section among Justice Laws statutes: read, refused by name, counted.
    (tmp_path / "eng" / "acts").mkdir(parents=True)
    section = COLLECTIONS / "dc-code" / DC_SECTIONS / "23-542.xml"
    (tmp_path / "eng" / "acts" / "23-542.xml").write_bytes(section.read_bytes())
    result = import_collection(tmp_path, "CA", LIMS)
    assert result.skipped == {"file in an unknown layout": 1}
    assert "23-542.xml: not a Justice Laws statute (root element <section>)" in result.problems[0]


@pytest.mark.parametrize("folder", ["dc-code", "lims-ca"])
def test_xml_layouts_refuse_a_reserved_jurisdiction(folder):
    with pytest.raises(InputError, match="reserved for blind evaluation"):
        import_collection(COLLECTIONS / folder, "GB", DC_CODE)


def test_the_command_imports_xml_layouts_and_its_help_shows_each_layout(tmp_path):
    output = tmp_path / "dc.jsonl"
    run = CliRunner().invoke(app, ["data", "import", str(COLLECTIONS / "dc-code"), "--jurisdiction", "US-DC",
                                   "--repository", DC_CODE.repository, "--commit", DC_CODE.commit,
                                   "--output", str(output)])
    assert run.exit_code == 0, run.output
    assert "22 clauses from 1 instruments (5 sections read)" in run.output and "repealed section" in run.output
    assert "23-543.xml" in run.output  # the malformed section, named
    help_text = CliRunner().invoke(app, ["data", "import", "--help"], terminal_width=200).output
    for layout in ("ansvar-json", "dc-code-xml", "lims-xml", "DCCouncil/law-xml-codified", "justicecanada/laws-lois-xml"):
        assert layout in help_text
