"""The report form shows, beside its inputs, the period before's figures (its submitted or
accepted report) and the quarter's planned 形象进度 from the approved refinement."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from duban.reporting.services.guide import guide_for
from tests.support import year
from tests.support.reporting import target
from tests.support.world import World


@pytest.fixture(autouse=True)
def _july(settings: pytest.FixtureRequest) -> None:
    settings.DUBAN_TODAY = dt.date(2023, 7, 5)  # type: ignore[attr-defined]


def form(client: Client, world: World, code: str, number: str = "1") -> str:
    url = reverse("reporting:report_edit", args=[world.task(number).pk, world.period(code).pk])
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def target_row(page: str, world: World, label: str) -> str:
    found = re.search(rf'<tr data-target="{target(world.task("1"), label)}">.*?</tr>', page, re.S)
    assert found is not None, label
    return found.group(0)


def test_the_q2_form_shows_q1s_figures_and_the_planned_progress(world: World) -> None:
    year.refine_task_1(world, percents=(25, 50, 75, 100))
    year.report(world, world.task("1"), world.q1, investment="80", progress=30)
    year.open_q2(world)
    page = form(world.as_unit("发改委"), world, "2023Q2")

    guide = re.search(r'<dl class="facts report-guide".*?</dl>', page, re.S)
    assert guide is not None
    assert "2023年第1季度报送进度" in guide.group(0)
    assert re.search(r'data-guide="previous-progress">30%<', guide.group(0))
    assert "第2季度计划形象进度" in guide.group(0)
    assert re.search(r'data-guide="expected-progress">50%<', guide.group(0))
    # Each target: what Q1 reported beside this period's input.
    assert ">2023年第1季度报送值<" in page
    row = target_row(page, world, year.INVESTMENT)
    assert re.search(r'data-guide="previous">80亿元<', row)
    assert 'name="target_' in row  # the input is in the same row
    others = target_row(page, world, "项目")
    assert 'data-guide="previous">—<' in others  # Q1 gave no figure for it
    # The plan was by percentage: no column of planned values.
    assert "计划值" not in page


def test_a_plan_by_targets_shows_each_targets_planned_value(world: World) -> None:
    year.refine_task_1(
        world,
        targets={
            "台账化推进总投资": ["863", "863", "863", "863"],
            "项目": ["100", "150", "220", "270"],
            year.INVESTMENT: ["60", "150", "220", "294"],
        },
    )
    year.open_q2(world)
    page = form(world.as_unit("发改委"), world, "2023Q2")
    assert ">第2季度计划值<" in page
    assert re.search(r'data-guide="expected">150亿元<', target_row(page, world, year.INVESTMENT))
    assert re.search(r'data-guide="expected">150个<', target_row(page, world, "项目"))
    # The planned progress those values make: the least share, 150 of 294亿元, is 51%.
    assert re.search(r'data-guide="expected-progress">51%<', page)
    # Q1 has no report: nothing of the period before.
    assert "报送进度" not in page and "报送值" not in page


def test_a_draft_or_returned_report_of_the_period_before_is_not_shown(world: World) -> None:
    year.report(world, world.task("1"), world.q1, investment="80", progress=30, submit=False)
    year.open_q2(world)
    guide = guide_for(world.task("1"), world.period("2023Q2"))
    assert not guide.previous_reported and guide.previous_progress is None
    page = form(world.as_unit("发改委"), world, "2023Q2")
    assert "报送进度" not in page and 'id="report-guide"' not in page


def test_the_first_quarter_shows_its_plan_and_the_year_end_the_fourth(world: World) -> None:
    year.refine_task_1(world, percents=(25, 50, 75, 100))
    page = form(world.as_unit("发改委"), world, "2023Q1")
    assert "第1季度计划形象进度" in page and "报送进度" not in page
    assert re.search(r'data-guide="expected-progress">25%<', page)
    year_end = guide_for(world.task("1"), world.period("2023Y"))
    assert (year_end.quarter, year_end.expected_percent) == (4, 100)
    assert year_end.previous_label == "2023年第4季度"


def test_the_figures_derive_progress_when_the_report_states_none(world: World) -> None:
    year.report(world, world.task("1"), world.q1, investment="80")
    year.open_q2(world)
    guide = guide_for(world.task("1"), world.period("2023Q2"))
    assert guide.previous_progress == 27  # 80 of 294亿元
    assert guide.targets[target(world.task("1"), year.INVESTMENT)].previous == "80亿元"
