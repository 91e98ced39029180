"""In real Chromium: the cockpit draws its charts with the vendored ECharts, a click on the red
bar of an area lands on the ledger filtered to exactly those tasks; at a phone's width the charts
fit the screen, and for paper each chart becomes an image the width of an A4 page."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.support.browser import sign_in
from tests.support.cockpit import DAY, build_record
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set DUBAN_SCREENSHOTS=/some/dir to keep pictures of the cockpit.
SCREENSHOTS = os.environ.get("DUBAN_SCREENSHOTS")
CHARTS = 9  # without scores: nothing is assessed in this record


@pytest.fixture
def recorded(world_committed: World, settings: pytest.FixtureRequest) -> World:
    build_record(world_committed)
    settings.DUBAN_TODAY = DAY  # type: ignore[attr-defined]  # the live server's day too
    return world_committed


def drawn(page: Page) -> None:
    expect(page.locator("#cockpit")).to_have_attribute("data-ready", "true")
    expect(page.locator("[data-chart-canvas] canvas")).to_have_count(CHARTS)


def test_a_click_on_a_red_bar_opens_the_ledger_with_those_tasks(
    page: Page, live_server: LiveServer, recorded: World
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "office", "/")
    page.locator("#mainnav").get_by_role("link", name="驾驶舱").click()
    drawn(page)
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/cockpit-desktop.png", full_page=True)

    # Area 1's red bar: its eight tasks (4 and 6–12) in the ledger, nothing else.
    chart = page.locator('[data-chart-canvas="areas_light"]')
    chart.scroll_into_view_if_needed()
    point = page.evaluate("window.dubanCockpit.point('areas_light', 'red', 0)")
    assert point is not None
    page.mouse.move(point["x"], point["y"])
    expect(page.locator('[data-chart-canvas="areas_light"] div').last).to_contain_text("红灯：8")
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    area = recorded.plan.areas.get(number=1)
    assert parse_qs(urlsplit(page.url).query) == {"area": [str(area.pk)], "light": ["red"]}
    expect(page.locator(".found")).to_have_text("共8项任务")
    numbers = page.locator("table.ledger-table tr.task-row td.col-number")
    expect(numbers).to_have_text(["4", "6", "7", "8", "9", "10", "11", "12"])
    expect(page.locator("select[name=light] option[selected]")).to_have_text("红灯（8）")


def test_on_a_phone_and_on_paper(page: Page, live_server: LiveServer, recorded: World) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "zhulei", "/cockpit/")
    drawn(page)
    canvas = page.locator('[data-chart-canvas="leaders"] canvas')
    assert canvas.bounding_box()["width"] > 500  # type: ignore[index]

    # A phone: every chart follows the width of the screen; the legends wrap as text does.
    page.set_viewport_size({"width": 390, "height": 844})
    # Polled from the test, not with wait_for_function: that evaluates its predicate with eval,
    # which duban's Content-Security-Policy forbids in the page.
    expect(page.locator("[data-chart-canvas] canvas").first).to_be_visible()
    widths = "[...document.querySelectorAll('[data-chart-canvas] canvas')].map(c => c.getBoundingClientRect().width)"
    for _ in range(50):
        if max(page.evaluate(widths)) <= 360:
            break
        page.wait_for_timeout(100)
    assert max(page.evaluate(widths)) <= 360
    legend = page.locator("#chart-areas_status .chart-legend")
    assert legend.bounding_box()["width"] <= 360  # type: ignore[index]
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/cockpit-phone.png", full_page=True)

    # A legend button hides its series and says so.
    button = page.locator("#chart-areas_light .chart-legend button", has_text="绿灯")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")

    # Paper: each chart printed as an image, its table open under it; no navigation.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    images = page.locator("img[data-chart-print]")
    expect(images).to_have_count(CHARTS)
    for index in range(CHARTS):
        expect(images.nth(index)).to_be_visible()
        assert (images.nth(index).get_attribute("src") or "").startswith("data:image/png")
    expect(page.locator("[data-chart-canvas]").first).to_be_hidden()
    expect(page.locator("#mainnav")).to_be_hidden()
    expect(page.locator('table[data-chart-table="reports"]')).to_be_visible()
    width = images.first.evaluate("img => img.naturalWidth")
    assert width == 1280  # 640 CSS pixels across, drawn at twice the resolution
    if SCREENSHOTS:
        page.pdf(path=f"{SCREENSHOTS}/cockpit-a4.pdf", format="A4")
    page.emulate_media(media="screen")
    expect(page.locator("[data-chart-canvas]").first).to_be_visible()
    expect(images.first).to_be_hidden()
