"""The demo year: the seed plan as it stood on a demonstration date, built through the services.

``build_year(plan, until)`` plays 2023 day by day up to ``until``: each step runs inside
``clock.pinned(its moment)``, so submission times, lateness, notice numbers and lights are those
of that day, and every step goes through the service a person would have used (refinements,
reports, contributions, notices, extensions, special inspections, circulars, recognitions), as
that person (the lead unit's operator, a responsible unit's operator, the office).

Two dates tell the year (any day from 2023-01-01 to 2024-03-31 may be chosen; docs/demo.md):

- **2023-08-15** (``DEMO_DATE``, the default): the year half way. Q1 closed, Q2's reports
  coming in: lights mostly green, some yellow (behind the plan, a Q2 report late or returned,
  an issue the office is pressing), a few red (a Q2 report missing or far behind); notices in
  every state, an inspection with open and closed items, the Q1 circular. Nothing is overdue
  by more than a quarter.
- **2024-01-20** (``FULL_YEAR_DATE``): the year finished. Every period closed (Q1–Q4 and the
  year-end report 2023Y, due 10 January), each quarter with reports late by up to 3 working
  days and later, missing, returned and resubmitted; the year-end reports with their evidence,
  mostly accepted; 93 of 98 tasks completed (five early, some beyond their targets), five not
  — 财政局 missed both its lead tasks without an extension (a veto), 交通局 missed one after an
  approved extension; the Q2 and Q3 circulars praising and criticising units; more 催办 (some
  answered late), 督办 and a second 挂牌督办; a year-end inspection that found a falsified
  report (``Finding.falsified``); two recognitions from a higher level. Lights are recorded on
  every quarter's due date, so the assessment reads each task's colour per quarter.

Nothing is random: every choice comes from the task's number (``fates``). The steps up to the
mid-year date are planned first and never depend on the demo date, so the finished year begins
exactly as the mid-year demo stands.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from duban.ledger.models import Plan
from duban.lights.services import record_lights
from duban.notify.services import run_reminders
from duban.reporting.models import Refinement, Report
from duban.reporting.services.periods import close_period, open_period

from .base import Step
from .dates import (
    DEMO_DATE,
    FIRST_DATE,
    FULL_YEAR_DATE,
    IMPORTED_ON,
    LAST_DATE,
    YEAR,
    day,
    next_year,
)
from .second_half import YEAR_END_DUE
from .texts import evidence
from .year_end import YearEnd

__all__ = [
    "DEMO_DATE",
    "FIRST_DATE",
    "FULL_YEAR_DATE",
    "IMPORTED_ON",
    "LAST_DATE",
    "YEAR",
    "Step",
    "YearBuilder",
    "build_year",
    "evidence",
    "year_built",
]

# When ``duban remind`` would have recorded the lights (it records a task's colour when it
# changes): the first half's days, then every period's due date and twice a month after it.
FIRST_HALF_LIGHTS = (day(4, 1), day(4, 21), day(7, 1), day(7, 17), day(8, 1))
DUE_DATES = (day(3, 31), day(6, 30), day(9, 30), day(12, 31), YEAR_END_DUE)
SECOND_HALF_LIGHTS = (
    day(9, 1),
    day(9, 15),
    day(10, 9),
    day(10, 20),
    day(11, 1),
    day(11, 15),
    day(12, 1),
    day(12, 15),
    next_year(1, 2),
    next_year(1, 15),
)


class YearBuilder(YearEnd):
    """Plans the year's steps (``plan_*``), then plays those up to ``until`` in date order."""

    def plan_year(self) -> None:
        # The first half, planned first: the mid-year demo is its prefix.
        self.plan_periods()
        for task in self.tasks:
            if task.pk not in self.leads:
                continue
            n = int(task.number)
            self.plan_refinement(task, n)
            self.plan_report(task, n, 1)
            self.plan_report(task, n, 2)
        self.plan_notices()
        self.plan_extensions()
        self.plan_inspection()
        self.plan_circular()
        for when in FIRST_HALF_LIGHTS:
            self.at(when, partial(record_lights, today=when))
        # The second half.
        self.plan_late_periods()
        for task in self.tasks:
            if task.pk not in self.leads:
                continue
            n = int(task.number)
            self.plan_q2_rest(task, n)
            self.plan_late_refinement(task, n)
            self.plan_second_half_reports(task, n)
        self.plan_late_notices()
        self.plan_late_extensions()
        self.plan_late_inspection()
        self.plan_late_circulars()
        self.plan_recognitions()
        # The lights of every due date (after that day's work: the assessment reads each
        # task's colour per quarter there), of the days between, and last of all the lights of
        # the demo date itself and its reminders: every operator and the office find theirs.
        for when in sorted({*DUE_DATES, *SECOND_HALF_LIGHTS, self.until}):
            self.at(when, partial(record_lights, today=when))
        self.at(self.until, partial(run_reminders, today=self.until))

    def plan_periods(self) -> None:
        office = self.office
        self.at(day(3, 1), lambda: open_period(period=self.period(f"{YEAR}Q1"), user=office))
        self.at(day(4, 20), lambda: close_period(period=self.period(f"{YEAR}Q1"), user=office))
        self.at(day(6, 1), lambda: open_period(period=self.period(f"{YEAR}Q2"), user=office))
        self.at(day(9, 1), lambda: open_period(period=self.period(f"{YEAR}Q3"), user=office))


def year_built(plan: Plan) -> bool:
    """Whether the demo year (or anyone's work) is already there: a refinement or a report."""
    return (
        Refinement.objects.filter(task__plan=plan).exists()
        or Report.objects.filter(period__plan=plan).exists()
    )


def build_year(plan: Plan, until: dt.date = DEMO_DATE, *, after: dt.date | None = None) -> int:
    """Play the demo year up to ``until``; the number of steps taken. ``after``: the year was
    built up to that day already (the steps of a day never depend on the demo date, but for
    the demo date's own lights and reminders), take only the steps after it."""
    builder = YearBuilder(plan, until)
    builder.plan_year()
    return builder.play(after)
