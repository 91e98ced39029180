"""A stopped clock for the two-factor tests: a code is good for one 30-second step and is
never accepted twice, so the tests move time on explicitly (``clock.shift(30)``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    start = datetime(2024, 3, 1, 9, 0, 5, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(start, tick=False) as traveller:
        yield traveller
