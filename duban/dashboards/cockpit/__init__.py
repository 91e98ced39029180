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
The whole costs a fixed number of queries whatever the number of tasks.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.permissions import Action, actor
from duban.directory.models import TOWNSHIP_KINDS
from duban.ledger.models import AssignmentRole, Plan, Task, TaskStatus, led_by
from duban.ledger.queries import Directory, task_units
from duban.lights.rules import Colour
from duban.lights.services import lights_for

from ..charts import Chart, Links
from ..facets import opened_periods, report_marks
from .by_record import items_chart, notices_chart, reports_chart, scores_charts, trend_chart
from .by_task import areas_charts, leaders_chart, units_chart

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


def cockpit_for(
    user: Any, plan: Plan | None, plans: list[Plan], scope: str = "", plan_param: str = ""
) -> Cockpit:
    """Everything the cockpit shows ``user`` of ``plan`` (see the module's docstring)."""
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
    if mine is not None and visible.count() != mine.count():
        cockpit.scopes = [
            Scope(value, label, f"?{_query(plan_param, value)}", value == cockpit.scope)
            for value, label in ((MINE, _("The tasks I lead")), (ALL, _("The whole plan")))
        ]
    links = Links({"plan": plan_param, "leader": who.leader_id if cockpit.scope == MINE else None})
    _build(cockpit, user, plan, chosen, links)
    return cockpit


def _query(plan_param: str, scope: str) -> str:
    return f"plan={plan_param}&scope={scope}" if plan_param else f"scope={scope}"


def _build(cockpit: Cockpit, user: Any, plan: Plan, chosen: QuerySet[Task], links: Links) -> None:
    today = cockpit.as_of or clock.today()
    tasks = list(chosen.select_related("plan", "area", "refinement", "light_override"))
    cockpit.tasks = len(tasks)
    lights = {pk: Colour(light.colour) for pk, light in lights_for(tasks, today).items()}
    colour_count = Counter(lights.values())
    cockpit.tiles = [
        Tile(_("Tasks"), len(tasks), links.ledger()),
        Tile(
            _("Completed"),
            sum(1 for task in tasks if task.status == TaskStatus.DONE),
            links.ledger(status=TaskStatus.DONE),
            "green",
        ),
        Tile(_("Red light"), colour_count[Colour.RED], links.ledger(light="red"), "red"),
        Tile(
            _("Yellow light"), colour_count[Colour.YELLOW], links.ledger(light="yellow"), "yellow"
        ),
    ]
    directory = Directory.load()
    periods = opened_periods([plan.pk])
    marks = report_marks(chosen, today, periods)
    cockpit.charts = [
        *areas_charts(plan, tasks, lights, links),
        trend_chart(periods, marks, len(tasks), links),
        leaders_chart(chosen, lights, links, links.base.get("leader")),
        units_chart(
            "lead_units",
            _("Tasks by light per lead unit"),
            _("Lead unit"),
            _("Each task counts once for each of its lead units."),
            task_units(chosen, AssignmentRole.LEAD, directory),
            directory.units,
            lights,
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
            task_units(chosen, AssignmentRole.RESPONSIBLE, directory),
            directory.units,
            lights,
            links,
            "responsible",
            lambda unit: unit.kind in TOWNSHIP_KINDS and unit.active,
            keep_empty=True,
        ),
        reports_chart(periods, marks, links),
        notices_chart(user, chosen, today, links),
        items_chart(user, chosen, today, links),
        *scores_charts(user, plan, links),
    ]
