"""Escalation suggestions from a task's light history: shown to the office, never acted on.

The rule (configurable through ``EscalationRule``):

- the ``yellows_for_notice``-th yellow light (default: the second) within one period suggests a
  督办 notice;
- a red light suggests a 约谈 (summons), recorded as a note when the office confirms.

Events are grouped by the plan's own reporting periods, never by a calendar quarter the plan
may not have: ``period_for`` gives a light the period whose dates contain its day (opens on …
due on), else the next period to open; a light after the last period belongs to no period, and
the suggestions it triggers name none.

``suggestions`` and ``period_for`` are pure functions (plain Python, no Django), so they are
tested without a database; ``duban.supervision.services.notices.light_events`` feeds them the
task's recorded lights and its plan's periods. Nothing is issued automatically: each suggestion
is a button that opens the form the office then fills and confirms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

GREEN = "green"
YELLOW = "yellow"
RED = "red"

SUPERVISE = "supervise"  # suggest a 督办 notice
SUMMONS = "summons"  # suggest a 约谈


@dataclass(frozen=True)
class PeriodSpan:
    """One of the plan's reporting periods, as the rule needs it."""

    key: str  # what identifies it in the plan (its code, 2023Q2)
    label: str  # how the office reads it (2023年第2季度)
    opens_on: date
    due_on: date


def period_for(day: date, periods: Iterable[PeriodSpan]) -> PeriodSpan | None:
    """The period a light given on ``day`` belongs to: the one whose dates contain the day (the
    earliest due when several do), else the next one to open; None after the last period."""
    ordered = sorted(periods, key=lambda p: (p.due_on, p.opens_on, p.key))
    for period in ordered:
        if period.opens_on <= day <= period.due_on:
            return period
    upcoming = [p for p in ordered if p.opens_on > day]
    return min(upcoming, key=lambda p: (p.opens_on, p.due_on, p.key)) if upcoming else None


@dataclass(frozen=True)
class LightEvent:
    """A light the task was given on a day, in one of the plan's periods (``period``, its key,
    and ``period_label``) or in none ("")."""

    on: date
    colour: str
    period: str = ""
    period_label: str = ""

    @classmethod
    def within(cls, on: date, colour: str, periods: Sequence[PeriodSpan]) -> LightEvent:
        """The event with the period ``period_for`` gives it."""
        found = period_for(on, periods)
        if found is None:
            return cls(on, colour)
        return cls(on, colour, found.key, found.label)


@dataclass(frozen=True)
class Suggestion:
    kind: str  # SUPERVISE or SUMMONS
    on: date  # the event that triggered it
    period: str  # the period's key; "" when the lights fall in no period
    count: int = 1  # yellows counted in the period (for SUPERVISE)
    period_label: str = ""  # how the office reads the period; "" for none


@dataclass(frozen=True)
class EscalationRule:
    yellows_for_notice: int = 2
    red_suggests_summons: bool = True


DEFAULT_RULE = EscalationRule()


def suggestions(
    events: Iterable[LightEvent], rule: EscalationRule = DEFAULT_RULE
) -> list[Suggestion]:
    """What the office might do, oldest first: one 督办 per period that reached the yellow
    count, one 约谈 per period with a red light (lights in no period count together)."""
    yellows: dict[str, int] = {}
    suggested: set[tuple[str, str]] = set()
    out: list[Suggestion] = []
    for event in sorted(events, key=lambda e: e.on):
        colour = event.colour.lower()
        key = event.period
        if colour == YELLOW:
            yellows[key] = yellows.get(key, 0) + 1
            if yellows[key] >= rule.yellows_for_notice and (SUPERVISE, key) not in suggested:
                suggested.add((SUPERVISE, key))
                out.append(Suggestion(SUPERVISE, event.on, key, yellows[key], event.period_label))
        elif colour == RED and rule.red_suggests_summons and (SUMMONS, key) not in suggested:
            suggested.add((SUMMONS, key))
            out.append(Suggestion(SUMMONS, event.on, key, period_label=event.period_label))
    return out
