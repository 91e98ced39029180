"""The parser's input as lines and rows, and the state of the pass that reads them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..blocks import Block
from .glued import glued_rows
from .items import Item
from .numbering import cn_to_int
from .tables import find_cell_tables, find_text_tables, headless_rows, rows_from_cells
from .text import clean_line


@dataclass
class Line:
    text: str
    cells: tuple[str, ...] | None = None
    synthetic: bool = False  # rebuilt from a table flattened into text: merged cells dropped


@dataclass
class State:
    items: list[Item] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    roles: list[str | None] | None = None
    previous_row: dict[int, str] = field(default_factory=dict)
    space_units: list[str] = field(default_factory=list)
    last_ar: int | None = None
    attachment_list: bool = False  # reading the cover letter's "附件：1. …" lines
    numbered_rows: bool = False  # the last table row had a number cell
    pending_number: int | None = None  # a number alone on its line: the next line's
    carry: list[str] = field(default_factory=list)  # a group's cell read before its row's number

    @property
    def current(self) -> Item | None:
        return self.items[-1] if self.items else None


_RUN_ON_MIN = 200
_ITEM_AFTER_SPACE = re.compile(
    r"(?<=\S)[ \t\u3000]+(?=(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|"
    r"\d{1,3}[、．.](?!\d)))"
)


_PAGE_MARK = re.compile(r"^\s*(\d{1,2})、")


def _join_site_pages(lines: list[str]) -> list[str]:
    """A document-sharing site's pages, each line opened by its page number ("1、…序号项目名称…",
    "2、)各街道3老城厢…"): when the first holds a table's header glued into it, the pages are one
    run of text again."""
    result: list[str] = []
    index = 0
    while index < len(lines):
        first = _PAGE_MARK.match(lines[index])
        if first is None or first.group(1) != "1" or "序号" not in lines[index][:300]:
            result.append(lines[index])
            index += 1
            continue
        pages = [lines[index][first.end() :]]
        index += 1
        while index < len(lines):
            mark = _PAGE_MARK.match(lines[index])
            if mark is None or int(mark.group(1)) != len(pages) + 1:
                break
            pages.append(lines[index][mark.end() :])
            index += 1
        result.append("".join(p.strip() for p in pages) if len(pages) > 1 else lines[index - 1])
    return result


def _unfold(lines: list[str]) -> list[str]:
    """Split paragraphs a web copy ran together into one line ("…荆州开发区)。 2、固定资产…
    二、主要工作任务 (一)扎实开展…"): a long line with at least three numbered starts after
    spaces is cut before each."""
    result: list[str] = []
    for line in lines:
        if len(line) >= _RUN_ON_MIN and len(_ITEM_AFTER_SPACE.findall(line)) >= 3:
            result.extend(_ITEM_AFTER_SPACE.split(line))
        else:
            result.extend(_split_after_fields(line))
    return result


_NEXT_ITEM = re.compile(
    r"(?<=[)）])\s*(?=(?:[(（](?P<cn>[一二三四五六七八九十]{1,3})[)）]|(?P<ar>\d{1,3})[.．、](?!\d)))"
)
_FIRST_ITEM = re.compile(
    r"\s*(?:[(（](?P<cn>[一二三四五六七八九十]{1,3})[)）]|(?P<ar>\d{1,3})[.．、](?!\d))"
)


def _split_after_fields(line: str) -> list[str]:
    """Two items on one line, the second right after the first's responsibility parenthesis:
    "(一)地区生产总值增长11%左右。(省发改委负责)(二)公共财政收入…", "…协办)2.重点抓好…"."""
    first = _FIRST_ITEM.match(line)
    if first is None:
        return [line]
    style = "cn" if first["cn"] else "ar"
    current = cn_to_int(first["cn"]) if first["cn"] else int(first["ar"])
    pieces: list[str] = []
    position = 0
    for match in _NEXT_ITEM.finditer(line):
        if not match[style]:
            continue
        value = cn_to_int(match["cn"]) if style == "cn" else int(match["ar"])
        if value == current + 1 and match.start() > position:
            pieces.append(line[position : match.start()])
            position, current = match.end(), value
    pieces.append(line[position:])
    return [p for p in pieces if p.strip()]


def _site_pages(blocks: list[Block]) -> list[Block]:
    """``_join_site_pages`` over paragraphs: a site's pages are often a paragraph each."""
    texts = [b.text if b.cells is None and "\n" not in b.text else None for b in blocks]
    if not any(t is not None and _PAGE_MARK.match(t) and "序号" in t[:300] for t in texts):
        return blocks
    result: list[Block] = []
    index = 0
    while index < len(blocks):
        run: list[str] = []
        while index + len(run) < len(blocks) and texts[index + len(run)] is not None:
            run.append(texts[index + len(run)] or "")
            if len(run) > 1 and not _PAGE_MARK.match(run[-1]):
                run.pop()
                break
        joined = _join_site_pages(run) if run else []
        if run and len(joined) < len(run):
            result.append(Block.paragraph(joined[0]))
            result.extend(Block.paragraph(t) for t in joined[1:])
            index += len(run)
        else:
            result.append(blocks[index])
            index += 1
    return result


def lines_of(blocks: Iterable[Block]) -> list[Line]:
    """Blocks as cleaned lines and rows, with tables flattened into text rebuilt as rows."""
    raw: list[Line] = []
    for block in _site_pages(list(blocks)):
        if block.cells is not None:
            raw.append(Line(block.text, tuple(c.strip() for c in block.cells)))
            continue
        for line in _unfold(block.text.split("\n")):
            if line.count("\t") >= 2:  # a table pasted from Word or Excel: cells between tabs
                cells = tuple(clean_line(c) for c in line.strip("\r\n").split("\t"))
                raw.append(Line(" | ".join(cells), cells))
                continue
            cleaned = clean_line(line)
            glued = glued_rows(cleaned)
            if glued is not None:  # a table whose cells a copy glued together
                header, rows = glued
                raw.append(Line(" | ".join(header), tuple(header)))
                raw.extend(Line(" | ".join(r), tuple(r)) for r in rows)
                continue
            if cleaned or "|" in line:
                raw.append(Line(cleaned if cleaned else line.strip()))
    text_only = [ln.text if ln.cells is None else "" for ln in raw]
    tables = find_text_tables(text_only)
    tables = sorted(tables + find_cell_tables(text_only, tables), key=lambda t: t.start)
    if not tables:
        return [ln for ln in raw if ln.text or ln.cells]
    result: list[Line] = []
    position = 0
    for table in tables:
        result.extend(raw[position : table.start])
        if table.rows:
            # Rows copied one a line lost their merged cells: matched to columns by content.
            synthetic = table.one_per_line
            result.extend(Line(" | ".join(r), tuple(r), synthetic=synthetic) for r in table.rows)
        else:
            split = rows_from_cells(table.cells, padded=not table.one_per_line)
            if split is None:
                headless = headless_rows(table.cells)
                if headless is not None:  # a '|' table without its header row
                    split = headless[0], headless[1]
            if split is None:
                result.extend(raw[table.start : table.end])
            else:
                header, rows = split
                result.append(Line(" | ".join(header), tuple(header)))
                result.extend(Line(" | ".join(r), tuple(r), synthetic=True) for r in rows)
        position = table.end
    result.extend(raw[position:])
    return [ln for ln in result if ln.text or ln.cells]
