"""In real Chromium, as the office clerk: a notice duban cannot read is refused with the advice
to use the Excel ledger template; she downloads it from the advice, types the notice's three
tasks into it (two areas, the directory's units), uploads it, checks the preview and commits;
the ledger shows the three tasks."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from duban.ledger.models import Plan
from tests.support.browser import sign_in
from tests.support.ledger_template import DOC_NUMBER, TITLE, fill
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LETTER = "关于召开季度工作会议的通知\n各单位：\n定于下周一上午召开季度工作会议，请准时参加。\n区政府办公室\n"


def test_an_unreadable_notice_is_typed_into_the_template_and_imported(
    page: Page, live_server: LiveServer, world_committed: World, settings: object, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    letter = tmp_path / "会议通知.txt"
    letter.write_text(LETTER, encoding="utf-8")
    plans = Plan.objects.count()

    sign_in(page, live_server, "office", "/imports/")
    page.set_input_files("#id_file", str(letter))
    page.get_by_role("button", name="读取通知").click()
    error = page.locator(".notice-error")
    expect(error).to_contain_text("该文件中未找到任何任务。")
    expect(error).to_contain_text("如果系统无法读取这份通知，请把其中的任务录入Excel台账模板")

    with page.expect_download() as download_info:
        error.get_by_role("link", name="Excel台账模板").click()
    download = download_info.value
    assert download.suggested_filename == "重点工作台账模板.xlsx"
    filled = tmp_path / "2024年重点工作台账.xlsx"
    filled.write_bytes(fill(Path(download.path()).read_bytes()))

    page.set_input_files("#id_file", str(filled))
    page.get_by_role("button", name="读取通知").click()
    expect(page.locator("h1")).to_have_text("核对导入内容")
    body = page.locator("body")
    for text in ("新增规上工业企业50家", "加快重点项目前期工作", "办好十件民生实事"):
        expect(body).to_contain_text(text)
    expect(body).to_contain_text(DOC_NUMBER)
    expect(page.locator("#commit")).to_be_enabled()
    assert Plan.objects.count() == plans  # nothing written before the commit

    page.locator("#commit").click()
    page.wait_for_url("**/ledger/?plan=*")
    expect(page.locator(".found")).to_contain_text("共3项任务")
    rows = page.locator("table.ledger-table tbody tr:not(.area-row)")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("发改委")
    expect(page.locator("table.ledger-table")).to_contain_text("持续改善民生")
    plan = Plan.objects.get(year=2024)
    assert (plan.title, plan.tasks.count(), plan.areas.count()) == (TITLE, 3, 2)
