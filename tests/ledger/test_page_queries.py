"""The pages people open most cost the same queries for the 98 tasks of the seed as for many
more, and at most 15 (issue 13): the session, the account and the navigation's counts
included. ``bench/scale.py`` holds them to it at 2,000 and 20,000 tasks, with the time."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from duban.core import clock
from duban.ledger.models import Task, TaskStatus
from tests.support import factories
from tests.support.world import World

LIMIT = 15


def queries(client: Client, url: str) -> int:
    """Queries of one request, after one that warms what a page keeps (the session's first
    write, the plan's lights)."""
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured.captured_queries)


def grow(world: World, count: int) -> None:
    """``count`` more tasks led by 发改委 with 缑氏镇 and 各镇（街道） responsible."""
    fgw, town = world.unit("发改委"), world.unit("缑氏镇")
    towns = world.units["缑氏镇"].groups.model.objects.get(name="各镇（街道）")
    for i in range(count):
        factories.make_task(
            world.plan,
            f"补充任务{i + 1}：推进重点项目建设。",
            leaders=[world.leader("朱蕾")],
            lead=[fgw],
            responsible=[town, towns],
            deadline=date(2023, 12, 31),
            status=list(TaskStatus)[i % 4],
        )


@pytest.mark.parametrize(
    ("who", "pages"),
    [
        ("office", ["/ledger/", "/ledger/?page_size=all", "task", "/reporting/todo/", "/cockpit/"]),
        ("zhulei", ["/ledger/", "task", "/cockpit/"]),
        ("fgw", ["/ledger/", "task", "/reporting/todo/"]),
    ],
)
def test_the_pages_cost_the_same_queries_as_the_plan_grows(
    world: World, who: str, pages: list[str]
) -> None:
    client = world.as_user(world.user(who))
    task = f"/ledger/tasks/{world.task('1').pk}/"
    urls = [task if page == "task" else page for page in pages]
    with clock.pinned(date(2023, 3, 20)):
        before = {url: queries(client, url) for url in urls}
        grow(world, 60)
        assert Task.objects.filter(plan=world.plan).count() == 158
        after = {url: queries(client, url) for url in urls}
    assert before == after
    assert max(after.values()) <= LIMIT, after
