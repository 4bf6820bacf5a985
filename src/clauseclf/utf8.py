"""Is a user's file UTF-8 text? One test for every reader, with messages in the reader's terms.

Every reader of text a user gives clauseclf (a corpus, a clause table, a .txt or HTML
bill, a predictions file, a review export) asks the same two questions: does the file
look binary (a NUL byte in its first 8 KB: no UTF-8 text holds one, while a PDF, a
zip or a UTF-16 file almost always does), and where is its first byte that is not
UTF-8? The caller names what the file should be, so that the message speaks of a
corpus, a bill or an export rather than of bytes:

>>> from pathlib import Path
>>> decode(Path("bill.txt"), b"s. 1 ok\\ns. 2 caf\\xe9", Expected("bill", "UTF-8 text"))
Traceback (most recent call last):
...
clauseclf.errors.InputError: bill.txt:2: invalid UTF-8 at byte 16 (re-save the bill as UTF-8)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from clauseclf.errors import InputError

# How much of a file is looked at for a NUL byte: enough to see a binary header, cheap on a 50 MB file.
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Expected:
    """What a file should be, in the user's terms: `what` names it ("corpus file", "bill"), `form` says how it is
    written ("UTF-8 JSON Lines or CSV"), `article` goes before `what` ("an Argilla export")."""

    what: str
    form: str
    article: str = "a"


def refuse_binary(path: Path, head: bytes, expected: Expected) -> None:
    """InputError if the first bytes of the file at `path` hold a NUL byte: a binary file, not text."""
    if b"\x00" in head[:SNIFF_BYTES]:
        raise InputError(path, f"looks like a binary file, not {expected.article} {expected.what}",
                         hint=f"expected {expected.form}")


def decode(path: Path, data: bytes, expected: Expected, first_line: int = 1, first_byte: int = 0) -> str:
    """`data` as text (a leading byte-order mark dropped when `first_byte` is 0), or an InputError naming the line
    and byte of the first byte that is not UTF-8. `first_line` and `first_byte` place `data` in its file."""
    try:
        return data.decode("utf-8-sig" if first_byte == 0 else "utf-8")
    except UnicodeDecodeError as error:
        line = first_line + data[:error.start].count(b"\n")
        raise InputError(path, f"invalid UTF-8 at byte {first_byte + error.start}", line=line,
                         hint=f"re-save the {expected.what} as UTF-8") from None


def read_utf8(path: Path, expected: Expected) -> str:
    """The whole file at `path` as text, or an InputError if it looks binary or is not UTF-8."""
    data = path.read_bytes()
    refuse_binary(path, data, expected)
    return decode(path, data, expected)


def utf8_lines(path: Path, expected: Expected) -> Iterator[tuple[int, str]]:
    """(line number, line with its ending) for each line of the file at `path`, read one line at a time; an
    InputError if the file looks binary, or at the first line that is not UTF-8."""
    with open(path, "rb") as stream:
        refuse_binary(path, stream.read(SNIFF_BYTES), expected)
        stream.seek(0)
        offset = 0
        for number, raw in enumerate(stream, start=1):
            yield number, decode(path, raw, expected, first_line=number, first_byte=offset)
            offset += len(raw)
