"""How Chinese text is formatted for people: dates in documents, columns in a terminal.

Plain Python with no Django imports, so the CLI, templates and document writers share it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date, datetime


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis when it was longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_cn_date(value: date) -> str:
    """``2023年5月4日``: GB/T 9704 writes dates in Arabic numerals without zero padding."""
    return f"{value.year}年{value.month}月{value.day}日"


def format_cn_datetime(value: datetime, *, seconds: bool = False) -> str:
    """``2023年5月4日 14:05`` (``14:05:09`` with ``seconds``), the time as given: callers pass
    local time (``timezone.localtime``)."""
    clock = f"{value:%H:%M:%S}" if seconds else f"{value:%H:%M}"
    return f"{format_cn_date(value)} {clock}"


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK characters are two columns wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(rows: Sequence[Sequence[str]], gap: int = 2) -> str:
    """Left-aligned columns that stay aligned when cells mix Chinese and ASCII."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(row)]
        lines.append((" " * gap).join(cells).rstrip())
    return "\n".join(lines)
