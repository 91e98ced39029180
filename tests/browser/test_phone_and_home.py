"""In real Chromium: at a phone's width (390 px) the navigation folds into a menu and the
ledger reads as cards; at the demo date 朱蕾's home lists the tasks she leads with their lights."""

from __future__ import annotations

import os
import re
from collections import Counter

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from duban.demo.year import DEMO_DATE, build_year
from duban.ledger.models import Task
from duban.lights.services import lights_for
from tests.support.browser import sign_in
from tests.support.world import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Set DUBAN_SCREENSHOTS=/some/dir to keep pictures of the pages at phone width.
SCREENSHOTS = os.environ.get("DUBAN_SCREENSHOTS")


def test_at_phone_width_the_menu_opens_and_the_ledger_shows_cards(
    page: Page, live_server: LiveServer, world_committed: World
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "fgw", "/ledger/")
    menu = page.get_by_role("button", name="菜单")
    nav = page.locator("#mainnav")
    supervision = nav.get_by_role("link", name="督办", exact=True)

    # The links are folded behind the menu button; it opens them (督办 among a unit's links).
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(supervision).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(supervision).to_be_visible()
    expect(nav.get_by_role("link", name="台账", exact=True)).to_be_visible()
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/phone-menu.png")
    page.keyboard.press("Escape")
    expect(supervision).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")

    # The ledger's rows are cards: one block per task within the screen, cells named.
    cards = page.locator("table.ledger-table tr.task-row")
    mine = Task.objects.restrict(world_committed.fgw).count()
    expect(cards).to_have_count(mine)
    first = cards.first
    assert first.evaluate("el => getComputedStyle(el).display") == "block"
    box = first.bounding_box()
    assert box is not None and 300 < box["width"] <= 390
    assert page.locator("table.ledger-table thead").bounding_box()["height"] <= 1  # type: ignore[index]
    label = first.locator("td.col-leaders").evaluate(
        "el => getComputedStyle(el, '::before').content"
    )
    assert label == '"牵头领导"'
    # Nothing runs off the side of the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/phone-ledger.png")

    # Following a link from the menu goes there (and the menu is closed on the new page).
    menu.click()
    supervision.click()
    page.wait_for_url(f"{live_server.url}/supervision/")
    expect(page.get_by_role("heading", name="督办通知")).to_be_visible()
    expect(page.get_by_role("button", name="菜单")).to_have_attribute("aria-expanded", "false")

    # At a desk's width the links are in the bar and there is no menu button.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/ledger/")
    expect(page.get_by_role("button", name="菜单")).to_be_hidden()
    expect(page.locator("#mainnav").get_by_role("link", name="督办", exact=True)).to_be_visible()
    row = page.locator("table.ledger-table tr.task-row").first
    assert row.evaluate("el => getComputedStyle(el).display") == "table-row"


def test_zhu_leis_home_at_the_demo_date_lists_her_tasks_with_their_lights(
    page: Page, live_server: LiveServer, settings: pytest.FixtureRequest
) -> None:
    world = build_world(open_q1=False)
    build_year(world.plan, DEMO_DATE)
    settings.DUBAN_TODAY = DEMO_DATE  # type: ignore[attr-defined]
    hers = list(Task.objects.restrict(world.zhulei).select_related("plan"))
    assert len(hers) == 19
    colours = Counter(str(light.colour) for light in lights_for(hers, today=DEMO_DATE).values())

    sign_in(page, live_server, "zhulei", "/")
    expect(page.locator(".demo-clock")).to_contain_text("2023年8月15日")
    rows = page.locator("#home-tasks tr.task-row")
    expect(rows).to_have_count(19)
    expect(page.locator("#home-tasks td.col-light .light-dot")).to_have_count(19)
    shown = Counter(rows.evaluate_all("rows => rows.map(r => r.dataset.light)"))
    assert shown == colours
    assert colours["green"] > 0 and colours["none"] == 0
    # The demo's reports give progress and a latest report for her tasks.
    progress = page.locator("#home-tasks .progress-figure").all_inner_texts()
    assert progress and all(re.fullmatch(r"\d{1,3}%", text) for text in progress)
    expect(page.locator("#home-tasks .report-state").first).to_contain_text("2023年第2季度")

    # Her light tiles count the same, and lead to the ledger filtered by that light.
    tiles = page.locator("#home-lights a.light-tile")
    counts = {
        tile.get_attribute("data-colour"): int(tile.get_attribute("data-count") or 0)
        for tile in tiles.all()
    }
    assert {c: n for c, n in counts.items() if n} == dict(colours)
    page.locator('#home-lights a[data-colour="green"]').click()
    page.wait_for_url(re.compile(r".*/ledger/\?light=green$"))
    expect(page.locator("table.ledger-table tr.task-row")).to_have_count(colours["green"])
    if SCREENSHOTS:
        page.set_viewport_size(PHONE)
        page.goto(live_server.url + "/")
        page.screenshot(path=f"{SCREENSHOTS}/phone-leader-home.png", full_page=True)
