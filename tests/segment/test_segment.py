"""The bill segmenter: splitter conventions, each reader, bad input, and boundaries on real bills."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from clauseclf.errors import InputError
from clauseclf.segment import SUPPORTED_SUFFIXES, Document, read_document, segment_text, split_clauses
from clauseclf.segment.boundaries import load_expected, score
from clauseclf.cli.segment import segment_command
from clauseclf.segment.splitter import span_text
from conftest import growth

REPO = Path(__file__).resolve().parents[2]
BILLS = REPO / "tests" / "fixtures" / "bills"
SAMPLE = REPO / "data" / "examples" / "ke_computer_misuse_and_cybercrimes_act_2018.txt"
MAURITIUS = BILLS / "mu_computer_misuse_and_cybercrime_act_2003.txt"


def units(clauses) -> list[str]:
    return [clause.unit for clause in clauses]


def by_unit(clauses, unit: str):
    return next(clause for clause in clauses if clause.unit == unit)


# --------------------------------------------------------------------------- splitter conventions

def test_numbered_sections_subsections_and_lead_in_lists_stay_whole():
    # Kenya, Computer Misuse and Cybercrimes Act 2018, s. 14 as Kenya Law lays it out.
    text = ("PART III – OFFENCES\n14. Unauthorised access\n"
            "(1) A person who causes, whether temporarily or permanently, a computer system to perform a function, "
            "by infringing security measures, with intent to gain access, and knowing such access is unauthorised, "
            "commits an offence.\n"
            "(2) Access by a person to a computer system is unauthorised if—\n"
            "(a) that person is not entitled to control access of the kind in question to the program or data; or\n"
            "(b) that person does not have consent from any person who is entitled to access the computer system.\n"
            "(3) For the purposes of this section, it is immaterial that the unauthorised access is not directed at—\n"
            "(a) any particular program or data;\n(b) a program or data of any kind; or\n"
            "(c) a program or data held in any particular computer system.\n")
    clauses = split_clauses(text, "ke")
    assert units(clauses) == ["s. 14(1)", "s. 14(2)", "s. 14(3)"]
    assert clauses[1].text.startswith("Access by a person") and "(b) that person does not have consent" in clauses[1].text
    assert clauses[0].heading == ["PART III – OFFENCES", "Unauthorised access"]
    assert [c.clause_id for c in clauses] == ["ke:0001", "ke:0002", "ke:0003"]


def test_list_items_never_become_clauses_even_when_their_letters_run_on():
    # A section whose body opens with a lead-in: (a)...(e) belong to it (Kenya CMCA s. 3).
    text = ("3. Objects of the Act\nThe objects of this Act are to—\n(a) protect the confidentiality of computer systems;\n"
            "(b) prevent the unlawful use of computer systems;\n(c) facilitate the prevention of cybercrimes;\n"
            "4. Establishment of Committee\nThere is established the National Computer and Cybercrimes Co-ordination Committee.\n")
    clauses = split_clauses(text, "ke")
    assert units(clauses) == ["s. 3", "s. 4"]
    assert clauses[0].text.endswith("(c) facilitate the prevention of cybercrimes;")


def test_definitions_split_one_per_definition_with_their_lists():
    text = ('2. Interpretation\nIn this Act, unless the context otherwise requires—\n'
            '"access" means gaining entry into a program or data stored in a computer system and the person either—\n'
            "(a) alters, modifies or erases a program or data; or\n(b) copies, transfers or moves a program or data;\n"
            '"Authority" means the Communications Authority of Kenya;\n'
            '"digital signature"--\n(a) means an electronic signature; and\n')
    clauses = split_clauses(text, "ke")
    assert units(clauses) == ["s. 2", 's. 2 "access"', 's. 2 "Authority"', 's. 2 "digital signature"']
    assert clauses[0].text == "In this Act, unless the context otherwise requires—"
    assert clauses[1].text.endswith("(b) copies, transfers or moves a program or data;")


def test_articles_with_numbered_paragraphs_titles_and_lettered_definitions():
    # Council of Europe Convention on Cybercrime (ETS 185), ETS layout.
    text = ("Chapter I – Use of terms\nArticle 1 – Definitions\nFor the purposes of this Convention:\n"
            "a “computer system” means any device or a group of interconnected or related devices;\n"
            "b “computer data” means any representation of facts, information or concepts;\n"
            "Chapter II – Measures to be taken at the national level\nSection 1 – Substantive criminal law\n"
            "Article 4 – Data interference\n1 Each Party shall adopt such legislative and other measures as may be "
            "necessary to establish as criminal offences the damaging of computer data without right.\n"
            "2 A Party may reserve the right to require that the conduct described in paragraph 1 result in serious harm.\n"
            "Art. 5 - System interference\nEach Party shall adopt such legislative and other measures as may be necessary.\n")
    clauses = split_clauses(text, "ets")
    assert units(clauses) == ["art. 1", "art. 1(a)", "art. 1(b)", "art. 4(1)", "art. 4(2)", "art. 5"]
    assert by_unit(clauses, "art. 1(a)").text.startswith("“computer system” means")
    assert by_unit(clauses, "art. 4(2)").heading == [
        "Chapter II – Measures to be taken at the national level", "Section 1 – Substantive criminal law", "Data interference"]
    assert by_unit(clauses, "art. 5").heading[-1] == "System interference"


def test_section_keyword_styles_and_us_subsections():
    # 18 U.S.C. 2511(1), (2): "§" sections, "(1)" subsections and "(a)" paragraphs inside them.
    text = ("§ 2511. Interception and disclosure of wire, oral, or electronic communications prohibited\n"
            "(1) Except as otherwise specifically provided in this chapter any person who—\n"
            "(a) intentionally intercepts, endeavors to intercept, or procures any other person to intercept or endeavor "
            "to intercept, any wire, oral, or electronic communication;\n"
            "shall be punished as provided in subsection (4) or shall be subject to suit as provided in subsection (5).\n"
            "(2)(a)(i) It shall not be unlawful under this chapter for an operator of a switchboard to intercept a communication.\n")
    clauses = split_clauses(text, "us")
    assert units(clauses) == ["§ 2511(1)", "§ 2511(2)"]
    assert "shall be punished" in clauses[0].text
    assert clauses[0].heading == ["Interception and disclosure of wire, oral, or electronic communications prohibited"]
    word = split_clauses("Section 12 – Offences\nA person who hacks commits an offence.\n"
                         "Section 12A – Attempts\nA person who attempts to hack commits an offence.\n", "x")
    assert units(word) == ["s. 12", "s. 12A"]


def test_marginal_notes_and_titles_run_into_the_body():
    # Kenya Gazette layout (marginal note above "14. (1)"), and Revised Laws of Mauritius run-ons.
    gazette = split_clauses("PART III—OFFENCES\nUnauthorised access.\n14. (1) A person who causes a computer system to "
                            "perform a function commits an offence.\n(2) Access by a person to a computer system is "
                            "unauthorised if the person is not entitled to control it.\n", "ke")
    assert units(gazette) == ["s. 14(1)", "s. 14(2)"]
    assert gazette[0].heading == ["PART III—OFFENCES", "Unauthorised access"]
    merged = split_clauses("18. Prosecution No prosecution shall be instituted under this Act except on an information\n"
                           "filed by, or with the consent of, the Director of Public Prosecutions.\n"
                           "19. Jurisdiction (1) Notwithstanding any other enactment, the Intermediate Court shall\n"
                           "have jurisdiction to try any offence under this Act.\n", "mu")
    assert [(c.unit, c.heading[-1], c.text[:16]) for c in merged] == [
        ("s. 18", "Prosecution", "No prosecution s"), ("s. 19(1)", "Jurisdiction", "Notwithstanding ")]
    indian = split_clauses("66B. Punishment for dishonestly receiving stolen computer resource.–Whoever dishonestly "
                           "receives any stolen computer resource shall be punished.\n", "in")
    assert (indian[0].unit, indian[0].heading, indian[0].text[:7]) == ("s. 66B", ["Punishment for dishonestly receiving stolen computer resource"], "Whoever")


def test_gazette_pdf_text_with_marginal_notes_broken_over_lines():
    # Kenya, Computer and Cybercrimes Bill 2016, p. 7, as text comes out of the Gazette PDF:
    # marginal notes split word by word above the section number, lines wrapped mid-sentence.
    text = ("PART II—OFFENCES\nUnauthorised\naccess.\n4.\n(1) A person who causes, whether temporarily or permanently, a\n"
            "computer system to perform a function, by infringing security measures,\nwith intent to gain access, and "
            "knowing such access is unauthorised,\ncommits an offence.\n(2) Access by a person to a computer system is "
            "unauthorised if—\n(a) that person is not entitled to control access of the kind in\nquestion to the program "
            "or data; and\n(b) that person does not have consent from any person who is\nentitled to access the computer "
            "system.\nAccess with intent\nto\ncommit\nor\nfacilitate\nfurther\noffence.\n5. (1) A person who commits an "
            "offence under section 4 with intent\nto commit a further offence under any law commits an offence.\n7\n")
    clauses = split_clauses(text, "ke-bill")
    assert units(clauses) == ["s. 4(1)", "s. 4(2)", "s. 5(1)"]
    assert clauses[0].heading == ["PART II—OFFENCES", "Unauthorised access"]
    assert clauses[2].heading[-1] == "Access with intent to commit or facilitate further offence"
    assert clauses[1].text.endswith("entitled to access the computer system.")


def test_wrapped_references_are_not_taken_for_markers():
    # "(1)" and "12." at the start of a wrapped line are cross-references, not new clauses.
    text = ("12. Information sharing agreements\n(1) A private entity may enter into an information sharing agreement.\n"
            "(2) Prior to the sharing of information under subsection\n(1) a party to an agreement shall review the information "
            "and remove personal details.\n(3) A person shall not share information relating to health status under section\n"
            "12. of the Health Act without consent.\n")
    clauses = split_clauses(text, "ke")
    assert units(clauses) == ["s. 12(1)", "s. 12(2)", "s. 12(3)"]
    assert "(1) a party to an agreement" in clauses[1].text


def test_table_of_contents_headers_footers_and_page_numbers_stay_out():
    document = read_document(MAURITIUS)
    texts = " ".join(clause.text for clause in document.clauses)
    for furniture in ("[Issue 1]", "C37", "Revised Laws of Mauritius", "Computer Misuse and Cybercrime Act "):
        assert furniture not in texts
    assert units(document.clauses).count("s. 1") == 1  # the contents' "1. Short title" is no clause
    assert any("table of contents" in note for note in document.notes)
    assert any("running header" in note for note in document.notes)
    assert any("s. 22" in note for note in document.notes)  # "22.  23. --": reported, not labelled
    assert by_unit(document.clauses, "s. 4(1)").heading == ["PART II OFFENCES", "Access with intent to commit offences"]


def test_text_without_markers_falls_back_to_paragraphs_and_says_so():
    text = "The Minister may make regulations.\n\nThe regulations may prescribe fees.\n"
    result = segment_text(text, "memo")
    assert units(result.clauses) == ["para. 1", "para. 2"]
    assert "no section markers found; split into paragraphs" in result.notes


@pytest.mark.parametrize("path", [SAMPLE, MAURITIUS], ids=["kenya", "mauritius"])
def test_offsets_point_at_the_clause_text(path):
    """The guarantee: clause.text is text[start:end], whitespace collapsed, running lines left out."""
    document = read_document(path)
    for clause in document.clauses:
        assert 0 <= clause.start < clause.end <= len(document.text)
        assert span_text(document.text, clause) == clause.text, clause.unit
    if path == SAMPLE:  # no running lines at all: a plain whitespace-normalised slice
        for clause in document.clauses:
            assert re.sub(r"\s+", " ", document.text[clause.start:clause.end]).strip() == clause.text


# --------------------------------------------------------------------------- readers

def test_sample_bill_reads_as_the_quickstart_expects():
    document = read_document(SAMPLE)
    assert isinstance(document, Document)
    assert (document.doc_id, document.format, document.notes) == (SAMPLE.stem, "txt", [])
    assert len(document.clauses) == 157
    assert len({clause.clause_id for clause in document.clauses}) == 157
    assert by_unit(document.clauses, "s. 22(1)").text.startswith("A person who intentionally publishes false")
    assert SUPPORTED_SUFFIXES == frozenset({".txt", ".pdf", ".docx", ".html", ".htm", ".xml"})


def test_pdf_reader_drops_running_header_and_page_numbers():
    document = read_document(BILLS / "coe_convention_on_cybercrime_ets185.pdf")
    assert document.format == "pdf"
    assert "ETS 185 – Convention" not in document.text
    assert not re.search(r"^\d+$", document.text, re.MULTILINE)
    assert any("running header" in note for note in document.notes)
    assert by_unit(document.clauses, "art. 2").heading[-2:] == [
        "Title 1 – Offences against the confidentiality, integrity and availability of computer data and systems",
        "Illegal access"]


def test_docx_reader_keeps_body_and_rebuilds_word_numbering(tmp_path):
    document = read_document(BILLS / "ke_computer_misuse_and_cybercrimes_act_2018.docx")
    assert "Computer Misuse and Cybercrimes          2018" not in document.text  # the page header
    assert by_unit(document.clauses, "s. 14(1)").heading[-1] == "Unauthorised access"
    import docx

    word = docx.Document()
    word.add_heading("PART I – PRELIMINARY", level=1)
    for text in ("This Act may be cited as the Computer Misuse Act.", "A person who hacks commits an offence."):
        word.add_paragraph(text, style="List Number")  # Word draws "1." and "2.": they are not in the text
    word.save(tmp_path / "numbered.docx")
    numbered = read_document(tmp_path / "numbered.docx")
    assert units(numbered.clauses) == ["s. 1", "s. 2"]
    assert any("numbering" in note for note in numbered.notes)


def test_html_reader_takes_the_statute_not_the_page_furniture(tmp_path):
    document = read_document(BILLS / "coe_convention_on_cybercrime_ets185_procedural.html")
    for furniture in ("Skip to main content", "Treaty Office", "cookies", "Explanatory Report", "Strasbourg", "gtag"):
        assert furniture not in document.text
    assert by_unit(document.clauses, "art. 14(2)").text.endswith(
        "(c) the collection of evidence in electronic form of a criminal offence.")
    page = tmp_path / "bill.htm"
    page.write_text("<html><body><nav>Home | Bills</nav><p>1. Short title</p><p>This Act may be cited as the Demo Act.</p>"
                    "<p>2. Offence</p><ol><li>A person who hacks commits an offence.</li><li>It is a defence to act with "
                    "consent.</li></ol></body></html>", encoding="utf-8")
    small = read_document(page)
    assert units(small.clauses) == ["s. 1", "s. 2(1)", "s. 2(2)"]
    assert small.format == "html" and "Home" not in small.text


def test_deeply_nested_html_is_read_without_recursion(tmp_path):
    # 1,000 nested <div>s (page builders nest that deep) overflowed Python's stack in the reader's walk.
    page = tmp_path / "nested.html"
    depth = 5_000
    page.write_text("<html><body>" + "<div>" * depth + "<p>1. Short title</p><p>This Act may be cited.</p>"
                    "<p>2. Offence</p><ol><li>A person who hacks commits an offence.</li><li>It is a defence.</li>"
                    "</ol>" + "</div>" * depth + "</body></html>", encoding="utf-8")
    document = read_document(page)
    assert units(document.clauses) == ["s. 1", "s. 2(1)", "s. 2(2)"]
    assert by_unit(document.clauses, "s. 2(2)").text == "It is a defence."


def test_akoma_ntoso_units_eids_and_exact_offsets():
    document = read_document(BILLS / "ke_computer_misuse_and_cybercrimes_act_2018.xml")
    assert document.format == "xml"
    clause = by_unit(document.clauses, "s. 14(1)")
    assert clause.clause_id.endswith(":part_III__sec_14__subsec_1")
    assert clause.heading == ["Part III – OFFENCES", "Unauthorised access"]
    assert by_unit(document.clauses, 's. 24(3) "publish"').text.startswith('"publish" includes to—')
    assert all(document.text[c.start:c.end] == c.text for c in document.clauses)


# --------------------------------------------------------------------------- bad input

def _pdf(tmp_path, name, encrypt=None):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_blank_page(595, 842)
    if encrypt:
        writer.encrypt(user_password=encrypt, algorithm="RC4-128")
    path = tmp_path / name
    with open(path, "wb") as stream:
        writer.write(stream)
    return path


@pytest.mark.parametrize("name, content, problem", [
    ("missing.txt", None, "file not found"),
    ("empty.txt", b"", "file is empty"),
    ("binary.txt", b"\x00\x01\x02PK\x03\x04", "binary"),
    ("latin1.txt", "1. Short title\nThis Act applies to caf\u00e9s.\n".encode("latin-1"), "invalid UTF-8"),
    ("corrupt.pdf", b"%PDF-1.4\n1 0 obj garbage", "not a readable PDF"),
    ("corrupt.docx", b"PK\x03\x04 this is not a zip archive", "not a readable .docx"),
    ("notes.xml", b"<?xml version='1.0'?><notes><note>hi</note></notes>", "not Akoma Ntoso"),
    ("broken.xml", b"<akomaNtoso><act>", "not well-formed XML"),
    ("bill.rtf", b"{\\rtf1 A person who hacks}", "unsupported file type"),
])
def test_bad_files_raise_one_clear_input_error(tmp_path, name, content, problem):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert problem in str(caught.value)
    assert caught.value.path == str(path)
    assert "\n" not in str(caught.value)


def test_invalid_utf8_names_the_line(tmp_path):
    path = tmp_path / "bill.txt"
    path.write_bytes(b"1. Short title\nThis Act applies to caf\xe9s.\n")
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert caught.value.line == 2 and "re-save the bill as UTF-8" in str(caught.value)


def test_scanned_pdf_says_ocr_is_needed(tmp_path):
    with pytest.raises(InputError, match=r"no text layer.*--ocr") as caught:
        read_document(_pdf(tmp_path, "scan.pdf"))
    assert "no text layer" in str(caught.value) and "--ocr" in str(caught.value)


def test_encrypted_pdf_is_refused_with_a_fix(tmp_path):
    with pytest.raises(InputError, match="encrypted"):
        read_document(_pdf(tmp_path, "locked.pdf", encrypt="secret"))


def test_size_limit_is_a_parameter(tmp_path):
    path = tmp_path / "bill.txt"
    path.write_text("1. Short title\nThis Act may be cited as the Demo Act.\n" * 50, encoding="utf-8")
    with pytest.raises(InputError, match="over the .* MB limit"):
        read_document(path, max_bytes=1000)
    assert read_document(path, max_bytes=10_000).clauses


def test_docx_zip_without_a_document_part_is_refused(tmp_path):
    path = tmp_path / "hollow.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    with pytest.raises(InputError, match="not a readable .docx"):
        read_document(path)


def test_repeated_short_lines_are_found_in_linear_time():
    # A consolidation can hold tens of thousands of "[Repealed]" lines: 95,000 took 35 s when each
    # occurrence looked ahead over the rest of the document for the next line.
    def segment(lines: int):
        return segment_text("1. Short title\nThis Act may be cited.\n" + "[Repealed]\n" * lines, "bill")

    assert growth(segment, 20_000, 40_000) < 3
    result = segment(40_000)
    assert units(result.clauses) == ["s. 1"]
    assert "left 40000 running header, footer or page-number lines out of clause text" in result.notes


def test_an_overlong_clause_is_noted_by_its_unit_and_kept_whole(tmp_path, caplog):
    path = tmp_path / "bill.txt"
    body = "A person who hacks a computer system commits an offence " * 2_000  # 112,000 characters
    path.write_text(f"1. Short title\nThis Act may be cited.\n2. Offences\n{body}\n3. Penalty\nA fine.\n",
                    encoding="utf-8")
    with caplog.at_level("WARNING"):
        document = read_document(path)
    assert len(by_unit(document.clauses, "s. 2").text) == len(body.strip())
    notes = [note for note in document.notes if "s. 2" in note]
    assert len(notes) == 1 and f"{len(body.strip()):,} characters" in notes[0] and "over 100,000" in notes[0]
    assert "s. 1" not in " ".join(document.notes)
    assert str(path) in caplog.text and "s. 2" in caplog.text


def _docx_with_body(tmp_path, name: str, paragraphs: list[str]) -> Path:
    """A .docx whose document.xml holds `paragraphs`, written straight into the zip (python-docx would take minutes)."""
    import docx

    word = docx.Document()
    word.add_paragraph("1. Short title")
    word.save(tmp_path / "base.docx")
    with zipfile.ZipFile(tmp_path / "base.docx") as source:
        xml = source.read("word/document.xml").decode()
        head, _, rest = xml.partition("<w:body>")
        body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
        path = tmp_path / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "word/document.xml":
                    data = f"{head}<w:body>{body}{rest.split('</w:p>', 1)[1]}".encode()
                target.writestr(item.filename, data)
    return path


def test_docx_that_unpacks_far_beyond_its_size_is_refused_before_parsing(tmp_path, monkeypatch):
    # About 100 KB on disk, 20 MB of XML inside: it ran for over 5 minutes when only the file's own size was checked.
    path = _docx_with_body(tmp_path, "bomb.docx", ["A person who hacks commits an offence."] * 320_000)
    assert path.stat().st_size < 200_000
    import docx

    monkeypatch.setattr(docx, "Document", lambda *args: pytest.fail("the archive was opened for parsing"))
    with pytest.raises(InputError) as caught:
        read_document(path)
    message = str(caught.value)
    assert "word/document.xml" in message and "times" in message and "max_ratio" in message
    assert "\n" not in message


def test_docx_unpacked_size_is_held_to_the_size_limit(tmp_path):
    import random

    words = random.Random(1).choices(["person", "computer", "offence", "data", "system", "access", "court"], k=60_000)
    paragraphs = [" ".join(words[i:i + 12]) + "." for i in range(0, len(words), 12)]  # 460 KB of XML, 1.4 MB in all
    path = _docx_with_body(tmp_path, "long.docx", paragraphs)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(InputError, match=r"unpacks to 1\.\d MB, over the 1\.0 MB limit.*max_bytes"):
        read_document(path, max_bytes=1_000_000)
    assert read_document(path, max_bytes=2_000_000).clauses


# --------------------------------------------------------------------------- fixtures: boundary precision and recall

def test_boundaries_on_real_bills_reach_095_per_format():
    pooled: dict[str, list[int]] = {}
    for path in sorted(BILLS.glob("*.expected.json")):
        expected = load_expected(path)
        document = read_document((path.parent / expected["document"]).resolve())
        assert document.format == expected["format"], path.name
        result = score(document.clauses, expected["clauses"])
        totals = pooled.setdefault(document.format, [0, 0, 0])
        totals[0] += result.matched
        totals[1] += result.predicted
        totals[2] += result.expected
    assert set(pooled) == {"txt", "pdf", "docx", "html", "xml"}
    for fmt, (matched, predicted, expected_count) in pooled.items():
        assert matched / predicted >= 0.95, fmt
        assert matched / expected_count >= 0.95, fmt


def test_boundary_score_counts_a_split_clause_and_a_glued_header():
    from clauseclf.schema import Clause

    expected = [{"unit": "s. 1", "starts": "This Act", "ends": "Demo Act."}, {"unit": "s. 2", "starts": "A person", "ends": "offence."}]
    good = [Clause("d", "d:1", "This Act may be cited as the Demo Act.", "s. 1"),
            Clause("d", "d:2", "A person who hacks commits an offence.", "s. 2")]
    assert (score(good, expected).precision, score(good, expected).recall) == (1.0, 1.0)
    glued = [good[0], Clause("d", "d:2", "A person who hacks commits an offence. Page 2", "s. 2")]
    assert score(glued, expected).recall == 0.5
    split = [good[0], Clause("d", "d:2", "A person who hacks", "s. 2"), Clause("d", "d:3", "commits an offence.", "s. 2")]
    result = score(split, expected)
    assert (result.precision, result.recall, result.missed) == (pytest.approx(1 / 3), 0.5, ["s. 2"])


# --------------------------------------------------------------------------- the command

@pytest.fixture
def runner_app():
    app = typer.Typer()
    app.command("segment")(segment_command)
    app.command("other")(lambda: None)  # two commands, so that "segment" is addressed by name as in the CLI
    return app


def test_segment_command_table_and_jsonl(runner_app):
    table = CliRunner().invoke(runner_app, ["segment", str(SAMPLE)])
    assert table.exit_code == 0, table.output
    assert "s. 14(1)" in table.output and "157 clauses" in table.output
    lines = CliRunner().invoke(runner_app, ["segment", str(MAURITIUS), "--format", "jsonl"]).stdout.splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert records[1]["unit"] == "s. 1" and set(records[1]) == {"doc_id", "clause_id", "text", "unit", "heading", "start", "end"}


def test_segment_command_help_and_bad_input(runner_app, tmp_path):
    help_text = " ".join(CliRunner().invoke(runner_app, ["segment", "--help"]).output.split())
    assert "Example: clauseclf segment data/examples/ke_computer_misuse_and_cybercrimes_act_2018.txt" in help_text
    bad = CliRunner().invoke(runner_app, ["segment", str(SAMPLE), "--format", "csv"])
    assert bad.exit_code == 2
    missing = CliRunner().invoke(runner_app, ["segment", str(tmp_path / "nope.pdf")])
    assert missing.exit_code == InputError.exit_code and "file not found" in missing.output
