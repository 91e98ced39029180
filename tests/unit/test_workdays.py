"""Working days by the State Council's calendars shipped for 2023 and 2024, counted as the
assessment rules count them (late by N working days, a publicity of N working days)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from duban.core.workdays import (
    Calendar,
    CalendarError,
    MissingCalendar,
    parse_year,
    shipped_year,
    shipped_years,
)

D = dt.date
calendar = Calendar()


def test_2023_and_2024_are_shipped_with_their_source() -> None:
    assert {2023, 2024} <= set(shipped_years())
    assert "国办发明电〔2022〕16号" in shipped_year(2023).source
    assert "国办发明电〔2023〕7号" in shipped_year(2024).source


@pytest.mark.parametrize(
    ("day", "works"),
    [
        (D(2023, 1, 2), False),  # 元旦, a Monday
        (D(2023, 1, 20), True),  # the Friday before 春节
        (D(2023, 1, 27), False),  # 春节's last day, a Friday
        (D(2023, 1, 28), True),  # a Saturday worked in exchange
        (D(2023, 1, 29), True),  # a Sunday worked in exchange
        (D(2023, 4, 5), False),  # 清明节, a Wednesday
        (D(2023, 4, 23), True),  # a Sunday worked before 劳动节
        (D(2023, 8, 15), True),  # an ordinary Tuesday
        (D(2023, 8, 19), False),  # an ordinary Saturday
        (D(2023, 10, 2), False),  # 国庆节
        (D(2023, 10, 7), True),  # a Saturday worked after it
        (D(2024, 2, 18), True),  # a Sunday worked after 春节 2024
        (D(2024, 6, 10), False),  # 端午节 2024, a Monday
    ],
)
def test_a_day_is_worked_as_the_notice_says(day: dt.date, works: bool) -> None:
    assert calendar.is_workday(day) is works


def test_2023_has_the_working_days_of_its_year() -> None:
    # 260 weekdays − 18 of them off (元旦 1, 春节 5, 清明 1, 劳动节 3, 端午 2, 中秋国庆 6)
    # + 7 weekend days worked = 249 (1 January is a Sunday, so (1 Jan, 31 Dec] holds them all).
    assert calendar.count(D(2023, 1, 1), D(2023, 12, 31)) == 249


def test_lateness_in_working_days_skips_the_holiday() -> None:
    # Q1 due on Friday 31 March; given on Thursday 6 April: 3 Apr, 4 Apr, 6 Apr (5th is 清明节).
    assert calendar.count(D(2023, 3, 31), D(2023, 4, 6)) == 3
    # Q2 due on Friday 30 June, given on Monday 3 July: one working day late.
    assert calendar.count(D(2023, 6, 30), D(2023, 7, 3)) == 1
    # On time or early is never late.
    assert calendar.count(D(2023, 6, 30), D(2023, 6, 30)) == 0
    assert calendar.count(D(2023, 6, 30), D(2023, 6, 20)) == 0


def test_a_publicity_period_ends_after_its_working_days() -> None:
    # Five working days from Monday 15 January 2024 end on Monday 22 January.
    assert calendar.add(D(2024, 1, 15), 5) == D(2024, 1, 22)
    # Over 春节 2024: from Thursday 8 February, 2 working days are the 9th and the 18th (worked).
    assert calendar.add(D(2024, 2, 8), 2) == D(2024, 2, 18)
    # Across the year's end.
    assert calendar.add(D(2023, 12, 29), 1) == D(2024, 1, 2)
    assert calendar.add(D(2023, 8, 15), 0) == D(2023, 8, 15)
    with pytest.raises(ValueError):
        calendar.add(D(2023, 8, 15), -1)


def test_a_year_without_its_calendar_is_never_guessed() -> None:
    with pytest.raises(MissingCalendar) as missing:
        calendar.is_workday(D(2031, 3, 3))
    assert missing.value.year == 2031
    with pytest.raises(MissingCalendar):  # counting into a year the calendar does not hold
        Calendar([shipped_year(2024)]).count(D(2024, 12, 30), D(2025, 1, 3))
    only_2023 = Calendar([shipped_year(2023)])
    assert only_2023.is_workday(D(2023, 1, 28))
    with pytest.raises(MissingCalendar):
        only_2023.add(D(2023, 12, 29), 1)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"year": 2023, "holidays": [["2023-02-03", "2023-02-01"]], "workdays": []}, "ends before"),
        ({"year": 2023, "holidays": [["2024-01-01", "2024-01-01"]], "workdays": []}, "not in 2023"),
        (
            {"year": 2023, "holidays": [["2023-01-28", "2023-01-28"]], "workdays": ["2023-01-28"]},
            "both a holiday and a working day",
        ),
        ({"year": 2023, "holidays": [], "workdays": ["2023-01-30"]}, "is a weekday"),
        ({"year": 2023, "holidays": [["2023-13-01", "2023-13-02"]], "workdays": []}, "ValueError"),
        ({"year": 2023, "workdays": []}, "KeyError"),
    ],
)
def test_a_calendar_that_does_not_hold_together_is_refused(data: dict, says: str) -> None:
    with pytest.raises(CalendarError, match=says) as refused:
        parse_year(data, where="2023.json")
    assert str(refused.value).startswith("2023.json: ")


def test_a_file_must_hold_the_year_it_is_named_for(tmp_path: Path) -> None:
    (tmp_path / "2030.json").write_text(
        json.dumps({"year": 2029, "holidays": [], "workdays": []}), encoding="utf-8"
    )
    with pytest.raises(CalendarError, match="holds the year 2029"):
        shipped_year(2030, tmp_path)
