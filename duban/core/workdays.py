"""Working days as the State Council's holiday calendar has them (国务院办公厅节假日安排).

Rules written in working days — a report late by no more than 3 working days, a publicity
period of 5 working days — count neither weekends nor public holidays, and do count the
weekend days that are worked in exchange (调休上班). The calendar of each year is data, one
file per year in ``duban/core/data/holidays/`` (``2023.json``: the holiday ranges, the make-up
working days, the notice they come from). A year without its file is never guessed: asking
about it raises ``MissingCalendar`` naming the year, so a rule is never silently computed on
weekends alone. Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data") / "holidays"
SATURDAY = 5


class MissingCalendar(LookupError):
    """The holiday calendar of ``year`` is not there (add ``<year>.json``)."""

    def __init__(self, year: int) -> None:
        super().__init__(year)
        self.year = year


class CalendarError(ValueError):
    """A calendar file that does not hold together (``where`` says which file and entry)."""


@dataclass(frozen=True)
class YearCalendar:
    year: int
    holidays: frozenset[dt.date]  # public holidays and the days off moved next to them
    workdays: frozenset[dt.date]  # weekend days worked in exchange (调休上班)
    source: str = ""


def parse_year(data: Mapping[str, Any], where: str = "") -> YearCalendar:
    """A year's calendar from its file's contents, checked: every date in that year, each
    range in order, no day both off and worked, every make-up working day a weekend day."""
    where = where or "calendar"
    try:
        year = int(data["year"])
        holidays: set[dt.date] = set()
        for entry in data["holidays"]:
            first, last = dt.date.fromisoformat(entry[0]), dt.date.fromisoformat(entry[1])
            if last < first:
                raise CalendarError(f"{where}: holiday {entry[0]}–{entry[1]} ends before it starts")
            holidays.update(first + dt.timedelta(days=n) for n in range((last - first).days + 1))
        workdays = {dt.date.fromisoformat(text) for text in data["workdays"]}
    except CalendarError:
        raise
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise CalendarError(f"{where}: {type(exc).__name__}: {exc}") from exc
    for day in sorted(holidays | workdays):
        if day.year != year:
            raise CalendarError(f"{where}: {day.isoformat()} is not in {year}")
    both = sorted(holidays & workdays)
    if both:
        raise CalendarError(f"{where}: {both[0].isoformat()} is both a holiday and a working day")
    for day in sorted(workdays):
        if day.weekday() < SATURDAY:
            raise CalendarError(f"{where}: make-up working day {day.isoformat()} is a weekday")
    return YearCalendar(year, frozenset(holidays), frozenset(workdays), str(data.get("source", "")))


@cache
def shipped_year(year: int, directory: Path = DATA) -> YearCalendar:
    """The calendar of ``year`` shipped with duban (MissingCalendar when there is none)."""
    path = directory / f"{year}.json"
    if not path.is_file():
        raise MissingCalendar(year)
    calendar = parse_year(json.loads(path.read_text(encoding="utf-8")), where=path.name)
    if calendar.year != year:
        raise CalendarError(f"{path.name}: holds the year {calendar.year}")
    return calendar


def shipped_years(directory: Path = DATA) -> list[int]:
    return sorted(int(path.stem) for path in directory.glob("*.json") if path.stem.isdigit())


class Calendar:
    """Working days over the years it holds (by default: those shipped, read when asked)."""

    def __init__(self, years: Iterable[YearCalendar] | None = None) -> None:
        self._years = {c.year: c for c in years} if years is not None else None

    def year(self, year: int) -> YearCalendar:
        if self._years is None:
            return shipped_year(year)
        if year not in self._years:
            raise MissingCalendar(year)
        return self._years[year]

    def is_workday(self, day: dt.date) -> bool:
        calendar = self.year(day.year)
        if day in calendar.holidays:
            return False
        return day.weekday() < SATURDAY or day in calendar.workdays

    def count(self, after: dt.date, until: dt.date) -> int:
        """Working days in (after, until]: how many working days ``until`` is past ``after``
        (a report due on ``after`` and given on ``until`` is that many working days late);
        0 when ``until`` is not after ``after``."""
        days = 0
        day = after + dt.timedelta(days=1)
        while day <= until:
            days += self.is_workday(day)
            day += dt.timedelta(days=1)
        return days

    def add(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start`` (a publicity of 5 working days from
        ``start`` ends on ``add(start, 5)``); ``start`` itself when ``days`` is 0."""
        if days < 0:
            raise ValueError("days must be zero or more")
        day = start
        while days:
            day += dt.timedelta(days=1)
            days -= self.is_workday(day)
        return day
