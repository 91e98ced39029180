"""Reading a filled report workbook back, cell by cell (input checking of the Excel import).

The workbook is written by duban.exports.report_template_xlsx (its layout is there, its marks
in report_template_model). Plain openpyxl with no Django import: the caller translates the
problems (messages are marked with ``N_``). openpyxl is imported by the first workbook read,
not with this module (duban/core/lazy.py): the report pages import it, and the served processes
keep no workbook library for the pages that never read one.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from duban.core.lazy import LazyModule
from duban.exports.report_template_model import MARK, META_SHEET, TOKEN
from duban.exports.xlsx import N_

from . import figures

if TYPE_CHECKING:
    import openpyxl
else:
    openpyxl = LazyModule("openpyxl")

MAX_UNPACKED = 50 * 2**20  # a real template unpacks to well under a megabyte


@dataclass(frozen=True)
class Problem:
    """One thing wrong: ``message`` is an untranslated N_ string with ``params``."""

    message: str
    params: Mapping[str, Any] = field(default_factory=dict)
    sheet: str = ""
    row: int | None = None
    column: str = ""  # the column's header as the workbook writes it


@dataclass
class Row:
    sheet: str
    row: int
    values: dict[str, Any]  # key → the cell's value (percent cells already × 100)


@dataclass
class ReadWorkbook:
    meta: dict[str, Any] = field(default_factory=dict)
    report_rows: list[Row] = field(default_factory=list)
    target_rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class CellError(ValueError):
    """A cell that cannot be read as what its column holds (an N_ message and its params)."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message, self.params = message, params


def read_workbook(data: bytes) -> ReadWorkbook:
    """The workbook's rows by column key; ``problems`` says why it cannot be read at all."""
    result = ReadWorkbook()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise zipfile.BadZipFile
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises anything from KeyError to its own exceptions
        result.problems.append(Problem(N_("The file is not an Excel workbook (.xlsx).")))
        return result
    meta = _meta(workbook)
    if meta is None:
        message = N_("This is not a report template downloaded from duban; download one first.")
        result.problems.append(Problem(message))
        return result
    result.meta = meta
    for key, headers_key, target in (
        ("reports_sheet", "report_headers", result.report_rows),
        ("targets_sheet", "target_headers", result.target_rows),
    ):
        name = meta.get(key, "")
        if name not in workbook.sheetnames:
            result.problems.append(
                Problem(N_("The sheet “%(sheet)s” is missing."), {"sheet": name})
            )
            continue
        rows, problems = _read_sheet(workbook[name], meta.get(headers_key) or {})
        target.extend(rows)
        result.problems.extend(problems)
    return result


def _meta(workbook: Any) -> dict[str, Any] | None:
    if META_SHEET not in workbook.sheetnames:
        return None
    sheet = workbook[META_SHEET]
    if sheet["A1"].value != MARK:
        return None
    try:
        meta = json.loads(str(sheet["A2"].value))
    except (TypeError, ValueError):
        return None
    return meta if isinstance(meta, dict) and meta.get("mark") == MARK else None


def _read_sheet(sheet: Any, headers: Mapping[str, str]) -> tuple[list[Row], list[Problem]]:
    by_text = {str(text).strip(): key for key, text in headers.items()}
    header_row: int | None = None
    columns: dict[str, int] = {}
    for cells in sheet.iter_rows(min_row=1, max_row=10):
        found = {
            by_text[str(c.value).strip()]: c.column
            for c in cells
            if str(c.value).strip() in by_text
        }
        if "token" in found and len(found) > len(columns):
            header_row, columns = cells[0].row, found
    if header_row is None:
        message = N_("The sheet “%(sheet)s” has lost its header row; download a new template.")
        return [], [Problem(message, {"sheet": sheet.title})]
    missing = [headers[key] for key in headers if key not in columns]
    if missing:
        message = N_("The sheet “%(sheet)s” has no column “%(column)s”; download a new template.")
        return [], [Problem(message, {"sheet": sheet.title, "column": missing[0]})]
    rows = []
    for cells in sheet.iter_rows(min_row=header_row + 1):
        values = {}
        for key, column in columns.items():
            cell = cells[column - 1] if column - 1 < len(cells) else None
            values[key] = _value(cell)
        if any(v not in (None, "") for v in values.values()):
            rows.append(Row(sheet.title, cells[0].row, values))
    return rows, []


def _value(cell: Any) -> Any:
    if cell is None or cell.value is None:
        return None
    value = cell.value
    if isinstance(value, str):
        return value.strip()
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    number_format = cell.number_format or ""
    if numeric and "%" in number_format:
        return round(value * 100, 10)
    scientific = _SCIENTIFIC.search(number_format)
    if numeric and scientific:  # 1e3 typed into Excel shows as 1.00E+03: read what is shown
        return f"{value:.{len(scientific.group(1) or '')}E}"
    return value


_SCIENTIFIC = re.compile(r"(?:\.([0#]*))?E[+-]", re.IGNORECASE)


# --- Cells ------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def read_token(value: Any, sign: Callable[[str], str], kind: str) -> int:
    match = TOKEN.match(str(value or "").strip())
    if not match or sign(f"{kind}:{match.group(1)}") != match.group(2):
        raise CellError(N_("the row cannot be identified (its hidden identifier was changed)"))
    return int(match.group(1))


def read_text(value: Any, limit: int) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > limit:
        message = N_("%(length)s characters, more than the %(limit)s allowed")
        raise CellError(message, length=len(text), limit=limit)
    return text


def read_status(value: Any, labels: Mapping[str, str], shown: Sequence[str]) -> str:
    """The status of a label (``labels``: label in any language duban speaks → status);
    ``shown``: the labels an error lists, those of the template's drop-down."""
    text = "" if value is None else str(value).strip()
    if text in labels:
        return labels[text]
    if not text:
        raise CellError(N_("choose a status from the list"))
    choices = "、".join(shown)
    raise CellError(N_("“%(value)s” is not one of %(choices)s"), value=text, choices=choices)


def read_progress(value: Any) -> int | None:
    """A whole number from 0 to 100 (``50%`` and ``50.0`` too), or None for an empty cell."""
    if value is None or value == "":
        return None
    text = str(value).strip().removesuffix("%").strip()
    try:
        number = Decimal(text) if _NUMBER.match(text) else None
    except InvalidOperation:
        number = None
    if number is None or number != number.to_integral_value() or not 0 <= number <= 100:
        raise CellError(N_("“%(value)s” is not a whole number from 0 to 100"), value=value)
    return int(number)


def read_number(value: Any, target: str = "") -> Decimal | None:
    """A target's figure by the report form's rule (``figures.read_figure``): a plain,
    non-negative decimal number (``1,234.5`` and full-width digits too), no exponent notation;
    None for an empty cell. ``target`` names the target in the message."""
    try:
        return figures.read_figure(value, target)
    except figures.FigureError as exc:
        raise CellError(exc.message, **exc.params) from None
