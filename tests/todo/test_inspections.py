"""待办 of special inspections: the owner unit reports on its open and returned items (the
reason shown), the office verifies the reports, then closes the verified items."""

from __future__ import annotations

from datetime import date

import pytest

from duban.inspections import services
from duban.inspections.todo import ITEMS_TO_CLOSE, ITEMS_TO_REPORT, ITEMS_TO_VERIFY
from tests.support.clock import at
from tests.support.inspections import new_item, report_with_evidence
from tests.support.todo import items, keys
from tests.support.world import World

pytestmark = pytest.mark.usefixtures("may_4")


def test_an_item_goes_from_the_unit_to_the_office_and_back(world: World) -> None:
    item = new_item(world)  # 发改委's, due 30 June
    key = str(item.pk)
    [waiting] = items(world.fgw, ITEMS_TO_REPORT)
    assert waiting.key == key and waiting.due_on == date(2023, 6, 30) and not waiting.overdue
    assert waiting.title == "6月底前完成项目开工手续" and waiting.task == world.task("1")
    assert waiting.link == f"/inspections/items/{item.pk}/"
    assert keys(world.chenjing, ITEMS_TO_REPORT) == [key]
    assert keys(world.office, ITEMS_TO_VERIFY) == []

    item = report_with_evidence(world, item)
    assert keys(world.fgw, ITEMS_TO_REPORT) == []
    [to_verify] = items(world.office, ITEMS_TO_VERIFY)
    assert to_verify.key == key and to_verify.unit == "发改委"
    assert to_verify.note == "已完成用地审批，项目6月20日开工。" and to_verify.submitted_at

    item = services.return_item(item=item, reason="缺少开工证明。", user=world.office)
    assert keys(world.office, ITEMS_TO_VERIFY) == []
    [returned] = items(world.fgw, ITEMS_TO_REPORT)
    assert returned.key == key and "缺少开工证明。" in returned.note

    item = report_with_evidence(world, item, text="已补充开工证明。")
    item = services.verify_item(item=item, user=world.office)
    assert keys(world.office, ITEMS_TO_VERIFY) == []
    assert keys(world.office, ITEMS_TO_CLOSE) == [key]
    assert keys(world.fgw, ITEMS_TO_REPORT) == []
    services.close_item(item=item, user=world.office)
    assert keys(world.office, ITEMS_TO_CLOSE) == []


def test_past_its_deadline_an_item_is_marked_overdue(world: World) -> None:
    new_item(world)
    with at(2023, 7, 1):
        [late] = items(world.fgw, ITEMS_TO_REPORT)
        assert late.overdue


def test_only_the_owner_unit_reports(world: World) -> None:
    new_item(world)  # 发改委's, on task 1, where 缑氏镇 is responsible and 朱蕾 leads
    for other in (world.goushi, world.gongxin, world.archive, world.zhulei, world.chaxun):
        assert keys(other, ITEMS_TO_REPORT) == []
        assert keys(other, ITEMS_TO_VERIFY) == [] and keys(other, ITEMS_TO_CLOSE) == []
    assert keys(world.office, ITEMS_TO_REPORT) == []
