"""In real Chromium, in Chinese: 发改委's operator refines task 1 from its page and submits it;
the supervision office finds it in 待办 and approves it. Elements are found by id and state
attributes, so the test reads the same before and after the Chinese catalogue is merged."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from duban.directory.models import Unit
from tests.support.browser import sign_in
from tests.support.refinement import refinement
from tests.support.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fgw_refines_task_1_and_the_office_approves(page: Page, live_server: LiveServer) -> None:
    world = build_world(open_q1=False)  # refinements come before the first quarter opens
    task = world.task("1")
    task_page = f"/ledger/tasks/{task.pk}/"

    sign_in(page, live_server, "fgw", task_page)
    expect(page.locator(".todo-count")).to_have_attribute("data-count", "8")  # 8 to refine
    expect(page.locator("#refinement")).to_have_attribute("data-state", "none")
    page.locator("#refinement-edit").click()
    page.wait_for_url(f"**/reporting/tasks/{task.pk}/refinement/edit/")

    rows = [
        ("完成一季度项目集中开工", "2023-03-31", "发改委"),
        ("年度完成投资294亿元", "2023-12-31", "投促中心"),
    ]
    for index, (what, when, unit) in enumerate(rows):
        page.locator(f"#id_milestones-{index}-description").fill(what)
        page.locator(f"#id_milestones-{index}-due_on").fill(when)
        page.locator(f"#id_milestones-{index}-unit").select_option(
            str(Unit.objects.get(name=unit).pk)
        )
    for quarter, percent in enumerate(("25", "50", "75", "100"), 1):
        page.locator(f"#id_percent_{quarter}").fill(percent)
    page.locator("#refinement-save-submit").click()

    page.wait_for_url(f"**{task_page}#refinement")
    panel = page.locator("#refinement")
    expect(panel).to_have_attribute("data-state", "submitted")
    expect(panel).to_contain_text("完成一季度项目集中开工")
    expect(panel).to_contain_text("投促中心")
    expect(panel).to_contain_text("100%")
    expect(page.locator("#refinement-edit")).to_have_count(0)
    expect(page.locator(".todo-count")).to_have_attribute("data-count", "7")

    sign_in(page, live_server, "office", "/reporting/todo/")
    expect(page.locator(".todo-count")).to_have_attribute("data-count", "1")
    item = page.locator("#todo-refinements_to_review tr.todo-item[data-task='1']")
    item.get_by_role("link").first.click()
    page.wait_for_url(f"**{task_page}")
    page.locator("#refinement-approve").click()
    page.wait_for_url(f"**{task_page}#refinement")
    expect(page.locator("#refinement")).to_have_attribute("data-state", "accepted")
    expect(page.locator("#refinement-reopen")).to_be_visible()
    expect(page.locator(".todo-count")).to_have_count(0)  # nothing left to review
    assert refinement(task).state == "accepted"
