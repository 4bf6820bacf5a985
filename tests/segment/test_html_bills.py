"""Legislation web pages as their sites publish them (tests/fixtures/bills/real): one test per failure class of
the HTML reader, each built from a real page (provenance in the fixtures' README)."""

from __future__ import annotations

from pathlib import Path

from clauseclf.segment import read_document

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "bills" / "real"
CANADA = REAL / "ca_cooperative_energy_act_1982.html"
CAPE_TOWN = REAL / "za-cpt_graffiti_by-law_2010.html"
OREGON = REAL / "us-or_ors_chapter_165_fraud_deception.html"


def _removed(document, reason: str) -> list[str]:
    return [line.text for line in document.removed if line.reason == reason]


def test_site_notices_and_the_title_block_are_left_out_and_reported():
    # Justice Laws Website: "This Web page has been archived on the Web.", the version line, then the Act's
    # title, chapter number, assent date and long title above the enacting formula.
    document = read_document(CANADA)
    assert document.text.startswith("Her Majesty, by and with the advice and consent of the Senate")
    assert _removed(document, "site notice") == ["This Web page has been archived on the Web.",
                                                 "Version of document from 2002-12-31 to 2005-03-31:"]
    assert _removed(document, "preface (title, number, date)") == [
        "Cooperative Energy Act", "S.C. 1980-81-82-83, c. 108", "Assented to 1982-07-07",
        "An Act to establish the Cooperative Energy Corporation and the Cooperative Energy Development Corporation"]


def test_a_header_inside_the_statute_heads_its_schedule_and_is_kept():
    # The schedule's number and title sit in a <header> of the schedule's own <div>, not the page's banner.
    document = read_document(CANADA)
    assert "\nSCHEDULE (Section 5) ARTICLES OF INCORPORATION OF THE CORPORATION\n" in document.text


def test_footnotes_their_markers_and_historical_notes_are_not_statute_text():
    # "*14. (1) Any two of the first directors ..." with "[Note: Part II in force July 9, 1982, ...]" below it;
    # "1980-81-82-83, c. 108, s. 2; 1994, c. 41, s. 37." after section 2.
    document = read_document(CANADA)
    assert "\n14.  (1) Any two of the first directors" in document.text
    assert any(note.endswith("[Note: Part II in force July 9, 1982, see SI/82-148.]")
               for note in _removed(document, "footnote"))
    assert _removed(document, "footnote marker").count("*") == 3
    history = _removed(document, "historical note (the Acts that enacted or amended the provision)")
    assert history[:2] == ["1980-81-82-83, c. 108, s. 2;", "1994, c. 41, s. 37."]
    assert "c. 108, s. 2;" not in document.text


def test_a_defined_term_printed_again_in_the_margin_is_left_out():
    # <dt>"Agreement" / « Entente »</dt><dd>"Agreement" means ...</dd>: the term once, as the definition says it.
    document = read_document(CANADA)
    assert "\n“Agreement” means the Canada/Cooperative Energy Investment Agreement" in document.text
    assert "« Entente »" not in document.text
    assert _removed(document, "defined term repeated in the margin")[:2] == ["“Agreement”", "« Entente »"]


def test_a_heading_made_of_spans_keeps_a_space_between_label_and_title():
    # <h1><span class="HLabel1">PART I</span><span class="HTitleText1">COOPERATIVE ENERGY CORPORATION</span></h1>
    document = read_document(CANADA)
    assert "\nPART I COOPERATIVE ENERGY CORPORATION\n" in document.text
    assert "PART ICOOPERATIVE" not in document.text


def test_akoma_ntoso_rendered_as_html_is_read_block_by_block():
    # openbylaws.org.za writes each statute paragraph as an inline <span class="akn-p"> with nothing between
    # them: section 5(1) is split over two spans ("... when it" + "has been served—").
    document = read_document(CAPE_TOWN)
    assert "ithas" not in document.text and "when it\n\nhas been served—" in document.text
    assert '\nIn this By-law, unless the context indicates otherwise—\n\n"apply" means to paint' in document.text
    # Numbers stay on the line of the text they number: "(a) property;", not "(a)" / "property;".
    assert "\n(a) property;\n" in document.text
    # The site's cover page, notices and history panel are outside the rendered statute, and reported.
    assert document.text.startswith("Preamble\n\nWHEREAS section 156 (2) of the Constitution")
    outside = _removed(document, "page text outside the statute (site furniture)")
    assert "COVID-19 Regulations" in outside and "History of this By-law" in outside


def test_oregon_history_brackets_repealed_stubs_and_editors_notes_are_left_out():
    document = read_document(OREGON)
    assert "[1971 c.743 §151; 2001 c.535 §27]" in _removed(
        document, "history note (the Acts that enacted or amended the section)")
    assert "\n(10) “Signature” includes, but is not limited to, an electronic signature, as defined in ORS 84.004.\n" \
        in document.text
    assert "165.005 [Amended by 1955 c.435 §1; repealed by 1971 c.743 §432]" in _removed(
        document, "section repealed or renumbered (its history note only)")
    notes = _removed(document, "editor's note")
    assert len(notes) == 1 and notes[0].startswith("Note: Legislative Counsel has substituted")
    assert "[1971 c.743" not in document.text and "Legislative Counsel" not in document.text


# --------------------------------------------------------------------------- how the text is cut

def _units(document) -> dict:
    return {clause.unit: clause for clause in document.clauses}


def test_a_subsection_keeps_its_own_marginal_note():
    # "Dissolution of Corporation" stands above "(2) The Corporation may be dissolved ...": the note of (2), not
    # the end of (1).
    clauses = _units(read_document(CANADA))
    assert clauses["s. 3(1)"].text.endswith("“Société coopérative de l’énergie” in French.")
    assert clauses["s. 3(1)"].heading[-1] == "Cooperative Energy Corporation incorporated"
    assert clauses["s. 3(2)"].heading[-2:] == ["Cooperative Energy Corporation incorporated", "Dissolution of Corporation"]
    assert clauses["s. 7(2)"].heading[-1] == "Idem"


def test_a_heading_in_capitals_above_the_first_sections_note_is_a_heading():
    # "SHORT TITLE" / "Short title" / "1. This Act may be cited ...", just after the enacting formula.
    clauses = _units(read_document(CANADA))
    assert clauses["s. 1"].heading == ["SHORT TITLE", "Short title"]
    assert clauses["preamble"].text.endswith("House of Commons of Canada, enacts as follows:")


def test_definitions_after_a_lead_in_that_ends_with_a_comma():
    # "2. (1) In this Act," then one definition per paragraph.
    clauses = _units(read_document(CANADA))
    assert clauses["s. 2(1)"].text == "In this Act,"
    assert clauses['s. 2(1) "Agreement"'].text.startswith("“Agreement” means the Canada/Cooperative Energy")
    assert clauses['s. 2(1) "Minister"'].text == "“Minister” means the Minister of Natural Resources."


def test_a_subsection_or_definition_typed_into_the_one_before_is_cut_out():
    # Cape Town typed s. 11(2) inside (1) ("... guilty of an offence. (2) Any person convicted ...") and two
    # definitions in one paragraph ('"public property" means ...; "private property" means ...').
    clauses = _units(read_document(CAPE_TOWN))
    assert clauses["s. 11(1)"].text == ("Any person who fails to comply with any provision of this By-Law shall be "
                                        "guilty of an offence.")
    assert clauses["s. 11(2)"].text.startswith("Any person convicted of an offence in terms of this By-law shall—")
    assert clauses["s. 11(5)"].text.startswith("A court convicting a person of an offence")
    assert clauses['s. 1 "public property"'].text.endswith("owned by an organ of state;")
    assert clauses['s. 1 "private property"'].text == '"private property" means immovable property owned by a private person;'


def test_a_line_that_says_preamble_heads_the_preamble():
    preamble = read_document(CAPE_TOWN).clauses[0]
    assert (preamble.unit, preamble.heading) == ("preamble", ["Preamble"])
    assert preamble.text.startswith("WHEREAS section 156 (2) of the Constitution")


def test_a_code_with_decimal_section_numbers_catchlines_and_a_table_of_sections():
    # "165.007 Forgery in the second degree. (1) A person commits ...", after a table of sections with no title.
    document = read_document(OREGON)
    clauses = _units(document)
    assert clauses["s. 165.007(1)"].heading[-1] == "Forgery in the second degree"
    assert clauses["s. 165.007(1)"].text.startswith("A person commits the crime of forgery in the second degree if")
    assert clauses["s. 165.002"].heading[-1] == "Definitions for ORS 165.002 to 165.070"
    assert clauses["s. 165.002"].text.startswith("As used in ORS 165.002 to 165.027")
    # A catchline alone on its line: the body starts on the next.
    assert clauses["s. 165.070(1)"].heading[-1] == "Possessing fraudulent communications device"
    contents = [line.text for line in document.removed if line.reason == "table of contents"]
    assert contents[0] == "165.002 Definitions for ORS 165.002 to 165.070" and len(contents) > 70


def test_numbered_definitions_under_a_lead_in_are_subsections():
    # "As used in ORS 165.002 to 165.070, unless the context requires otherwise:" / "(1) “Written instrument” ..."
    # / "(4) To “falsely make” a written instrument means ...".
    clauses = _units(read_document(OREGON))
    assert clauses["s. 165.002(1)"].text.startswith("“Written instrument” means any paper")
    assert clauses["s. 165.002(4)"].text.startswith("To “falsely make” a written instrument means")
    assert clauses["s. 165.047(2)(a)"].text.startswith("“Coin machine” means a coin box")


def test_a_section_line_with_its_catchline_and_first_number_is_not_reported_as_removed():
    # "165.007 Forgery in the second degree. (1) A person commits ...": the number, catchline and "(1)" are in the
    # heading path and the unit; the rest of the line is the clause. Only headings with no clause are reported.
    document = read_document(OREGON)
    reported = _removed(document, "heading or title with no clause under it")
    assert reported == ["2021 EDITION", "CRIMES AND PUNISHMENTS"]
