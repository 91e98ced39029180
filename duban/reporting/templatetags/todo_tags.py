"""``{% todo_rows section %}``: the rows of a 待办 section, written in Python.

A province's office or lead unit has a section of fifty items under each of several headings;
the template language took a fifth of a millisecond a row. Each row is one f-string here, its
labels translated once per section, every value escaped (``html.escape``); nothing else is
marked safe. The cells are those ``reporting/todo.html`` describes: the task's number (a link),
what waits (a link, 60 characters), who it comes from and a note (100 characters), the period,
the due date (逾期 once past) and when it was submitted, each column only when some item of the
section fills it.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from duban.core.formatting import format_cn_date
from duban.core.todo import Item, Section

register = template.Library()


def _date(value: object) -> str:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return format_cn_date(value.date())
    return format_cn_date(value) if value else "—"  # type: ignore[arg-type]


@register.simple_tag
def todo_rows(section: Section) -> SafeString:
    task_label, period_label = escape(_("Task")), escape(_("Period"))
    due_label, submitted_label = escape(_("Due")), escape(_("Submitted on"))
    overdue = f' <span class="badge danger">{escape(_("Overdue"))}</span>'
    task_url = reverse("ledger:task", args=[0])[:-2]
    has_tasks, has_periods = section.has_tasks, section.has_periods
    has_due, has_submitted = section.has_due, section.has_submitted
    out = []
    for item in section.items:
        out.append(
            _row(
                item,
                task_url,
                task_label if has_tasks else None,
                period_label if has_periods else None,
                due_label if has_due else None,
                submitted_label if has_submitted else None,
                overdue,
            )
        )
    return mark_safe("\n".join(out))  # every value above is escaped


def _row(
    item: Item,
    task_url: str,
    task_label: str | None,
    period_label: str | None,
    due_label: str | None,
    submitted_label: str | None,
    overdue: str,
) -> str:
    task = item.task
    attributes = f' data-task="{escape(str(task.number)) if task else ""}"'
    if item.key:
        attributes += f' data-key="{escape(str(item.key))}"'
    if item.overdue:
        attributes += ' data-overdue="1"'
    cells = []
    if task_label is not None:
        number = f'<a href="{task_url}{task.pk}/">{escape(task.number)}</a>' if task else "—"
        cells.append(f'<td class="num todo-task" data-label="{task_label}">{number}</td>')
    what = (
        f'<a class="task-link todo-link" href="{escape(item.link)}">'
        f"{escape(Truncator(item.title).chars(60))}</a>"
    )
    if item.unit:
        what += f'<div class="muted todo-unit">{escape(item.unit)}</div>'
    if item.note:
        what += f'<div class="muted todo-comment">{escape(Truncator(item.note).chars(100))}</div>'
    cells.append(f'<td class="todo-what">{what}</td>')
    if period_label is not None:
        cells.append(
            f'<td class="nowrap" data-label="{period_label}">'
            f"{escape(item.period_label) or '—'}</td>"
        )
    if due_label is not None:
        late = overdue if item.overdue else ""
        cells.append(f'<td class="nowrap" data-label="{due_label}">{_date(item.due_on)}{late}</td>')
    if submitted_label is not None:
        cells.append(
            f'<td class="nowrap" data-label="{submitted_label}">{_date(item.submitted_at)}</td>'
        )
    return f'<tr class="todo-item"{attributes}>{"".join(cells)}</tr>'
