"""Every figure of the cockpit links to the ledger filtered to exactly the tasks behind it.

Each link is read back through the ledger's own filter (``TaskFilter.from_params`` and
``filter_tasks``, as the ledger page does, as the person sees it) and compared with the figure;
a few are opened as pages too. On the hand-built record of tests/support/cockpit.py."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AbstractUser
from django.test import Client

from duban.core import clock
from duban.directory.models import Leader
from duban.ledger.facets import FacetValues, task_facets
from duban.ledger.models import Task
from duban.ledger.queries import Directory, TaskFilter, filter_tasks, plan_tasks
from tests.support.cockpit import DAY, build_record
from tests.support.world import World

COUNTED = ("areas_light", "areas_status", "leaders", "lead_units", "townships", "reports")


@pytest.fixture
def recorded(world: World) -> World:
    build_record(world)
    return world


def linked_tasks(world: World, user: AbstractUser, url: str, values: FacetValues) -> set[str]:
    """The numbers of the tasks the ledger shows ``user`` at ``url`` (every page)."""
    parts = urlsplit(url)
    assert parts.path == "/ledger/"
    params = dict(parse_qsl(parts.query))
    directory = Directory.load()
    task_filter = TaskFilter.from_params(params).restricted(
        world.plan.areas.values_list("pk", flat=True),
        Leader.objects.values_list("pk", flat=True),
        directory.units,
    )
    assert len(params) == sum(
        1 for name in TaskFilter.NAMES[:-1] if getattr(task_filter, name)
    ) + len(task_filter.facets), f"the ledger ignores part of {url}"
    visible = Task.objects.restrict(user)
    found = filter_tasks(world.plan, task_filter, directory, visible, values, user)
    return set(found.values_list("number", flat=True))


def check_every_link(world: World, user: AbstractUser, data: dict[str, Any]) -> int:
    values = FacetValues.read(
        plan_tasks(world.plan, Task.objects.restrict(user)),
        [facet.name for facet in task_facets()],
        user,
    )
    checked = 0
    for chart in data["charts"]:
        for series in chart["series"]:
            for index, cell in enumerate(series["data"]):
                where = f"{chart['key']} {chart['categories'][index]} {series['key']}"
                if not cell["url"]:
                    assert cell["value"] == 0, where
                    continue
                tasks = linked_tasks(world, user, cell["url"], values)
                if chart["key"] in COUNTED:
                    assert len(tasks) == cell["value"], where
                elif chart["key"] == "trend":
                    assert round(100 * len(tasks) / data["tasks"], 1) == cell["value"], where
                checked += 1
    return checked


def test_every_link_of_the_office_gives_its_tasks(recorded: World) -> None:
    with clock.pinned(DAY):
        data = recorded.as_office().get("/cockpit/data.json").json()
        assert check_every_link(recorded, recorded.office, data) > 120
        values = FacetValues.read(
            plan_tasks(recorded.plan), [facet.name for facet in task_facets()], recorded.office
        )

        def tasks_of(key: str, category: str, series: str) -> set[str]:
            chart = next(chart for chart in data["charts"] if chart["key"] == key)
            cell = next(s for s in chart["series"] if s["key"] == series)["data"][
                chart["categories"].index(category)
            ]
            return linked_tasks(recorded, recorded.office, cell["url"], values)

        area = "一、围绕实体经济扩投资，培育现代化偃师建设新动能工作"
        assert tasks_of("areas_light", area, "red") == {"4", *map(str, range(6, 13))}
        assert tasks_of("areas_light", area, "yellow") == {"2", "5"}
        assert tasks_of("areas_status", area, "lagging") == {"4"}
        assert tasks_of("reports", "2023年第1季度", "late") == {"1"}
        assert tasks_of("reports", "2023年第1季度", "returned") == {"2"}
        assert tasks_of("trend", "2023年第1季度", "done") == {"1"}
        assert tasks_of("trend", "2023年第1季度", "accepted") == {"1", "3"}
        # The notices' and items' tasks: a period 催办 stands for every task it lists.
        assert tasks_of("notices", "催办", "open") == {"2", "5", "6"}
        assert tasks_of("notices", "催办", "overdue") == {"5", "6"}
        assert tasks_of("notices", "督办", "overdue") == {"1"}
        assert tasks_of("rectification", "整改中", "open") == {"1", "2"}
        assert tasks_of("rectification", "整改中", "overdue") == {"1"}


def test_every_link_of_a_leader_gives_her_tasks(recorded: World) -> None:
    with clock.pinned(DAY):
        data = recorded.as_leader("朱蕾").get("/cockpit/data.json").json()
        assert check_every_link(recorded, recorded.zhulei, data) > 20


def found(client: Client, url: str) -> tuple[int, list[str]]:
    """The ledger page's count and the numbers of the tasks on its first page."""
    with clock.pinned(DAY):
        response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "lxml")
    match = re.search(r"共(\d+)项任务", soup.select_one(".found").get_text())
    assert match is not None
    numbers = [cell.get_text(strip=True) for cell in soup.select("tr.task-row td.col-number")]
    return int(match.group(1)), numbers


def test_the_ledger_pages_behind_the_links(recorded: World) -> None:
    """Opened as pages: a red bar of an area, a period's late reports, open 督办, with the
    chosen filter shown (and clearable) in the ledger's filter bar."""
    client = recorded.as_office()
    with clock.pinned(DAY):
        data = client.get("/cockpit/data.json").json()
    chart = next(chart for chart in data["charts"] if chart["key"] == "areas_light")
    red = next(s for s in chart["series"] if s["key"] == "red")["data"][0]["url"]
    assert red == f"/ledger/?area={recorded.plan.areas.get(number=1).pk}&light=red"
    assert found(client, red) == (8, ["4", "6", "7", "8", "9", "10", "11", "12"])

    assert found(client, "/ledger/?report=2023Q1-late") == (1, ["1"])
    assert found(client, "/ledger/?notice=urge") == (3, ["2", "5", "6"])
    with clock.pinned(DAY):
        page = BeautifulSoup(client.get("/ledger/?report=2023Q1-late").content, "lxml")
    select = page.select_one("select[name=report]")
    assert select is not None
    chosen = select.select_one("option[selected]")
    assert chosen["value"] == "2023Q1-late" and chosen.get_text() == "2023年第1季度：逾期报送（1）"
    # Without it, the ledger's filter bar does not offer the cockpit's filters.
    with clock.pinned(DAY):
        plain = BeautifulSoup(client.get("/ledger/").content, "lxml")
    assert (
        plain.select("select[name=report], select[name=notice], select[name=rectification]") == []
    )
