"""整改事项被退回: the owner unit's operators are told once per return, in Chinese, with the
reason and a link to the item; nobody else is, and a report made again ends the reminder."""

from __future__ import annotations

from datetime import date

import pytest

from duban.inspections import services as inspections
from duban.notify.models import Notification
from duban.notify.reminders import compute
from duban.notify.services import run_reminders
from tests.support.inspections import new_item, report_with_evidence
from tests.support.world import World

DAY = date(2023, 5, 20)


def returned(reminders: list) -> list:
    return [r for r in reminders if r.kind == "item_returned"]


@pytest.mark.django_db
def test_the_units_operators_are_told_once_per_return(world: World) -> None:
    item = new_item(world)
    report_with_evidence(world, item)
    assert returned(compute(DAY)) == []  # reported: nothing to tell

    inspections.return_item(item=item, reason="照片不清晰，请补充。", user=world.office)
    reminders = returned(compute(DAY))
    # Both operators of 发改委 (the owner unit), nobody else.
    assert {r.user for r in reminders} == {world.fgw, world.chenjing}
    first = reminders[0]
    assert first.title == "整改事项被退回 · 1"
    assert "照片不清晰，请补充" in first.body and "2023年6月30日" in first.body
    assert "。。" not in first.body
    assert first.link == f"/inspections/items/{item.pk}/" and first.task == item.task
    assert first.key == f"item_returned:i{item.pk}:r1"

    made = run_reminders(DAY)
    assert {n.user for n in made.notifications if n.kind == "item_returned"} == {
        world.fgw,
        world.chenjing,
    }
    # Once: the next run (or the next day) adds nothing for this return.
    assert [n for n in run_reminders(DAY).notifications if n.kind == "item_returned"] == []
    assert [
        n for n in run_reminders(date(2023, 5, 21)).notifications if n.kind == "item_returned"
    ] == []

    # Reported again: no reminder; returned a second time: a new one.
    report_with_evidence(world, item, "已补充清晰照片。")
    assert returned(compute(DAY)) == []
    inspections.return_item(item=item, reason="仍缺开工许可证。", user=world.office)
    again = [n for n in run_reminders(DAY).notifications if n.kind == "item_returned"]
    assert {n.user for n in again} == {world.fgw, world.chenjing}
    assert all("仍缺开工许可证" in n.body for n in again)
    assert Notification.objects.filter(kind="item_returned", user=world.fgw).count() == 2
