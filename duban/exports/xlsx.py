"""What every workbook duban writes shares: the font, borders and fills, text Excel accepts,
row heights for wrapped text, and the A4 landscape print setup.

Excel and WPS do not reliably fit row heights to wrapped text when they open a generated file,
so the writers set them themselves (``row_height``), erring on the generous side.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from duban.core.formatting import display_width


def N_(message: str) -> str:
    """Marks a string for translation (``makemessages --keyword=N_``); the caller translates."""
    return message


FONT_NAME = "宋体"  # the default of WPS and of Chinese Excel; present on every office PC
LINE_HEIGHT = 14.5  # points per line of 11-point text
MAX_LINES = 30  # a taller row is cut: Excel cannot show more than 409 points anyway
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill(fill_type="solid", start_color="D9E1F2", end_color="D9E1F2")
LOCKED_FILL = PatternFill(fill_type="solid", start_color="F2F2F2", end_color="F2F2F2")
WRAP = Alignment(vertical="top", wrap_text=True)
HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True)
BODY_FONT = Font(name=FONT_NAME, size=11)
CENTERED = Alignment(horizontal="center", vertical="center", wrap_text=True)


def clean(value: Any) -> Any:
    """Text without the control characters that make Excel call a file corrupt; other values
    as they are."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def text(value: object) -> str:
    """Any value as cleaned text (None is empty)."""
    return ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))


def lines(text: str, width: float) -> int:
    """How many lines wrapped text takes in a column, estimated from its display width."""
    usable = max(width - 1.5, 1)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in str(text).split("\n"))


def row_height(texts: Iterable[tuple[str, float]], *, max_lines: int | None = MAX_LINES) -> float:
    """Row height for wrapped texts in columns of the given widths."""
    most = max((lines(text, width) for text, width in texts), default=1)
    return LINE_HEIGHT * (most if max_lines is None else min(most, max_lines)) + 4


def style_header(cells: Iterable[Any]) -> None:
    """Bold, filled, bordered and centred: the header row of a table."""
    for cell in cells:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = CENTERED


def print_a4_landscape(sheet: Any, *, header_rows: str) -> None:
    """A4 landscape, fitted to the page width, ``header_rows`` (``"3:3"``) on every page."""
    sheet.print_title_rows = header_rows
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def workbook_bytes(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
