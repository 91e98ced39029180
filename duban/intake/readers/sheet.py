"""Spreadsheet ledgers (.xlsx) and their CSV exports.

Offices keep the task ledger (台账) in Excel: a title row or two merged across the sheet, a header
row, then one task per row with the leader and unit cells merged down over the tasks they share.
A row with a single filled cell (a merged title counts once) is a paragraph, so the parser sees
titles and section lines as text; every other row is a row block, merges resolved.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Iterable

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from duban.core import zipguard
from duban.intake.blocks import Block
from duban.intake.errors import IntakeError
from duban.intake.readers import problems
from duban.intake.readers.decoding import decode_text
from duban.intake.readers.ooxml import MAX_PART_BYTES
from duban.intake.readers.text import split_lines

LABEL = "Excel (.xlsx)"
_DELIMITERS = (",", "\t", ";")
_MERGE_REF = re.compile(rb'(<(?:\w+:)?mergeCell\b[^>]*?\bref=")([A-Z]+)(\d+):([A-Z]+)(\d+)(")')
_MAX_MERGE_ROWS, _MAX_MERGE_COLS = 1000, 100


def render(value: object, number_format: str = "General") -> str:
    """A cell value as a person reads it: no ``.0`` on whole numbers, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, int | float):
        if "%" in number_format:
            return _number(value * 100) + "%"
        return _number(value)
    return "\n".join(line.strip() for line in split_lines(str(value))).strip()


def _number(value: float) -> str:
    if isinstance(value, int) or value.is_integer():
        return str(int(value))
    return format(value, ".15g")


def read(data: bytes) -> list[Block]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            try:
                zipguard.check_archive(archive)
            except zipguard.ZipBomb:
                raise problems.zip_bomb(LABEL) from None
        if unpacked > MAX_PART_BYTES:
            raise problems.too_large(unpacked, MAX_PART_BYTES)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(tame_merges(data)), data_only=True)
    except IntakeError:
        raise
    except Exception:  # openpyxl reports damage with KeyError, ValueError, TypeError, lxml errors
        raise problems.corrupt(LABEL) from None
    blocks: list[Block] = []
    for worksheet in workbook.worksheets:
        if worksheet.sheet_state == "visible":
            blocks.extend(_sheet_blocks(worksheet))
    return blocks


def _clip_merge(match: re.Match[bytes]) -> bytes:
    first_col, first_row = column_index_from_string(match[2].decode()), int(match[3])
    last_col = min(column_index_from_string(match[4].decode()), first_col + _MAX_MERGE_COLS - 1)
    last_row = min(int(match[5]), first_row + _MAX_MERGE_ROWS - 1)
    clipped = f"{match[2].decode()}{first_row}:{get_column_letter(last_col)}{last_row}"
    return match[1] + clipped.encode() + match[6]


def tame_merges(data: bytes) -> bytes:
    """Clip merged ranges that no ledger needs (``D5:XFD1048576``) before openpyxl sees them.

    openpyxl materialises one object per merged cell on load, so one whole-sheet merge in a
    tiny file would take minutes and gigabytes; nothing outside the clip holds data anyway.
    """
    changed: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        for info in source.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                xml = source.read(info)
                tamed = _MERGE_REF.sub(_clip_merge, xml)
                if tamed != xml:
                    changed[info.filename] = tamed
        if not changed:
            return data
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                target.writestr(info, changed.get(info.filename) or source.read(info))
    return output.getvalue()


Cell = tuple[str, tuple[int, int]]  # a cell's text and the cell it comes from (a merge's first)


def sparse_grid(worksheet: Worksheet, max_columns: int | None = None) -> dict[int, dict[int, Cell]]:
    """Cell texts by row and column, merged cells given their top-left value; with
    ``max_columns`` only that many columns.

    Built from the cells that exist rather than the sheet's dimensions: a single stray formatted
    cell at XFD1048576 would otherwise make ``iter_rows`` create billions of empty cells;
    openpyxl has no public sparse view, hence ``_cells``.
    """
    filled: dict[tuple[int, int], Cell] = {}
    for (row, col), cell in worksheet._cells.items():
        if max_columns is not None and col > max_columns:
            continue
        if not isinstance(cell, MergedCell) and cell.value is not None:
            text = render(cell.value, cell.number_format)
            if text:
                filled[(row, col)] = (text, (row, col))
    if not filled:
        return {}
    last_row = max(row for row, _ in filled)
    last_col = max_columns if max_columns is not None else max(col for _, col in filled)
    for merged in worksheet.merged_cells.ranges:
        top_left = filled.get((merged.min_row, merged.min_col))
        if top_left is None:
            continue
        for row in range(merged.min_row, min(merged.max_row, last_row) + 1):
            for col in range(merged.min_col, min(merged.max_col, last_col) + 1):
                filled[(row, col)] = top_left
    rows: dict[int, dict[int, Cell]] = {}
    for (row, col), entry in filled.items():
        rows.setdefault(row, {})[col] = entry
    return rows


def _sheet_blocks(worksheet: Worksheet) -> list[Block]:
    """Rows of one sheet (``sparse_grid``)."""
    rows = sparse_grid(worksheet)
    if not rows:
        return []
    first_col = min(col for cells in rows.values() for col in cells)
    blocks: list[Block] = []
    for number in sorted(rows):
        cells = rows[number]
        span = range(first_col, max(cells) + 1)
        block = row_block(
            [cells[col][0] if col in cells else "" for col in span],
            [cells[col][1] if col in cells else None for col in span],
            source=f"{worksheet.title}!{number}",
        )
        if block:
            blocks.append(block)
    return blocks


def row_block(values: list[str], origins: Iterable[object], *, source: str) -> Block | None:
    """The block for one row: nothing if empty, a paragraph if one cell (or one merge) is filled."""
    while values and not values[-1]:
        values = values[:-1]
    if not values:
        return None
    filled = {origin for value, origin in zip(values, origins, strict=False) if value}
    if len(filled) == 1:
        return Block.paragraph(next(value for value in values if value), source=source)
    return Block.row(values, source=source)


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the most sample lines into the same number (>1) of fields."""
    sample = [line for line in lines if line.strip()][:50]
    best, best_score = ",", -1
    for delimiter in _DELIMITERS:
        counts = [len(fields) for fields in csv.reader(sample, delimiter=delimiter)]
        multi = [count for count in counts if count > 1]
        if not multi:
            continue
        typical = max(set(multi), key=multi.count)
        score = multi.count(typical) * 10 + len(multi)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# A line longer than this is no table of a notice: csv would make a field of every delimiter in
# it (a megabyte of commas is a million fields), so such a file is refused as damaged.
_MAX_CSV_LINE = 100_000


def read_csv(data: bytes) -> list[Block]:
    text = decode_text(data)
    lines = split_lines(text)
    if any(len(line) > _MAX_CSV_LINE for line in lines):
        raise problems.corrupt("CSV")
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=sniff_delimiter(lines))
    blocks: list[Block] = []
    try:
        for number, fields in enumerate(reader, start=1):
            values = [render(field) for field in fields]
            block = row_block(values, range(len(values)), source=f"row {number}")
            if block:
                blocks.append(block)
    except csv.Error:
        raise problems.corrupt("CSV") from None
    return blocks
