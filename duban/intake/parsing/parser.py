"""From a stream of blocks to areas and tasks (pure Python, no Django).

One pass reads lines and table rows into numbered items with their text and responsibility
fields; ``items.resolve`` then decides from the whole document which items are tasks; the
last step fills in what the document states once for all tasks (the "first listed unit
leads" rule, ★ markers, leaders named in a section heading) and checks what looks doubtful.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..blocks import Block
from ..errors import N_, IntakeError
from . import metadata
from .deadlines import parse_deadline
from .directory import NameDirectory
from .fields import (
    FIRST_LISTED_RULE,
    LEAD,
    LEADERS,
    RESPONSIBLE,
    Fields,
    is_label_line,
    parse_prose_line,
    split_inline,
)
from .items import SECTION, TASK, Item, effective_fields, resolve, task_text
from .numbering import AR, CN, PART, PCN, Numbering, parse_numbering
from .result import AreaInfo, DocumentInfo, ParseResult, ParseWarning, TaskInfo
from .tables import (
    DEADLINE,
    GOAL,
    INHERITED,
    NUMBER,
    TEXT,
    UNITS,
    align,
    cell_type,
    column_role,
    find_text_tables,
    header_roles,
    rows_from_cells,
    trim_padding,
)
from .tables import LEAD as COL_LEAD
from .tables import LEADERS as COL_LEADERS
from .tables import RESPONSIBLE as COL_RESPONSIBLE
from .targets import extract_targets
from .text import (
    clean_line,
    dedupe,
    looks_like_person_list,
    looks_like_unit_list,
    split_leaders,
    squeeze,
)

_TITLES = (
    "常务副省长|常务副市长|常务副区长|常务副县长|常务副州长|副省长|副市长|副区长|副县长|副州长|副旗长|"
    "副镇长|副乡长|省长|市长|区长|县长|州长|旗长|镇长|乡长|副秘书长|秘书长|副主任|主任|副书记|书记|"
    "副部长|部长|副主席|主席|局长|同志"
)
_HEADING_LEADER = re.compile(rf"(?P<name>[\u4e00-\u9fff]{{2,4}}?)(?:{_TITLES})+")
_HEADING_VERB = re.compile(r"牵头|分管|负责|联系|领衔|包抓")
_SPACE_HEADER_MIN = 3
_COUNT_SUFFIX = re.compile(r"[(（]\s*(?:共|计)?\s*\d+\s*(?:项|条|个|件)(?:任务)?\s*[)）]$")


@dataclass
class _Line:
    text: str
    cells: tuple[str, ...] | None = None
    synthetic: bool = False  # rebuilt from a table flattened into text: merged cells dropped


@dataclass
class _State:
    items: list[Item] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    roles: list[str | None] | None = None
    previous_row: dict[int, str] = field(default_factory=dict)
    space_units: list[str] = field(default_factory=list)
    last_ar: int | None = None

    @property
    def current(self) -> Item | None:
        return self.items[-1] if self.items else None


def parse_blocks(blocks: Iterable[Block], directory: NameDirectory | None = None) -> ParseResult:
    """Parse a notice. Raises IntakeError("no_tasks") when it holds no task list."""
    lines = _lines(blocks)
    texts = [ln.text for ln in lines if ln.cells is None]
    state = _State()
    for index, line in enumerate(lines):
        if line.cells is not None:
            _row(state, list(line.cells), index, line.synthetic)
        else:
            _text_line(state, line.text, index)
    resolve(state.items)
    tasks_items = [i for i in state.items if i.role == TASK]
    if not tasks_items:
        raise IntakeError(
            "no_tasks",
            N_("No tasks were found in this document."),
            N_(
                "It may be a covering notice without the task list, or a layout duban does "
                "not know: check that the file contains the numbered tasks with their lead units."
            ),
        )
    whole = "\n".join(texts)
    title = metadata.find_title(texts)
    doc_number = metadata.find_doc_number(texts)
    signed = metadata.find_date(texts)
    year = metadata.find_year(title, doc_number, signed)
    first_task_line = tasks_items[0].line
    preamble = "\n".join(ln.text for ln in lines[:first_task_line] if ln.cells is None)
    declared_areas, declared_tasks = metadata.declared_counts(preamble)
    document: DocumentInfo = {
        "title": title,
        "doc_number": doc_number,
        "issuer": metadata.find_issuer(title, texts),
        "date": signed.isoformat() if signed else None,
        "year": year,
        "declared_areas": declared_areas,
        "declared_tasks": declared_tasks,
    }
    first_listed = bool(FIRST_LISTED_RULE.search(squeeze(whole)))
    warnings: list[ParseWarning] = []
    areas, area_of = _areas(state.items)
    tasks = [
        _task(item, area_of.get(id(item)), first_listed, year, warnings) for item in tasks_items
    ]
    _check(document, areas, tasks, warnings, directory)
    return ParseResult(document=document, areas=areas, tasks=tasks, warnings=warnings)


def _lines(blocks: Iterable[Block]) -> list[_Line]:
    """Blocks as cleaned lines and rows, with tables flattened into text rebuilt as rows."""
    raw: list[_Line] = []
    for block in blocks:
        if block.cells is not None:
            raw.append(_Line(block.text, tuple(c.strip() for c in block.cells)))
            continue
        for line in block.text.split("\n"):
            if line.count("\t") >= 2:  # a table pasted from Word or Excel: cells between tabs
                cells = tuple(clean_line(c) for c in line.strip("\r\n").split("\t"))
                raw.append(_Line(" | ".join(cells), cells))
                continue
            cleaned = clean_line(line)
            if cleaned or "|" in line:
                raw.append(_Line(cleaned if cleaned else line.strip()))
    text_only = [ln.text if ln.cells is None else "" for ln in raw]
    tables = find_text_tables(text_only)
    if not tables:
        return [ln for ln in raw if ln.text or ln.cells]
    result: list[_Line] = []
    position = 0
    for table in tables:
        result.extend(raw[position : table.start])
        if table.rows:
            result.extend(_Line(" | ".join(r), tuple(r)) for r in table.rows)
        else:
            split = rows_from_cells(table.cells)
            if split is None:
                result.extend(raw[table.start : table.end])
            else:
                header, rows = split
                result.append(_Line(" | ".join(header), tuple(header)))
                result.extend(_Line(" | ".join(r), tuple(r), synthetic=True) for r in rows)
        position = table.end
    result.extend(raw[position:])
    return [ln for ln in result if ln.text or ln.cells]


# ---------------------------------------------------------------- text lines


def _text_line(state: _State, text: str, index: int) -> None:
    current = state.current
    continues = (
        current is not None
        and current.label_lines[-1:] != []
        and (current.label_lines[-1].rstrip().endswith(("、", "，", ",", "；", ";")))
    )
    if continues and current and not parse_numbering(text) and not is_label_line(text):
        current.label_lines[-1] += text
        return
    _space_header(state, text)
    if is_label_line(text):
        if current is not None:
            current.label_lines.append(text)
            current.in_fields = True
        return
    numbering = parse_numbering(text)
    if numbering and _accept(state, numbering):
        _new_item(state, numbering, index)
        return
    if current is None:
        state.preamble.append(text)
        return
    prose = parse_prose_line(text)
    if prose is not None:
        current.fields.merge(prose)
        current.in_fields = True
        return
    if current.in_fields:
        return  # after a task's fields: a sub-heading, a signature or a date
    body, inline = split_inline(text)
    current.parts.append(body)
    if inline is not None:
        current.fields.merge(inline)
        current.in_fields = True


def _accept(state: _State, numbering: Numbering) -> bool:
    if numbering.style != AR:
        return True
    if numbering.value >= 1900 and numbering.value != (state.last_ar or 0) + 1:
        return False  # "2023、2024年…": years, not the thousandth task
    if numbering.spaced:
        expected = {1} if state.last_ar is None else {state.last_ar + 1, 1}
        return numbering.value in expected
    return True


def _new_item(state: _State, numbering: Numbering, index: int) -> None:
    if numbering.style == AR:
        state.last_ar = numbering.value
    item = Item(
        style=numbering.style,
        label=numbering.label,
        value=numbering.value,
        parts=[],
        line=index,
    )
    body, inline = split_inline(numbering.rest)
    if inline is None and state.space_units:
        body, inline = _trailing_units(body, state.space_units)
    item.parts.append(body)
    if inline is not None:
        item.fields.merge(inline)
        item.in_fields = True
    if numbering.style in (PART, CN, PCN):
        item.defaults = _heading_leaders(body)
    state.items.append(item)


def _heading_leaders(heading: str) -> Fields:
    """Leaders a section heading names: "一、徐仁标市长牵头重点工作" → 徐仁标."""
    fields = Fields()
    if not _HEADING_VERB.search(heading):
        return fields
    names = [m.group("name") for m in _HEADING_LEADER.finditer(squeeze(heading))]
    names = [re.sub(r"^(?:由|请)", "", n) for n in names]
    if names:
        fields.leaders = dedupe(names)
        fields.explicit.add(LEADERS)
    return fields


def _space_header(state: _State, text: str) -> None:
    """A ledger header flattened into a line: "序号 名称 工作任务 牵头责任单位"."""
    tokens = text.split()
    if len(tokens) < _SPACE_HEADER_MIN or "序号" not in tokens:
        return
    start = tokens.index("序号")
    roles = []
    for token in tokens[start:]:
        role = column_role(token)
        if role is None:
            break
        roles.append(role)
    if len(roles) >= _SPACE_HEADER_MIN:
        after_text = roles[roles.index(TEXT) + 1 :] if TEXT in roles else roles
        state.space_units = [
            r for r in after_text if r in (COL_LEADERS, COL_LEAD, COL_RESPONSIBLE, UNITS, DEADLINE)
        ]


def _trailing_units(text: str, roles: list[str]) -> tuple[str, Fields | None]:
    """Leader, unit and deadline columns left at the end of a row flattened into a line.

    Empty cells vanish in such a line, so tokens are matched to columns from the right by
    what they hold, skipping a column whose token is missing.
    """
    tokens = text.split()
    found: dict[str, str] = {}
    for role in reversed(roles):
        if len(tokens) < 2:
            break
        token = tokens[-1]
        if role == DEADLINE:
            fits = cell_type(token) == "date"
        elif role == COL_LEADERS:
            fits = looks_like_person_list(token)
        else:
            fits = looks_like_unit_list(token)
        if fits:
            found[role] = tokens.pop()
    if not found:
        return text, None
    fields = Fields()
    for role, value in found.items():
        if role == COL_LEADERS:
            fields.leaders = split_leaders(value)
            fields.explicit.add(LEADERS)
        elif role == DEADLINE:
            fields.deadline = value
            fields.explicit.add(DEADLINE)
        else:
            fields.merge(_unit_fields(value, LEAD if role == COL_LEAD else RESPONSIBLE))
    return " ".join(tokens), fields


def _unit_fields(value: str, role: str) -> Fields:
    from .fields import parse_units_prose

    fields = parse_units_prose(value, role)
    fields.explicit.add(role)
    return fields


# ---------------------------------------------------------------- table rows


def _row(state: _State, cells: list[str], index: int, synthetic: bool) -> None:
    distinct = dedupe([c for c in cells if c])
    if not distinct:
        return
    roles = header_roles(cells)
    if roles is not None:
        state.roles = roles
        state.previous_row = {}
        return
    if len(distinct) == 1 and not _only_field_cells(state.roles, cells):
        _text_line(state, clean_line(distinct[0]), index)
        return
    if state.roles is None:
        _text_line(state, clean_line(" ".join(distinct)), index)
        return
    roles = state.roles
    present = trim_padding(cells) if synthetic else cells
    if len(present) == len(roles) or not synthetic:
        mapping = {k: v for k, v in enumerate(present[: len(roles)])}
    else:
        aligned = align(present, roles)
        if aligned is None:
            mapping = {k: v for k, v in enumerate(present[: len(roles)])}
        else:
            mapping = aligned
            for column, role in enumerate(roles):
                if column not in mapping and role in INHERITED and column in state.previous_row:
                    mapping[column] = state.previous_row[column]
    state.previous_row = dict(mapping)
    values: dict[str, list[str]] = {}
    for column, value in mapping.items():
        role = roles[column] if column < len(roles) else None
        if role is not None and value.strip():
            values.setdefault(role, []).append(value.strip())
    _row_item(state, roles, values, index)


def _only_field_cells(roles: list[str | None] | None, cells: list[str]) -> bool:
    """A row that only adds units or leaders (the rest of its task is in the row above)."""
    if roles is None or len(cells) != len(roles):
        return False
    filled = [roles[k] for k, cell in enumerate(cells) if cell.strip()]
    return all(r in (COL_LEADERS, COL_LEAD, COL_RESPONSIBLE, UNITS) for r in filled)


def _row_item(
    state: _State, roles: list[str | None], values: dict[str, list[str]], index: int
) -> None:
    text = "".join(values.get(TEXT, []))
    goal = "".join(values.get(GOAL, []))
    previous = state.current if state.current and state.current.from_table else None
    if not text and not goal:
        if previous is not None:  # a task spread over two rows: the second adds units
            previous.fields.merge(_row_fields(roles, values))
        return
    numbering = parse_numbering(clean_line(text)) if text else None
    if (
        numbering
        and numbering.style in (PART, CN, PCN)
        and not any(values.get(r) for r in (COL_LEADERS, COL_LEAD, COL_RESPONSIBLE, UNITS))
    ):
        _new_item(state, numbering, index)
        return
    has_fields = any(values.get(r) for r in (COL_LEADERS, COL_LEAD, COL_RESPONSIBLE, UNITS))
    if numbering is None and not has_fields and len(squeeze(text)) <= 20:
        return  # a group label such as "筑牢经济发展底座", not a task
    number_cell = "".join(values.get(NUMBER, []))
    if numbering is not None:
        body, label, value, style = (
            numbering.rest,
            numbering.label,
            numbering.value,
            numbering.style,
        )
    elif re.fullmatch(r"\d{1,4}", number_cell):
        body, label, value, style = text, number_cell, int(number_cell), AR
    else:
        next_number = (state.last_ar or 0) + 1
        body, label, value, style = text, str(next_number), next_number, AR
    if style == AR:
        state.last_ar = value
    if goal and goal not in body:
        body = f"{body}{'' if re.search(r'[。；;.]$', body) or not body else '。'}{goal}"
    item = Item(
        style=style, label=label, value=value, parts=[clean_line(body)], line=index, from_table=True
    )
    item.fields = _row_fields(roles, values)
    item.in_fields = True
    if previous is not None and (previous.label, previous.parts) == (item.label, item.parts):
        previous.fields.merge(item.fields)  # merged number and text cells over two rows
        return
    state.items.append(item)


def _row_fields(roles: list[str | None], values: dict[str, list[str]]) -> Fields:
    fields = Fields()
    if COL_LEADERS in roles:
        fields.explicit.add(LEADERS)
    for leaders in values.get(COL_LEADERS, []):
        fields.leaders = dedupe(fields.leaders + split_leaders(leaders))
    for role, target in ((COL_LEAD, LEAD), (COL_RESPONSIBLE, RESPONSIBLE), (UNITS, RESPONSIBLE)):
        if role not in roles:
            continue
        for value_text in values.get(role, []):
            fields.merge(_unit_fields(value_text, target))
        fields.explicit.add(target)
    if not {COL_LEAD, COL_RESPONSIBLE, UNITS} & set(roles):
        fields.explicit.add(RESPONSIBLE)
    for deadline in values.get(DEADLINE, []):
        fields.deadline = deadline
        fields.explicit.add(DEADLINE)
    return fields


# ---------------------------------------------------------------- assembling


def _areas(items: list[Item]) -> tuple[list[AreaInfo], dict[int, int]]:
    sections = [i for i in items if i.role == SECTION]
    if not sections:
        return [], {}
    depth = min(s.depth for s in sections)
    top = [s for s in sections if s.depth == depth]
    values = [s.value for s in top]
    unique = len(set(values)) == len(values) and all(v is not None for v in values)
    areas: list[AreaInfo] = []
    number_of: dict[int, int] = {}
    for position, section in enumerate(top, start=1):
        number = section.value if unique and section.value is not None else position
        title = squeeze(section.parts[0] if section.parts else "").rstrip("。.；;：:")
        title = _COUNT_SUFFIX.sub("", title).rstrip("。.；;：:")
        areas.append({"number": number, "title": title})
        number_of[id(section)] = number
    area_of: dict[int, int] = {}
    for item in items:
        node = item.parent
        while node is not None and id(node) not in number_of:
            node = node.parent
        if node is not None:
            area_of[id(item)] = number_of[id(node)]
    return areas, area_of


def _task(
    item: Item, area: int | None, first_listed: bool, year: int | None, warnings: list[ParseWarning]
) -> TaskInfo:
    fields = effective_fields(item)
    lead, responsible = list(fields.lead), list(fields.responsible)
    if fields.starred:
        lead = dedupe(lead + [n for n in responsible if n in fields.starred])
        responsible = [n for n in responsible if n not in fields.starred]
    elif not lead and responsible and (first_listed or fields.all_lead):
        if fields.all_lead:
            lead, responsible = responsible, []
        else:
            lead, responsible = responsible[:1], responsible[1:]
    responsible = [n for n in responsible if n not in lead]
    text = squeeze(task_text(item))
    deadline = None
    if fields.deadline:
        parsed = parse_deadline(fields.deadline, year)
        if parsed is None:
            warnings.append(
                ParseWarning("unclear_deadline", item.number, {"text": fields.deadline})
            )
        deadline = parsed.isoformat() if parsed else None
    return {
        "number": item.number,
        "area": area,
        "text": text,
        "lead_leaders": dedupe(fields.leaders),
        "lead_units": dedupe(lead),
        "responsible_units": dedupe(responsible),
        "deadline": deadline,
        "targets": extract_targets(text),
    }


def _check(
    document: DocumentInfo,
    areas: list[AreaInfo],
    tasks: list[TaskInfo],
    warnings: list[ParseWarning],
    directory: NameDirectory | None,
) -> None:
    declared = document["declared_tasks"]
    if declared is not None and declared != len(tasks):
        warnings.append(
            ParseWarning("declared_tasks", None, {"declared": declared, "parsed": len(tasks)})
        )
    declared = document["declared_areas"]
    if declared is not None and declared != len(areas):
        warnings.append(
            ParseWarning("declared_areas", None, {"declared": declared, "parsed": len(areas)})
        )
    seen: set[tuple[int | None, int | str]] = set()
    previous: TaskInfo | None = None
    restarts = _restarts(tasks)
    for task in tasks:
        number = task["number"]
        key = (task["area"], number) if restarts else (None, number)
        if key in seen:
            warnings.append(ParseWarning("numbering_repeat", number, {"current": number}))
        seen.add(key)
        if previous is not None and isinstance(number, int) and isinstance(previous["number"], int):
            restart = number == 1 and task["area"] != previous["area"]
            if number != previous["number"] + 1 and not restart and number != previous["number"]:
                warnings.append(
                    ParseWarning(
                        "numbering_gap", number, {"previous": previous["number"], "current": number}
                    )
                )
        previous = task
        if not task["text"]:
            warnings.append(ParseWarning("empty_text", number))
        if not task["lead_units"]:
            warnings.append(ParseWarning("no_lead_unit", number))
        if directory is not None:
            for name in task["lead_units"] + task["responsible_units"]:
                if directory.knows(name):
                    continue
                candidates = directory.candidates(name)
                if candidates:
                    warnings.append(
                        ParseWarning(
                            "unknown_unit",
                            number,
                            {"name": name, "candidates": "、".join(candidates)},
                        )
                    )
                else:
                    warnings.append(
                        ParseWarning("unknown_unit_no_candidate", number, {"name": name})
                    )


def _restarts(tasks: list[TaskInfo]) -> bool:
    """Whether numbering restarts in each area (so a repeated number is no repeat)."""
    return sum(1 for t in tasks if t["number"] == 1) > 1


__all__ = ["parse_blocks"]
