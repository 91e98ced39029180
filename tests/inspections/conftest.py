"""The real seed (tests/reporting_reports/conftest.py) and an inspection of task 1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from duban.core.files import check_file
from duban.inspections import services
from duban.inspections.models import Finding, Inspection, InspectionState, RectificationItem
from tests.reporting_reports.conftest import (  # noqa: F401  (fixtures used by the tests)
    PASSWORD,
    Story,
    build_story,
    media,
    png_bytes,
    signed_in,
    story,
    story_committed,
    upload,
)


def plan_inspection(seed: Story) -> Inspection:
    return services.create_inspection(
        plan=seed.plan,
        topic="重大项目建设专项督查",
        tasks=[seed.task("1"), seed.task("2")],
        team="刘芳、张伟",
        starts_on=date(2023, 5, 8),
        ends_on=date(2023, 5, 12),
        state=InspectionState.UNDER_WAY,
        user=seed.liufang,
    )


def record_finding(seed: Story, inspection: Inspection) -> Finding:
    return services.record_finding(
        inspection=inspection,
        task=seed.task("1"),
        text="部分项目未按计划开工，现场未见施工。",
        severity="serious",
        found_on=date(2023, 5, 9),
        files=[check_file("现场.png", png_bytes())],
        user=seed.liufang,
    )


def raise_item(
    seed: Story, finding: Finding, deadline: date = date(2023, 6, 30)
) -> RectificationItem:
    return services.raise_item(
        finding=finding, text="6月底前完成项目开工手续", deadline=deadline, user=seed.liufang
    )


@pytest.fixture
def inspection(story: Story) -> Inspection:  # noqa: F811
    return plan_inspection(story)


@pytest.fixture
def finding(story: Story, inspection: Inspection) -> Finding:  # noqa: F811
    return record_finding(story, inspection)


@pytest.fixture
def item(story: Story, finding: Finding) -> RectificationItem:  # noqa: F811
    return raise_item(story, finding)


@pytest.fixture(autouse=True)
def _english_messages(settings: pytest.FixtureRequest) -> Iterator[None]:
    """These stories check the services' and pages' messages by their English wording (the
    Chinese is checked by the catalogue tests); pages follow LANGUAGE_CODE when the browser
    sends no language."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"  # type: ignore[attr-defined]
    with translation.override("en"):
        yield
