"""The Yanshi directory and the seed notice, as the import tests need them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from duban.directory.services import load_directory
from duban.intake.pipeline import DEMO_DIRECTORY

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seed" / "yanshi-2023-notice.txt"


@pytest.fixture
def directory(db: None) -> None:
    load_directory(json.loads(DEMO_DIRECTORY.read_text(encoding="utf-8")))


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()


def revised_seed() -> bytes:
    """The seed with task 46 removed and task 47's text changed, as a revised notice would be."""
    text = SEED.read_text(encoding="utf-8")
    text, removed = re.subn(r"46\. 加快智慧城市建设，建好数字城管。\n+(?:.+\n+){3}", "", text)
    assert removed == 1
    text = text.replace(
        "开展交通秩序、文明素质提升等攻坚行动", "开展交通秩序、文明素质提升等专项攻坚行动"
    )
    return text.encode("utf-8")


@pytest.fixture
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    return tmp_path
