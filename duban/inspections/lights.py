"""The lights of rectification items (整改事项): plain Python, no Django.

- green: the item is closed (销号), whatever its deadline;
- red: not closed and the deadline has passed (the deadline day itself still counts as time left);
- yellow: not closed and ``warn_days`` days or fewer remain before the deadline (0 = due today);
- none: not closed, more time left (or no deadline at all).

Red and yellow are the one due-date rule, ``duban.ledger.progress.due_colour``; ``warn_days`` is
the traffic lights' threshold (``LightSettings.days_before_yellow``), passed in by the caller.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from duban.ledger.progress import due_colour


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NONE = "none"


def item_light(*, deadline: date | None, closed: bool, today: date, warn_days: int) -> Light:
    """The light of an item due on ``deadline`` as seen on ``today``."""
    if closed:
        return Light.GREEN
    if deadline is None:
        return Light.NONE
    colour = due_colour(deadline, today, warn_days)
    return Light(colour) if colour is not None else Light.NONE
