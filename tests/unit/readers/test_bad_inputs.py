"""Every kind of file the readers refuse, each with its own code and an actionable message."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from duban.intake.errors import IntakeError
from duban.intake.readers import read_bytes, read_file
from tests.unit.readers.builders import draw_pdf, new_document, ole_file


def _code(data: bytes, filename: str) -> str:
    with pytest.raises(IntakeError) as caught:
        read_bytes(data, filename)
    error = caught.value
    assert error.hint, "every refusal tells the user what to do"
    assert "%(" not in error.render(), "every parameter is filled in"
    return error.code


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _docx() -> bytes:
    document = new_document()
    document.add_paragraph("正文")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (40, 40), color=128).save(buffer, format="PNG")
    return buffer.getvalue()


def test_too_large_says_both_sizes_in_mb() -> None:
    with pytest.raises(IntakeError) as caught:
        read_bytes(b"x" * (3 * 1024 * 1024), "a.txt", max_bytes=2 * 1024 * 1024)

    assert caught.value.code == "too_large"
    assert caught.value.params == {"size": "3", "limit": "2"}
    assert "3 MB" in caught.value.render() and "2 MB" in caught.value.render()


def test_read_file_refuses_by_size_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as handle:
        handle.truncate(4 * 1024 * 1024 * 1024)  # sparse: 4 GiB that were never written

    with pytest.raises(IntakeError) as caught:
        read_file(huge)

    assert caught.value.code == "too_large"
    assert caught.value.params["limit"] == "20"


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"", "notice.pdf"),
        (b" \r\n\t\r\n\xe3\x80\x80\n", "notice.txt"),
        (b"\xef\xbb\xbf", "notice.txt"),
        (b"<html><body><nav><a href='/'>home</a></nav></body></html>", "page.html"),
        (b"\n,,\n", "empty.csv"),
    ],
)
def test_empty(data: bytes, filename: str) -> None:
    assert _code(data, filename) == "empty"


def test_an_empty_word_document_is_empty() -> None:
    buffer = io.BytesIO()
    new_document().save(buffer)

    assert _code(buffer.getvalue(), "blank.docx") == "empty"


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (bytes(range(256)) * 8, "notice.txt"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 50, "notice.md"),
        (b"ELF\x00\x00\x01binary", "notice"),
    ],
)
def test_binary(data: bytes, filename: str) -> None:
    assert _code(data, filename) == "binary"


@pytest.mark.parametrize("filename", ["notice.doc", "notice.wps", "renamed.docx"])
def test_legacy_word_documents(filename: str) -> None:
    assert _code(ole_file("WordDocument", "1Table"), filename) == "legacy_doc"


@pytest.mark.parametrize("filename", ["ledger.xls", "ledger.et", "renamed.xlsx"])
def test_legacy_spreadsheets(filename: str) -> None:
    assert _code(ole_file("Workbook"), filename) == "legacy_xls"


@pytest.mark.parametrize("filename", ["notice.docx", "ledger.xlsx", "no-extension"])
def test_password_protected_office_files(filename: str) -> None:
    data = ole_file("EncryptionInfo", "EncryptedPackage")

    assert _code(data, filename) == "encrypted"


def test_a_password_protected_pdf(tmp_path: Path) -> None:
    path = draw_pdf(tmp_path / "locked.pdf", [[(72, 700, "加密的通知正文")]], encrypt="secret")

    assert _code(path.read_bytes(), "locked.pdf") == "encrypted"


def test_a_scanned_pdf_without_a_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        pdf.rect(72, 500, 300, 200, fill=1)
        pdf.drawImage(ImageReader(io.BytesIO(_png())), 100, 100, width=200, height=200)
        pdf.showPage()
    pdf.save()

    assert _code(path.read_bytes(), "scan.pdf") == "scanned_pdf"


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (_docx()[:600], "cut-off.docx"),
        (b"this is not a word file", "notice.docx"),
        (_zip({"word/document.xml": b"<w:document><unclosed"}), "broken.docx"),
        (_zip({"xl/workbook.xml": b"not xml at all"}), "broken.xlsx"),
        (b"%PDF-1.4\n1 0 obj garbage without any xref\n%%EOF", "broken.pdf"),
        (b"not a pdf", "notice.pdf"),
    ],
)
def test_corrupt(data: bytes, filename: str) -> None:
    assert _code(data, filename) == "corrupt"


def _xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (
            _zip({"ppt/presentation.xml": b"<p/>", "[Content_Types].xml": b"<T/>"}),
            "s.pptx",
            ".pptx",
        ),
        (_zip({"photos/1.txt": b"hello"}), "archive.zip", ".zip"),
        (_png(), "scan.png", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "photo.jpg", "JPEG"),
        (b"{\\rtf1\\ansi hello}", "notice.doc", "RTF"),
        (b'{"tasks": []}', "tasks.json", ".json"),
        (ole_file("PowerPoint Document"), "slides.ppt", ".ppt"),
    ],
)
def test_unsupported_types_name_what_they_are(data: bytes, filename: str, kind: str) -> None:
    with pytest.raises(IntakeError) as caught:
        read_bytes(data, filename)

    assert caught.value.code == "unsupported_type"
    assert caught.value.params["kind"] == kind
    assert ".docx" in caught.value.render(), "the hint lists the formats that do work"


def test_every_message_has_its_chinese_translation_beside_it() -> None:
    source = (Path(__file__).parents[3] / "duban/intake/readers/problems.py").read_text("utf-8")
    lines = source.splitlines()
    calls = [
        i for i, line in enumerate(lines) if re.search(r"\bN_\(", line) and "def N_" not in line
    ]

    assert len(calls) >= 18
    for index in calls:
        before = lines[index - 1].strip()
        assert before.startswith("#") and re.search(r"[\u4e00-\u9fff]", before), lines[index]
