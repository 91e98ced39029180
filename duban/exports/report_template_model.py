"""The quarterly report workbook (报送模板) as plain data: its marks, column keys, the row
identifiers (``make_token``) and the ``Template`` that duban.reporting.services.report_template
fills and duban.exports.report_template_xlsx writes (the layout is described there).

No library here: duban.reporting.services.excel checks a filled workbook's marks and
identifiers with these names, and neither it nor the template's caller imports openpyxl before
a workbook is written or read (duban/core/lazy.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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
