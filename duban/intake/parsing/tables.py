"""Tables: real ones from Word, web pages and spreadsheets, and tables flattened into text.

A ledger's columns are recognised by their Chinese names. Rows copied out of a web page often
lose cells that were merged (row-spanned) with the row above, so cells are matched to columns
by what they contain (a number, a person, a list of units, a long text) rather than by
position alone; a column a row does not fill takes the value above it, as the merge meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbering import AR, CN, PAR, PART, PCN, parse_numbering
from .text import looks_like_person_list, looks_like_unit_list

NUMBER, TEXT, GOAL, CATEGORY, LEADERS, LEAD, RESPONSIBLE, UNITS, DEADLINE, OTHER = (
    "number",
    "text",
    "goal",
    "category",
    "leaders",
    "lead",
    "responsible",
    "units",
    "deadline",
    "other",
)
INHERITED = (LEADERS, LEAD, RESPONSIBLE, UNITS, CATEGORY, DEADLINE)


def column_role(name: str) -> str | None:
    """The role of a header cell, or None when it is not a ledger column name."""
    name = _HEADER_NOTE.sub("", re.sub(r"\s+", "", name)) or name
    if not name or len(name) > 16:
        return None
    if name in ("序号", "编号", "序", "项次", "No", "No."):
        return NUMBER
    if "领导" in name:
        return LEADERS
    if re.search(
        r"进展|进度|推进情况|完成情况|落实情况|说明|备注|是否|评价|存在问题|下步|月", name
    ):
        return OTHER
    if re.search(r"时限|时间|期限|节点", name):
        return DEADLINE
    if "牵头" in name and re.search(r"单位|部门|责任", name):
        return LEAD
    if re.search(r"单位|部门|主体", name):
        return UNITS if name in ("责任单位", "责任部门", "责任主体") else RESPONSIBLE
    if (
        re.search(r"目标要求|目标任务|年度目标|全年目标|预期目标|工作目标|目标", name)
        and "重点" not in name
    ):
        return GOAL
    if re.search(r"任务|内容|事项|措施|工作|要求", name):
        return TEXT
    if re.search(r"项目|类别|领域|方面|板块|名称|分类", name):
        return CATEGORY
    return None


def header_roles(cells: list[str] | tuple[str, ...]) -> list[str | None] | None:
    """Column roles when ``cells`` is a ledger header row, else None."""
    roles = [column_role(c) for c in cells]
    known = [r for r in roles if r is not None]
    if len(known) < 2 or not any(r in (LEADERS, LEAD, RESPONSIBLE, UNITS) for r in known):
        return None
    if sum(r is not None for r in roles) * 2 < len([c for c in cells if c.strip()]):
        return None
    if TEXT not in roles:
        if GOAL in roles:
            roles[roles.index(GOAL)] = TEXT
        elif CATEGORY in roles:
            roles[roles.index(CATEGORY)] = TEXT
        else:
            return None
    return roles


def cell_type(text: str) -> str:
    stripped = re.sub(r"\s+", "", text)
    if not stripped:
        return "empty"
    if _BARE_NUMBER.fullmatch(stripped):
        return "number"
    if re.fullmatch(r"[\d年月日底前中旬上下半季度第一二三四长期持续全年每\-—./]{2,20}", stripped):
        return "date"
    if looks_like_person_list(text):
        return "person"
    if len(stripped) <= 60 and looks_like_unit_list(text):
        return "unit"
    return "text"


_SCORES: dict[str, dict[str, int]] = {
    "number": {NUMBER: 3, CATEGORY: 0, OTHER: 0},
    "text": {TEXT: 3, GOAL: 2, CATEGORY: 1, OTHER: 1},
    "person": {LEADERS: 3, OTHER: 0},
    "unit": {LEAD: 3, RESPONSIBLE: 3, UNITS: 3, OTHER: 0, CATEGORY: -1},
    "date": {DEADLINE: 3, OTHER: 1, TEXT: 0},
    "empty": {},
}


def _score(kind: str, role: str | None) -> int:
    if kind == "empty":
        return 1
    return _SCORES[kind].get(role or OTHER, -3)


def align(cells: list[str], roles: list[str | None]) -> dict[int, str] | None:
    """Best monotone assignment of cells to columns: {column index: cell text}.

    Every cell takes one column, in order; columns may be left out (merged away).
    """
    n, m = len(cells), len(roles)
    if n > m:
        return None
    kinds = [cell_type(c) for c in cells]
    neg = -(10**6)
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    choice: list[list[int]] = [[0] * (m + 1) for _ in range(n + 1)]
    for j in range(m + 1):
        best[0][j] = 0
    for i in range(1, n + 1):
        for j in range(i, m + 1):
            skip = best[i][j - 1]
            take = best[i - 1][j - 1] + _score(kinds[i - 1], roles[j - 1])
            if take >= skip:
                best[i][j], choice[i][j] = take, 1
            else:
                best[i][j], choice[i][j] = skip, 0
    mapping: dict[int, str] = {}
    i, j = n, m
    while i > 0:
        if choice[i][j]:
            mapping[j - 1] = cells[i - 1]
            i -= 1
        j -= 1
    return mapping


@dataclass
class TextTable:
    cells: list[str]  # flattened: cell after cell, rows to be cut by the header's width
    rows: list[list[str]]  # markdown style: one row per line
    start: int  # index of its first line
    end: int  # index after its last line
    one_per_line: bool = False  # cells saved one per line (not between '|')


_PIPE_LINE = re.compile(r"^\|+$")


def _pipe_tokens(lines: list[str]) -> list[str | None]:
    """Lines of a flattened table as cell texts and cell ends (None)."""
    tokens: list[str | None] = []
    for line in lines:
        stripped = line.strip()
        if _PIPE_LINE.match(stripped):
            tokens.extend([None] * len(stripped))
            continue
        inner = stripped
        lead = inner.startswith("|")
        if lead:
            inner = inner[1:]
        pieces = inner.split("|")
        for index, piece in enumerate(pieces):
            if piece.strip() or index < len(pieces) - 1:
                tokens.append(piece.strip())
            if index < len(pieces) - 1:
                tokens.append(None)
    return tokens


def find_text_tables(lines: list[str]) -> list[TextTable]:
    """Runs of lines that are a table flattened with '|' cell separators."""
    tables: list[TextTable] = []
    index = 0
    while index < len(lines):
        if "|" not in lines[index]:
            index += 1
            continue
        start = index
        if _PIPE_LINE.match(lines[index].strip()) and index > 0 and "|" not in lines[index - 1]:
            start = index - 1
        end, gap = index, 0
        while end < len(lines) and gap <= 4:
            gap = 0 if "|" in lines[end] else gap + 1
            end += 1
        end -= gap
        pipes = sum(lines[k].count("|") for k in range(start, end))
        if pipes >= 6:
            block = lines[start:end]
            framed = [
                ln.strip()
                for ln in block
                if ln.strip().startswith("|") and ln.strip().endswith("|")
            ]
            if len(framed) * 2 > len(block) and all(ln.count("|") >= 3 for ln in framed):
                rows = [
                    [c.strip() for c in ln[1:-1].split("|")]
                    for ln in framed
                    if not re.fullmatch(r"[|:\-\s]+", ln)
                ]
                tables.append(TextTable(cells=[], rows=rows, start=start, end=end))
            else:
                tables.append(TextTable(cells=_cells(block), rows=[], start=start, end=end))
        index = max(end, index + 1)
    return tables


_TABLE_END = re.compile(
    r"^(?:附件\s*[\d一二三四五六七八九十]*\s*[:：]?\s*$|附件\s*[\d一二三四五六七八九十]+\s*[:：]?|抄送|"
    r"[(（]此件|印发[:：]|[\u4e00-\u9fff]{2,30}(?:办公室|办公厅|人民政府)\s*\d{4}年\d{1,2}月\d{1,2}日印发)"
)
_HEADER_CELL_MAX = 16
_HEADER_NOTE = re.compile(r"[(（][^()（）]{1,30}[)）]$")  # "重点工作任务(杭州市2项配合工作)"
_HEADER_WORDS = re.compile(r"[\d\-—~至年月\s]*[\u4e00-\u9fff][\u4e00-\u9fff\s（）()/、\d\-—~]*")
_HEADER_MIN = 3


def _header_run(lines: list[str], start: int) -> int:
    """Length of the header row saved one cell per line that starts at ``start`` (0 if none)."""
    end = start
    while end < len(lines) and _is_header_cell(lines[end]):
        end += 1
    width = end - start
    if width < _HEADER_MIN or header_roles(lines[start:end]) is None:
        return 0
    return width


def find_cell_tables(lines: list[str], taken: list[TextTable]) -> list[TextTable]:
    """Tables saved one cell per line: a header row of column names, one per line ("序号",
    "重点工作任务", "牵头单位", "完成时限"), then the rows' cells, one per line, empty cells
    dropped. A table runs to the next such header, an attachment heading or the closing lines
    of the document."""
    busy = {k for t in taken for k in range(t.start, t.end)}
    tables: list[TextTable] = []
    index = 0
    while index < len(lines):
        width = 0 if index in busy else _header_run(lines, index)
        if not width:
            index += 1
            continue
        end = index + width
        while (
            end < len(lines)
            and end not in busy
            and not _header_run(lines, end)
            and not _TABLE_END.match(lines[end].strip())
        ):
            end += 1
        cells = [ln.strip() for ln in lines[index:end]]
        if end > index + width:
            tables.append(TextTable(cells=cells, rows=[], start=index, end=end, one_per_line=True))
        index = end
    return tables


def _cells(lines: list[str]) -> list[str]:
    cells: list[str] = []
    pending: list[str] = []
    for token in _pipe_tokens(lines):
        if token is None:
            cells.append("\n".join(pending))
            pending = []
        else:
            pending.append(token)
    if pending:
        cells.append("\n".join(pending))
    return cells


def rows_from_cells(
    cells: list[str], padded: bool = True
) -> tuple[list[str], list[list[str]]] | None:
    """Header and rows of a flattened table. ``padded``: empty cells were kept, so rows may be
    cut by the header's width; cells saved one per line drop empty ones, rows are cut at the
    cells that open them."""
    width = 0
    while width < len(cells) and _is_header_cell(cells[width]):
        width += 1
    if width < 2 or header_roles(cells[:width]) is None:
        return None
    header, body = cells[:width], cells[width:]
    rows = [body[k : k + width] for k in range(0, len(body), width)]
    if padded and all(_is_start(row[0]) for row in rows):
        return header, rows
    return header, [piece for row in _split_at_starts(body) for piece in _split_wide(row, width)]


_BARE_NUMBER = re.compile(r"(?:\d{1,4}|[一二三四五六七八九十]{1,3}|[(（]\d{1,3}[)）])[*＊★☆※]?")


def _is_header_cell(cell: str) -> bool:
    """A column name: a few words, no numbering, no sentence ("重点工作任务", "2022年预期目标")."""
    stripped = _HEADER_NOTE.sub("", cell.strip()).strip()
    return (
        len(re.sub(r"\s+", "", stripped)) <= _HEADER_CELL_MAX
        and bool(_HEADER_WORDS.fullmatch(stripped))
        and parse_numbering(stripped) is None
        and column_role(stripped) is not None
    )


def _is_start(cell: str) -> bool:
    """A cell that opens a row: a bare number or a numbered task or section."""
    stripped = cell.strip()
    if _BARE_NUMBER.fullmatch(stripped):
        return True
    numbering = parse_numbering(stripped)
    return numbering is not None and numbering.style in (AR, CN, PCN, PART, PAR)


def _split_at_starts(cells: list[str]) -> list[list[str]]:
    """Rows of a flattened table whose merged cells were dropped (no padding to count on)."""
    rows: list[list[str]] = []
    has_text = True
    has_number = False
    has_content = False
    for cell in cells:
        bare = bool(_BARE_NUMBER.fullmatch(cell.strip()))
        # One number column a row: a bare number after the row's number or words opens the next.
        if _is_start(cell) and (has_text or (bare and (has_number or has_content))):
            rows.append([])
            has_text = has_number = has_content = False
        has_number = has_number or bare
        has_content = has_content or (bool(cell.strip()) and not bare)
        if not rows:
            rows.append([])
        rows[-1].append(cell)
        if (
            parse_numbering(cell.strip()) is not None
            or len(cell.strip()) > 15
            or cell_type(cell) in ("person", "unit")  # the row's own fields: its text is behind
        ):
            has_text = True
    return rows


def _split_wide(row: list[str], width: int) -> list[list[str]]:
    """A row with more cells than the table has columns is two rows: a group heading ("2 |
    提升城市品质") joined to the task row under it. It is cut before its first inner start."""
    if len(row) <= width:
        return [row]
    cut = next((k for k in range(1, len(row)) if _is_start(row[k])), None)
    if cut is None:
        return [row]
    return [row[:cut], *_split_wide(row[cut:], width)]


def trim_padding(cells: list[str]) -> list[str]:
    """Drop the empty cells a converter appended to reach the header's width."""
    end = len(cells)
    while end > 0 and not cells[end - 1].strip():
        end -= 1
    return cells[:end]
