"""Uploads are often misnamed: the content decides which reader runs, the name only breaks ties."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from duban.intake.blocks import Block
from duban.intake.readers import read_bytes, read_file
from tests.unit.readers.builders import draw_pdf, new_document


def _docx(text: str) -> bytes:
    document = new_document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("filename", ["notice.txt", "notice.doc", "notice", "notice.DOCX"])
def test_a_word_file_is_read_as_word_whatever_its_name(filename: str) -> None:
    assert read_bytes(_docx("任务正文"), filename) == [Block.paragraph("任务正文")]


def test_a_pdf_named_txt_is_read_as_pdf(tmp_path: Path) -> None:
    data = draw_pdf(tmp_path / "x.pdf", [[(72, 700, "PDF里的文字")]]).read_bytes()

    blocks = read_bytes(data, "notice.txt")

    assert [(block.text, block.page) for block in blocks] == [("PDF里的文字", 1)]


def test_a_tab_separated_export_named_xls_is_read_as_csv() -> None:
    data = "序号\t任务\n1\t新增\n".encode("gbk")

    assert [block.cells for block in read_bytes(data, "export.xls")] == [
        ("序号", "任务"),
        ("1", "新增"),
    ]


def test_a_missing_path_is_the_callers_error_not_the_documents(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_file(tmp_path / "missing.docx")
