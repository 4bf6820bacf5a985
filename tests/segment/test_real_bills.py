"""The segmenter on real published bills (tests/fixtures/bills/real): the bench's scoring, and one test per
failure class of bills as their publishers issue them, each built from a real document."""

from __future__ import annotations

from pathlib import Path

import pytest

from clauseclf.errors import InputError
from clauseclf.schema import Clause
from clauseclf.segment import read_document, segment_text
from clauseclf.segment.boundaries import load_gold, score_gold

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "bills" / "real"


# --------------------------------------------------------------------------- scoring against the gold

def test_gold_score_counts_lost_words_titles_and_the_run_of_the_gold():
    # Sri Lanka PDPA 2022 s. 18(2), a gold unit, and a clause that lost "or" and its title.
    gold = [{"unit": "s. 18(2)", "heading": "Automated individual decision making",
             "starts": "The provisions of subsection (1)", "ends": "data subject; or",
             "text": "The provisions of subsection (1) shall not apply where (c) based on the consent of the data subject; or"}]
    clauses = [Clause("lk", "lk:1", "Earlier text.", "s. 17", [], 0, 10),
               Clause("lk", "lk:2", "The provisions of subsection (1) shall not apply where (c) based on the consent of the data subject;",
                      "s. 18(2)", ["PART II"], 11, 100),
               Clause("lk", "lk:3", "Later text.", "s. 19", [], 101, 110)]
    result = score_gold(clauses, gold)
    assert (result.predicted, result.matched, result.words_lost, result.lost_sample) == (1, 0, 1, ["or"])
    assert (result.titles, result.titles_reached) == (1, 0)
    assert any("lost" in failure for failure in result.failures())
    # A running header kept in the clause is counted too: words the gold's text lacks.
    clauses[1].text += " or Personal Data Protection Act, No. 9 of 2022"
    result = score_gold(clauses, gold)
    assert (result.words_lost, result.words_added) == (0, 8)
    assert "8 word(s) in clauses that are not statute text" in result.failures()


def test_bench_prints_a_row_per_real_document_and_fails_when_a_bar_is_missed(tmp_path):
    import subprocess
    import sys

    real = tmp_path / "real"
    real.mkdir()
    (real / "bill.html").write_text("<html><body><p>1. Offence</p><p>A person who hacks commits an offence.</p>"
                                    "</body></html>", encoding="utf-8")
    gold = {"document": "bill.html", "units": [{"unit": "s. 1", "heading": "Offence", "starts": "A person who",
                                                 "ends": "commits an offence.", "text": "A person who hacks commits an offence, or not."}]}
    (real / "bill.html.gold.json").write_text(__import__("json").dumps(gold), encoding="utf-8")
    script = Path(__file__).resolve().parents[2] / "scripts" / "bench_segment.py"
    run = subprocess.run([sys.executable, str(script), "--fixtures", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    row = next(line for line in run.stdout.splitlines() if line.startswith("| bill.html"))
    assert "| 1.000 | 1.000 | 2 | 0 | 1/1 |" in row and "2 statute word(s) lost" in row


# --------------------------------------------------------------------------- Akoma Ntoso dialects

EU = REAL / "eu_com_2013_0619_new_psychoactive_substances.xml"


def akn_units(path) -> dict[str, Clause]:
    return {clause.unit: clause for clause in read_document(path).clauses}


def test_a_commission_collection_is_read_from_its_bill_not_its_memorandum():
    document = read_document(EU)
    units = [clause.unit for clause in document.clauses]
    assert units[:4] == ["preamble", "art. 1(1)", "art. 1(2)", "art. 2"] and units[-1] == "art. 24"
    assert 'art. 2 "new psychoactive substance"' in units  # the <term>, not the letter "(a)"
    definition = next(c for c in document.clauses if c.unit == 'art. 2 "mixture"')
    assert definition.text.startswith("‘mixture’ means")
    reasons = {line.reason for line in document.removed}
    assert any("memorandum" in reason for reason in reasons) and "preface (title, number, date)" in reasons
    # A footnote between two words stood for a space: "drugs<authorialNote/>and".
    assert "synthetic drugs and was further" in document.clauses[0].text


def test_sections_that_group_articles_are_containers_not_units(tmp_path):
    # The Commission's drafting tool puts articles in <section>s; a reader that takes them as units
    # merges every article of the section into one clause.
    from lxml import etree

    tree = etree.parse(str(EU))
    chapter = next(el for el in tree.iter() if el.get("eId") == "chp_II")
    namespace = chapter.tag.split("}")[0] + "}"
    articles = [el for el in chapter if el.tag == namespace + "article"]
    section = etree.SubElement(chapter, namespace + "section", eId="chp_II__sec_1")
    etree.SubElement(section, namespace + "num").text = "SECTION 1"
    for article in articles:
        section.append(article)
    # A chapter's <intro> is a note on the chapter, not a clause.
    intro = etree.Element(namespace + "intro")
    etree.SubElement(intro, namespace + "p").text = "Free movement"
    chapter.insert(2, intro)
    path = tmp_path / "grouped.xml"
    tree.write(str(path), encoding="utf-8")
    units = [clause.unit for clause in read_document(path).clauses]
    assert units == [clause.unit for clause in read_document(EU).clauses]
    assert not any("SECTION" in unit or unit.startswith("para.") for unit in units)


def test_us_public_law_numbers_page_marks_and_lettered_subsections():
    units = akn_units(REAL / "us_americas_cup_act_2011.xml")
    assert list(units)[:3] == ["preamble", "s. 1", "s. 2"]
    assert 's. 2 "34th America\'s Cup"' in units  # named by the quoted term, not "34th america's cup."
    assert "s. 4(a)" in units and "s. 4(b)" in units
    assert not any("Page 125" in clause.text or clause.text == "omissis" for clause in units.values())
    assert units["preamble"].text.startswith("Be it enacted")  # the preface is the title page, not the preamble


def test_finnish_unnumbered_subsections_are_cited_by_position():
    units = akn_units(REAL / "fi_tietosuojalaki_1050_2018.xml")
    assert "s. 1" in units and ["s. 2(1)", "s. 2(2)", "s. 2(3)"] == [u for u in units if u.startswith("s. 2(")]
    assert units["s. 1"].heading[-1] == "Lain tarkoitus"


# --------------------------------------------------------------------------- web pages

def test_a_page_that_only_offers_the_pdf_is_refused_pointing_to_it():
    # openbylaws.org.za stub of Cape Town's Community Fire Safety Amendment By-law 2006: buttons and notices only.
    with pytest.raises(InputError) as caught:
        read_document(REAL / "za-cpt_community_fire_safety_amendment_by-law_2006_pdf_only.html")
    message = str(caught.value)
    assert "no statute text" in message and ".pdf" in message


# --------------------------------------------------------------------------- running headers

LK_OSA = REAL / "lk_online_safety_act_2024.pdf"
QA = REAL / "qa_cybercrime_prevention_law_2014.docx"


def test_repeated_statute_wording_in_a_pdf_is_not_taken_for_a_running_header():
    # Sri Lanka Online Safety Act 2024, pp. 13-18: every offence opens and ends alike, at varying places on
    # the page. The page's own running header, which alternates between even and odd pages, is all that goes.
    from clauseclf.segment.pdf import strip_running_lines

    offence = ["Any person, whether in or outside Sri Lanka who", "communicates a false statement",
               "commits an offence and shall on conviction be liable to",
               "imprisonment of either description for a term not exceeding", "or", "three years."]
    pages = [["Online Safety Act, No. 9 of 20242" if n % 2 else f"{n + 1}Online Safety Act, No. 9 of 2024"]
             + offence[n:] + [f"{12 + n}. {offence[0]}"] + offence[1:n] for n in range(1, 7)]
    removed = strip_running_lines(pages)
    assert sorted(line.text for line in removed) == ["3Online Safety Act, No. 9 of 2024", "5Online Safety Act, No. 9 of 2024",
                                                     "7Online Safety Act, No. 9 of 2024"] + ["Online Safety Act, No. 9 of 20242"] * 3
    text = "\n".join(line for page in pages for line in page)
    clauses = segment_text(text, "lk", running_lines=False).clauses
    assert [clause.unit for clause in clauses] == ["preamble"] + [f"s. {n}" for n in range(13, 19)]
    assert sum(clause.text.count("commits an offence and shall on conviction be liable to") for clause in clauses) == 6
    words = " ".join(clause.text for clause in clauses).split()
    assert (words.count("or"), words.count("years.")) == (text.split().count("or"), text.split().count("years.")) == (12, 6)


def test_a_word_file_keeps_its_repeated_article_and_chapter_lines():
    # Qatar, Law No. (14) of 2014: "Article (1)" ... "Chapter One" repeat; Word's headers are separate parts.
    document = read_document(QA)
    assert not any(line.reason == "running header or footer" for line in document.removed)
    assert "Article (5)" in document.text


# --------------------------------------------------------------------------- unit naming

def test_article_markers_in_brackets_and_in_dutch_and_greek():
    # Qatar, Law No. (14) of 2014 (Al Meezan's Word file): "Article (5)" on a line of its own.
    qatar = ("Article (5)\nA sentence of not more than three years in prison shall be imposed on any person.\n"
             "Article (6)\nA sentence of not more than a year in a prison and a fine of not more than (QR 250,000) two "
             "hundred fifty thousand Qatari Riyals, or either of these penalties, shall be imposed on any person who "
             "promotes, disseminates or publishes in any way such incorrect news for the same purpose.\n"
             "Article (7)\nThe punishments under this Article shall be imposed irrespective of the child’s consent.\n")
    assert [clause.unit for clause in segment_text(qatar, "qa").clauses] == ["art. 5", "art. 6", "art. 7"]
    # Heerlen, Parkeerverordening 2025: a bare "Artikel 2." over numbered paragraphs, under a wrapped AFDELING
    # heading; the numbered definitions of "Artikel 1" outnumber the articles without being sections.
    heerlen = ("AFDELING I DEFINITIES\n\nArtikel 1\n\nIn deze verordening wordt verstaan onder:\n"
               + "".join(f"{n}. term {n}: betekenis;\n" for n in range(1, 8)) + "\n"
               "AFDELING II VERGUNNINGHOUDERPLAATSEN, VERGUNNINGEN EN\nVERGUNNINGBEWIJZEN\n\nArtikel 2.\n\n"
               "1. Het college kan, bij openbaar te maken besluit, weggedeelten aanwijzen\n"
               "die  bestemd zijn voor het parkeren door vergunninghouders.\n\n"
               "2. Het college kan, bij openbaar te maken besluit, de tijdstippen vaststellen\n"
               "waarop het parkeren alleen aan vergunninghouders is toegestaan.\n\nArtikel 3.\n\n"
               "Het college beslist uiterlijk binnen 8 weken na de datum van ontvangst van\neen aanvraag.\n")
    clauses = {clause.unit: clause for clause in segment_text(heerlen, "nl").clauses}
    assert list(clauses)[-3:] == ["art. 2(1)", "art. 2(2)", "art. 3"]
    assert clauses["art. 2(1)"].heading == ["AFDELING II VERGUNNINGHOUDERPLAATSEN, VERGUNNINGEN EN – VERGUNNINGBEWIJZEN"]
    assert clauses["art. 3"].text.startswith("Het college beslist")
    # Greece, law 4539/2018 (ΦΕΚ Α΄ 89): "Άρθρο 1", its title, then paragraphs opening with Greek capitals.
    greek = ("Εκδίδομε τον ακόλουθο νόμο που ψήφισε η Βουλή:\nΆρθρο 1\n  Σύσταση φορέα\n"
             "1. Συνιστάται ανώνυμη εταιρεία με την επωνυμία «Ανάπλαση Αθήνας Ανώνυμη Εταιρεία».\n"
             "2. Η «ΑΝΑΠΛΑΣΗ ΑΘΗΝΑΣ Α.Ε.» λειτουργεί χάριν του\nδημοσίου συμφέροντος.\n"
             "Άρθρο 2\nΣκοποί\n1. Σκοπός της «ΑΝΑΠΛΑΣΗ ΑΘΗΝΑΣ Α.Ε.» είναι ο συντονισμός.\n")
    clauses = segment_text(greek, "gr").clauses
    assert [(clause.unit, clause.heading) for clause in clauses] == [
        ("preamble", []), ("art. 1(1)", ["Σύσταση φορέα"]), ("art. 1(2)", ["Σύσταση φορέα"]), ("art. 2(1)", ["Σκοποί"])]



def test_a_paragraph_numbered_on_after_a_lead_in_list_is_a_clause_of_its_own():
    # Greece, law 4539/2018, Article 6: "Resources ... are:" / "1." - "4." one-sentence items / "5. By a joint
    # decision ... . Also, ...": a paragraph of the article numbered on from the list.
    clauses = {clause.unit: clause for clause in read_document(REAL / "gr_law_4539_2018_anaplasi_athinas.pdf").clauses}
    assert clauses["art. 6"].text.endswith("4. Έσοδα από κάθε άλλη νόμιμη αιτία.")
    assert clauses["art. 6(5)"].text.startswith("Με κοινή απόφαση των εποπτευόντων Υπουργών")
    # Qatar, Law No. (14) of 2014: a two-sentence item between one-sentence items (Article 31's "5. If ... .
    # However, ..."), and a last item with a list of its own (Article 26's "3. In case of ...: A. ..."), stay items.
    qatar = {clause.unit: clause for clause in read_document(QA).clauses}
    assert qatar["art. 31"].text.endswith("sufficient safeguards with respect to the rights of the accused.")
    assert qatar["art. 26"].text.endswith("the extent to which the sentence remains to be served; this is in case "
                                          "of requests for extradition of a person convicted of committing a crime.")
    assert not any(unit.startswith(("art. 31(", "art. 26(")) for unit in qatar)


def test_a_french_first_article_and_a_one_sentence_article_under_a_bare_marker():
    # Morocco, Loi n° 05-20 relative à la cybersécurité (data/assessments/bills/): "Article premier" opens the
    # law, and Article 11 is one sentence on the line under its bare marker: its text, not a title of Article 12.
    morocco = ("Loi n° 05-20 relative à la cybersécurité\n\nArticle premier\nLa présente loi fixe : – les règles et les "
               "dispositions de sécurité applicables aux systèmes d’information des administrations de l’Etat ;\n\n"
               "Article 11\nLes données sensibles doivent être exclusivement hébergées sur le territoire national.\n\n"
               "Article 12\nToute externalisation d’un système d’information sensible doit faire l’objet d’un contrat "
               "de droit marocain.\n")
    clauses = segment_text(morocco, "ma").clauses
    assert [(clause.unit, clause.heading) for clause in clauses][1:] == [("art. 11", []), ("art. 12", [])]
    assert clauses[0].unit == "art. 1" and clauses[0].text.startswith("La présente loi fixe")
    assert clauses[1].text == "Les données sensibles doivent être exclusivement hébergées sur le territoire national."
    assert [clause.unit for clause in segment_text("Article 1er. - La loi fixe les règles.\nArticle 2. - Elle "
                                                   "s’applique à l’Etat.\n", "fr").clauses] == ["art. 1", "art. 2"]



def test_french_chapter_headings_head_their_articles():
    # Morocco, Loi n° 05-20: "Chapitre premier Dispositions générales" over Article premier, "Chapitre VI ..." later.
    morocco = ("Loi n° 05-20 relative à la cybersécurité\n\nChapitre premier Dispositions générales\n\nArticle premier\n"
               "La présente loi fixe les règles de sécurité.\n\nArticle 2\nAu sens de la présente loi, on entend par "
               "cybersécurité l’ensemble de mesures.\n\nChapitre VI Dispositions finales\n\nArticle 53\nLa présente "
               "loi entre en vigueur à compter de la date de publication.\n")
    clauses = segment_text(morocco, "ma").clauses
    assert [(clause.unit, clause.heading) for clause in clauses if clause.unit != "preamble"] == [
        ("art. 1", ["Chapitre premier Dispositions générales"]), ("art. 2", ["Chapitre premier Dispositions générales"]),
        ("art. 53", ["Chapitre VI Dispositions finales"])]
    assert "Chapitre" not in " ".join(clause.text for clause in clauses)


def test_code_articles_inserted_by_an_amending_law_are_units_beside_its_own_articles():
    # Senegal, Loi n° 2008-11 sur la cybercriminalité (data/assessments/bills/): the law's Article 1 inserts the
    # penal code's articles 431-7 to 431-65, its Article 2 the procedure code's 677-34 ff.; both kinds run in order.
    senegal = ("Loi n° 2008-11 du 25 janvier 2008 sur la cybercriminalité\n\nArticle 1\nIl est inséré après l’article "
               "431-6 du code pénal un titre III qui comprend les articles 431-7 à 431-65 ainsi rédigés :\n\n"
               "Article 431-8\nQuiconque aura accédé ou tenté d’accéder frauduleusement à tout ou partie d’un système "
               "informatique, sera puni d’un emprisonnement de six (6) mois à trois (3) ans.\n\n"
               "Article 431-9\nQuiconque se sera maintenu ou aura tenté de se maintenir frauduleusement dans tout ou "
               "partie d’un système informatique, sera puni des mêmes peines.\n\n"
               "Article 431-10\nQuiconque aura entravé ou faussé le fonctionnement d’un système informatique sera "
               "puni.\n\nArticle 2\nIl est inséré au livre quatrième du code procédure pénal un titre XVI.\n\n"
               "Article 677-35\nSi les nécessités de l’information l’exigent, le juge d’instruction peut ordonner la "
               "conservation des données.\n\nArticle 3\nLes modalités d’application de la présente loi seront "
               "prises par décret.\n")
    assert [clause.unit for clause in segment_text(senegal, "sn").clauses] == [
        "art. 1", "art. 431-8", "art. 431-9", "art. 431-10", "art. 2", "art. 677-35", "art. 3"]


# --------------------------------------------------------------------------- words broken across lines

def test_a_word_hyphenated_across_lines_is_rejoined():
    # Greece, law 4539/2018 (ΦΕΚ Α΄ 89), arts. 1, 2 and 10, shortened, as the gazette's columns break them
    # (and a soft hyphen, as Word-made PDFs leave one).
    from clauseclf.segment.splitter import span_text

    text = ("Άρθρο 1\nΣύσταση φορέα\n1. Συνιστάται ανώνυμη εταιρεία με την επωνυμία «Ανά-\n"
            "πλαση Αθήνας Ανώνυμη Εταιρεία».\nΆρθρο 2\nΣκοποί\n1. Σκοπός της «ΑΝΑΠΛΑΣΗ ΑΘΗΝΑΣ Α.Ε.» είναι ο συ-\n"
            "ντονισμός και η elec\u00ad\ntronic υλοποίηση.\nΆρθρο 3\nΈναρξη ισχύος\n"
            "Η ισχύς του παρόντος νόμου αρχίζει από τη δημοσίευ-\nσή του.\n")
    clauses = segment_text(text, "gr").clauses
    assert [clause.text for clause in clauses] == [
        "Συνιστάται ανώνυμη εταιρεία με την επωνυμία «Ανάπλαση Αθήνας Ανώνυμη Εταιρεία».",
        "Σκοπός της «ΑΝΑΠΛΑΣΗ ΑΘΗΝΑΣ Α.Ε.» είναι ο συντονισμός και η electronic υλοποίηση.",
        "Η ισχύς του παρόντος νόμου αρχίζει από τη δημοσίευσή του."]
    assert all(span_text(text, clause) == clause.text for clause in clauses)


# --------------------------------------------------------------------------- giant clauses

def test_a_giant_clause_that_holds_section_lines_is_named_in_a_note(tmp_path):
    # Maharashtra Rent Control Act 1999, s. 7: fifteen definitions numbered "(1)" to "(15)", here after a lead-in
    # that ends a sentence rather than opening a list, so that their numbering is not read and they run together.
    rent = read_document(REAL / "in-mh_maharashtra_rent_control_act_1999.pdf")
    units = {clause.unit: clause for clause in rent.clauses}
    definitions = rent.text[units["s. 7(1)"].start - len("(1) "):units["s. 7(15)"].end]
    bill = tmp_path / "bill.txt"
    bill.write_text("7. In this Act, unless there is anything repugnant to the subject or context, words mean as follows.\n"
                    + definitions + "\n8. Standard rent. The standard rent is the rent fixed by the Court.\n", encoding="utf-8")
    document = read_document(bill)
    notes = [note for note in document.notes if "several provisions run together" in note]
    giant = [clause.unit for clause in document.clauses if len(clause.text) > 6_000]
    assert giant == ["s. 7"] and all(any(f"{unit} is " in note for note in notes) for unit in giant)
    # A single long provision is not flagged: Italian Senate bill 356 (2013), art. 1(1), 22,964 characters.
    assert not any("run together" in note for note in read_document(REAL / "it_senato_ddl_356_2013.xml").notes)


def test_a_bill_whose_clauses_are_all_giant_is_refused_saying_what_to_do(tmp_path):
    # Qatar, Law No. (14) of 2014, art. 6, repeated as a file whose article markers the segmenter cannot see.
    penalty = ("A sentence of not more than three years in prison and a fine of not more than (QR 500,000) five "
               "hundred thousand Qatari Riyals, or either of these penalties, shall be imposed on any person who "
               "through an information network sets up or runs a website to publish incorrect news. ")
    bill = tmp_path / "bill.txt"
    bill.write_text("\n".join(f"§§§ {n}\n" + penalty * 30 for n in range(1, 4)), encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_document(bill)
    assert "every clause is over 6,000 characters" in str(error.value) and "save it as .txt" in str(error.value)


# --------------------------------------------------------------------------- page-foot footnotes

def test_amendment_footnotes_at_the_page_foot_are_removed_and_reported():
    # India, Dowry Prohibition Act 1961 (India Code), the foot of page 2 (shortened, renumbered): its notes
    # "4." to "9." opened sections 4 to 9.
    from clauseclf.segment.pdf import strip_footnotes

    page = ["3. Penalty for giving or taking dowry.—5[(1)] If any person, after the commencement of this Act,",
            "gives or takes or abets the giving or taking of dowry, he shall be punishable 6[with imprisonment for a",
            "under this Act:", "  ",
            "1. 1st July, 1961, vide notification No. S.O. 1410, dated 20th June, 1961, see Gazette of India, Extraordinary, Part II,",
            "sec. 3(ii).",
            "2. The Explanation I omitted by s. 2, ibid. (w.e.f. 2-10-1985).",
            "3. Section 3 renumbered as sub-section (1) of that section by s. 3, ibid. (w.e.f. 2-10-1985).",
            "4. Ins. by Act 63 of 1984, s. 3 (w.e.f. 2-10-1985)."]
    # Maharashtra Rent Control Act 1999, page 8: numbers without a dot.
    other = ["(4) “Legal representative” means a legal representative as defined in the Code of Civil", "",
             "1  This Act has been repealed by the Bombay Provincial Municipal Corporations (Repeal) Act,",
             "2  The short title of this Act has been amended as", "Entry No. 74, w.e.f. 1.5.1960."]
    # A page whose last paragraph is statute text numbered like a note stays whole.
    body = ["the Board.", "", "4. Penalty for demanding dowry.—If any person demands, directly or indirectly,",
            "from the parents or other relatives or guardian of a bride, any dowry, he shall be punishable."]
    pages = [list(page), list(other), list(body)]
    removed = strip_footnotes(pages)
    assert pages == [page[:4], other[:2], body]
    assert [line.page for line in removed] == [1] * 5 + [2] * 3 and {line.reason for line in removed} == {"footnote"}


def test_a_label_for_screen_readers_is_not_part_of_the_section_title(tmp_path):
    # Canada, Cooperative Energy Act (Justice Laws Website): a hidden "Marginal note:" before each title.
    page = tmp_path / "ca.html"
    page.write_text('<html><body><main><h6 class="MarginalNote"><span class="wb-invisible">Marginal note:</span>'
                    'Short title</h6><p class="Section"><strong><span class="sectionLabel">1.</span></strong> This Act '
                    'may be cited as the Cooperative Energy Act.</p><h6 class="MarginalNote"><span class="wb-invisible">'
                    'Marginal note:</span>Definitions</h6><p class="Subsection"><strong><span class="sectionLabel">2.'
                    '</span></strong> (1) In this Act, “Agreement” means the Canada/Cooperative Energy Investment '
                    'Agreement.</p></main></body></html>', encoding="utf-8")
    document = read_document(page)
    assert [(clause.unit, clause.heading) for clause in document.clauses] == [("s. 1", ["Short title"]),
                                                                              ("s. 2(1)", ["Definitions"])]
    assert [line.reason for line in document.removed] == ["label shown to screen readers only"] * 2


def test_a_chapter_numbered_in_words_is_a_heading_not_clause_text():
    # Qatar, Law No. (14) of 2014: "Chapter Two" / "(Content Crimes)" between two articles.
    text = ("Article (4)\nA sentence of not more than three years in prison shall be imposed on any person who "
            "knowingly accepts an invalid, forged or stolen electronic transaction card.\nChapter Two\n"
            "(Content Crimes)\nArticle (5)\nA sentence of not more than three years in prison shall be imposed on any "
            "person who sets up or runs a website for a terrorist group.\nArticle (6)\nThe punishments under this "
            "Article shall be imposed irrespective of the consent.\n")
    clauses = {clause.unit: clause for clause in segment_text(text, "qa").clauses}
    assert clauses["art. 4"].text.endswith("stolen electronic transaction card.")
    assert clauses["art. 5"].heading[0].startswith("Chapter Two")
