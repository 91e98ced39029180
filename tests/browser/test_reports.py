"""In real Chromium: 王强 of 发改委 writes and submits task 1's Q1 report with a target value and
a photo; 刘芳 of the office returns it; he fixes and resubmits it; she accepts it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from duban.reporting.models import Report, ReviewState
from tests.support.browser import sign_in
from tests.support.files import png_bytes
from tests.support.reporting import target
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_write_submit_return_resubmit_accept(
    page: Page, browser: Browser, live_server: LiveServer, world_committed: World, tmp_path: Path
) -> None:
    world = world_committed
    task = world.task("1")
    photo = tmp_path / "开工现场.png"
    photo.write_bytes(png_bytes())
    task_page = f"/ledger/tasks/{task.pk}/"
    report_page = f"/reporting/tasks/{task.pk}/periods/{world.q1.pk}/"

    # 王强 finds the Q1 row of the reports panel on the task page and writes the report.
    sign_in(page, live_server, "fgw", task_page)
    q1_row = page.locator('#reports tr[data-period="2023Q1"]')
    q1_row.locator("a.btn.primary").click()
    page.wait_for_url(f"**{report_page}edit/")
    page.locator("#id_status").select_option("in_progress")
    page.locator(f"#id_target_{target(task, '年度完成投资')}").fill("80")
    page.locator("#id_progress_text").fill("一季度开工项目45个，完成投资80亿元。")
    page.locator("#id_problems").fill("部分项目用地手续办理较慢。")
    page.locator("#id_next_steps").fill("二季度加快用地审批。")
    page.set_input_files("#id_attachments", str(photo))
    page.locator('button[name="submit"]').click()
    page.wait_for_url(f"**{report_page}")
    expect(page.locator("#report-state")).to_have_class("badge rs-submitted")
    expect(page.locator("#progress")).to_contain_text("27%")  # 80 of 294亿元
    expect(page.locator(".evidence-list")).to_contain_text("开工现场.png")
    expect(page.locator('a[href$="/edit/"]')).to_have_count(0)  # read-only now

    # 刘芳 of the office returns it with a comment.
    office = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    sign_in(office, live_server, "office", report_page)
    expect(office.locator("#progress-text")).to_contain_text("一季度开工项目45个")
    office.locator("#id_comment").fill("请补充项目开工清单。")
    office.locator('button[value="return"]').click()
    office.wait_for_url(f"**{report_page}")
    expect(office.locator("#report-state")).to_have_class("badge rs-returned")
    assert Report.objects.get(task=task).state == ReviewState.RETURNED

    # 王强 reads the comment, fixes the report and submits it again.
    page.goto(live_server.url + report_page)
    expect(page.locator(".report-comment")).to_contain_text("请补充项目开工清单。")
    page.locator(f'a[href="{report_page}edit/"]').click()
    expect(page.locator("#id_progress_text")).to_have_value("一季度开工项目45个，完成投资80亿元。")
    page.locator("#id_progress_text").fill("一季度开工项目45个（清单附后），完成投资80亿元。")
    page.locator("#id_progress").fill("30")
    page.locator('button[name="submit"]').click()
    page.wait_for_url(f"**{report_page}")
    expect(page.locator("#report-state")).to_have_class("badge rs-submitted")

    # 刘芳 accepts it; the task takes the report's status.
    office.goto(live_server.url + report_page)
    office.locator('button[value="accept"]').click()
    office.wait_for_url(f"**{report_page}")
    expect(office.locator("#report-state")).to_have_class("badge rs-accepted")
    office.goto(live_server.url + task_page)
    expect(office.locator(".page-head .badge")).to_have_class("badge in_progress")

    report = Report.objects.get(task=task)
    assert report.state == ReviewState.ACCEPTED and report.progress == 30
    assert report.versions.count() == 4  # submitted, returned, resubmitted, accepted
    office.goto(live_server.url + report_page + "versions/?a=1&b=3")
    expect(office.locator(".compare-table tr.changed")).not_to_have_count(0)
    office.context.close()
