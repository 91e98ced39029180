"""The one pass over lines and table rows that collects numbered items with their fields."""

from __future__ import annotations

import re

from .fields import (
    LEAD,
    LEADERS,
    RESPONSIBLE,
    Fields,
    is_label_line,
    parse_labelled,
    parse_prose_line,
    parse_units_prose,
    split_inline,
)
from .items import Item
from .numbering import (
    AR,
    CN,
    DEPTH,
    GROUP,
    PART,
    PCN,
    UNIT_AFTER_NUMBER,
    Numbering,
    label_of,
    parse_numbering,
)
from .stream import State
from .tables import (
    BARE_NUMBER,
    CATEGORY,
    DEADLINE,
    GOAL,
    INHERITED,
    NAME,
    NUMBER,
    PLACEHOLDER,
    TEXT,
    UNITS,
    align,
    cell_type,
    fit_cells,
    header_roles,
    header_span,
    short_name,
    trim_padding,
)
from .tables import LEAD as COL_LEAD
from .tables import LEADERS as COL_LEADERS
from .tables import OTHER as COL_OTHER
from .tables import RESPONSIBLE as COL_RESPONSIBLE
from .targets import extract_targets
from .text import (
    clean_line,
    dedupe,
    join_spread_words,
    looks_like_person_list,
    looks_like_unit,
    looks_like_unit_list,
    split_leaders,
    split_units,
    squeeze,
)

_TITLES = (
    "常务副省长|常务副市长|常务副区长|常务副县长|常务副州长|副省长|副市长|副区长|副县长|副州长|副旗长|"
    "副镇长|副乡长|省长|市长|区长|县长|州长|旗长|镇长|乡长|副秘书长|秘书长|副主任|主任|副书记|书记|"
    "副部长|部长|副主席|主席|局长|同志|(?:区|市|县|省)?(?:政府)?党组(?:副)?(?:书记|成员)|"
    "(?:区|市|县|省)长助理"
)
_HEADING_LEADER = re.compile(rf"(?P<name>[\u4e00-\u9fff]{{2,4}}?)(?:{_TITLES})+")
_HEADING_UNIT = re.compile(
    r"^(?P<unit>[^，,。；;：:（(]{2,30}?)牵头(?:的)?(?:重点)?(?:工作|任务|事项)(?:[(（]\d+项[)）])?[。：:]?$"
)
_HEADING_UNIT_ONLY = re.compile(
    r"^(?P<unit>[^，,。；;：:（(\d]{2,40}?)(?:[(（]\s*\d{1,3}\s*项\s*[)）]|\d{1,3}\s*项)?[。：:]?$"
)
_UNIT_WITH_COUNT = re.compile(
    r"^(?P<unit>[^，,。；;：:（(\d]{2,40}?)(?:[(（]\d{1,3}项[)）]|\d{1,3}项?)$"
)
_HEADING_UNIT_THEN = re.compile(
    r"^[^，,。；;：:（(\s]{2,30}?牵头(?:的)?(?:重点)?(?:工作|任务|事项)\s+\S"
)
_HEADING_VERB = re.compile(r"牵头|分管|负责|联系|领衔|包抓|主抓|领办|挂帅")
# "区长陈兴立牵头", "常务副区长姚珂军牵头": the title before the name, the verb after it
_HEADING_TITLE_FIRST = re.compile(
    rf"(?:{_TITLES})(?P<name>[\u4e00-\u9fff]{{2,3}}?)(?:同志)?(?=牵头|分管|负责|联系|领衔|包抓|主抓|领办|挂帅|、|和)"
)
_NOT_A_NAME = re.compile(r"^(?:常务|区政府|市政府|县政府|省政府|政府|分管)$")
_SPACE_HEADER_MIN = 3


def read_line(state: State, text: str, index: int) -> None:
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
    if _space_continuation(state, text):
        return
    if _attachment_list(state, text):
        state.preamble.append(text)
        return
    if is_label_line(text):
        if current is not None:
            current.label_lines.append(text)
            current.in_fields = True
        return
    numbering = parse_numbering(text)
    counted = _UNIT_WITH_COUNT.match(squeeze(text)) if numbering is None else None
    if counted is not None and _named_units(counted.group("unit")):
        # "市发展改革委8", "市财政局（3项）": the unit the numbered items below belong to
        heading = Item(style=GROUP, label="", value=None, parts=[counted.group("unit")], line=index)
        heading.defaults.responsible = split_units(counted.group("unit"))
        heading.defaults.explicit.add(RESPONSIBLE)
        heading.heading_phrase = counted.group("unit")
        state.items.append(heading)
        state.last_ar = None
        return
    if numbering is None and state.pending_number is not None:
        # "1" on a line of its own, the task on the next (a web copy's paragraphs)
        value, state.pending_number = state.pending_number, None
        numbering = Numbering(style=AR, label=str(value), value=value, rest=text, spaced=False)
    if numbering and _accept(state, numbering):
        _new_item(state, numbering, index)
        return
    glued = _GLUED_NUMBER.match(text) if numbering is None else None
    if glued is not None and not _next_number(state, int(glued.group(1))):
        # "212完成投资…": item 2, its text opening with a figure ("12…")
        digits = glued.group(1)
        cut = next((k for k in range(1, len(digits)) if _next_number(state, int(digits[:k]))), None)
        glued = re.match(rf"^({digits[:cut]})", text) if cut and digits[cut] != "0" else None
    if glued is not None and not UNIT_AFTER_NUMBER.match(text[glued.end() :]):
        # "1优化就业创业服务": a number glued to its text, going on from the last
        value = int(glued.group(1))
        rest = text[glued.end() :]
        _new_item(
            state, Numbering(style=AR, label=str(value), value=value, rest=rest, spaced=True), index
        )
        return
    bare = re.fullmatch(r"(\d{1,3})\s*[.．、]?", text)
    if bare and int(bare.group(1)) in ({1} if state.last_ar is None else {state.last_ar + 1, 1}):
        state.pending_number = int(bare.group(1))
        return
    if current is None:
        state.preamble.append(text)
        return
    prose = parse_prose_line(text)
    if prose is not None:
        current.fields.merge(prose)
        current.in_fields = True
        return
    if current.in_fields and _unnumbered_sibling(state, current, text, index):
        return
    if current.in_fields:
        return  # after a task's fields: a sub-heading, a signature or a date
    body, inline = split_inline(text)
    current.parts.append(body)
    if inline is not None:
        current.fields.merge(inline)
        current.inline = True
        current.in_fields = True


def _unnumbered_sibling(state: State, current: Item, text: str, index: int) -> bool:
    """A line shaped like the item above, its own units in the closing parenthesis, after an
    item whose units closed its paragraph: the next item, its number lost in the copy
    ("⑤全力推动…(责任单位:市市场监管局);" then "新增跨境电商产值10亿元以上(责任单位:市商务局);")."""
    if not current.inline or current.from_table or current.value is None:
        return False
    body, inline = split_inline(text)
    if inline is None or not (inline.lead or inline.responsible) or len(squeeze(body)) < 4:
        return False
    value = current.value + 1
    _new_item(
        state,
        Numbering(
            style=current.style,
            label=label_of(current.style, value, current.label),
            value=value,
            rest=text,
            spaced=True,
        ),
        index,
    )
    state.items[-1].unnumbered = True
    return True


_ATTACHMENTS = re.compile(r"^附\s*件\s*[:：]\s*(?P<rest>.*)$")
_ATTACHMENT_TITLE = re.compile(r"^[^。；;，,]{4,60}(?:表|清单|方案|台账|目录|分工|要点|计划|安排)$")


def _attachment_list(state: State, text: str) -> bool:
    """The cover letter's list of attachments ("附件：1. 预期目标分解表" / "2. 重点工作任务分解
    表"): titles, not numbered items."""
    match = _ATTACHMENTS.match(text)
    if match:
        state.attachment_list = True
        return True
    if state.attachment_list:
        numbering = parse_numbering(text)
        if numbering is not None and _ATTACHMENT_TITLE.match(squeeze(numbering.rest)):
            return True
        state.attachment_list = False
    return False


_GLUED_NUMBER = re.compile(r"^(\d{1,3})(?=[\u4e00-\u9fff“《「])(?!\d)")


def _next_number(state: State, value: int) -> bool:
    """Whether a number glued to its text goes on from the last item (and is no figure)."""
    return value == (state.last_ar or 0) + 1


def _accept(state: State, numbering: Numbering) -> bool:
    if numbering.style != AR:
        return True
    if numbering.value >= 1900 and numbering.value != (state.last_ar or 0) + 1:
        return False  # "2023、2024年…": years, not the thousandth task
    if numbering.spaced:
        if state.space_units and (state.last_ar is None or numbering.value > state.last_ar):
            return True  # rows under a flattened header: an extract may start at 81, skip to 85
        expected = {1} if state.last_ar is None else {state.last_ar + 1, 1}
        return numbering.value in expected
    return True


def _new_item(state: State, numbering: Numbering, index: int) -> None:
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
        item.inline = True
        item.in_fields = True
    if numbering.style in (PART, CN, PCN):
        item.defaults = _heading_leaders(body)
        # "（一）省监察委员会牵头的工作 强化行政监察，…": a web copy put the paragraph after it
        phrase, _, after = body.partition(" ") if _HEADING_UNIT_THEN.match(body) else (body, "", "")
        unit = _HEADING_UNIT.match(squeeze(phrase))
        only = _HEADING_UNIT_ONLY.match(squeeze(body))
        if unit is not None and looks_like_unit_list(unit.group("unit")):
            item.defaults.lead = split_units(unit.group("unit"))
            item.defaults.explicit.add(LEAD)
            item.heading_phrase = phrase
            if after.strip():
                item.parts = [phrase, after.strip()]
        elif only is not None and _named_units(only.group("unit")):
            # "（二）市经济和信息化局（5项）": the unit the items under it belong to
            item.defaults.responsible = split_units(only.group("unit"))
            item.defaults.explicit.add(RESPONSIBLE)
            item.heading_phrase = body
    state.items.append(item)


def _named_units(text: str) -> bool:
    """Names of units, each one ("市经济和信息化局"), not a group ("各县区…") or a topic."""
    names = split_units(text)
    return bool(names) and all(
        looks_like_unit(n) and not n.startswith(("各", "相关", "有关", "全")) for n in names
    )


def _heading_leaders(heading: str) -> Fields:
    """Leaders a section heading names: "一、徐仁标市长牵头重点工作" → 徐仁标."""
    fields = Fields()
    if not _HEADING_VERB.search(heading):
        return fields
    # "于幼军省长负责的工作（李政文秘书长、刘俊谦省长助理协助）": those who assist do not lead
    squeezed = re.sub(r"[(（][^()（）]*协助[^()（）]*[)）]", "", squeeze(heading))
    names = [m.group("name") for m in _HEADING_TITLE_FIRST.finditer(squeezed)]
    if not names:
        names = [m.group("name") for m in _HEADING_LEADER.finditer(squeezed)]
    names = [re.sub(r"^(?:由|请)", "", n) for n in names]
    names = [n for n in names if not _NOT_A_NAME.match(n)]
    if names:
        fields.leaders = dedupe(names)
        fields.explicit.add(LEADERS)
    return fields


def _space_header(state: State, text: str) -> None:
    """A ledger header flattened into a line: "序号 名称 工作任务 牵头责任单位"."""
    tokens = join_spread_words(text.split())
    if len(tokens) < _SPACE_HEADER_MIN or "序号" not in tokens:
        return
    names, _ = header_span(tokens, tokens.index("序号"))
    roles = header_roles(names) or [] if len(names) >= _SPACE_HEADER_MIN else []
    if len(roles) >= _SPACE_HEADER_MIN:
        after_text = roles[roles.index(TEXT) + 1 :] if TEXT in roles else roles
        kept = (COL_LEADERS, COL_LEAD, COL_RESPONSIBLE, UNITS, DEADLINE)
        state.space_units = [r if r in kept else COL_OTHER for r in after_text]
        while state.space_units and state.space_units[0] == COL_OTHER:
            state.space_units.pop(0)


def _space_continuation(state: State, text: str) -> bool:
    """A unit cell of a flattened row that went on to the next line: a single name more for the
    same column ("区税务局" under "区财政局"), a list the next column's."""
    current = state.current
    column = current.fields.space_column if current is not None else None
    if current is None or column is None or parse_numbering(text) or is_label_line(text):
        return False
    tokens = text.split()
    units = 0
    while units < len(tokens) and looks_like_unit_list(tokens[units]):
        units += 1
    if not units or len(text) > 400:
        return False
    text = " ".join(tokens[:units])  # what follows the names is the row's progress columns
    unit_columns = [
        k for k, r in enumerate(state.space_units) if r in (COL_LEAD, COL_RESPONSIBLE, UNITS)
    ]
    if re.search(r"[、，,；;]", text) and column != unit_columns[-1]:
        column = unit_columns[unit_columns.index(column) + 1]
    role = state.space_units[column]
    current.fields.merge(_unit_fields(text, LEAD if role == COL_LEAD else RESPONSIBLE))
    current.fields.space_column = column
    return True


def _trailing_units(text: str, roles: list[str]) -> tuple[str, Fields | None]:
    """Leader, unit and deadline columns left at the end of a row flattened into a line.

    Empty cells vanish in such a line, so tokens are matched to columns from the right by
    what they hold, skipping a column whose token is missing.
    """
    tokens = text.split()
    found: list[tuple[int, str]] = []  # (column among ``roles``, token)
    for column in reversed(range(len(roles))):
        role = roles[column]
        if len(tokens) < 2:
            break
        if role == COL_OTHER:  # a progress or remarks column: words that are no names or date
            while (
                len(tokens) > 2
                and cell_type(tokens[-1]) == "text"
                and not looks_like_unit_list(tokens[-1])
            ):
                tokens.pop()
            continue
        token = tokens[-1]
        if role == DEADLINE:
            fits = cell_type(token) == "date"
        elif role == COL_LEADERS:
            fits = looks_like_person_list(token) or len(token) == 1
            if fits:  # "汪  峰   吴蓓蓓": names a justified cell spread over several words
                taken: list[str] = []
                while len(tokens) > 1 and (
                    looks_like_person_list(tokens[-1]) or len(tokens[-1]) == 1
                ):
                    taken.insert(0, tokens.pop())
                found.append((column, " ".join(taken)))
                continue
        else:
            fits = looks_like_unit_list(token)
        if fits:
            found.append((column, tokens.pop()))
    if not found:
        return text, None
    # Unit lists fill the unit columns from the first: a row with one list names its lead
    # units, the co-operating column being the one left empty.
    unit_columns = [k for k, r in enumerate(roles) if r in (COL_LEAD, COL_RESPONSIBLE, UNITS)]
    units = sorted((c, t) for c, t in found if c in unit_columns)
    placed = [(unit_columns[k], t) for k, (_, t) in enumerate(units)]
    others = [(c, t) for c, t in found if c not in unit_columns]
    fields = Fields()
    for column, value in [*others, *placed]:
        role = roles[column]
        if role == COL_LEADERS:
            fields.leaders = split_leaders(value)
            fields.explicit.add(LEADERS)
        elif role == DEADLINE:
            fields.deadline = value
            fields.explicit.add(DEADLINE)
        else:
            fields.merge(_unit_fields(value, LEAD if role == COL_LEAD else RESPONSIBLE))
    if placed:
        fields.space_column = placed[-1][0]
    return " ".join(tokens), fields


def _unit_fields(value: str, role: str) -> Fields:
    fields = parse_units_prose(value, role)
    fields.explicit.add(role)
    return fields


# ---------------------------------------------------------------- table rows


def read_row(state: State, cells: list[str], index: int, synthetic: bool) -> None:
    distinct = dedupe([c for c in cells if c])
    if not distinct:
        return
    roles = header_roles(cells)
    if roles is not None:
        state.roles = roles
        state.previous_row = {}
        return
    if len(distinct) == 1 and not _only_field_cells(state.roles, cells):
        read_line(state, clean_line(distinct[0]), index)
        return
    if state.roles is None:
        read_line(state, clean_line(" ".join(distinct)), index)
        return
    roles = state.roles
    labelled = Fields()
    if synthetic:  # "省牵头单位:省农业农村厅": a labelled cell beside the columns
        for cell in [c for c in cells if is_label_line(c.strip())]:
            parsed = parse_labelled(cell.strip())
            if parsed is not None:
                labelled.merge(parsed)
                cells = [c for c in cells if c is not cell]
    spanned: dict[int, str] = {}  # cells the row lacks, row-spanned from the row above
    if not synthetic:
        mapping = {k: v for k, v in enumerate(cells[: len(roles)])}
    else:
        cells = [*state.carry, *trim_padding(cells)]
        state.carry = []
        offset = _row_start(roles, cells)  # the columns before it were merged with rows above
        columns = roles[offset:]
        if (
            offset
            and len(cells) > 2
            and columns[-1] in _RESPONSIBILITY
            and cell_type(cells[-2]) in ("unit", "person")
            and cell_type(cells[-1]) == "text"
            and short_name(cells[-1])
        ):
            # the row ends with its units; a short name after them ("高品质生活") is the group
            # of the rows below, written before their first number
            cells, state.carry = cells[:-1], cells[-1:]
        present = trim_padding(fit_cells(cells, columns))
        if (
            offset
            and len(present) > len(columns)
            and all(short_name(c) for c in present[len(columns) :])
        ):
            # short names past the row's last column ("扶贫解困工程") open the group of the
            # rows below, whose merged cell the copy wrote before their first number
            present, state.carry = present[: len(columns)], present[len(columns) :]
        if len(present) == len(columns):
            aligned: dict[int, str] | None = dict(enumerate(present))
        else:
            aligned = align(present, columns)
        if aligned is None:
            mapping = {k: v for k, v in enumerate(present[: len(roles)])}
        else:
            mapping = {offset + k: v for k, v in aligned.items()}
            for column, role in enumerate(roles):
                if column not in mapping and role in INHERITED and column in state.previous_row:
                    spanned[column] = state.previous_row[column]
    if synthetic and cells and PLACEHOLDER.fullmatch(cells[-1].strip()):
        # "… | 区教体局 | /": the last column is empty on purpose, not merged with the row above
        last = len(roles) - 1
        if last not in mapping:
            spanned.pop(last, None)
            mapping[last] = ""
    state.previous_row = {**mapping, **spanned}
    _row_item(state, roles, _values(roles, {**mapping, **spanned}), index, _values(roles, mapping))
    if labelled and state.current is not None and state.current.line == index:
        state.current.fields.merge(labelled)


def _row_start(roles: list[str | None], cells: list[str]) -> int:
    """The column a row's first cell belongs to when it opens with the row's number: its number
    cell, or the text that carries the number ("3、四大重点培育产业…") where no column has it."""
    first = cells[0].strip() if cells else ""
    if NUMBER in roles and BARE_NUMBER.fullmatch(first):
        return roles.index(NUMBER)
    own = parse_numbering(first) if NUMBER not in roles and TEXT in roles else None
    groups = set(roles[: roles.index(TEXT)]) if TEXT in roles else set()
    if (
        own is not None
        and own.rest
        and own.style == AR
        and cell_type(first) == "text"
        and groups <= {CATEGORY}  # a numbered 项目名称 ("1.城市人居环境提升项目") is the row's own
    ):
        return roles.index(TEXT)
    return 0


def _values(roles: list[str | None], mapping: dict[int, str]) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for column, value in mapping.items():
        role = roles[column] if column < len(roles) else None
        if role is not None and value.strip():
            values.setdefault(role, []).append(value.strip())
    return values


def _only_field_cells(roles: list[str | None] | None, cells: list[str]) -> bool:
    """A row that only adds units or leaders (the rest of its task is in the row above)."""
    if roles is None or len(cells) != len(roles):
        return False
    filled = [roles[k] for k, cell in enumerate(cells) if cell.strip()]
    return all(r in (COL_LEADERS, COL_LEAD, COL_RESPONSIBLE, UNITS) for r in filled)


_RESPONSIBILITY = (COL_LEADERS, COL_LEAD, COL_RESPONSIBLE, UNITS)
_CN_NUMBER = re.compile(r"[一二三四五六七八九十]{1,3}")
_SENTENCE = re.compile(r"[。；;，,：:！!？?]")


def _row_item(
    state: State,
    roles: list[str | None],
    values: dict[str, list[str]],
    index: int,
    own: dict[str, list[str]],
) -> None:
    """A table row as an item. ``values`` holds the cells of the row with those row-spanned
    from above; ``own`` only the cells the row itself has. Whether the row is a heading is
    judged on its own cells: a heading never takes leaders or units from the row above."""
    text = "".join(values.get(TEXT, []))
    goal = "".join(values.get(GOAL, []))
    previous = state.current if state.current and state.current.from_table else None
    if not text and not goal:
        if previous is not None:  # a task spread over two rows: the second adds units
            previous.fields.merge(_row_fields(roles, values))
        return
    numbering = parse_numbering(clean_line(text)) if text else None
    has_fields = any(own.get(r) for r in _RESPONSIBILITY)
    if numbering and numbering.style in (PART, CN, PCN) and not has_fields:
        _new_item(state, numbering, index)
        state.previous_row = {}  # a heading row across the table: no span reaches past it
        return
    number_cell = squeeze("".join(values.get(NUMBER, []))).rstrip("*＊★☆※")
    category = parse_numbering(
        clean_line("".join(values.get(CATEGORY, []) or values.get(NAME, [])))
    )
    if not number_cell and category is not None and category.style == AR and text:
        number_cell = str(category.value)  # "1.城市人居环境提升项目 | 对人民中路…": its tasks
    heading = False
    if numbering is None and not has_fields and len(squeeze(text)) <= 20:
        titled = parse_numbering(f"{number_cell}、{text}") if number_cell else None
        if titled is not None and _CN_NUMBER.fullmatch(number_cell):
            _new_item(state, titled, index)  # "一 | 稳增长": a section in the number column
            state.previous_row = {}
            return
        if re.fullmatch(r"\d{1,4}", number_cell) and not goal:
            # "2 | 提升城市品质": a group heading, or a short task whose cells are all spanned
            # from above; which one is told by the numbering around it (settle_row_headings).
            heading = _is_title(text)
        elif not any(values.get(r) for r in _RESPONSIBILITY):
            return  # a group label such as "筑牢经济发展底座", not a task
    if numbering is not None:
        body, label, value, style = (
            numbering.rest,
            numbering.label,
            numbering.value,
            numbering.style,
        )
    elif re.fullmatch(r"\d{1,4}", number_cell):
        body, label, value, style = text, number_cell, int(number_cell), AR
    elif (own_number := parse_numbering(number_cell)) is not None and not own_number.rest:
        body, label, value, style = text, own_number.label, own_number.value, own_number.style
    elif (
        NUMBER in roles
        and previous is not None
        and state.numbered_rows
        and not number_cell
        and not heading
    ):
        # A row without its number in a numbered table goes on with the row above (its number
        # cell was merged over both): "1 | 城镇新增就业2450人 | 县人社局" + "“三公里”社区6个"
        previous.parts.append(("" if re.search(r"[。；;]$", previous.parts[-1]) else "；") + text)
        previous.fields.merge(_row_fields(roles, own))
        return
    else:
        next_number = (state.last_ar or 0) + 1
        body, label, value, style = text, str(next_number), next_number, AR
    state.numbered_rows = bool(number_cell)
    if style == AR and (not heading or value == (state.last_ar or 0) + 1):
        state.last_ar = value
    if goal and goal not in body:
        body = f"{body}{'' if re.search(r'[。；;.]$', body) or not body else '。'}{goal}"
    item = Item(
        style=style, label=label, value=value, parts=[clean_line(body)], line=index, from_table=True
    )
    item.fields = _row_fields(roles, values)
    item.in_fields = True
    if heading:
        item.row_heading = True
        item.spanned = item.fields
        item.fields = _row_fields(roles, own)
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


def _is_title(text: str) -> bool:
    """A short phrase naming a group ("提升城市品质"), not a task's sentence or its target."""
    return not _SENTENCE.search(text) and not extract_targets(text)


def settle_row_headings(items: list[Item]) -> None:
    """Decide each number-and-title row (``Item.row_heading``): a group heading becomes a
    section (style GROUP, no fields of its own or from above), a task takes the cells
    row-spanned onto it. A heading breaks the task numbering where a task carries it on: the
    rows under it start again from 1, are numbered in a deeper style, or go on with the numbers
    of the tasks above it ("…11 | 1 筑牢经济发展底座 | 12…")."""
    last_task: Item | None = None  # the last numbered row of the same style, in this part
    last_heading: Item | None = None
    for position, item in enumerate(items):
        if not item.row_heading:
            if item.depth < DEPTH[GROUP]:  # a section above the rows: numbering starts afresh
                last_task, last_heading = None, None
            elif item.style == AR:
                last_task = item
            continue
        item.row_heading = False
        after = items[position + 1] if position + 1 < len(items) else None
        if _is_group_heading(item, last_task, last_heading, after):
            item.style = GROUP
            item.fields = Fields()
            item.defaults = _heading_leaders("".join(item.parts))
            last_heading = item
        else:
            item.fields = item.spanned
            last_task = item
        item.spanned = Fields()


def _is_group_heading(
    row: Item, last_task: Item | None, last_heading: Item | None, after: Item | None
) -> bool:
    value = row.value or 0
    if after is not None and after.from_table and after.depth > row.depth:
        return True  # the rows under it are numbered in a deeper style
    follows = (last_task.value or 0) + 1 if last_task is not None else 1
    next_value = after.value if after is not None and after.style == row.style else None
    if next_value == 1:  # numbering starts again under it
        if value == 1 or value != follows:
            return True
        return last_heading is not None and value == (last_heading.value or 0) + 1
    if last_task is None or value == follows:
        return False  # it carries the task numbering on: a task with spanned cells
    if next_value == follows:
        return True  # the tasks' numbering goes on around it
    if next_value == value + 1:
        return False  # numbering starts again with it: the first task of a new run
    return value < follows
