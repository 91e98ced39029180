"""The quarterly report workbook: written for one unit and period, read back cell by cell.

Plain openpyxl with no Django import: the caller supplies the translated labels, the rows and
a ``sign`` function, and translates the problems (messages are marked with ``N_``).

Layout (docs/reports.md):

- sheet 1, one row per task the unit leads: 序号, 重点任务, 状态 (a drop-down list of the four
  statuses), 完成进度%, 进展情况, 存在问题, 下步打算, and a hidden, locked 任务标识 column
  ``<task id>-<checksum>`` that identifies the task whatever is done to the other cells;
- sheet 2, one row per quantitative target of those tasks: 序号, 指标, 目标, 计量单位,
  本期数值 and a hidden 指标标识 (``<target id>-<checksum>``);
- a very hidden sheet ``duban`` recording the plan, unit and period the workbook is for and
  the header of every column, so that columns are found by their header when read back.

Only the white cells are unlocked; the sheets are protected without a password (so that rows
cannot be inserted by accident), and the checksums make a hand-edited identifier fail.
"""

from __future__ import annotations

import io
import json
import math
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from duban.core.formatting import display_width


def N_(message: str) -> str:
    """Marks a string for translation (``makemessages --keyword=N_``); the caller translates."""
    return message


MARK = "duban-report-template"
FORMAT = 1
META_SHEET = "duban"
REPORT_KEYS = ("number", "text", "status", "progress", "progress_text", "problems", "next_steps")
TARGET_KEYS = ("number", "label", "goal", "unit", "value")
WIDTHS = {
    **{"number": 7, "text": 40, "status": 10, "progress": 10, "progress_text": 40},
    **{"problems": 30, "next_steps": 30, "label": 24, "goal": 12, "unit": 10, "value": 14},
}
EDITABLE = {"status", "progress", "progress_text", "problems", "next_steps", "value"}
MAX_UNPACKED = 50 * 2**20  # a real template unpacks to well under a megabyte

FONT = "宋体"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill(fill_type="solid", start_color="D9E1F2", end_color="D9E1F2")
LOCKED_FILL = PatternFill(fill_type="solid", start_color="F2F2F2", end_color="F2F2F2")
WRAP = Alignment(vertical="top", wrap_text=True)


@dataclass(frozen=True)
class Sheet:
    """One table of the workbook: its name, title, note and column headers (by key)."""

    name: str
    title: str
    note: str
    headers: Mapping[str, str]  # key → header, including "token"


@dataclass(frozen=True)
class Line:
    """A row to write: its identifier, its cells by key, an optional comment on the first."""

    token: str
    cells: Mapping[str, Any]
    comment: str = ""


@dataclass(frozen=True)
class Template:
    reports: Sheet
    targets: Sheet
    statuses: Sequence[str]  # the drop-down list
    report_lines: Sequence[Line]
    target_lines: Sequence[Line]
    meta: Mapping[str, Any]  # plan, unit, unit_name, period, …


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _height(texts: Sequence[tuple[str, float]]) -> float:
    """Row height for wrapped texts of the given column widths (Excel does not fit them)."""
    lines = 1
    for text, width in texts:
        usable = max(width - 1.5, 1)
        parts = str(text).split("\n")
        lines = max(lines, sum(max(1, math.ceil(display_width(p) / usable)) for p in parts))
    return 14.5 * min(lines, 30) + 4


def _write_sheet(sheet: Any, spec: Sheet, keys: Sequence[str], lines: Sequence[Line]) -> int:
    """Title, note, header and rows; the row number of the header."""
    columns = [*keys, "token"]
    last = get_column_letter(len(columns) - 1)
    sheet.append([_clean(spec.title)])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(name=FONT, size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 26
    sheet.append([_clean(spec.note)])
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"].font = Font(name=FONT, size=10, color="595959")
    sheet["A2"].alignment = WRAP
    sheet.row_dimensions[2].height = _height([(spec.note, sum(WIDTHS[k] for k in keys))])
    sheet.append([spec.headers[key] for key in columns])
    for cell in sheet[3]:
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for number, line in enumerate(lines, start=4):
        for index, key in enumerate(columns, start=1):
            value = line.token if key == "token" else _clean(line.cells.get(key))
            cell = sheet.cell(row=number, column=index, value=value)
            if isinstance(value, str) and key != "number":
                cell.data_type = "s"  # never a formula, even for text starting with "="
            cell.font = Font(name=FONT, size=11)
            cell.border = BORDER
            cell.alignment = WRAP
            editable = key in EDITABLE and not line.comment
            cell.protection = Protection(locked=not editable)
            if not editable and key != "token":
                cell.fill = LOCKED_FILL
        if line.comment:
            sheet.cell(row=number, column=1).comment = Comment(line.comment, "duban")
        texts = [(str(line.cells.get(k) or ""), float(WIDTHS[k])) for k in keys]
        sheet.row_dimensions[number].height = _height(texts)
    for index, key in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(key, 14)
    sheet.column_dimensions[get_column_letter(len(columns))].hidden = True
    sheet.freeze_panes = "C4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widths may change (False: not protected)
    sheet.protection.formatRows = False
    return 3


def _validate(sheet: Any, column: str, rows: int, rule: DataValidation) -> None:
    if rows:
        rule.add(f"{column}4:{column}{rows + 3}")
        sheet.add_data_validation(rule)


def build_template(template: Template) -> bytes:
    workbook = Workbook()
    reports = workbook.active
    reports.title = template.reports.name[:31]
    _write_sheet(reports, template.reports, REPORT_KEYS, template.report_lines)
    rows = len(template.report_lines)
    letter = {key: get_column_letter(i) for i, key in enumerate(REPORT_KEYS, start=1)}
    statuses = ",".join(s.replace(",", "，").replace('"', "") for s in template.statuses)
    status_rule = DataValidation(type="list", formula1=f'"{statuses}"', allow_blank=True)
    status_rule.error = template.meta.get("status_error", "")
    status_rule.showErrorMessage = True
    _validate(reports, letter["status"], rows, status_rule)
    progress_rule = DataValidation(
        type="whole", operator="between", formula1="0", formula2="100", allow_blank=True
    )
    progress_rule.error = template.meta.get("progress_error", "")
    progress_rule.showErrorMessage = True
    _validate(reports, letter["progress"], rows, progress_rule)

    targets = workbook.create_sheet(template.targets.name[:31])
    _write_sheet(targets, template.targets, TARGET_KEYS, template.target_lines)
    value_rule = DataValidation(type="decimal", allow_blank=True, operator="greaterThanOrEqual")
    value_rule.formula1 = "-1E+15"
    value_rule.error = template.meta.get("value_error", "")
    value_rule.showErrorMessage = True
    value_column = get_column_letter(TARGET_KEYS.index("value") + 1)
    _validate(targets, value_column, len(template.target_lines), value_rule)

    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    record = {
        "mark": MARK,
        "format": FORMAT,
        **template.meta,
        "reports_sheet": reports.title,
        "targets_sheet": targets.title,
        "report_headers": dict(template.reports.headers),
        "target_headers": dict(template.targets.headers),
    }
    meta["A1"] = MARK
    meta["A2"] = json.dumps(record, ensure_ascii=False)
    meta["A2"].data_type = "s"
    workbook.properties.creator = "duban"
    workbook.properties.title = _clean(template.reports.title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Reading ----------------------------------------------------------------------------------


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
        workbook = load_workbook(io.BytesIO(data), data_only=True)
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
    if numeric and "%" in (cell.number_format or ""):
        return round(value * 100, 10)
    return value


# --- Cells ------------------------------------------------------------------------------------

_TOKEN = re.compile(r"^(\d+)-([0-9a-f]{6,})$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def make_token(pk: int, sign: Callable[[str], str], kind: str) -> str:
    return f"{pk}-{sign(f'{kind}:{pk}')}"


def read_token(value: Any, sign: Callable[[str], str], kind: str) -> int:
    match = _TOKEN.match(str(value or "").strip())
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


def read_number(value: Any) -> Decimal | None:
    """A number (``1,234.5`` and full-width digits too), or None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(N_("“%(value)s” is not a number"), value=value)
    if isinstance(value, float) and math.isfinite(value) and abs(value - round(value, 4)) < 1e-9:
        value = round(value, 4)  # 0.30000000000000004 from a formula is 0.3
    text = str(value).strip().translate(_FULL_WIDTH).replace(",", "").replace(" ", "")
    if not _NUMBER.match(text):
        raise CellError(N_("“%(value)s” is not a number"), value=value)
    number = Decimal(text)
    if abs(number) >= Decimal("1e12") or number != number.quantize(Decimal("0.0001")):
        raise CellError(N_("“%(value)s” has too many digits"), value=value)
    return number


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")
