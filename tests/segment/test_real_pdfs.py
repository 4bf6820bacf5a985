"""Printer's and gazette PDFs as published (tests/fixtures/bills/real): one test per failure class of the PDF
reader and of the splitter rules its text needs, each built from the real document."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from clauseclf.segment import read_document, segment_text
from clauseclf.segment.pdf_layout import MarginNote, lines_of_pages

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "bills" / "real"
LK_OSA = REAL / "lk_online_safety_act_2024.pdf"
LK_PDPA = REAL / "lk_personal_data_protection_act_2022.pdf"


def units(path: Path) -> dict:
    return {clause.unit: clause for clause in read_document(path).clauses}


# --------------------------------------------------------------------------- margin notes

def test_margin_notes_are_put_back_above_the_section_they_are_level_with():
    # Sri Lanka, Online Safety Act 2024, page 13: the text layer gives the page's three notes after its body,
    # in the order ss. 14, 15, 13; each is printed level with its section's number, in the left margin.
    page = lines_of_pages(PdfReader(LK_OSA).pages)[12]
    notes = [(line, page[i + 1][:4]) for i, line in enumerate(page) if isinstance(line, MarginNote)]
    assert notes == [("Communication of false statement amounting to contempt", "13. "),
                     ("Wantonly giving provocation by false statement to cause riot", "14. "),
                     ("Disturbing a religious assembly by a false statement", "15. ")]
    assert page[-1] == "performance of religious worship or religious ceremonies,"  # the body ends the page


def test_margin_notes_are_the_section_titles_not_the_end_of_the_page_last_clause():
    clauses = units(LK_OSA)
    assert clauses["s. 13"].heading[-1] == "Communication of false statement amounting to contempt"
    assert clauses["s. 13"].text.endswith("mutatis mutandis, apply in sentencing such person.")
    # Right-hand notes of an even page (page 14), and a title ending in an abbreviation, as printed.
    assert clauses["s. 16"].heading[-1] == ("Deliberate and malicious communication of false statement to "
                                            "outrage religious feelings")
    assert clauses["s. 19"].heading[-1].endswith("against the State, & c.")
    assert all(clause.heading for unit, clause in clauses.items() if unit.startswith("s. "))


def test_the_preamble_note_ends_the_title_page():
    # Sri Lanka, Personal Data Protection Act 2022, page 2: "Preamble" in the margin, level with "WHEREAS".
    # The cover page and the long title before it are reported, not a clause.
    document = read_document(LK_PDPA)
    preamble = document.clauses[0]
    assert (preamble.unit, preamble.heading) == ("preamble", ["Preamble"])
    assert preamble.text.startswith("WHEREAS it has become necessary")
    title_page = [line.text for line in document.removed if line.reason.startswith("title page")]
    assert "PRINTED AT THE DEPARTMENT OF GOVERNMENT PRINTING, SRI LANKA" in title_page
    assert "L.D.—O. 19/2019." in title_page


def test_small_type_beside_the_text_that_titles_no_section_stays_in_place():
    # Heerlen, Parkeerverordening 2025, page 1: a side panel in the left margin ("Datum:", "Registratienummer:");
    # Greece, ΦΕΚ Α΄ 89/2018, page 4: the printer's colophon in small type. Neither titles a section.
    for path in (REAL / "nl_heerlen_parkeerverordening_2025.pdf", REAL / "gr_law_4539_2018_anaplasi_athinas.pdf"):
        pages = lines_of_pages(PdfReader(path).pages)
        assert not any(isinstance(line, MarginNote) for page in pages for line in page), path.name


# --------------------------------------------------------------------------- what the notes' text needs

def test_a_schedule_named_in_running_text_is_not_a_schedule_heading():
    # Sri Lanka, PDPA 2022, s. 5(c): the line break falls before "Schedule I".
    text = ("5. The processing of personal data shall be lawful if a\ncontroller is in compliance with—\n"
            "(c) all the conditions specified in Schedule III hereto\nin the case of processing personal data based on the\n"
            "consent of the data subject under item ( a) of\nSchedule I or under item (a) of Schedule II hereto;\nor\n"
            "(d) all the conditions specified in Schedule IV hereto\nin the case of processing personal data in respect of\n"
            "criminal investigations.\n6. (1) Every controller shall, ensure that personal data\nis processed for a—\n")
    clauses = segment_text(text, "lk").clauses
    assert [clause.unit for clause in clauses] == ["s. 5", "s. 6(1)"]
    assert "Schedule I or under item (a) of Schedule II hereto; or (d)" in clauses[0].text


def test_a_subsection_number_cited_at_a_line_start_does_not_open_a_subsection():
    # Sri Lanka, Online Safety Act 2024, s. 21(1): "... in subsection" / "(2) of section 364 of the Penal Code";
    # and a wrapped list of Penal Code sections in capitals is not a heading.
    text = ("20. Any person who harasses another commits an offence.\n"
            "21. (1) Any person, whether in or outside Sri Lanka, who,\ncommits or aids and abets an act upon a child, which\n"
            "constitutes an offence within the meaning of section 286 A,\n288, 288A, 288B, 308A, 360A, 360B, 360C, 363, 364 A, 365,\n"
            "365A or 365 B of the Penal Code commits an offence:\nProvided however, in the case of aiding and abetting to\n"
            "respect of a child, every reference to a “woman” in subsection\n(2) of section 364 of the Penal Code shall be read and\n"
            "construed as a reference to a “child” for the purpose of this section.\n"
            "(2) Any person, whether in or outside Sri Lanka, who publishes any photograph commits an offence.\n")
    clauses = segment_text(text, "lk").clauses
    assert [clause.unit for clause in clauses] == ["s. 20", "s. 21(1)", "s. 21(2)"]
    assert clauses[1].heading == [] and "364 A, 365, 365A" in clauses[1].text
    assert clauses[1].text.endswith("for the purpose of this section.")


def test_illustrations_are_a_clause_of_their_own():
    # Sri Lanka, Online Safety Act 2024, s. 20: two definitions in subsection (2), then illustrations of the section.
    clauses = units(LK_OSA)
    assert clauses["s. 20(2)(b)"].text.endswith("which has all such effects.")
    illustrations = clauses["s. 20 illustrations"]
    assert illustrations.text.startswith("Illustrations- (a) X and Y were formerly in a relationship")
    assert illustrations.heading[-1] == "Communicating statements to cause harassment & c."


def test_a_part_title_wrapped_over_capital_lines_is_read_whole():
    # Sri Lanka, Online Safety Act 2024, PART IV.
    text = ("22. Any person who makes a bot commits an offence.\nPART IV\n"
            "MEASURES AGAINST ONLINE COMMUNICATION OF PROHIBITED\nSTATEMENTS  IN SRI LANKA\n"
            "23. (1) A person aggrieved may make a complaint.\n")
    clauses = segment_text(text, "lk").clauses
    assert clauses[-1].unit == "s. 23(1)"
    assert clauses[-1].heading == ["PART IV – MEASURES AGAINST ONLINE COMMUNICATION OF PROHIBITED STATEMENTS IN SRI LANKA"]
