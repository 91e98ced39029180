"""Ledger workflows: putting a parsed notice into the ledger, and what a revised one changes.

The import (web preview, ``duban import``, the demo) hands over the notice as a typed
``Notice`` and a ``NameRef`` for every unit name it uses. ``prepare_import`` finds the plan the
notice belongs to and computes the ``PlanDiff`` once; ``import_plan`` applies exactly that diff
in one transaction, so a failure leaves the ledger exactly as it was.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch

from duban.directory.models import Leader, Unit
from duban.directory.names import name_key

from .models import (
    Area,
    Assignment,
    AssignmentRole,
    ImportRecord,
    Plan,
    Target,
    Task,
    TaskLeader,
)

TASK_FIELDS = (
    "number",
    "area",
    "text",
    "lead_leaders",
    "lead_units",
    "responsible_units",
    "deadline",
    "targets",
)


# ---------------------------------------------------------------- what is imported


@dataclass(frozen=True)
class NoticeDocument:
    """The notice's metadata, as the plan stores it."""

    year: int | None
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    signed_on: date | None = None
    declared_areas: int | None = None
    declared_tasks: int | None = None


@dataclass(frozen=True)
class NoticeArea:
    number: int
    title: str


@dataclass(frozen=True)
class NoticeTarget:
    """One number a task commits to; ``value_max`` is set only when ``op == "range"``."""

    label: str
    value: Decimal
    value_max: Decimal | None
    unit: str
    op: str
    source: str


@dataclass(frozen=True)
class NoticeTask:
    number: str
    area: int | None
    text: str
    lead_leaders: tuple[str, ...] = ()
    lead_units: tuple[str, ...] = ()
    responsible_units: tuple[str, ...] = ()
    deadline: date | None = None
    targets: tuple[NoticeTarget, ...] = ()

    @property
    def unit_names(self) -> tuple[str, ...]:
        return self.lead_units + self.responsible_units


@dataclass(frozen=True)
class Notice:
    """A notice as the ledger takes it: the importer (``duban.intake``) builds it from a parse."""

    document: NoticeDocument
    areas: tuple[NoticeArea, ...]
    tasks: tuple[NoticeTask, ...]

    def unit_names(self) -> list[str]:
        """Every unit name the tasks use, once each, in the order they first occur."""
        return list(dict.fromkeys(name for task in self.tasks for name in task.unit_names))


@dataclass(frozen=True)
class NameRef:
    """Where a unit name of the notice goes: an existing unit or group, or a unit to create."""

    unit_id: int | None = None
    group_id: int | None = None
    new_unit_kind: str | None = None

    @property
    def key(self) -> tuple[str, int] | None:
        if self.unit_id is not None:
            return ("unit", self.unit_id)
        if self.group_id is not None:
            return ("group", self.group_id)
        return None


@dataclass
class TaskChange:
    task_id: int
    index: int  # position of the new version in the notice's tasks
    number: str
    fields: list[str]


@dataclass
class PlanDiff:
    """What importing a notice would change in an existing plan."""

    added: list[int] = field(default_factory=list)  # indexes of the notice's tasks
    removed: list[int] = field(default_factory=list)  # ids of ledger tasks
    changed: list[TaskChange] = field(default_factory=list)
    unchanged: int = 0
    document: list[str] = field(default_factory=list)  # changed metadata fields
    areas: bool = False  # area titles or numbers differ
    moved: bool = False  # surviving tasks change order
    pairs: dict[int, int] = field(default_factory=dict)  # notice index → surviving task id

    @property
    def empty(self) -> bool:
        return not (
            self.added or self.removed or self.changed or self.document or self.areas or self.moved
        )

    def summary(self) -> dict[str, Any]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "document": self.document,
        }


@dataclass(frozen=True)
class PreparedImport:
    """A notice checked for import, with its plan (``None``: a new one) and the diff to apply.

    ``prepare_import`` computes the diff once; the preview shows it and ``import_plan`` applies
    the very same one.
    """

    notice: Notice
    refs: dict[str, NameRef]
    plan: Plan | None
    diff: PlanDiff


@dataclass
class ImportOutcome:
    plan: Plan
    diff: PlanDiff
    created: bool
    applied: bool


def find_plan(document: NoticeDocument) -> Plan | None:
    """The plan a notice belongs to: same year and 发文字号, else same year and title."""
    if document.year is None:
        return None
    plans = Plan.objects.filter(year=document.year)
    if document.doc_number:
        match = plans.filter(doc_number=document.doc_number).order_by("id").first()
        if match:
            return match
    if document.title:
        return plans.filter(title=document.title).order_by("id").first()
    return None


# ---------------------------------------------------------------- comparing


def _squeeze(text: str) -> str:
    return name_key(text)


TargetKey = tuple[str, Decimal, Decimal | None, str, str]


def _target_key(target: NoticeTarget | Target) -> TargetKey:
    value_max = target.value_max
    return (
        target.label,
        target.value.normalize(),
        None if value_max is None else value_max.normalize(),
        target.unit,
        target.op,
    )


def _notice_signature(task: NoticeTask, refs: dict[str, NameRef]) -> dict[str, Any]:
    def keys(names: tuple[str, ...]) -> list[Any]:
        return [refs[n].key if n in refs and refs[n].key else ("new", name_key(n)) for n in names]

    return {
        "number": task.number,
        "area": task.area,
        "text": _squeeze(task.text),
        "lead_leaders": [name_key(n) for n in task.lead_leaders],
        "lead_units": keys(task.lead_units),
        "responsible_units": keys(task.responsible_units),
        "deadline": task.deadline,
        "targets": [_target_key(t) for t in task.targets],
    }


def _ledger_signature(task: Task) -> dict[str, Any]:
    def keys(role: str) -> list[Any]:
        return [
            ("unit", a.unit_id) if a.unit_id else ("group", a.group_id)
            for a in task.assignments.all()
            if a.role == role
        ]

    return {
        "number": task.number,
        "area": task.area.number if task.area else None,
        "text": _squeeze(task.text),
        "lead_leaders": [name_key(tl.leader.name) for tl in task.task_leaders.all()],
        "lead_units": keys(AssignmentRole.LEAD),
        "responsible_units": keys(AssignmentRole.RESPONSIBLE),
        "deadline": task.deadline,
        "targets": [_target_key(t) for t in task.targets.all()],
    }


def ledger_tasks(plan: Plan) -> list[Task]:
    return list(
        plan.tasks.select_related("area").prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.order_by("role", "position")),
            Prefetch("task_leaders", queryset=TaskLeader.objects.select_related("leader")),
            "targets",
        )
    )


def match_tasks(old: list[Task], new: Sequence[NoticeTask]) -> dict[int, int]:
    """Pairs {new index: old task id}: same text first, then same number with similar text."""
    pairs: dict[int, int] = {}
    free = {task.pk: task for task in old}
    by_text: dict[str, list[int]] = {}
    for task in old:
        by_text.setdefault(_squeeze(task.text), []).append(task.pk)
    for index, item in enumerate(new):
        candidates = [pk for pk in by_text.get(_squeeze(item.text), []) if pk in free]
        if candidates:
            pairs[index] = candidates[0]
            del free[candidates[0]]
    for index, item in enumerate(new):
        if index in pairs:
            continue
        for pk, old_task in list(free.items()):
            ratio = difflib.SequenceMatcher(
                None, _squeeze(old_task.text), _squeeze(item.text)
            ).ratio()
            if old_task.number == item.number and ratio >= 0.5:
                pairs[index] = pk
                del free[pk]
                break
    return pairs


def diff_plan(plan: Plan, notice: Notice, refs: dict[str, NameRef]) -> PlanDiff:
    old = ledger_tasks(plan)
    new = notice.tasks
    pairs = match_tasks(old, new)
    by_id = {task.pk: task for task in old}
    diff = PlanDiff(pairs=pairs)
    for index, task in enumerate(new):
        if index not in pairs:
            diff.added.append(index)
            continue
        before = _ledger_signature(by_id[pairs[index]])
        after = _notice_signature(task, refs)
        changed = [name for name in TASK_FIELDS if before[name] != after[name]]
        if changed:
            diff.changed.append(TaskChange(pairs[index], index, task.number, changed))
        else:
            diff.unchanged += 1
    matched = set(pairs.values())
    diff.removed = [task.pk for task in old if task.pk not in matched]
    order = [pairs[i] for i in range(len(new)) if i in pairs]
    diff.moved = order != [task.pk for task in old if task.pk in matched]
    current = _plan_fields(notice.document)
    diff.document = [name for name, value in current.items() if getattr(plan, name) != value]
    areas = {a.number: a.title for a in plan.areas.all()}
    diff.areas = areas != {a.number: a.title for a in notice.areas}
    return diff


def _plan_fields(document: NoticeDocument) -> dict[str, Any]:
    return {
        "title": document.title or "",
        "doc_number": document.doc_number or "",
        "issuer": document.issuer or "",
        "signed_on": document.signed_on,
        "declared_areas": document.declared_areas,
        "declared_tasks": document.declared_tasks,
    }


# ---------------------------------------------------------------- applying


def prepare_import(notice: Notice, refs: dict[str, NameRef]) -> PreparedImport:
    """Check a notice for import, find its plan and compute what importing it changes.

    Every name used by the tasks must have a ref (the caller resolved them with a person).
    """
    missing = sorted(
        set(notice.unit_names()) - {n for n, ref in refs.items() if ref.key or ref.new_unit_kind}
    )
    if missing:
        raise ValueError(f"unresolved unit names: {', '.join(missing)}")
    if notice.document.year is None:
        raise ValueError("the notice states no year")
    plan = find_plan(notice.document)
    diff = diff_plan(plan, notice, refs) if plan else PlanDiff(added=list(range(len(notice.tasks))))
    return PreparedImport(notice=notice, refs=refs, plan=plan, diff=diff)


def import_plan(
    prepared: PreparedImport, *, source_name: str, data: bytes, user: User | None
) -> ImportOutcome:
    """Create the plan, or bring an existing plan in line with a revised notice.

    Applies the diff ``prepare_import`` computed; nothing is written when the notice is the one
    already imported.
    """
    plan, diff, notice = prepared.plan, prepared.diff, prepared.notice
    if plan is not None and diff.empty:
        return ImportOutcome(plan=plan, diff=diff, created=False, applied=False)
    stored: list[str] = []
    try:
        with transaction.atomic():
            refs = _create_units(prepared.refs)
            created = plan is None
            plan = _save_plan(plan, notice.document, user)
            _apply(plan, notice, refs, diff)
            digest = hashlib.sha256(data).hexdigest()
            if data and digest != plan.source_sha256:
                plan.source_file.save(source_name, ContentFile(data), save=False)
                stored.append(plan.source_file.name)
                plan.source_name, plan.source_sha256 = source_name, digest
                plan.save()
            ImportRecord.objects.create(
                plan=plan,
                imported_by=user,
                source_name=source_name,
                source_sha256=digest,
                summary=diff.summary(),
            )
    except BaseException:
        for name in stored:  # the database rolled back; the stored file must go too
            Plan._meta.get_field("source_file").storage.delete(name)
        raise
    return ImportOutcome(plan=plan, diff=diff, created=created, applied=True)


def _create_units(refs: dict[str, NameRef]) -> dict[str, NameRef]:
    result = dict(refs)
    for name, ref in refs.items():
        if ref.key is None and ref.new_unit_kind:
            unit, _created = Unit.objects.get_or_create(
                key=name_key(name), defaults={"name": name, "kind": ref.new_unit_kind}
            )
            result[name] = NameRef(unit_id=unit.pk)
    return result


def _save_plan(plan: Plan | None, document: NoticeDocument, user: User | None) -> Plan:
    fields = _plan_fields(document)
    if plan is None:
        if document.year is None:  # prepare_import refuses such a notice
            raise ValueError("the notice states no year")
        return Plan.objects.create(year=document.year, created_by=user, **fields)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save()
    return plan


def _apply(plan: Plan, notice: Notice, refs: dict[str, NameRef], diff: PlanDiff) -> None:
    areas = {a.number: a for a in plan.areas.all()}
    wanted = {a.number: a.title for a in notice.areas}
    for number, title in wanted.items():
        if number in areas:
            if areas[number].title != title:
                areas[number].title = title
                areas[number].save(update_fields=["title"])
        else:
            areas[number] = Area.objects.create(plan=plan, number=number, title=title)
    for number in set(areas) - set(wanted):
        areas.pop(number).delete()
    Task.objects.filter(pk__in=diff.removed).delete()
    leaders = {leader.name: leader for leader in Leader.objects.all()}
    changed = {c.index: c for c in diff.changed}
    pairs = diff.pairs
    for index, item in enumerate(notice.tasks):
        values = {
            "position": index + 1,
            "number": item.number,
            "text": item.text,
            "area": areas.get(item.area) if item.area is not None else None,
            "deadline": item.deadline,
        }
        if index in pairs:
            task = Task.objects.get(pk=pairs[index])
            for name, value in values.items():
                setattr(task, name, value)
            task.save()
            if index not in changed:
                continue
            task.targets.all().delete()
            task.assignments.all().delete()
            task.task_leaders.all().delete()
        else:
            task = Task.objects.create(plan=plan, **values)
        _attach(task, item, refs, leaders)


def _attach(
    task: Task, item: NoticeTask, refs: dict[str, NameRef], leaders: dict[str, Leader]
) -> None:
    # Row by row rather than bulk_create: every row must reach the audit trail (signals).
    for position, target in enumerate(item.targets, start=1):
        Target.objects.create(
            task=task,
            position=position,
            label=target.label[:100],
            value=target.value,
            value_max=target.value_max,
            unit=target.unit,
            op=target.op,
            source=target.source[:300],
        )
    for role, names in (
        (AssignmentRole.LEAD, item.lead_units),
        (AssignmentRole.RESPONSIBLE, item.responsible_units),
    ):
        for position, name in enumerate(names, start=1):
            ref = refs[name]
            Assignment.objects.create(
                task=task, role=role, position=position, unit_id=ref.unit_id, group_id=ref.group_id
            )
    for position, name in enumerate(item.lead_leaders, start=1):
        if name not in leaders:
            leaders[name] = Leader.objects.create(name=name)
        TaskLeader.objects.get_or_create(
            task=task, leader=leaders[name], defaults={"position": position}
        )
