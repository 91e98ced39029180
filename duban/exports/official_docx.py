"""An official document (公文) as .docx in the GB/T 9704-2012 layout, from a plain dataclass.

Pure python-docx, no Django: the supervision app fills an ``OfficialDocument`` (the document
model, duban.exports.official) from a notice and hands the bytes out; a command or a test can do
the same. python-docx (with lxml) is imported with this module, so callers in the served
processes hold it as a ``LazyModule`` (duban/core/lazy.py): loaded for the first .docx only.

What the standard asks and how it is written here:

- A4 paper (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm
  (版心 156 × 225 mm).
- Body text in 3号 (16 pt) 仿宋_GB2312, 22 lines per page: exact line spacing of 28.95 pt and
  a document grid of the same pitch; every run names the font for Latin (``w:ascii``,
  ``w:hAnsi``) and for Chinese (``w:eastAsia``) text.
- The issuing agency's mark (发文机关标志) in red 方正小标宋简体, centred; the 发文字号
  (``偃督办〔2023〕3号``: 六角括号, serial without zero padding) centred under it; then the red
  separating line (版头中的分隔线).
- The title in 2号 (22 pt) 方正小标宋简体, centred. Fallback: the name is written as is;
  a machine without 方正小标宋简体 shows Word's substitute (usually 宋体/SimSun) and prints
  correctly once the font is installed, so no other name is written in its place.
- 主送机关 on its own line, flush left, ending with "：".
- Heading levels numbered by the writer: level 1 ``一、`` in 黑体, level 2 ``（一）`` in
  楷体_GB2312, level 3 ``1.`` in 仿宋_GB2312; level 0 is a body paragraph. A lower level's
  count starts again under each higher heading. Every paragraph is indented two characters.
- 发文机关署名 and the date (``2023年5月4日``, no zero padding) right-aligned, the date four
  characters from the right margin.
- Page numbers in the footer, ``— 1 —`` in 4号 (14 pt) 宋体 around a PAGE field; odd pages
  right-aligned and even pages left-aligned, one character in from the margin (different odd
  and even footers are switched on in the document settings).
- 版记 at the end in 4号 仿宋_GB2312: 抄送 line (ending with "。") and the line of 印发机关 and
  印发日期, with horizontal rules above, between and below (the outer ones thicker).
- A ``Table`` among the paragraphs (the assessment result) is a real Word table the width of
  the 版心: its caption centred in 黑体, the header row in 黑体 (repeated on every page it
  runs over), the cells in 4号 仿宋_GB2312, every cell bordered; its lines are not held to the
  document grid (a table's lines are closer than the body's 28.95 pt).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from .official import TEXT_WIDTH_MM, OfficialDocument, Table, cn_date, mark_size, numbered

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_1_FONT = "黑体"
HEADING_2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
SMALL_SIZE = Pt(14)  # 四号: page numbers, 版记
TEXT_WIDTH = Mm(TEXT_WIDTH_MM)  # the 版心's width
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm 版心
CHAR = BODY_SIZE  # one character of body text, for indents
RED = RGBColor(0xE6, 0x00, 0x12)
LEVEL_FONTS = {0: BODY_FONT, 1: HEADING_1_FONT, 2: HEADING_2_FONT, 3: BODY_FONT}


def _fonts(run_element: object, name: str) -> None:
    r_pr = run_element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _run(
    paragraph: Paragraph,
    text: str,
    font: str = BODY_FONT,
    size: Length = BODY_SIZE,
    *,
    bold: bool = False,
    color: RGBColor | None = None,
) -> None:
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    _fonts(run._r, font)


def _paragraph(
    document: object,
    *,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    first_line: int | None = None,
    right: int | None = None,
    exact: int | None = LINE_PITCH,
) -> Paragraph:
    paragraph: Paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if exact is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = exact
    if first_line is not None:
        fmt.first_line_indent = first_line
    if right is not None:
        fmt.right_indent = right
    return paragraph


def _border(paragraph: Paragraph, side: str, size_eighths: int, color: str = "000000") -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), color)
    borders.append(line)


def _page_field(paragraph: Paragraph, size: Length = SMALL_SIZE) -> None:
    """A PAGE field between the dashes: ``— {PAGE} —``."""
    _run(paragraph, "— ", PAGE_NUMBER_FONT, size)
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1")):
        run = paragraph.add_run()
        run.font.size = size
        _fonts(run._r, PAGE_NUMBER_FONT)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text or ""
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    end = paragraph.add_run()
    end_char = OxmlElement("w:fldChar")
    end_char.set(qn("w:fldCharType"), "end")
    end._r.append(end_char)
    _run(paragraph, " —", PAGE_NUMBER_FONT, size)


def _footer(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = SMALL_SIZE  # 单页码居右空一字
    else:
        fmt.left_indent = SMALL_SIZE  # 双页码居左空一字
    _page_field(paragraph)


def _grid(section: object) -> None:
    """The document grid: 22 lines of 28.95 pt per page."""
    sect_pr = section._sectPr  # type: ignore[attr-defined]
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))


def _default_fonts(document: object) -> None:
    style = document.styles["Normal"]  # type: ignore[attr-defined]
    style.font.name = BODY_FONT
    style.font.size = BODY_SIZE
    _fonts(style.element, BODY_FONT)


def _cell_border(element: object) -> None:
    """Single black borders on every side of a table and between its cells (``w:tblBorders``),
    written out rather than left to a table style that WPS may not know."""
    tbl_pr = element.tblPr  # type: ignore[attr-defined]
    borders = tbl_pr.find(qn("w:tblBorders"))
    if borders is None:
        borders = OxmlElement("w:tblBorders")
        tbl_pr.append(borders)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)


def _off_grid(paragraph: Paragraph) -> None:
    """Lines at the font's own height, not snapped to the document grid."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().append(snap)


def _cell_text(
    paragraph: Paragraph, text: str, font: str, size: Length, *, center: bool, bold: bool = False
) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.15
    _off_grid(paragraph)
    for index, line in enumerate(str(text).split("\n")):
        if index:
            paragraph.add_run().add_break()
        _run(paragraph, line, font, size, bold=bold)


def add_table(
    document: object,
    table: Table,
    width: Length,
    *,
    size: Length = SMALL_SIZE,
    centered_columns: Sequence[int] = (),
    header_font: str = HEADING_1_FONT,
) -> DocxTable:
    """``table`` as a Word table ``width`` wide: header row repeated on every page, every cell
    bordered, text in ``size`` 仿宋 (the header in ``header_font``), the columns numbered in
    ``centered_columns`` centred. Used by ``write`` and by the landscape summary table."""
    fractions = table.fractions()
    if table.caption:
        caption = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER)
        _run(caption, table.caption, HEADING_1_FONT, BODY_SIZE)
    grid = document.add_table(rows=1, cols=len(table.headers))  # type: ignore[attr-defined]
    grid.autofit = False
    _cell_border(grid._tbl)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    grid._tbl.tblPr.append(layout)
    columns = [Length(int(width * share)) for share in fractions]
    for column, column_width in zip(grid.columns, columns, strict=True):
        column.width = column_width
    header = grid.rows[0]
    repeat = OxmlElement("w:tblHeader")  # 标题行重复
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for index, (cell, text) in enumerate(zip(header.cells, table.headers, strict=True)):
        cell.width = columns[index]
        _cell_text(cell.paragraphs[0], text, header_font, size, center=True)
    for values in table.rows:
        row = grid.add_row()
        for index, (cell, text) in enumerate(zip(row.cells, table.cells(values), strict=True)):
            cell.width = columns[index]
            _cell_text(cell.paragraphs[0], text, BODY_FONT, size, center=index in centered_columns)
    return grid


def write(doc: OfficialDocument) -> bytes:
    """The document as .docx bytes."""
    document = Document()
    _default_fonts(document)
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(37)
    section.bottom_margin = Mm(35)
    section.left_margin = Mm(28)
    section.right_margin = Mm(26)
    section.footer_distance = Mm(28) - Pt(7) * 2  # the page number sits about 7 mm below 版心
    _grid(section)
    document.settings.odd_and_even_pages_header_footer = True
    _footer(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _footer(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)

    # 版头: the red agency mark, the document number, the red separating line.
    mark = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, exact=None)
    mark.paragraph_format.space_after = Pt(28)
    mark_text = doc.agency_mark or f"{doc.issuer}文件"
    _run(mark, mark_text, TITLE_FONT, Pt(mark_size(mark_text)), color=RED)
    number = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER)
    _run(number, doc.doc_number)
    _border(number, "bottom", 18, "E60012")  # 版头中的分隔线, red
    _paragraph(document)  # one blank line under the rule

    title = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, exact=Pt(35))
    _run(title, doc.title, TITLE_FONT, TITLE_SIZE)
    _paragraph(document)

    if doc.recipients:
        recipients = _paragraph(document, align=WD_ALIGN_PARAGRAPH.LEFT)
        _run(recipients, "、".join(doc.recipients).rstrip("：:") + "：")

    for para, prefix in numbered(doc.paragraphs):
        if isinstance(para, Table):
            add_table(document, para, TEXT_WIDTH, centered_columns=para.centered_columns())
            continue
        paragraph = _paragraph(document, first_line=CHAR * 2)
        font = LEVEL_FONTS.get(para.level, BODY_FONT)
        _run(paragraph, prefix + para.text, font)

    _paragraph(document)
    _paragraph(document)
    issuer = _paragraph(document, align=WD_ALIGN_PARAGRAPH.RIGHT, right=CHAR * 2)
    _run(issuer, doc.issuer)
    when = _paragraph(document, align=WD_ALIGN_PARAGRAPH.RIGHT, right=CHAR * 4)
    _run(when, cn_date(doc.date))

    # 版记
    _paragraph(document)
    lines: list[Paragraph] = []
    if doc.cc:
        cc = _paragraph(document, align=WD_ALIGN_PARAGRAPH.LEFT)
        cc.paragraph_format.left_indent = SMALL_SIZE
        cc.paragraph_format.right_indent = SMALL_SIZE
        _run(cc, "抄送：", BODY_FONT, SMALL_SIZE)
        _run(cc, "，".join(doc.cc).rstrip("。") + "。", BODY_FONT, SMALL_SIZE)
        lines.append(cc)
    printed = _paragraph(document, align=WD_ALIGN_PARAGRAPH.LEFT)
    printed.paragraph_format.left_indent = SMALL_SIZE
    printed.paragraph_format.right_indent = SMALL_SIZE
    width = TEXT_WIDTH - SMALL_SIZE * 2
    printed.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    printed_on = doc.printed_on or doc.date
    _run(
        printed, f"{doc.printed_by or doc.issuer}\t{cn_date(printed_on)}印发", BODY_FONT, SMALL_SIZE
    )
    lines.append(printed)
    _border(lines[0], "top", 12)  # first and last rules: 0.35 mm-ish, thicker
    for upper in lines[:-1]:
        _border(upper, "bottom", 4)  # rules between: thinner
    _border(lines[-1], "bottom", 12)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
