"""The traffic-light rules (红黄绿灯), pure: dates and facts in, a colour and its reasons out.

No Django here: ``services`` reads the database into the dataclasses below, this module decides.
Every rule that fires adds a ``Reason`` (a code and its parameters, rendered through i18n by
``duban.lights.display``); the worst colour wins and every reason is kept, worst first.

Rules (thresholds in ``Rules``, editable by the office on /lights/settings/):

- **Completed** (task status 已完成): green, nothing else is looked at.
- **Due dates** — the task's deadline, each milestone not yet reached, each report due: red once
  the date has passed (``overdue``, ``milestone_overdue``, ``report_missing``); yellow when
  ``days_before_yellow`` days or fewer remain, the due day itself included (``deadline_near``,
  ``milestone_near``, ``report_due``; ``days`` = 0 means "due today").
- **Reports**: only periods the office has opened (open or closed) count: a planned period
  cannot be reported on, so its due date is not the unit's fault. Submitted or accepted is
  done. A report submitted late (``days_late`` > 0) is yellow (``report_late``) while its period
  is the latest one due (until the next report falls due). A returned report waiting to be
  fixed is yellow (``report_returned``), never red: the unit did report. A draft is not
  submitted.
- **Pace** (形象进度): the progress of the latest submitted (or accepted) report is compared with
  the progress expected on that report's date (its period's due date, or today if earlier).
  With a refinement's quarterly plan, the expected progress is **interpolated linearly within
  each quarter**, from the previous quarter's value (0 on 1 January) to the quarter's value on
  its last day (31 March, 30 June, 30 September, 31 December; leap years count 29 February).
  Without one it is the share of the plan year elapsed (day of year ÷ days in the year, 100 on
  31 December). Behind by ``pace_yellow`` points or more: yellow; by more than ``pace_red``:
  red (``behind_pace``).
- **Lagging** (task status 滞后, set when the office accepts a report saying so): yellow.
- Nothing fired: green (``on_track``) once something has come due or been reported, else
  ``none`` (nothing due yet, ``nothing_due``).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from duban.ledger.progress import due_colour


class Colour(StrEnum):
    NONE = "none"
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


SEVERITY = {Colour.NONE: 0, Colour.GREEN: 1, Colour.YELLOW: 2, Colour.RED: 3}


def worst(*colours: Colour) -> Colour:
    return max(colours, key=SEVERITY.__getitem__, default=Colour.NONE)


@dataclass(frozen=True)
class Rules:
    """The thresholds (LightSettings holds the office's choice)."""

    days_before_yellow: int = 3
    pace_yellow: int = 10
    pace_red: int = 30
    time_pace: bool = True  # without a refinement, compare with the share of the year elapsed


@dataclass(frozen=True)
class MilestoneFact:
    description: str
    due_on: date
    reached: bool = False


@dataclass(frozen=True)
class PeriodFact:
    """A reporting period the office has opened, and this task's report for it."""

    code: str
    label: str
    due_on: date
    submitted: bool = False  # submitted or accepted
    returned: bool = False  # returned and not yet resubmitted
    days_late: int = 0
    progress: int | None = None  # the report's (effective) progress, when submitted


@dataclass(frozen=True)
class TaskFacts:
    today: date
    year: int  # the plan's year
    done: bool = False
    lagging: bool = False
    deadline: date | None = None
    milestones: Sequence[MilestoneFact] = ()
    periods: Sequence[PeriodFact] = ()
    quarter_percents: Mapping[int, int] | None = None  # the refinement's plan: {1: 25, …}


@dataclass(frozen=True)
class Reason:
    code: str
    colour: Colour
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    colour: Colour
    reasons: tuple[Reason, ...]


# --- Expected progress -----------------------------------------------------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    return date(year, first_month, 1), date(
        year, last_month, calendar.monthrange(year, last_month)[1]
    )


def time_elapsed_percent(on: date, year: int) -> float:
    """Share of the plan year elapsed at the end of ``on``: 1 Jan → 1/365, 31 Dec → 100."""
    if on.year < year:
        return 0.0
    if on.year > year:
        return 100.0
    days = 366 if calendar.isleap(year) else 365
    return 100.0 * on.timetuple().tm_yday / days


def planned_percent(on: date, year: int, quarters: Mapping[int, int]) -> float:
    """The refinement's expected progress at the end of ``on``, linear within each quarter."""
    if on.year < year:
        return 0.0
    if on.year > year:
        return float(_quarter_value(quarters, 4))
    quarter = (on.month - 1) // 3 + 1
    start, end = quarter_bounds(year, quarter)
    before = _quarter_value(quarters, quarter - 1) if quarter > 1 else 0
    after = _quarter_value(quarters, quarter)
    share = ((on - start).days + 1) / ((end - start).days + 1)
    return before + (after - before) * share


def _quarter_value(quarters: Mapping[int, int], quarter: int) -> int:
    """A quarter's expected percentage; a missing quarter keeps the last one given."""
    for q in range(quarter, 0, -1):
        if q in quarters:
            return quarters[q]
    return 0


def expected_percent(on: date, facts: TaskFacts, rules: Rules) -> tuple[int, bool] | None:
    """(expected %, from the refinement?) on ``on``; None when no pace applies."""
    if facts.quarter_percents:
        return _round(planned_percent(on, facts.year, facts.quarter_percents)), True
    if rules.time_pace:
        return _round(time_elapsed_percent(on, facts.year)), False
    return None


def _round(value: float) -> int:
    return int(value + 0.5)


# --- The rules -------------------------------------------------------------------------------


def _due(due_on: date, today: date, rules: Rules) -> Colour | None:
    """Red past the date, yellow within ``days_before_yellow`` days of it, else None (the one
    rule, ``duban.ledger.progress.due_colour``)."""
    colour = due_colour(due_on, today, rules.days_before_yellow)
    return Colour(colour) if colour is not None else None


def milestone_colour(
    due_on: date, reached: bool, today: date, rules: Rules | None = None
) -> Colour:
    """A milestone's own light: green once reached, red past its date, yellow close to it."""
    if reached:
        return Colour.GREEN
    return _due(due_on, today, rules or Rules()) or Colour.GREEN


def evaluate(facts: TaskFacts, rules: Rules | None = None) -> Outcome:
    rules = rules or Rules()
    today = facts.today
    if facts.done:
        return Outcome(Colour.GREEN, (Reason("done", Colour.GREEN),))
    reasons: list[Reason] = []
    something_due = False

    if facts.deadline is not None:
        colour = _due(facts.deadline, today, rules)
        days = (facts.deadline - today).days
        if colour == Colour.RED:
            reasons.append(Reason("overdue", colour, {"date": facts.deadline, "days": -days}))
        elif colour == Colour.YELLOW:
            reasons.append(Reason("deadline_near", colour, {"date": facts.deadline, "days": days}))
        something_due = something_due or days <= 0

    for milestone in facts.milestones:
        days = (milestone.due_on - today).days
        something_due = something_due or days <= 0 or milestone.reached
        if milestone.reached:
            continue
        colour = _due(milestone.due_on, today, rules)
        params = {"what": milestone.description, "date": milestone.due_on}
        if colour == Colour.RED:
            reasons.append(Reason("milestone_overdue", colour, {**params, "days": -days}))
        elif colour == Colour.YELLOW:
            reasons.append(Reason("milestone_near", colour, {**params, "days": days}))

    periods = sorted(facts.periods, key=lambda p: p.due_on)
    latest_due = [p for p in periods if p.due_on < today]
    current = latest_due[-1] if latest_due else None
    for period in periods:
        days = (period.due_on - today).days
        params = {"period": period.label, "date": period.due_on}
        if period.submitted or period.returned:
            something_due = True
        elif (colour := _due(period.due_on, today, rules)) == Colour.RED:
            reasons.append(Reason("report_missing", colour, {**params, "days": -days}))
        elif colour == Colour.YELLOW:
            reasons.append(Reason("report_due", colour, {**params, "days": days}))
        something_due = something_due or days < 0
        if period.returned:
            reasons.append(Reason("report_returned", Colour.YELLOW, params))
        if period.submitted and period.days_late > 0 and period is current:
            reasons.append(
                Reason("report_late", Colour.YELLOW, {**params, "days": period.days_late})
            )

    reported = [p for p in periods if p.submitted and p.progress is not None]
    if reported:
        last = reported[-1]
        on = min(last.due_on, today)
        expected = expected_percent(on, facts, rules)
        if expected is not None:
            value, planned = expected
            behind = value - (last.progress or 0)
            colour = None
            if behind > rules.pace_red:
                colour = Colour.RED
            elif behind >= rules.pace_yellow:
                colour = Colour.YELLOW
            if colour is not None:
                params = {
                    "expected": value,
                    "reported": last.progress,
                    "behind": behind,
                    "period": last.label,
                    "planned": planned,
                }
                reasons.append(Reason("behind_pace", colour, params))

    if facts.lagging:
        reasons.append(Reason("lagging", Colour.YELLOW))

    if not reasons:
        if something_due:
            return Outcome(Colour.GREEN, (Reason("on_track", Colour.GREEN),))
        return Outcome(Colour.NONE, (Reason("nothing_due", Colour.NONE),))
    reasons.sort(key=lambda r: -SEVERITY[r.colour])  # stable: rule order within a colour
    return Outcome(worst(*(r.colour for r in reasons)), tuple(reasons))
