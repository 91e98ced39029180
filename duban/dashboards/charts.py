"""What a cockpit chart is, whatever it draws: categories, series of figures, and a link per
figure to the ledger filtered to exactly the tasks behind it.

The same ``Chart`` feeds the JSON the browser draws with ECharts (``as_json``) and the plain
table printed under the chart (``rows``), so the picture and the table never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

# Colours of the picture; the table under each chart says the same in words.
GREEN = "#2e7d32"
YELLOW = "#f2b200"
RED = "#c62828"
GREY = "#9aa3ad"
BLUE = "#1a5fb4"
ORANGE = "#e07b00"

STACK = "stack"  # stacked bars: the parts of one whole (tasks by light)
BARS = "bars"  # bars side by side
LINE = "line"  # a trend over the periods


@dataclass(frozen=True)
class Cell:
    """One figure: its value, the text the table shows (``value`` when empty), the ledger
    link to its tasks ("" when there is nothing to link to), and its own colour if any."""

    value: int | float
    url: str = ""
    text: str = ""
    colour: str = ""

    @property
    def shown(self) -> str:
        return self.text or _number(self.value)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"value": self.value, "url": self.url, "text": self.shown}
        if self.colour:
            data["colour"] = self.colour
        return data


def _number(value: int | float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))


@dataclass
class Series:
    key: str
    name: str
    colour: str
    cells: list[Cell]

    @property
    def total(self) -> int | float:
        return sum(cell.value for cell in self.cells)


@dataclass
class Chart:
    """``categories`` along one axis (with ``hints``, their full names, for the tooltip);
    ``series`` of one ``Cell`` per category; ``kind`` STACK, BARS or LINE."""

    key: str
    title: str
    note: str  # where the figures come from, in one sentence
    kind: str
    heading: str  # the table's first column: what a category is (方面, 牵头领导, 季度)
    categories: list[str]
    series: list[Series]
    hints: list[str] = field(default_factory=list)
    horizontal: bool = False
    unit: str = ""  # "%" for rates
    totals: bool = False  # the table adds a total per category (a stack's whole)
    total_label: str = ""

    @property
    def empty(self) -> bool:
        return not self.categories or not self.series

    def rows(self) -> list[tuple[str, str, list[Cell], int | float | None]]:
        """The table: per category its name, full name, one cell per series, and its total."""
        found = []
        for index, name in enumerate(self.categories):
            cells = [series.cells[index] for series in self.series]
            total = sum(cell.value for cell in cells) if self.totals else None
            hint = self.hints[index] if index < len(self.hints) else name
            found.append((name, hint, cells, total))
        return found

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "horizontal": self.horizontal,
            "unit": self.unit,
            "categories": self.categories,
            "hints": self.hints or self.categories,
            "series": [
                {
                    "key": series.key,
                    "name": series.name,
                    "colour": series.colour,
                    "data": [cell.as_json() for cell in series.cells],
                }
                for series in self.series
            ],
        }


class Links:
    """Ledger URLs that keep the cockpit's plan and scope: ``links.ledger(area=3, light="red")``
    → ``/ledger/?plan=1&leader=5&area=3&light=red`` (the plan only when one was asked for,
    the leader when the cockpit shows a leader's own tasks)."""

    def __init__(self, base: dict[str, Any]) -> None:
        self.base = {key: value for key, value in base.items() if value not in (None, "")}
        self._ledger = reverse("ledger:tasks")  # once: a cockpit links some 350 figures
        self._base_query = urlencode(self.base)

    def ledger(self, **params: Any) -> str:
        if self.base.keys() & params.keys():
            return f"{self._ledger}?{urlencode({**self.base, **params})}"
        query = "&".join(part for part in (self._base_query, urlencode(params)) if part)
        return f"{self._ledger}?{query}"

    def unit(self, unit_id: int) -> str:
        """A unit's own page of the ledger (its tasks, in every role)."""
        url = reverse("ledger:unit", args=[unit_id])
        plan = self.base.get("plan")
        return f"{url}?{urlencode({'plan': plan})}" if plan else url
