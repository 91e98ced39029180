"""Which reminders are due, and for whom, at chosen dates around 2023Q1's due date (31 March)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from duban.notify.models import Notification, NotificationItem
from duban.notify.reminders import compute
from duban.notify.services import run_reminders
from tests.support.world import World


def kinds_for(reminders: list, username: str) -> set[str]:
    return {r.kind for r in reminders if r.user.get_username() == username}


@pytest.mark.django_db
def test_three_days_before_the_due_date(world: World) -> None:
    assert world.q1.due_on == date(2023, 3, 31)
    with time_machine.travel("2023-03-28 09:00 +0800", tick=False):
        reminders = compute()
    wang = [r for r in reminders if r.user == world.fgw]
    due = [r for r in wang if r.kind == "report_due"]
    assert {r.task.number for r in due} >= {"1", "2", "3", "4"}
    first = next(r for r in due if r.task.number == "1")
    # The period by its label, the task by its number and text, the date in Chinese.
    assert first.title == "报送即将截止 · 2023年第1季度 · 第1项任务"
    assert first.body.startswith("第1项任务：树牢“项目为王”理念")
    assert "2023年3月31日" in first.body and "2023年第1季度" in first.body
    assert "2023Q1" not in first.title + first.body and "2023-03-31" not in first.body
    assert first.key == f"report_due:t{world.task('1').pk}:p{world.q1.pk}:2023-03-31"
    assert "refinement_to_write" in kinds_for(reminders, "fgw")
    # 缑氏镇 is asked for its contribution to task 1 (through 各镇（街道）), reports nothing.
    zhao = kinds_for(reminders, "goushi")
    assert "contribution_requested" in zhao and "report_due" not in zhao
    assert world.task("1").pk in {r.task.pk for r in reminders if r.user == world.goushi}
    # Nothing is overdue yet: the office hears nothing, the leader never does.
    assert kinds_for(reminders, "office") == set()
    assert kinds_for(reminders, "zhulei") == set()


@pytest.mark.django_db
def test_four_days_before_no_report_reminder(world: World) -> None:
    reminders = compute(date(2023, 3, 27))
    assert "report_due" not in kinds_for(reminders, "fgw")


@pytest.mark.django_db
def test_on_the_due_date(world: World) -> None:
    with time_machine.travel("2023-03-31 18:00 +0800", tick=False):
        reminders = compute()
    assert "report_due" in kinds_for(reminders, "fgw")
    assert "report_overdue" not in kinds_for(reminders, "fgw")
    assert kinds_for(reminders, "office") == set()


@pytest.mark.django_db
def test_after_the_due_date(world: World) -> None:
    with time_machine.travel("2023-04-02 09:00 +0800", tick=False):
        reminders = compute()
    wang = kinds_for(reminders, "fgw")
    assert "report_overdue" in wang and "report_due" not in wang
    assert "contribution_overdue" in kinds_for(reminders, "goushi")
    office = [r for r in reminders if r.user == world.office]
    assert [r.kind for r in office] == ["reports_overdue"]
    assert "2023年3月31日" in office[0].body


@pytest.mark.django_db
def test_remind_twice_creates_each_item_once(world: World) -> None:
    start = NotificationItem.objects.count()  # what opening 2023Q1 told the units
    with time_machine.travel("2023-03-28 09:00 +0800", tick=False):
        call_command("remind", "--no-send")
        first = NotificationItem.objects.count()
        days = Notification.objects.count()
        call_command("remind", "--no-send")
        assert (NotificationItem.objects.count(), Notification.objects.count()) == (first, days)
        assert first > start
        again = run_reminders()
        assert (again.items, again.notifications, again.deliveries) == ([], [], [])
    # The day after the due date brings the overdue reminders, once, in that day's notification.
    with time_machine.travel("2023-04-01 09:00 +0800", tick=False):
        call_command("remind", "--no-send")
        after = NotificationItem.objects.count()
        call_command("remind", "--no-send")
        assert NotificationItem.objects.count() == after > first
    overdue = NotificationItem.objects.filter(kind="report_overdue")
    assert overdue.exists()
    assert {i.notification.day for i in overdue} == {date(2023, 4, 1)}


@pytest.mark.django_db
def test_dry_run_lists_and_creates_nothing(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (Notification.objects.count(), NotificationItem.objects.count())
    call_command("remind", "--dry-run", "--date", "2023-03-28")
    out = capsys.readouterr().out
    assert "fgw" in out and "report_due" in out
    assert "报送即将截止 · 2023年第1季度 · 第1项任务" in out
    assert (Notification.objects.count(), NotificationItem.objects.count()) == before
