"""``duban remind`` run once a day for ten days around 2023Q1's due date (31 March): every
reminder reaches each person once, however many days it stays due (its key holds the subject
and the due date, never the day of the run), as an item of the notification of the day it first
came; a person has one notification a day at most."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command

from duban.notify.models import Notification, NotificationItem
from duban.reporting.models import Milestone, Refinement, ReviewState
from tests.support.world import World

pytestmark = pytest.mark.django_db

FIRST_DAY = date(2023, 3, 26)
DAYS = [FIRST_DAY + timedelta(days=n) for n in range(10)]  # 26 March … 4 April
ONCE = {
    "refinement_to_write",
    "report_due",
    "report_overdue",
    "contribution_requested",
    "contribution_overdue",
    "milestone_due",
    "milestone_overdue",
    "reports_overdue",
}


def remind_every_day(days: list[date]) -> None:
    for day in days:
        with time_machine.travel(f"{day.isoformat()} 09:00 +0800", tick=False):
            call_command("remind", "--no-send", "--date", day.isoformat())


@pytest.fixture
def milestone(world: World) -> Milestone:
    """Task 2 (led by 发改委) refined and submitted, with a milestone due on 2 April."""
    refinement = Refinement.objects.create(task=world.task("2"), state=ReviewState.SUBMITTED)
    return Milestone.objects.create(
        refinement=refinement,
        position=1,
        description="完成电池箔项目设备安装",
        due_on=date(2023, 4, 2),
    )


def test_the_refinement_reminder_is_sent_once_over_five_days(world: World) -> None:
    task = world.task("1")
    remind_every_day(DAYS[:5])
    mine = NotificationItem.objects.filter(user=world.fgw, kind="refinement_to_write", task=task)
    assert mine.count() == 1
    assert mine.get().key == f"refinement_to_write:t{task.pk}"
    assert mine.get().notification.day == FIRST_DAY  # in the notification of the first day
    # His colleague of 发改委 hears it once too; 缑氏镇 (responsible, not lead) never does.
    assert (
        NotificationItem.objects.filter(
            user=world.chenjing, kind="refinement_to_write", task=task
        ).count()
        == 1
    )
    assert not NotificationItem.objects.filter(
        user=world.goushi, kind="refinement_to_write"
    ).exists()


def test_every_once_reminder_reaches_each_person_once_over_ten_days(
    world: World, milestone: Milestone
) -> None:
    remind_every_day(DAYS)
    # What remind added (opening 2023Q1 told the units before: not a reminder).
    notifications = list(NotificationItem.objects.exclude(kind="period_opened"))
    seen = Counter((n.user_id, n.kind, n.task_id) for n in notifications)
    # Each of these kinds did come up in the ten days (the check below is not vacuous) …
    assert {kind for _user, kind, _task in seen} == ONCE
    # … and each person heard each kind about each subject exactly once.
    repeated = {subject: count for subject, count in seen.items() if count != 1}
    assert repeated == {}
    keys = Counter((n.user_id, n.key) for n in notifications)
    assert max(keys.values()) == 1
    # One notification a day per person, on the days something new came for him or her.
    days = Counter((n.user_id, n.day) for n in Notification.objects.filter(day__in=DAYS))
    assert set(days.values()) == {1}
    fgw_days = {n.notification.day for n in notifications if n.user_id == world.fgw.pk}
    assert {n.day for n in Notification.objects.filter(user=world.fgw, day__in=DAYS)} == fgw_days


def test_the_days_each_reminder_first_came(world: World, milestone: Milestone) -> None:
    """Day by day: the report reminder appears on 28 March and stays one notification while
    it is due (28–31 March); the overdue one appears on 1 April, once; the milestone's on
    30 March and 3 April; the office's summary on 1 April."""
    wang, task1 = world.fgw, world.task("1")

    def count(kind: str, **where: object) -> int:
        return NotificationItem.objects.filter(kind=kind, **where).count()

    history: dict[date, tuple[int, ...]] = {}
    for day in DAYS:
        remind_every_day([day])
        history[day] = (
            count("refinement_to_write", user=wang, task=task1),
            count("report_due", user=wang, task=task1),
            count("report_overdue", user=wang, task=task1),
            count("contribution_requested", user=world.goushi, task=task1),
            count("contribution_overdue", user=world.goushi, task=task1),
            count("milestone_due", user=wang, task=milestone.refinement.task),
            count("milestone_overdue", user=wang, task=milestone.refinement.task),
            count("reports_overdue", user=world.office),
        )
    assert history == {
        date(2023, 3, 26): (1, 0, 0, 1, 0, 0, 0, 0),
        date(2023, 3, 27): (1, 0, 0, 1, 0, 0, 0, 0),
        date(2023, 3, 28): (1, 1, 0, 1, 0, 0, 0, 0),
        date(2023, 3, 29): (1, 1, 0, 1, 0, 0, 0, 0),
        date(2023, 3, 30): (1, 1, 0, 1, 0, 1, 0, 0),
        date(2023, 3, 31): (1, 1, 0, 1, 0, 1, 0, 0),
        date(2023, 4, 1): (1, 1, 1, 1, 1, 1, 0, 1),
        date(2023, 4, 2): (1, 1, 1, 1, 1, 1, 0, 1),
        date(2023, 4, 3): (1, 1, 1, 1, 1, 1, 1, 1),
        date(2023, 4, 4): (1, 1, 1, 1, 1, 1, 1, 1),
    }
