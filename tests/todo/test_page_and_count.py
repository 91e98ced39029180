"""Every role's 待办 in a busy year: the kinds each one has, the count of the navigation bar
(one query, whatever the user, equal to the page's total), and the page in Chinese — dates as
2023年5月15日, periods by name, every item a link that opens."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from duban.core.permissions import actor
from duban.core.todo import count_for, sources, todo_for
from duban.inspections.todo import ITEMS_TO_CLOSE, ITEMS_TO_REPORT, ITEMS_TO_VERIFY
from duban.reporting import context as reporting_context
from duban.reporting.services.todo import Kind
from duban.reporting.views import todo as todo_views
from duban.supervision.todo import (
    ESCALATIONS,
    EXTENSIONS_DECIDED,
    EXTENSIONS_TO_DECIDE,
    NOTICES_TO_ANSWER,
    NOTICES_TO_SIGN,
    REPLIES_TO_ACCEPT,
)
from tests.support.clock import at
from tests.support.refinement import nav_count
from tests.support.todo import busy_year, kinds
from tests.support.world import World, signed_in

EVERYONE = ["fgw", "chenjing", "goushi", "gongxin", "archive", "office", "zhulei", "chaxun"]
ADMINS = ["xitong", "anquan", "shenji"]


@pytest.fixture
def busy(world: World) -> World:
    busy_year(world)
    return world


@pytest.fixture(autouse=True)
def _may_5() -> object:
    with at(2023, 5, 5):
        yield


def test_the_sources_are_registered_in_their_order() -> None:
    assert [s.name for s in sources()] == ["supervision", "reporting", "inspections", "assessment"]


def test_each_role_has_its_kinds(busy: World) -> None:
    unit = {NOTICES_TO_SIGN, NOTICES_TO_ANSWER, EXTENSIONS_DECIDED, ITEMS_TO_REPORT}
    assert unit | {Kind.REPORTS_TO_WRITE, Kind.REFINEMENTS_TO_WRITE} <= kinds(busy.fgw)
    assert kinds(busy.chenjing) == kinds(busy.fgw)  # the unit's, not the clerk's
    office = {REPLIES_TO_ACCEPT, EXTENSIONS_TO_DECIDE, ESCALATIONS, ITEMS_TO_VERIFY, ITEMS_TO_CLOSE}
    assert kinds(busy.office) == office
    assert kinds(busy.gongxin) & (unit | office) == {NOTICES_TO_ANSWER}  # co-operating unit
    assert not kinds(busy.goushi) & (unit | office)
    assert not kinds(busy.archive) & (unit | office)
    for name in ("zhulei", "chaxun", *ADMINS):
        assert todo_for(busy.user(name)).sections == []


@pytest.mark.parametrize("name", EVERYONE + ADMINS)
def test_the_count_is_the_total_in_one_query(
    busy: World, name: str, django_assert_max_num_queries: object
) -> None:
    user = busy.user(name)
    total = todo_for(user).total
    actor(user)  # the membership, which every page reads anyway
    with django_assert_max_num_queries(1):  # type: ignore[operator]
        assert count_for(user) == total
    assert (total > 0) == (name not in ("archive", "zhulei", "chaxun", *ADMINS))


def sections(html: str) -> list[str]:
    return re.findall(r'<section class="card todo-section.*?</section>', html, re.S)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("name", ["fgw", "office", "gongxin"])
def test_the_page_in_chinese(busy: World, name: str) -> None:
    user = busy.user(name)
    client = signed_in(Client(), user)
    html = client.get("/reporting/todo/").content.decode()
    todo = todo_for(user)
    assert int(re.search(r'data-total="(\d+)"', html).group(1)) == todo.total  # type: ignore[union-attr]
    assert nav_count(html) == todo.total
    shown = sections(html)
    assert [re.search(r'id="todo-(\w+)"', s).group(1) for s in shown] == [  # type: ignore[union-attr]
        s.kind for s in todo.sections
    ]
    words = text_of("".join(shown))
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\b\d{4}Q\d\b|\b\d{4}Y\b", words), words
    assert not re.search(r"[A-Za-z]{3,}", words), words  # no English, no internal value
    for section in todo.sections:
        assert section.title in words
        for item in section.items:
            assert f'href="{item.link}"' in html
            if item.due_on:
                assert f"{item.due_on.year}年{item.due_on.month}月{item.due_on.day}日" in words
            if item.period_label:
                assert item.period_label in words
            assert client.get(item.link).status_code == 200, item.link


def test_the_office_page_names_what_waits(busy: World) -> None:
    words = text_of(signed_in(Client(), busy.office).get("/reporting/todo/").content.decode())
    for title in (
        "待审核的督办反馈",
        "待审批的延期申请",
        "预警升级建议",
        "待核查的整改报告",
        "待销号的整改事项",
    ):
        assert title in words
    assert "2023年第2季度已亮2次黄灯，建议督办。" in words
    assert "2023年7月31日 → 2023年10月31日" in words


def test_the_unit_page_marks_what_is_late(busy: World) -> None:
    with at(2023, 5, 16):  # notice 1 and 2 were to be answered by 15 May
        html = signed_in(Client(), busy.fgw).get("/reporting/todo/").content.decode()
    [to_sign] = [s for s in sections(html) if 'id="todo-notices_to_sign"' in s]
    assert 'data-overdue="1"' in to_sign and "逾期" in text_of(to_sign)
    assert "已同意，时限调整为2023年9月30日。" in text_of(html)


def test_at_phone_width_each_item_is_a_card() -> None:
    css = (Path(__file__).parents[2] / "duban/core/static/duban.css").read_text(encoding="utf-8")
    block = css[css.index("/* == 待办 at phone width") :]
    block = block[: block.index("/* == end 待办 at phone width")]
    assert "@media (max-width: 600px)" in block
    assert ".todo-table thead" in block and "display: none" in block
    assert ".todo-table tr.todo-item" in block and "display: block" in block


@pytest.mark.parametrize("name", ["fgw", "office", "gongxin"])
def test_the_page_counts_once_for_itself_and_the_navigation(busy: World, name: str) -> None:
    """On the 待办 page the navigation's count is the page's total, not counted again."""
    user = busy.user(name)
    client = signed_in(Client(), user)
    todo_views._KEPT.clear()
    reporting_context._COUNTS.clear()
    with CaptureQueriesContext(connection) as asked:
        page = client.get("/reporting/todo/").content.decode()
    counted = [q for q in asked if "todo_kind" in q["sql"]]
    assert len(counted) == 1
    assert nav_count(page) == todo_for(user).total == count_for(user) > 0
