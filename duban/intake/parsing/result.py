"""The parser's output: the JSON shape documented in docs/parsing.md.

``ParseResult.as_dict`` is that documented shape (``duban parse --json``), warnings rendered as
messages. ``to_json``/``from_json`` are the lossless pair that keeps a parse on disk between
two requests (the import preview): warnings keep their code and parameters, so they are
rendered later in the reader's language. Parses kept before ``lines`` and each task's
``source``, ``confidence`` and ``doubtful`` existed still load: no lines, no source, confidence
1 and nothing doubtful.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

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
    # Provenance and confidence (docs/parsing.md): the parser always sets them; a task a person
    # writes or an older staged parse may lack them (readers use ``.get``).
    source: NotRequired[list[int] | None]  # [first, last] indexes into ParseResult.lines
    confidence: NotRequired[float]  # 0..1: how sure the parser is of this task
    doubtful: NotRequired[list[str]]  # names of the fields a person should check


# The fields ``doubtful`` may name, in the order they are shown.
DOUBTFUL_FIELDS = (
    "number",
    "text",
    "lead_leaders",
    "lead_units",
    "responsible_units",
    "deadline",
)


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
    "traditional": N_(
        "This copy is in Traditional characters: it was read converted to Simplified. The "
        "original file is kept as it was."
    ),
    "pinyin_readings": N_("%(readings)s pinyin readings inserted after characters were dropped."),
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

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "task": self.task, "params": dict(self.params)}

    @classmethod
    def from_json(cls, data: Any) -> ParseWarning:
        if not isinstance(data, dict) or data.get("code") not in MESSAGES:
            raise ValueError(f"not a parse warning: {data!r}")
        return cls(code=data["code"], task=data["task"], params=dict(data["params"]))


@dataclass
class ParseResult:
    document: DocumentInfo
    areas: list[AreaInfo]
    tasks: list[TaskInfo]
    warnings: list[ParseWarning]
    # Every line the parser read, in order (table rows as their cells joined by " | "): what a
    # task's ``source`` points into.
    lines: list[str] = field(default_factory=list)

    def as_dict(self, translate: Callable[[str], str] | None = None) -> dict[str, Any]:
        return {
            "document": self.document,
            "areas": self.areas,
            "tasks": self.tasks,
            "warnings": [w.as_dict(translate) for w in self.warnings],
            "lines": self.lines,
        }

    def to_json(self) -> dict[str, Any]:
        """JSON-ready data that ``from_json`` turns back into an equal ``ParseResult``."""
        return {
            "document": dict(self.document),
            "areas": [dict(a) for a in self.areas],
            "tasks": [dict(t) for t in self.tasks],
            "warnings": [w.to_json() for w in self.warnings],
            "lines": list(self.lines),
        }

    @classmethod
    def from_json(cls, data: Any) -> ParseResult:
        """Read what ``to_json`` wrote. Raises ValueError when ``data`` is not such a parse."""
        try:
            return cls(
                document=_document(data["document"]),
                areas=[{"number": a["number"], "title": a["title"]} for a in data["areas"]],
                tasks=[_task(t) for t in data["tasks"]],
                warnings=[ParseWarning.from_json(w) for w in data["warnings"]],
                lines=[str(line) for line in data.get("lines", [])],
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a parse: {exc}") from exc


def _document(data: Any) -> DocumentInfo:
    return {
        "title": data["title"],
        "doc_number": data["doc_number"],
        "issuer": data["issuer"],
        "date": data["date"],
        "year": data["year"],
        "declared_areas": data["declared_areas"],
        "declared_tasks": data["declared_tasks"],
    }


def _task(data: Any) -> TaskInfo:
    return {
        "number": data["number"],
        "area": data["area"],
        "text": data["text"],
        "lead_leaders": list(data["lead_leaders"]),
        "lead_units": list(data["lead_units"]),
        "responsible_units": list(data["responsible_units"]),
        "deadline": data["deadline"],
        "targets": [_target(t) for t in data["targets"]],
        "source": _source(data.get("source")),
        "confidence": float(data.get("confidence", 1.0)),
        "doubtful": [str(f) for f in data.get("doubtful", [])],
    }


def _source(data: Any) -> list[int] | None:
    if data is None:
        return None
    first, last = data
    return [int(first), int(last)]


def _target(data: Any) -> Target:
    return {
        "label": data["label"],
        "value": data["value"],
        "value_max": data["value_max"],
        "unit": data["unit"],
        "op": data["op"],
        "source": data["source"],
    }
