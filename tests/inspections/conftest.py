"""An inspection of task 1 in the world's world, and its messages in English."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from duban.core.files import check_file
from duban.inspections import services
from duban.inspections.models import Finding, Inspection, InspectionState, RectificationItem
from tests.support.files import png_bytes
from tests.support.world import World


def plan_inspection(seed: World) -> Inspection:
    return services.create_inspection(
        plan=seed.plan,
        topic="重大项目建设专项督查",
        tasks=[seed.task("1"), seed.task("2")],
        team="刘芳、张伟",
        starts_on=date(2023, 5, 8),
        ends_on=date(2023, 5, 12),
        state=InspectionState.UNDER_WAY,
        user=seed.office,
    )


def record_finding(seed: World, inspection: Inspection) -> Finding:
    return services.record_finding(
        inspection=inspection,
        task=seed.task("1"),
        text="部分项目未按计划开工，现场未见施工。",
        severity="serious",
        found_on=date(2023, 5, 9),
        files=[check_file("现场.png", png_bytes())],
        user=seed.office,
    )


def raise_item(
    seed: World, finding: Finding, deadline: date = date(2023, 6, 30)
) -> RectificationItem:
    return services.raise_item(
        finding=finding, text="6月底前完成项目开工手续", deadline=deadline, user=seed.office
    )


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
