"""Reading and filling the report workbook as a unit's clerk would, with openpyxl."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import openpyxl
from openpyxl.workbook.workbook import Workbook


def load(data: bytes) -> Workbook:
    return openpyxl.load_workbook(BytesIO(data))


def save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def header(sheet: Any) -> dict[str, int]:
    """Column number of each header (row 3)."""
    return {str(cell.value): cell.column for cell in sheet[3] if cell.value}


def row_of(sheet: Any, number: str) -> int:
    """The row of task ``number`` on the first sheet (or of its first target on the second)."""
    for row in sheet.iter_rows(min_row=4):
        if str(row[0].value) == number:
            return int(row[0].row)
    raise LookupError(number)


def fill(sheet: Any, row: int, **values: Any) -> None:
    columns = header(sheet)
    for name, value in values.items():
        sheet.cell(row=row, column=columns[name], value=value)
