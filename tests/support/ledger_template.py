"""Filling the Excel ledger template (duban.intake.template) as a clerk does, with openpyxl."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from duban.intake.template import COLUMNS

HEADER = [header for _key, header in COLUMNS]
TITLE = "洛阳市偃师区人民政府关于印发2024年政府工作报告重点工作任务分解的通知"
DOC_NUMBER = "偃政〔2024〕3号"
PLAN: dict[str, Any] = {"文件标题": TITLE, "文号": DOC_NUMBER, "年度": 2024}
# Three tasks in two areas, with the world's units and leaders; the first row starts an area
# on a row of its own, the third names its area on the task itself.
ROWS: list[tuple[Any, ...]] = [
    (None, "一、扎实推进项目建设"),
    (1, None, "新增规上工业企业50家", "朱蕾、薛超峰", "发改委", "工信局、财政局", "2024年6月30日"),
    (2, None, "加快重点项目前期工作", "朱蕾", "工信局", None, "年底前"),
    (3, "二、持续改善民生", "办好十件民生实事", "叶占芳", "财政局", "各镇（街道）", None),
]


def header_row(sheet: Worksheet) -> int:
    for row in sheet.iter_rows(max_row=30):
        if [cell.value for cell in row[: len(HEADER)]] == HEADER:
            return int(row[0].row)
    raise LookupError("no header row")


def fill(
    data: bytes,
    rows: Sequence[Sequence[Any]] = ROWS,
    plan: dict[str, Any] | None = None,
) -> bytes:
    """The template ``data`` with ``plan`` (文件标题, 文号, 年度) and ``rows`` typed in below its
    header, one tuple a row in the header's column order."""
    workbook = openpyxl.load_workbook(BytesIO(data))
    sheet = workbook.worksheets[0]
    for label, value in (PLAN if plan is None else plan).items():
        for row in sheet.iter_rows(max_row=5):
            for cell in row:
                if cell.value == label:
                    sheet.cell(row=cell.row, column=cell.column + 1, value=value)
    first = header_row(sheet) + 1
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=first + offset, column=column, value=value)
    return save(workbook)


def save(workbook: openpyxl.Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def copied_without_mark(data: bytes, *, sheet_name: str = "Sheet1", shift: int = 2) -> bytes:
    """What a clerk's copy looks like after pasting the values into a new workbook (WPS,
    another Excel): no defined name, no styles, another sheet name, rows moved down."""
    source = openpyxl.load_workbook(BytesIO(data)).worksheets[0]
    copy = openpyxl.Workbook()
    target = copy.active
    target.title = sheet_name
    for row in source.iter_rows():
        for cell in row:
            if cell.value is not None:
                target.cell(row=cell.row + shift, column=cell.column, value=cell.value)
    assert not copy.defined_names
    return save(copy)
