"""In real Chromium, at the demo date (2023年8月15日, the demo year built): the office issues a
督办 on one of 发改委's tasks; 发改委 finds it in its 待办 and its notifications, signs for it
and answers from there; the office finds the answer in its own 待办 and accepts it, after which
the notice has left both queues."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from duban.core.permissions import Action
from duban.demo.year import DEMO_DATE, build_year
from duban.ledger.models import Task
from duban.supervision.models import Notice
from tests.support.browser import sign_in
from tests.support.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unit_answers_a_督办_from_its_待办_and_the_office_accepts_from_its_own(
    page: Page, browser: Browser, live_server: LiveServer, settings: object, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    world = build_world(open_q1=False)
    build_year(world.plan, DEMO_DATE)
    settings.DUBAN_TODAY = DEMO_DATE  # type: ignore[attr-defined]
    task = Task.objects.restrict(world.fgw, Action.REPORT).order_by("position").first()
    assert task is not None
    before = set(Notice.objects.values_list("pk", flat=True))

    # The office issues a 督办 from the task page.
    sign_in(page, live_server, "office", f"/ledger/tasks/{task.pk}/")
    expect(page.locator(".demo-clock")).to_contain_text("2023年8月15日")
    page.locator("#supervision").get_by_role("link", name="下发督办通知").click()
    page.locator("#id_level").select_option("supervise")
    page.locator("#id_problem").fill("二季度形象进度滞后于计划。")
    page.locator("#id_requirement").fill("请于8月22日前说明原因并报送整改措施。")
    page.locator("#id_reply_due").fill("2023-08-22")
    page.get_by_role("button", name="下发", exact=True).click()
    page.wait_for_url("**/supervision/notices/*/")
    [notice] = Notice.objects.exclude(pk__in=before)
    assert notice.unit.name == "发改委"

    # 发改委 finds it in its 待办, under the notices to sign for, with the reply date.
    unit = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    sign_in(unit, live_server, "fgw", "/reporting/todo/")
    to_sign = unit.locator("#todo-notices_to_sign .todo-item", has_text=notice.doc_number)
    expect(to_sign).to_have_count(1)
    expect(to_sign).to_contain_text("2023年8月22日")
    # … and in its notifications.
    unit.goto(live_server.url + "/notifications/")
    expect(unit.locator("main")).to_contain_text(notice.doc_number)

    unit.goto(live_server.url + "/reporting/todo/")
    unit.locator("#todo-notices_to_sign .todo-item", has_text=notice.doc_number).locator(
        "a.todo-link"
    ).click()
    unit.wait_for_url(f"**/supervision/notices/{notice.pk}/")
    unit.get_by_role("button", name="签收").click()
    expect(unit.locator(".page-head .badge")).to_have_class("badge ns-signed")

    # Signed, it waits for an answer; the answer is given from the 待办 link.
    unit.goto(live_server.url + "/reporting/todo/")
    expect(
        unit.locator("#todo-notices_to_sign .todo-item", has_text=notice.doc_number)
    ).to_have_count(0)
    to_answer = unit.locator("#todo-notices_to_answer .todo-item", has_text=notice.doc_number)
    expect(to_answer).to_have_count(1)
    to_answer.locator("a.todo-link").click()
    unit.wait_for_url(f"**/supervision/notices/{notice.pk}/")
    unit.locator("#id_text").fill("因征地手续延后，已调整施工计划，预计9月底追上序时进度。")
    unit.get_by_role("button", name="提交反馈").click()
    expect(unit.locator(".page-head .badge")).to_have_class("badge ns-replied")
    unit.goto(live_server.url + "/reporting/todo/")
    expect(unit.locator(".todo-item", has_text=notice.doc_number)).to_have_count(0)

    # The office finds the answer in its 待办 and accepts it from there.
    page.goto(live_server.url + "/reporting/todo/")
    reply = page.locator("#todo-replies_to_accept .todo-item", has_text=notice.doc_number)
    expect(reply).to_have_count(1)
    reply.locator("a.todo-link").click()
    page.wait_for_url(f"**/supervision/notices/{notice.pk}/")
    expect(page.locator("body")).to_contain_text("征地手续延后")
    page.locator("#accept").get_by_role("button").click()
    expect(page.locator(".page-head .badge")).to_have_class("badge ns-accepted")
    page.goto(live_server.url + "/reporting/todo/")
    expect(page.locator(".todo-item", has_text=notice.doc_number)).to_have_count(0)
    notice.refresh_from_db()
    assert notice.state == "accepted"
