"""Days of 2023 in Shanghai time, frozen for the stories that depend on the date."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int) -> time_machine.travel:
    """Half past nine in the morning of that day, the clock stopped."""
    return time_machine.travel(datetime(year, month, day, 9, 30, tzinfo=SHANGHAI), tick=False)
