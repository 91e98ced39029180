"""The demo year's calendar: the demo dates, and the days its people work on."""

from __future__ import annotations

import datetime as dt

from duban.core.workdays import Calendar

YEAR = 2023
DEMO_DATE = dt.date(YEAR, 8, 15)  # the default: the year half way, Q2's reports coming in
FULL_YEAR_DATE = dt.date(YEAR + 1, 1, 20)  # the finished year: every period closed
FIRST_DATE = dt.date(YEAR, 1, 1)  # the demo dates allowed: the year and the next quarter
LAST_DATE = dt.date(YEAR + 1, 3, 31)
# The office imports the plan before the year's first refinement (16 January).
IMPORTED_ON = dt.date(YEAR, 1, 9)

CALENDAR = Calendar()


def day(month: int, number: int) -> dt.date:
    return dt.date(YEAR, month, number)


def next_year(month: int, number: int) -> dt.date:
    return dt.date(YEAR + 1, month, number)


def workday(on: dt.date) -> dt.date:
    """``on`` if people work that day, else the next day they do (weekends, holidays)."""
    while not CALENDAR.is_workday(on):
        on += dt.timedelta(days=1)
    return on


def after(on: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``on``."""
    return CALENDAR.add(on, days)
