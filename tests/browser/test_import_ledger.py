"""In real Chromium, as the office clerk: upload the seed notice, resolve 缙氏镇 to 缑氏镇 in
the preview, commit, find 发改委's tasks, open task 1, export the list and read the file back."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import AbstractUser
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from duban.directory.models import Unit
from duban.directory.services import load_directory
from duban.intake.pipeline import DEMO_DIRECTORY
from duban.ledger.models import Plan
from tests.support.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seed" / "yanshi-2023-notice.txt"


def test_office_imports_the_seed_and_works_from_the_ledger(
    page: Page, live_server: LiveServer, office_user: AbstractUser, settings: object, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    load_directory(json.loads(DEMO_DIRECTORY.read_text(encoding="utf-8")))

    sign_in(page, live_server, "office", "/imports/")

    page.set_input_files("#id_file", str(SEED))
    page.get_by_role("button", name="读取通知").click()
    expect(page.locator("h1")).to_have_text("核对导入内容")
    unknown = page.locator('tr[data-name="缙氏镇"]')
    expect(unknown).to_have_class("flagged")
    expect(page.locator("#commit")).to_be_disabled()
    expect(page.locator("#task-16")).to_have_class("flagged")

    unknown.get_by_role("button", name="是“缑氏镇”").click()  # htmx swaps the preview in place
    expect(page.locator('tr[data-name="缙氏镇"] .badge')).to_have_text("缑氏镇")
    expect(page.locator("#commit")).to_be_enabled()
    assert not Plan.objects.exists()

    page.locator("#commit").click()
    page.wait_for_url("**/ledger/?plan=*")
    expect(page.locator(".found")).to_contain_text("共98项任务")

    fgw = Unit.objects.get(name="发改委")
    with page.expect_response(lambda r: f"lead={fgw.pk}" in r.url):
        page.locator("select[name=lead]").select_option(str(fgw.pk))
    expect(page.locator(".found")).to_contain_text("共8项任务")  # tasks 1–4, 30, 62, 66, 75

    page.locator("table.ledger-table tbody tr:not(.area-row)").first.locator("a").first.click()
    expect(page.locator("h1")).to_have_text("第1项任务")
    expect(page.locator("body")).to_contain_text("树牢“项目为王”理念")
    expect(page.locator("body")).to_contain_text("投促中心")
    page.go_back()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出Excel").click()
    download = download_info.value
    assert download.suggested_filename == "2023年重点工作台账.xlsx"
    sheet = openpyxl.load_workbook(BytesIO(Path(download.path()).read_bytes())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows.index(
        [
            "序号",
            "方面",
            "重点任务",
            "目标要求",
            "牵头领导",
            "牵头单位",
            "责任单位",
            "完成时限",
            "状态",
            "灯色",
            "进度",
            "最新进展情况",
        ]
    )
    data = rows[header + 1 :]
    assert [row[0] for row in data] == [1, 2, 3, 4, 30, 62, 66, 75]
    assert all("发改委" in row[5] for row in data)
    assert data[0][4] == "朱蕾"
    assert data[0][6] == "投促中心、各镇（街道）"
