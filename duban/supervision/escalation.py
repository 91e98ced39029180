"""Escalation suggestions from a task's light history: shown to the office, never acted on.

The rule (configurable through ``EscalationRule``):

- the ``yellows_for_notice``-th yellow light (default: the second) within one period suggests a
  督办 notice;
- a red light suggests a 约谈 (summons), recorded as a note when the office confirms.

``suggestions`` is a pure function of the events (plain Python, no Django), so it is tested
without a database; ``duban.supervision.services.notices.light_events`` feeds it the task's recorded
lights. Nothing is issued automatically: each suggestion is a button that opens the form the
office then fills and confirms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

GREEN = "green"
YELLOW = "yellow"
RED = "red"

SUPERVISE = "supervise"  # suggest a 督办 notice
SUMMONS = "summons"  # suggest a 约谈


@dataclass(frozen=True)
class LightEvent:
    """A light the task was given on a day; ``period`` groups the events (2023Q2), else the
    calendar quarter of ``on``."""

    on: date
    colour: str
    period: str = ""

    @property
    def period_key(self) -> str:
        return self.period or f"{self.on.year}Q{(self.on.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class Suggestion:
    kind: str  # SUPERVISE or SUMMONS
    on: date  # the event that triggered it
    period: str
    count: int = 1  # yellows counted in the period (for SUPERVISE)


@dataclass(frozen=True)
class EscalationRule:
    yellows_for_notice: int = 2
    red_suggests_summons: bool = True


DEFAULT_RULE = EscalationRule()


def suggestions(
    events: Iterable[LightEvent], rule: EscalationRule = DEFAULT_RULE
) -> list[Suggestion]:
    """What the office might do, oldest first: one 督办 per period that reached the yellow
    count, one 约谈 per period with a red light."""
    yellows: dict[str, int] = {}
    suggested: set[tuple[str, str]] = set()
    out: list[Suggestion] = []
    for event in sorted(events, key=lambda e: e.on):
        colour = event.colour.lower()
        key = event.period_key
        if colour == YELLOW:
            yellows[key] = yellows.get(key, 0) + 1
            if yellows[key] >= rule.yellows_for_notice and (SUPERVISE, key) not in suggested:
                suggested.add((SUPERVISE, key))
                out.append(Suggestion(SUPERVISE, event.on, key, yellows[key]))
        elif colour == RED and rule.red_suggests_summons and (SUMMONS, key) not in suggested:
            suggested.add((SUMMONS, key))
            out.append(Suggestion(SUMMONS, event.on, key))
    return out
