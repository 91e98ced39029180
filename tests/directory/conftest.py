"""The Yanshi directory alone, for the stories about the directory file itself; the stories
with people use the world (tests/support/world.py)."""

from __future__ import annotations

import pytest

from duban.directory.files import DEMO_FILE, read_directory_file
from duban.directory.services import load_directory


@pytest.fixture
def demo_directory(db: None) -> dict[str, int]:
    """The Yanshi District directory, as `duban directory load demo` leaves it."""
    return load_directory(read_directory_file(DEMO_FILE))
