"""Web pages: the notice's article text and tables, without the portal around it.

``<br>`` line breaks stay inside their block as ``\\n`` (as Word's soft breaks do), because many
CMS editors put a whole notice into one ``<p>`` or ``<div>`` separated only by ``<br>``; the
parser splits such lines itself. Tables become row blocks with ``rowspan``/``colspan`` resolved
like Word's merged cells; a table that never has two filled cells in a row is page layout, not
data, and is read as ordinary text.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable

from lxml.etree import ParserError, _Element

from duban.intake.blocks import Block
from duban.intake.readers import html_content
from duban.intake.readers.decoding import canonical_encoding, decode_text

LABEL = "HTML"
# fmt: off
_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
    "ol", "dl", "dt", "dd", "blockquote", "center", "address", "figure", "figcaption", "caption",
    "hr", "tr", "td", "th", "tbody", "thead", "tfoot", "fieldset", "details", "summary", "body",
    "html",
})
# fmt: on
_SILENT_TAGS = frozenset({"img", "input", "wbr", "area", "param", "source", "track"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t]*[\r\n][ \t\r\n]*(?=[{_CJK}])")
_SPACES = re.compile(r"[\s\u00a0\u3000]+")
# The widest a table's row may be; beyond it cells are dropped (real notices have under 20).
_MAX_COLUMNS = 64


def decode(data: bytes) -> str:
    head = data[:4096]
    found = _META_CHARSET.search(head) or _XML_ENCODING.search(head[:256])
    declared = canonical_encoding(found.group(1).decode("ascii")) if found else None
    return decode_text(data, declared=declared)


def read(data: bytes) -> list[Block]:
    text = decode(data)
    if not text.strip():
        return []
    try:
        document = html_content.parse(text)
    except ParserError:
        return []
    body = document.find("body")
    if body is None:
        return []
    html_content.clean(body)
    title = html_content.page_title(document, body)
    container = html_content.choose_container(body)
    blocks = _Emitter().emit(container)
    compact_title = _SPACES.sub("", title)
    if compact_title and compact_title not in _SPACES.sub("", "".join(b.text for b in blocks)):
        blocks.insert(0, Block.paragraph(_SPACES.sub(" ", title).strip(), source="title"))
    return blocks


def _source_text(text: str | None) -> str:
    """HTML source whitespace collapses; a line break between two CJK characters vanishes."""
    if not text:
        return ""
    return re.sub(r"[ \t\r\n\f]+", " ", _CJK_BREAK.sub("", text))


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


class _Emitter:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._buffer: list[str] = []
        self._tables = 0

    def emit(self, root: _Element) -> list[Block]:
        self._buffer.append(_source_text(root.text))
        self._walk(root)
        self._flush()
        return self.blocks

    def _flush(self) -> None:
        text = _tidy("".join(self._buffer))
        self._buffer.clear()
        if text:
            self.blocks.append(Block.paragraph(text, source=f"block {len(self.blocks) + 1}"))

    def _walk(self, element: _Element) -> None:
        for child in element:
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if tag == "br":
                self._buffer.append("\n")
            elif tag == "table":
                self._flush()
                self._table(child)
            elif tag == "pre":
                self._flush()
                self._buffer.append(child.text_content())
                self._flush()
            elif tag in _BLOCK_TAGS:
                self._flush()
                self._buffer.append(_source_text(child.text))
                self._walk(child)
                self._flush()
            elif tag and tag not in _SILENT_TAGS:
                self._buffer.append(_source_text(child.text))
                self._walk(child)
            self._buffer.append(_source_text(child.tail))

    def _table(self, table: _Element) -> None:
        if not any(
            sum(1 for cell in row if _tidy(cell.text_content())) >= 2 for row in _cell_rows(table)
        ):
            for cell in _cells_in_order(table):  # a layout table: its cells are page flow
                self._buffer.append(_source_text(cell.text))
                self._walk(cell)
                self._flush()
            return
        grid = _grid(table, self._cell_text)
        self._tables += 1
        caption = table.find("caption")
        if caption is not None and _tidy(caption.text_content()):
            self.blocks.append(
                Block.paragraph(_tidy(caption.text_content()), source=f"table {self._tables}")
            )
        for index, cells in enumerate(grid, start=1):
            if any(cells):
                self.blocks.append(Block.row(cells, source=f"table {self._tables} row {index}"))

    @staticmethod
    def _cell_text(cell: _Element) -> str:
        return "\n".join(block.text for block in _Emitter().emit(cell))


def _rows(table: _Element) -> list[_Element]:
    rows: list[_Element] = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(row for row in child if row.tag == "tr")
    return rows


def _cell_rows(table: _Element) -> list[list[_Element]]:
    return [[cell for cell in row if cell.tag in ("td", "th")] for row in _rows(table)]


def _cells_in_order(table: _Element) -> list[_Element]:
    return [cell for row in _cell_rows(table) for cell in row]


def _span(cell: _Element, name: str, zero_means: int, most: int) -> int:
    """A cell's rowspan or colspan, at least 1 and at most ``most`` (0 means ``zero_means``)."""
    try:
        value = int(str(cell.get(name, "1")).strip() or "1")
    except ValueError:
        return 1
    return min(zero_means if value == 0 else max(1, value), most)


def _grid(table: _Element, cell_text: Callable[[_Element], str]) -> list[list[str]]:
    """Cell texts with spans resolved: a spanned cell's text sits in every position it covers.

    Bounded and linear in the table's rows × ``_MAX_COLUMNS`` whatever the spans say: a row is
    at most ``_MAX_COLUMNS`` wide (cells beyond are dropped: no notice's table is that wide), a
    rowspan reaches at most the table's last row, and each position is visited once (a hostile
    page of rowspan/colspan="1000" cells once took gigabytes and minutes)."""
    rows = _cell_rows(table)
    grid: list[list[str]] = []
    pending: dict[int, tuple[int, str]] = {}  # column -> (rows it still covers, text)
    for index, cells in enumerate(rows):
        rows_left = len(rows) - index
        row: list[str] = []
        queue = deque(cells)
        reach = max(pending, default=-1)  # the last column a cell from above still covers
        while len(row) < _MAX_COLUMNS and (queue or len(row) <= reach):
            column = len(row)
            if column in pending:
                remaining, text = pending.pop(column)
                if remaining > 1:
                    pending[column] = (remaining - 1, text)
                row.append(text)
            elif queue:
                cell = queue.popleft()
                text = cell_text(cell)
                rowspan = _span(cell, "rowspan", zero_means=rows_left, most=rows_left)
                colspan = _span(cell, "colspan", zero_means=1, most=_MAX_COLUMNS - column)
                for _ in range(colspan):
                    if rowspan > 1:
                        pending[len(row)] = (rowspan - 1, text)
                    row.append(text)
            else:
                row.append("")
        grid.append(row)
    return grid
