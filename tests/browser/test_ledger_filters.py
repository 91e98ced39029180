"""In real Chromium: filtering the ledger refreshes it in place and keeps a shareable URL."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import AbstractUser
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.support import factories
from tests.support.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set DUBAN_SCREENSHOTS=/some/dir to keep pictures of the page at desktop and phone widths.
SCREENSHOTS = os.environ.get("DUBAN_SCREENSHOTS")


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_filters_refresh_the_ledger_in_place(
    page: Page, live_server: LiveServer, office_user: AbstractUser
) -> None:
    story = factories.build_yanshi()
    factories.add_filler_tasks(story, 60)
    sign_in(page, live_server, "office", "/ledger/")
    expect(page.locator(".found")).to_have_text("共66项任务（当前显示第1—50项）")
    if SCREENSHOTS:
        page.set_viewport_size({"width": 1440, "height": 1000})
        page.screenshot(path=f"{SCREENSHOTS}/ledger-desktop.png", full_page=False)

    # Choosing a town refreshes the ledger without a page load and puts the choice in the URL.
    page.evaluate("window.__same_page = true")
    town = story.units["缑氏镇"]
    with page.expect_response(lambda r: "responsible=" in r.url):
        page.locator("select[name=responsible]").select_option(str(town.pk))
    expect(page.locator(".found")).to_contain_text("项任务")
    assert page.evaluate("window.__same_page") is True
    assert query(page) == {"responsible": [str(town.pk)]}  # empty filters stay out of the URL
    rows = page.locator("table.ledger-table tbody tr:not(.area-row)")
    count = rows.count()
    assert 0 < count < 66

    # Free text narrows it further after a pause in typing; the search box keeps the focus.
    with page.expect_response(lambda r: "q=" in r.url):
        page.get_by_label("搜索").fill("老旧小区")
    expect(rows).to_have_count(1)
    assert query(page)["q"] == ["老旧小区"]
    assert page.evaluate("document.activeElement.id") == "ledger-q"

    # The export button carries the same filters.
    href = page.get_by_role("link", name="导出Excel").get_attribute("href") or ""
    assert parse_qs(urlsplit(href).query) == {"responsible": [str(town.pk)], "q": ["老旧小区"]}

    # A shared link opens the same view.
    page.goto(page.url)
    expect(rows).to_have_count(1)
    assert page.get_by_label("搜索").input_value() == "老旧小区"


def test_sorting_and_paging_keep_the_filters(
    page: Page, live_server: LiveServer, office_user: AbstractUser
) -> None:
    story = factories.build_yanshi()
    factories.add_filler_tasks(story, 120)
    sign_in(page, live_server, "office", "/ledger/")
    page.evaluate("window.__same_page = true")
    housing = story.units["住建局"]
    with page.expect_response(lambda r: "lead=" in r.url):
        page.locator("select[name=lead]").select_option(str(housing.pk))
    with page.expect_response(lambda r: "sort=deadline" in r.url):
        page.get_by_role("link", name="完成时限").click()
    expect(page.locator("th.col-deadline")).to_have_attribute("aria-sort", "ascending")
    with page.expect_response(lambda r: "page=2" in r.url):
        page.locator(".pagination").get_by_role("link", name="2", exact=True).click()
    expect(page.locator(".pagination [aria-current=page]")).to_have_text("2")
    assert query(page) == {"lead": [str(housing.pk)], "sort": ["deadline"], "page": ["2"]}
    assert page.evaluate("window.__same_page") is True
    expect(page.locator(".found")).to_contain_text("共63项任务")
    lead_cells = page.locator("table.ledger-table tbody td.col-units:nth-child(4)")
    assert set(lead_cells.all_inner_texts()) <= {"住建局", "城管局、住建局"}

    if SCREENSHOTS:
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(live_server.url + "/ledger/")
        page.screenshot(path=f"{SCREENSHOTS}/ledger-phone.png", full_page=False)
        page.goto(live_server.url + f"/ledger/tasks/{story.tasks['projects'].pk}/")
        page.screenshot(path=f"{SCREENSHOTS}/task-phone.png", full_page=True)
        page.set_viewport_size({"width": 1440, "height": 1000})
        page.screenshot(path=f"{SCREENSHOTS}/task-desktop.png", full_page=True)
        page.goto(live_server.url + f"/ledger/units/{story.units['缑氏镇'].pk}/")
        page.screenshot(path=f"{SCREENSHOTS}/unit-desktop.png")
        page.goto(live_server.url + f"/ledger/leaders/{story.leaders['朱蕾'].pk}/")
        page.screenshot(path=f"{SCREENSHOTS}/leader-desktop.png")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(live_server.url + "/ledger/?sort=status")
        page.locator("table.ledger-table").scroll_into_view_if_needed()
        page.screenshot(path=f"{SCREENSHOTS}/ledger-phone-table.png")
