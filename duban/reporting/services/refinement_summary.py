"""A refinement as the task page, the refinement page and the edit page show it, with the
steps the user may take (asked of ``can``, never decided here).

Each milestone says whether it is reached (named in a submitted or accepted report); its light
is the lights app's to give (``{% milestone_lights %}`` in duban/lights/templatetags)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from duban.core.permissions import Action, can
from duban.directory.models import Unit
from duban.ledger.display import format_number
from duban.ledger.models import Assignment, Target, Task

from ..models import EDITABLE, Milestone, Refinement, Report, ReviewState, SlotUnit
from .refinement_rules import QUARTERS, open_assignments

QUARTER_LABELS = (_("Q1"), _("Q2"), _("Q3"), _("Q4"))


@dataclass(frozen=True)
class MilestoneLine:
    milestone: Milestone
    outside_year: bool
    reached: bool = False  # named in a submitted or accepted report


@dataclass(frozen=True)
class QuarterLine:
    label: str
    values: list[str]  # Q1–Q4, "" when not given
    target: Target | None = None


@dataclass(frozen=True)
class SlotLine:
    assignment: Assignment
    units: list[Unit]


@dataclass
class Summary:
    task: Task
    refinement: Refinement | None
    milestones: list[MilestoneLine] = field(default_factory=list)
    quarters: list[QuarterLine] = field(default_factory=list)
    slots: list[SlotLine] = field(default_factory=list)
    can_edit: bool = False
    can_submit: bool = False
    can_review: bool = False
    can_reopen: bool = False
    is_lead: bool = False
    is_office: bool = False

    @property
    def state(self) -> str:
        return self.refinement.state if self.refinement else "none"

    @property
    def version(self) -> int:
        return self.refinement.version if self.refinement else 0

    @property
    def is_empty(self) -> bool:
        return not (self.milestones or self.quarters or any(s.units for s in self.slots))

    @property
    def quarter_labels(self) -> tuple[Any, ...]:
        return QUARTER_LABELS


def summarize(task: Task, user: Any) -> Summary:
    """The refinement of ``task`` for ``user``; ``task`` should come with its assignments,
    groups and targets prefetched (ledger.queries.with_details)."""
    refinement = _refinement(task)
    summary = Summary(task=task, refinement=refinement)
    summary.slots = _slots(task)
    if refinement is not None:
        year = task.plan.year
        milestones = list(refinement.milestones.all())
        reached = _reached(milestones)
        summary.milestones = [
            MilestoneLine(m, m.due_on.year != year, m.pk in reached) for m in milestones
        ]
        summary.quarters = _quarters(task, refinement)
    state = refinement.state if refinement else ReviewState.DRAFT
    summary.is_lead = can(user, Action.REFINE, task)
    summary.is_office = can(user, Action.REVIEW, task)
    summary.can_edit = summary.is_lead and state in EDITABLE
    summary.can_submit = summary.can_edit and refinement is not None
    summary.can_review = summary.is_office and state == ReviewState.SUBMITTED
    summary.can_reopen = summary.is_office and state == ReviewState.ACCEPTED
    return summary


def _reached(milestones: list[Milestone]) -> set[int]:
    """The milestones named in a submitted or accepted report."""
    if not milestones:
        return set()
    return set(
        Report.milestones_reached.through.objects.filter(
            milestone_id__in=[m.pk for m in milestones],
            report__state__in=(ReviewState.SUBMITTED, ReviewState.ACCEPTED),
        ).values_list("milestone_id", flat=True)
    )


def _refinement(task: Task) -> Refinement | None:
    """The task's refinement with its milestones and quarters; no query to find there is
    none when the task was read with ``select_related("refinement")``."""
    relation: Any = Task._meta.get_field("refinement")  # a reverse one-to-one: caches on the task
    if relation.is_cached(task) and relation.get_cached_value(task) is None:
        return None
    milestones = Prefetch("milestones", queryset=Milestone.objects.select_related("unit"))
    found = Refinement.objects.filter(task=task).select_related("submitted_by", "reviewed_by")
    return found.prefetch_related(milestones, "quarters").first()


def _slots(task: Task) -> list[SlotLine]:
    assignments = open_assignments(task)
    if not assignments:
        return []
    named: dict[int, list[Unit]] = {a.pk: [] for a in assignments}
    for slot in SlotUnit.objects.filter(assignment__in=assignments).select_related("unit"):
        named[slot.assignment_id].append(slot.unit)
    for units in named.values():
        units.sort(key=lambda unit: (unit.code, unit.kind, unit.name))
    return [SlotLine(a, named[a.pk]) for a in assignments]


def _quarters(task: Task, refinement: Refinement) -> list[QuarterLine]:
    rows = list(refinement.quarters.all())
    percents = {row.quarter: row.expected_percent for row in rows if row.target_id is None}
    lines = []
    if percents:
        values = [f"{percents[q]}%" if percents.get(q) is not None else "" for q in QUARTERS]
        lines.append(QuarterLine("", values))
    for target in task.targets.all():
        by_quarter: dict[int, Decimal | None] = {
            row.quarter: row.expected_value for row in rows if row.target_id == target.pk
        }
        if by_quarter:
            values = [
                f"{format_number(v)}{target.unit}" if (v := by_quarter.get(q)) is not None else ""
                for q in QUARTERS
            ]
            lines.append(QuarterLine(target.label, values, target))
    return lines
