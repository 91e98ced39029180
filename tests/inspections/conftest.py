"""An inspection of task 1 in the world's world, and its messages in English."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from duban.inspections.models import Finding, Inspection, RectificationItem
from tests.support.inspections import plan_inspection, raise_item, record_finding
from tests.support.world import World


@pytest.fixture
def inspection(world: World) -> Inspection:
    return plan_inspection(world)


@pytest.fixture
def finding(world: World, inspection: Inspection) -> Finding:
    return record_finding(world, inspection)


@pytest.fixture
def item(world: World, finding: Finding) -> RectificationItem:
    return raise_item(world, finding)


@pytest.fixture(autouse=True)
def _english_messages(settings: pytest.FixtureRequest) -> Iterator[None]:
    """These stories check the services' and pages' messages by their English wording (the
    Chinese is checked by the catalogue tests); pages follow LANGUAGE_CODE when the browser
    sends no language."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"  # type: ignore[attr-defined]
    with translation.override("en"):
        yield
