"""In real Chromium at a phone's width (390 px): 发改委's 待办 reads as cards, one per item,
within the screen, each cell named, the overdue ones marked."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from duban.core.todo import todo_for
from tests.support.browser import sign_in
from tests.support.todo import busy_year
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}
# Set DUBAN_SCREENSHOTS=/some/dir to keep a picture of the page at phone width.
SCREENSHOTS = os.environ.get("DUBAN_SCREENSHOTS")


def test_at_phone_width_each_item_is_a_card(
    page: Page, live_server: LiveServer, world_committed: World
) -> None:
    busy_year(world_committed)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "fgw", "/reporting/todo/")
    cards = page.locator("table.todo-table tr.todo-item")
    expect(cards).to_have_count(todo_for(world_committed.fgw).total)
    expect(page.locator("table.todo-table thead").first).to_be_hidden()
    for index in range(min(cards.count(), 12)):
        card = cards.nth(index)
        assert card.evaluate("el => getComputedStyle(el).display") == "block"
        box = card.bounding_box()
        assert box is not None and box["width"] > 250 and box["x"] >= 0
        assert box["x"] + box["width"] <= 390
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/phone-todo.png", full_page=True)
    notice = page.locator("#todo-notices_to_sign tr.todo-item").first
    due = notice.locator("td[data-label]").last
    assert due.evaluate("el => getComputedStyle(el, '::before').content") == '"截止日期："'
    assert "年" in due.inner_text()  # 2023年5月15日
    link = notice.locator("a.todo-link")
    link_box = link.bounding_box()
    assert link_box is not None and link_box["height"] >= 20  # a finger can hit it
    link.click()
    page.wait_for_url("**/supervision/notices/*/")
