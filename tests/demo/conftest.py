"""The mid-year demo, built once for the package: test_mid_year.py reads it as it is,
test_full_year.py takes the year on to 2024-01-20 inside it (and undoes that when it ends)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.demo import DemoYear, demo_year


@pytest.fixture(scope="package")
def mid_year(
    django_db_setup: None,
    django_db_blocker: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[DemoYear]:
    with demo_year(django_db_blocker, Path(tmp_path_factory.mktemp("demo-media"))) as built:
        yield built
