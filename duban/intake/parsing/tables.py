"""Tables: real ones from Word, web pages and spreadsheets, and tables flattened into text.

A ledger's columns are recognised by their Chinese names. Rows copied out of a web page often
lose cells that were merged (row-spanned) with the row above, so cells are matched to columns
by what they contain (a number, a person, a list of units, a long text) rather than by
position alone; a column a row does not fill takes the value above it, as the merge meant.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .numbering import AR, CN, PAR, PART, PCN, parse_numbering
from .text import (
    looks_like_person_list,
    looks_like_unit,
    split_outside_brackets,
    split_units,
    strip_name,
)

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
NAME = "name"  # "项目名称": the row's own name (a project's), not a group spanning rows
JUDGE = "judge"  # "评分部门": units that score or oversee the task, not those that do it
INHERITED = (LEADERS, LEAD, RESPONSIBLE, UNITS, CATEGORY, NAME, DEADLINE)


def column_role(name: str) -> str | None:
    """The role of a header cell, or None when it is not a ledger column name."""
    name = _HEADER_NOTE.sub("", re.sub(r"\s+", "", name)) or name
    if not name or len(name) > 16 or re.search(r"[。，,；;！!？?]", name):
        return None  # a sentence ("办公室牵头，各科室配合") is a cell, not a column's name
    if name in ("序号", "编号", "序", "项次", "No", "No."):
        return NUMBER
    if "领导" in name:
        return LEADERS
    if re.fullmatch(r"(?:计量)?单位", name):
        return OTHER  # a unit of measure (万亩, %)
    if re.fullmatch(r"(?:评分|考核|评价|督办|考评|督查)(?:部门|单位)", name):
        return JUDGE  # who scores the task: not who does it
    if re.search(r"时限|时间|期限|节点|进度安排", name) and not re.search(r"情况|说明|月份", name):
        return DEADLINE  # "完成时限", "时间进度", "时间节点", "进度安排"
    if re.search(
        r"进展|进度|推进情况|完成情况|落实情况|说明|备注|是否|评价|问题|困难|下步|下一步|打算|月|"
        r"比例|完成率|百分比|累计|实际完成|已完成",
        name,
    ):
        return OTHER
    if ("牵头" in name or name.startswith("第一责任")) and re.search(
        r"单位|部门|责任|处室|科室|机构", name
    ):
        return LEAD
    if re.search(r"单位|部门|主体|处室|科室|机构|责任方", name):
        whole = ("责任单位", "责任部门", "责任主体", "责任处室", "责任科室", "责任机构")
        return UNITS if name in whole else RESPONSIBLE
    if re.search(r"责任人$", name):
        return LEADERS  # "责任人": the person answering for the task
    if re.search(r"负责人|联系人", name):
        return OTHER
    if (
        re.search(r"目标要求|目标任务|年度目标|全年目标|预期目标|工作目标|目标|指标", name)
        and "重点" not in name
    ):
        return GOAL
    if re.search(r"分类|类别|大类", name):
        return CATEGORY  # "事项分类": a group label, though it says 事项
    if "名称" in name and name != "名称":
        return NAME  # "事项名称", "项目名称": the row's name beside its content
    if re.search(r"任务|内容|事项|措施|工作|要求|实事|举措|细化|具体", name):
        return TEXT
    if "名称" in name and name != "名称":
        return NAME
    if re.search(r"项目|类|领域|方面|板块|名称", name):
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
    cleaned = [re.sub(r"\s+", "", c) for c in cells]
    for k, name in enumerate(cleaned):
        # "主要责任单位" beside "协同配合单位": the main units lead; alone, it is the task's units.
        if roles[k] in (RESPONSIBLE, UNITS) and re.match(r"主要|主责|主办", name):
            others = any(roles[j] in (RESPONSIBLE, UNITS) for j in range(len(roles)) if j != k)
            if LEAD in roles:  # beside "第一责任单位": the main units after the first one
                roles[k] = RESPONSIBLE
            else:
                roles[k] = LEAD if others else UNITS
    texts = [k for k, r in enumerate(roles) if r == TEXT]
    if len(texts) >= 2 and _DETAIL.search(cleaned[texts[-1]]):
        # "工作任务 | 具体要求": the task is the detail; the column before it names its group
        for k in texts[:-1]:
            roles[k] = CATEGORY
    if TEXT not in roles:
        goal = roles.index(GOAL) if GOAL in roles else None
        if NAME in roles and goal is not None and not cleaned[goal].endswith("任务"):
            roles[roles.index(NAME)] = TEXT  # "指标名称 | 年度目标": the named item, its target
        elif goal is not None:
            roles[goal] = TEXT
            if NAME in roles:  # "项目名称 | 目标任务": the target is the task, the name its label
                roles[roles.index(NAME)] = CATEGORY
        elif CATEGORY in roles:
            roles[roles.index(CATEGORY)] = TEXT
        elif NAME in roles:
            roles[roles.index(NAME)] = TEXT
        else:
            return None
    return roles


_MEASURE = re.compile(
    r"[%‰]|(?:[万亿千百]?(?:元|人|亩|斤|吨|头|只|个|家|所|项|户|套|座|间|张|辆|台|次|人次|床|"
    r"千瓦|千瓦时|公里|千米|米|平方米|立方米|标准箱|张床))(?:/[万亿千百]?[\u4e00-\u9fff]{1,2})?"
)
_STANDING = re.compile(
    r"(?:长期|持续|常态化?|经常性|全年|逐步|按(?:时|期|计划|进度))(?:推进|坚持|开展|落实|实施|抓好|进行)?"
)
_DETAIL = re.compile(r"具体|细化|分解|措施|举措|内容|要求")


def cell_type(text: str) -> str:
    stripped = re.sub(r"\s+", "", text)
    if not stripped or PLACEHOLDER.fullmatch(stripped):
        return "empty"
    if BARE_NUMBER.fullmatch(stripped):
        return "number"
    if _MEASURE.fullmatch(stripped):
        return "measure"  # a unit of measure ("万元/人", "亿斤", "%") beside a figure
    if re.fullmatch(r"\d{1,9}\.\d{1,4}", stripped) and not re.fullmatch(
        r"(?:19|20)\d{2}\.\d{1,2}|\d{1,2}\.\d{1,2}前?", stripped
    ):
        return "number"  # a figure ("4.17", "103.1", "95%"); "2023.6" and "6.30" are dates
    if (
        re.fullmatch(r"[\d年月日底前中旬上下半季度第一二三四长期持续全年每\-—./]{2,20}", stripped)
        and not stripped.isdigit()
    ):
        return "date"
    if _STANDING.fullmatch(stripped):
        return "date"  # "长期推进", "持续开展": a deadline cell that names no date
    if len(stripped) <= 14 and _DATE_START.match(stripped):
        return "date"  # "5月底前动工", "9月投入使用", "年底前完成"
    clauses = [c for c in re.split(r"[，,；;]", stripped) if c]
    if len(stripped) <= 40 and all(len(c) <= 16 and _DATE_START.match(c) for c in clauses):
        return "date"  # "2021年2月公布预算信息，2021年8月公布上年度决算信息": dates, each its step
    if looks_like_person_list(text):
        return "person"
    if (
        _TASK_WORDS.search(stripped)
        or re.fullmatch(r"[^、，,；;]+。", stripped)
        or _PREPOSITION.match(stripped)  # "对乡镇专职消防队、村志愿队…提档升级。": no unit list
    ):
        return "text"  # a sentence: task words, or one phrase closed by 。 ("迁建政务服务中心。")
    if (len(stripped) <= 60 or _all_unit_names(text)) and _mostly_units(text):
        return "unit"
    return "text"


# Words of a task's sentence that no unit's name holds ("加快建设智慧城市，建成数据中心" ends in
# 市 and 中心 like a unit list, but it is a task).
_TASK_WORDS = re.compile(
    r"加快|推进|推动|实施|开展|完成|提升|打造|建成|新建|加强|深化|确保|完善|建立|提高|做好|实现|"
    r"增长|达到|力争|持续|全面|积极|大力|着力|不断|进一步|以上|左右|万元|亿元|%|召开|举办|活动|会议"
)


_PREPOSITION = re.compile(r"(?:对|在|把|将|按照|通过|围绕|结合|针对|为了|以)[\u4e00-\u9fff(（]")
_DATE_START = re.compile(
    r"(?:(?:19|20)\d{2}\s*年)?\s*(?:\d{1,2}\s*月|年底|年内|年末|上半年|下半年|第?[一二三四1-4]季度)"
)


def _mostly_units(text: str) -> bool:
    """A cell listing units: at least half of its names are units ("各平台、镇街")."""
    if any(m in text for m in "★☆▲"):
        return True
    names = split_units(text)
    units = sum(looks_like_unit(n) for n in names)
    if units * 2 == len(names):  # half: only with a group's name ("各平台、镇街")
        return any(n.startswith(("各", "相关", "有关")) for n in names)
    return bool(names) and units * 2 > len(names)


def _all_unit_names(text: str) -> bool:
    names = [strip_name(n) for n in split_outside_brackets(text)]
    return bool(names) and all(looks_like_unit(n) for n in names if n)


_SCORES: dict[str, dict[str, int]] = {
    # a figure is never a unit or a leader: those columns would rather stay empty
    "number": {
        NUMBER: 3,
        CATEGORY: 0,
        NAME: 0,
        OTHER: 0,
        GOAL: 0,
        DEADLINE: -1,
        LEAD: -8,
        RESPONSIBLE: -8,
        UNITS: -8,
        LEADERS: -8,
        JUDGE: -8,
    },
    "text": {TEXT: 3, GOAL: 2, NAME: 2, CATEGORY: 1, OTHER: 1},
    "person": {LEADERS: 3, OTHER: 0},
    "unit": {LEAD: 3, RESPONSIBLE: 3, UNITS: 3, JUDGE: 2, OTHER: 0, CATEGORY: -1, NAME: -1},
    "measure": {OTHER: 3, GOAL: 0},
    "date": {DEADLINE: 3, OTHER: 1, TEXT: 0},
    "empty": {},
    "item": {TEXT: 4, GOAL: 1, NAME: 2, CATEGORY: 0, OTHER: 0},
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
    kinds = [_kind(c) for c in cells]
    if TEXT in roles and kinds[:1] == ["number"] and not {"text", "item"} & set(kinds):
        # a task written like a unit's name ("建设美丽牧场"): the row's first cell after its
        # number is its text, as fit_cells decided
        first = next((k for k, kind in enumerate(kinds) if kind not in ("number", "empty")), None)
        if first is not None:
            kinds[first] = "text"
    neg = -(10**6)
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    choice: list[list[int]] = [[0] * (m + 1) for _ in range(n + 1)]
    for j in range(m + 1):
        best[0][j] = 0
    for i in range(1, n + 1):
        for j in range(i, m + 1):
            skip = best[i][j - 1]
            take = best[i - 1][j - 1] + _score(kinds[i - 1], roles[j - 1])
            if take > skip:  # a tie leaves the cell to an earlier column
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


def _is_figure(cell: str) -> bool:
    """A figure of a progress or target column: "1100", "96.64%", "-"."""
    return cell_type(cell) == "number" or bool(
        re.fullmatch(r"\d+(?:\.\d+)?\s*[%％]?|[-—－]", cell.strip())
    )


def _own_number(cell: str) -> bool:
    """A text that carries its item's number ("1.地区生产总值增长5%以上。")."""
    own = parse_numbering(cell.strip())
    return own is not None and own.style == AR and bool(own.rest) and cell_type(cell) == "text"


def _kind(cell: str) -> str:
    kind = cell_type(cell)
    if kind == "text" and (own := parse_numbering(cell.strip())) is not None and own.rest:
        return "item"  # "2、区级财政收入增长率": a task's text with its own number
    return kind


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
            elif _row_per_line(block):
                tables.append(
                    TextTable(
                        cells=[], rows=_line_rows(block), start=start, end=end, one_per_line=True
                    )
                )
            else:
                tables.append(TextTable(cells=_cells(block), rows=[], start=start, end=end))
        index = max(end, index + 1)
    return tables


_TABLE_END = re.compile(
    r"^(?:附件\s*[\d一二三四五六七八九十]*\s*[:：]?\s*$|附件\s*[\d一二三四五六七八九十]+\s*[:：]?|抄送|"
    r"[(（]此件|印发[:：]|分享到|索\s*引\s*号|发布机构|【?打印|【?关闭|扫一扫|责任编辑|来源[:：]|上一篇|下一篇|相关(?:链接|文章)|[\u4e00-\u9fff]{2,30}(?:办公室|办公厅|人民政府)\s*\d{4}年\d{1,2}月\d{1,2}日印发)"
)
_HEADER_CELL_MAX = 16
_HEADER_NOTE = re.compile(r"[(（][^()（）]{1,30}[)）]$")  # "重点工作任务(杭州市2项配合工作)"
_HEADER_WORDS = re.compile(r"[\d\-—~至年月\s]*[\u4e00-\u9fff][\u4e00-\u9fff\s（）()/、\d\-—~]*")
_HEADER_MIN = 3


def _header_run(lines: list[str], start: int) -> int:
    """Length of the header row saved one cell per line that starts at ``start`` (0 if none)."""
    names, width = header_span(lines, start)
    end = start + width
    if len(names) < 2 or header_roles(names) is None:
        return 0
    if width < _HEADER_MIN:  # two column names: only if a row of text and units follows
        kinds = [cell_type(ln) for ln in lines[end : end + 2]]
        if kinds != ["text", "unit"]:
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
            headless = None if index in busy else _headless(lines, index, busy)
            if headless is not None:
                tables.append(headless)
                index = headless.end
                continue
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
        names, _ = header_span(lines, index)
        cells = names + [ln.strip() for ln in lines[index + width : end]]
        if end > index + width:
            tables.append(TextTable(cells=cells, rows=[], start=index, end=end, one_per_line=True))
        index = end
    return tables


_HEADLESS_MIN_ROWS = 3


def _field_kind(cell: str) -> str | None:
    """A cell holding a leader, units or a date (not a labelled line "牵头单位：…")."""
    if re.search(r"[:：]", cell):
        return None
    kind = cell_type(cell)
    return kind if kind in ("person", "unit", "date") else None


_HEADLESS_WINDOW = 16  # cells a row may hold before the next row's number


def _row_number(cell: str) -> int | None:
    stripped = cell.strip().rstrip(".．、")
    return int(stripped) if stripped.isdigit() and len(stripped) <= 4 else None


def headless_rows(cells: list[str]) -> tuple[list[str], list[list[str]], int] | None:
    """A table whose header row the copy lacks (an image, or an excerpt that starts below it),
    as cells from its first one: at least three rows, each opened by a bare number going on
    from the last, holding the task's text and its leader, unit or date cells. Returns the
    header named from what the first full row's cells hold, the rows, and how many cells they
    took; None when the cells are no such table."""
    if not cells or _row_number(cells[0]) is None:
        return None
    starts = [0]
    expected = (_row_number(cells[0]) or 0) + 1
    position = 1
    while position < len(cells) and position - starts[-1] <= _HEADLESS_WINDOW:
        value = _row_number(cells[position])
        if value is not None and 0 <= value - expected <= 3:
            starts.append(position)
            expected = value + 1
        elif _TABLE_END.match(cells[position].strip()):
            break
        position += 1
    bounds = [*starts, position]
    rows = [cells[a:b] for a, b in itertools.pairwise(bounds)]
    last = rows[-1]
    fields_at = [k for k, c in enumerate(last) if _field_kind(c.strip()) is not None]
    if fields_at:  # the last row ends after its names, before whatever follows the table
        rows[-1] = last[: fields_at[-1] + 1]
    full = [r for r in rows if _texts(r) and any(_field_kind(c.strip()) for c in r[1:])]
    if len(full) < _HEADLESS_MIN_ROWS or len(full) * 3 < len(rows) * 2:
        return None
    header = _header_from(full[0])
    return header, rows, starts[-1] + len(rows[-1])


def _texts(row: list[str]) -> list[str]:
    return [c for c in row[1:] if cell_type(c) == "text" and ":" not in c and "：" not in c]


_NAMES = {"person": "责任领导", "unit": "责任单位", "date": "完成时限"}


def _header_from(row: list[str]) -> list[str]:
    """Column names for a headless table's cells: 序号, then 类别 for a numbered heading cell
    before the task ("一、经济社会发展的主要预期目标"), 工作任务, the names in the order they come,
    备注 for what follows them (a telephone number)."""
    header = ["序号"]
    seen_text = False
    for cell in row[1:]:
        stripped = cell.strip()
        kind = _field_kind(stripped) or cell_type(stripped)
        numbering = parse_numbering(stripped)
        if kind == "text" and not seen_text:
            if numbering is not None and numbering.style in (PART, CN, PCN) and len(row) > 3:
                header.append("类别")
                continue
            header.append("工作任务")
            seen_text = True
        elif kind in _NAMES and _NAMES[kind] not in header:
            header.append(_NAMES[kind])
        elif kind in ("text", "number") and seen_text and len(header) > 2:
            header.append("备注")
    return header


def _headless(lines: list[str], start: int, busy: set[int]) -> TextTable | None:
    """``headless_rows`` over lines, one cell a line."""
    if _row_number(lines[start]) is None:
        return None  # (cheap: most lines open no table)
    stop = start
    while stop < len(lines) and stop not in busy and stop - start < 4000:
        stop += 1
    found = headless_rows([ln.strip() for ln in lines[start:stop]])
    if found is None:
        return None
    header, _, taken = found
    cells = header + [ln.strip() for ln in lines[start : start + taken]]
    return TextTable(cells=cells, rows=[], start=start, end=start + taken, one_per_line=True)


def _is_row_line(line: str) -> bool:
    stripped = line.strip()
    return stripped.endswith("|") and not stripped.startswith("|") and stripped.count("|") >= 2


def _row_per_line(block: list[str]) -> bool:
    """A table copied as one row a line, each cell closed by '|' ("序号 | 工作任务 | 牵头单位 |"),
    rows short of the cells that were merged with the row above; a line of '|' alone closes an
    empty row and does not count."""
    block = [ln for ln in block if not _PIPE_LINE.match(ln.strip())]
    return sum(_is_row_line(ln) for ln in block) * 3 >= len(block) * 2


def _line_rows(block: list[str]) -> list[list[str]]:
    rows: list[list[str]] = []
    for line in block:
        stripped = line.strip()
        if _PIPE_LINE.match(stripped):
            continue
        if _TABLE_END.match(stripped):
            if any(header_roles(row) is not None for row in rows):
                break  # the page's own lines after the table ("索引号: | …")
            continue  # …or before it
        if _is_row_line(stripped):
            rows.append([c.strip() for c in stripped.rstrip("|").split("|")])
        elif "|" in stripped:  # a row the copy cut short
            rows.append([c.strip() for c in stripped.split("|")])
        elif rows and stripped:
            rows[-1][-1] = f"{rows[-1][-1]}{stripped}"  # a cell that went on to the next line
        elif stripped:
            rows.append([stripped])
    return rows


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
    # The header may follow a '|' or the table's title cell ("附件：", "…项目清单", empty cells).
    for skip in range(min(len(cells), _TITLE_CELLS + 1)):
        names, taken = header_span(cells, skip)
        if len(names) >= 2 and header_roles(names) is not None:
            cells = names + cells[skip + taken :]
            width = len(names)
            break
    else:
        return None
    header, body = cells[:width], cells[width:]
    rows = [body[k : k + width] for k in range(0, len(body), width)]
    if padded and all(_is_start(row[0]) for row in rows):
        return header, rows
    if (
        padded
        and NUMBER in [column_role(c) for c in header]
        and "" in body
        and sum(bool(BARE_NUMBER.fullmatch(c.strip())) for c in body) >= 2
        and sum(_own_number(c) for c in body) < 2  # texts with their own numbers: no rows'
    ):
        # cells between '|' one per line, an empty one as '|' alone, but the merged cells gone:
        # the empty cells count for nothing, the rows open at their numbers
        body = [c for c in body if c.strip()]
        padded = False
    if not padded:
        header = _one_level(header)
        roles = [column_role(c) for c in header]
        if NUMBER not in roles and body and BARE_NUMBER.fullmatch(body[0].strip()):
            header = ["序号", *header]  # the rows are numbered: the copy lost that column's name
        if not any(BARE_NUMBER.fullmatch(c.strip()) for c in body):
            return header, _split_by_kinds(body)
        if NUMBER in [column_role(c) for c in header]:
            width = len(header)
            return header, [p for row in _split_by_numbers(body) for p in _split_long(row, width)]
    return header, [piece for row in _split_at_starts(body) for piece in _split_wide(row, width)]


_TITLE_CELLS = 10  # cells a '|' table may hold before its header row


def _one_level(header: list[str]) -> list[str]:
    """A two-level header saved one cell per line ("责任单位" over "牵头单位", "配合单位"): the
    rows hold the lower level's cells only."""
    roles = [column_role(c) for c in header]
    return [
        cell
        for k, cell in enumerate(header)
        if not (
            roles[k] == UNITS
            and k + 2 < len(roles)
            and {roles[k + 1], roles[k + 2]} == {LEAD, RESPONSIBLE}
        )
    ]


def _split_by_numbers(cells: list[str]) -> list[list[str]]:
    """Rows of a table with a number column, saved one cell per line: a row opens at a bare
    number that goes on from the last row's (or starts again from 1), or at a numbered heading
    across the table ("一、…", "（一）张三副市长（分管…）"). A numbered line inside a cell (the
    "1. 印发《…》" of a progress column) opens nothing."""
    rows: list[list[str]] = []
    expected: int | None = None
    for position, cell in enumerate(cells):
        stripped = cell.strip().rstrip("*＊★☆※")
        numbering = parse_numbering(stripped) if stripped else None
        bare = bool(BARE_NUMBER.fullmatch(stripped))
        if bare and numbering is None and stripped.isdigit():
            value: int | None = int(stripped)
        else:
            value = numbering.value if bare and numbering is not None else None
        heading = (
            numbering is not None
            and not bare
            and numbering.style in (PART, CN, PCN)
            and len(stripped) <= 60
            and cell_type(stripped) == "text"
        )
        opened = bool(rows) and len(rows[-1]) == 1 and bool(BARE_NUMBER.fullmatch(rows[-1][0]))
        if heading and not opened:  # after the row's number it is the row's group cell
            rows.append([cell])
            rows.append([])
            continue
        # Numbering may skip a few (a row left out of a copy), or many in an extract when a
        # task's text follows; it never runs backwards but to 1.
        after = cells[position + 1].strip() if position + 1 < len(cells) else ""
        skips = (
            expected is not None
            and value is not None
            and value > expected
            and len(after) >= 6
            and cell_type(after) == "text"
        )
        figure = (_is_figure(after) or cell_type(after) == "date") and _comes_soon(
            cells, position, value or 0, 1
        )  # "7 | 7 | 100%": a figure, the same number opening the next row further on
        if value is not None and (
            expected is None
            or (value == expected and not figure)
            # a figure ("1", "10", "70") is no row's number when the one expected comes next
            or (
                (value == 1 or 0 < value - expected <= 3)
                and not _comes_soon(cells, position, expected, 1)
            )
            or (skips and not _comes_soon(cells, position, expected))
        ):
            if rows and not rows[-1]:
                rows.pop()
            rows.append([cell])
            expected = value + 1
            continue
        if not rows:
            rows.append([])
        rows[-1].append(cell)
    return [row for row in rows if row]


def _split_long(row: list[str], width: int) -> list[list[str]]:
    """A numbered row with more cells than the table has columns holds the rows under it whose
    number and unit cells were merged with it ("培训家政服务人员613人次 | 县科商工信局 | 613 |
    626" then "新增家政服务人员275人 | 275 | 284"): a sentence after the row's figures opens one."""
    pieces = [row]
    while len(pieces[-1]) > width:
        last = pieces[-1]
        kinds = ["number" if _is_figure(c) else cell_type(c) for c in last]
        if not {"unit", "person"} & set(kinds):
            break
        after_fields = kinds.index("unit") if "unit" in kinds else kinds.index("person")
        cut = next(
            (
                k
                for k in range(after_fields + 1, len(last))
                if kinds[k] == "text"
                and kinds[k - 1] in ("number", "date", "measure", "unit")
                and kinds[k + 1 : k + 2] == ["number"]  # the sentence's own figures follow
                and len(last[k].strip()) >= 6
            ),
            None,
        )
        if cut is None:
            break
        pieces[-1:] = [last[:cut], last[cut:]]
    return pieces


def _comes_soon(cells: list[str], position: int, expected: int, spread: int = 4) -> bool:
    """The number the rows expect (or one of the next few) opens a cell a little further on."""
    wanted = {str(v) for v in range(expected, expected + spread)}
    ahead = cells[position + 1 : position + 1 + _HEADLESS_WINDOW]
    return any(cell.strip().rstrip("*＊★☆※") in wanted for cell in ahead)


def short_name(cell: str) -> bool:
    stripped = re.sub(r"\s+", "", cell)
    if parse_numbering(stripped) is not None:
        return False  # "3、四大重点培育产业…": a numbered task, not a name
    return (
        len(stripped) <= 20
        and not re.search(r"[。，,；;：:！？]", stripped)
        and not (_TASK_WORDS.search(stripped))
    )


def _split_by_kinds(cells: list[str]) -> list[list[str]]:
    """Rows of a table without numbers: a row is its text cells, then its leader, unit and
    date cells; the next text cell after those opens the next row. A numbered heading
    ("（一）张三副市长（分管…）", "二、…") is a row of its own."""
    rows: list[list[str]] = []
    closed = True
    for cell in cells:
        kind = cell_type(cell)
        numbering = parse_numbering(cell.strip())
        if numbering is not None and numbering.style in (PART, CN, PCN) and kind == "text":
            rows.append([cell])
            closed = True
            continue
        if kind == "text" and closed and rows and rows[-1] and short_name(cell):
            heading = parse_numbering(rows[-1][0].strip())
            if len(rows[-1]) == 1 and heading is not None and not heading.rest:
                rows[-1] = [f"{rows[-1][0].strip()}{cell.strip()}"]  # "(二)" + "支持实体企业发展"
                continue
            rows[-1].append(cell)  # "未来科技城(海创园)": a unit the suffixes do not know
            continue
        if kind == "text" and closed:
            rows.append([])
            closed = False
        if not rows:
            rows.append([])
        rows[-1].append(cell)
        if kind in ("person", "unit", "date", "empty"):
            closed = True
    return rows


def _split_name(first: str, second: str) -> bool:
    """A unit's name a line break split: neither half is a name, both together are."""
    return (
        2 <= len(first) <= 10
        and 2 <= len(second) <= 10
        and not looks_like_unit(first)
        and looks_like_unit(second)
        and looks_like_unit(first + second)
        and first[:1] in "市区县省镇乡"
        and cell_type(first) == "text"
        and not _TASK_WORDS.search(first)
        and not re.search(r"[\d%％]", first)
    )


_NOTE_CELL = re.compile(r"[(（][^()（）]{1,20}[)）]")


def fit_cells(cells: list[str], roles: list[str | None]) -> list[str]:
    """Cells of a row saved one per line, made to fit the columns: placeholders ("/", "—",
    "无") are empty cells; a run of names longer than the columns for them (two leaders on two
    lines, a unit list over three lines) is one cell."""
    joined: list[str] = []
    for cell in cells:
        if PLACEHOLDER.fullmatch(cell.strip()):
            joined.append("")
        elif joined and _split_name(joined[-1].strip(), cell.strip()):
            joined[-1] = joined[-1].strip() + cell.strip()  # "市人力资源" + "社会保障局"
        elif joined and joined[-1].strip() and _NOTE_CELL.fullmatch(cell.strip()):
            joined[-1] = joined[-1].rstrip() + cell.strip()  # "区发改局" + "(区金融办)"
        else:
            joined.append(cell)
    room = {
        "person": sum(r == LEADERS for r in roles),
        "unit": sum(r in (LEAD, RESPONSIBLE, UNITS, JUDGE) for r in roles),
    }
    kinds = [cell_type(c) for c in joined]
    if TEXT in roles and "text" not in kinds:
        # The row's task is written like a unit list ("鼓励净菜上市，减少餐厨垃圾产量" ends in
        # 市): its first cell after the number is the text column's, never merged away.
        first = next((k for k, kind in enumerate(kinds) if kind not in ("number", "empty")), None)
        if first is not None:
            kinds[first] = "text"
    forced = {joined[k].strip() for k, kind in enumerate(kinds) if kind == "text"}
    fitted: list[str] = []
    position = 0
    while position < len(joined):
        kind = kinds[position]
        end = position + 1
        while end < len(joined) and kind in room and kinds[end] == kind:
            end += 1
        run = [c.strip() for c in joined[position:end]]
        space = room.get(kind, 0)
        if space and len(run) > space:
            extra = len(run) - space
            holders = [r for r in roles if r in (LEAD, RESPONSIBLE, UNITS, JUDGE)]
            if re.search(r"[、，,；;]", run[-1]) or holders[-1:] == [JUDGE]:
                # the last column's cell is a list of its own: the first column's cell ran
                # over several lines (the lead units one per line)
                run = ["、".join(run[: extra + 1]), *run[extra + 1 :]]
            else:
                # one name a line: the last column's list ran over the extra lines
                run = [*run[: space - 1], "、".join(run[space - 1 :])]
        fitted.extend(run if kind in room else joined[position:end])
        position = end
    for kind, columns, always in (
        ("text", sum(r in (TEXT, GOAL, CATEGORY, NAME, OTHER) for r in roles), True),
        ("date", sum(r == DEADLINE for r in roles), False),
        ("unit", room["unit"], False),  # "市农业农村局 | 进展… | 市人社局 | 进展…"
        ("person", room["person"], False),
    ):
        # A row that holds two sentences each with its date ("开工建设养老楼。| 5月底前 | 开工
        # 建设老年大学。| 12月底前"): the later ones join the first of their kind. More texts
        # than columns for text join the one before when they follow it: a sentence is never a
        # unit or a leader ("联动共建科学城" | "推动量子通信…").
        places = [
            k
            for k, c in enumerate(fitted)
            if ("text" if c.strip() in forced else cell_type(c)) == kind
        ]
        while (
            columns
            and len(places) > columns
            and (len(fitted) > len(roles) or (always and places[-1] == places[-2] + 1))
        ):
            # a cell's line broken off ("四大重点培育产业占区级税收" / "比重"): the shortest cell
            # that follows one of its kind joins it first; else the last joins the one before
            after = [k for k in places[1:] if k - 1 in places]
            last = min(after, key=lambda k: len(fitted[k].strip())) if after else places[-1]
            before = places[places.index(last) - 1]
            places.remove(last)
            glue = {"text": "", "date": "；"}.get(kind, "、")
            fitted[before] = f"{fitted[before].strip()}{glue}{fitted[last].strip()}"
            del fitted[last]
            places = [k - 1 if k > last else k for k in places]
    return fitted


BARE_NUMBER = re.compile(
    r"(?:\d{1,4}[.．、]?|[一二三四五六七八九十]{1,3}|[(（]\d{1,3}[)）])[*＊★☆※]?"
)
PLACEHOLDER = re.compile(r"[/／\\—\-－–]+|无|暂无|空白?")


_OTHER_COLUMN = re.compile(
    r"(?:地点|金额|投资|规模|数量|类型|性质|来源|标准|依据|方式|环节|年度|级别|区域|位置|属地|面积|"
    r"资金|预算|总额|效益|成效|指标值|计量单位)$"
)


def _is_header_cell(cell: str, unknown_ok: bool = True) -> bool:
    """A column name: a few words, no numbering, no sentence ("重点工作任务", "2022年预期目标");
    with ``unknown_ok`` also a column duban has no use for ("建设地点", "年度投资金额(万元)")."""
    stripped = _HEADER_NOTE.sub("", cell.strip()).strip()
    if not (
        len(re.sub(r"\s+", "", stripped)) <= _HEADER_CELL_MAX
        and not re.search(r"(?:表|清单|方案|台账)$", stripped)  # a table's title, not a column
        and bool(_HEADER_WORDS.fullmatch(stripped))
        and parse_numbering(stripped) is None
    ):
        return False
    if column_role(stripped) is not None:
        return True
    return unknown_ok and bool(_OTHER_COLUMN.search(re.sub(r"\s+", "", stripped)))


_HEAD_WORD = re.compile(r"^(?:部门|单位|责任单位|时间|时限|领导|任务|内容|情况|名称)$")
_HEAD_WORD_END = re.compile(r"(?:部门|单位|时间|时限|领导|任务|内容|情况|名称)$")
_UNIT_NOTE_CELL = re.compile(r"^[(（][^()（）]{1,10}[)）]$")  # "(%)", "（万元）" under a name


def split_name(cell: str, after: str) -> bool:
    """Whether a column's name was split by a line break or a space: a modifier of up to four
    characters that is no column name alone ("牵头", "完成", "工程") and a head word that makes it
    one ("部门", "时间", "名称"); "主体" + "责任单位" too, a name that ends in no head word."""
    cell, after = re.sub(r"\s+", "", cell), re.sub(r"\s+", "", after)
    return (
        bool(_HEAD_WORD.match(after))
        and len(cell) <= 4
        and column_role(cell + after) is not None
        and column_role(cell) in (None, column_role(cell + after))  # "事项" + "责任单位": two
        and not _HEAD_WORD_END.search(cell)  # "责任领导" + "责任单位" are two columns
    )


def header_span(cells: list[str], start: int = 0) -> tuple[list[str], int]:
    """The column names of a header row from ``start`` and how many cells they took: column
    names, not ending in one duban does not know; a name a line break split ("牵头" / "部门",
    "完成" / "时间") is one name."""
    taken: list[tuple[str, int]] = []
    end = start
    while end < len(cells):
        cell = cells[end].strip()
        after = cells[end + 1].strip() if end + 1 < len(cells) else ""
        joined = re.sub(r"\s+", "", cell + after)
        if split_name(cell, after):
            taken.append((joined, 2))
            end += 2
            continue
        if taken and _UNIT_NOTE_CELL.match(cell):
            taken[-1] = (taken[-1][0] + cell, taken[-1][1] + 1)  # "完成目标" + "(%)"
            end += 1
            continue
        if not _is_header_cell(cell):
            break
        taken.append((cell, 1))
        end += 1
    while taken and not _is_header_cell(taken[-1][0], unknown_ok=False):
        taken.pop()
    return [name for name, _ in taken], sum(n for _, n in taken)


def _header_width(cells: list[str], start: int = 0) -> int:
    """How many cells from ``start`` make a header row (``header_span``)."""
    return header_span(cells, start)[1]


def _is_start(cell: str) -> bool:
    """A cell that opens a row: a bare number or a numbered task or section."""
    stripped = cell.strip()
    if re.fullmatch(r"(?:19|20)\d{2}", stripped):
        return False  # a year ("建设时间 | 2024"), not the 2024th row
    if BARE_NUMBER.fullmatch(stripped):
        return True
    numbering = parse_numbering(stripped)
    return numbering is not None and numbering.style in (AR, CN, PCN, PART, PAR)


def _split_at_starts(cells: list[str]) -> list[list[str]]:
    """Rows of a flattened table whose merged cells were dropped (no padding to count on)."""
    rows: list[list[str]] = []
    has_text = True
    has_number = False
    has_content = False
    last: int | None = None  # the last row number, to tell a figure ("300" 万元) from the next
    for cell in cells:
        bare = bool(BARE_NUMBER.fullmatch(cell.strip()))
        value = _row_number(cell) if bare else None
        if value is not None and last is not None and value != 1 and not 0 < value - last <= 4:
            bare = False  # a figure in a cell, not a row's number
        start = _is_start(cell) and (value is None or bare)
        # One number column a row: a bare number after the row's number or words opens the next.
        if start and (has_text or (bare and (has_number or has_content))):
            if value is not None:
                last = value
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
    own = _row_number(row[0])

    def opens(cell: str) -> bool:
        value = _row_number(cell)
        if value is not None and own is not None and not 0 <= value - own <= 4:
            return False  # a figure ("300" 万元), not the next row's number
        return _is_start(cell)

    cut = next((k for k in range(1, len(row)) if opens(row[k])), None)
    if cut is None:
        return [row]
    return [row[:cut], *_split_wide(row[cut:], width)]


def trim_padding(cells: list[str]) -> list[str]:
    """Drop the empty cells a converter appended to reach the header's width."""
    end = len(cells)
    while end > 0 and not cells[end - 1].strip():
        end -= 1
    return cells[:end]
