"""The quarter as the people themselves live it, in real Chromium and in Chinese.

发改委 refines task 1 and submits; the office approves; the office opens 2023Q1; 缑氏镇 (a town,
responsible through 各镇（街道）) contributes; 发改委 writes and submits the Q1 report with a
target value and an evidence file; the office returns it with a comment; 发改委 fixes and
resubmits; the office accepts. Then 工信局's operator cannot open that report by URL (403), and
the leader 朱蕾 reads it without any way to change it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from duban.directory.models import Unit
from duban.reporting.models import Contribution, Report, ReviewState
from tests.support.browser import sign_in
from tests.support.files import png_bytes
from tests.support.reporting import target
from tests.support.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_one_quarter_from_refinement_to_accepted_report(
    page: Page, browser: Browser, live_server: LiveServer, settings: object, tmp_path: Path
) -> None:
    world = build_world(open_q1=False)  # as duban demo leaves it: the office opens 2023Q1
    task, q1 = world.task("1"), world.q1
    task_page = f"/ledger/tasks/{task.pk}/"
    report_page = f"/reporting/tasks/{task.pk}/periods/{q1.pk}/"

    # 发改委 refines task 1 into two milestones and quarterly progress, and submits it.
    sign_in(page, live_server, "fgw", task_page)
    page.locator("#refinement-edit").click()
    page.locator("#id_milestones-0-description").fill("完成一季度项目集中开工")
    page.locator("#id_milestones-0-due_on").fill("2023-03-31")
    page.locator("#id_milestones-0-unit").select_option(str(Unit.objects.get(name="发改委").pk))
    for quarter, percent in enumerate(("25", "50", "75", "100"), 1):
        page.locator(f"#id_percent_{quarter}").fill(percent)
    page.locator("#refinement-save-submit").click()
    expect(page.locator("#refinement")).to_have_attribute("data-state", "submitted")

    # The office approves it and opens the first quarter.
    office = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    sign_in(office, live_server, "office", task_page)
    office.locator("#refinement-approve").click()
    expect(office.locator("#refinement")).to_have_attribute("data-state", "accepted")
    office.goto(live_server.url + "/reporting/periods/")
    office.locator('tr[data-period="2023Q1"] button.primary').click()
    expect(office.locator('tr[data-period="2023Q1"] .badge')).to_have_class("badge period-open")

    # 缑氏镇 contributes its part to task 1.
    town = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    sign_in(town, live_server, "goushi", f"{report_page}contribution/")
    town.locator("#id_text").fill("缑氏镇一季度开工项目3个。")
    town.locator('button[name="submit"]').click()
    town.wait_for_url("**/reporting/**")
    contribution = Contribution.objects.get(task=task, period=q1)
    assert contribution.state == ReviewState.SUBMITTED and contribution.unit.name == "缑氏镇"

    # 发改委 writes the Q1 report with a target value and a photo, and submits it.
    photo = tmp_path / "开工现场.png"
    photo.write_bytes(png_bytes())
    page.goto(live_server.url + f"{report_page}edit/")
    page.locator("#id_status").select_option("in_progress")
    page.locator(f"#id_target_{target(task, '年度完成投资')}").fill("80")
    page.locator("#id_progress_text").fill("一季度开工项目45个，完成投资80亿元。")
    page.set_input_files("#id_attachments", str(photo))
    page.locator('button[name="submit"]').click()
    page.wait_for_url(f"**{report_page}")
    expect(page.locator("#report-state")).to_have_class("badge rs-submitted")
    expect(page.locator("body")).to_contain_text("缑氏镇一季度开工项目3个。")

    # The office returns it with a comment; 发改委 fixes and resubmits; the office accepts.
    office.goto(live_server.url + report_page)
    office.locator("#id_comment").fill("请补充项目开工清单。")
    office.locator('button[value="return"]').click()
    expect(office.locator("#report-state")).to_have_class("badge rs-returned")
    page.goto(live_server.url + report_page)
    expect(page.locator(".report-comment")).to_contain_text("请补充项目开工清单。")
    page.goto(live_server.url + f"{report_page}edit/")
    page.locator("#id_progress_text").fill("一季度开工项目45个（清单附后），完成投资80亿元。")
    page.locator('button[name="submit"]').click()
    page.wait_for_url(f"**{report_page}")
    office.goto(live_server.url + report_page)
    office.locator('button[value="accept"]').click()
    expect(office.locator("#report-state")).to_have_class("badge rs-accepted")
    report = Report.objects.get(task=task, period=q1)
    assert report.state == ReviewState.ACCEPTED and report.versions.count() >= 4

    # 工信局 has nothing to do with task 1: the report's URL answers 403.
    outsider = browser.new_context(locale="zh-CN").new_page()
    sign_in(outsider, live_server, "gongxin", "/ledger/")
    response = outsider.goto(live_server.url + report_page)
    assert response is not None and response.status == 403

    # 朱蕾 leads task 1: she reads the report and can change nothing.
    leader = browser.new_context(locale="zh-CN").new_page()
    sign_in(leader, live_server, "zhulei", report_page)
    expect(leader.locator("#report-state")).to_have_class("badge rs-accepted")
    expect(leader.locator("#progress-text")).to_contain_text("清单附后")
    expect(leader.locator('a[href$="/edit/"]')).to_have_count(0)
    expect(leader.locator('button[value="accept"], button[value="return"]')).to_have_count(0)
    for context_page in (office, town, outsider, leader):
        context_page.context.close()
