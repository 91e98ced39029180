"""The choices of the ledger's filter form and sort links, with how many tasks each finds.

Presentation only: the numbers come from ``queries.count_facets``; this module turns them into
labelled options (``住建局（3）``) grouped the way offices think of units.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from duban.directory.models import Leader, Unit, UnitKind

from .display import chinese_numeral
from .facets import TaskFacet, task_facets
from .models import Area, Plan, TaskStatus
from .queries import (
    DEFAULT_SORT,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    SORT_KEYS,
    Directory,
    Facets,
    TaskFilter,
)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True)
class FacetOptions:
    """A registered filter's select (the light): its parameter, heading and counted choices."""

    facet: TaskFacet
    options: list[Option]

    @property
    def name(self) -> str:
        return self.facet.name


@dataclass(frozen=True)
class SortHeader:
    """A sortable column heading: the link flips the direction of the current column."""

    param: str
    aria: str  # aria-sort: ascending, descending or none


def _counted(name: str, count: int) -> str:
    return _("%(name)s (%(count)s)") % {"name": name, "count": count}


def sort_headers(key: str, descending: bool) -> dict[str, SortHeader]:
    headers = {}
    for name in SORT_KEYS:
        if name == key:
            aria = "descending" if descending else "ascending"
            headers[name] = SortHeader(name if descending else f"-{name}", aria)
        else:
            headers[name] = SortHeader(name, "none")
    return headers


def sort_options(key: str, descending: bool) -> list[Option]:
    labels = {
        "number": (_("By order in the notice"), _("By order in the notice, last first")),
        "area": (_("By area"), _("By area, last first")),
        "lead": (_("By lead unit"), _("By lead unit, reversed")),
        "status": (_("By status, lagging first"), _("By status, completed first")),
        "deadline": (_("By deadline, earliest first"), _("By deadline, latest first")),
    }
    current = f"-{key}" if descending else key
    # The default order has the empty value, so that it stays out of shared URLs.
    return [
        Option("" if value == DEFAULT_SORT else value, label, value == current)
        for name in SORT_KEYS
        for value, label in zip((name, f"-{name}"), labels[name], strict=True)
    ]


def page_size_options(current: str) -> list[Option]:
    """每页50项 / 每页100项 / 全部 (``?page_size=``, the default without a value)."""
    return [
        Option("", _("%(count)s per page") % {"count": PAGE_SIZE}, current == ""),
        Option("100", _("%(count)s per page") % {"count": 100}, current == "100"),
        Option(
            "all", _("All (up to %(count)s a page)") % {"count": MAX_PAGE_SIZE}, current == "all"
        ),
    ]


def _unit_groups(
    units: dict[int, Unit], counts: dict[int, int], selected: int | None
) -> list[tuple[str, list[Option]]]:
    """Units that would find tasks (and the chosen one), grouped by kind as <optgroup>s."""
    by_kind: dict[str, list[Option]] = {}
    for unit in units.values():
        count = counts.get(unit.pk, 0)
        if count or unit.pk == selected:
            by_kind.setdefault(unit.kind, []).append(
                Option(str(unit.pk), _counted(unit.name, count), unit.pk == selected)
            )
    return [(str(label), by_kind[kind]) for kind, label in UnitKind.choices if kind in by_kind]


def filter_options(
    task_filter: TaskFilter,
    facets: Facets,
    areas: list[Area],
    leaders: list[Leader],
    directory: Directory,
    plan: Plan | None = None,
) -> dict[str, Any]:
    """The filter form's choices with counts; areas and statuses are always all listed. A
    registered filter that is not ``listed`` is there only while chosen; its plan's own choices
    (``plan_choices``) only when they would find tasks, or are chosen."""
    return {
        "areas": [
            Option(
                str(area.pk),
                _counted(
                    f"{chinese_numeral(area.number)}、{area.title}", facets.areas.get(area.pk, 0)
                ),
                area.pk == task_filter.area,
            )
            for area in areas
        ],
        "leaders": [
            Option(
                str(leader.pk),
                _counted(leader.name, facets.leaders.get(leader.pk, 0)),
                leader.pk == task_filter.leader,
            )
            for leader in leaders
            if facets.leaders.get(leader.pk) or leader.pk == task_filter.leader
        ],
        "lead": _unit_groups(directory.units, facets.lead, task_filter.lead),
        "responsible": _unit_groups(directory.units, facets.responsible, task_filter.responsible),
        "statuses": [
            Option(
                value,
                _counted(str(label), facets.statuses.get(value, 0)),
                value == task_filter.status,
            )
            for value, label in TaskStatus.choices
        ],
        # The filters apps above the ledger register (the light): every choice, counted.
        "facets": [
            FacetOptions(facet, _facet_options(facet, task_filter, facets, plan))
            for facet in task_facets()
            if facet.listed or task_filter.facet(facet.name)
        ],
    }


def _facet_options(
    facet: TaskFacet, task_filter: TaskFilter, facets: Facets, plan: Plan | None
) -> list[Option]:
    counts = facets.extra.get(facet.name, {})
    chosen = task_filter.facet(facet.name)
    fixed = set(facet.values)
    choices = facet.choices_for(plan) if plan is not None else facet.choices
    return [
        Option(value, _counted(str(label), counts.get(value, 0)), value == chosen)
        for value, label in choices
        if value in fixed or counts.get(value) or value == chosen
    ]
