"""Ledger rows as people read them: units as the notice wrote them, groups with their members.

Built from tasks fetched with ``queries.with_details`` and a loaded ``Directory``, so turning a
page of tasks into rows costs no query. The HTML table and the Excel export read the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from duban.core.formatting import format_cn_date
from duban.directory.models import Leader

from .display import chinese_numeral, target_summary
from .models import Area, Assignment, AssignmentRole, Target, Task
from .queries import Directory


@dataclass(frozen=True)
class Entry:
    """A unit or a group on a task, kept as the notice wrote it."""

    name: str
    unit_id: int | None = None
    group_id: int | None = None
    members: tuple[tuple[int, str], ...] = ()  # (unit id, name) of what a group stands for
    is_open: bool = False
    open_label: str = ""

    @property
    def title(self) -> str:
        """What the hover shows for a group: its members, or that they are named later."""
        if self.members:
            return "、".join(name for _pk, name in self.members)
        return self.open_label


@dataclass
class TaskRow:
    task: Task
    leaders: list[Leader]
    lead: list[Entry]
    responsible: list[Entry]
    targets: list[Target]
    # Only on a unit's page: how that unit comes to be on the task (role, group or None).
    unit_assignments: list[tuple[str, str | None]] = field(default_factory=list)
    # The area's heading goes above this row (when the table is in the notice's order).
    area_heading: Area | None = None
    # The task's traffic light (duban.lights), set by the pages that show it.
    light: Any = None
    # The task's current report and latest progress (duban.reporting.services.latest.Latest),
    # set by the pages and the export that show them.
    latest: Any = None

    @property
    def unit_roles(self) -> set[str]:
        return {role for role, _group in self.unit_assignments}

    @property
    def assigned_as(self) -> list[str]:
        """``Responsible unit via 各镇（街道）``: what the unit page shows per task."""
        labels = []
        for role, group in self.unit_assignments:
            label = str(AssignmentRole(role).label)
            if group:
                label = _("%(role)s via %(group)s") % {"role": label, "group": group}
            labels.append(label)
        return labels

    @property
    def target_lines(self) -> list[str]:
        return [target_summary(t.label, t.op, t.value, t.value_max, t.unit) for t in self.targets]

    def export_cells(self) -> dict[str, str]:
        """The row of the Excel ledger (see duban.exports.ledger_xlsx.COLUMNS); the light and
        the latest report come from the annotators (``annotate_rows``), empty without them."""
        sources = list(dict.fromkeys(t.source for t in self.targets if t.source))
        deadline = self.task.deadline
        area = self.task.area
        latest = self.latest
        progress = ""
        progress_text = ""
        if latest is not None and latest.progress is not None:
            progress = f"{latest.progress}%"
        if latest is not None and latest.progress_text:
            progress_text = f"{latest.progress_period}：{latest.progress_text}"
        return {
            "number": self.task.number,
            "area": f"{chinese_numeral(area.number)}、{area.title}" if area is not None else "",
            "text": self.task.text,
            "targets": "；".join(sources),
            "leaders": "、".join(leader.name for leader in self.leaders),
            "lead_units": "、".join(entry.name for entry in self.lead),
            "responsible_units": "、".join(entry.name for entry in self.responsible),
            "deadline": format_cn_date(deadline) if deadline else "",
            "status": str(self.task.get_status_display()),
            "light": str(self.light.label) if self.light is not None else "",
            "progress": progress,
            "progress_text": progress_text,
        }


def entry_for(assignment: Assignment, directory: Directory) -> Entry:
    if assignment.unit_id is not None:
        return Entry(name=assignment.name, unit_id=assignment.unit_id)
    group = assignment.group
    assert group is not None  # the model's check constraint: a unit or a group
    return Entry(
        name=group.name,
        group_id=group.pk,
        members=tuple((unit.pk, unit.name) for unit in directory.expansion(group.pk)),
        is_open=group.is_open,
        open_label=str(group.get_expansion_display()),
    )


# What apps above the ledger add to its rows (the lights add each task's light): each is called
# with a page of rows, in one batch, by the pages and exports that show them.
RowAnnotator = Callable[[list["TaskRow"]], object]
_annotators: list[RowAnnotator] = []


def register_row_annotator(annotator: RowAnnotator) -> None:
    if annotator not in _annotators:
        _annotators.append(annotator)


def annotate_rows(rows: list[TaskRow]) -> list[TaskRow]:
    for annotator in _annotators:
        annotator(rows)
    return rows


def build_rows(
    tasks: Iterable[Task],
    directory: Directory,
    *,
    unit_id: int | None = None,
    area_headings: bool = False,
) -> list[TaskRow]:
    """One row per task; with ``unit_id``, say how that unit is assigned to each task (one more
    query then: the placeholders behind which the lead unit named it)."""
    tasks = list(tasks)
    covering = set(directory.covering_groups(unit_id)) if unit_id else set()
    if unit_id:
        # Named behind an open placeholder (相关镇（街道） → 缑氏镇): duban.directory.reach.
        covering_slots = set(
            Assignment.objects.filter(
                task__in=[task.pk for task in tasks], slot_units__unit_id=unit_id
            ).values_list("pk", flat=True)
        )
    rows: list[TaskRow] = []
    previous_area: int | None = -1
    for task in tasks:
        assignments = list(task.assignments.all())
        row = TaskRow(
            task=task,
            leaders=[link.leader for link in task.task_leaders.all()],
            lead=[entry_for(a, directory) for a in assignments if a.role == AssignmentRole.LEAD],
            responsible=[
                entry_for(a, directory) for a in assignments if a.role == AssignmentRole.RESPONSIBLE
            ],
            targets=list(task.targets.all()),
        )
        if unit_id:
            row.unit_assignments = _unit_assignments(assignments, unit_id, covering, covering_slots)
        if area_headings and task.area_id != previous_area and task.area is not None:
            row.area_heading = task.area
        previous_area = task.area_id
        rows.append(row)
    return rows


def _unit_assignments(
    assignments: list[Assignment], unit_id: int, covering: set[int], slots: set[int]
) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for assignment in assignments:
        if assignment.unit_id == unit_id:
            found.append((assignment.role, None))
        elif (assignment.group_id in covering or assignment.pk in slots) and assignment.group:
            found.append((assignment.role, assignment.group.name))
    return list(dict.fromkeys(found))
