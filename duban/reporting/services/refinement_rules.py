"""What a refinement may contain: the units it may name and the checks its content must pass.

A refinement (细化任务台账) is checked twice: leniently when the lead unit saves a draft (what is
written must make sense, blanks are fine) and completely when it is submitted (every quarter
filled in, at least one milestone, every open placeholder named). A milestone dated outside
the plan's year is only a warning: some steps really fall in January of the next year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from duban.directory.models import Group, Unit, UnitKind
from duban.ledger.models import Assignment, AssignmentRole, TargetOp, Task

from ..models import SlotUnit

QUARTERS = (1, 2, 3, 4)
PERCENT = "percent"  # expected progress as a percentage per quarter (形象进度)
TARGETS = "targets"  # expected value of every quantitative target per quarter
# Targets that only grow over the year (cumulative amounts); a ≤ target (审批时间 ≤ 3天) may not.
GROWING_OPS = (TargetOp.EQ, TargetOp.GE, TargetOp.RANGE)


@dataclass(frozen=True)
class MilestoneInput:
    description: str
    due_on: date
    unit_id: int
    id: int | None = None  # an existing milestone of this refinement, else a new one


@dataclass(frozen=True)
class RefinementInput:
    """Everything the lead unit writes, as plain values (from a form, a command or a test)."""

    milestones: Sequence[MilestoneInput] = ()
    mode: str = PERCENT
    percents: Sequence[int | None] = (None, None, None, None)  # Q1–Q4
    target_values: Mapping[int, Sequence[Decimal | None]] = field(default_factory=dict)
    slots: Mapping[int, Sequence[int]] = field(default_factory=dict)  # open assignment → units


@dataclass(frozen=True)
class Problem:
    """A message and where it belongs: ``percent``, ``target-<id>``, ``milestone-<index>``,
    ``slot-<assignment id>``, ``milestones`` or ``""`` (the refinement as a whole)."""

    where: str
    message: str


@dataclass
class Problems:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, where: str, message: str) -> None:
        self.errors.append(Problem(where, message))

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(Problem(where, message))


# --- Units ------------------------------------------------------------------------------------


def open_assignments(task: Task) -> list[Assignment]:
    """The task's open placeholders (相关镇（街道）, 相关单位) that the lead unit names."""
    return [a for a in task.assignments.all() if a.group is not None and a.group.is_open]


def slot_scope(group: Group) -> Q:
    """The units that may stand behind an open placeholder, read from its name.

    相关镇（街道）: the towns and streets; 相关街道: the streets; 相关镇: the towns; any other
    placeholder (相关单位, 各相关单位, 各金融机构): any active unit.
    """
    town, street = "镇" in group.name, "街道" in group.name
    if town and street:
        return Q(kind__in=(UnitKind.TOWN, UnitKind.STREET), active=True)
    if street:
        return Q(kind=UnitKind.STREET, active=True)
    if town:
        return Q(kind=UnitKind.TOWN, active=True)
    return Q(active=True)


def named_units(assignment: Assignment) -> list[int]:
    """The units already named behind an open placeholder."""
    return list(SlotUnit.objects.filter(assignment=assignment).values_list("unit_id", flat=True))


def slot_choices(assignment: Assignment, chosen: Iterable[int] = ()) -> QuerySet[Unit]:
    """The units one may name behind ``assignment`` (plus those already named, even inactive)."""
    assert assignment.group is not None
    scope = slot_scope(assignment.group) | Q(pk__in=list(chosen))
    return Unit.objects.filter(scope).order_by("code", "kind", "name")


def task_units(task: Task, slots: Mapping[int, Sequence[int]]) -> list[int]:
    """The units a milestone may be given to: the task's units by name, those its groups stand
    for, and those named behind its open placeholders (``slots``), lead units first."""
    found: list[int] = []
    for role in (AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE):
        for assignment in task.assignments.all():
            if assignment.role != role:
                continue
            if assignment.unit_id is not None:
                found.append(assignment.unit_id)
            elif assignment.group is not None and assignment.group.is_open:
                found.extend(slots.get(assignment.pk, ()))
            elif assignment.group is not None:
                expanded = assignment.group.expanded_units().order_by("code", "name")
                found.extend(expanded.values_list("pk", flat=True))
    return list(dict.fromkeys(found))


# --- Checks -----------------------------------------------------------------------------------


def check(task: Task, data: RefinementInput, *, complete: bool) -> Problems:
    """Errors that refuse the refinement and warnings that do not; ``complete`` for submission."""
    problems = Problems()
    _check_slots(task, data, problems, complete)
    _check_milestones(task, data, problems, complete)
    targets = list(task.targets.all())
    if data.mode == TARGETS and targets:
        for target in targets:
            values = list(data.target_values.get(target.pk, ()))
            _check_series(
                f"target-{target.pk}",
                values + [None] * (4 - len(values)),
                problems,
                complete,
                growing=target.op in GROWING_OPS,
                label=target.label,
            )
    elif data.mode == TARGETS:
        problems.error("", _("This task has no quantitative target: give percentages."))
    else:
        _check_series("percent", list(data.percents), problems, complete, growing=True)
        for value in data.percents:
            if value is not None and not 0 <= value <= 100:
                problems.error("percent", _("A percentage lies between 0 and 100."))
                break
    return problems


def _check_series(
    where: str,
    values: list[int | None] | list[Decimal | None],
    problems: Problems,
    complete: bool,
    *,
    growing: bool,
    label: str = "",
) -> None:
    filled = [value for value in values if value is not None]
    if complete and len(filled) < len(QUARTERS):
        if label:
            message = _("Give the expected value of “%(label)s” for every quarter.")
            problems.error(where, message % {"label": label})
        else:
            problems.error(where, _("Give the expected progress for every quarter."))
    if growing and any(later < earlier for earlier, later in pairwise(filled)):
        if label:
            message = _(
                "The expected value of “%(label)s” cannot go down from one quarter to the next."
            )
            problems.error(where, message % {"label": label})
        else:
            problems.error(
                where, _("Expected progress cannot go down from one quarter to the next.")
            )


def _check_milestones(
    task: Task, data: RefinementInput, problems: Problems, complete: bool
) -> None:
    if complete and not data.milestones:
        problems.error("milestones", _("Give at least one milestone."))
    allowed = set(task_units(task, data.slots))
    year = task.plan.year
    for index, milestone in enumerate(data.milestones):
        where = f"milestone-{index}"
        if milestone.unit_id not in allowed:
            problems.error(
                where,
                _("Choose one of the task's units, or name the unit behind a placeholder first."),
            )
        if milestone.due_on.year != year:
            message = _("“%(what)s” is due on %(date)s, outside %(year)s.")
            problems.warn(
                where,
                message
                % {
                    "what": milestone.description,
                    "date": milestone.due_on.isoformat(),
                    "year": year,
                },
            )


def _check_slots(task: Task, data: RefinementInput, problems: Problems, complete: bool) -> None:
    for assignment in open_assignments(task):
        assert assignment.group is not None
        chosen = list(data.slots.get(assignment.pk, ()))
        where = f"slot-{assignment.pk}"
        if complete and not chosen:
            message = _("Name the units behind “%(group)s”.")
            problems.error(where, message % {"group": assignment.group.name})
        if chosen:
            allowed = set(
                Unit.objects.filter(slot_scope(assignment.group)).values_list("pk", flat=True)
            )
            already = set(named_units(assignment))
            if any(pk not in allowed and pk not in already for pk in chosen):
                message = _("These units cannot stand behind “%(group)s”.")
                problems.error(where, message % {"group": assignment.group.name})
    unknown = set(data.slots) - {a.pk for a in open_assignments(task)}
    if unknown:
        problems.error("", _("Only the task's open placeholders can be named."))
