"""A PDF whose pages are partly scanned: the pages without a text layer are named, and a blank page is not one.

The PDFs are two pages of the Convention fixture (a real text layer) followed by a page
that holds only an image, as a scanner writes it, and a page that holds nothing.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

from clauseclf.segment import read_document

PLAIN = Path(__file__).resolve().parents[1] / "fixtures" / "bills" / "coe_convention_on_cybercrime_ets185.pdf"


def add_scanned_page(writer: PdfWriter) -> None:
    """A page drawn by one grey image over its whole area and no text: a page of a scan."""
    page = writer.add_blank_page(595, 842)
    image = DecodedStreamObject()
    image.set_data(bytes([128]) * 16)
    image.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                  NameObject("/Width"): NumberObject(4), NameObject("/Height"): NumberObject(4),
                  NameObject("/ColorSpace"): NameObject("/DeviceGray"), NameObject("/BitsPerComponent"): NumberObject(8)})
    # Streams are indirect objects in a PDF; pypdf's writer has no public call that adds one.
    resources = DictionaryObject({NameObject("/Im0"): writer._add_object(image)})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): resources})
    content = DecodedStreamObject()
    content.set_data(b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    page[NameObject("/Contents")] = writer._add_object(content)


def bill(tmp_path: Path, *extra: str) -> Path:
    writer = PdfWriter()
    for page in PdfReader(PLAIN).pages[:2]:
        writer.add_page(page)
    for kind in extra:
        add_scanned_page(writer) if kind == "scanned" else writer.add_blank_page(595, 842)
    path = tmp_path / "bill.pdf"
    with open(path, "wb") as stream:
        writer.write(stream)
    return path


def no_text_notes(path: Path) -> list[str]:
    """The notes naming pages without a text layer, up to where they say how to read them."""
    return [note.split(":")[0] for note in read_document(path).notes if "no text layer" in note]


def test_a_scanned_page_among_text_pages_is_named_and_the_rest_is_read(tmp_path):
    path = bill(tmp_path, "scanned")
    document = read_document(path)
    assert no_text_notes(path) == ["page(s) 3 have no text layer (scanned?)"]
    assert document.clauses and "Convention" in document.text


def test_a_blank_page_is_not_reported_as_missing_its_text_layer(tmp_path):
    assert no_text_notes(bill(tmp_path, "blank")) == []
    assert no_text_notes(bill(tmp_path, "scanned", "blank")) == ["page(s) 3 have no text layer (scanned?)"]
