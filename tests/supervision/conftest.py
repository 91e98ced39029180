"""A fixed day in 2023 for the supervision stories."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine

from tests.support.clock import SHANGHAI


@pytest.fixture
def may_4() -> Iterator[None]:
    with time_machine.travel(datetime(2023, 5, 4, 9, 30, tzinfo=SHANGHAI), tick=False):
        yield
