"""A province's 待办: a town responsible for hundreds of tasks sees each section's count and its
first 50 items, and opens a section to see them all, 200 a page; the counts are those of the
navigation bar."""

from __future__ import annotations

import re
from datetime import date

from bs4 import BeautifulSoup

from duban.core import clock
from duban.core.todo import count_for, counts_for, todo_for
from duban.reporting.services.todo import Kind
from tests.support import factories
from tests.support.refinement import nav_count
from tests.support.world import World

SECTION = f"todo-{Kind.CONTRIBUTIONS}"


def grow(world: World, count: int) -> None:
    """``count`` more tasks on which 缑氏镇 is responsible (发改委 leads)."""
    fgw, town = world.unit("发改委"), world.unit("缑氏镇")
    for i in range(count):
        factories.make_task(
            world.plan,
            f"补充任务{i + 1}：推进重点项目建设。",
            lead=[fgw],
            responsible=[town],
            deadline=date(2023, 12, 31),
        )


def numbers(section: BeautifulSoup) -> list[str]:
    return [row["data-task"] for row in section.select("tr.todo-item")]


def test_a_long_section_lists_its_first_items_under_its_count(world: World) -> None:
    grow(world, 230)
    client = world.as_unit("缑氏镇")
    with clock.pinned(date(2023, 3, 20)):
        total = counts_for(world.goushi)[Kind.CONTRIBUTIONS]
        assert total > 250
        page = client.get("/reporting/todo/")
    soup = BeautifulSoup(page.content, "lxml")
    section = soup.select_one(f"#{SECTION}")
    assert section["data-count"] == str(total)
    assert section.select_one("h2 .badge").get_text() == str(total)
    listed = numbers(section)
    assert len(listed) == 50
    more = section.select_one(".todo-more a")
    assert more.get_text() == f"共{total}项，此处列出前50项：查看全部"
    assert more["href"] == f"?section={Kind.CONTRIBUTIONS}"
    # The page's total and the navigation's count are every item, listed or not.
    assert int(soup.select_one(".todo-total")["data-total"]) == count_for(world.goushi)
    assert nav_count(page.content.decode()) == count_for(world.goushi)

    # The section in full, 200 a page, in the same order.
    with clock.pinned(date(2023, 3, 20)):
        first = BeautifulSoup(client.get("/reporting/todo/" + more["href"]).content, "lxml")
        second = BeautifulSoup(
            client.get("/reporting/todo/", {"section": Kind.CONTRIBUTIONS, "page": 2}).content,
            "lxml",
        )
    assert [s["id"] for s in first.select("section.todo-section")] == [SECTION]
    whole = numbers(first.select_one(f"#{SECTION}")) + numbers(second.select_one(f"#{SECTION}"))
    assert len(whole) == total and whole[:50] == listed
    assert len(set(whole)) == total
    pages = first.select_one("nav.pagination").get_text(" ", strip=True)
    assert re.search(rf"第1—200项，共{total}项", pages)
    assert first.select_one('nav.pagination a[rel="next"]') is not None
    assert second.select_one('nav.pagination a[rel="prev"]') is not None


def test_limited_todo_agrees_with_the_whole(world: World) -> None:
    grow(world, 60)
    with clock.pinned(date(2023, 3, 20)):
        whole = todo_for(world.goushi)
        limited = todo_for(world.goushi, limit=50)
    assert limited.total == whole.total == count_for(world.goushi)
    for full, cut in zip(whole.sections, limited.sections, strict=True):
        assert (full.kind, full.count) == (cut.kind, cut.count)
        assert [item.key or item.task.pk for item in cut.items] == [
            item.key or item.task.pk for item in full.items[:50]
        ]
        assert cut.more == max(0, full.count - 50)


def test_an_unknown_section_or_page_shows_nothing_broken(world: World) -> None:
    client = world.as_unit("缑氏镇")
    for params in ({"section": "nothing"}, {"section": Kind.CONTRIBUTIONS, "page": "x"}):
        with clock.pinned(date(2023, 3, 20)):
            response = client.get("/reporting/todo/", params)
        assert response.status_code == 200
        assert "全部待办" in response.content.decode()
