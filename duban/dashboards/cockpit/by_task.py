"""The cockpit's charts of tasks: by light and status per area, per lead leader, per lead unit,
and for the towns and streets (``duban.dashboards.cockpit``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from duban.directory.models import TOWNSHIP_KINDS, Leader, Unit, UnitKind
from duban.ledger.display import chinese_numeral
from duban.ledger.models import Plan, Task, TaskLeader, TaskStatus
from duban.lights.display import colour_label
from duban.lights.rules import Colour

from .. import charts
from ..charts import STACK, Cell, Chart, Links, Series

LIGHTS = (Colour.GREEN, Colour.YELLOW, Colour.RED, Colour.NONE)
LIGHT_COLOURS = {
    Colour.GREEN: charts.GREEN,
    Colour.YELLOW: charts.YELLOW,
    Colour.RED: charts.RED,
    Colour.NONE: charts.GREY,
}
STATUSES = (TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED, TaskStatus.LAGGING)
STATUS_COLOURS = {
    TaskStatus.DONE: charts.GREEN,
    TaskStatus.IN_PROGRESS: charts.BLUE,
    TaskStatus.NOT_STARTED: charts.GREY,
    TaskStatus.LAGGING: charts.RED,
}


def _light_series(
    groups: Sequence[set[int]], lights: dict[int, Colour], url: Callable[[int, str], str]
) -> list[Series]:
    """One series per colour over ``groups`` (the task ids of each category); "no light yet"
    only when some task has none."""
    series = []
    for colour in LIGHTS:
        counts = [sum(1 for pk in group if lights.get(pk) == colour) for group in groups]
        if colour == Colour.NONE and not any(counts):
            continue
        cells = [
            Cell(count, url(index, str(colour)) if count else "")
            for index, count in enumerate(counts)
        ]
        series.append(Series(str(colour), colour_label(colour), LIGHT_COLOURS[colour], cells))
    return series


def areas_charts(
    plan: Plan, tasks: list[Task], lights: dict[int, Colour], links: Links
) -> list[Chart]:
    by_area: dict[int, set[int]] = defaultdict(set)
    for task in tasks:
        if task.area_id is not None:
            by_area[task.area_id].add(task.pk)
    areas = [area for area in plan.areas.order_by("number") if area.pk in by_area]
    names = [f"{chinese_numeral(area.number)}、{area.title}" for area in areas]
    groups = [by_area[area.pk] for area in areas]
    status = {task.pk: task.status for task in tasks}
    status_series = []
    for value in STATUSES:
        counts = [sum(1 for pk in group if status[pk] == value) for group in groups]
        cells = [
            Cell(count, links.ledger(area=areas[i].pk, status=value) if count else "")
            for i, count in enumerate(counts)
        ]
        status_series.append(
            Series(str(value), str(TaskStatus(value).label), STATUS_COLOURS[value], cells)
        )
    return [
        Chart(
            key="areas_light",
            title=_("Tasks by light per area"),
            note=_("The light each task shows today, an office override included."),
            kind=STACK,
            series=_light_series(
                groups, lights, lambda i, colour: links.ledger(area=areas[i].pk, light=colour)
            ),
            totals=True,
            total_label=_("Tasks"),
            heading=_("Area"),
            categories=names,
            horizontal=True,
        ),
        Chart(
            key="areas_status",
            title=_("Tasks by status per area"),
            note=_("The status the office keeps on each task."),
            kind=STACK,
            series=status_series,
            totals=True,
            total_label=_("Tasks"),
            heading=_("Area"),
            categories=names,
            horizontal=True,
        ),
    ]


def leaders_chart(
    chosen: QuerySet[Task], lights: dict[int, Colour], links: Links, only: int | None
) -> Chart:
    """Per lead leader; ``only`` the leader whose own tasks these are (the ledger cannot show
    the tasks two leaders lead together, so her co-leaders are not listed)."""
    led: dict[int, set[int]] = defaultdict(set)
    for task_id, leader_id in TaskLeader.objects.filter(task__in=chosen.values("pk")).values_list(
        "task_id", "leader_id"
    ):
        led[leader_id].add(task_id)
    leaders = [
        leader
        for leader in Leader.objects.order_by("name", "pk")
        if leader.pk in led and only in (None, leader.pk)
    ]
    return Chart(
        key="leaders",
        title=_("Tasks by light per lead leader"),
        note=_("Each task counts once for each of its lead leaders; leaders in name order."),
        kind=STACK,
        heading=_("Lead leader"),
        categories=[leader.name for leader in leaders],
        series=_light_series(
            [led[leader.pk] for leader in leaders],
            lights,
            lambda i, colour: links.ledger(leader=leaders[i].pk, light=colour),
        ),
        horizontal=True,
        totals=True,
        total_label=_("Tasks"),
    )


def units_chart(
    key: str,
    title: str,
    heading: str,
    note: str,
    found: dict[int, set[int]],
    units: dict[int, Unit],
    lights: dict[int, Colour],
    links: Links,
    param: str,
    included: Callable[[Unit], bool],
    *,
    keep_empty: bool = False,
) -> Chart:
    chosen = [
        unit
        for unit in sorted(units.values(), key=_unit_order)
        if included(unit) and (keep_empty or found.get(unit.pk))
    ]
    return Chart(
        key=key,
        title=title,
        note=note,
        kind=STACK,
        heading=heading,
        categories=[unit.name for unit in chosen],
        hints=[unit.full_name or unit.name for unit in chosen],
        series=_light_series(
            [found.get(unit.pk, set()) for unit in chosen],
            lights,
            lambda i, colour: links.ledger(**{param: chosen[i].pk, "light": colour}),
        ),
        horizontal=True,
        totals=True,
        total_label=_("Tasks"),
    )


KIND_ORDER = {kind: index for index, kind in enumerate(UnitKind.values)}


def _unit_order(unit: Unit) -> tuple[Any, ...]:
    """The directory's order: by kind (departments first, then towns and streets by division
    code), then by name."""
    township = unit.kind in TOWNSHIP_KINDS
    return (township, "" if not township else unit.code, KIND_ORDER.get(unit.kind, 99), unit.name)
