"""Scanned bills: --ocr reads pages without a text layer with Tesseract and keeps each page's confidence."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from clauseclf.errors import InputError
from clauseclf.segment import ocr, read_document

REPO = Path(__file__).resolve().parents[2]
SCAN = REPO / "tests" / "fixtures" / "bills" / "real" / "gr_fek_a_145_1999.scan.pdf"
CONVENTION = REPO / "tests" / "fixtures" / "bills" / "coe_convention_on_cybercrime_ets185.pdf"
# Real statute text (Kenya CMCA 2018, data/examples) standing in for what Tesseract would read off a page.
KENYA = (REPO / "data" / "examples" / "ke_computer_misuse_and_cybercrimes_act_2018.txt").read_text(encoding="utf-8")


def test_a_scan_without_ocr_is_refused_with_the_option_to_pass():
    with pytest.raises(InputError) as caught:
        read_document(SCAN)
    assert "no text layer" in caught.value.problem and "--ocr" in str(caught.value)


def test_ocr_without_tesseract_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    with pytest.raises(InputError) as caught:
        read_document(SCAN, ocr=True)
    assert "Tesseract" in str(caught.value) and "scripts/setup.sh" in str(caught.value)


def test_clauses_from_low_confidence_pages_are_marked_for_review(monkeypatch):
    pages = KENYA.split("14. Unauthorised access")[1][:3000]
    half = len(pages) // 2
    texts = {index: text for index, text in enumerate(["14. Unauthorised access" + pages[:half], pages[half:]])}

    def fake_ocr(path, indices, language="eng"):
        return {i: ocr.OcrPage(texts[i % 2], 95.0 if i == 0 else 41.5) for i in indices}

    monkeypatch.setattr(ocr, "ocr_pages", fake_ocr)
    monkeypatch.setattr(ocr, "engine", lambda: "tesseract")
    document = read_document(SCAN, ocr=True)
    confidences = [clause.extra["ocr_confidence"] for clause in document.clauses]
    assert confidences[0] == 95.0 and confidences[-1] == 41.5
    assert [c.extra["ocr_low_confidence"] for c in document.clauses] == [value < ocr.LOW_CONFIDENCE for value in confidences]
    assert any("low confidence on page(s) 2 (42)" in note for note in document.notes)


def test_a_low_confidence_clause_needs_review_whatever_its_scores():
    from types import SimpleNamespace

    import numpy as np

    from clauseclf.label.stream import to_prediction
    from clauseclf.schema import Clause

    loaded = SimpleNamespace(label_names=["a"], thresholds={"a": 0.5}, review_band=0.0, identity="m")
    clause = Clause("d", "d:1", "A person who hacks commits an offence.", "s. 1",
                    extra={"ocr_confidence": 41.5, "ocr_low_confidence": True})
    assert to_prediction(loaded, clause, np.array([0.01])).needs_review
    assert not to_prediction(loaded, Clause("d", "d:2", "text", "s. 2"), np.array([0.01])).needs_review


def test_a_blank_last_page_is_called_blank_not_a_scan(tmp_path):
    writer = PdfWriter(clone_from=PdfReader(CONVENTION))
    writer.add_blank_page()
    path = tmp_path / "with-blank-page.pdf"
    with open(path, "wb") as stream:
        writer.write(stream)
    notes = read_document(path).notes
    assert any("page(s) 5 are blank" in note for note in notes)
    assert not any("no text layer" in note for note in notes)


@pytest.mark.slow
def test_tesseract_reads_a_page_of_the_greek_gazette_scan():
    if ocr.shutil.which("tesseract") is None:
        pytest.skip("tesseract is not installed (scripts/setup.sh installs it)")
    page = ocr.ocr_pages(SCAN, [1], "ell")[1]
    greek = sum("α" <= c <= "ω" for c in page.text.lower())
    assert page.confidence > 50 and greek > 1000
