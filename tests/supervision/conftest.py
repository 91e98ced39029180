"""The real seed (tests/reporting_reports/conftest.py) and a fixed day in 2023."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.reporting_reports.conftest import (  # noqa: F401 - fixtures used by the tests here
    Story,
    build_story,
    media,
    signed_in,
    story,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def may_4() -> Iterator[None]:
    with time_machine.travel(datetime(2023, 5, 4, 9, 30, tzinfo=SHANGHAI), tick=False):
        yield
