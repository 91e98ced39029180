"""The migration to daily notifications keeps what people were told: each old notification
becomes an item of its person's notification of its day, unread if any of that day's was, and
each delivery keeps its message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from duban.notify.models import Notification as CurrentNotification
from tests.support.world import World

BEFORE = [("notify", "0001_initial")]
AFTER = [("notify", "0004_daily_notifications_cleanup")]


def migrate(target: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True)
def test_old_notifications_become_items_of_their_day(world_committed: World) -> None:
    world = world_committed
    CurrentNotification.objects.all().delete()  # what opening 2023Q1 told: the new shape
    old = migrate(BEFORE).loader.project_state(BEFORE).apps
    Notification = old.get_model("notify", "Notification")
    Channel = old.get_model("notify", "Channel")
    Delivery = old.get_model("notify", "Delivery")
    morning = timezone.make_aware(dt.datetime(2023, 3, 28, 9, 0))
    late = timezone.make_aware(dt.datetime(2023, 3, 28, 23, 30))  # 15:30 UTC: still the 28th
    first = Notification.objects.create(
        user_id=world.fgw.pk, kind="report_due", key="report_due:a", title="报送即将截止"
    )
    second = Notification.objects.create(
        user_id=world.fgw.pk, kind="refinement_to_write", key="", title="细化", link="/x/"
    )
    third = Notification.objects.create(
        user_id=world.fgw.pk, kind="report_overdue", key="report_overdue:a", title="报送逾期"
    )
    Notification.objects.filter(pk=first.pk).update(created_at=morning, read_at=morning)
    Notification.objects.filter(pk=second.pk).update(created_at=late)
    Notification.objects.filter(pk=third.pk).update(created_at=late + dt.timedelta(days=4))
    robot = Channel.objects.create(kind="wecom", name="群", url="http://127.0.0.1:9/x")
    mail = Channel.objects.create(kind="email", name="邮件")
    Delivery.objects.create(notification=second, channel=robot, key="k1", next_attempt_at=late)
    Delivery.objects.create(notification=first, channel=mail, key="k2", next_attempt_at=late)

    new = migrate(AFTER).loader.project_state(AFTER).apps
    Notification = new.get_model("notify", "Notification")
    Item = new.get_model("notify", "NotificationItem")
    Delivery = new.get_model("notify", "Delivery")
    days = list(Notification.objects.filter(user_id=world.fgw.pk).order_by("day"))
    assert [n.day for n in days] == [dt.date(2023, 3, 28), dt.date(2023, 4, 1)]
    assert days[0].read_at is None  # one of the 28th was unread
    assert list(Item.objects.filter(notification=days[0]).values_list("title", "key")) == [
        ("报送即将截止", "report_due:a"),
        ("细化", f"legacy:{second.pk}"),
    ]
    assert Item.objects.get(notification=days[1]).kind == "report_overdue"
    sent = {d.key: d for d in Delivery.objects.all()}
    assert sent["k1"].title == "细化" and sent["k1"].recipient_id is None
    assert sent["k1"].items == [{"title": "细化", "body": "", "link": "/x/"}]
    assert sent["k2"].recipient_id == world.fgw.pk
