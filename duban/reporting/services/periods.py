"""Reporting periods: the standard set of a plan, their dates, opening and closing.

A plan has four quarterly rounds and a year-end report (2023Q1 … 2023Q4, 2023Y). By default a
quarter's round opens on the first day of the quarter's last month and is due on the quarter's
last day (2023Q1: 1 March – 31 March; 2024Q1 is due 31 March too, leap year or not); the
year-end report opens on 1 December and is due on 31 December unless the office says
otherwise. The office edits each period's dates, opens it (units may then write and submit)
and closes it (nothing more is written or submitted). A report submitted after ``due_on``
while the period is still open is late, by so many days.

Every function takes the acting ``user``: the office (``Action.MANAGE_LEDGER``), or ``None``
for the console, which is trusted like the other ``duban`` commands.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.permissions import Action, check
from duban.ledger.models import Plan

from ..models import Period, PeriodKind, PeriodState
from . import announcements


class PeriodError(ValueError):
    """A period change that cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class PeriodSpec:
    code: str
    kind: str
    quarter: int | None
    opens_on: date
    due_on: date


def quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    return date(year, month, calendar.monthrange(year, month)[1])


def standard_periods(year: int, *, year_end_due: date | None = None) -> list[PeriodSpec]:
    """The four quarters and the year-end report of ``year`` with their default dates."""
    specs = [
        PeriodSpec(
            code=f"{year}Q{quarter}",
            kind=PeriodKind.QUARTER,
            quarter=quarter,
            opens_on=date(year, quarter * 3, 1),
            due_on=quarter_end(year, quarter),
        )
        for quarter in (1, 2, 3, 4)
    ]
    due = year_end_due or date(year, 12, 31)
    specs.append(
        PeriodSpec(
            code=f"{year}Y",
            kind=PeriodKind.YEAR_END,
            quarter=None,
            opens_on=min(date(year, 12, 1), due),
            due_on=due,
        )
    )
    return specs


@transaction.atomic
def create_standard_periods(
    *, plan: Plan, user: Any, year_end_due: date | None = None
) -> list[Period]:
    """Create the periods of the standard set the plan does not have yet; all of them back."""
    check(user, Action.MANAGE_LEDGER)
    existing = set(Period.objects.filter(plan=plan).values_list("code", flat=True))
    for spec in standard_periods(plan.year, year_end_due=year_end_due):
        if spec.code in existing:
            continue
        Period.objects.create(
            plan=plan,
            code=spec.code,
            kind=spec.kind,
            quarter=spec.quarter,
            opens_on=spec.opens_on,
            due_on=spec.due_on,
        )
    return list(Period.objects.filter(plan=plan).order_by("due_on", "code"))


def update_period(*, period: Period, user: Any, opens_on: date, due_on: date) -> Period:
    check(user, Action.CHANGE, period)
    if opens_on > due_on:
        raise PeriodError(_("A period cannot open after it is due."))
    period.opens_on, period.due_on = opens_on, due_on
    period.save(update_fields=["opens_on", "due_on"])
    return period


@transaction.atomic
def open_period(*, period: Period, user: Any) -> Period:
    """Let units write and submit (again, for a closed period the office reopens); each unit
    with work in it is told once (``announcements.period_opened``)."""
    check(user, Action.CHANGE, period)
    if period.state == PeriodState.OPEN:
        raise PeriodError(_("Period %(code)s is already open.") % {"code": period_label(period)})
    period.state = PeriodState.OPEN
    period.opened_at = period.opened_at or clock.now()
    period.closed_at = None
    period.save(update_fields=["state", "opened_at", "closed_at"])
    announcements.period_opened(period)
    return period


def close_period(*, period: Period, user: Any) -> Period:
    """No more writing or submitting; the office may still accept what was submitted."""
    check(user, Action.CHANGE, period)
    if period.state != PeriodState.OPEN:
        raise PeriodError(_("Period %(code)s is not open.") % {"code": period_label(period)})
    period.state = PeriodState.CLOSED
    period.closed_at = clock.now()
    period.save(update_fields=["state", "closed_at"])
    return period


def days_late(period: Period, when: date | None = None) -> int:
    """Whole days between the due date and ``when`` (today in local time); 0 when on time."""
    when = when or clock.today()
    return max(0, (when - period.due_on).days)


def period_label(period: Period) -> str:
    """``2023年第1季度``, ``2023年年终``: how the pages and templates name a period."""
    year = period.code[:4]
    if period.kind == PeriodKind.QUARTER and period.quarter:
        return _("Q%(quarter)s %(year)s") % {"quarter": period.quarter, "year": year}
    return _("Year-end %(year)s") % {"year": year}


def find_period(code: str, *, plan: Plan | None = None) -> Period:
    """The period of that code (in ``plan``, else in the newest plan that has it)."""
    found = Period.objects.filter(code__iexact=code.strip()).select_related("plan")
    if plan is not None:
        found = found.filter(plan=plan)
    period = found.order_by("-plan__year", "-plan__created_at").first()
    if period is None:
        raise PeriodError(_("There is no reporting period %(code)s.") % {"code": code})
    return period
