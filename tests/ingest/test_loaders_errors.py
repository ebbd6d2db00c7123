"""Files the loaders cannot read faithfully are refused with one line naming the file."""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

import pytest
from fpdf import FPDF

from ingest.loaders import SUPPORTED_SUFFIXES, LoadError, load_document


def _pdf_bytes(text: str = "Staff shall not post photographs of youth.", **encrypt: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 5, text)
    if encrypt:
        pdf.set_encryption(**encrypt)
    return bytes(pdf.output())


def _assert_refused(path: Path, *fragments: str) -> None:
    with pytest.raises(LoadError) as info:
        load_document(path)
    message = str(info.value)
    assert path.name in message
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message.lower()


def test_supported_suffixes() -> None:
    assert {".txt", ".md", ".pdf", ".docx", ".html"} <= SUPPORTED_SUFFIXES


def test_unsupported_extension_names_the_type(tmp_path: Path) -> None:
    path = tmp_path / "policy.doc"
    path.write_bytes(b"legacy word file")
    _assert_refused(path, "unsupported", ".doc")


def test_missing_file(tmp_path: Path) -> None:
    _assert_refused(tmp_path / "gone.txt", "not found")


def test_directory_named_like_a_document(tmp_path: Path) -> None:
    folder = tmp_path / "policy.pdf"
    folder.mkdir()
    _assert_refused(folder, "not a file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Staff shall not friend clients.")
    path.chmod(0)
    try:
        _assert_refused(path, "unreadable")
    finally:
        path.chmod(0o600)


def test_read_failure_is_reported_as_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "policy.txt"
    path.write_text("Staff shall not friend clients.")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    _assert_refused(path, "unreadable", "permission denied")


def test_random_bytes_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(random.Random(7).randbytes(4096))
    _assert_refused(path, "not a pdf")


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_pdf(tmp_path: Path, keep: float) -> None:
    data = _pdf_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    _assert_refused(path, "truncated")


def test_pdf_with_garbage_body_is_corrupt(tmp_path: Path) -> None:
    data = _pdf_bytes()
    path = tmp_path / "mangled.pdf"
    # Header and end marker intact, everything between destroyed.
    path.write_bytes(data[:9] + random.Random(3).randbytes(len(data) - 20) + data[-11:])
    _assert_refused(path, "pdf")


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(_pdf_bytes(owner_password="owner", user_password="secret"))
    _assert_refused(path, "encrypted")


def test_pdf_restricted_by_owner_password_only_still_loads(tmp_path: Path) -> None:
    # Agencies often "encrypt" to stop printing; anyone may open and read it.
    path = tmp_path / "restricted.pdf"
    path.write_bytes(_pdf_bytes(owner_password="owner"))
    assert load_document(path) == "Staff shall not post photographs of youth."


def test_scanned_pdf_without_text(tmp_path: Path) -> None:
    from PIL import Image

    image = Image.new("RGB", (400, 200), "white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(buffer, x=10, y=10, w=190)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    _assert_refused(path, "no extractable text")


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".html"])
def test_empty_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    with pytest.raises(LoadError) as info:
        load_document(path)
    assert path.name in str(info.value)


def test_random_bytes_named_docx(tmp_path: Path) -> None:
    path = tmp_path / "junk.docx"
    path.write_bytes(random.Random(5).randbytes(2048))
    _assert_refused(path, "corrupt word file")


def test_truncated_docx(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Staff shall not post photographs of youth.")
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "cut.docx"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    _assert_refused(path, "corrupt word file")


def test_txt_with_nul_bytes_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(1).randbytes(500))
    _assert_refused(path, "binary")


def test_txt_of_binary_without_nul_is_refused(tmp_path: Path) -> None:
    rng = random.Random(11)
    path = tmp_path / "blob.md"
    path.write_bytes(bytes(rng.choice(range(1, 256)) for _ in range(3000)))
    _assert_refused(path, "binary")


def test_empty_txt(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("\n  \n\t\n")
    _assert_refused(path, "no text")
