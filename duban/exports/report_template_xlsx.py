"""The quarterly report workbook (报送模板) for one unit and period.

The caller (duban.reporting.services.report_template) supplies the translated labels and the rows as
plain data; duban.reporting.services.excel reads a filled workbook back by the marks written here.

Layout (docs/reports.md):

- sheet 1, one row per task the unit leads: 序号, 重点任务, 状态 (a drop-down list of the four
  statuses), 完成进度%, 进展情况, 存在问题, 下步打算, and a hidden, locked 任务标识 column
  ``<task id>-<checksum>`` (``make_token``) that identifies the task whatever is done to the
  other cells;
- sheet 2, one row per quantitative target of those tasks: 序号, 指标, 目标, 计量单位,
  本期数值 and a hidden 指标标识 (``<target id>-<checksum>``);
- a very hidden sheet ``duban`` recording the plan, unit and period the workbook is for and
  the header of every column, so that columns are found by their header when read back.

Only the white cells are unlocked; the sheets are protected without a password (so that rows
cannot be inserted by accident), and the checksums make a hand-edited identifier fail.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import xlsx

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
TOKEN = re.compile(r"^(\d+)-([0-9a-f]{6,})$")  # <id>-<checksum>, see make_token


def make_token(pk: int, sign: Callable[[str], str], kind: str) -> str:
    """The hidden identifier of a row: the object's id and ``sign("<kind>:<id>")``."""
    return f"{pk}-{sign(f'{kind}:{pk}')}"


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


def _write_sheet(sheet: Any, spec: Sheet, keys: Sequence[str], lines: Sequence[Line]) -> int:
    """Title, note, header and rows; the row number of the header."""
    columns = [*keys, "token"]
    last = get_column_letter(len(columns) - 1)
    sheet.append([xlsx.clean(spec.title)])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(name=xlsx.FONT_NAME, size=14, bold=True)
    sheet["A1"].alignment = xlsx.CENTERED
    sheet.row_dimensions[1].height = 26
    sheet.append([xlsx.clean(spec.note)])
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"].font = Font(name=xlsx.FONT_NAME, size=10, color="595959")
    sheet["A2"].alignment = xlsx.WRAP
    sheet.row_dimensions[2].height = xlsx.row_height([(spec.note, sum(WIDTHS[k] for k in keys))])
    sheet.append([spec.headers[key] for key in columns])
    xlsx.style_header(sheet[3])
    for number, line in enumerate(lines, start=4):
        for index, key in enumerate(columns, start=1):
            value = line.token if key == "token" else xlsx.clean(line.cells.get(key))
            cell = sheet.cell(row=number, column=index, value=value)
            if isinstance(value, str) and key != "number":
                cell.data_type = "s"  # never a formula, even for text starting with "="
            cell.font = xlsx.BODY_FONT
            cell.border = xlsx.BORDER
            cell.alignment = xlsx.WRAP
            editable = key in EDITABLE and not line.comment
            cell.protection = Protection(locked=not editable)
            if not editable and key != "token":
                cell.fill = xlsx.LOCKED_FILL
        if line.comment:
            sheet.cell(row=number, column=1).comment = Comment(line.comment, "duban")
        texts = [(str(line.cells.get(k) or ""), float(WIDTHS[k])) for k in keys]
        sheet.row_dimensions[number].height = xlsx.row_height(texts)
    for index, key in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(key, 14)
    sheet.column_dimensions[get_column_letter(len(columns))].hidden = True
    sheet.freeze_panes = "C4"
    xlsx.print_a4_landscape(sheet, header_rows="3:3")
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
    value_rule.formula1 = "0"  # figures are never negative (services/figures.py)
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
    workbook.properties.title = xlsx.clean(template.reports.title)
    return xlsx.workbook_bytes(workbook)
