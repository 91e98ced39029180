"""The refinement stories come before the first quarter: the world as ``duban demo`` leaves it,
every period still planned (tests/support/world.py)."""

from __future__ import annotations

import pytest

from tests.support.world import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world(open_q1=False)
