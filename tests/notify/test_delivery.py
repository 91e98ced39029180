"""Email, DingTalk and WeCom deliveries reach local receivers; dead channels retry, then fail."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from datetime import date, timedelta
from urllib.parse import unquote_plus

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from duban.directory.models import Unit
from duban.notify.channels import dingtalk_sign
from duban.notify.models import (
    Channel,
    ChannelKind,
    Delivery,
    DeliveryState,
    Notification,
    NotificationItem,
)
from duban.notify.services import deliver_pending, run_reminders
from tests.support.receivers import Hook, Mailbox, free_port
from tests.support.world import World

SECRET = "SECtest0123456789abcdef"
BEFORE = "2023-03-28 09:00 +0800"


def fagaiwei() -> Unit:
    return Unit.objects.get(name="发改委")


@pytest.mark.django_db
def test_email_reaches_the_smtp_server_in_chinese(world: World, smtp: Mailbox) -> None:
    world.fgw.email = "fgw@example.gov.cn"
    world.fgw.save()
    Channel.objects.create(kind=ChannelKind.EMAIL, name="邮件")
    with time_machine.travel(BEFORE, tick=False):
        call_command("remind")
    # One email for the run, listing every item fgw (王强) got; only he has an address.
    assert len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert mail["To"] == "fgw@example.gov.cn"
    items = NotificationItem.objects.filter(user=world.fgw, notification__day=date(2023, 3, 28))
    assert items.count() > 1
    assert str(mail["Subject"]) == f"{items.count()}条新通知"
    text = mail.get_content()
    for number, item in enumerate(items, 1):
        assert f"{number}. {item.title}" in text
    assert "1. 报送即将截止 · 2023年第1季度 · 第1项任务" in text
    assert world.task("1").text[:20] in text
    assert "2023年3月31日" in text and "2023Q1" not in text
    assert f"http://duban.test/reporting/tasks/{world.task('1').pk}/periods/{world.q1.pk}/" in text
    assert "查看全部通知: http://duban.test/notifications/" in text
    assert Delivery.objects.filter(state=DeliveryState.SENT).count() == len(smtp.messages)


@pytest.mark.django_db
def test_dingtalk_robot_gets_markdown_with_a_valid_signature(world: World, webhook: Hook) -> None:
    Channel.objects.create(
        kind=ChannelKind.DINGTALK,
        name="发改委钉钉群",
        url=f"{webhook.url}/robot/send?access_token=abc",
        secret=SECRET,
        unit=fagaiwei(),
    )
    with time_machine.travel(BEFORE, tick=False):
        run_reminders()
        deliver_pending()
    # fgw (王强) and chenjing (陈静) share 发改委: the group hears 发改委 once for the run, with
    # the list of what the unit was told.
    assert len(webhook.requests) == 1
    request = webhook.requests[0]
    assert request["path"] == "/robot/send"
    assert request["query"]["access_token"] == "abc"
    timestamp = request["query"]["timestamp"]
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert request["query"]["sign"] == expected  # parse_qs decoded the URL encoding
    assert "sign=" + dingtalk_sign(SECRET, int(timestamp)) in request["raw_query"]
    body = request["json"]
    assert body["msgtype"] == "markdown"
    assert set(body["markdown"]) == {"title", "text"}
    items = NotificationItem.objects.filter(user=world.fgw, notification__day=date(2023, 3, 28))
    assert body["markdown"]["title"] == f"发改委：{items.count()}条新通知"
    text = body["markdown"]["text"]
    assert text.startswith(f"### 发改委：{items.count()}条新通知")
    task1 = f"http://duban.test/reporting/tasks/{world.task('1').pk}/periods/{world.q1.pk}/"
    assert f"1. [报送即将截止 · 2023年第1季度 · 第1项任务]({task1})：" in text
    assert f"{items.count()}. [" in text and "2023年3月31日" in text
    assert text.endswith("[查看全部通知](http://duban.test/notifications/)")
    assert (
        unquote_plus(dingtalk_sign(SECRET, 1))
        == base64.b64encode(
            hmac.new(SECRET.encode(), f"1\n{SECRET}".encode(), hashlib.sha256).digest()
        ).decode()
    )
    # Only 发改委's news reaches 发改委's group.
    assert set(Delivery.objects.values_list("unit__name", flat=True)) == {"发改委"}


@pytest.mark.django_db
def test_wecom_robot_hears_each_unit_once_per_run(world: World, webhook: Hook) -> None:
    Channel.objects.create(
        kind=ChannelKind.WECOM,
        name="督查室企业微信群",
        url=f"{webhook.url}/cgi-bin/webhook/send?key=k",
    )
    with time_machine.travel("2023-04-02 09:00 +0800", tick=False):
        call_command("remind")
    for request in webhook.requests:
        assert request["query"] == {"key": "k"}
        assert request["json"]["msgtype"] == "markdown"
        assert set(request["json"]["markdown"]) == {"content"}
        assert len(request["json"]["markdown"]["content"].encode()) <= 4096
    # A whole-office robot: one message per unit told in the run (the units' operators and the
    # office, whose summary of overdue reports names the period by its label).
    heads = [r["json"]["markdown"]["content"].split("\n")[0] for r in webhook.requests]
    units = [head.removeprefix("### ").split("：")[0] for head in heads]
    assert sorted(units) == sorted({"发改委", "缑氏镇", "工信局", "督查室"})
    office = next(r for r, unit in zip(webhook.requests, units, strict=True) if unit == "督查室")
    content = office["json"]["markdown"]["content"]
    assert "报送逾期 · 2023年第1季度" in content and "2023Q1" not in content


@pytest.mark.django_db
def test_dead_channel_retries_with_backoff_then_fails_while_email_goes(
    world: World,
    smtp: Mailbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    world.fgw.email = "fgw@example.gov.cn"
    world.fgw.save()
    Channel.objects.create(kind=ChannelKind.EMAIL, name="邮件")
    dead = Channel.objects.create(
        kind=ChannelKind.DINGTALK,
        name="坏掉的群",
        url=f"http://127.0.0.1:{free_port()}/robot/send?access_token=x",
        unit=fagaiwei(),
    )
    caplog.set_level(logging.WARNING, logger="duban.notify")
    start = timezone.now().replace(year=2023, month=3, day=28, hour=1, minute=0)
    with time_machine.travel(start, tick=False):
        run_reminders()
        deliver_pending()
        one = Delivery.objects.filter(channel=dead).order_by("pk").first()
        assert one is not None
        assert one.state == DeliveryState.PENDING and one.attempts == 1
        assert one.next_attempt_at == start + timedelta(seconds=60)
        assert "connection failed" in one.last_error
        # Not due again yet: nothing is tried.
        assert deliver_pending() == []
    assert smtp.messages, "email went although the robot is dead"
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        deliver_pending()
    one.refresh_from_db()
    assert one.attempts == 2 and one.next_attempt_at == start + timedelta(seconds=61 + 120)
    with time_machine.travel(start + timedelta(seconds=61 + 121), tick=False):
        deliver_pending()
    one.refresh_from_db()
    assert one.state == DeliveryState.FAILED and one.attempts == 3
    with time_machine.travel(start + timedelta(days=1), tick=False):
        assert Delivery.objects.get(pk=one.pk).attempts == 3
        deliver_pending()
    assert Delivery.objects.get(pk=one.pk).attempts == 3
    assert any("failed for good" in r.getMessage() for r in caplog.records)
    assert (
        not Delivery.objects.filter(channel__kind=ChannelKind.EMAIL)
        .exclude(state=DeliveryState.SENT)
        .exists()
    )


@pytest.mark.django_db
def test_remind_twice_sends_each_reminder_once(world: World, smtp: Mailbox, webhook: Hook) -> None:
    world.fgw.email = "fgw@example.gov.cn"
    world.fgw.save()
    Channel.objects.create(kind=ChannelKind.EMAIL, name="邮件")
    Channel.objects.create(kind=ChannelKind.WECOM, name="群", url=f"{webhook.url}/send?key=k")
    with time_machine.travel(BEFORE, tick=False):
        call_command("remind")
        mails, posts = len(smtp.messages), len(webhook.requests)
        call_command("remind")
        call_command("remind")
    assert mails > 0 and posts > 0
    assert (len(smtp.messages), len(webhook.requests)) == (mails, posts)
    subjects = [str(m["Subject"]) for m in smtp.messages]
    assert len(subjects) == len(set(subjects))


@pytest.mark.django_db
def test_disabled_channel_sends_nothing(world: World, webhook: Hook) -> None:
    Channel.objects.create(
        kind=ChannelKind.WECOM, name="停用", url=f"{webhook.url}/send?key=k", enabled=False
    )
    with time_machine.travel(BEFORE, tick=False):
        call_command("remind")
    assert webhook.requests == []
    assert Notification.objects.exists()
