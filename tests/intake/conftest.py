"""The Yanshi directory and the seed notice, as the import tests need them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from duban.directory.services import load_directory
from duban.intake.pipeline import DEMO_DIRECTORY
from tests.support.notices import SEED


@pytest.fixture
def directory(db: None) -> None:
    load_directory(json.loads(DEMO_DIRECTORY.read_text(encoding="utf-8")))


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    return tmp_path
