"""Fixture documents built in code, so every test shows exactly what its input contains."""

from __future__ import annotations

import struct
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml import parse_xml
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CJK_FONT = "STSong-Light"
PAGE_WIDTH, PAGE_HEIGHT = A4

_END_OF_CHAIN = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_FAT_SECTOR = 0xFFFFFFFD


def ole_file(*streams: str) -> bytes:
    """A minimal but well-formed OLE2 compound file whose directory lists ``streams``.

    One FAT sector (sector 0) and one directory sector (sector 1), so at most three streams.
    """
    assert len(streams) <= 3
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 0x2C, 1)  # one FAT sector
    struct.pack_into("<I", header, 0x30, 1)  # directory starts at sector 1
    struct.pack_into("<IIIII", header, 0x38, 4096, _END_OF_CHAIN, 0, _END_OF_CHAIN, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([_FREE] * 108))
    fat = struct.pack("<128I", _FAT_SECTOR, _END_OF_CHAIN, *([_FREE] * 126))

    def entry(name: str, kind: int, child: int, right: int) -> bytes:
        encoded = name.encode("utf-16-le")
        raw = bytearray(128)
        raw[: len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 0x40, len(encoded) + 2, kind, 1)
        struct.pack_into("<III", raw, 0x44, _FREE, right, child)
        struct.pack_into("<I", raw, 0x74, _END_OF_CHAIN)
        return bytes(raw)

    entries = [entry("Root Entry", 5, 1 if streams else _FREE, _FREE)]
    for index, name in enumerate(streams, start=1):
        entries.append(entry(name, 2, _FREE, index + 1 if index < len(streams) else _FREE))
    directory = b"".join(entries).ljust(512, b"\x00")
    return bytes(header) + fat + directory


def add_body_xml(document: DocumentObject, xml: str) -> None:
    """Append raw WordprocessingML elements (``w:`` prefixed, no namespace declaration)."""
    wrapper = parse_xml(f"<w:body {W_NS}>{xml}</w:body>")
    for element in list(wrapper):
        document.element.body.sectPr.addprevious(element)


def add_numbering(
    document: DocumentObject, abstract_id: int, num_id: int, levels: list[str]
) -> None:
    """Define list ``num_id`` whose levels are ``(numFmt, lvlText)`` pairs given as 'fmt|text'."""
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(level.split("|") for level in levels)
    )
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(f'<w:abstractNum {W_NS} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'),
    )
    numbering.append(
        parse_xml(
            f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
        )
    )


def numbered(text: str, num_id: int, level: int) -> str:
    return (
        f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
        f"</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
    )


def new_document() -> DocumentObject:
    return Document()


def _register_font() -> None:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def draw_pdf(path: Path, pages: list[list[tuple[float, float, str]]], *, encrypt: str = "") -> Path:
    """A PDF whose pages hold ``(x, y, text)`` strings in a 12 pt CJK font (no font file needed)."""
    _register_font()
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt or None)
    for lines in pages:
        pdf.setFont(CJK_FONT, 12)
        for x, y, text in lines:
            pdf.drawString(x, y, text)
        pdf.showPage()
    pdf.save()
    return path


def text_width(text: str) -> float:
    _register_font()
    return float(pdfmetrics.stringWidth(text, CJK_FONT, 12))


def typeset_notice(path: Path, paragraphs: list[str]) -> Path:
    """Lay paragraphs out as GB/T 9704 prescribes: 16 pt, two-character first-line indent,
    37/35 mm top/bottom and 28/26 mm left/right margins, ``— N —`` page numbers."""
    _register_font()
    size, pitch = 16, 28.95
    left, right, top, bottom = 79.37, 73.7, 104.88, 99.21
    body_width = PAGE_WIDTH - left - right
    pdf = canvas.Canvas(str(path), pagesize=A4)
    state = {"page": 1, "y": PAGE_HEIGHT - top}

    def finish_page() -> None:
        number = f"— {state['page']} —"
        pdf.setFont(CJK_FONT, 14)
        pdf.drawString((PAGE_WIDTH - pdfmetrics.stringWidth(number, CJK_FONT, 14)) / 2, 65, number)
        pdf.showPage()
        state["page"] += 1
        state["y"] = PAGE_HEIGHT - top

    for paragraph in paragraphs:
        rest, indent = paragraph, 2 * size
        while rest:
            count = 0
            while count < len(rest) and pdfmetrics.stringWidth(
                rest[: count + 1], CJK_FONT, size
            ) <= (body_width - indent):
                count += 1
            if state["y"] < bottom:
                finish_page()
            pdf.setFont(CJK_FONT, size)
            pdf.drawString(left + indent, state["y"] - size, rest[:count])
            state["y"] -= pitch
            rest, indent = rest[count:], 0
    finish_page()
    pdf.save()
    return path
