"""The demo year, built once for the Chinese-interface tests (once per xdist worker)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.demo import DEMO_DATE, DemoYear, demo_year


@pytest.fixture(scope="package")
def demo_built(
    django_db_setup: None,
    django_db_blocker: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[DemoYear]:
    with demo_year(django_db_blocker, Path(tmp_path_factory.mktemp("demo-media"))) as built:
        yield built


@pytest.fixture
def year(demo_built: DemoYear, db: None, settings: pytest.FixtureRequest) -> DemoYear:
    """The demo year on 2023-08-15 (the date pinned, its files in place), each test in its own
    savepoint."""
    settings.MEDIA_ROOT = demo_built.media  # type: ignore[attr-defined]
    settings.DUBAN_TODAY = DEMO_DATE  # type: ignore[attr-defined]
    return demo_built
