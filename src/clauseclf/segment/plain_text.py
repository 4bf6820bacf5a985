"""Plain-text bills: UTF-8 (a byte-order mark is allowed), any line endings."""

from __future__ import annotations

from pathlib import Path

from clauseclf.segment.document import Document, document_from_text
from clauseclf.utf8 import Expected, read_utf8


def read(path: Path, doc_id: str) -> Document:
    text = read_utf8(path, Expected("bill", "UTF-8 text"))
    # Offsets point into the text as read, with \r\n and \r folded to \n.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return document_from_text(path, doc_id, "txt", text)
