"""Who opens the cockpit, page and JSON alike: whoever reads the ledger without acting for a
unit (the office, leaders, viewers). A unit's operators and the administrators get 403, the
navigation shows the link to exactly those who may open it, and a leader who may read the whole
plan switches between her own tasks and the whole plan."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from duban.core import permissions
from duban.core.permissions import Actor
from tests.support.world import World

ALLOWED = ["office", "chaxun", "zhulei", "yezhanfang"]
REFUSED = ["fgw", "goushi", "gongxin", "archive", "xitong", "anquan", "shenji"]


def test_who_opens_the_cockpit(world: World) -> None:
    for url in ("/cockpit/", "/cockpit/data.json"):
        for username in ALLOWED:
            response = world.as_user(world.user(username)).get(url)
            assert response.status_code == 200, (username, url)
        for username in REFUSED:
            response = world.as_user(world.user(username)).get(url)
            assert response.status_code == 403, (username, url)
            assert response["Content-Type"].startswith("text/html")  # the refusal, no figures
        anonymous = Client().get(url)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/accounts/login/")
        # A stale link to a plan that is gone.
        assert world.as_office().get(f"{url}?plan=999999").status_code == 404
    # A unit's operator is told why, and where its tasks are.
    refusal = world.as_unit("发改委").get("/cockpit/").content.decode()
    assert "驾驶舱供督查室、领导和查阅人员使用；本单位的任务请在首页查看。" in refusal


def test_the_navigation_links_the_cockpit_for_those_who_may_open_it(world: World) -> None:
    for username in ALLOWED + REFUSED:
        page = world.as_user(world.user(username)).get("/directory/units/")
        soup = BeautifulSoup(page.content, "lxml")
        linked = soup.select_one('#mainnav a[href="/cockpit/"]') is not None
        assert linked == (username in ALLOWED), username


@pytest.fixture
def zhulei_reads_all(world: World) -> Iterator[None]:
    """朱蕾's account as if her office let leaders read every task (an Actor that leads tasks and
    reads all): the rule, not a role, decides what the cockpit offers."""
    source = permissions._source
    assert source is not None

    def read(user: object) -> Actor:
        who = source(user)
        if who.user_id == world.zhulei.pk:
            return dataclasses.replace(who, reads_all=True)
        return who

    permissions.register_actor_source(read)
    yield
    permissions.register_actor_source(source)


def test_a_leader_who_may_read_the_plan_switches_to_it(
    world: World, zhulei_reads_all: None
) -> None:
    client = world.as_leader("朱蕾")
    page = BeautifulSoup(client.get("/cockpit/").content, "lxml")
    switch = {
        a["data-scope"]: (a.get_text(), a.get("aria-current")) for a in page.select("[data-scope]")
    }
    assert switch == {"mine": ("我牵头的任务", "page"), "all": ("全部任务", None)}
    assert client.get("/cockpit/data.json").json()["tasks"] == 19
    everything = client.get("/cockpit/data.json?scope=all").json()
    assert (everything["scope"], everything["tasks"]) == ("all", 98)
    # The whole plan's links name no leader, but in the chart per leader.
    urls = [
        cell["url"]
        for chart in everything["charts"]
        if chart["key"] != "leaders"
        for series in chart["series"]
        for cell in series["data"]
    ]
    assert urls and not any("leader=" in url for url in urls)
    page = BeautifulSoup(client.get("/cockpit/?scope=all").content, "lxml")
    assert page.select_one("#cockpit")["data-src"] == "/cockpit/data.json?scope=all"


def test_without_the_right_there_is_no_switch(world: World) -> None:
    """朱蕾 reads only the tasks she leads: her own tasks, whatever the scope asked for."""
    client = world.as_leader("朱蕾")
    page = BeautifulSoup(client.get("/cockpit/?scope=all").content, "lxml")
    assert page.select("[data-scope]") == []
    data = client.get("/cockpit/data.json?scope=all").json()
    assert (data["scope"], data["tasks"]) == ("all", 19)
    viewer = world.as_viewer().get("/cockpit/data.json?scope=mine").json()
    assert (viewer["scope"], viewer["tasks"]) == ("all", 98)
