"""The lights of rectification items (整改事项): plain Python, no Django.

- green: the item is closed (销号), whatever its deadline;
- red: not closed and the deadline has passed (the deadline day itself still counts as time left);
- yellow: not closed and ``warn_days`` days or fewer remain before the deadline (0 = due today);
- none: not closed, more time left (or no deadline at all).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

DEFAULT_WARN_DAYS = 3


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NONE = "none"


def item_light(
    *, deadline: date | None, closed: bool, today: date, warn_days: int = DEFAULT_WARN_DAYS
) -> Light:
    """The light of an item due on ``deadline`` as seen on ``today``."""
    if closed:
        return Light.GREEN
    if deadline is None:
        return Light.NONE
    remaining = (deadline - today).days
    if remaining < 0:
        return Light.RED
    if remaining <= warn_days:
        return Light.YELLOW
    return Light.NONE
