"""The ledger as an .xlsx workbook that reads well in Excel and WPS as it is opened.

Offices forward the ledger to units and print it for meetings, so the sheet carries its own
layout: the plan's title over the table, a bold filled header repeated on every printed page,
wrapped text in top-aligned cells, frozen panes, and A4 landscape fitted to the page width.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from duban.core.formatting import display_width


def N_(message: str) -> str:
    """Marks a string for translation (``makemessages --keyword=N_``); the caller translates."""
    return message


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float  # in Excel's units: about one Latin digit, half a Chinese character
    centered: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("number", N_("No."), 6, centered=True),
    Column("text", N_("Key task"), 56),
    Column("targets", N_("Targets"), 30),
    Column("leaders", N_("Lead leaders"), 11, centered=True),
    Column("lead_units", N_("Lead units"), 16),
    Column("responsible_units", N_("Responsible units"), 26),
    Column("deadline", N_("Deadline"), 15, centered=True),
    Column("status", N_("Status"), 9, centered=True),
)

FONT_NAME = "宋体"  # the default of WPS and of Chinese Excel; present on every office PC
LINE_HEIGHT = 14.5  # points per line of 11-point text
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill(fill_type="solid", start_color="D9E1F2", end_color="D9E1F2")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _clean(value: object) -> str:
    """Text without the control characters that make Excel call a file corrupt."""
    return ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))


def _lines(text: str, width: float) -> int:
    """How many lines wrapped text takes in a column, estimated from its display width.

    Excel and WPS do not reliably fit row heights to wrapped text when they open a generated
    file, so the sheet sets them itself, erring on the generous side.
    """
    usable = max(width - 1.5, 1)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


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
    workbook.properties.title = _clean(title)
    workbook.properties.creator = "duban"
    last = get_column_letter(len(COLUMNS))

    sheet.append([_clean(title)])
    sheet.merge_cells(f"A1:{last}1")
    title_cell = sheet["A1"]
    title_cell.font = Font(name=FONT_NAME, size=16, bold=True)
    title_cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    total_width = sum(column.width for column in COLUMNS)
    sheet.row_dimensions[1].height = 24 * _lines(title, total_width / 1.45) + 8

    sheet.append([_clean(headers.get(column.key, column.header)) for column in COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(name=FONT_NAME, size=11, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[2].height = 22

    body_font = Font(name=FONT_NAME, size=11)
    left = Alignment(horizontal="left", vertical="top", wrap_text=True)
    centered = Alignment(horizontal="center", vertical="top", wrap_text=True)
    for row_number, row in enumerate(rows, start=3):
        values = (
            [row.get(column.key, "") for column in COLUMNS]
            if isinstance(row, Mapping)
            else list(row)
        )
        lines = 1
        for index, column in enumerate(COLUMNS, start=1):
            text = _clean(values[index - 1] if index <= len(values) else "")
            cell = sheet.cell(row=row_number, column=index)
            if column.key == "number" and text.isdigit():
                cell.value = int(text)  # a number, so Excel shows no "number stored as text"
            else:
                cell.value = text
                cell.data_type = "s"  # never a formula, even when a task starts with "="
            cell.font = body_font
            cell.border = BORDER
            cell.alignment = centered if column.centered else left
            lines = max(lines, _lines(text, column.width))
        sheet.row_dimensions[row_number].height = LINE_HEIGHT * lines + 4

    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "&P / &N"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
