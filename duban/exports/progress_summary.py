"""The quarterly 进展情况汇总表 (progress summary of a reporting period) as .xlsx, .docx and PDF.

Pure data in, bytes out: duban.reporting.services.summary gathers a ``ProgressSummary`` (one
``SummaryRow`` per task, the headers and the lines under the title already translated; the
model is duban.exports.progress_summary_model, which imports no library) and the period page
hands out the bytes. openpyxl and python-docx are imported with this module, so the period page
holds it as a ``LazyModule`` (duban/core/lazy.py).

- **xlsx** (Excel and WPS): 宋体 throughout, the title over the table, a bold filled header row
  that stays in view (frozen panes) and is printed on every page (print titles), every cell
  bordered with wrapped top-aligned text, row heights set for the wrapped text, the light
  column filled in its colour, A4 landscape fitted to the page width.
- **docx**: an A4 landscape page, the title in 小标宋, the lines under it in 仿宋, then a real
  Word table (duban.exports.official_docx.add_table) whose header row repeats on every page.
- **PDF**: the same table from the template ``exports/summary.html`` through WeasyPrint, A4
  landscape, the header row repeated on every page, page numbers ``— 1 —``, fonts embedded.
"""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import official_docx, xlsx
from .official import Table
from .pdf import render_html, render_template
from .progress_summary_model import COLUMNS, ProgressSummary

_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# The light column's fill: Excel's own "good / neutral / bad" colours, readable in print.
LIGHT_FILLS = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE"}


# --- xlsx -------------------------------------------------------------------------------------


def write_xlsx(summary: ProgressSummary) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _SHEET_NAME_FORBIDDEN.sub("", summary.sheet_name)[:31] or "Sheet1"
    workbook.properties.title = xlsx.text(summary.title)
    workbook.properties.creator = "duban"
    last = get_column_letter(len(COLUMNS))
    total_width = sum(column.width for column in COLUMNS)

    sheet.append([xlsx.text(summary.title)])
    sheet.merge_cells(f"A1:{last}1")
    title = sheet["A1"]
    title.font = Font(name=xlsx.FONT_NAME, size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 24 * xlsx.lines(summary.title, total_width / 1.45) + 8

    header_row = 2
    if summary.notes:
        note = "　".join(summary.notes)
        sheet.append([xlsx.text(note)])
        sheet.merge_cells(f"A2:{last}2")
        cell = sheet["A2"]
        cell.font = Font(name=xlsx.FONT_NAME, size=10)
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        sheet.row_dimensions[2].height = xlsx.row_height([(note, total_width)])
        header_row = 3

    sheet.append([xlsx.text(text) for text in summary.header_texts()])
    xlsx.style_header(sheet[header_row])
    sheet.row_dimensions[header_row].height = 22

    style = xlsx.styles()
    left = Alignment(horizontal="left", vertical="top", wrap_text=True)
    centered = Alignment(horizontal="center", vertical="top", wrap_text=True)
    for row_number, row in enumerate(summary.rows, start=header_row + 1):
        texts = []
        for index, (column, text) in enumerate(zip(COLUMNS, row.values(), strict=True), start=1):
            cell = sheet.cell(row=row_number, column=index)
            if column.key == "number" and text.isdigit():
                cell.value = int(text)  # a number, so Excel shows no "number stored as text"
            else:
                cell.value = text
                cell.data_type = "s"  # never a formula, even when a text starts with "="
            cell.font = style.body_font
            cell.border = style.border
            cell.alignment = centered if column.centered else left
            if column.key == "light" and row.colour in LIGHT_FILLS:
                colour = LIGHT_FILLS[row.colour]
                cell.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
            texts.append((text, column.width))
        sheet.row_dimensions[row_number].height = xlsx.row_height(texts)

    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = f"C{header_row + 1}"  # the header and the number and task stay
    xlsx.print_a4_landscape(sheet, header_rows=f"{header_row}:{header_row}")
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "&P / &N"
    return xlsx.workbook_bytes(workbook)


# --- docx -------------------------------------------------------------------------------------

_DOCX_MARGIN_MM = 15  # every side of the landscape page
_DOCX_TEXT_SIZE = Pt(10.5)  # 五号


def write_docx(summary: ProgressSummary) -> bytes:
    document = Document()
    official_docx._default_fonts(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width = Mm(297)
    section.page_height = Mm(210)
    section.top_margin = section.bottom_margin = Mm(_DOCX_MARGIN_MM)
    section.left_margin = section.right_margin = Mm(_DOCX_MARGIN_MM)
    section.footer_distance = Mm(7)
    footer = section.footer.paragraphs[0]
    footer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    official_docx._page_field(footer, size=Pt(10.5))

    title = official_docx._paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER)
    official_docx._run(title, summary.title, official_docx.TITLE_FONT, Pt(18))
    for line in summary.notes:
        note = official_docx._paragraph(document, align=WD_ALIGN_PARAGRAPH.LEFT)
        official_docx._run(note, line, official_docx.BODY_FONT, Pt(10.5))
    table = Table(
        headers=summary.header_texts(),
        rows=[row.values() for row in summary.rows],
        widths=[column.width for column in COLUMNS],
    )
    official_docx.add_table(
        document,
        table,
        Mm(297 - 2 * _DOCX_MARGIN_MM),
        size=_DOCX_TEXT_SIZE,
        centered_columns=[i for i, column in enumerate(COLUMNS) if column.centered],
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF --------------------------------------------------------------------------------------


def context(summary: ProgressSummary) -> dict[str, Any]:
    total = sum(column.width for column in COLUMNS)
    return {
        "title": summary.title,
        "notes": summary.notes,
        "headers": summary.header_texts(),
        "columns": [
            {"share": f"{column.width / total * 100:.2f}", "centered": column.centered}
            for column in COLUMNS
        ],
        "rows": [
            {
                "colour": row.colour,
                "cells": [
                    {"text": text, "centered": column.centered, "key": column.key}
                    for column, text in zip(COLUMNS, row.values(), strict=True)
                ],
            }
            for row in summary.rows
        ],
    }


def write_pdf(summary: ProgressSummary) -> bytes:
    """The PDF; ``duban.exports.pdf.PdfUnavailable`` when PDFs cannot be made here."""
    return render_html(render_template("exports/summary.html", context(summary)))
