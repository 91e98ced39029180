"""What every workbook duban writes shares: the font, borders and fills, text Excel accepts,
row heights for wrapped text, and the A4 landscape print setup.

Excel and WPS do not reliably fit row heights to wrapped text when they open a generated file,
so the writers set them themselves (``row_height``), erring on the generous side.

Importing this module does not import openpyxl: ``N_``, ``clean``, ``text`` and the row heights
serve modules that describe a workbook without writing one, and the served processes load
openpyxl only for the first workbook they write or read (duban/core/lazy.py). The styles
(``styles()``) are made when the first workbook asks for them.
"""

from __future__ import annotations

import functools
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from duban.core.formatting import display_width
from duban.core.lazy import LazyModule

if TYPE_CHECKING:
    from openpyxl import styles as openpyxl_styles
else:
    openpyxl_styles = LazyModule("openpyxl.styles")


def N_(message: str) -> str:
    """Marks a string for translation (``makemessages --keyword=N_``); the caller translates."""
    return message


FONT_NAME = "宋体"  # the default of WPS and of Chinese Excel; present on every office PC
LINE_HEIGHT = 14.5  # points per line of 11-point text
MAX_LINES = 30  # a taller row is cut: Excel cannot show more than 409 points anyway
# openpyxl's rule for the control characters a cell may not hold
# (openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE), kept here so that cleaning text needs no openpyxl.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


@dataclass(frozen=True)
class Styles:
    """The openpyxl styles the workbooks share (``styles()``)."""

    border: Any  # thin grey lines on every side
    header_fill: Any
    locked_fill: Any  # cells the person does not fill in
    wrap: Any  # top-aligned wrapped text
    header_font: Any
    body_font: Any
    centered: Any  # centred both ways, wrapped


@functools.cache
def styles() -> Styles:
    """The shared styles, made (and openpyxl imported) when the first workbook needs them."""
    thin = openpyxl_styles.Side(style="thin", color="808080")
    return Styles(
        border=openpyxl_styles.Border(left=thin, right=thin, top=thin, bottom=thin),
        header_fill=openpyxl_styles.PatternFill(
            fill_type="solid", start_color="D9E1F2", end_color="D9E1F2"
        ),
        locked_fill=openpyxl_styles.PatternFill(
            fill_type="solid", start_color="F2F2F2", end_color="F2F2F2"
        ),
        wrap=openpyxl_styles.Alignment(vertical="top", wrap_text=True),
        header_font=openpyxl_styles.Font(name=FONT_NAME, size=11, bold=True),
        body_font=openpyxl_styles.Font(name=FONT_NAME, size=11),
        centered=openpyxl_styles.Alignment(horizontal="center", vertical="center", wrap_text=True),
    )


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
    style = styles()
    for cell in cells:
        cell.font = style.header_font
        cell.fill = style.header_fill
        cell.border = style.border
        cell.alignment = style.centered


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
