"""Import workflows: upload → preview a person checks and fixes → commit in one transaction.

The same functions serve the upload pages, ``duban import`` and the demo. Names the directory
does not know are never turned into units silently: a person picks a candidate, a group or
"create a new unit" first.

The parse stays typed all the way: the staged ``ParseResult`` (JSON only on disk, see
``staging``), with the person's corrections applied, becomes the ledger's ``Notice``
(``to_notice``); ``prepare_import`` computes the diff once and the commit applies that diff.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.audit.context import acting_as, current
from duban.directory.models import Group, Leader, Unit, UnitAlias, UnitKind
from duban.directory.services import DirectoryIndex, Resolution, remember_alias
from duban.ledger.models import Plan, Task
from duban.ledger.services import (
    ImportOutcome,
    NameRef,
    Notice,
    NoticeArea,
    NoticeDocument,
    NoticeTarget,
    NoticeTask,
    PlanDiff,
    PreparedImport,
    find_plan,
    import_plan,
    prepare_import,
)

from .parsing.result import ParseResult, TaskInfo
from .parsing.targets import Target
from .pipeline import parse_upload
from .staging import StagedImport, TaskEdits, stage

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


def change_entries(diff: PlanDiff, notice: Notice) -> list[ChangeEntry]:
    """What a revised notice changes, task by task, in the order people read a ledger."""
    entries = [
        ChangeEntry("added", notice.tasks[i].number, notice.tasks[i].text) for i in diff.added
    ]
    entries += [
        ChangeEntry("removed", task.number, task.text)
        for task in Task.objects.filter(pk__in=diff.removed).order_by("position")
    ]
    entries += [
        ChangeEntry(
            "changed",
            change.number,
            notice.tasks[change.index].text,
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
    parsed: ParseResult  # with the person's corrections
    notice: Notice  # the same, as the ledger takes it
    names: list[NameRow]
    new_leaders: list[str]
    plan: Plan | None
    prepared: PreparedImport | None  # once every name is resolved and the year is known
    flags: dict[int, list[str]]  # task index → problems to show on its row

    @property
    def diff(self) -> PlanDiff | None:
        """What committing changes in the existing plan; None for a new plan (or not ready)."""
        if self.prepared is None or self.prepared.plan is None:
            return None
        return self.prepared.diff

    @property
    def changes(self) -> list[ChangeEntry]:
        diff = self.diff
        return change_entries(diff, self.notice) if diff else []

    @property
    def warnings(self) -> list[str]:
        return [warning.render(_) for warning in self.parsed.warnings]

    @property
    def unresolved(self) -> list[NameRow]:
        return [row for row in self.names if row.status == "unresolved"]

    @property
    def can_commit(self) -> bool:
        return not self.unresolved and self.notice.document.year is not None

    @property
    def unchanged(self) -> bool:
        return self.diff is not None and self.diff.empty


def stage_upload(*, data: bytes, filename: str, user: User | None) -> StagedImport:
    """Parse an uploaded notice and keep it for the preview. Raises IntakeError."""
    result = parse_upload(data, filename, max_bytes=settings.DUBAN_MAX_UPLOAD_BYTES)
    return stage(data=data, filename=filename, parsed=result, owner_id=user.pk if user else None)


def effective_parse(staged: StagedImport) -> ParseResult:
    """The parse with the person's corrections applied."""
    tasks = [
        _edited(task, staged.edits.get(str(index)))
        for index, task in enumerate(staged.parsed.tasks)
    ]
    return replace(staged.parsed, tasks=tasks)


def _edited(task: TaskInfo, edits: TaskEdits | None) -> TaskInfo:
    if not edits:
        return task
    edited: TaskInfo = {**task, **edits}
    return edited


def to_notice(parsed: ParseResult) -> Notice:
    """The parse as the ledger takes it: numbers as text, dates as dates, values as decimals."""
    document = parsed.document
    return Notice(
        document=NoticeDocument(
            year=document["year"],
            title=document["title"],
            doc_number=document["doc_number"],
            issuer=document["issuer"],
            signed_on=_date(document["date"]),
            declared_areas=document["declared_areas"],
            declared_tasks=document["declared_tasks"],
        ),
        areas=tuple(NoticeArea(number=a["number"], title=a["title"]) for a in parsed.areas),
        tasks=tuple(_notice_task(task) for task in parsed.tasks),
    )


def _notice_task(task: TaskInfo) -> NoticeTask:
    return NoticeTask(
        number=str(task["number"]),
        area=task["area"],
        text=task["text"],
        lead_leaders=tuple(task["lead_leaders"]),
        lead_units=tuple(task["lead_units"]),
        responsible_units=tuple(task["responsible_units"]),
        deadline=_date(task["deadline"]),
        targets=tuple(_notice_target(target) for target in task["targets"]),
    )


def _notice_target(target: Target) -> NoticeTarget:
    value_max = target["value_max"]
    return NoticeTarget(
        label=target["label"],
        value=Decimal(str(target["value"])),
        value_max=None if value_max is None else Decimal(str(value_max)),
        unit=target["unit"],
        op=target["op"],
        source=target["source"],
    )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


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


def build_preview(staged: StagedImport) -> Preview:
    parsed = effective_parse(staged)
    notice = to_notice(parsed)
    index = DirectoryIndex.load()
    rows: dict[str, NameRow] = {}
    for task in notice.tasks:
        for name in task.unit_names:
            if name not in rows:
                rows[name] = NameRow(name, index.resolve(name), staged.choices.get(name, ""))
            rows[name].tasks.append(task.number)
    labels = _choice_labels([row.choice for row in rows.values()])
    for row in rows.values():
        row.chosen_label = labels.get(row.choice, "")
        if row.status == "alias" and row.resolution.unit_id is not None:
            row.chosen_label = index.unit_names[row.resolution.unit_id]
    known_leaders = set(Leader.objects.values_list("name", flat=True))
    new_leaders = sorted({n for t in notice.tasks for n in t.lead_leaders} - known_leaders)
    flags: dict[int, list[str]] = {}
    for position, task in enumerate(notice.tasks):
        problems = []
        if not task.lead_units:
            problems.append(_("no lead unit"))
        unresolved = [n for n in task.unit_names if rows[n].status == "unresolved"]
        if unresolved:
            problems.append(_("unknown names: %(names)s") % {"names": "、".join(unresolved)})
        if problems:
            flags[position] = problems
    prepared = None
    if notice.document.year is not None and all(r.status != "unresolved" for r in rows.values()):
        # the one diff of this import: the preview shows it, the commit applies it
        prepared = prepare_import(notice, refs_for(list(rows), index, staged.choices))
        plan = prepared.plan
    else:
        plan = find_plan(notice.document)
    order = {"unresolved": 0, "new": 1, "chosen": 1, "alias": 2, "group": 3, "unit": 4}
    names = sorted(rows.values(), key=lambda row: order[row.status])  # what needs a person first
    return Preview(staged, parsed, notice, names, new_leaders, plan, prepared, flags)


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
    if name not in to_notice(effective_parse(staged)).unit_names():
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
    if not 0 <= position < len(staged.parsed.tasks) or field_name not in EDITABLE_FIELDS:
        raise ImportProblem(_("This field cannot be edited."))
    value = value.strip()
    edit: TaskEdits = {}
    if field_name in LIST_FIELDS:
        names = [n for n in (re.sub(r"\s+", "", p) for p in re.split(r"[、，,；;\n]+", value)) if n]
        if field_name == "lead_leaders":
            edit["lead_leaders"] = names
        elif field_name == "lead_units":
            edit["lead_units"] = names
        else:
            edit["responsible_units"] = names
    elif field_name == "deadline":
        edit["deadline"] = _deadline(value)
    else:
        if not value:
            raise ImportProblem(_("The task text cannot be empty."))
        edit["text"] = value
    staged.edits.setdefault(str(position), {}).update(edit)
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
    if preview.prepared is None:  # every name is resolved: only the year can be missing
        raise ImportProblem(_("The notice states no year; the plan's year is needed."))
    acting = current()  # the request's address stays on the audit trail
    with transaction.atomic(), acting_as(user or acting.user, acting.address):
        remember_choices({row.name: row.choice for row in preview.names if row.choice})
        outcome = import_plan(
            preview.prepared, source_name=staged.filename, data=staged.data(), user=user
        )
    staged.discard()
    return outcome


def remember_choices(choices: dict[str, str]) -> list[UnitAlias]:
    """Keep each name a person resolved to an existing unit (``unit:ID``) as that unit's alias,
    so that the next notice naming it resolves by itself; names that already answer to a unit,
    an alias or a group, and names resolved to a group or a new unit, add nothing."""
    unit_ids = {
        name: int(choice[5:])
        for name, choice in choices.items()
        if choice.startswith("unit:") and choice[5:].isdigit()
    }
    units = Unit.objects.in_bulk(set(unit_ids.values()))
    learned = []
    for name, unit_id in unit_ids.items():
        unit = units.get(unit_id)
        alias = remember_alias(unit, name) if unit is not None else None
        if alias is not None:
            learned.append(alias)
    return learned


def import_demo_plan(user: User | None = None) -> ImportOutcome:
    """The seed notice in the ledger, its typo resolved as a clerk would: idempotent."""
    data = DEMO_NOTICE.read_bytes()
    notice = to_notice(parse_upload(data, DEMO_NOTICE.name))
    index = DirectoryIndex.load()
    choices = {}
    for wrong, right in DEMO_CORRECTIONS.items():
        resolution = index.resolve(right)
        if resolution.unit_id is not None:
            choices[wrong] = f"unit:{resolution.unit_id}"
    refs = refs_for(notice.unit_names(), index, choices)
    return import_plan(
        prepare_import(notice, refs), source_name=DEMO_NOTICE.name, data=data, user=user
    )
