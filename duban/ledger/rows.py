"""Ledger rows as people read them: units as the notice wrote them, groups with their members.

Built from tasks fetched with ``queries.with_details`` and a loaded ``Directory``, so turning a
page of tasks into rows costs no query. The HTML table and the Excel export read the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONArray
from django.utils.translation import gettext as _

from duban.core.formatting import format_cn_date
from duban.directory.models import Leader

from .display import chinese_numeral, target_summary
from .models import Area, Assignment, AssignmentRole, Target, TargetOp, Task, TaskLeader
from .queries import Directory
from .sql import JSONList, json_lists

M = TypeVar("M", bound=Model)


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


class ListedTarget(NamedTuple):
    """A target as ``list_rows`` reads it: what a row, the task page and the Excel export show
    of it."""

    label: str
    op: str
    value: float
    value_max: float | None
    unit: str
    source: str

    def get_op_display(self) -> str:
        return str(TargetOp(self.op).label) if self.op in TargetOp.values else self.op


@dataclass
class TaskRow:
    task: Task
    leaders: list[Leader]
    lead: list[Entry]
    responsible: list[Entry]
    targets: Sequence[Target | ListedTarget]
    # Only on a unit's page: how that unit comes to be on the task (role, group or None).
    unit_assignments: list[tuple[str, str | None]] = field(default_factory=list)
    # The area's heading goes above this row (when the table is in the notice's order).
    area_heading: Area | None = None
    # The task's traffic light (duban.lights), set by the pages that show it.
    light: Any = None
    # The task's current report and latest progress (duban.reporting.services.latest.Latest),
    # set by the pages and the export that show them.
    latest: Any = None
    # What ``list_rows`` read of the task (assignments, leaders, targets), for ``attach_details``.
    details: tuple[list[Any], list[Any], list[Any]] | None = field(default=None, repr=False)

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


class PageRows(list[TaskRow]):
    """A page's rows as the ledger keeps them between requests (``views.tasks``), with the
    table body each was written as (``render.table_rows``), per column set: a page asked
    again while nothing has changed is neither read nor written again."""

    def __init__(self, rows: Iterable[TaskRow]) -> None:
        super().__init__(rows)
        self.written: dict[bool, Any] = {}  # show_assigned → the SafeString of the body


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


# What ``list_rows`` reads of a task: its row's cells (not when it was created or changed).
LISTED_FIELDS = ("plan_id", "area_id", "position", "number", "text", "deadline", "status")


def list_rows(
    tasks: QuerySet[Task],
    directory: Directory,
    leaders: Mapping[int, Leader] | None = None,
    *,
    areas: Mapping[int, Area] | None = None,
    unit_id: int | None = None,
    area_headings: bool = False,
) -> list[TaskRow]:
    """The rows of a page of tasks, as ``build_rows`` gives them, in ONE query however many
    tasks: each task comes with its assignments, leaders and targets as JSON lists
    (``sql.JSONList``, all read with one ``json.loads``), turned into rows with what the page
    has loaded anyway: the ``directory``, the ``leaders`` (by id; read with the rows when not
    given) and the plan's ``areas`` (by id; read with the tasks when not given). With
    ``unit_id``, one more query (as ``build_rows``).

    The list pages (the ledger, a leader's, a unit's) read their rows this way: building model
    instances for the assignments, units, leaders and targets of a page cost more than
    everything else the page did."""
    tasks = tasks.only(*LISTED_FIELDS) if areas is not None else tasks.select_related("area")
    leaders = leaders or {}
    found = list(
        tasks.annotate(
            _assignments=_json_list(
                Assignment.objects.filter(task=OuterRef("pk")),
                "pk",
                "role",
                "position",
                "unit_id",
                "group_id",
            ),
            _leaders=_json_list(
                TaskLeader.objects.filter(task=OuterRef("pk")),
                "position",
                "leader_id",
                "leader__name",
                "leader__title",
            ),
            _targets=_json_list(
                Target.objects.filter(task=OuterRef("pk")),
                "position",
                "label",
                "op",
                "value",
                "value_max",
                "unit",
                "source",
                "pk",
            ),
        )
    )
    decoded = json_lists(
        [text for task in found for text in (task._assignments, task._leaders, task._targets)]
    )
    details = [decoded[index : index + 3] for index in range(0, len(decoded), 3)]
    if areas is not None:
        for task in found:
            if task.area_id is not None and task.area_id in areas:
                Task.area.field.set_cached_value(task, areas[task.area_id])
    covering = set(directory.covering_groups(unit_id)) if unit_id else set()
    covering_slots: set[int] = set()
    if unit_id:
        covering_slots = set(
            Assignment.objects.filter(
                task__in=[task.pk for task in found], slot_units__unit_id=unit_id
            ).values_list("pk", flat=True)
        )
    entries: dict[tuple[int | None, int | None], Entry] = {}
    known: dict[int, Leader] = {}

    def entry(unit: int | None, group: int | None) -> Entry:
        known = entries.get((unit, group))
        if known is None:
            known = entries[(unit, group)] = _entry(unit, group, directory)
        return known

    rows: list[TaskRow] = []
    previous_area: int | None = -1
    for task, (assigned, led, targets) in zip(found, details, strict=True):
        assignments = sorted(assigned or (), key=_assignment_order)
        row = TaskRow(
            task=task,
            leaders=[
                leaders.get(leader_id) or _leader(known, leader_id, name, title)
                for _position, leader_id, name, title in sorted(led or (), key=_first)
            ],
            lead=[entry(a[3], a[4]) for a in assignments if a[1] == AssignmentRole.LEAD],
            responsible=[
                entry(a[3], a[4]) for a in assignments if a[1] == AssignmentRole.RESPONSIBLE
            ],
            targets=[ListedTarget(*values[1:7]) for values in sorted(targets or (), key=_first)],
            details=(assigned or [], led or [], targets or []),
        )
        if unit_id:
            row.unit_assignments = _unit_roles(
                assignments, unit_id, covering, covering_slots, directory
            )
        if area_headings and task.area_id != previous_area and task.area is not None:
            row.area_heading = task.area
        previous_area = task.area_id
        rows.append(row)
    return rows


def _json_list(rows: QuerySet[Any], *fields: str) -> Subquery:
    """A task's related rows (``rows``: filtered on ``OuterRef("pk")``) as one JSON list of
    ``[field, …]`` lists."""
    return Subquery(
        rows.order_by()
        .values("task")
        .annotate(found=JSONList(JSONArray(*fields)))
        .values("found")[:1]
    )


def attach_details(row: TaskRow, directory: Directory) -> None:
    """Give the row's task its assignments (with their units and groups), leaders and targets
    as ``queries.with_details`` would have prefetched them, from what ``list_rows`` read: the
    panels of the task page (the refinement, the reports) read them without a query."""
    task = row.task
    assert row.details is not None  # a row of ``list_rows``
    assigned, led, targets = row.details
    assignments = []
    for pk, role, position, unit_id, group_id in sorted(assigned, key=_assignment_order):
        assignment = loaded(
            Assignment,
            id=pk,
            task_id=task.pk,
            role=role,
            position=position,
            unit_id=unit_id,
            group_id=group_id,
        )
        Assignment.task.field.set_cached_value(assignment, task)
        Assignment.unit.field.set_cached_value(assignment, directory.units.get(unit_id))
        Assignment.group.field.set_cached_value(assignment, directory.groups.get(group_id))
        assignments.append(assignment)
    links = []
    by_pk = {leader.pk: leader for leader in row.leaders}
    for position, leader_id, _name, _title in sorted(led, key=_first):
        link = loaded(TaskLeader, task_id=task.pk, leader_id=leader_id, position=position)
        TaskLeader.leader.field.set_cached_value(link, by_pk.get(leader_id))
        links.append(link)
    found = []
    for position, label, op, value, value_max, unit, source, pk in sorted(targets, key=_first):
        target = loaded(
            Target,
            id=pk,
            task_id=task.pk,
            position=position,
            label=label,
            op=op,
            value=Decimal(str(value)),
            value_max=Decimal(str(value_max)) if value_max is not None else None,
            unit=unit,
            source=source,
        )
        found.append(target)
    for name, instances in (
        ("assignments", assignments),
        ("task_leaders", links),
        ("targets", found),
    ):
        _prefetched(task, name, instances)
    row.targets = found


def loaded(model: type[M], **values: Any) -> M:
    """An instance of ``model`` with ``values``, as if read from the database (saved: a
    ``save()`` updates it). What a page builds from the rows it read, without a query."""
    instance = model(**values)
    instance._state.adding = False
    instance._state.db = model._default_manager.db
    return instance


def _prefetched(task: Task, name: str, instances: list[Any]) -> None:
    """As ``prefetch_related(name)`` leaves it: ``task.<name>.all()`` is ``instances``."""
    queryset = getattr(task, name).all()
    queryset._result_cache = instances
    queryset._prefetch_done = True
    cache = task.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[name] = queryset


def _leader(known: dict[int, Leader], pk: int, name: str, title: str) -> Leader:
    """A leader of the rows, as read with them (one instance per leader)."""
    if pk not in known:
        known[pk] = loaded(Leader, id=pk, name=name, title=title or "")
    return known[pk]


def _first(values: list[Any]) -> Any:
    return values[0]


def _assignment_order(values: list[Any]) -> tuple[str, int]:
    return (values[1], values[2])  # role, position: as ``with_details`` orders them


def _entry(unit_id: int | None, group_id: int | None, directory: Directory) -> Entry:
    if unit_id is not None:
        unit = directory.units.get(unit_id)
        return Entry(name=unit.name if unit is not None else "", unit_id=unit_id)
    group = directory.groups[group_id] if group_id is not None else None
    if group is None:
        return Entry(name="")
    return Entry(
        name=group.name,
        group_id=group.pk,
        members=tuple((unit.pk, unit.name) for unit in directory.expansion(group.pk)),
        is_open=group.is_open,
        open_label=str(group.get_expansion_display()),
    )


def _unit_roles(
    assignments: list[list[Any]],
    unit_id: int,
    covering: set[int],
    slots: set[int],
    directory: Directory,
) -> list[tuple[str, str | None]]:
    """As ``_unit_assignments``, over the JSON lists of ``list_rows``."""
    found: list[tuple[str, str | None]] = []
    for pk, role, _position, unit, group in assignments:
        if unit == unit_id:
            found.append((role, None))
        elif group is not None and (group in covering or pk in slots):
            found.append((role, directory.groups[group].name))
    return list(dict.fromkeys(found))


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
