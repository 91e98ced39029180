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

The marks, keys and the ``Template`` are plain data in duban.exports.report_template_model;
this module imports openpyxl, so its callers in the served processes hold it as a
``LazyModule`` (duban/core/lazy.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import xlsx
from .report_template_model import (
    EDITABLE,
    FORMAT,
    MARK,
    META_SHEET,
    REPORT_KEYS,
    TARGET_KEYS,
    WIDTHS,
    Line,
    Sheet,
    Template,
)


def _write_sheet(sheet: Any, spec: Sheet, keys: Sequence[str], lines: Sequence[Line]) -> int:
    """Title, note, header and rows; the row number of the header."""
    style = xlsx.styles()
    columns = [*keys, "token"]
    last = get_column_letter(len(columns) - 1)
    sheet.append([xlsx.clean(spec.title)])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(name=xlsx.FONT_NAME, size=14, bold=True)
    sheet["A1"].alignment = style.centered
    sheet.row_dimensions[1].height = 26
    sheet.append([xlsx.clean(spec.note)])
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"].font = Font(name=xlsx.FONT_NAME, size=10, color="595959")
    sheet["A2"].alignment = style.wrap
    sheet.row_dimensions[2].height = xlsx.row_height([(spec.note, sum(WIDTHS[k] for k in keys))])
    sheet.append([spec.headers[key] for key in columns])
    xlsx.style_header(sheet[3])
    for number, line in enumerate(lines, start=4):
        for index, key in enumerate(columns, start=1):
            value = line.token if key == "token" else xlsx.clean(line.cells.get(key))
            cell = sheet.cell(row=number, column=index, value=value)
            if isinstance(value, str) and key != "number":
                cell.data_type = "s"  # never a formula, even for text starting with "="
            cell.font = style.body_font
            cell.border = style.border
            cell.alignment = style.wrap
            editable = key in EDITABLE and not line.comment
            cell.protection = Protection(locked=not editable)
            if not editable and key != "token":
                cell.fill = style.locked_fill
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
