"""The cockpit's figures (``/cockpit/data.json``) on the hand-built record of tests/support/
cockpit.py: real counts, chart by chart, and the same figures in the page's tables."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from duban.core import clock
from tests.support.cockpit import DAY, build_record
from tests.support.world import World


@pytest.fixture
def recorded(world: World) -> World:
    build_record(world)
    return world


def figures(client: Client, url: str = "/cockpit/data.json") -> dict[str, Any]:
    with clock.pinned(DAY):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def table(data: dict[str, Any], key: str) -> dict[str, dict[str, int | float]]:
    """A chart as {category: {series key: value}}."""
    chart = next(chart for chart in data["charts"] if chart["key"] == key)
    return {
        category: {series["key"]: series["data"][i]["value"] for series in chart["series"]}
        for i, category in enumerate(chart["categories"])
    }


def test_the_office_sees_the_whole_plan(recorded: World) -> None:
    data = figures(recorded.as_office())
    assert (data["scope"], data["tasks"], data["as_of"]) == ("all", 98, "2023-04-10")
    keys = [chart["key"] for chart in data["charts"]]
    assert keys == [
        "areas_light",
        "areas_status",
        "trend",
        "leaders",
        "lead_units",
        "townships",
        "reports",
        "notices",
        "rectification",
    ]  # no scores: nothing is assessed yet

    areas = table(data, "areas_light")
    first = "一、围绕实体经济扩投资，培育现代化偃师建设新动能工作"
    assert next(iter(areas)) == first
    assert areas[first] == {"green": 2, "yellow": 2, "red": 8}  # tasks 1–12
    assert sum(sum(row.values()) for row in areas.values()) == 98
    assert table(data, "areas_status")[first] == {
        "done": 1,
        "in_progress": 0,
        "not_started": 10,
        "lagging": 1,
    }

    assert table(data, "leaders")["朱蕾"] == {"green": 2, "yellow": 1, "red": 16}  # her 19 tasks
    assert table(data, "lead_units")["发改委"] == {"green": 2, "yellow": 1, "red": 5}  # 1–4, 30 …
    towns = table(data, "townships")
    assert len(towns) == 13 and list(towns)[:2] == ["首阳山街道", "商城街道"]

    assert table(data, "reports") == {"2023年第1季度": {"late": 1, "returned": 1, "missing": 96}}
    assert table(data, "trend") == {"2023年第1季度": {"done": 1.0, "accepted": 2.0}}
    trend = next(chart for chart in data["charts"] if chart["key"] == "trend")
    assert trend["series"][0]["data"][0]["text"] == "1.0%（1项任务）"

    assert table(data, "notices") == {
        "催办": {"open": 2, "overdue": 1},
        "督办": {"open": 1, "overdue": 1},
        "挂牌督办": {"open": 0, "overdue": 0},
    }
    assert table(data, "rectification") == {
        "整改中": {"open": 2, "overdue": 1},
        "已报送": {"open": 0, "overdue": 0},
        "退回整改": {"open": 0, "overdue": 0},
        "已核验": {"open": 0, "overdue": 0},
    }


def test_a_leader_sees_her_own_tasks(recorded: World) -> None:
    data = figures(recorded.as_leader("朱蕾"))
    assert (data["scope"], data["tasks"]) == ("mine", 19)
    assert table(data, "leaders")["朱蕾"] == {"green": 2, "yellow": 1, "red": 16}
    # Her tasks only: the period 催办 lists tasks 5 and 6, which she does not lead.
    assert table(data, "notices")["催办"] == {"open": 1, "overdue": 0}
    assert table(data, "reports") == {"2023年第1季度": {"late": 1, "returned": 1, "missing": 17}}
    # Every link keeps her to her tasks.
    urls = [
        cell["url"]
        for chart in data["charts"]
        for series in chart["series"]
        for cell in series["data"]
        if cell["url"]
    ]
    leader = recorded.leader("朱蕾").pk
    assert urls and all(f"leader={leader}" in url for url in urls)


def test_the_page_shows_the_same_figures_as_tables(recorded: World) -> None:
    with clock.pinned(DAY):
        response = recorded.as_office().get("/cockpit/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "lxml")
    assert soup.select_one("#cockpit")["data-src"] == "/cockpit/data.json?scope=all"
    assert "截至2023年4月10日" in soup.get_text()
    rows = soup.select('table[data-chart-table="reports"] tbody tr')
    cells = [[td.get_text(strip=True) for td in row.find_all(["th", "td"])] for row in rows]
    assert cells == [["2023年第1季度", "1", "1", "96"]]
    late = rows[0].find_all("td")[0].a["href"]
    assert late == "/ledger/?report=2023Q1-late"
    tiles = {
        a.span.get_text(): (a.strong.get_text(), a["href"]) for a in soup.select(".cockpit-tile")
    }
    assert tiles["红灯"] == ("94", "/ledger/?light=red")
    assert tiles["已完成"] == ("1", "/ledger/?status=done")
    # One chart canvas per chart, each with its table.
    canvases = [div["data-chart-canvas"] for div in soup.select("[data-chart-canvas]")]
    assert canvases == [t["data-chart-table"] for t in soup.select("[data-chart-table]")]
    assert len(canvases) == 9
