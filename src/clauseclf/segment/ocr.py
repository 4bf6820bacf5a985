"""OCR for scanned bills: pages rendered with pdfium (pypdfium2), read by Tesseract, with each page's confidence.

Many gazettes are scans with no text layer. `ocr_pages` renders each page at OCR_DPI
and runs the `tesseract` program on it (TSV output: every word with its confidence,
0-100). A page's confidence is the mean over its words; pages under LOW_CONFIDENCE are
the ones whose clauses a reviewer should read against the scan.

Tesseract is a system program (Debian: tesseract-ocr, plus tesseract-ocr-<lang> for
each language); scripts/setup.sh installs it. Its language is Tesseract's code:
eng, fra, ell (Greek), spa...
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from clauseclf.errors import InputError

# 300 dpi is what Tesseract's documentation asks for; 200 loses the small print of gazettes.
OCR_DPI = 300
# Tesseract's word confidence: clean 300-dpi print of a Latin script scores 90-96 on a page; under 80,
# one word in five or more is doubtful, enough that the clause must be read against the scan.
LOW_CONFIDENCE = 80.0
# Seconds one page may take (a dense A4 page takes 5-20 s on one core).
PAGE_TIMEOUT = 300


@dataclass
class OcrPage:
    text: str
    confidence: float  # mean word confidence, 0-100 (0 where no word was found)


def engine() -> str:
    """The tesseract program's path, or an InputError that says how to install it."""
    program = shutil.which("tesseract")
    if program is None:
        raise InputError("tesseract", "the OCR engine (Tesseract) is not installed",
                         hint="run scripts/setup.sh, or `apt-get install tesseract-ocr` (and tesseract-ocr-<lang> "
                              "for other languages), then pass --ocr again")
    return program


def ocr_pages(path: Path, pages: list[int], language: str = "eng") -> dict[int, OcrPage]:
    """OCR the given pages (0-based) of the PDF at `path`; {page index: OcrPage}."""
    program = engine()
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise InputError(path, "OCR needs the pypdfium2 package to render pages",
                         hint="run scripts/setup.sh (or `pip install pypdfium2`)") from None
    results = {}
    pdf = pdfium.PdfDocument(str(path))
    try:
        with tempfile.TemporaryDirectory(prefix="clauseclf-ocr-") as folder:
            for index in pages:
                image = Path(folder) / f"page-{index + 1}.png"
                pdf[index].render(scale=OCR_DPI / 72).to_pil().save(image)
                results[index] = _tesseract(program, image, language, path, index)
    finally:
        pdf.close()
    return results


def _tesseract(program: str, image: Path, language: str, path: Path, index: int) -> OcrPage:
    try:
        # One thread: Tesseract's OpenMP threads fight each other (and other work) on a small machine.
        run = subprocess.run([program, str(image), "stdout", "-l", language, "tsv"], capture_output=True,
                             text=True, timeout=PAGE_TIMEOUT, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired:
        raise InputError(path, f"OCR of page {index + 1} took over {PAGE_TIMEOUT} s") from None
    if run.returncode != 0:
        problem = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else f"exit status {run.returncode}"
        hint = (f"install the language: `apt-get install tesseract-ocr-{language}`" if "language" in run.stderr.lower()
                or "traineddata" in run.stderr else "check that the PDF opens in a viewer")
        raise InputError(path, f"OCR of page {index + 1} failed ({problem})", hint=hint)
    return parse_tsv(run.stdout)


def parse_tsv(tsv: str) -> OcrPage:
    """Tesseract's TSV (level, page, block, paragraph, line, word, ..., conf, text) as lines of text.

    >>> page = parse_tsv("level\\tpage_num\\tblock_num\\tpar_num\\tline_num\\tword_num\\tleft\\ttop\\twidth\\theight\\tconf\\ttext\\n"
    ...                  "5\\t1\\t1\\t1\\t1\\t1\\t0\\t0\\t9\\t9\\t96\\t1.\\n5\\t1\\t1\\t1\\t1\\t2\\t0\\t0\\t9\\t9\\t90\\tShort\\n"
    ...                  "5\\t1\\t1\\t1\\t2\\t1\\t0\\t0\\t9\\t9\\t60\\ttitle\\n")
    >>> page.text, page.confidence
    ('1. Short\\ntitle', 82.0)
    """
    lines: dict[tuple[str, str, str], list[str]] = {}
    confidences = []
    for row in tsv.splitlines()[1:]:
        fields = row.split("\t")
        if len(fields) < 12 or fields[0] != "5" or not fields[11].strip():
            continue
        lines.setdefault((fields[2], fields[3], fields[4]), []).append(fields[11])
        try:
            confidences.append(float(fields[10]))
        except ValueError:
            pass
    words = [c for c in confidences if c >= 0]
    confidence = round(sum(words) / len(words), 1) if words else 0.0
    return OcrPage("\n".join(" ".join(words) for words in lines.values()), confidence)
