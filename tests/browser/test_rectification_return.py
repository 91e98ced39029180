"""A rejected rectification goes back and is closed with evidence, in real Chromium, in Chinese,
at the demo date (2023年8月15日):
the office returns 发改委's rectification report with its reason (退回整改); 发改委's operator
sees the reason in its 待办, its list and on the item, reports again with an evidence file; the office
verifies and closes it (销号)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from duban.demo.year import DEMO_DATE
from duban.inspections import services
from duban.inspections.models import ItemState, RectificationItem
from tests.support.browser import sign_in
from tests.support.files import pdf_bytes
from tests.support.inspections import new_item
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "未见开工现场照片和用地批复，请补充佐证材料。"


def test_a_returned_rectification_goes_back_and_is_closed_with_evidence(
    page: Page,
    browser: Browser,
    live_server: LiveServer,
    world_committed: World,
    tmp_path: Path,
    settings: object,
) -> None:
    settings.DUBAN_TODAY = DEMO_DATE  # type: ignore[attr-defined]
    world = world_committed
    item = new_item(world)
    services.report_item(item=item, text="已督促项目单位开工。", user=world.fgw)
    item_page = f"/inspections/items/{item.pk}/"
    proof = tmp_path / "用地批复.pdf"
    proof.write_bytes(pdf_bytes())

    # The office reads the report: no evidence. Returning it needs a reason (blanks are none) ...
    sign_in(page, live_server, "office", item_page)
    expect(page.locator("#item-state")).to_have_attribute("data-state", "reported")
    page.locator("#id_reason").fill("   ")
    page.locator("#item-return").click()
    expect(page.locator("#return-form .errors")).to_contain_text("请填写退回原因")
    expect(page.locator("#item-state")).to_have_attribute("data-state", "reported")
    # ... and with one, the report goes back to 发改委.
    page.locator("#id_reason").fill(REASON)
    page.locator("#item-return").click()
    expect(page.locator("#item-state")).to_have_attribute("data-state", "returned")
    expect(page.locator("#item-state")).to_have_text("退回整改")
    expect(page.locator("#return-reason")).to_contain_text(REASON)
    expect(page.locator("#report-form")).to_have_count(0)  # the office does not report

    # 发改委's operator finds it in its 待办, with the reason ...
    unit = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    sign_in(unit, live_server, "fgw", "/reporting/todo/")
    waiting = unit.locator(f'#todo-items_to_report .todo-item[data-key="{item.pk}"]')
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(REASON)
    # ... and returned in its list of inspection items, with the reason ...
    unit.goto(live_server.url + "/inspections/")
    expect(unit.locator("#returned-items")).to_contain_text("1项整改事项被退回本单位")
    row = unit.locator(f'tr.insp-item[data-item="{item.pk}"]')
    expect(row).to_have_attribute("data-state", "returned")
    expect(row.locator(".insp-return-reason")).to_contain_text(REASON)
    # ... opens the item: the reason stands out above the report, and it reports again.
    row.locator(f'a[href="{item_page}"]').click()
    expect(unit.locator("#return-reason")).to_contain_text("退回整改")
    expect(unit.locator("#return-reason")).to_contain_text(REASON)
    expect(unit.locator("#return-reason")).to_contain_text("刘芳")
    unit.locator("#id_text").fill("项目已于6月20日开工，附用地批复。")
    unit.set_input_files("#id_attachments", str(proof))
    unit.locator("#report-submit").click()
    expect(unit.locator("#item-state")).to_have_attribute("data-state", "reported")
    expect(unit.locator("#rectification-report")).to_contain_text("用地批复.pdf")
    expect(unit.locator("#return-reason")).to_have_count(0)
    expect(unit.locator(".insp-returned-before")).to_contain_text(REASON)

    # The office verifies and closes it, with the evidence.
    page.goto(live_server.url + item_page)
    expect(page.locator("#rectification-report")).to_contain_text("用地批复.pdf")
    page.locator("#item-verify").click()
    expect(page.locator("#item-state")).to_have_attribute("data-state", "verified")
    page.locator("#item-close").click()
    expect(page.locator("#item-state")).to_have_attribute("data-state", "closed")
    expect(page.locator("#return-form")).to_have_count(0)

    item = RectificationItem.objects.get(pk=item.pk)
    assert item.state == ItemState.CLOSED and item.verified_by == world.office
    assert (item.times_returned, item.return_reason) == (1, REASON)
    assert item.reported_by == world.fgw and item.files.count() == 1
    unit.context.close()
