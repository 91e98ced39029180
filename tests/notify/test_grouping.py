"""Grouping: a person gets one notification a day listing what came that day; a run of
``duban remind`` sends each unit's group robot one message, and each person one email, with the
list — 47 reminders for 发改委 are one notification with 47 items and one message, not 47."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from duban.accounts.models import Role
from duban.accounts.services import ensure_account
from duban.notify.models import Channel, ChannelKind, Delivery, Notification
from duban.notify.reminders import compute
from duban.notify.services import run_reminders
from duban.reporting.models import Milestone, Refinement, ReviewState
from tests.support.receivers import Hook, Mailbox
from tests.support.world import PASSWORD, World

pytestmark = pytest.mark.django_db

DAY = date(2023, 3, 28)  # three days before 2023Q1 is due
WANTED = 47


def at(day: date) -> time_machine.travel:
    return time_machine.travel(f"{day.isoformat()} 09:00 +0800", tick=False)


@pytest.fixture
def forty_seven(world: World) -> int:
    """Enough milestones of task 2 (led by 发改委, refined and submitted) due on 30 March for
    发改委's operators to have exactly 47 reminders on 28 March."""
    refinement = Refinement.objects.create(task=world.task("2"), state=ReviewState.SUBMITTED)
    base = sum(1 for r in compute(DAY) if r.user == world.fgw)
    for position in range(1, WANTED - base + 1):
        Milestone.objects.create(
            refinement=refinement,
            position=position,
            description=f"第{position}批设备安装到位",
            due_on=date(2023, 3, 30),
        )
    reminders = [r for r in compute(DAY) if r.user == world.fgw]
    assert len(reminders) == WANTED
    return WANTED


def reminded(world: World, user: object, day: date) -> Notification:
    return Notification.objects.get(user=user, day=day)


def test_47_reminders_are_one_notification_with_47_items(world: World, forty_seven: int) -> None:
    with at(DAY):
        result = run_reminders()
    for user in (world.fgw, world.chenjing):
        day = reminded(world, user, DAY)
        assert day.items.count() == forty_seven
        assert day.read_at is None
        assert len({i.key for i in day.items.all()}) == forty_seven
    assert len([n for n in result.notifications if n.user == world.fgw]) == 1
    # Run again the same day: nothing is added, the notification stays as it was.
    with at(DAY):
        again = run_reminders()
    assert again.items == [] and reminded(world, world.fgw, DAY).items.count() == forty_seven


def test_the_next_day_brings_a_new_notification(world: World, forty_seven: int) -> None:
    with at(DAY):
        run_reminders()
    first = reminded(world, world.fgw, DAY)
    first.read_at = first.updated_at
    first.save()
    # 1 April: 2023Q1 is overdue — new reminders, in the notification of 1 April.
    later = date(2023, 4, 1)
    with at(later):
        run_reminders()
    second = reminded(world, world.fgw, later)
    assert second.pk != first.pk and second.read_at is None
    kinds = {i.kind for i in second.items.all()}
    assert "report_overdue" in kinds and "report_due" not in kinds  # due soon: told on the 28th
    first.refresh_from_db()
    assert first.items.count() == forty_seven and first.read_at is not None
    # A reminder of the 28th still due on the 1st is not told again.
    told_keys = set(first.items.values_list("key", flat=True))
    assert not told_keys & set(second.items.values_list("key", flat=True))


def test_a_run_sends_one_message_per_unit_and_one_email_per_person(
    world: World, forty_seven: int, webhook: Hook, smtp: Mailbox
) -> None:
    world.fgw.email = "fgw@example.gov.cn"
    world.fgw.save()
    world.chenjing.email = "chenjing@example.gov.cn"
    world.chenjing.save()
    Channel.objects.create(kind=ChannelKind.EMAIL, name="邮件")
    robot = Channel.objects.create(
        kind=ChannelKind.WECOM,
        name="发改委企业微信群",
        url=f"{webhook.url}/cgi-bin/webhook/send?key=k",
        unit=world.unit("发改委"),
    )
    with at(DAY):
        call_command("remind")
    # The group hears 发改委 once, however many items and operators.
    assert Delivery.objects.filter(channel=robot).count() == 1
    assert len(webhook.requests) == 1
    content = webhook.requests[0]["json"]["markdown"]["content"]
    assert content.startswith(f"### 发改委：{forty_seven}条新通知")
    # WeCom takes 4096 bytes: the list is cut, saying how many more, linking to all of them.
    assert len(content.encode()) <= 4096
    shown = sum(1 for line in content.splitlines() if line[:1].isdigit())
    assert 0 < shown < forty_seven
    assert f"……另有{forty_seven - shown}条，请在系统中查看。" in content
    assert content.endswith("[查看全部通知](http://duban.test/notifications/)")
    # Each operator gets one email listing all 47.
    assert sorted(m["To"] for m in smtp.messages) == [
        "chenjing@example.gov.cn",
        "fgw@example.gov.cn",
    ]
    for mail in smtp.messages:
        assert str(mail["Subject"]) == f"{forty_seven}条新通知"
        assert f"\n{forty_seven}. " in mail.get_content()
    # A second run the same day sends nothing.
    with at(DAY):
        call_command("remind")
    assert len(webhook.requests) == 1 and len(smtp.messages) == 2


def test_a_new_operator_is_told_but_the_group_does_not_hear_it_again(
    world: World, webhook: Hook
) -> None:
    robot = Channel.objects.create(
        kind=ChannelKind.WECOM,
        name="发改委企业微信群",
        url=f"{webhook.url}/cgi-bin/webhook/send?key=k",
        unit=world.unit("发改委"),
    )
    with at(DAY):
        run_reminders()
    heard = Delivery.objects.filter(channel=robot).count()
    assert heard == 1
    newcomer = ensure_account("fgw3", PASSWORD, Role.UNIT_OPERATOR, unit=world.unit("发改委"))
    with at(DAY):
        made = run_reminders()
    # The newcomer is told what his colleagues were told this morning …
    assert {i.user for i in made.items} == {newcomer}
    assert set(made.items[0].notification.items.values_list("key", flat=True)) == set(
        reminded(world, world.fgw, DAY).items.values_list("key", flat=True)
    )
    # … but it is no news for the unit: its group does not hear the same list again.
    assert Delivery.objects.filter(channel=robot).count() == heard
