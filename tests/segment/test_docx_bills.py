"""Word files as their publishers issue them (tests/fixtures/bills/real): one test per failure class of the
DOCX reader, each built from a real file (Qatar's Law No. (14) of 2014 as Al Meezan publishes it)."""

from __future__ import annotations

from pathlib import Path

from clauseclf.segment import read_document

QATAR = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "bills" / "real" / "qa_cybercrime_prevention_law_2014.docx"


def _removed(document, reason: str) -> list[str]:
    return [line.text for line in document.removed if line.reason == reason]


def test_the_centred_title_and_the_signature_block_are_left_out_and_reported():
    document = read_document(QATAR)
    assert _removed(document, "title of the law (centred above its text)") == [
        "Law No. (14) of 2014", "Promulgating the Cybercrime Prevention Law", "The Cybercrime Prevention Law"]
    assert _removed(document, "signature and date") == [
        "Tamim Bin Hamad Al Thani", "Amir of the State of Qatar", "Issued at the Amiri Diwan on :  20/11/1435 (H)",
        "Corresponding to    :  15/09/2014 (AD)"]
    preamble = document.clauses[0]
    assert preamble.unit == "preamble" and preamble.text.startswith("We, Tamim bin Hamad Al- Thani,")
    assert preamble.text.endswith("Have decided the following Law:")


def test_a_promulgating_law_and_the_law_it_promulgates_are_cited_apart():
    # The promulgating law's Articles (1)-(5), then the Law's own Article (1) onwards.
    units = [clause.unit for clause in read_document(QATAR).clauses]
    assert units[:6] == ["preamble"] + [f"promulgation art. {n}" for n in range(1, 6)]
    assert units[-1] == "art. 54" and "art. 2" in units
    last_promulgated = next(c for c in read_document(QATAR).clauses if c.unit == "promulgation art. 5")
    assert last_promulgated.text.endswith("it shall be published in the Official Gazette.")


def test_a_table_of_definitions_gives_a_line_per_term_and_meaning():
    # Right to left: the meaning in the first cell, the term ("Traffic Data:") in the second; one row holds two.
    text = read_document(QATAR).text
    assert "\nInformation Technology: Any mean, tangible or intangible" in text
    assert "\nTraffic Data: Any electronic data or information generated" in text
    assert "\nOfficial Electronic Document: An official document issued through governmental" in text
    assert "\nSubscriber Information: Any information available to the service provider relating to the service " \
           "subscribers, including:\nType of the used communication service" in text


def test_a_line_break_inside_a_paragraph_starts_a_line():
    # One paragraph: "(Crimes Pertaining to Electronic Transactions Cards)" <w:br/> "Article (12)".
    document = read_document(QATAR)
    assert "\n(Crimes Pertaining to Electronic Transactions Cards)\nArticle (12)\n" in document.text
    article = next(clause for clause in document.clauses if clause.unit == "art. 12")
    assert article.text.startswith("A sentence of not more than three years")


def test_definitions_written_term_colon_meaning_after_a_lead_in_on_meanings():
    clauses = {clause.unit: clause for clause in read_document(QATAR).clauses}
    assert clauses["art. 1"].text.endswith("shall have the meanings respectively assigned thereto, unless the "
                                           "context requires otherwise:")
    assert clauses['art. 1 "Information Technology"'].text.startswith("Information Technology: Any mean, tangible")
    subscriber = clauses['art. 1 "Subscriber Information"'].text
    assert subscriber.endswith("installed according to the service agreement.")  # its sub-list stays with it
    assert "art. 2" in clauses and not any(unit.startswith('art. 2 "') for unit in clauses)


def test_a_part_named_on_the_line_below_and_a_long_chapter_name_in_brackets_are_headings():
    # "Part Two" / "Crimes" / "Chapter One" / "(Crimes of Unauthorized Access to Information Systems, Software,
    # Networks and Websites)" / "Article (2)".
    article = next(clause for clause in read_document(QATAR).clauses if clause.unit == "art. 2")
    assert article.heading == ["Part Two – Crimes", "Chapter One (Crimes of Unauthorized Access to Information "
                                                    "Systems, Software, Networks and Websites)"]
    assert article.text.startswith("Any person who through an information network")
