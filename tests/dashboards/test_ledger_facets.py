"""The ledger filters the cockpit links to (``?report=``, ``?notice=``, ``?rectification=``):
read as the person sees the record, forgiving of bad values, and absent from the ledger's
filter bar until chosen."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from duban.core import clock
from tests.support.cockpit import DAY, build_record
from tests.support.excel import load
from tests.support.world import World


@pytest.fixture
def recorded(world: World) -> World:
    build_record(world)
    return world


def ledger(client: Client, query: str) -> tuple[int, list[str], BeautifulSoup]:
    with clock.pinned(DAY):
        response = client.get(f"/ledger/?{query}")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "lxml")
    match = re.search(r"共(\d+)项任务", soup.select_one(".found").get_text())
    assert match is not None
    numbers = [cell.get_text(strip=True) for cell in soup.select("tr.task-row td.col-number")]
    return int(match.group(1)), numbers, soup


def test_a_unit_finds_only_its_own_rectification_items(recorded: World) -> None:
    """Both items are 发改委's: its operator finds tasks 1 and 2; 工信局 sees task 2 but not
    发改委's item on it, so the filter finds nothing for it."""
    assert ledger(recorded.as_unit("发改委"), "rectification=open")[:2] == (2, ["1", "2"])
    assert ledger(recorded.as_unit("工信局"), "rectification=open")[:2] == (0, [])
    assert ledger(recorded.as_viewer(), "rectification=open-overdue")[:2] == (1, ["1"])


def test_filters_combine_and_count_under_the_others(recorded: World) -> None:
    count, numbers, soup = ledger(recorded.as_office(), "report=2023Q1-missing&notice=urge")
    assert (count, numbers) == (3, ["2", "5", "6"])  # task 2's report was returned: missing
    options = {o["value"]: o.get_text() for o in soup.select("select[name=report] option")}
    # The period's choices that would find tasks, counted under the other filter (?notice=urge).
    assert options == {
        "": "全部任务",
        "2023Q1-returned": "2023年第1季度：报告曾被退回（1）",
        "2023Q1-missing": "2023年第1季度：未报送（3）",
    }
    notice = {o["value"]: o.get_text() for o in soup.select("select[name=notice] option")}
    assert notice["urge"] == "未办结的催办（3）" and notice["supervise"] == "未办结的督办（0）"


def test_a_value_the_filters_do_not_know_is_left_out(recorded: World) -> None:
    client = recorded.as_office()
    for query in ("report=2023Q1-bogus", "report=2023Q9-late", "notice=x", "rectification=closed"):
        count, _numbers, soup = ledger(client, query)
        assert count == 98, query
        chosen = soup.select("select[name=report], select[name=notice], select[name=rectification]")
        assert chosen == [], query


def test_the_export_holds_the_same_tasks(recorded: World) -> None:
    with clock.pinned(DAY):
        response = recorded.as_office().get("/ledger/export.xlsx?notice=urge-overdue")
    assert response.status_code == 200
    sheet = load(response.content).active
    numbers = {str(row[0]) for row in sheet.iter_rows(values_only=True) if row[0]}
    assert {"5", "6"} <= numbers and not {"1", "2", "3", "4", "7"} & numbers
