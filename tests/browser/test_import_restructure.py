"""In real Chromium, as the office clerk: upload the seed notice, read a task's source lines and
how sure duban is of it, split a task that holds two, merge two tasks, commit, and find the
result in the ledger."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import AbstractUser
from playwright.sync_api import Dialog, Page, expect
from pytest_django.live_server_helper import LiveServer

from duban.directory.services import load_directory
from duban.intake.pipeline import DEMO_DIRECTORY
from duban.ledger.models import Plan
from tests.support.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seed" / "yanshi-2023-notice.txt"


def test_office_splits_and_merges_tasks_before_the_commit(
    page: Page, live_server: LiveServer, office_user: AbstractUser, settings: object, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    load_directory(json.loads(DEMO_DIRECTORY.read_text(encoding="utf-8")))
    asked: list[str] = []

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)

    sign_in(page, live_server, "office", "/imports/")
    page.set_input_files("#id_file", str(SEED))
    page.get_by_role("button", name="读取通知").click()
    expect(page.locator("h1")).to_have_text("核对导入内容")

    # Where task 1 was read, and how sure duban is of it.
    first = page.locator("#task-0")
    expect(first.locator(".badge.confidence-high")).to_have_text("可信度：高")
    lines = first.locator("ol.source-lines li.own")
    expect(lines.first).to_be_hidden()
    first.locator("details.source summary").click()
    expect(lines.first).to_be_visible()
    expect(lines.first).to_contain_text("1. 树牢“项目为王”理念")
    expect(lines.last).to_have_text("责任单位：投促中心，各镇（街道）")

    # Task 17 names 缙氏镇, unknown to the directory: the only task to check.
    typo = page.locator("#task-16")
    expect(typo.locator(".review-mark")).to_have_attribute("title", "请核对")
    page.get_by_label("只看需核对的任务").check()
    expect(first).to_be_hidden()
    expect(typo).to_be_visible()
    page.get_by_label("只看需核对的任务").uncheck()
    expect(first).to_be_visible()

    # Task 37 holds two tasks: split it where its second sentence begins.
    row = page.locator("#task-36")
    row.locator("details.restructure summary").click()
    row.get_by_role("radio", name="高标准启动64个、3209户老旧小区改造").check()
    row.get_by_role("button", name="拆分为两项任务").click()
    expect(page.locator("#task-37")).to_contain_text("高标准启动64个、3209户老旧小区改造")
    expect(page.locator("#task-37 td").first).to_have_text("38")
    expect(page.locator("#task-98 td").first).to_have_text("99")

    # Tasks 98 and 99 (the notice's 97 and 98) become one.
    row = page.locator("#task-97")
    row.locator("details.restructure summary").click()
    row.get_by_role("button", name="与下一项合并").click()
    expect(page.locator("#task-98")).to_have_count(0)
    expect(page.locator("#task-97")).to_contain_text("守护群众舌尖上的安全")
    expect(page.locator("#task-97")).to_contain_text("市场监管局")
    assert asked == ["把这项任务和下一项合并为一项吗？"]

    page.locator('tr[data-name="缙氏镇"]').get_by_role("button", name="是“缑氏镇”").click()
    expect(page.locator("#commit")).to_be_enabled()
    assert not Plan.objects.exists()
    page.locator("#commit").click()
    page.wait_for_url("**/ledger/?plan=*")
    expect(page.locator(".found")).to_contain_text("共98项任务")
    expect(page.locator("body")).to_contain_text("高标准启动64个、3209户老旧小区改造")

    tasks = Plan.objects.get().tasks.order_by("position")
    split = tasks.get(number="38")
    assert split.text == "高标准启动64个、3209户老旧小区改造，全年完成2300户以上。"
    assert [a.name for a in split.assignments.filter(role="lead")] == ["住建局"]
    merged = tasks.get(number="98")
    assert merged.text.endswith("守护群众舌尖上的安全。")
    assert [a.name for a in merged.assignments.filter(role="lead")] == [
        "金融局",
        "财政局",
        "应急局",
        "市场监管局",
    ]
