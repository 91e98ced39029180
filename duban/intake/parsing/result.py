"""The parser's output: the JSON shape documented in docs/parse-json.md."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypedDict

from ..errors import N_
from .targets import Target


class DocumentInfo(TypedDict):
    title: str | None
    doc_number: str | None
    issuer: str | None
    date: str | None
    year: int | None
    declared_areas: int | None
    declared_tasks: int | None


class AreaInfo(TypedDict):
    number: int
    title: str


class TaskInfo(TypedDict):
    number: int | str
    area: int | None
    text: str
    lead_leaders: list[str]
    lead_units: list[str]
    responsible_units: list[str]
    deadline: str | None
    targets: list[Target]


class WarningInfo(TypedDict):
    code: str
    message: str
    task: int | str | None


MESSAGES: dict[str, str] = {
    "declared_tasks": N_("The notice declares %(declared)s tasks but %(parsed)s were found."),
    "declared_areas": N_("The notice declares %(declared)s areas but %(parsed)s were found."),
    "no_lead_unit": N_("Task %(task)s names no lead unit."),
    "numbering_gap": N_("Task numbering jumps from %(previous)s to %(current)s."),
    "numbering_repeat": N_("Task number %(current)s appears more than once."),
    "unknown_unit": N_(
        "“%(name)s” (task %(task)s) is not in the unit directory; closest: %(candidates)s."
    ),
    "unknown_unit_no_candidate": N_("“%(name)s” (task %(task)s) is not in the unit directory."),
    "unclear_deadline": N_("The deadline “%(text)s” of task %(task)s is not a date."),
    "empty_text": N_("Task %(task)s has no text."),
}


@dataclass
class ParseWarning:
    code: str
    task: int | str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, translate: Callable[[str], str] | None = None) -> str:
        template = MESSAGES[self.code]
        template = translate(template) if translate else template
        return template % {"task": self.task, **self.params}

    def as_dict(self, translate: Callable[[str], str] | None = None) -> WarningInfo:
        return {"code": self.code, "message": self.render(translate), "task": self.task}


@dataclass
class ParseResult:
    document: DocumentInfo
    areas: list[AreaInfo]
    tasks: list[TaskInfo]
    warnings: list[ParseWarning]

    def as_dict(self, translate: Callable[[str], str] | None = None) -> dict[str, Any]:
        return {
            "document": self.document,
            "areas": self.areas,
            "tasks": self.tasks,
            "warnings": [w.as_dict(translate) for w in self.warnings],
        }
