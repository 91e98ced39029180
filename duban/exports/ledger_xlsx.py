"""The ledger as an .xlsx workbook that reads well in Excel and WPS as it is opened.

Offices forward the ledger to units and print it for meetings, so the sheet carries its own
layout: the plan's title over the table, a bold filled header repeated on every printed page,
wrapped text in top-aligned cells, frozen panes, and A4 landscape fitted to the page width.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from . import xlsx
from .xlsx import N_


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float  # in Excel's units: about one Latin digit, half a Chinese character
    centered: bool = False


# The ledger as the notice has it, then how the task stands: its light (灯色), the progress of
# its latest submitted report and that report's 进展情况 (empty before any report).
COLUMNS: tuple[Column, ...] = (
    Column("number", N_("No."), 6, centered=True),
    Column("area", N_("Area"), 18),
    Column("text", N_("Key task"), 50),
    Column("targets", N_("Targets"), 28),
    Column("leaders", N_("Lead leaders"), 11, centered=True),
    Column("lead_units", N_("Lead units"), 16),
    Column("responsible_units", N_("Responsible units"), 24),
    Column("deadline", N_("Deadline"), 15, centered=True),
    Column("status", N_("Status"), 9, centered=True),
    Column("light", N_("Light colour"), 9, centered=True),
    Column("progress", N_("Progress"), 8, centered=True),
    Column("progress_text", N_("Latest progress made"), 40),
)

_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def build_ledger_xlsx(
    title: str,
    rows: Iterable[Mapping[str, str] | Sequence[str]],
    *,
    headers: Mapping[str, str] | None = None,
    sheet_name: str = "Ledger",
) -> bytes:
    """The workbook's bytes: title row, header row, one row per task (dicts keyed by column)."""
    headers = headers or {}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _SHEET_NAME_FORBIDDEN.sub("", sheet_name)[:31] or "Sheet1"
    workbook.properties.title = xlsx.text(title)
    workbook.properties.creator = "duban"
    last = get_column_letter(len(COLUMNS))

    sheet.append([xlsx.text(title)])
    sheet.merge_cells(f"A1:{last}1")
    title_cell = sheet["A1"]
    title_cell.font = Font(name=xlsx.FONT_NAME, size=16, bold=True)
    title_cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    total_width = sum(column.width for column in COLUMNS)
    sheet.row_dimensions[1].height = 24 * xlsx.lines(title, total_width / 1.45) + 8

    sheet.append([xlsx.text(headers.get(column.key, column.header)) for column in COLUMNS])
    xlsx.style_header(sheet[2])
    sheet.row_dimensions[2].height = 22

    style = xlsx.styles()
    left = Alignment(horizontal="left", vertical="top", wrap_text=True)
    centered = Alignment(horizontal="center", vertical="top", wrap_text=True)
    for row_number, row in enumerate(rows, start=3):
        values = (
            [row.get(column.key, "") for column in COLUMNS]
            if isinstance(row, Mapping)
            else list(row)
        )
        texts = []
        for index, column in enumerate(COLUMNS, start=1):
            text = xlsx.text(values[index - 1] if index <= len(values) else "")
            cell = sheet.cell(row=row_number, column=index)
            if column.key == "number" and text.isdigit():
                cell.value = int(text)  # a number, so Excel shows no "number stored as text"
            else:
                cell.value = text
                cell.data_type = "s"  # never a formula, even when a task starts with "="
            cell.font = style.body_font
            cell.border = style.border
            cell.alignment = centered if column.centered else left
            texts.append((text, column.width))
        sheet.row_dimensions[row_number].height = xlsx.row_height(texts, max_lines=None)

    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A3"
    xlsx.print_a4_landscape(sheet, header_rows="2:2")
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "&P / &N"

    return xlsx.workbook_bytes(workbook)
