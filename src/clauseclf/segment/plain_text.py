"""Plain-text bills: UTF-8 (a byte-order mark is allowed), any line endings."""

from __future__ import annotations

from pathlib import Path

from clauseclf.errors import InputError
from clauseclf.segment.document import Document, document_from_text


def read(path: Path, doc_id: str) -> Document:
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise InputError(path, "looks like a binary file, not text", hint="a .txt bill must be UTF-8 text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise InputError(path, f"invalid UTF-8 (byte {error.start})", line=line,
                         hint="re-save the file as UTF-8") from None
    # Offsets point into the text as read, with \r\n and \r folded to \n.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return document_from_text(path, doc_id, "txt", text)
