"""Tables whose cells a copy glued together without any separator.

Document-sharing sites and some PDF extractions give a whole table as one run of characters:
"序号主要工作任务第一责任单位主要责任单位一、主要发展指标1地区生产总值年均增长12%左右。市发展改革委
各县(市、区)政府、嘉兴港区2服务业增加值…". What is left to go by: the header's column names end in
a head noun (任务, 单位, 领导 …); rows start with numbers that go on from one row to the next; a
task's text ends with 。 or ；, and what follows it up to the next row is its leaders and units,
each unit name ending the way unit names end (局, 委, 街道, 公司 …). ``glued_rows`` rebuilds
the header and the rows from such a line, or gives None when the line is no such table.
"""

from __future__ import annotations

import re

from .numbering import CN_NUMERAL
from .tables import LEAD, LEADERS, NUMBER, RESPONSIBLE, TEXT, UNITS, column_role, header_roles
from .text import SURNAMES, looks_like_unit, split_outside_brackets

_HEAD_NOUN = re.compile(
    r"(?:序号|任务|内容|名称|领导|单位|部门|时限|时间|目标|措施|事项|情况|备注|项目|指标)$"
)
_NAME_MAX = 16
_SECTION = re.compile(rf"[{CN_NUMERAL}]{{1,3}}、[^。；;\d]{{2,40}}$")
# Where a unit's name may end: the next character starts another name.
_UNIT_END = re.compile(
    r"(?:局|委|办|部|院|厅|署|处|室|所|站|队|会|社|区|县|镇|乡|街道|公司|集团|中心|政府|管委会|园区|办事处|"
    r"单位|部门|专班|[)）])$"
)
_MIN_LINE = 150
_GLUED_NAMES_MAX = 80


def glued_rows(line: str) -> tuple[list[str], list[list[str]]] | None:
    """The header and rows of a table glued into ``line``, or None."""
    if len(line) < _MIN_LINE or "序号" not in line:
        return None
    start = line.index("序号")
    names, position = _header(line, start)
    roles = header_roles(names) if len(names) >= 3 else None
    if roles is None or NUMBER not in roles or TEXT not in roles:
        return None
    rows = [r for r in (_row(chunk, roles) for chunk in _chunks(line[position:])) if r]
    if len(rows) < 3:
        return None
    return names, rows


def _header(line: str, start: int) -> tuple[list[str], int]:
    names: list[str] = []
    position = start
    while position < len(line):
        end = next(
            (
                q
                for q in range(position + 2, min(len(line), position + _NAME_MAX) + 1)
                if _HEAD_NOUN.search(line[position:q]) and column_role(line[position:q])
            ),
            None,
        )
        if end is None or re.match(rf"[{CN_NUMERAL}]{{1,3}}、", line[position:end]):
            break  # "一、主要发展指标": the first row's section, not a column
        name = line[position:end]
        if names and name in ("名称", "单位", "领导", "部门", "时限", "时间", "内容"):
            names[-1] += name  # "项目" + "名称": one column
        else:
            names.append(name)
        position = end
    return names, position


def _chunks(body: str) -> list[str]:
    """The body cut before each row number that goes on from the last (1, 2, 3 …)."""
    chunks: list[str] = []
    expected, position = 1, 0
    starts: list[int] = []
    while True:
        match = re.compile(
            rf"(?<!\d){expected}(?![\d.．%个万亿年月日])(?=[\u4e00-\u9fff“])"
        ).search(body, position)
        if match is None:
            break
        starts.append(match.start())
        position, expected = match.end(), expected + 1
    for index, begin in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(body)
        chunks.append(body[begin:end])
    return chunks


def _row(chunk: str, roles: list[str | None]) -> list[str] | None:
    number = re.match(r"\d+", chunk)
    if number is None:
        return None
    content = _SECTION.sub("", chunk[number.end() :])  # "…嘉兴港区一、主要发展指标"
    cut = max(content.rfind("。"), content.rfind("；"), content.rfind(";"))
    if cut < 0:
        return None
    text, tail = content[: cut + 1], content[cut + 1 :]
    leaders: list[str] = []
    if LEADERS in roles:
        while True:
            name = _leader_at(tail)
            if name is None:
                break
            leaders.append(name)
            tail = tail[len(name) :].lstrip("、，,")
    units = _units(tail)
    if not units:
        return None
    cells: dict[str | None, str] = {NUMBER: number.group(), TEXT: text}
    cells[LEADERS] = "、".join(leaders)
    if LEAD in roles:
        cells[LEAD], rest = units[0], units[1:]
    else:
        rest = units
    column = RESPONSIBLE if RESPONSIBLE in roles else UNITS
    cells[column] = "、".join(rest)
    return [cells.get(role, "") for role in roles]


def _leader_at(tail: str) -> str | None:
    """A leader's name at the start of the names: two or three characters, a surname first,
    the rest beginning a unit's name or another leader's."""
    if not tail or tail[0] not in SURNAMES:
        return None
    for length in (3, 2):
        rest = tail[length:]
        if len(tail) > length and (_units(rest) or rest[:1] in SURNAMES):
            return tail[:length]
    return None


def _units(tail: str) -> list[str]:
    """Unit names glued together or separated by 、，: each ends as a unit's name does."""
    names: list[str] = []
    for piece in split_outside_brackets(tail, "、，,；;。 "):
        if len(piece) > _GLUED_NAMES_MAX:
            return []  # no run of names is this long: not a names cell
        position = 0
        ends = _Ends(piece)
        while position < len(piece):
            end = ends.end(position)
            if end is None:
                return []
            names.append(piece[position:end])
            position = end
    return [n for n in names if n]


def _unit_end(piece: str, start: int) -> int | None:
    """The end of the unit's name that starts at ``start``: the first place from three
    characters on where a name may end and the rest reads as names too (brackets kept)."""
    return _Ends(piece).end(start)


class _Ends:
    """``_unit_end`` over one run of names, each start worked out once (a run of many unit
    endings would otherwise be tried again and again)."""

    def __init__(self, piece: str) -> None:
        self.piece = piece
        self.memo: dict[int, int | None] = {}

    def end(self, start: int) -> int | None:
        if start not in self.memo:
            self.memo[start] = None  # a start under way is no answer for itself
            self.memo[start] = self._find(start)
        return self.memo[start]

    def _find(self, start: int) -> int | None:
        piece, depth = self.piece, 0
        for end in range(start + 1, len(piece) + 1):
            char = piece[end - 1]
            depth += char in "(（"
            depth -= char in ")）"
            if depth > 0 or end - start < 3 or not _UNIT_END.search(piece[start:end]):
                continue
            if piece[end : end + 1] in ("(", "（"):
                continue  # "各县(市、区)政府": the bracket belongs to the name
            name = piece[start:end]
            if end == len(piece) or (
                (looks_like_unit(name) or name.endswith((")", "）")))
                and len(piece) - end >= 3
                and self.end(end) is not None
            ):
                return end
        return None
