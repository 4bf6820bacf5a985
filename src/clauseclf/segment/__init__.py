"""Bills in, clauses out: one reader per format, one clause splitter shared by the text-based ones.

`read_document(path)` picks the reader by suffix and returns a `Document` whose
`clauses` carry `unit` ("s. 14(1)"), `heading` path and offsets into `Document.text`.
"""

from clauseclf.segment.document import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, Document, read_document
from clauseclf.segment.splitter import segment_text, split_clauses

__all__ = ["DEFAULT_MAX_BYTES", "SUPPORTED_SUFFIXES", "Document", "read_document", "segment_text", "split_clauses"]
