"""专项督查 in real Chromium, in Chinese: the office plans an inspection of task 1, records a
finding with a photo and raises a rectification item for 发改委; 发改委 reports with evidence; the
office verifies and closes it (销号); 工信局 gets 403 on the item."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from duban.inspections.models import Finding, ItemState, RectificationItem
from tests.support.browser import sign_in
from tests.support.files import pdf_bytes, png_bytes
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_finding_to_closed_item(
    page: Page,
    browser: Browser,
    live_server: LiveServer,
    world_committed: World,
    tmp_path: Path,
) -> None:
    world = world_committed
    task = world.task("1")
    photo = tmp_path / "现场.png"
    photo.write_bytes(png_bytes())
    proof = tmp_path / "开工手续.pdf"
    proof.write_bytes(pdf_bytes())

    # The office plans the inspection covering task 1 ...
    sign_in(page, live_server, "office", "/inspections/")
    page.locator("#inspection-new").click()
    page.locator("#id_topic").fill("重大项目建设专项督查")
    page.locator(f'input[name="tasks"][value="{task.pk}"]').check()
    page.locator("#id_team").fill("刘芳、张伟")
    page.locator("#id_starts_on").fill("2023-05-08")
    page.locator("#id_ends_on").fill("2023-05-12")
    page.locator("#id_state").select_option("under_way")
    page.locator("#inspection-save").click()
    expect(page.locator("#inspection-state")).to_have_class("badge insp-under_way")

    # ... records a finding on it with a photo ...
    page.locator("#finding-new").click()
    page.locator("#id_task").select_option(str(task.pk))
    page.locator("#id_text").fill("部分项目未按计划开工，现场未见施工。")
    page.locator("#id_severity").select_option("serious")
    page.locator("#id_found_on").fill("2023-05-09")
    page.set_input_files("#id_attachments", str(photo))
    page.locator("#finding-save").click()
    finding = page.locator(".insp-finding")
    expect(finding).to_contain_text("部分项目未按计划开工")
    expect(finding).to_contain_text("现场.png")
    assert Finding.objects.get().files.count() == 1

    # ... and raises a rectification item, 发改委 proposed as the owner.
    finding.locator('a[href*="/items/new/"]').click()
    expect(page.locator("#id_unit option:checked")).to_have_text("发改委")
    page.locator("#id_text").fill("6月底前完成项目开工手续")
    page.locator("#id_deadline").fill("2030-06-30")
    page.locator("#item-save").click()
    expect(page.locator("#item-state")).to_have_attribute("data-state", "open")
    item = RectificationItem.objects.get()
    item_page = f"/inspections/items/{item.pk}/"

    # 发改委 sees the item on its task page and reports what it did, with evidence.
    unit = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    sign_in(unit, live_server, "fgw", f"/ledger/tasks/{task.pk}/")
    unit.locator(f'#inspections a[href="{item_page}"]').click()
    unit.locator("#id_text").fill("已完成用地审批，项目6月20日开工。")
    unit.set_input_files("#id_attachments", str(proof))
    unit.locator("#report-submit").click()
    expect(unit.locator("#item-state")).to_have_attribute("data-state", "reported")
    expect(unit.locator("#rectification-report")).to_contain_text("开工手续.pdf")

    # The office verifies and closes it.
    page.goto(live_server.url + item_page)
    page.locator("#item-verify").click()
    expect(page.locator("#item-state")).to_have_attribute("data-state", "verified")
    page.locator("#item-close").click()
    expect(page.locator("#item-state")).to_have_attribute("data-state", "closed")
    expect(page.locator(".insp-light").first).to_have_attribute("data-insp-light", "green")
    item.refresh_from_db()
    assert item.state == ItemState.CLOSED and item.verified_by == world.office

    # 工信局 has nothing to do with it.
    outsider = browser.new_context(locale="zh-CN").new_page()
    sign_in(outsider, live_server, "gongxin", "/inspections/")
    response = outsider.goto(live_server.url + item_page)
    assert response is not None and response.status == 403
    unit.context.close()
    outsider.context.close()
