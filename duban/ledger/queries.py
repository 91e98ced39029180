"""Finding, sorting and counting a plan's tasks: one implementation for pages and exports.

The ledger page, the leader and unit pages and the Excel export all call these functions, so
a filter that finds a task on screen finds the same task in the spreadsheet. Every function
here costs a fixed number of queries whatever the number of tasks: offices look at ledgers of
a hundred to a thousand tasks, often on slow intranet servers.

Unit filters are "smart": a notice often names a placeholder group (各镇（街道）) instead of
the thirteen towns and streets, and a town looking for its work must find those tasks too.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from duban.directory.models import Group, GroupExpansion, Unit
from duban.directory.reach import UnitRef

from .facets import FacetValues, task_facet, task_facets
from .models import (
    Assignment,
    AssignmentRole,
    Plan,
    Target,
    Task,
    TaskLeader,
    TaskStatus,
    reaches,
)

PAGE_SIZE = 50


# --- The directory as the ledger needs it ------------------------------------------------------


@dataclass
class Directory:
    """Units and groups held in memory for one request, with who each group stands for.

    Loading them costs three queries; after that, expanding a group or finding the groups that
    cover a unit is free, which keeps filters, counts and hover titles independent of the
    number of tasks.
    """

    units: dict[int, Unit] = field(default_factory=dict)
    groups: dict[int, Group] = field(default_factory=dict)
    _expansions: dict[int, tuple[int, ...]] = field(default_factory=dict)
    _covering: dict[int, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Directory:
        # Group.expansion_filter() is the one definition of what a kind of group stands for.
        # Those that only look at the unit's own columns (townships, streets, towns) become
        # boolean columns of the unit query; member lists come from the membership table,
        # which is exactly what Q(groups=group) means.
        kind_rules: dict[str, Q] = {}
        for expansion in GroupExpansion:
            if expansion in (GroupExpansion.MEMBERS, GroupExpansion.OPEN):
                continue
            condition = Group(expansion=expansion).expansion_filter()
            if condition is not None:
                kind_rules[expansion.value] = condition
        annotations = {
            f"_in_{name}": ExpressionWrapper(condition, output_field=BooleanField())
            for name, condition in kind_rules.items()
        }
        directory = cls()
        unit_kinds: dict[int, set[str]] = {}
        for unit in Unit.objects.annotate(**annotations):
            directory.units[unit.pk] = unit
            unit_kinds[unit.pk] = {name for name in kind_rules if getattr(unit, f"_in_{name}")}
        members: dict[int, list[int]] = defaultdict(list)
        for group_id, unit_id in Group.members.through.objects.values_list("group_id", "unit_id"):
            members[group_id].append(unit_id)
        covering: dict[int, list[int]] = defaultdict(list)
        for group in Group.objects.all():
            directory.groups[group.pk] = group
            if group.expansion == GroupExpansion.MEMBERS:
                member_ids = set(members[group.pk])
                unit_ids = [pk for pk in directory.units if pk in member_ids]
            else:
                unit_ids = [pk for pk, kinds in unit_kinds.items() if group.expansion in kinds]
            # Official order: by division code (streets, then towns), then by name.
            unit_ids.sort(key=lambda pk: _official_order(directory.units[pk]))
            directory._expansions[group.pk] = tuple(unit_ids)
            for unit_id in unit_ids:
                covering[unit_id].append(group.pk)
        directory._covering = {pk: tuple(ids) for pk, ids in covering.items()}
        return directory

    def expansion(self, group_id: int) -> list[Unit]:
        """The units a group stands for, in directory order; none for an open slot."""
        return [self.units[pk] for pk in self._expansions.get(group_id, ())]

    def covering_groups(self, unit_id: int) -> tuple[int, ...]:
        """The groups that stand for this unit (各镇（街道） for a town), never open slots."""
        return self._covering.get(unit_id, ())


def _official_order(unit: Unit) -> tuple[bool, str, str]:
    return (not unit.code, unit.code, unit.name)


# --- Filters -----------------------------------------------------------------------------------


def _int_or_none(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number > 0 else None


@dataclass(frozen=True)
class TaskFilter:
    """What a person asked for in the query string; unknown or malformed values are dropped."""

    area: int | None = None
    leader: int | None = None
    lead: int | None = None
    responsible: int | None = None
    status: str = ""
    q: str = ""
    # The filters apps above the ledger register (duban.ledger.facets): (name, value) pairs.
    facets: tuple[tuple[str, str], ...] = ()

    NAMES = ("area", "leader", "lead", "responsible", "status", "q", "facets")

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> TaskFilter:
        status = str(params.get("status") or "")
        chosen = []
        for facet in task_facets():
            value = str(params.get(facet.name) or "")
            if facet.accepts(value):
                chosen.append((facet.name, value))
        return cls(
            area=_int_or_none(params.get("area")),
            leader=_int_or_none(params.get("leader")),
            lead=_int_or_none(params.get("lead")),
            responsible=_int_or_none(params.get("responsible")),
            status=status if status in TaskStatus.values else "",
            q=" ".join(str(params.get("q") or "").split())[:200],
            facets=tuple(chosen),
        )

    def facet(self, name: str) -> str:
        """The value chosen for a registered filter, "" when none."""
        return dict(self.facets).get(name, "")

    @property
    def chosen_facets(self) -> list[str]:
        """The names of the registered filters chosen (read even when they are not listed)."""
        return [name for name, _value in self.facets]

    def without(self, name: str) -> TaskFilter:
        """The same filter but for one field (or one registered filter), for counting that
        field's options."""
        if task_facet(name) is not None:
            return dataclasses.replace(
                self, facets=tuple(pair for pair in self.facets if pair[0] != name)
            )
        cleared: dict[str, Any] = {name: "" if name in ("status", "q") else None}
        return dataclasses.replace(self, **cleared)

    def restricted(
        self, area_ids: Iterable[int], leader_ids: Iterable[int], unit_ids: Iterable[int]
    ) -> TaskFilter:
        """Drop choices that name nothing in this plan or directory (an area of another plan)."""
        areas, leaders, units = set(area_ids), set(leader_ids), set(unit_ids)
        return dataclasses.replace(
            self,
            area=self.area if self.area in areas else None,
            leader=self.leader if self.leader in leaders else None,
            lead=self.lead if self.lead in units else None,
            responsible=self.responsible if self.responsible in units else None,
        )

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in self.NAMES)


def plan_tasks(plan: Plan, within: QuerySet[Task] | None = None) -> QuerySet[Task]:
    """The plan's tasks, among ``within`` (what a user may see) when given."""
    return (Task.objects.all() if within is None else within).filter(plan=plan)


def filter_tasks(
    plan: Plan,
    task_filter: TaskFilter,
    directory: Directory,
    within: QuerySet[Task] | None = None,
    values: FacetValues | None = None,
    user: Any = None,
) -> QuerySet[Task]:
    """The plan's tasks that match; ``within`` narrows them first (to what ``user`` may see).

    A registered filter (the light) narrows by the tasks' ``values`` (``FacetValues.read``
    over the same tasks, as ``user`` sees them; read here when not given)."""
    tasks = plan_tasks(plan, within)
    if task_filter.facets:
        if values is None:
            values = FacetValues.read(tasks, task_filter.chosen_facets, user)
        for name, value in task_filter.facets:
            tasks = tasks.filter(pk__in=values.ids(name, value))
    if task_filter.area:
        tasks = tasks.filter(area_id=task_filter.area)
    if task_filter.leader:
        tasks = tasks.filter(
            Exists(TaskLeader.objects.filter(task=OuterRef("pk"), leader_id=task_filter.leader))
        )
    for unit_id, role in (
        (task_filter.lead, AssignmentRole.LEAD),
        (task_filter.responsible, AssignmentRole.RESPONSIBLE),
    ):
        if unit_id:
            unit = directory.units.get(unit_id)
            tasks = tasks.filter(reaches(UnitRef.of(unit), role)) if unit else tasks.none()
    if task_filter.status:
        tasks = tasks.filter(status=task_filter.status)
    for term in task_filter.q.split():
        tasks = tasks.filter(
            Q(text__icontains=term)
            | Q(number__iexact=term)
            | Exists(Target.objects.filter(task=OuterRef("pk"), source__icontains=term))
        )
    return tasks


# --- Sorting -----------------------------------------------------------------------------------

SORT_KEYS = ("number", "area", "lead", "status", "deadline")
DEFAULT_SORT = "number"

# What needs attention first: lagging, then not started, in progress, completed.
STATUS_RANK = (TaskStatus.LAGGING, TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE)


def parse_sort(value: str | None) -> tuple[str, bool]:
    """``"-deadline"`` → ("deadline", descending); anything unknown → the notice's order."""
    value = value or ""
    descending = value.startswith("-")
    key = value.removeprefix("-")
    if key not in SORT_KEYS:
        return DEFAULT_SORT, False
    return key, descending


def sort_tasks(tasks: QuerySet[Task], key: str, descending: bool) -> QuerySet[Task]:
    """Order by one column, then always by the notice's order so pages never shuffle."""
    if key == "area":
        expression: Any = F("area__number")
    elif key == "lead":
        # Sorted by the first lead unit's short name as written; SQLite compares code points,
        # so this groups a unit's tasks together rather than sorting by pinyin.
        first_lead = (
            Assignment.objects.filter(task=OuterRef("pk"), role=AssignmentRole.LEAD)
            .order_by("position")
            .annotate(lead_name=Coalesce("unit__name", "group__name"))
            .values("lead_name")[:1]
        )
        tasks = tasks.annotate(first_lead=Subquery(first_lead))
        expression = F("first_lead")
    elif key == "status":
        tasks = tasks.annotate(
            status_rank=Case(
                *(When(status=status, then=Value(rank)) for rank, status in enumerate(STATUS_RANK)),
                default=Value(len(STATUS_RANK)),
                output_field=IntegerField(),
            )
        )
        expression = F("status_rank")
    elif key == "deadline":
        expression = F("deadline")
    else:
        expression = F("position")
    order = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return tasks.order_by(order, "position", "pk")


def with_details(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Everything a ledger row shows, in four queries however many tasks there are."""
    return tasks.select_related("area").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("unit", "group").order_by(
                "role", "position"
            ),
        ),
        Prefetch(
            "task_leaders",
            queryset=TaskLeader.objects.select_related("leader").order_by("position"),
        ),
        Prefetch("targets", queryset=Target.objects.order_by("position")),
    )


# --- Counts per filter option ------------------------------------------------------------------


@dataclass
class Facets:
    """How many tasks each option of each filter would find, given the other filters.

    Each filter is counted under all the *other* current filters (not its own), so the numbers
    say what choosing that option would show; choosing a responsible unit does not turn every
    other unit's count into zero.
    """

    areas: dict[int | None, int]
    leaders: dict[int, int]
    lead: dict[int, int]
    responsible: dict[int, int]
    statuses: dict[str, int]
    # The registered filters' counts: {name: {value: count}} (duban.ledger.facets).
    extra: dict[str, dict[str, int]] = field(default_factory=dict)


def task_units(tasks: QuerySet[Task], role: str, directory: Directory) -> dict[int, set[int]]:
    """``{unit id: {task ids}}``: the tasks that reach each unit in ``role`` (one query); the
    units a task reaches are those of ``duban.directory.reach``: named, through a group that
    stands for them, or named behind an open placeholder (``slot_units``)."""
    rows = (
        Assignment.objects.filter(task__in=tasks.values("pk"), role=role)
        .order_by()
        .values_list("task_id", "unit_id", "group_id", "slot_units__unit_id")
    )
    found: dict[int, set[int]] = defaultdict(set)
    for task_id, unit_id, group_id, slot_unit_id in rows:
        if unit_id is not None:
            found[unit_id].add(task_id)
        else:
            for unit in directory.expansion(group_id):
                found[unit.pk].add(task_id)
        if slot_unit_id is not None:
            found[slot_unit_id].add(task_id)
    return dict(found)


def _unit_counts(tasks: QuerySet[Task], role: str, directory: Directory) -> dict[int, int]:
    """Tasks per unit, counting those reached through groups once per unit (one query)."""
    return {unit_id: len(ids) for unit_id, ids in task_units(tasks, role, directory).items()}


def count_facets(
    plan: Plan,
    task_filter: TaskFilter,
    directory: Directory,
    within: QuerySet[Task] | None = None,
    values: FacetValues | None = None,
    user: Any = None,
) -> Facets:
    """Counts among ``within`` (the tasks ``user`` may see) when given, else all the plan's;
    ``values``: the registered filters' values of those tasks (read here when not given)."""
    facets = [f for f in task_facets() if f.listed or task_filter.facet(f.name)]
    if values is None and facets:
        values = FacetValues.read(plan_tasks(plan, within), task_filter.chosen_facets, user)

    def base(name: str) -> QuerySet[Task]:
        return filter_tasks(
            plan, task_filter.without(name), directory, within, values, user
        ).order_by()

    extra: dict[str, dict[str, int]] = {}
    for facet in facets:
        assert values is not None
        ids = base(facet.name).values_list("pk", flat=True)
        extra[facet.name] = values.count(facet.name, ids)

    areas = {
        row["area_id"]: row["n"] for row in base("area").values("area_id").annotate(n=Count("pk"))
    }
    leaders = {
        row["leader_id"]: row["n"]
        for row in TaskLeader.objects.filter(task__in=base("leader").values("pk"))
        .order_by()
        .values("leader_id")
        .annotate(n=Count("task_id", distinct=True))
    }
    statuses = {
        row["status"]: row["n"] for row in base("status").values("status").annotate(n=Count("pk"))
    }
    return Facets(
        areas=areas,
        leaders=leaders,
        lead=_unit_counts(base("lead"), AssignmentRole.LEAD, directory),
        responsible=_unit_counts(base("responsible"), AssignmentRole.RESPONSIBLE, directory),
        statuses=statuses,
        extra=extra,
    )


# --- Plans -------------------------------------------------------------------------------------


def choose_plan(plan_param: str | None) -> tuple[Plan | None, list[Plan]]:
    """The plan asked for, else the newest (by year, then the latest imported); all plans.

    None when an explicitly requested plan does not exist (a stale link), or there is no plan.
    """
    plans = list(Plan.objects.order_by("-year", "-pk"))
    if plan_param:
        wanted = _int_or_none(plan_param)
        return next((plan for plan in plans if plan.pk == wanted), None), plans
    return (plans[0] if plans else None), plans
