"""A fixed morning in 2023 for the 待办 stories (2023Q1 is open in the world)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.clock import at


@pytest.fixture
def may_4() -> Iterator[None]:
    with at(2023, 5, 4):
        yield
