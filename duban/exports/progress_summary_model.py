"""The quarterly 进展情况汇总表 (progress summary of a reporting period) as plain data: the
columns, one ``SummaryRow`` per task and the ``ProgressSummary`` that
duban.reporting.services.summary gathers and duban.exports.progress_summary writes as .xlsx,
.docx and PDF.

No library here, so that the reporting app describes a summary without importing openpyxl or
python-docx (the writers are loaded for the first download, duban/core/lazy.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from . import xlsx
from .xlsx import N_


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # English msgid (``N_``); the caller passes the translation in ``headers``
    width: float  # Excel's units (about one Latin digit); also each column's share elsewhere
    centered: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("number", N_("No."), 7, centered=True),
    Column("task", N_("Key task"), 33),
    Column("leaders", N_("Lead leaders"), 11, centered=True),
    Column("lead_units", N_("Lead units"), 14),
    Column("responsible_units", N_("Responsible units"), 18),
    Column("progress_text", N_("Progress made"), 40),
    Column("problems", N_("Problems"), 24),
    Column("next_steps", N_("Next steps"), 24),
    Column("progress", N_("Progress"), 8, centered=True),
    Column("light", N_("Light colour"), 8, centered=True),
)


@dataclass(frozen=True)
class SummaryRow:
    """One task: its cells by column key (``COLUMNS``), and its light's colour (``red``,
    ``yellow``, ``green`` or empty) for the fill."""

    cells: Mapping[str, str]
    colour: str = ""

    def values(self) -> list[str]:
        return [xlsx.text(self.cells.get(column.key, "")) for column in COLUMNS]


@dataclass(frozen=True)
class ProgressSummary:
    title: str  # 2023年第二季度重点任务进展情况汇总表
    rows: list[SummaryRow]
    notes: list[str] = field(default_factory=list)  # lines under the title (dates, as of)
    headers: Mapping[str, str] = field(default_factory=dict)  # translated, by column key
    sheet_name: str = "Summary"

    def header_texts(self) -> list[str]:
        return [str(self.headers.get(column.key, column.header)) for column in COLUMNS]
