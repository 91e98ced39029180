"""The cockpit (领导驾驶舱): the plan in pictures, for whoever reads the ledger without acting
for a unit — the office, leaders, viewers (``opens_cockpit``).

``cockpit_for(user, plan, scope)`` reads the tasks the person may see (``Task.objects.restrict``)
— a leader's own tasks (those she leads) by default, the whole plan as far as she may read it
with ``scope="all"`` — and builds every chart from them (docs/cockpit.md says what each shows
and where its figures come from):

- tasks by light and by status per area (stacked bars);
- the completion rate and the rate of accepted reports per period (a line);
- tasks by light per lead leader, per lead unit, and for the 13 towns and streets (the tasks
  each is responsible for);
- late, returned and missing reports per period;
- the 督办/催办 not closed (by level) and the rectification items not closed (by state);
- the units' scores once the year's assessment may be seen (``current_scores``).

Every figure links to the ledger filtered to exactly its tasks (``charts.Links``; the filters
behind the reports, notices and items are ``duban.dashboards.facets``). Leaders are listed in
name order, never ranked; nothing counts people's time online or their check-ins.
The whole costs a fixed number of queries whatever the number of tasks, and no model instance
per task: lights and report marks are those kept for the plan (``duban.ledger.memo``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, QuerySet, Value
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.permissions import Action, actor
from duban.directory.models import TOWNSHIP_KINDS
from duban.ledger.memo import LEDGER_DATA, TrailCache
from duban.ledger.models import AssignmentRole, Plan, Task, TaskStatus, led_by
from duban.ledger.queries import Directory, tasks_by_leader_and_unit
from duban.lights.rules import Colour
from duban.lights.services import plan_lights

from ..charts import Chart, Links
from ..facets import REPORT_MARKS, opened_periods
from .by_record import open_records_charts, reports_chart, scores_charts, trend_chart
from .by_task import areas_charts, leaders_chart, unit_lights, units_chart

MINE, ALL = "mine", "all"


def opens_cockpit(user: Any) -> bool:
    """The cockpit is for whoever reads the ledger and does not act for a unit (a unit's
    operators have their own page of tasks: the home page)."""
    who = actor(user)
    return who.may(Action.READ_LEDGER) and who.unit_id is None


@dataclass(frozen=True)
class Scope:
    value: str
    label: str
    url: str
    selected: bool


@dataclass(frozen=True)
class Tile:
    label: str
    value: int
    url: str
    tone: str = ""


@dataclass
class Cockpit:
    plan: Plan | None
    plans: list[Plan]
    scope: str = ALL
    scopes: list[Scope] = field(default_factory=list)  # the switch, when there is a choice
    as_of: date | None = None
    tasks: int = 0
    tiles: list[Tile] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "plan": None
            if self.plan is None
            else {"id": self.plan.pk, "title": self.plan.title, "year": self.plan.year},
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "scope": self.scope,
            "tasks": self.tasks,
            "charts": [chart.as_json() for chart in self.charts if not chart.empty],
        }


# Each person's cockpit of a plan, kept while the audit trail has not moved (for at most a
# minute: the dates of open notices and items): looked at again and again between changes.
_KEPT: TrailCache[Cockpit] = TrailCache(max_age=60, size=200)
# What the charts count from, read from the ledger and the directory only (the tasks shown with
# their area and status; the leaders' and units' tasks): kept, per SQL of the tasks a person
# sees, until a task, an assignment or the directory changes — not read again after a report
# or a light, which change only the lights and marks counted over them.
_STRUCTURE: TrailCache[Any] = TrailCache(max_age=300, size=100, moved_by=LEDGER_DATA)


def cockpit_for(
    user: Any, plan: Plan | None, plans: list[Plan], scope: str = "", plan_param: str = ""
) -> Cockpit:
    """Everything the cockpit shows ``user`` of ``plan`` (see the module's docstring); kept
    for the person, plan, scope and language while nothing changes (``TrailCache``)."""
    if plan is None:
        return Cockpit(plan, plans, as_of=clock.today())
    # The person as the rules see her (her rights may change without an event of the trail).
    key = (actor(user), plan.pk, tuple(p.pk for p in plans), scope, plan_param, get_language())
    return _KEPT.get(key, lambda: _cockpit_for(user, plan, plans, scope, plan_param))


def _cockpit_for(
    user: Any, plan: Plan | None, plans: list[Plan], scope: str = "", plan_param: str = ""
) -> Cockpit:
    cockpit = Cockpit(plan, plans, as_of=clock.today())
    if plan is None:
        return cockpit
    who = actor(user)
    visible = Task.objects.restrict(user).filter(plan=plan)
    mine = visible.filter(led_by(who.leader_id)) if who.leader_id is not None else None
    cockpit.scope = scope if mine is not None and scope in (MINE, ALL) else ""
    if not cockpit.scope:
        cockpit.scope = MINE if mine is not None else ALL
    chosen = mine if cockpit.scope == MINE and mine is not None else visible
    # The tasks she may see, each with whether she leads it: both scopes' counts at once.
    leads = led_by(who.leader_id) if who.leader_id is not None else Value(False)
    listed = (
        visible.order_by()
        .annotate(_leads=ExpressionWrapper(leads, output_field=BooleanField()))
        .values_list("pk", "area_id", "status", "_leads")
    )
    seen = _STRUCTURE.get(("tasks", str(listed.query)), lambda: list(listed))
    if mine is not None and any(not leads_it for *_rest, leads_it in seen):
        cockpit.scopes = [
            Scope(value, label, f"?{_query(plan_param, value)}", value == cockpit.scope)
            for value, label in ((MINE, _("The tasks I lead")), (ALL, _("The whole plan")))
        ]
    rows = [
        (pk, area_id, status)
        for pk, area_id, status, leads_it in seen
        if leads_it or chosen is visible
    ]
    links = Links({"plan": plan_param, "leader": who.leader_id if cockpit.scope == MINE else None})
    _build(cockpit, user, plan, chosen, rows, links)
    return cockpit


def _query(plan_param: str, scope: str) -> str:
    return f"plan={plan_param}&scope={scope}" if plan_param else f"scope={scope}"


def _build(
    cockpit: Cockpit,
    user: Any,
    plan: Plan,
    chosen: QuerySet[Task],
    rows: Sequence[tuple[int, int | None, str]],
    links: Links,
) -> None:
    """Every chart, in a fixed number of queries and without a model instance per task: the
    ``rows`` of the tasks shown (id, area, status), their lights and report marks as kept
    for the plan (``plan_lights``, ``REPORT_MARKS``: a look at the audit trail), the leaders'
    and the units' tasks grouped by the database (``signature_tasks``), the open notices and
    items, the scores. A plan of 20,000 tasks is counted in Python once per task, not once
    per assignment."""
    today = cockpit.as_of or clock.today()
    kept = plan_lights(plan.pk, today)
    none = Colour.NONE
    lights = {pk: kept[pk].colour if pk in kept else none for pk, _a, _s in rows}
    cockpit.tasks = len(rows)
    colour_count = Counter(lights.values())
    cockpit.tiles = [
        Tile(_("Tasks"), len(rows), links.ledger()),
        Tile(
            _("Completed"),
            sum(1 for _pk, _area, status in rows if status == TaskStatus.DONE),
            links.ledger(status=TaskStatus.DONE),
            "green",
        ),
        Tile(_("Red light"), colour_count[Colour.RED], links.ledger(light="red"), "red"),
        Tile(
            _("Yellow light"), colour_count[Colour.YELLOW], links.ledger(light="yellow"), "yellow"
        ),
    ]
    directory = Directory.kept()
    # The leaders' and the units' tasks, grouped by the database (one query).
    roles = (AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE)
    grouped = _STRUCTURE.get(
        ("grouped", str(chosen.values("pk").query)),
        lambda: tasks_by_leader_and_unit(chosen, roles, directory),
    )
    periods = opened_periods([plan.pk])
    marks = REPORT_MARKS.values(plan.pk, today)
    mark_counts = Counter(mark for pk in lights for mark in marks.get(pk, ()))
    cockpit.charts = [
        *areas_charts(plan, rows, lights, links),
        trend_chart(periods, mark_counts, len(rows), links),
        leaders_chart(grouped["leader"], lights, links, links.base.get("leader")),
        units_chart(
            "lead_units",
            _("Tasks by light per lead unit"),
            _("Lead unit"),
            _("Each task counts once for each of its lead units."),
            unit_lights(grouped[AssignmentRole.LEAD], lights),
            directory.units,
            links,
            "lead",
            lambda unit: True,
        ),
        units_chart(
            "townships",
            _("The towns and streets side by side"),
            _("Town or street"),
            _(
                "The tasks each town or street is responsible for, named or through a group "
                "such as 各镇（街道）, by light."
            ),
            unit_lights(grouped[AssignmentRole.RESPONSIBLE], lights),
            directory.units,
            links,
            "responsible",
            lambda unit: unit.kind in TOWNSHIP_KINDS and unit.active,
            keep_empty=True,
        ),
        reports_chart(periods, mark_counts, links),
        *open_records_charts(user, chosen, today, links),
        *scores_charts(user, plan, links),
    ]
