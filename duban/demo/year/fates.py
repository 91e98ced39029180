"""Which task does what in the demo year: every choice comes from the task's number.

Nothing is random. The first half (to the mid-year demo date, 2023-08-15) follows ``profile``
and the modulo rules beside it; the second half (Q3, Q4 and the year-end report) follows the
``*_turn`` functions and a few named tasks that carry the year's stories (``VETO_TASKS`` …).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dates import day, next_year, workday

# --- The first half ----------------------------------------------------------------------------

GREEN = "green"
DONE = "done"  # completed in Q2
BEHIND = "behind"  # Q2 progress 12–18 points behind the plan: yellow
FAR_BEHIND = "far_behind"  # more than 30 points behind: red, status 滞后
LATE = "late"  # the Q2 report came a few days late: yellow
RETURNED = "returned"  # the Q2 report is back with the unit: yellow
MISSING = "missing"  # no Q2 report submitted (a draft, or nothing): red


def profile(n: int) -> str:
    """What the task's year looks like on the mid-year demo date."""
    if n % 47 == 39:
        return DONE
    if n % 19 == 11:
        return MISSING
    if n % 31 == 17:
        return FAR_BEHIND
    if n % 11 == 4:
        return BEHIND
    if n % 13 == 6:
        return LATE
    if n % 17 == 9:
        return RETURNED
    return GREEN


def refinement_fate(n: int) -> str:
    """``draft`` (not submitted by mid-year), ``returned`` (waiting for the lead unit at
    mid-year), ``again`` (returned once, fixed and approved) or ``approved``. The drafts and
    the returned ones are submitted and approved in September."""
    if n % 29 == 7:
        return "draft"
    if n % 31 == 12:
        return "returned"
    if n % 10 == 3:
        return "again"
    return "approved"


def percents(n: int) -> list[int]:
    """The refinement's expected progress at the end of each quarter."""
    return [15 + (n % 3) * 5, 40 + (n % 4) * 5, 70 + (n % 3) * 5, 100]


def q1_late_days(n: int) -> int:
    return 2 + n % 9 if n % 7 == 3 else 0


# --- The second half: Q3, Q4 and the year-end report (2023Y) -----------------------------------

VETO_TASKS = (11, 70)  # 财政局's two lead tasks: both missed, no extension asked (a veto)
EXTENDED_TASK = 48  # 交通局: its last milestone extended into 2024, and the year missed
FALSIFIED_TASK = 81  # 生态环境局: Q3 progress overstated, found by the year-end inspection
MISSED_TASK = 92  # 人社局: one task missed
MISSED = (*VETO_TASKS, EXTENDED_TASK, FALSIFIED_TASK, MISSED_TASK)  # not completed in 2023
RECOVERED = (17, 79)  # far behind at mid-year, pressed, completed by the year's end


def done_in_q3(n: int) -> bool:
    """Completed early: the Q3 report says so, with its evidence (besides Q2's ``DONE``)."""
    return n % 23 == 5 and profile(n) == GREEN and refinement_fate(n) == "approved"


@dataclass(frozen=True)
class Turn:
    """How a task's report for one period goes: submitted on ``submitted`` (None: never),
    returned once by the office and submitted again, or saved as a draft some days before."""

    submitted: dt.date | None
    returned: bool = False
    draft_first: bool = False


def q3_turn(n: int) -> Turn:
    """Due Saturday 30 September, in the National Day holiday (29 Sep – 6 Oct; 7 and 8 October
    are worked): 7–9 October is 1–3 working days late, from 11 October more than 3."""
    if n in (VETO_TASKS[0], 94):
        return Turn(None)
    if n == 57:
        return Turn(day(10, 16))  # only after a 督办
    if n % 13 == 7:
        submitted = (day(10, 7), day(10, 8), day(10, 9))[n % 3]
    elif n % 17 == 3:
        submitted = workday(day(10, 11 + n % 5))
    else:
        submitted = workday(day(9, 18 + n % 9))
    return Turn(submitted, returned=n % 9 == 4, draft_first=n % 5 == 2)


def q4_turn(n: int) -> Turn:
    """Due Sunday 31 December (1 January off): 2–4 January is 1–3 working days late, from
    8 January more than 3. On time means before the last milestone (15–24 December)."""
    if n == VETO_TASKS[1]:
        return Turn(None)
    if n == VETO_TASKS[0]:
        submitted = next_year(1, 9)
    elif n % 14 == 9:
        submitted = (next_year(1, 2), next_year(1, 3), next_year(1, 4))[n % 3]
    elif n % 19 == 2:
        submitted = next_year(1, 8)
    else:
        submitted = workday(day(12, 8 + n % 5))
    return Turn(submitted, returned=n % 11 == 6, draft_first=n % 5 == 4)


def year_end_turn(n: int) -> Turn:
    """Due Wednesday 10 January 2024 (the office sets the date in November): 11–15 January is
    1–3 working days late, 17 January more than 3. A returned one came without evidence."""
    if n == VETO_TASKS[1]:
        return Turn(None)
    if n % 16 == 3:
        submitted = (next_year(1, 11), next_year(1, 12), next_year(1, 15))[n % 3]
    elif n % 29 == 13:
        submitted = next_year(1, 17)
    else:
        submitted = workday(next_year(1, 3 + n % 6))
    return Turn(submitted, returned=n % 15 == 8)
