"""The quarter as the people themselves live it, in real Chromium and in Chinese.

发改委 refines task 1 and submits; the office approves; the office opens 2023Q1; 缑氏镇 (a town,
responsible through 各镇（街道）) contributes; 发改委 writes and submits the Q1 report with a
target value and an evidence file; the office returns it with a comment; 发改委 fixes and
resubmits; the office accepts. Then 工信局's operator cannot open that report by URL (403), and
the leader 朱蕾 reads it without any way to change it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from duban.accounts.models import Role
from duban.accounts.services import ensure_account
from duban.directory.models import Leader, Unit, UnitKind
from duban.directory.services import create_unit, load_directory
from duban.intake.pipeline import DEMO_DIRECTORY
from duban.intake.services import import_demo_plan
from duban.reporting.models import Contribution, Report, ReviewState
from duban.reporting.periods import create_standard_periods
from tests.reporting_reports.conftest import png_bytes, target

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Quarter-test-2023"


def sign_in(page: Page, live_server: LiveServer, username: str, path: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url + path)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + path)


def test_one_quarter_from_refinement_to_accepted_report(
    page: Page, browser: Browser, live_server: LiveServer, settings: object, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    load_directory(json.loads(DEMO_DIRECTORY.read_text(encoding="utf-8")))
    plan = import_demo_plan().plan
    create_standard_periods(plan=plan, user=None)
    office_unit = create_unit("督查室", UnitKind.DEPARTMENT, "洛阳市偃师区人民政府督查室")
    for username, unit in (("fgw", "发改委"), ("goushi", "缑氏镇"), ("gxj", "工信局")):
        ensure_account(username, PASSWORD, Role.UNIT_OPERATOR, unit=Unit.objects.get(name=unit))
    ensure_account("office", PASSWORD, Role.OFFICE, unit=office_unit)
    ensure_account("zhulei", PASSWORD, Role.LEADER, leader=Leader.objects.get(name="朱蕾"))
    task = plan.tasks.get(number="1")
    q1 = plan.periods.get(code="2023Q1")
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
    sign_in(outsider, live_server, "gxj", "/ledger/")
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
