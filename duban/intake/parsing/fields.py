"""Responsibility fields: labelled lines, inline parentheses and prose.

Governments write the same three facts (who leads, which unit leads, who co-operates) as
"牵头单位：X" lines, as "(责任领导:X;牵头单位:Y)" after the task, as "由X负责落实", as
"X牵头，Y配合", or as "部门分工：X牵头，Y配合". Everything ends up as a ``Fields``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import (
    dedupe,
    looks_like_unit,
    looks_like_unit_list,
    split_leaders,
    split_outside_brackets,
    split_units,
    strip_name,
)

LEADERS, LEAD, RESPONSIBLE, DEADLINE, MIXED = "leaders", "lead", "responsible", "deadline", "mixed"

_LEADER_LABEL = (
    r"(?:牵头|责任|分管|联系|包抓|主管|督导|协调|挂帅|包保)?(?:负责)?(?:省|市|区|县|州|旗|镇|乡)?"
    r"(?:级)?领导(?:同志)?"
)
_LABELS: list[tuple[str, str]] = [
    (LEADERS, _LEADER_LABEL),
    (
        LEAD,
        r"(?:(?:省|市|区|县|州)级?)?"
        r"(?:牵头责任单位|责任牵头单位|牵头单位|牵头部门|主责单位|主办单位|牵头落实单位|牵头)",
    ),
    (
        RESPONSIBLE,
        r"(?:(?:省|市|区|县|州)级?)?(?:主要)?(?:(?:协同|配合|协作|协办|参与|共同)?责任(?:单位|部门)|"
        r"(?:配合|协同|参与|协办|协作|协助|联系|参加|落实|实施|承办)(?:单位|部门)|"
        r"责任主体与协同单位|责任主体|数据提供单位|数据来源单位)",
    ),
    (MIXED, r"(?:部门分工|责任分工|分工)"),
    (DEADLINE, r"(?:完成时限|完成时间|完成期限|时间节点|时限要求|时限)"),
]
LABEL_PATTERN = "|".join(f"(?P<{role}>{pattern})" for role, pattern in _LABELS)
_LABEL_AT = re.compile(rf"(?:^|(?<=[;；，,。\s(（]))(?:{LABEL_PATTERN})\s*[:：]\s*")
_LABEL_LINE = re.compile(rf"^(?:{LABEL_PATTERN})\s*[:：]")

_NOTE = re.compile(r"[(（][^()（）]*(?:第一位|首位|下同|汇总|牵头|分别|配合)[^()（）]*[)）]")
_VERB = re.compile(
    r"(?P<verb>为牵头单位|为配合单位|为责任单位|分别牵头|共同牵头|牵头负责|牵头落实|主办|协办|分别负责|"
    r"牵头(?!单位|部门|责任单位)|"
    r"按职责分工负责|按职责负责|按职责分工落实|负责落实|共同负责|配合落实|配合|协助|协同|参与|负责)"
)
_VERB_ROLE = {
    "为牵头单位": LEAD,
    "分别牵头": LEAD,
    "共同牵头": LEAD,
    "牵头负责": LEAD,
    "牵头落实": LEAD,
    "牵头": LEAD,
    "主办": LEAD,  # "省财政厅主办，省国税局、地税局协办"
}
_PROSE_SENTENCE = re.compile(
    r"(?:^|(?<=[。；;]))\s*由(?P<body>[^。；;]{2,300}?负责(?:落实|实施|推进)?)\s*[。；;]?\s*$"
)
_LAST_SENTENCE = re.compile(
    r"(?<=[。；;])\s*(?P<body>由?[^。；;]{2,300}?(?:牵头|配合|按职责分工负责|负责落实|参与|协助)"
    r"(?:落实|负责|实施)?)\s*[。；;]?\s*$"
)
_DATE_WORDS = re.compile(r"\d{1,2}月|年底|年内|年末|上半年|下半年|季度|长期|持续")
_NOT_A_UNIT = re.compile(r"要|的|和|并|将|加强|推进|确保|完善|建立|开展|实施|提高|做好|专人")
_PROSE_LINE = re.compile(
    r"^(?:由)?[^。]{2,300}?(?:牵头|配合|负责落实|按职责分工负责)(?:落实|负责)?[。；;]?$"
)
_LEAD_NOTE = re.compile(r"[(（](?:牵头|牵头单位|主责|主责单位|牵头负责)[)）]")
_STAR = re.compile(r"^\s*[★☆※＊*▲]|[★☆※＊*▲]\s*$")
FIRST_LISTED_RULE = re.compile(
    r"(?:列|排)(?:在)?(?:第一|首)位|排名第一|排在首位|第一(?:个|家)?单位为牵头|首个单位为牵头"
)


@dataclass
class Fields:
    leaders: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    deadline: str | None = None
    explicit: set[str] = field(default_factory=set)  # roles the document stated, even if empty
    all_lead: bool = False  # "分别牵头": every listed unit leads
    starred: list[str] = field(default_factory=list)  # "★X": X leads
    space_column: int | None = None  # a flattened row: the unit column its last list filled

    def __bool__(self) -> bool:
        return bool(self.explicit)

    def merge(self, other: Fields) -> None:
        self.leaders = dedupe(self.leaders + other.leaders)
        self.lead = dedupe(self.lead + other.lead)
        self.responsible = dedupe(self.responsible + other.responsible)
        self.deadline = self.deadline or other.deadline
        self.explicit |= other.explicit
        self.all_lead = self.all_lead or other.all_lead
        self.starred = dedupe(self.starred + other.starred)
        if other.space_column is not None:
            self.space_column = other.space_column


def remove_notes(text: str) -> str:
    """Drop notes such as "(列第一位者为牵头单位,下同)" from a unit list."""
    return _NOTE.sub("", text)


def is_label_line(line: str) -> bool:
    return bool(_LABEL_LINE.match(line))


def parse_units_prose(text: str, default_role: str) -> Fields:
    """Units with role verbs ("X牵头，Y配合", "X、Y分别牵头", "由X负责落实").

    Units without a verb get ``default_role``.
    """
    fields = Fields()
    text = _LEAD_NOTE.sub("★", text)
    text = remove_notes(text).strip().strip("。")
    text = re.sub(r"^由", "", text)
    spans: list[tuple[str, str]] = []
    position = 0
    for match in _VERB.finditer(text):
        before = text[position : match.start()]
        position = match.end()
        if not before.strip(" ,，、;；。"):
            continue
        spans.append((before, match.group("verb")))
    tail = text[position:].strip(" ,，、;；。")
    if not spans:
        spans.append((text, ""))
    elif tail and looks_like_unit_list(tail):
        spans.append((tail, ""))
    elif tail and _DATE_WORDS.search(tail):
        fields.deadline = tail  # "…按职责分工负责，2024年6月底前完成"
        fields.explicit.add(DEADLINE)
    for chunk, verb in spans:
        chunk = re.sub(r"^[\s,，、;；。]*由?", "", chunk)
        names = split_units(chunk)
        fields.starred += [
            strip_name(part)
            for part in split_outside_brackets(chunk)
            if _STAR.search(part) and strip_name(part)
        ]
        role = _VERB_ROLE.get(verb, RESPONSIBLE) if verb else default_role
        if verb in ("分别牵头", "共同牵头"):
            fields.all_lead = True
        if role == LEAD:
            fields.lead += names
            fields.explicit.add(LEAD)
        else:
            fields.responsible += names
            fields.explicit.add(RESPONSIBLE)
    return fields


def parse_labelled(text: str) -> Fields | None:
    """Fields of a text holding one or more "标签：值" pairs, or None when it holds none."""
    matches = list(_LABEL_AT.finditer(text))
    if not matches:
        return None
    fields = Fields()
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        value = text[match.end() : end]
        if "。" in value.strip().rstrip("。"):  # "市退役军人局。其中，…较慢的为叶集区。"
            value = value[: value.index("。")]
        value = _strip_unbalanced(value.strip().rstrip(";；,，。").strip())
        role = next(r for r in (LEADERS, LEAD, RESPONSIBLE, MIXED, DEADLINE) if match.group(r))
        add_value(fields, role, value)
    return fields


def _strip_unbalanced(value: str) -> str:
    while value and value[-1] in ")）" and _depth(value) < 0:
        value = value[:-1].rstrip(";；,，。 ")
    return value


def _depth(value: str) -> int:
    return sum(value.count(c) for c in "(（") - sum(value.count(c) for c in ")）")


def add_value(fields: Fields, role: str, value: str) -> None:
    if role == LEADERS:
        fields.leaders = dedupe(fields.leaders + split_leaders(value))
        fields.explicit.add(LEADERS)
    elif role == DEADLINE:
        fields.deadline = value or None
        fields.explicit.add(DEADLINE)
    else:
        fields.merge(parse_units_prose(value, LEAD if role == LEAD else RESPONSIBLE))
        if role == LEAD:
            fields.explicit.add(LEAD)
        elif role == RESPONSIBLE:
            fields.explicit.add(RESPONSIBLE)


_INLINE = re.compile(
    rf"[(（\[【［](?P<body>\s*(?:{LABEL_PATTERN})\s*[:：][^()（）\[\]【】［］]*"
    rf"(?:[(（][^()（）]*[)）][^()（）\[\]【】［］]*)*)[)）\]】］]?\s*[。.；;，,]?\s*$"
)
_INLINE_PROSE = re.compile(
    r"[(（](?P<body>(?:[^()（）]|[(（][^()（）]{0,20}[)）]){2,200}?(?:牵头|配合|负责)"
    r"(?:[^()（）]|[(（][^()（）]{0,20}[)）]){0,100})[)）]\s*[。.；;，,]?\s*$"
)
_SHELL = re.compile(
    r"〔(?P<body>[^〔〕]{2,300}(?:牵头|配合|负责)[^〔〕]{0,100})〕(?P<end>\s*[。.；;，,]?\s*)$"
)


_TRAILING_LABELS = re.compile(rf"(?<=[。；;.\s，,])\s*(?:{LABEL_PATTERN})\s*[:：]")
_INLINE_DEADLINE = re.compile(
    r"[(（](?P<body>(?:(?:19|20)\d{2}年)?\d{1,2}月(?:\d{1,2}日|底|末)?前?(?:完成|建成|实现)?|"
    r"(?:(?:19|20)\d{2}年)?(?:年底|年内|上半年|下半年)前?(?:完成|建成|实现)?)[)）]\s*[。.]?\s*$"
)


_STATUS_NOTE = re.compile(
    r"(?<=[)）])\s*(?:该[^。()（）]{0,8})?(?:已|正在|持续)?(?:全面|按序时)?"
    r"(?:完成|推进中|进行中|实施中)[。.]?\s*$"
)
_MID_UNITS = re.compile(r"[(（](?P<body>[^()（）]{2,60}?(?:牵头|负责))[)）](?=[。；;])")


def split_inline(text: str) -> tuple[str, Fields | None]:
    """Fields written inside the task's own paragraph, and the text without them."""
    text, deadline = _split_deadline(text)
    status = _STATUS_NOTE.search(text)  # "(责任单位：市水务局)该件实事已全面完成": a progress note
    body, fields = _split_fields(text[: status.start()] if status else text)
    if fields is None and status is not None:
        body = text
    if fields is not None:
        # "…标准化建设(县卫健局牵头)。…免费检查20400人(县妇联牵头)。": every sentence's units,
        # in the order written
        earlier = Fields()
        for match in _MID_UNITS.finditer(body):
            if _all_units(match.group("body")):
                earlier.merge(parse_units_prose(match.group("body"), RESPONSIBLE))
        if earlier:
            earlier.merge(fields)
            fields = earlier
    if deadline is not None:
        fields = fields or Fields()
        fields.deadline = deadline
        fields.explicit.add(DEADLINE)
    return body, fields


def _split_deadline(text: str) -> tuple[str, str | None]:
    """A deadline in parentheses closing the task: "…建成投用（2024年6月底前）。"."""
    match = _INLINE_DEADLINE.search(text)
    if not match:
        return text, None
    return text[: match.start()].rstrip() + _final_stop(text, match.start()), match.group("body")


_BRACKETED = re.compile(
    r"[(（](?P<body>[^()（）]*(?:[(（][^()（）]*[)）][^()（）]*)*)[)）]\s*[。.；;]?"
)
_TRAILING_UNITS = re.compile(
    r"\s*[(（](?P<body>[^()（）]*(?:[(（][^()（）]*[)）][^()（）]*)*)[)）]\s*[。.；;]?\s*$"
)
_LAST_CLAUSES = re.compile(r"(?<=[。；;])(?P<body>[^。；;]{4,200})[。；;]?\s*$")


def _split_fields(text: str) -> tuple[str, Fields | None]:
    # "〔省委金融办、省发展改革委等牵头，省（中）直有关单位按职责分工负责〕": square-ish brackets
    # where the units' names hold round ones
    text = _SHELL.sub(lambda m: f"（{m.group('body')}）{m.group('end')}", text)
    last = _LAST_CLAUSES.search(text)
    if last and _LEADER_POST.search(last.group("body")):
        assignment = parse_assignment(last.group("body"))
        if assignment is not None:
            return text[: last.start()].rstrip(), assignment
    match = _TRAILING_LABELS.search(text)
    if match and match.start() > 0 and not _INLINE.search(text):
        return text[: match.start()].rstrip(), parse_labelled(text[match.start() :].strip())
    match = _INLINE.search(text)
    if match:
        return text[: match.start()].rstrip() + _final_stop(text, match.start()), parse_labelled(
            match.group("body")
        )
    match = _PROSE_SENTENCE.search(text)
    if match and match.start() > 0:
        return text[: match.start()].rstrip(), parse_units_prose(match.group("body"), RESPONSIBLE)
    match = _LAST_SENTENCE.search(text)
    if match and match.start() > 0 and _all_units(match.group("body")):
        return text[: match.start()].rstrip(), parse_units_prose(match.group("body"), RESPONSIBLE)
    match = _TRAILING_UNITS.search(text)
    if match and match.start() > 0 and _unit_note(match.group("body")):
        return text[: match.start()].rstrip(), parse_units_prose(match.group("body"), RESPONSIBLE)
    match = _INLINE_PROSE.search(text)
    if match and _all_units(match.group("body")):
        return text[: match.start()].rstrip() + _final_stop(text, match.start()), parse_units_prose(
            match.group("body"), RESPONSIBLE
        )
    return text, None


_ASIDE = re.compile(r"^(?:含|包括|其中|即|不含|如|约|共|计|占|新增|累计|分别)")


def _unit_note(body: str) -> bool:
    """A parenthesis closing the task that only lists its units: "(市发改委,各县市区政府)"."""
    return not _ASIDE.match(body.strip()) and _all_units(body)


def _final_stop(text: str, start: int) -> str:
    """Keep the task's closing 。 when the fields sat between the text and it."""
    before = text[:start].rstrip()
    return (
        "。" if text.rstrip().endswith("。") and not before.endswith(("。", ".", "；", ";")) else ""
    )


def _all_units(body: str) -> bool:
    cleaned = _VERB.sub("、", remove_notes(body))
    names = [strip_name(n) for n in split_outside_brackets(cleaned) if n.strip("，,、 由")]
    names = [re.sub(r"^由", "", n) for n in names if n and not _DATE_WORDS.search(n)]
    if not names or any(
        len(n) > 20 or (_NOT_A_UNIT.search(n) and not looks_like_unit(n)) for n in names
    ):
        return False
    return sum(looks_like_unit(n) for n in names) * 2 >= len(names)


_LEADER_POST = re.compile(
    r"(?:常务)?副?(?:省长|市长|区长|县长|州长|旗长|镇长|乡长|秘书长|主任|书记|盟长)(?:同志)?"
)
_LEADER_CLAUSE = re.compile(
    r"^(?:由|请)?(?P<who>[^，,；;。]{2,30}?)(?:负责|牵头|领衔|挂帅|分管|督办)$"
)
_DEADLINE_CLAUSE = re.compile(
    r"^(?:于|在|力争|确保)?[^，,；;。]{0,16}?(?:\d{1,2}月|年底|年内|年末|上半年|下半年|季度|长期|持续)"
    r"[^，,；;。]{0,12}$"
)


def parse_assignment(text: str) -> Fields | None:
    """A sentence made only of responsibility clauses: "由张三副市长负责，市大数据局牵头，相关部门
    配合，年底前完成。" (a leader clause, unit clauses with their verbs, a deadline clause), or None
    when any clause is something else (a sentence of the task itself)."""
    clauses = split_outside_brackets(text.strip().rstrip("。；;."), "，,；;")
    if not clauses:
        return None
    fields = Fields()
    units: list[str] = []
    for clause in clauses:
        leader = _LEADER_CLAUSE.match(clause)
        if leader and _LEADER_POST.search(leader.group("who")):
            names = split_leaders(re.sub(r"[和及与]", "、", leader.group("who")))
            if not names:
                return None
            fields.leaders = dedupe(fields.leaders + names)
            fields.explicit.add(LEADERS)
        elif _DEADLINE_CLAUSE.match(clause) and not _VERB.search(clause):
            fields.deadline = clause
            fields.explicit.add(DEADLINE)
        elif _VERB.search(clause) and _all_units(clause):
            units.append(clause)
        else:
            return None
    if units:
        fields.merge(parse_units_prose("，".join(units), RESPONSIBLE))
    if not (fields.explicit & {LEADERS, LEAD, RESPONSIBLE}):
        return None
    return fields


def parse_prose_line(line: str) -> Fields | None:
    """A paragraph that only assigns responsibility ("由X负责落实。", "X牵头，Y配合。")."""
    stripped = line.strip()
    assignment = parse_assignment(stripped) if _LEADER_POST.search(stripped) else None
    if assignment is not None:
        return assignment
    bracketed = _BRACKETED.fullmatch(stripped)
    if bracketed and _all_units(bracketed.group("body")):
        return parse_units_prose(bracketed.group("body"), RESPONSIBLE)
    if stripped.startswith("由") and re.search(r"负责(?:落实|实施|推进)?[。；;]?$", stripped):
        return parse_units_prose(stripped, RESPONSIBLE)
    if _PROSE_LINE.match(stripped) and _all_units(stripped.rstrip("。；;")):
        return parse_units_prose(stripped, RESPONSIBLE)
    return None
