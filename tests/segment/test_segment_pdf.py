"""Encrypted PDFs (segment/pdf.py): an empty user password opens them, as any viewer does; a real one is refused.

Official gazettes are often encrypted with an empty user password and an owner
password (printing or copying restricted); under AES, pypdf needs `cryptography`
to decrypt them. The PDFs are written here, from the Convention fixture.
"""

from __future__ import annotations

import pytest
from pypdf import PdfReader, PdfWriter

from clauseclf.errors import InputError
from clauseclf.segment import read_document
from conftest import REPO_ROOT

PLAIN = REPO_ROOT / "tests" / "fixtures" / "bills" / "coe_convention_on_cybercrime_ets185.pdf"


def encrypted_copy(tmp_path, algorithm: str, user_password: str = ""):
    writer = PdfWriter(clone_from=PdfReader(PLAIN))
    writer.encrypt(user_password=user_password, owner_password="gazette-owner", algorithm=algorithm)
    path = tmp_path / f"gazette-{algorithm.lower()}.pdf"
    with open(path, "wb") as stream:
        writer.write(stream)
    return path


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256", "RC4-128"])
def test_pdf_with_an_empty_user_password_is_read(tmp_path, algorithm):
    path = encrypted_copy(tmp_path, algorithm)
    assert PdfReader(path).is_encrypted
    document = read_document(path)
    plain = read_document(PLAIN)
    assert document.text == plain.text and len(document.clauses) == len(plain.clauses) > 10


@pytest.mark.parametrize("algorithm", ["AES-256", "RC4-128"])
def test_pdf_with_a_real_password_is_refused_with_a_fix(tmp_path, algorithm):
    path = encrypted_copy(tmp_path, algorithm, user_password="s3cret")
    with pytest.raises(InputError) as caught:
        read_document(path)
    message = str(caught.value)
    assert "encrypted with a password" in message and "qpdf --decrypt" in message and caught.value.path == str(path)


def test_missing_aes_support_is_named_not_taken_for_a_password(tmp_path, monkeypatch):
    from pypdf.errors import DependencyError

    def no_aes(self, password):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PdfReader, "decrypt", no_aes)
    with pytest.raises(InputError) as caught:
        read_document(encrypted_copy(tmp_path, "AES-128"))
    assert "cryptography" in str(caught.value) and "password" not in caught.value.problem
