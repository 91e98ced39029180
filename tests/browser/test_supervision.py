"""In real Chromium: on 5 April 2023 task 1's Q1 report is overdue and its light is red; the
office issues a 督办 from the task page, 发改委 signs for it and replies, the office accepts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from duban.supervision.models import Notice
from tests.support.browser import sign_in
from tests.support.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_red_light_督办_signed_replied_accepted(
    page: Page, browser: Browser, live_server: LiveServer, settings: object, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    april = datetime(2023, 4, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(april, tick=True):
        world = build_world()  # 2023Q1 open, due 31 March; nobody has reported on task 1
        task = world.task("1")
        task_page = f"/ledger/tasks/{task.pk}/"

        sign_in(page, live_server, "office", task_page)
        expect(page.locator("#light")).to_have_attribute("data-light", "red")
        expect(page.locator("#light .light-reasons")).to_contain_text("2023")

        page.locator("#supervision").get_by_role("link", name="下发督办通知").click()
        page.locator("#id_level").select_option("supervise")
        page.locator("#id_problem").fill("一季度进展情况逾期未报送。")
        page.locator("#id_requirement").fill("请于4月10日前报送一季度进展情况并说明原因。")
        page.locator("#id_reply_due").fill("2023-04-10")
        page.get_by_role("button", name="下发", exact=True).click()
        page.wait_for_url("**/supervision/notices/*/")
        notice = Notice.objects.get(task=task)
        assert notice.doc_number.endswith("〔2023〕1号")
        notice_page = f"/supervision/notices/{notice.pk}/"

        unit = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
        sign_in(unit, live_server, "fgw", notice_page)
        unit.get_by_role("button", name="签收").click()
        expect(unit.locator(".page-head .badge")).to_have_class("badge ns-signed")
        unit.locator("#id_text").fill("已于4月6日补报一季度进展情况，原因是统计口径调整。")
        unit.get_by_role("button", name="提交反馈").click()
        expect(unit.locator(".page-head .badge")).to_have_class("badge ns-replied")

        page.goto(live_server.url + notice_page)
        expect(page.locator("body")).to_contain_text("统计口径调整")
        page.locator("#accept").get_by_role("button").click()
        expect(page.locator(".page-head .badge")).to_have_class("badge ns-accepted")
        notice.refresh_from_db()
        assert notice.state == "accepted"
        unit.context.close()
