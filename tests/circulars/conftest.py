"""The real seed, a Q1 situation and frozen days in 2023."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from tests.reporting_reports.conftest import (  # noqa: F401 - fixtures used by the tests here
    Story,
    build_story,
    media,
    q1_input,
    signed_in,
    story,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int) -> time_machine.travel:
    return time_machine.travel(datetime(year, month, day, 9, 30, tzinfo=SHANGHAI), tick=False)
