"""Every reader on hostile files: refused, or read, within 5 s and 300 MB.

The span-bomb web page has its own test (test_html_reader.py); here are the Word and Excel
packages that expand enormously (a "zip bomb" named .docx or .xlsx), with thousands of entries,
with entity and nesting bombs in their XML, a PDF whose streams inflate to gigabytes or are
damaged, and text and CSV files shaped to hurt. Each runs under ``within_budget``
(tests/support/budget.py): CPU time, Python's peak allocations and the process's peak resident
memory, which counts lxml's and zlib's too.
"""

from __future__ import annotations

import functools
import hashlib
import io
import zipfile
import zlib

import pytest
from django.utils import translation
from openpyxl import Workbook

from duban.core import files
from duban.intake.errors import IntakeError
from duban.intake.readers import read_bytes
from tests.support.budget import within_budget
from tests.unit.readers.builders import new_document

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx() -> bytes:
    document = new_document()
    document.add_paragraph("关于印发重点工作的通知")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    book = Workbook()
    book.active.append(["序号", "重点任务", "牵头单位"])
    book.active.append([1, "新增规上企业50家", "工信局"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _repack(data: bytes, replace: dict[str, bytes], extra: int = 0) -> bytes:
    """The package with parts replaced and ``extra`` empty entries added."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, replace.pop(info.filename, source.read(info)))
        for name, content in replace.items():
            target.writestr(name, content)
        for number in range(extra):
            target.writestr(f"customXml/extra{number}.xml", b"")
    return output.getvalue()


@functools.cache
def docx_bomb() -> bytes:
    """document.xml inflates from about 60 KB to 64 MB: a thousand times."""
    body = b"<w:document " + W.encode() + b"><w:body><w:p><w:r><w:t>"
    return _repack(_docx(), {"word/document.xml": body + b" " * (64 * 2**20)})


@functools.cache
def xlsx_bomb() -> bytes:
    return _repack(_xlsx(), {"xl/sharedStrings.xml": b" " * (64 * 2**20)})


def _code(data: bytes, name: str) -> tuple[str | None, float]:
    cost = within_budget(lambda: read_bytes(data, name))
    cost.check()
    error = cost.error
    assert error is None or isinstance(error, IntakeError), repr(error)
    return (error.code if isinstance(error, IntakeError) else None), cost.seconds


@pytest.mark.parametrize(("build", "name"), [(docx_bomb, "通知.docx"), (xlsx_bomb, "台账.xlsx")])
def test_a_zip_bomb_named_docx_or_xlsx_is_refused(build: object, name: str) -> None:
    data = build()  # type: ignore[operator]
    assert len(data) < 1024 * 1024

    code, _ = _code(data, name)

    assert code == "zip_bomb"
    with pytest.raises(IntakeError) as caught:
        read_bytes(data, name)
    assert "压缩炸弹" in caught.value.render(_zh)


def _zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


def test_a_package_of_twenty_thousand_entries_is_refused() -> None:
    assert _code(_repack(_docx(), {}, extra=20_000), "多.docx")[0] == "zip_bomb"


def test_entity_expansion_in_a_word_document_is_not_expanded() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE w:document ['
        b'<!ENTITY a "hahahahahaha">'
        + b"".join(
            f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">'.encode() for n in range(9)
        )
        + b"]><w:document "
        + W.encode()
        + "><w:body><w:p><w:r><w:t>通知&j;</w:t></w:r></w:p></w:body></w:document>".encode()
    )
    code, _ = _code(_repack(_docx(), {"word/document.xml": laughs}), "laughs.docx")
    assert code in (None, "corrupt", "empty")


def test_deeply_nested_word_xml_is_refused_quickly() -> None:
    depth = 20_000  # under a megabyte: refused for its depth, not for expanding
    nested = b"<w:sdt><w:sdtContent>" * depth + b"</w:sdtContent></w:sdt>" * depth
    xml = b"<w:document " + W.encode() + b"><w:body>" + nested + b"</w:body></w:document>"
    code, _ = _code(_repack(_docx(), {"word/document.xml": xml}), "deep.docx")
    assert code in (None, "corrupt", "empty")


def test_a_stray_far_cell_and_a_whole_sheet_merge_cost_nothing() -> None:
    book = Workbook()
    book.active.append(["序号", "重点任务"])
    book.active.merge_cells("D5:E6")
    book.active["XFD1048576"] = "远"
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").replace(b"D5:E6", b"D5:XFD1048575")
    code, _ = _code(_repack(buffer.getvalue(), {"xl/worksheets/sheet1.xml": sheet}), "far.xlsx")
    assert code is None


def _pdf(stream: bytes, *, filtered: bool = True) -> bytes:
    """A one-page PDF whose content stream is ``stream`` (deflated unless told otherwise)."""
    filters = b"/Filter /FlateDecode " if filtered else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< " + filters + b"/Length " + str(len(stream)).encode() + b" >>\nstream\n"
        + stream + b"\nendstream",
    ]  # fmt: skip
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode())
    out.write(f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


@functools.cache
def pdf_bomb() -> bytes:
    """A content stream that inflates from about 100 KB to 110 MB."""
    packer = zlib.compressobj(9)
    chunk = b" " * 2**20
    stream = b"".join(packer.compress(chunk) for _ in range(110)) + packer.flush()
    return _pdf(stream)


def test_a_pdf_whose_stream_inflates_to_gigabytes_is_refused() -> None:
    data = pdf_bomb()
    assert len(data) < 1024 * 1024
    assert _code(data, "bomb.pdf")[0] == "zip_bomb"


def test_a_damaged_pdf_stream_is_read_in_linear_time() -> None:
    """pdfminer's fallback for a bad checksum added bytes one by one to a growing string:
    minutes for this stream. It is linear now."""
    noise = hashlib.sha256()
    lines = []
    for number in range(30_000):  # comments the content parser skips; barely compressible
        noise.update(str(number).encode())
        lines.append(b"% " + noise.hexdigest().encode())
    text = b"\n".join(lines) + b"\nBT /F1 12 Tf 72 720 Td (Hello) Tj ET\n"
    damaged = zlib.compress(text)[:-4] + b"\x00\x00\x00\x00"  # a wrong Adler-32 checksum
    code, _ = _code(_pdf(damaged), "damaged.pdf")
    assert code in ("scanned_pdf", "corrupt", None)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ("任务".encode() * (9 * 2**20 // 6) + b"\n", "one-line.txt"),
        (b"\n" * (19 * 2**20) + "通知".encode(), "newlines.txt"),
        (b"," * (19 * 2**20) + b"\n1,2\n", "wide.csv"),
        (b'"' + b"a" * (19 * 2**20), "quote.csv"),
    ],
)
def test_text_and_csv_shaped_to_hurt(data: bytes, name: str) -> None:
    _code(data, name)


@pytest.mark.parametrize(
    ("build", "name"),
    [
        (docx_bomb, "佐证.docx"),
        (xlsx_bomb, "佐证.xlsx"),
        (lambda: _repack(_docx(), {}, 20_000), "多.docx"),
    ],
)
def test_a_zip_bomb_is_refused_as_evidence_too(build: object, name: str) -> None:
    """The upload check (every evidence file, reply and inspection file) refuses it."""
    with translation.override("zh-hans"), pytest.raises(files.UploadRejected) as caught:
        files.check_file(name, build())  # type: ignore[operator]

    assert name in str(caught.value) and "压缩炸弹" in str(caught.value)
    assert files.check_file("正常.docx", _docx()).content_type == files.DOCX
