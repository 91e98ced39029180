"""Reading and checking a report's target figures: plain arithmetic, no Django.

The report form and the Excel import read every figure with ``read_figure`` and the report
service checks it against its target with ``check_figure`` (``reports.check_figures``):

- a figure is a plain decimal number (``1,234.5`` and full-width digits too) with at most four
  decimal places, under a trillion: exponent notation (``1e3``, ``2E+5``), anything that is not
  a number and a negative figure are refused (errors);
- a figure more than ``OVER_FACTOR`` (3) times its target (the upper end of a range) is a
  warning;
- figures are year-to-date values: every target but a ceiling (``<=``, 审批时间 ≤ 40个工作日)
  only grows over the year, as the refinement's quarterly values do, so a figure lower than
  the one the previous period's submitted or accepted report gave is a warning.

A warning is not an error: the author confirms it (我已核实以上数据无误, 已核实超常数据) and
the office sees what was confirmed. Messages are untranslated English msgids with their
parameters (numbers as Decimals); the service formats and translates them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

OVER_FACTOR = Decimal(3)
LIMIT = Decimal("1e12")  # the stored field holds 16 digits, four of them decimals
PLACES = Decimal("0.0001")
CEILING = "<="  # TargetOp.LE: a target that must stay low may go down
RANGE = "range"

_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_EXPONENT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+$")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－＋ｅＥ", "0123456789.,-+eE")


def N_(message: str) -> str:
    """Marks a message for translation; the service translates it."""
    return message


NOT_A_NUMBER = N_("“%(target)s”: “%(value)s” is not a number.")
EXPONENT = N_(
    "“%(target)s”: “%(value)s” is written in exponent notation; write the number out in plain "
    "digits."
)
NEGATIVE = N_("“%(target)s”: %(value)s cannot be negative.")
TOO_MANY_DIGITS = N_(
    "“%(target)s”: “%(value)s” has too many digits (at most four decimal places, less than a "
    "trillion)."
)
OVER_TARGET = N_(
    "“%(target)s”: %(value)s%(unit)s is more than 3 times the target of %(goal)s%(unit)s; "
    "please confirm."
)
BELOW_PREVIOUS = N_(
    "“%(target)s”: %(value)s%(unit)s is lower than the %(previous)s%(unit)s reported for the "
    "previous quarter (%(period)s); please confirm the figure is the cumulative value for the "
    "year."
)


class FigureError(ValueError):
    """A figure that cannot be taken: an untranslated message and its parameters."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params)
        self.message, self.params = message, params


def read_figure(value: Any, target: str) -> Decimal | None:
    """A plain, non-negative decimal number, or None for an empty value.

    ``value`` is what was typed (text) or an Excel cell's number; ``target`` names the target
    in the messages. Raises ``FigureError``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    shown = str(value).strip()
    if isinstance(value, bool):
        raise FigureError(NOT_A_NUMBER, target=target, value=shown)
    if isinstance(value, int | float | Decimal):  # a number cell: no notation was typed
        number = _from_number(value, target, shown)
    else:
        text = shown.translate(_FULL_WIDTH).replace(",", "").replace(" ", "")
        if _EXPONENT.match(text):
            raise FigureError(EXPONENT, target=target, value=shown)
        if not _PLAIN.match(text):
            raise FigureError(NOT_A_NUMBER, target=target, value=shown)
        number = Decimal(text)
    if number < 0:
        raise FigureError(NEGATIVE, target=target, value=shown)
    if abs(number) >= LIMIT or number != number.quantize(PLACES):
        raise FigureError(TOO_MANY_DIGITS, target=target, value=shown)
    return number + 0  # -0 is 0


def _from_number(value: int | float | Decimal, target: str, shown: str) -> Decimal:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FigureError(NOT_A_NUMBER, target=target, value=shown)
        if abs(value - round(value, 4)) < 1e-9:
            value = round(value, 4)  # 0.30000000000000004 from a formula is 0.3
        try:
            return Decimal(repr(value))
        except InvalidOperation:  # pragma: no cover - repr of a finite float is a number
            raise FigureError(NOT_A_NUMBER, target=target, value=shown) from None
    if isinstance(value, Decimal) and not value.is_finite():
        raise FigureError(NOT_A_NUMBER, target=target, value=shown)
    return Decimal(value)


@dataclass(frozen=True)
class Goal:
    """What the check knows of a target, and what the previous period's report said of it."""

    label: str
    unit: str
    op: str
    value: Decimal
    value_max: Decimal | None = None
    previous: Decimal | None = None  # the previous period's submitted or accepted figure
    previous_period: str = ""  # that period's name (2023年第1季度)


@dataclass(frozen=True)
class Finding:
    """One thing to say about a figure: an error, or a warning the author must confirm."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)
    warning: bool = True


def cumulative(op: str) -> bool:
    """Whether a target's figure is a year-to-date value that does not go down."""
    return op != CEILING


def check_figure(goal: Goal, value: Decimal) -> list[Finding]:
    """What is wrong (errors) or unusual (warnings) about ``value`` as ``goal``'s figure."""
    base = {"target": goal.label, "value": value, "unit": goal.unit}
    if value < 0:
        return [Finding(NEGATIVE, base, warning=False)]
    findings = []
    top = goal.value_max if goal.op == RANGE and goal.value_max is not None else goal.value
    if top > 0 and value > OVER_FACTOR * top:
        findings.append(Finding(OVER_TARGET, {**base, "goal": top}))
    if cumulative(goal.op) and goal.previous is not None and value < goal.previous:
        params = {**base, "previous": goal.previous, "period": goal.previous_period}
        findings.append(Finding(BELOW_PREVIOUS, params))
    return findings
