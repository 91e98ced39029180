"""Progress read from targets, and how close a due date is: the one rule of each, plain Python.

No Django here, so every layer above the ledger uses the same arithmetic: the reports
(``Report.derived_progress``), the traffic lights (a report's progress, a
quarterly plan's expected share, the due dates of deadlines, milestones and reports), the
rectification items' lights (``duban.inspections.lights``) and the assessment.

- ``share_of_target``: how far a value has come towards a target, in per cent (at most 100).
  A ceiling (``<=``) is met or not rather than progressed towards, so it has no share; a target
  of zero or less has none either; a range counts towards its lower bound (``target_value``).
- ``progress_from_targets``: the least share over the targets that have one, rounded down;
  None when no target has a share.
- ``due_colour``: ``"red"`` once the due date has passed, ``"yellow"`` within ``yellow_days``
  days of it (the due day itself still counts as time left: 0 days), else None.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Literal

CEILING = "<="  # Target.op of an upper bound ("at most"), which has no progress

DueColour = Literal["red", "yellow"]


def share_of_target(value: Decimal, target_value: Decimal, op: str) -> Decimal | None:
    """``value`` as a percentage of ``target_value`` (at most 100), or None when the target is a
    ceiling or not positive."""
    if op == CEILING or target_value <= 0:
        return None
    return min(Decimal(100), Decimal(value) * 100 / Decimal(target_value))


def progress_from_targets(pairs: Iterable[tuple[Decimal, Decimal, str]]) -> int | None:
    """The least share (whole per cent, rounded down, 0–100) over ``(value, target value, op)``
    triples whose target has a share; None when none has."""
    shares = [
        share
        for share in (share_of_target(value, target, op) for value, target, op in pairs)
        if share is not None
    ]
    return int(max(Decimal(0), min(shares))) if shares else None


def days_left(due_on: date, today: date) -> int:
    """Days from ``today`` to ``due_on``: 0 on the due day, negative once it has passed."""
    return (due_on - today).days


def due_colour(due_on: date, today: date, yellow_days: int) -> DueColour | None:
    """Red past ``due_on``; yellow when ``yellow_days`` days or fewer are left (0 = due today);
    else None."""
    left = days_left(due_on, today)
    if left < 0:
        return "red"
    if left <= yellow_days:
        return "yellow"
    return None
