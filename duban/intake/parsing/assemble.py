"""From resolved items to the output: areas, tasks with their final fields, and warnings.

Each task also says where it was read (``source``: its first and last line) and how sure the
parser is of it (``confidence``, ``doubtful``). Every piece of evidence against a task names the
field it casts doubt on and multiplies the task's confidence by ``1 - weight`` (``DOUBTS``);
the evidence is what the parser already knows, so this costs a few checks per task:

- read from the task's own fields: lead units only inferred (the "first listed unit leads"
  rule, "分别牵头"); unit names cut off (one character, or two that are no unit name: "市",
  "发改") or too long or worded like a sentence; leaders that are not written like a person's
  name; a text that is very short, very long (two tasks run together) or still holds a field
  label; a deadline that is not a date;
- found by ``check`` across tasks: no lead unit, an empty text, numbering that jumps or
  repeats, and (with a directory) names it does not know.
"""

from __future__ import annotations

import re

from .deadlines import parse_deadline
from .directory import NameDirectory
from .fields import LABEL_PATTERN
from .items import FOLD, SECTION, TASK, Item, effective_fields, task_text
from .result import DOUBTFUL_FIELDS, AreaInfo, DocumentInfo, ParseWarning, TaskInfo
from .targets import extract_targets
from .text import dedupe, looks_like_unit, squeeze

_COUNT_SUFFIX = re.compile(r"[(（]\s*(?:共|计)?\s*\d+\s*(?:项|条|个|件)(?:任务)?\s*[)）]$")

# How much each piece of evidence lowers a task's confidence (confidence *= 1 - weight).
DOUBTS: dict[str, float] = {
    "no_lead_unit": 0.6,
    "empty_text": 0.6,
    "cut_name": 0.4,  # a unit name of one character, or two that are no unit: "市", "发改"
    "sentence_name": 0.4,  # a unit name of more than 20 characters, or with verbs or punctuation
    "label_in_text": 0.4,  # "牵头单位：" left in the text: fields the parser did not take apart
    "unknown_unit": 0.3,  # with a directory: a name it does not know
    "odd_leader": 0.3,  # a leader not written as a name of 2–4 characters
    "short_text": 0.3,  # fewer than 8 characters
    "long_text": 0.3,  # more than 300 characters: perhaps two tasks run together
    "numbering": 0.2,  # the number jumps or repeats
    "unnumbered": 0.2,  # the copy printed no number: the one after the item above was given
    "unclear_deadline": 0.2,
    "inferred_lead": 0.1,  # lead units from the "first listed" rule or "分别牵头"
}
HIGH, MEDIUM = 0.8, 0.5  # confidence levels shown to people: 高 from 0.8, 中 from 0.5, else 低
SHORT_TEXT, LONG_TEXT, LONG_NAME = 8, 300, 20
_NAME_NOISE = re.compile(
    r"[。，,；;：:！!？?“”\"]|要|的|将|并|加强|推进|确保|完善|建立|开展|提高|做好|负责|落实|完成"
)
_PERSON_NAME = re.compile(r"^[\u3400-\u9fff·]{2,4}$")
_LABEL_IN_TEXT = re.compile(rf"(?:{LABEL_PATTERN})\s*[:：]")
_SIGNATURE = re.compile(
    r"^(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[(（][^()（）:：]*[)）]|(?:抄送|主送)\s*[:：].*|"
    r"[^:：]{0,40}(?:印发|人民政府|办公室|办公厅))$"  # no field line ("责任单位：区政府办公室")
)


def level(confidence: float) -> str:
    """The level a person sees instead of the number: "high", "medium" or "low"."""
    return "high" if confidence >= HIGH else "medium" if confidence >= MEDIUM else "low"


def doubt(task: TaskInfo, field: str, reason: str) -> None:
    """Record evidence against ``field`` of ``task`` (``reason`` is a key of ``DOUBTS``)."""
    task["confidence"] = round(task.get("confidence", 1.0) * (1 - DOUBTS[reason]), 2)
    doubtful = set(task.get("doubtful", [])) | {field}
    task["doubtful"] = [f for f in DOUBTFUL_FIELDS if f in doubtful]


def name_doubt(name: str) -> str | None:
    """Why a unit name looks wrong ("cut_name", "sentence_name"), or None."""
    if len(name) == 1 or (len(name) == 2 and not looks_like_unit(name)):
        return "cut_name"
    if len(name) > LONG_NAME or _NAME_NOISE.search(name):
        return "sentence_name"
    return None


def source_spans(items: list[Item], lines: list[str]) -> dict[int, list[int]]:
    """Where each task was read: from its item's first line to the line before the next item
    that is not one of its folded sub-points, without trailing blank lines (and, after the last
    task, without the signature: issuer, date, 抄送). Keyed by ``id(item)``."""
    starts = [i for i in items if i.role != FOLD]
    spans: dict[int, list[int]] = {}
    for position, item in enumerate(starts):
        if item.role != TASK:
            continue
        after = position + 1
        while after < len(starts) and starts[after].line <= item.line:
            after += 1
        following = starts[after].line if after < len(starts) else None
        last = len(lines) - 1 if following is None else following - 1
        while last > item.line and (
            not lines[last].strip() or (following is None and _SIGNATURE.match(lines[last].strip()))
        ):
            last -= 1
        spans[id(item)] = [item.line, max(last, item.line)]
    return spans


def areas_of(items: list[Item]) -> tuple[list[AreaInfo], dict[int, int]]:
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


def build_task(
    item: Item,
    area: int | None,
    first_listed: bool,
    year: int | None,
    warnings: list[ParseWarning],
    source: list[int] | None = None,
) -> TaskInfo:
    fields = effective_fields(item)
    lead, responsible = list(fields.lead), list(fields.responsible)
    inferred = False
    if fields.starred:
        lead = dedupe(lead + [n for n in responsible if n in fields.starred])
        responsible = [n for n in responsible if n not in fields.starred]
    elif not lead and responsible and (first_listed or fields.all_lead):
        inferred = True
        if fields.all_lead:
            lead, responsible = responsible, []
        else:
            lead, responsible = responsible[:1], responsible[1:]
    responsible = [n for n in responsible if n not in lead]
    text = squeeze(task_text(item))
    deadline = None
    unclear = False
    if fields.deadline:
        parsed = parse_deadline(fields.deadline, year)
        if parsed is None:
            unclear = True
            warnings.append(
                ParseWarning("unclear_deadline", item.number, {"text": fields.deadline})
            )
        deadline = parsed.isoformat() if parsed else None
    task: TaskInfo = {
        "number": item.number,
        "area": area,
        "text": text,
        "lead_leaders": dedupe(fields.leaders),
        "lead_units": dedupe(lead),
        "responsible_units": dedupe(responsible),
        "deadline": deadline,
        "targets": extract_targets(text),
        "source": source,
        "confidence": 1.0,
        "doubtful": [],
    }
    if inferred:
        doubt(task, "lead_units", "inferred_lead")
    if item.unnumbered:
        doubt(task, "number", "unnumbered")
    for role in ("lead_units", "responsible_units"):
        for name in task["lead_units"] if role == "lead_units" else task["responsible_units"]:
            reason = name_doubt(name)
            if reason:
                doubt(task, role, reason)
    if any(not _PERSON_NAME.match(name) for name in task["lead_leaders"]):
        doubt(task, "lead_leaders", "odd_leader")
    if 0 < len(text) < SHORT_TEXT:
        doubt(task, "text", "short_text")
    elif len(text) > LONG_TEXT:
        doubt(task, "text", "long_text")
    if ("：" in text or ":" in text) and _LABEL_IN_TEXT.search(text):  # the colon first: cheap
        doubt(task, "text", "label_in_text")
    if unclear:
        doubt(task, "deadline", "unclear_deadline")
    return task


# What ``findings`` may warn about: everything ``check`` finds again in an edited parse.
CHECKED = frozenset(
    {
        "declared_tasks",
        "declared_areas",
        "numbering_gap",
        "numbering_repeat",
        "empty_text",
        "no_lead_unit",
        "unknown_unit",
        "unknown_unit_no_candidate",
    }
)
_FINDING_DOUBT = {
    "numbering_gap": "numbering",
    "numbering_repeat": "numbering",
    "empty_text": "empty_text",
    "no_lead_unit": "no_lead_unit",
    "unknown_unit": "unknown_unit",
    "unknown_unit_no_candidate": "unknown_unit",
}


def check(
    document: DocumentInfo,
    areas: list[AreaInfo],
    tasks: list[TaskInfo],
    warnings: list[ParseWarning],
    directory: NameDirectory | None,
) -> None:
    """Warn about what looks wrong across the tasks, and lower those tasks' confidence."""
    for warning, index, field in findings(document, areas, tasks, directory):
        warnings.append(warning)
        if index is not None and field is not None:
            doubt(tasks[index], field, _FINDING_DOUBT[warning.code])


def findings(
    document: DocumentInfo,
    areas: list[AreaInfo],
    tasks: list[TaskInfo],
    directory: NameDirectory | None,
) -> list[tuple[ParseWarning, int | None, str | None]]:
    """The warnings of ``check``, each with the index of its task and the field it is about
    (None for the document's own). Pure: the import preview calls it again after edits."""
    found: list[tuple[ParseWarning, int | None, str | None]] = []
    declared = document["declared_tasks"]
    if declared is not None and declared != len(tasks):
        found.append(
            (
                ParseWarning("declared_tasks", None, {"declared": declared, "parsed": len(tasks)}),
                None,
                None,
            )
        )
    declared = document["declared_areas"]
    if declared is not None and declared != len(areas):
        found.append(
            (
                ParseWarning("declared_areas", None, {"declared": declared, "parsed": len(areas)}),
                None,
                None,
            )
        )
    seen: set[tuple[int | None, int | str]] = set()
    previous: TaskInfo | None = None
    restarts = numbering_restarts(tasks)
    for index, task in enumerate(tasks):
        number = task["number"]
        key = (task["area"], number) if restarts else (None, number)
        if key in seen:
            found.append(
                (ParseWarning("numbering_repeat", number, {"current": number}), index, "number")
            )
        seen.add(key)
        if previous is not None and isinstance(number, int) and isinstance(previous["number"], int):
            restart = number == 1 and task["area"] != previous["area"]
            if number != previous["number"] + 1 and not restart and number != previous["number"]:
                gap = {"previous": previous["number"], "current": number}
                found.append((ParseWarning("numbering_gap", number, gap), index, "number"))
        previous = task
        if not task["text"]:
            found.append((ParseWarning("empty_text", number), index, "text"))
        if not task["lead_units"]:
            found.append((ParseWarning("no_lead_unit", number), index, "lead_units"))
        if directory is not None:
            for role in ("lead_units", "responsible_units"):
                names = task["lead_units"] if role == "lead_units" else task["responsible_units"]
                for name in names:
                    if directory.knows(name):
                        continue
                    candidates = directory.candidates(name)
                    if candidates:
                        params = {"name": name, "candidates": "、".join(candidates)}
                        found.append((ParseWarning("unknown_unit", number, params), index, role))
                    else:
                        params = {"name": name}
                        found.append(
                            (ParseWarning("unknown_unit_no_candidate", number, params), index, role)
                        )
    return found


def numbering_restarts(tasks: list[TaskInfo]) -> bool:
    """Whether numbering restarts in each area (so a repeated number is no repeat)."""
    return sum(1 for t in tasks if t["number"] == 1) > 1
