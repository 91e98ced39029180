"""The ledger shows each task's light and filters by it (counts and pages included), and its
latest progress and report state; the Excel export adds 方面, 灯色, 进度 and the latest 进展情况."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter

import pytest
from django.test import Client
from openpyxl import load_workbook

from duban.ledger.models import Task
from duban.lights.display import colour_label
from duban.lights.services import lights_for, set_override
from tests.support import year
from tests.support.world import World

APRIL = dt.date(2023, 4, 10)
COLOURS = ("green", "yellow", "red", "none")


@pytest.fixture(autouse=True)
def _april(settings: pytest.FixtureRequest) -> None:
    settings.DUBAN_TODAY = APRIL  # type: ignore[attr-defined]


@pytest.fixture
def lit(world: World) -> World:
    """Task 1 reported on time and accepted (30%: green), task 2 set yellow by the office,
    task 3's report still a draft; every other task's Q1 report is missing (red)."""
    year.report(world, world.task("1"), world.q1, investment="80", progress=30)
    set_override(world.office, world.task("2"), "yellow", "用地手续滞后，提醒关注。")
    year.report(world, world.task("3"), world.q1, text="草稿，尚未提交。", submit=False)
    return world


def expected(tasks: object) -> Counter[str]:
    return Counter(str(light.colour) for light in lights_for(tasks, today=APRIL).values())  # type: ignore[arg-type]


def light_options(response: object) -> dict[str, str]:
    [facet] = [f for f in response.context["options"]["facets"] if f.name == "light"]  # type: ignore[attr-defined]
    return {option.value: option.label for option in facet.options}


def test_the_light_filter_finds_and_counts_each_colour(lit: World) -> None:
    office = lit.as_office()
    counts = expected(lit.plan.tasks.all())
    assert counts["green"] >= 1 and counts["yellow"] >= 1 and counts["red"] > 50
    response = office.get("/ledger/")
    labels = light_options(response)
    assert labels == {
        "green": f"绿灯（{counts['green']}）",
        "yellow": f"黄灯（{counts['yellow']}）",
        "red": f"红灯（{counts['red']}）",
        "none": f"暂无亮灯（{counts['none']}）",
    }
    assert '<select name="light">' in response.content.decode()
    lights = lights_for(lit.plan.tasks.all(), today=APRIL)
    for colour in COLOURS:
        found = office.get("/ledger/", {"light": colour})
        assert found.context["page_obj"].paginator.count == counts[colour], colour
        assert all(str(row.light.colour) == colour for row in found.context["rows"])
        assert found.context["filter"].active is (True)
    # The office's yellow is the override's; task 1 is green.
    yellow = office.get("/ledger/", {"light": "yellow"}).context["rows"]
    assert "2" in [row.task.number for row in yellow]
    green = [row.task.number for row in office.get("/ledger/", {"light": "green"}).context["rows"]]
    assert "1" in green and str(lights[lit.task("1").pk].colour) == "green"


def test_the_light_filter_pages_and_keeps_the_other_filters(lit: World) -> None:
    office = lit.as_office()
    red = expected(lit.plan.tasks.all())["red"]
    first = office.get("/ledger/", {"light": "red"})
    html = first.content.decode()
    assert first.context["page_obj"].paginator.num_pages == 2
    assert re.search(r'href="\?light=red&amp;page=2"', html)  # the pages keep the light
    second = office.get("/ledger/", {"light": "red", "page": 2})
    rows = second.context["rows"]
    assert len(rows) == red - 50 and all(row.light.colour == "red" for row in rows)
    assert 'href="/ledger/export.xlsx?light=red"' in html  # so does the export

    # With 朱蕾 chosen, the lights count her tasks; the leaders count the chosen light.
    zhu = lit.leader("朱蕾")
    hers = Task.objects.filter(task_leaders__leader=zhu)
    mine = office.get("/ledger/", {"leader": zhu.pk})
    assert light_options(mine)["green"] == f"绿灯（{expected(hers)['green']}）"
    both = office.get("/ledger/", {"leader": zhu.pk, "light": "red"})
    assert both.context["page_obj"].paginator.count == expected(hers)["red"]
    leaders = {o.value: o.label for o in both.context["options"]["leaders"]}
    assert leaders[str(zhu.pk)] == f"朱蕾（{expected(hers)['red']}）"


def test_a_unit_filters_its_own_tasks_by_light(lit: World) -> None:
    fgw = lit.as_unit("发改委")
    mine = Task.objects.restrict(lit.fgw)
    counts = expected(mine)
    for colour in COLOURS:
        found = fgw.get("/ledger/", {"light": colour})
        assert found.context["page_obj"].paginator.count == counts[colour]


def test_an_unknown_light_is_ignored(lit: World) -> None:
    response = lit.as_office().get("/ledger/", {"light": "purple"})
    assert response.status_code == 200
    assert not response.context["filter"].active
    assert response.context["page_obj"].paginator.count == 98


def test_each_row_shows_its_latest_progress_and_report_state(lit: World) -> None:
    response = lit.as_office().get("/ledger/")
    html = response.content.decode()
    rows = {row.task.number: row for row in response.context["rows"]}
    assert rows["1"].latest.progress == 30
    assert (rows["1"].latest.state_label, rows["1"].latest.period_label) == (
        "已通过",
        "2023年第1季度",
    )
    # A draft: its state, but no progress yet.
    assert rows["3"].latest.state == "draft" and rows["3"].latest.progress is None
    assert rows["4"].latest.state_label == "未填报"
    assert ">进度与报送<" in html
    cell = re.search(r'<tr class="task-row">(?:(?!</tr>).)*?>1</a>.*?</tr>', html, re.S)
    assert cell is not None
    assert "30%" in cell.group(0) and "已通过" in cell.group(0)
    assert 'data-label="牵头单位"' in html  # the cells name themselves for the phone's cards
    assert ">draft<" not in html and "rs-draft" in html


def sheet_rows(client: Client, **params: str) -> list[list[object]]:
    response = client.get("/ledger/export.xlsx", params)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_export_adds_area_light_progress_and_the_latest_progress_made(lit: World) -> None:
    header, *rows = sheet_rows(lit.as_office())
    assert header[1] == "方面" and header[9:] == ["灯色", "进度", "最新进展情况"]
    by_number = {str(row[0]): row for row in rows}
    lights = lights_for(lit.plan.tasks.all(), today=APRIL)
    first = by_number["1"]
    assert first[1] == "一、围绕实体经济扩投资，培育现代化偃师建设新动能工作"
    assert first[9] == "绿灯" == colour_label(lights[lit.task("1").pk].colour)
    assert first[10] == "30%"
    assert first[11] == "2023年第1季度：一季度开工项目45个，完成投资80亿元。"
    assert by_number["2"][9] == "黄灯"  # the office's override
    assert not by_number["3"][10] and not by_number["3"][11]  # a draft says nothing yet
    assert all(row[9] in ("绿灯", "黄灯", "红灯", "暂无亮灯") for row in rows)

    # Without a stated progress, the figures give it (80 of 294亿元: 27%).
    lit.period("2023Q2")  # exists, still planned
    year.open_q2(lit)
    year.report(lit, lit.task("1"), lit.period("2023Q2"), investment="80", text="二季度推进中。")
    again = {str(row[0]): row for row in sheet_rows(lit.as_office())[1:]}
    assert again["1"][10] == "27%" and again["1"][11] == "2023年第2季度：二季度推进中。"

    # The export follows the light filter like the page.
    green = sheet_rows(lit.as_office(), light="green")[1:]
    assert green and all(row[9] == "绿灯" for row in green)
