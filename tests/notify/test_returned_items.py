"""整改事项被退回: the owner unit's operators are told once per return, in Chinese, with the
reason and a link to the item — when the office returns it (the event), and the daily reminder
of returned items, which has the same key, adds nothing; nobody else is told, and a report made
again ends the reminder."""

from __future__ import annotations

from datetime import date

import pytest

from duban.core import clock
from duban.inspections import services as inspections
from duban.notify.models import NotificationItem
from duban.notify.reminders import compute
from duban.notify.services import run_reminders
from tests.support.inspections import new_item, report_with_evidence
from tests.support.notify import told
from tests.support.world import World

DAY = date(2023, 5, 20)


def returned(reminders: list) -> list:
    return [r for r in reminders if r.kind == "item_returned"]


@pytest.mark.django_db
def test_the_units_operators_are_told_once_per_return(world: World) -> None:
    item = new_item(world)
    report_with_evidence(world, item)
    assert returned(compute(DAY)) == []  # reported: nothing to remind

    with clock.pinned(DAY):
        inspections.return_item(item=item, reason="照片不清晰，请补充。", user=world.office)
    key = f"item_returned:i{item.pk}:r1"
    # Both operators of 发改委 (the owner unit) at once, nobody else.
    assert told(key) == {"fgw", "chenjing"}
    told_item = NotificationItem.objects.get(user=world.fgw, key=key)
    assert told_item.title == "整改事项被退回 · 第1项任务"
    assert "照片不清晰，请补充" in told_item.body and "2023年6月30日" in told_item.body
    assert "。。" not in told_item.body
    assert told_item.link == f"/inspections/items/{item.pk}/" and told_item.task == item.task
    assert told_item.notification.day == DAY

    # The daily reminder says the same under the same key: remind adds nothing, that day or
    # the next.
    reminders = returned(compute(DAY))
    assert {r.user for r in reminders} == {world.fgw, world.chenjing}
    assert {r.key for r in reminders} == {key}
    assert reminders[0].title == told_item.title
    assert returned(run_reminders(DAY).reminders) == []
    assert returned(run_reminders(date(2023, 5, 21)).reminders) == []
    assert NotificationItem.objects.filter(key=key).count() == 2

    # Reported again: no reminder; returned a second time: told again.
    report_with_evidence(world, item, "已补充清晰照片。")
    assert returned(compute(DAY)) == []
    inspections.return_item(item=item, reason="仍缺开工许可证。", user=world.office)
    again = NotificationItem.objects.filter(key=f"item_returned:i{item.pk}:r2")
    assert {i.user for i in again} == {world.fgw, world.chenjing}
    assert all("仍缺开工许可证" in i.body for i in again)
    assert NotificationItem.objects.filter(kind="item_returned", user=world.fgw).count() == 2


@pytest.mark.django_db
def test_a_return_made_before_events_is_still_reminded(world: World) -> None:
    """A return nobody was told of (the item returned before duban told at once, or its event
    lost): the daily reminder tells the unit, once."""
    item = new_item(world)
    report_with_evidence(world, item)
    inspections.return_item(item=item, reason="照片不清晰。", user=world.office)
    NotificationItem.objects.filter(kind="item_returned").delete()
    made = [i for i in run_reminders(DAY).items if i.kind == "item_returned"]
    assert {i.user for i in made} == {world.fgw, world.chenjing}
    assert [i for i in run_reminders(DAY).items if i.kind == "item_returned"] == []
