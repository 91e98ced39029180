"""The ledger table's rows as HTML, written in Python.

A page of the ledger holds up to 200 rows of ten cells, each with links, lists and badges; the
template language took about 0.1 ms a row (its lookups, ``{% url %}``, ``{% translate %}``,
includes), more than everything else the page does. Here a row is one f-string: labels are
translated once per table, links formatted from a prefix reversed once, a unit's or a group's
link built once per table. ``templates/ledger/_table.html`` keeps the table's head and calls
``{% ledger_rows rows %}`` for its body; the filter form's selects likewise call
``{% ledger_options … %}`` (a hundred and more options).

Every value from the database or a person goes through ``escape`` (``html.escape``: ``& < > "
'``); nothing else is marked safe. The light and the latest report come from the apps above the
ledger (``duban.lights``, ``duban.reporting``), read by their attributes: a light's ``colour``,
``overridden`` and ``title`` (its hover text), a report's ``progress``, ``progress_period``,
``period``, ``period_label``, ``state`` and ``state_label``.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from duban.core.formatting import format_cn_date

from .display import chinese_numeral
from .models import TaskStatus
from .rows import Entry, TaskRow


class _Links:
    """URLs of the ledger's pages, reversed once and completed per id."""

    def __init__(self) -> None:
        self.task = reverse("ledger:task", args=[0])[:-2]
        self.leader = reverse("ledger:leader", args=[0])[:-2]
        self.unit = reverse("ledger:unit", args=[0])[:-2]
        self._entries: dict[Entry, str] = {}

    def entry(self, entry: Entry) -> str:
        """A unit as a link, a group as written with its members (or that they come later)
        on hover; the same entry is written once per table."""
        html = self._entries.get(entry)
        if html is None:
            name = escape(entry.name)
            if entry.unit_id:
                html = f'<a href="{self.unit}{entry.unit_id}/">{name}</a>'
            else:
                css = "group open" if entry.is_open else "group"
                html = (
                    f'<span class="{css}" title="{escape(entry.title)}" tabindex="0">{name}</span>'
                )
            self._entries[entry] = html
        return html

    def entries(self, entries: Iterable[Entry]) -> str:
        return "、".join(self.entry(entry) for entry in entries)


def table_rows(rows: Iterable[TaskRow], *, show_assigned: bool = False) -> SafeString:
    """The ``<tbody>`` rows of ``rows``: an area's heading above its first task (when the rows
    carry one), then a task a row (see the module's docstring)."""
    links = _Links()
    label = {
        "targets": escape(_("Targets")),
        "leaders": escape(_("Lead leaders")),
        "lead": escape(_("Lead units")),
        "responsible": escape(_("Responsible units")),
        "assigned": escape(_("Assigned as")),
        "deadline": escape(_("Deadline")),
        "status": escape(_("Status")),
        "progress": escape(_("Progress and report")),
    }
    statuses = {value: escape(str(text)) for value, text in TaskStatus.choices}
    columns = 10 if show_assigned else 9
    out: list[str] = []
    for row in rows:
        task = row.task
        heading = row.area_heading
        if heading is not None:
            title = escape(f"{chinese_numeral(heading.number)}、{heading.title}")
            out.append(
                f'<tr class="area-row"><th colspan="{columns}" scope="colgroup">{title}</th></tr>'
            )
        url = f"{links.task}{task.pk}/"
        targets = ""
        lines = row.target_lines
        if lines:
            items = "".join(f"<li>{escape(line)}</li>" for line in lines)
            targets = f'<ul class="target-chips" aria-label="{label["targets"]}">{items}</ul>'
        leaders = "、".join(
            f'<a href="{links.leader}{leader.pk}/">{escape(leader.name)}</a>'
            for leader in row.leaders
        )
        assigned = ""
        if show_assigned:
            cells = "".join(f"<div>{escape(text)}</div>" for text in row.assigned_as)
            assigned = f'<td class="col-assigned" data-label="{label["assigned"]}">{cells}</td>'
        deadline = format_cn_date(task.deadline) if task.deadline else "—"
        status = escape(task.status)
        out.append(
            '<tr class="task-row">'
            f'<td class="col-light">{_light(row.light)}</td>'
            f'<td class="col-number"><a href="{url}">{escape(task.number)}</a></td>'
            f'<td class="col-text"><a class="task-link" href="{url}">{escape(task.text)}</a>'
            f"{targets}</td>"
            f'<td class="col-leaders" data-label="{label["leaders"]}">{leaders}</td>'
            f'<td class="col-units" data-label="{label["lead"]}">'
            f"{_units(links, row.lead)}</td>"
            f'<td class="col-units" data-label="{label["responsible"]}">'
            f"{_units(links, row.responsible)}</td>"
            f"{assigned}"
            f'<td class="col-deadline" data-label="{label["deadline"]}">{deadline}</td>'
            f'<td class="col-status" data-label="{label["status"]}">'
            f'<span class="badge {status}">{statuses.get(task.status, status)}</span></td>'
            f'<td class="col-progress" data-label="{label["progress"]}">'
            f"{_latest(row.latest)}</td>"
            "</tr>"
        )
    return mark_safe("\n".join(out))  # every value above is escaped


def _units(links: _Links, entries: list[Entry]) -> str:
    return links.entries(entries)


def _light(light: Any) -> str:
    """The light's dot (as ``lights/_light_dot.html``), its reasons on hover."""
    if light is None:
        return ""
    title = escape(light.title)
    css = f"light-dot light-{escape(str(light.colour))}"
    if light.overridden:
        css += " light-overridden"
    return f'<span class="{css}" title="{title}" role="img" aria-label="{title}"></span>'


def _latest(latest: Any) -> str:
    """The latest progress (with its period when it is an earlier one) and the current
    period's report state, as the reporting app gives them (``Latest``)."""
    if latest is None:
        return '<span class="muted">—</span>'
    out = []
    if latest.progress is not None:
        period = escape(latest.progress_period)
        out.append(f'<span class="progress-figure" title="{period}">{latest.progress}%</span>')
        if latest.progress_period != latest.period_label:
            out.append(f'<span class="muted progress-period">{period}</span>')
    if latest.period:
        state = escape(latest.state or "missing")
        out.append(
            f'<span class="report-state"><span class="muted">{escape(latest.period_label)}</span> '
            f'<span class="badge rs-{state}">{escape(str(latest.state_label))}</span></span>'
        )
    elif latest.progress is None:
        out.append('<span class="muted">—</span>')
    return "".join(out)


def options(choices: Iterable[Any]) -> SafeString:
    """``<option>``s of a filter's select, the chosen one selected (``options.Option``: value,
    label, selected); a ``(label, options)`` pair becomes an ``<optgroup>``."""
    out = []
    for choice in choices:
        if isinstance(choice, tuple):
            label, group = choice
            out.append(f'<optgroup label="{escape(str(label))}">{options(group)}</optgroup>')
            continue
        selected = " selected" if choice.selected else ""
        out.append(
            f'<option value="{escape(str(choice.value))}"{selected}>'
            f"{escape(str(choice.label))}</option>"
        )
    return mark_safe("".join(out))  # every value above is escaped
