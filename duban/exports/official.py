"""An official document (公文) as plain data: what ``official_docx`` writes as .docx and
``official_pdf`` as PDF, in the GB/T 9704-2012 layout (official_docx.py describes it).

The supervision and assessment apps fill an ``OfficialDocument`` (paragraphs, tables, the
issuer, the date); the heading numbers (``numbered``), the date as written (``cn_date``) and
the agency mark's size (``mark_size``) are the same for both writers. No library here: a
caller that only describes a document imports neither python-docx nor WeasyPrint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

TEXT_WIDTH_MM = 210 - 28 - 26  # the 版心's width: A4 less the left and right margins
TEXT_WIDTH_PT = TEXT_WIDTH_MM * 72 / 25.4
MARK_SIZE_PT = 36.0  # the agency mark; the standard leaves its size to the issuer

_CN_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Para:
    """One paragraph: ``level`` 0 is body text, 1–3 are the numbered heading levels."""

    text: str
    level: int = 0


@dataclass(frozen=True)
class Table:
    """A table among the paragraphs: a header row, rows of text, optional relative column
    ``widths`` (any unit: they are scaled to the 版心; equal without them) and a ``caption``
    printed centred above it."""

    headers: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None
    caption: str = ""

    def fractions(self) -> list[float]:
        """Each column's share of the table's width (the widths given, else equal)."""
        count = len(self.headers)
        widths = list(self.widths or [])
        if len(widths) != count or any(w <= 0 for w in widths):
            widths = [1.0] * count
        total = sum(widths)
        return [w / total for w in widths]

    def centered_columns(self) -> list[int]:
        """The columns of short values (序号, 得分, 等次: at most six characters each), centred."""
        return [
            index
            for index in range(len(self.headers))
            if all(len(self.cells(row)[index]) <= 6 for row in self.rows)
        ]

    def cells(self, row: Sequence[str]) -> list[str]:
        """A row cut or padded to the header's number of columns."""
        count = len(self.headers)
        return [str(value) for value in row[:count]] + [""] * (count - len(row))


Block = Para | Table  # what an OfficialDocument's body is made of


@dataclass(frozen=True)
class OfficialDocument:
    title: str
    doc_number: str  # 偃督办〔2023〕3号
    recipients: list[str]  # 主送机关
    paragraphs: Sequence[Block]  # paragraphs and tables, in order
    issuer: str  # 发文机关署名 (and, unless ``agency_mark`` is given, the red mark)
    date: dt.date  # 成文日期
    cc: list[str] = field(default_factory=list)  # 抄送机关
    printed_by: str = ""  # 印发机关
    printed_on: dt.date | None = None  # 印发日期
    agency_mark: str = ""  # 发文机关标志; default: issuer + "文件"


def cn_date(value: dt.date) -> str:
    """``2023年5月4日`` (the same rule as duban.core.formatting, kept here without imports)."""
    return f"{value.year}年{value.month}月{value.day}日"


def cn_number(value: int) -> str:
    """一 … 九十九 for heading numbers."""
    if value < 10:
        return _CN_DIGITS[value]
    tens, ones = divmod(value, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")


def numbered(paragraphs: Sequence[Block]) -> list[tuple[Block, str]]:
    """Each paragraph with its heading prefix (一、 / （一） / 1.), counters nested; a table
    has none."""
    counters = [0, 0, 0, 0]
    out: list[tuple[Block, str]] = []
    for para in paragraphs:
        if isinstance(para, Table):
            out.append((para, ""))
            continue
        level = para.level if para.level in (1, 2, 3) else 0
        prefix = ""
        if level:
            counters[level] += 1
            for deeper in range(level + 1, 4):
                counters[deeper] = 0
            count = counters[level]
            prefix = (
                f"{cn_number(count)}、"
                if level == 1
                else f"（{cn_number(count)}）"
                if level == 2
                else f"{count}."
            )
        out.append((para, prefix))
    return out


def mark_size(mark: str) -> float:
    """The agency mark's size in points: 36, smaller when that would not fit on one line of the
    版心 (洛阳市偃师区人民政府督查室文件 is fifteen characters: 29 pt)."""
    fitting = TEXT_WIDTH_PT / max(len(mark), 1)
    return min(MARK_SIZE_PT, int(fitting * 2) / 2)
