"""Import workflows: upload → preview a person checks and fixes → commit in one transaction.

The same functions serve the upload pages, ``duban import`` and the demo. Names the directory
does not know are never turned into units silently: a person picks a candidate, a group or
"create a new unit" first.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.directory.models import Group, Leader, Unit, UnitKind
from duban.directory.services import DirectoryIndex, Resolution
from duban.ledger.models import Plan, Task
from duban.ledger.services import (
    ImportOutcome,
    NameRef,
    PlanDiff,
    diff_plan,
    find_plan,
    import_plan,
)

from .pipeline import parse_upload
from .staging import StagedImport, stage

EDITABLE_FIELDS = ("text", "lead_leaders", "lead_units", "responsible_units", "deadline")
LIST_FIELDS = ("lead_leaders", "lead_units", "responsible_units")
DEMO_NOTICE = Path(__file__).resolve().parent.parent / "demo" / "data" / "yanshi-2023-notice.txt"
DEMO_CORRECTIONS = {"缙氏镇": "缑氏镇"}  # the seed's typo, as a clerk resolves it


FIELD_LABELS = {
    "number": gettext_lazy("number"),
    "area": gettext_lazy("area"),
    "text": gettext_lazy("task"),
    "lead_leaders": gettext_lazy("lead leaders"),
    "lead_units": gettext_lazy("lead units"),
    "responsible_units": gettext_lazy("responsible units"),
    "deadline": gettext_lazy("deadline"),
    "targets": gettext_lazy("targets"),
}


@dataclass
class ChangeEntry:
    kind: str  # "added", "removed" or "changed"
    number: str
    text: str
    fields: list[str] = field(default_factory=list)  # labels of the changed fields


def change_entries(diff: PlanDiff, parsed: dict[str, Any]) -> list[ChangeEntry]:
    """What a revised notice changes, task by task, in the order people read a ledger."""
    entries = [
        ChangeEntry("added", str(parsed["tasks"][i]["number"]), parsed["tasks"][i]["text"])
        for i in diff.added
    ]
    entries += [
        ChangeEntry("removed", task.number, task.text)
        for task in Task.objects.filter(pk__in=diff.removed).order_by("position")
    ]
    entries += [
        ChangeEntry(
            "changed",
            change.number,
            parsed["tasks"][change.index]["text"],
            [str(FIELD_LABELS[f]) for f in change.fields],
        )
        for change in diff.changed
    ]
    return entries


class ImportProblem(ValueError):
    """Input a person must correct (a bad choice or edit, unresolved names)."""


@dataclass
class NameRow:
    name: str
    resolution: Resolution
    choice: str
    tasks: list[str] = field(default_factory=list)
    chosen_label: str = ""

    @property
    def status(self) -> str:
        if self.choice.startswith("new:"):
            return "new"
        if self.choice:
            return "chosen"
        if self.resolution.group_id:
            return "group"
        if self.resolution.unit_id:
            return "alias" if self.resolution.via_alias else "unit"
        return "unresolved"


@dataclass
class Preview:
    staged: StagedImport
    parsed: dict[str, Any]
    names: list[NameRow]
    new_leaders: list[str]
    plan: Plan | None
    diff: PlanDiff | None
    flags: dict[int, list[str]]  # task index → problems to show on its row

    @property
    def changes(self) -> list[ChangeEntry]:
        return change_entries(self.diff, self.parsed) if self.diff else []

    @property
    def unresolved(self) -> list[NameRow]:
        return [row for row in self.names if row.status == "unresolved"]

    @property
    def can_commit(self) -> bool:
        return not self.unresolved and self.parsed["document"].get("year") is not None

    @property
    def unchanged(self) -> bool:
        return self.diff is not None and self.diff.empty


def stage_upload(*, data: bytes, filename: str, user: User | None) -> StagedImport:
    """Parse an uploaded notice and keep it for the preview. Raises IntakeError."""
    result = parse_upload(data, filename, max_bytes=settings.DUBAN_MAX_UPLOAD_BYTES)
    parsed = result.as_dict(_)
    return stage(data=data, filename=filename, parsed=parsed, owner_id=user.pk if user else None)


def effective_parse(staged: StagedImport) -> dict[str, Any]:
    """The parse with the person's corrections applied."""
    parsed = copy.deepcopy(staged.parsed)
    for index, changes in staged.edits.items():
        parsed["tasks"][int(index)].update(changes)
    return parsed


def refs_for(
    names: list[str], index: DirectoryIndex, choices: dict[str, str]
) -> dict[str, NameRef]:
    refs: dict[str, NameRef] = {}
    for name in names:
        choice = choices.get(name, "")
        if choice:
            refs[name] = _ref_from_choice(choice)
            continue
        resolution = index.resolve(name)
        if resolution.resolved:
            refs[name] = NameRef(unit_id=resolution.unit_id, group_id=resolution.group_id)
    return refs


def _ref_from_choice(choice: str) -> NameRef:
    kind, _sep, value = choice.partition(":")
    if kind == "unit":
        return NameRef(unit_id=int(value))
    if kind == "group":
        return NameRef(group_id=int(value))
    return NameRef(new_unit_kind=value)


def unit_names(parsed: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for task in parsed["tasks"]:
        for name in task["lead_units"] + task["responsible_units"]:
            if name not in names:
                names.append(name)
    return names


def build_preview(staged: StagedImport) -> Preview:
    parsed = effective_parse(staged)
    index = DirectoryIndex.load()
    rows: dict[str, NameRow] = {}
    for task in parsed["tasks"]:
        for name in task["lead_units"] + task["responsible_units"]:
            if name not in rows:
                rows[name] = NameRow(name, index.resolve(name), staged.choices.get(name, ""))
            rows[name].tasks.append(str(task["number"]))
    labels = _choice_labels([row.choice for row in rows.values()])
    for row in rows.values():
        row.chosen_label = labels.get(row.choice, "")
        if row.status == "alias" and row.resolution.unit_id is not None:
            row.chosen_label = index.unit_names[row.resolution.unit_id]
    known_leaders = set(Leader.objects.values_list("name", flat=True))
    new_leaders = sorted({n for t in parsed["tasks"] for n in t["lead_leaders"]} - known_leaders)
    flags: dict[int, list[str]] = {}
    for position, task in enumerate(parsed["tasks"]):
        problems = []
        if not task["lead_units"]:
            problems.append(_("no lead unit"))
        unresolved = [
            n
            for n in task["lead_units"] + task["responsible_units"]
            if rows[n].status == "unresolved"
        ]
        if unresolved:
            problems.append(_("unknown names: %(names)s") % {"names": "、".join(unresolved)})
        if problems:
            flags[position] = problems
    plan = find_plan(parsed["document"])
    diff = None
    if plan is not None and not any(row.status == "unresolved" for row in rows.values()):
        diff = diff_plan(plan, parsed, refs_for(list(rows), index, staged.choices))
    order = {"unresolved": 0, "new": 1, "chosen": 1, "alias": 2, "group": 3, "unit": 4}
    names = sorted(rows.values(), key=lambda row: order[row.status])  # what needs a person first
    return Preview(staged, parsed, names, new_leaders, plan, diff, flags)


def _choice_labels(choices: list[str]) -> dict[str, str]:
    units = {c: int(c[5:]) for c in choices if c.startswith("unit:")}
    groups = {c: int(c[6:]) for c in choices if c.startswith("group:")}
    labels = {}
    names = dict(Unit.objects.filter(pk__in=units.values()).values_list("pk", "name"))
    labels.update({c: names.get(pk, "?") for c, pk in units.items()})
    names = dict(Group.objects.filter(pk__in=groups.values()).values_list("pk", "name"))
    labels.update({c: names.get(pk, "?") for c, pk in groups.items()})
    kinds = dict(UnitKind.choices)
    labels.update({c: str(kinds.get(c[4:], c[4:])) for c in choices if c.startswith("new:")})
    return labels


def choose(staged: StagedImport, name: str, choice: str) -> None:
    """Record what an unknown name is: ``unit:ID``, ``group:ID``, ``new:KIND`` or "" to undo."""
    if name not in unit_names(effective_parse(staged)):
        raise ImportProblem(_("“%(name)s” does not occur in this notice.") % {"name": name})
    kind, _sep, value = choice.partition(":")
    valid = (
        choice == ""
        or (kind == "unit" and value.isdigit() and Unit.objects.filter(pk=int(value)).exists())
        or (kind == "group" and value.isdigit() and Group.objects.filter(pk=int(value)).exists())
        or (kind == "new" and value in UnitKind.values)
    )
    if not valid:
        raise ImportProblem(_("Choose an existing unit, a group or “create a new unit”."))
    if kind == "new" and DirectoryIndex.load().resolve(name).resolved:
        raise ImportProblem(_("“%(name)s” is already in the directory.") % {"name": name})
    if choice:
        staged.choices[name] = choice
    else:
        staged.choices.pop(name, None)
    staged.save()


def edit_task(staged: StagedImport, position: int, field_name: str, value: str) -> None:
    """Correct one field of one task before the commit."""
    tasks = staged.parsed["tasks"]
    if not 0 <= position < len(tasks) or field_name not in EDITABLE_FIELDS:
        raise ImportProblem(_("This field cannot be edited."))
    cleaned: Any
    value = value.strip()
    if field_name in LIST_FIELDS:
        cleaned = [
            n for n in (re.sub(r"\s+", "", p) for p in re.split(r"[、，,；;\n]+", value)) if n
        ]
    elif field_name == "deadline":
        cleaned = _deadline(value)
    else:
        if not value:
            raise ImportProblem(_("The task text cannot be empty."))
        cleaned = value
    staged.edits.setdefault(str(position), {})[field_name] = cleaned
    staged.save()


def _deadline(value: str) -> str | None:
    if not value:
        return None
    match = re.fullmatch(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?", value)
    try:
        if match:
            return date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        pass
    raise ImportProblem(_("Write the deadline as 2023年6月30日 or 2023-06-30."))


def commit(staged: StagedImport, user: User | None) -> ImportOutcome:
    """Put the checked notice into the ledger, all or nothing, then forget the staged files."""
    preview = build_preview(staged)
    if preview.unresolved:
        names = "、".join(row.name for row in preview.unresolved)
        raise ImportProblem(_("Resolve these names first: %(names)s") % {"names": names})
    if preview.parsed["document"].get("year") is None:
        raise ImportProblem(_("The notice states no year; the plan's year is needed."))
    refs = refs_for([row.name for row in preview.names], DirectoryIndex.load(), staged.choices)
    outcome = import_plan(
        parsed=preview.parsed,
        refs=refs,
        source_name=staged.filename,
        data=staged.data(),
        user=user,
        plan=preview.plan,
    )
    staged.discard()
    return outcome


def import_demo_plan(user: User | None = None) -> ImportOutcome:
    """The seed notice in the ledger, its typo resolved as a clerk would: idempotent."""
    data = DEMO_NOTICE.read_bytes()
    parsed = parse_upload(data, DEMO_NOTICE.name).as_dict(_)
    index = DirectoryIndex.load()
    choices = {}
    for wrong, right in DEMO_CORRECTIONS.items():
        resolution = index.resolve(right)
        if resolution.unit_id is not None:
            choices[wrong] = f"unit:{resolution.unit_id}"
    refs = refs_for(unit_names(parsed), index, choices)
    return import_plan(
        parsed=parsed,
        refs=refs,
        source_name=DEMO_NOTICE.name,
        data=data,
        user=user,
        plan=find_plan(parsed["document"]),
    )
