"""Printer's and gazette PDFs as published (tests/fixtures/bills/real): one test per failure class of the PDF
reader and of the splitter rules its text needs, each built from the real document."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pypdf import PdfReader

from clauseclf.segment import read_document, segment_text
from clauseclf.segment.pdf_layout import MarginNote, lines_of_pages

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "bills" / "real"
LK_OSA = REAL / "lk_online_safety_act_2024.pdf"
LK_PDPA = REAL / "lk_personal_data_protection_act_2022.pdf"


@cache
def document(path: Path):
    """Each real PDF is read once for all the tests (the 44-page Maharashtra Act takes seconds)."""
    return read_document(path)


def units(path: Path) -> dict:
    return {clause.unit: clause for clause in document(path).clauses}


# --------------------------------------------------------------------------- margin notes

def test_margin_notes_are_put_back_above_the_section_they_are_level_with():
    # Sri Lanka, Online Safety Act 2024, page 13: the text layer gives the page's three notes after its body,
    # in the order ss. 14, 15, 13; each is printed level with its section's number, in the left margin.
    page = lines_of_pages(PdfReader(LK_OSA).pages)[0][12]
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
    preamble = document(LK_PDPA).clauses[0]
    assert (preamble.unit, preamble.heading) == ("preamble", ["Preamble"])
    assert preamble.text.startswith("WHEREAS it has become necessary")
    title_page = [line.text for line in document(LK_PDPA).removed if line.reason.startswith("title page")]
    assert "PRINTED AT THE DEPARTMENT OF GOVERNMENT PRINTING, SRI LANKA" in title_page
    assert "L.D.—O. 19/2019." in title_page


def test_small_type_beside_the_text_that_titles_no_section_stays_in_place():
    # Heerlen, Parkeerverordening 2025, page 1: a side panel in the left margin ("Datum:", "Registratienummer:");
    # Greece, ΦΕΚ Α΄ 89/2018, page 4: the printer's colophon in small type. Neither titles a section.
    for path in (REAL / "nl_heerlen_parkeerverordening_2025.pdf", REAL / "gr_law_4539_2018_anaplasi_athinas.pdf"):
        pages, _ = lines_of_pages(PdfReader(path).pages)
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


# --------------------------------------------------------------------------- India Code: revised editions

IN_DOWRY = REAL / "in_dowry_prohibition_act_1961.pdf"
IN_MH = REAL / "in-mh_maharashtra_rent_control_act_1999.pdf"


def test_raised_footnote_marks_are_taken_out_of_the_text_and_reported():
    # India, Dowry Prohibition Act 1961 (India Code), page 2: "such date¹ as", "—⁵[(1)] If any person".
    assert "on such date as the Central Government may" in units(IN_DOWRY)["s. 1(3)"].text
    marks = [(line.page, line.text) for line in document(IN_DOWRY).removed if line.reason == "footnote mark in the text"]
    assert marks[:9] == [(2, str(n)) for n in range(1, 10)]
    # A raised "st" of "1st" is not a footnote mark: Maharashtra Rent Control Act 1999, s. 7(3).
    assert "before the 7th December 1996" in units(IN_MH)["s. 7(3)"].text


def test_an_amendment_bracket_before_a_number_goes_with_the_number():
    # Dowry Prohibition Act: "[(1)] If any person", "[4. Penalty for demanding dowry.—If", "[(3A) Where".
    clauses = units(IN_DOWRY)
    assert clauses["s. 3(1)"].text.startswith("If any person, after the commencement of this Act")
    assert clauses["s. 4"].heading == ["Penalty for demanding dowry"]
    assert clauses["s. 4"].text.startswith("If any person demands") and clauses["s. 4"].text.endswith("six months.]")
    assert clauses["s. 6(3A)"].text.startswith("Where a person convicted under sub-section (2)")


def test_the_enacting_words_open_the_preamble_after_the_contents_and_the_title_block():
    # Dowry Prohibition Act: title page, ARRANGEMENT OF SECTIONS, then the title, "ACT NO. 28 OF 1961", the date
    # of assent and the long title again, then "BE it enacted by Parliament ...".
    dowry = document(IN_DOWRY)
    assert (dowry.clauses[0].unit, dowry.clauses[0].text) == (
        "preamble", "BE it enacted by Parliament in the Twelfth Year of the Republic of India as follows:—")
    title = [line.text for line in dowry.removed if line.reason.startswith("title, number, date or long title")]
    assert title == ["THE DOWRY PROHIBITION ACT, 1961", "(Modified as on 3rd December, 2018)", "________",
                     "THE DOWRY PROHIBITION ACT, 1961", "ACT NO. 28 OF 1961", "[20th May, 1961.]",
                     "An Act to prohibit the giving or taking of dowry."]
    assert any(line.reason == "table of contents" and line.text == "10. Power of the State Government to make rules."
               for line in dowry.removed)


def test_a_section_title_that_wraps_or_ends_its_line_with_its_dash_is_read_whole():
    # Dowry Prohibition Act s. 8: "... bailable and" / "non-compoundable.—(1) The Code ..."; Maharashtra Rent
    # Control Act s. 6: "... certain premises.—" / "Notwithstanding anything ...".
    dowry = units(IN_DOWRY)
    assert dowry["s. 8(1)"].heading == ["Offences to be cognizable for certain purposes and to be bailable and "
                                        "non-compoundable"]
    assert dowry["s. 8(1)"].text.startswith("The Code of Criminal Procedure, 1973")
    rent = units(IN_MH)["s. 6"]
    assert rent.heading[-1] == "Provisions with regard to standard rent not to apply to certain premises"
    assert rent.text.startswith("Notwithstanding anything contained in this Act")


def test_an_omission_line_is_reported_not_kept_in_the_clause():
    # Dowry Prohibition Act s. 2: the omitted Explanation I is printed as a line of asterisks.
    definition = units(IN_DOWRY)["s. 2"]
    assert "*" not in definition.text and "applies. Explanation II.—The expression" in definition.text
    assert [line.reason for line in document(IN_DOWRY).removed if line.text.startswith("*")] == [
        "omission mark (text left out by the publisher)"]


def test_numbered_definitions_after_a_lead_in_are_one_clause_each():
    # Maharashtra Rent Control Act 1999, s. 7: "(1) “Competent Authority” means ...", "(2) “Government allottee”,—",
    # "(5) “Licensee” in respect of ...", "(12) “repealed Act” or “repealed Acts” means ...".
    clauses = units(IN_MH)
    assert clauses["s. 7"].text == "In this Act, unless there is anything repugnant to the subject or context,—"
    assert [unit for unit in clauses if unit.startswith("s. 7(")] == [f"s. 7({n})" for n in range(1, 16)]
    assert clauses["s. 7(12)"].text.startswith("“repealed Act” or “repealed Acts” means")
    # Definitions inside a numbered subsection keep it in their unit (Kenya, Computer Misuse Act 2018, s. 24(3)).
    text = ("24. (1) A person who publishes child pornography commits an offence.\n(2) It is a defence to act for the "
            "public good.\n(3) For purposes of this section—\n\"child\" means a person under the age of eighteen years;\n"
            "\"child pornography\" includes data which depicts a child.\n")
    assert [clause.unit for clause in segment_text(text, "ke").clauses][-2:] == ['s. 24(3) "child"',
                                                                               's. 24(3) "child pornography"']


def test_a_hyphen_at_a_line_end_is_kept_when_the_act_spells_the_word_with_it():
    # Maharashtra Rent Control Act 1999, s. 7(2): "Co-" / "operative Society", an Act that writes "Co-operative".
    assert "any Co-operative Society registered under the Maharashtra" in units(IN_MH)["s. 7(2)"].text
    # A word the act also writes whole is the printer's break, even where a slip hyphenates it inside a line
    # (Greece, ΦΕΚ Α΄ 89/2018, art. 3: "έναν εκ-πρόσωπο" in a line, "έναν εκ-" / "πρόσωπο" across two).
    text = ("Άρθρο 1\nΣύσταση\n1. Ο εκ-πρόσωπο του Δήμου και ο εκπρόσωπο της Περιφέρειας.\n2. Ένας εκ-\n"
            "πρόσωπο του Υπουργείου και η ανά-\nπλαση.\nΆρθρο 2\nΈναρξη\nΗ ισχύς αρχίζει.\nΆρθρο 3\nΤέλος\nΤέλος.\n")
    clauses = segment_text(text, "gr").clauses
    assert clauses[1].text == "Ένας εκπρόσωπο του Υπουργείου και η ανάπλαση."


# --------------------------------------------------------------------------- a council's regulation (Heerlen)

NL = REAL / "nl_heerlen_parkeerverordening_2025.pdf"


def test_a_side_panel_left_of_the_text_is_reported_not_glued_to_the_page_last_clause():
    # Heerlen, Parkeerverordening 2025, page 1: "Datum:", "18-12-2024", "Vastgesteld door:" ... in the left margin,
    # given by the text layer after the page's body. A schedule's table, left of the body too, stays (Maharashtra
    # Rent Control Act 1999, Schedule II: "1 Navi Mumbai 3,07,297 Thane").
    clauses = units(NL)
    assert clauses["art. 1(5)"].text.endswith("natuurlijke personen uit meer dan één huishouden.")
    panel = [(line.page, line.text) for line in document(NL).removed if line.reason == "side panel beside the text"]
    assert panel[:3] == [(1, "Datum:"), (1, "18-12-2024"), (1, "Vastgesteld door:")]
    assert any("1 Navi Mumbai 3,07,297 Thane" in clause.text for clause in document(IN_MH).clauses)


def test_numbered_term_colon_meaning_definitions_are_one_clause_each():
    # Heerlen, art. 1: "In deze verordening wordt verstaan onder:" then "1. bedrijf: natuurlijke persoon ...".
    clauses = units(NL)
    assert clauses["art. 1"].text == "In deze verordening wordt verstaan onder:"
    assert [unit for unit in clauses if unit.startswith("art. 1(")] == [f"art. 1({n})" for n in range(1, 18)]
    assert clauses["art. 1(13)"].text == "RVV 1990: Reglement verkeersregels en verkeerstekens 1990."


def test_the_closing_formula_and_what_follows_it_are_reported_not_the_last_article():
    # Heerlen, art. 13: a sentence in Dutch under a bare "Artikel 13" is its text, not its title; "Aldus besloten
    # ...", the signatures and the information form after it are not statute text. Greece, ΦΕΚ Α΄ 89/2018:
    # "Παραγγέλλομε τη δημοσίευση ..." and the signatures after art. 10.
    last = units(NL)["art. 13"]
    assert last.text == 'Deze verordening wordt aangehaald als "Parkeerverordening Heerlen 2025".'
    assert last.heading == ["AFDELING V OVERGANGS- EN SLOTBEPALINGEN"]
    closing = [line.text for line in document(NL).removed if line.reason.startswith("closing formula")]
    assert closing[0].startswith("Aldus besloten tijdens de openbare vergadering") and "Formulier algemene informatie" in closing
    greek = units(REAL / "gr_law_4539_2018_anaplasi_athinas.pdf")["art. 10"]
    assert greek.text.endswith("από τη δημοσίευση του στην Εφημερίδα της Κυβερνήσεως.")


# --------------------------------------------------------------------------- a two-column gazette (Greece)

GR = REAL / "gr_law_4539_2018_anaplasi_athinas.pdf"


def test_a_masthead_given_after_the_page_body_is_reported_not_read_into_an_article():
    # Greece, ΦΕΚ Α΄ 89/2018, page 1: "ΕΦΗΜΕΡΙΔΑ / ΤΗΣ ΚΥΒΕΡΝΗΣΕΩΣ / ΤΗΣ ΕΛΛΗΝΙΚΗΣ ΔΗΜΟΚΡΑΤΙΑΣ" and the issue's
    # date come last in the text layer; read in order they cut art. 2(4) in two.
    masthead = [line.text for line in document(GR).removed if line.reason == "masthead above the text"]
    assert "ΕΦΗΜΕΡΙ∆Α" in masthead and "18 Μαΐου 2018 ΤΕΥΧΟΣ  ΠΡΩΤΟ Αρ. Φύλλου 89" in masthead
    clause = units(GR)["art. 2(4)"]
    assert clause.heading == ["Σκοποί"] and "ΕΦΗΜΕΡΙ" not in clause.text
    # A page number run into the running header with a space on one page and not on the next is still a header.
    assert not any("ΚΥΒΕΡΝΗΣΕΩΣ" in clause.text for clause in document(GR).clauses)


def test_capitals_that_go_on_with_a_sentence_are_not_a_heading():
    # ΦΕΚ Α΄ 89/2018, art. 2(4) ε': "... σε επιχειρησιακά προγράμματα" / "ΕΣΠΑ."; art. 3(1): "«ΓΕΝΙΚΟ ΑΝΤΙΚΑΡΚΙΝΙΚΟ
    # - ΟΓΚΟΛΟ-" / "ΓΙΚΟ - ΑΓΙΟΣ ΣΑΒΒΑΣ»." (a word broken in capitals is rejoined).
    clauses = units(GR)
    assert "σε επιχειρησιακά προγράμματα ΕΣΠΑ. στ. Στην ανάληψη" in clauses["art. 2(4)"].text
    assert "«ΓΕΝΙΚΟ ΑΝΤΙΚΑΡΚΙΝΙΚΟ - ΟΓΚΟΛΟΓΙΚΟ - ΑΓΙΟΣ ΣΑΒΒΑΣ». Η θητεία" in clauses["art. 3(1)"].text
    assert clauses["art. 3(1)"].heading == ["Διοικητικό Συμβούλιο"]


def test_a_greek_law_preamble_starts_at_the_president_formula_and_a_title_may_take_two_lines():
    clauses = units(GR)
    assert clauses["preamble"].text == ("Ο ΠΡΟΕΔΡΟΣ ΤΗΣ ΕΛΛΗΝΙΚΗΣ ΔΗΜΟΚΡΑΤΙΑΣ Εκδίδομε τον ακόλουθο νόμο που ψήφισε η "
                                        "Βουλή:")
    assert clauses["art. 9"].heading == ["Τροποποίηση της περίπτωσης ιθ' της παρ. 2 του άρθρου 14 του ν. 2190/1994 (Α΄ 28)"]
    assert clauses["art. 9"].text.startswith("Η περίπτωση ιθ' της παρ. 2")


def test_a_schedule_heading_alone_in_capitals_and_the_printer_imprint_end_the_last_section():
    # Sri Lanka, Online Safety Act 2024: "SCHEDULE" after a cell of its table ("... to such person"), then the
    # Government Printer's imprint.
    assert any(clause.unit.startswith("schedule") and clause.heading[0] == "SCHEDULE" for clause in document(LK_OSA).clauses)
    imprint = [line.text for line in document(LK_OSA).removed if "imprint" in line.reason]
    assert imprint[0].startswith("English Acts of the Parliament can be purchased")
    assert not any("PRAKASHANA" in clause.text.replace(" ", "") for clause in document(LK_OSA).clauses)


# --------------------------------------------------------------------------- an OCR'd scan

NG_LABOUR = REAL / "ng_labour_act_cap_l1_lfn_2004.pdf"


def test_ocr_slips_in_subsection_numbers_still_open_the_subsections():
    # Nigeria, Labour Act (LFN 2004), an Acrobat Paper Capture scan: s. 1's "(1)" was read "(I)", s. 13's "(l)",
    # and s. 5's "(4)" "( 4)"; each still opens its subsection, and the "(2)" after it the next.
    clauses = units(NG_LABOUR)
    assert clauses["s. 1(1)"].text.startswith("Subject to this section- (a) the wages of a worker")
    assert clauses["s. 1(2)"].text.startswith("An employer may provide food")
    assert clauses["s. 5(4)"].text.startswith("No deductions shall be made from the wages and salaries")
    assert "s. 1(I)" not in clauses and "( 4)" not in clauses["s. 5(3)"].text


def test_a_running_footer_read_differently_on_each_page_and_specks_under_it_are_reported():
    # "[Issue lJ Ll-6", "[lssue 1] Ll-12", "Ll-11 [Issue 1]" over ". - -~··--···": one footer, OCR'd four ways.
    clauses = units(NG_LABOUR)
    assert clauses["s. 6(2)"].text.endswith("in accordance with subsection (I) of this section.")
    assert clauses["s. 15"].text.endswith("at intervals not exceeding one month.")
    assert clauses["s. 17(3)"].text.endswith("whose decision shall be final.")
    removed = {(line.reason, line.page) for line in document(NG_LABOUR).removed}
    assert ("no letter or digit at a page's edge", 11) in removed


def test_a_soft_hyphen_at_a_line_end_joins_the_word_whatever_the_case_ocr_gave_the_next_letter():
    assert units(NG_LABOUR)["s. 3"].text.endswith("except in the case of a worker employed on the premIses.")


# --------------------------------------------------------------------------- words split by the text layer

def test_a_word_drawn_in_pieces_on_a_justified_line_is_read_whole():
    # pypdf reads "the decision s made by the co ntroller": the line's word spacing is left out of each
    # piece's width. PDFium's character boxes show no gap at the joins, so the words are joined.
    text = units(LK_PDPA)["s. 17(1)"].text
    assert text.endswith("in respect of the decisions made by the controller under paragraphs (b) or (c).")
    assert "286A, 288, 288A" in units(LK_OSA)["s. 21(1)"].text  # a section number and its letter, as printed
    assert "Δωρεές, κληρονομιές, κληροδοσίες, χορηγίες" in units(GR)["art. 6"].text


def test_letter_spaced_capitals_with_a_space_between_words_are_not_joined():
    # PDFium itself reads the long title's "AND TO PROVIDE FOR MATTERS CONNECTED" without spaces; its
    # character boxes keep a word's gap there, so pypdf's spaces stay.
    lines = [line.text for line in document(LK_PDPA).removed]
    assert any("MATTERS CONNECTED THEREWITH" in line for line in lines)
    assert not any("MATTERSCONNECTED" in line for line in lines)


# --------------------------------------------------------------------------- Maharashtra's ss. 8-23

def test_the_numbered_definitions_of_an_explanation_stay_in_its_subsection():
    # s. 23(2) ends "Explanation.— For the purposes of this section,—" / "(1) “authorised officer” means ..."
    # to "(4) “aided institution” ...": the Explanation's, not subsections (s. 23 has two) or clauses.
    clauses = units(IN_MH)
    assert "s. 23(3)" not in clauses and not any(unit.startswith("s. 23(2)(") for unit in clauses)
    assert clauses["s. 23(2)"].text.endswith("institution for the purposes of this section.")
    assert "For the purposes of this section,— (1) “authorised officer”, in relation to" in clauses["s. 23(2)"].text


def test_a_hyphen_at_a_line_end_is_kept_where_the_text_is_set_without_hyphenation():
    # A Word-made Act breaks a word at a line's end in 4 of 1,748 lines, each a typed compound.
    assert "one-fourth" in units(IN_MH)["s. 14(2)"].text
    assert "air-conditioner" in units(IN_MH)["s. 16(1)"].text


def test_footnotes_in_small_type_at_the_page_foot_are_reported_not_kept_in_the_clause():
    # Page 14's "¹ The short title of the Act has been amended ..." and "² This Act has been repealed by
    # Mah. 23 of 2012, s. 7." fell between s. 16(1)(f) and (g).
    assert "has been repealed" not in units(IN_MH)["s. 16(1)"].text
    removed = [line for line in document(IN_MH).removed if line.reason == "footnote at the page's foot"]
    assert any("This Act has been repealed by Mah. 23 of 2012" in line.text and line.page == 14
               for line in removed)


# --------------------------------------------------------------------------- Nigeria's Labour Act (OCR'd scan)

def test_an_editor_bracketed_citation_of_amending_laws_is_reported_not_kept_in_the_clause():
    clauses = units(NG_LABOUR)
    assert "Cap. T14" not in clauses["s. 5(3)"].text and "Cap. W6" not in clauses["s. 16"].text
    assert clauses["s. 5(5)"].text.endswith("the month in which the overpayment was discovered.")
    assert "editor's citation of amending laws" in {line.reason for line in document(NG_LABOUR).removed}


def test_a_cross_heading_over_sections_that_print_their_own_titles_heads_them():
    # "... construed accordingly." / "Terms and conditions of employment" / "13. Hours of work and overtime"
    clauses = units(NG_LABOUR)
    assert clauses["s. 12(3)"].text.endswith("shall be construed accordingly.")
    assert clauses["s. 13(1)"].heading == ["Terms and conditions of employment", "Hours of work and overtime"]
    assert clauses["s. 7(1)"].heading == ["Contracts of employment", "Written particulars of terms of employment"]
