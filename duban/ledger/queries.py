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
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from duban.directory.models import Group, GroupExpansion, Unit
from duban.directory.reach import UnitRef

from .facets import FacetValues, task_facet, task_facets
from .memo import TrailCache
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
from .sql import GroupConcat, grouped_counts, grouped_lists

# How many tasks a page of the ledger shows: ``?page_size=100``; ``all`` shows every task up to
# MAX_PAGE_SIZE a page (more than that goes on in pages of that size, and the page says so).
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
PAGE_SIZES = {"50": PAGE_SIZE, "100": 100, "all": MAX_PAGE_SIZE}


def parse_page_size(value: str | None) -> tuple[str, int]:
    """``"100"`` → ("100", 100), ``"all"`` → ("all", 200); the default (50) and anything
    unknown → ("", 50): the default stays out of shared URLs."""
    value = value or ""
    if value in PAGE_SIZES and value != str(PAGE_SIZE):
        return value, PAGE_SIZES[value]
    return "", PAGE_SIZE


# --- The directory as the ledger needs it ------------------------------------------------------


@dataclass
class Directory:
    """Units and groups held in memory for one request, with who each group stands for.

    Loading them costs two queries; after that, expanding a group or finding the groups that
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
        # The groups with their members, one row per member (one query).
        members: dict[int, list[int]] = defaultdict(list)
        for pk, name, key, stands_for, member in Group.objects.order_by("name").values_list(
            "pk", "name", "key", "expansion", "members"
        ):
            if pk not in directory.groups:
                group = Group(pk=pk, name=name, key=key, expansion=stands_for)
                group._state.adding, group._state.db = False, Group.objects.db
                directory.groups[pk] = group
            if member is not None:
                members[pk].append(member)
        covering: dict[int, list[int]] = defaultdict(list)
        for group in directory.groups.values():
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

    @classmethod
    def kept(cls) -> Directory:
        """The directory as ``load`` reads it, kept while the audit trail has not moved
        (``memo.TrailCache``: units and groups are audited, the groups' members fingerprinted):
        no query on most pages. Shared by the requests: read it, never change it."""
        return _KEPT_DIRECTORY.get("directory", cls.load)

    def expansion(self, group_id: int) -> list[Unit]:
        """The units a group stands for, in directory order; none for an open slot."""
        return [self.units[pk] for pk in self._expansions.get(group_id, ())]

    def covering_groups(self, unit_id: int) -> tuple[int, ...]:
        """The groups that stand for this unit (各镇（街道） for a town), never open slots."""
        return self._covering.get(unit_id, ())


# Units and groups are audited (``directory.*``), the groups' members fingerprinted: a change of
# anything else (a report, a light) leaves the directory as it was read.
_KEPT_DIRECTORY: TrailCache[Directory] = TrailCache(max_age=300, size=1, moved_by=("directory.",))


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
            values = FacetValues.read(tasks, task_filter.chosen_facets, user, plan)
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

    def found(self, task_filter: TaskFilter) -> int:
        """How many tasks the filter finds: those of its status among the statuses counted
        under the other filters (every task has a status)."""
        if task_filter.status:
            return self.statuses.get(task_filter.status, 0)
        return sum(self.statuses.values())


class _Element(Func):
    """``'u' || unit || 'g' || group || ':' || slot unit``, each empty when NULL: what one
    assignment names (as text the same on SQLite and PostgreSQL; cheaper to compile than
    ``Concat`` of ``Cast``s)."""

    output_field = CharField()

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, found = compiler.compile(expression)
            parts.append(f"COALESCE(CAST({sql} AS TEXT), '')")
            params.extend(found)
        unit, group, slot = parts
        return f"('u' || {unit} || 'g' || {group} || ':' || {slot})", params


def _signatures(role: str, tasks: QuerySet[Task]) -> QuerySet[Any]:
    """One row per task of ``tasks`` that names anyone in ``role``: ``(role, signature)``, the
    signature listing what the task names in that role (``_reached`` reads it)."""
    element = _Element("unit_id", "group_id", "slot_units__unit_id")
    return (
        Assignment.objects.filter(role=role, task__in=tasks.values("pk"))
        .order_by()
        .values("task_id")
        .annotate(kind=Value(role, output_field=CharField()), key=GroupConcat(element))
        .values("kind", "key")
    )


def tasks_by_leader_and_unit(
    tasks: QuerySet[Task], roles: Iterable[str], directory: Directory
) -> dict[str, list[Any]]:
    """The ids of ``tasks`` grouped by the database, in one query:

    - ``["leader"]``: ``(leader id, name, [task ids])`` for each leader of some task;
    - ``[role]`` for each of ``roles``: ``({units reached}, [task ids])`` for each combination
      of what tasks name in that role (a signature: units, groups, placeholders' units), the
      units reached as ``count_facets`` counts them. Every task that names anyone in the role
      is in exactly one combination.

    The cockpit counts each leader's and unit's tasks by light this way, without a row per
    assignment."""
    parts = [
        TaskLeader.objects.filter(task__in=tasks.order_by().values("pk"))
        .order_by()
        .values(
            kind=Value("leader", output_field=CharField()),
            key=Cast("leader_id", CharField()),
            name=F("leader__name"),
            listed=F("task_id"),
        )
        .distinct(),
        *(
            _signatures(role, tasks).values(
                "kind", "key", name=Value(None, output_field=CharField()), listed=F("task_id")
            )
            for role in roles
        ),
    ]
    found: dict[str, list[Any]] = {"leader": [], **{role: [] for role in roles}}
    union = parts[0].union(*parts[1:], all=True)
    for kind, key, name, ids in grouped_lists(union, ("kind", "key", "name"), "listed"):
        if kind == "leader":
            found[kind].append((int(key), name, ids))
        else:
            found[kind].append((_reached(key or "", directory), ids))
    return found


def _reached(signature: str, directory: Directory) -> set[int]:
    """The units a signature reaches: ``u12g:`` names unit 12, ``ug5:`` group 5 (the units it
    stands for), ``ug7:31`` unit 31 behind placeholder 7."""
    reached: set[int] = set()
    for element in signature.split(","):
        unit, _g, rest = element[1:].partition("g")
        group, _colon, slot = rest.partition(":")
        if unit:
            reached.add(int(unit))
        elif group:
            reached.update(directory._expansions.get(int(group), ()))
        if slot:
            reached.add(int(slot))
    return reached


def _keyed(tasks: QuerySet[Any], kind: str, key: Any) -> QuerySet[Any]:
    return tasks.order_by().values(
        kind=Value(kind, output_field=CharField()), key=Cast(key, CharField())
    )


@dataclass(frozen=True)
class FacetRows:
    """What ``count_facets`` reads from the database: each filter's rows under the other
    filters, ``(kind, key) → count``, and for each registered filter (the light) the ids of
    the tasks it would count. Only ledger and directory data: kept until those change
    (``views.tasks``) when no registered filter is chosen."""

    counted: dict[str, dict[Any, int]]
    ids: dict[str, tuple[int, ...]]


def count_facets(
    plan: Plan,
    task_filter: TaskFilter,
    directory: Directory,
    within: QuerySet[Task] | None = None,
    values: FacetValues | None = None,
    user: Any = None,
) -> Facets:
    """Counts among ``within`` (the tasks ``user`` may see) when given, else all the plan's;
    ``values``: the registered filters' values of those tasks (read here when not given).

    ONE query whatever the number of tasks, counted by the database (``facet_rows``), then the
    registered filters' values counted in Python (``finish_facets``)."""
    facets = listed_facets(task_filter)
    if values is None and facets:
        values = FacetValues.read(plan_tasks(plan, within), task_filter.chosen_facets, user, plan)
    rows = facet_rows(plan, task_filter, directory, within, values, user)
    return finish_facets(rows, task_filter, directory, values)


def listed_facets(task_filter: TaskFilter) -> list[Any]:
    """The registered filters counted on the page: those listed and the chosen ones."""
    return [f for f in task_facets() if f.listed or task_filter.facet(f.name)]


def facet_rows(
    plan: Plan,
    task_filter: TaskFilter,
    directory: Directory,
    within: QuerySet[Task] | None = None,
    values: FacetValues | None = None,
    user: Any = None,
) -> FacetRows:
    """ONE query: each filter's rows under the other filters, ``(kind, key)`` — an area, a
    leader, a status, a task's signature of the units it names in a role — grouped and counted
    together, and the ids of the tasks each registered filter would count (its values are no
    column). A lead or responsible unit's count adds up the signatures that reach it
    (``finish_facets``): a plan has far fewer signatures than tasks (the seed's 98 tasks have
    about 90, repeated to 20,000 tasks still as many)."""

    def base(name: str) -> QuerySet[Task]:
        return filter_tasks(plan, task_filter.without(name), directory, within, values, user)

    facets = listed_facets(task_filter)
    parts = [
        _keyed(base("area"), "area", "area_id"),
        _keyed(base("status"), "status", "status"),
        _keyed(
            TaskLeader.objects.filter(task__in=base("leader").values("pk")), "leader", "leader_id"
        ),
        _signatures(AssignmentRole.LEAD, base("lead")),
        _signatures(AssignmentRole.RESPONSIBLE, base("responsible")),
        *(_keyed(base(facet.name), f"facet:{facet.name}", "pk") for facet in facets),
    ]
    counted: dict[str, dict[Any, int]] = defaultdict(dict)
    for kind, key, found in grouped_counts(parts[0].union(*parts[1:], all=True), "kind", "key"):
        counted[kind][key] = found
    ids = {
        facet.name: tuple(int(pk) for pk in counted.pop(f"facet:{facet.name}", {}))
        for facet in facets
    }
    return FacetRows(counted=dict(counted), ids=ids)


def finish_facets(
    rows: FacetRows, task_filter: TaskFilter, directory: Directory, values: FacetValues | None
) -> Facets:
    """The counts from ``facet_rows``: the units reached by each signature, and the registered
    filters' values of the tasks they count (current: read from ``values`` now)."""
    counted = rows.counted
    units: dict[str, dict[int, int]] = {}
    for role in (AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE):
        reached: dict[int, int] = defaultdict(int)
        for signature, found in counted.get(role, {}).items():
            for unit_id in _reached(signature or "", directory):
                reached[unit_id] += found
        units[role] = dict(reached)
    extra: dict[str, dict[str, int]] = {}
    for facet in listed_facets(task_filter):
        assert values is not None
        extra[facet.name] = values.count(facet.name, rows.ids.get(facet.name, ()))
    return Facets(
        areas={_id(key): found for key, found in counted.get("area", {}).items()},
        leaders={int(key): found for key, found in counted.get("leader", {}).items()},
        lead=units[AssignmentRole.LEAD],
        responsible=units[AssignmentRole.RESPONSIBLE],
        statuses=dict(counted.get("status", {})),
        extra=extra,
    )


def _id(key: str | None) -> int | None:
    return int(key) if key is not None else None


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
