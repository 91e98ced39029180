"""The cockpit's charts of tasks: by light and status per area, per lead leader, per lead unit,
and for the towns and streets (``duban.dashboards.cockpit``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from duban.directory.models import TOWNSHIP_KINDS, Unit, UnitKind
from duban.ledger.display import chinese_numeral
from duban.ledger.models import Plan, TaskStatus
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
    groups: Sequence[Counter[Colour]], url: Callable[[int, str], str]
) -> list[Series]:
    """One series per colour over ``groups`` (how many tasks of each category show each
    colour); "no light yet" only when some task has none."""
    series = []
    for colour in LIGHTS:
        counts = [group[colour] for group in groups]
        if colour == Colour.NONE and not any(counts):
            continue
        cells = [
            Cell(count, url(index, str(colour)) if count else "")
            for index, count in enumerate(counts)
        ]
        series.append(Series(str(colour), colour_label(colour), LIGHT_COLOURS[colour], cells))
    return series


def unit_lights(
    groups: list[tuple[set[int], list[int]]], lights: Mapping[int, Colour]
) -> dict[int, Counter[Colour]]:
    """``{unit id: tasks by light}`` from the tasks grouped by what they name
    (``duban.ledger.queries.signature_tasks``): each group's lights counted once, added to
    every unit it reaches."""
    found: dict[int, Counter[Colour]] = defaultdict(Counter)
    for reached, ids in groups:
        counted = Counter(lights.get(pk, Colour.NONE) for pk in ids)
        for unit_id in reached:
            found[unit_id].update(counted)
    return found


def areas_charts(
    plan: Plan,
    tasks: Sequence[tuple[int, int | None, str]],
    lights: Mapping[int, Colour],
    links: Links,
) -> list[Chart]:
    """``tasks``: (id, area id, status) of each task shown."""
    by_light: dict[int, Counter[Colour]] = defaultdict(Counter)
    by_status: dict[int, Counter[str]] = defaultdict(Counter)
    for pk, area_id, status in tasks:
        if area_id is not None:
            by_light[area_id][lights.get(pk, Colour.NONE)] += 1
            by_status[area_id][status] += 1
    areas = [area for area in plan.areas.order_by("number") if area.pk in by_light]
    names = [f"{chinese_numeral(area.number)}、{area.title}" for area in areas]
    status_series = []
    for value in STATUSES:
        counts = [by_status[area.pk][value] for area in areas]
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
                [by_light[area.pk] for area in areas],
                lambda i, colour: links.ledger(area=areas[i].pk, light=colour),
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
    led: list[tuple[int, str, list[int]]],
    lights: Mapping[int, Colour],
    links: Links,
    only: int | None,
) -> Chart:
    """Per lead leader (``led``: each leader's id, name and tasks, from
    ``duban.ledger.queries.tasks_by_leader_and_unit``); ``only`` the leader whose own tasks
    these are (the ledger cannot show the tasks two leaders lead together, so her co-leaders
    are not listed)."""
    leaders = sorted(
        (name, pk, Counter(lights.get(task_id, Colour.NONE) for task_id in ids))
        for pk, name, ids in led
        if only in (None, pk)
    )
    return Chart(
        key="leaders",
        title=_("Tasks by light per lead leader"),
        note=_("Each task counts once for each of its lead leaders; leaders in name order."),
        kind=STACK,
        heading=_("Lead leader"),
        categories=[name for name, _pk, _counted in leaders],
        series=_light_series(
            [counted for _name, _pk, counted in leaders],
            lambda i, colour: links.ledger(leader=leaders[i][1], light=colour),
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
    found: dict[int, Counter[Colour]],
    units: dict[int, Unit],
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
            [found.get(unit.pk, Counter()) for unit in chosen],
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
