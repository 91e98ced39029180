"""From resolved items to the output: areas, tasks with their final fields, and warnings."""

from __future__ import annotations

import re

from .deadlines import parse_deadline
from .directory import NameDirectory
from .items import SECTION, Item, effective_fields, task_text
from .result import AreaInfo, DocumentInfo, ParseWarning, TaskInfo
from .targets import extract_targets
from .text import dedupe, squeeze

_COUNT_SUFFIX = re.compile(r"[(（]\s*(?:共|计)?\s*\d+\s*(?:项|条|个|件)(?:任务)?\s*[)）]$")


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


def check(
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
