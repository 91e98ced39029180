"""The in-app list, the unread count in the navigation bar, and the office's channel pages."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from duban.core import clock
from duban.core.events import Event, announce
from duban.notify.models import Channel, ChannelKind, Delivery, Notification
from duban.notify.services import run_reminders
from tests.support.receivers import Hook
from tests.support.world import World


def remind() -> None:
    with time_machine.travel("2023-03-28 09:00 +0800", tick=False):
        run_reminders()


@pytest.mark.django_db
def test_each_day_is_one_notification_with_its_list(world: World, client: Client) -> None:
    remind()
    world.as_unit("发改委", client)
    day = Notification.objects.get(user=world.fgw, day=date(2023, 3, 28))
    items = list(day.items.all())
    assert len(items) > 1  # several reminders, one notification
    page = client.get(reverse("notify:list")).content.decode()
    block = page.split(f'id="notification-{day.pk}"')[1].split("</ol>")[0]
    assert f'data-count="{len(items)}"' in block
    assert f"2023年3月28日 · {len(items)}条" in block
    for item in items:
        assert f'id="notification-item-{item.pk}"' in block
        assert item.title in block and f'href="{item.link}"' in block
    assert "2023Q1" not in page and "2023-03-28" not in block.split(">", 1)[1]
    report = next(i for i in items if i.kind == "report_due" and i.task == world.task("1"))
    assert report.title == "报送即将截止 · 2023年第1季度 · 第1项任务"


@pytest.mark.django_db
def test_list_unread_count_and_mark_read(world: World, client: Client) -> None:
    remind()
    world.as_unit("发改委", client)
    mine = Notification.objects.filter(user=world.fgw)
    # Opening 2023Q1 (the day the world was built) and the reminders of 28 March: two days.
    total = mine.count()
    assert total == 2
    page = client.get(reverse("notify:list")).content.decode()
    assert f'class="notify-count" data-count="{total}"' in page  # the bell counts days
    assert f'data-unread="{total}"' in page
    assert page.count('class="notify-item unread"') == total
    day = mine.get(day=date(2023, 3, 28))
    response = client.post(reverse("notify:read", args=[day.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("notify:list")
    day.refresh_from_db()
    assert day.read_at is not None
    page = client.get(reverse("home")).content.decode()
    assert f'data-count="{total - 1}"' in page
    # Something new the same day joins that day's notification, which is unread again.
    before = day.items.count()
    with clock.pinned(date(2023, 3, 28)):
        announce(
            Event(
                kind="notice_issued",
                key="notice_issued:n7",
                title="督办通知 · 第1项任务",
                unit_ids=(world.unit("发改委").pk,),
            )
        )
    day.refresh_from_db()
    assert day.read_at is None and day.items.count() == before + 1
    assert mine.count() == total
    assert f'data-count="{total}"' in client.get(reverse("home")).content.decode()
    client.post(reverse("notify:read_all"))
    assert not mine.filter(read_at__isnull=True).exists()
    assert 'class="notify-count"' not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_nobody_reads_or_marks_anothers_notifications(world: World, client: Client) -> None:
    remind()
    theirs = Notification.objects.filter(user=world.fgw).first()
    assert theirs is not None
    world.as_unit("工信局", client)
    assert client.post(reverse("notify:read", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("notify:list")).content.decode()
    assert f'id="notification-{theirs.pk}"' not in page
    for item in theirs.items.all():
        assert f'id="notification-item-{item.pk}"' not in page
    assert Notification.objects.filter(user=world.gongxin).exists()  # his own are there
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["fgw", "goushi", "zhulei", "office"])
def test_only_the_system_administrator_manages_channels(
    world: World, client: Client, who: str
) -> None:
    channel = Channel.objects.create(kind=ChannelKind.WECOM, name="群", url="http://127.0.0.1:9/x")
    world.as_user(world.user(who), client)
    assert client.get(reverse("notify:channels")).status_code == 403
    assert client.get(reverse("notify:channel_new")).status_code == 403
    assert (
        client.post(reverse("notify:channel_new"), {"kind": "email", "name": "x"}).status_code
        == 403
    )
    assert client.post(reverse("notify:channel_edit", args=[channel.pk]), {}).status_code == 403
    assert client.post(reverse("notify:channel_delete", args=[channel.pk])).status_code == 403
    assert Channel.objects.count() == 1


@pytest.mark.django_db
def test_the_system_administrator_creates_and_edits_a_channel_without_seeing_its_secrets(
    world: World, client: Client
) -> None:
    world.as_admin("system", client)  # channels are settings: his (三权分立)
    url = "https://oapi.dingtalk.com/robot/send?access_token=TOKEN123"
    response = client.post(
        reverse("notify:channel_new"),
        {"kind": "dingtalk", "name": "督查群", "url": url, "secret": "SECabc", "enabled": "on"},
    )
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert (channel.url, channel.secret, channel.unit) == (url, "SECabc", None)
    for page in (
        client.get(reverse("notify:channels")),
        client.get(reverse("notify:channel_edit", args=[channel.pk])),
    ):
        text = page.content.decode()
        assert page.status_code == 200
        assert "SECabc" not in text and "TOKEN123" not in text
    # Saving without retyping keeps the address and the secret.
    client.post(
        reverse("notify:channel_edit", args=[channel.pk]),
        {"kind": "dingtalk", "name": "督查室群", "enabled": "on"},
    )
    channel.refresh_from_db()
    assert (channel.name, channel.url, channel.secret) == ("督查室群", url, "SECabc")
    # A robot needs an address.
    bad = client.post(reverse("notify:channel_new"), {"kind": "wecom", "name": "无地址"})
    assert bad.status_code == 200 and Channel.objects.count() == 1
    client.post(reverse("notify:channel_delete", args=[channel.pk]))
    assert not Channel.objects.exists()


@pytest.mark.django_db
def test_pages_render_in_english(world: World, client: Client) -> None:
    remind()
    world.as_office(client)
    client.cookies["django_language"] = "en"
    # LocaleMiddleware leaves English active in this thread: restore it for the next tests.
    with translation.override("zh-hans"):
        assert "Notifications" in client.get(reverse("notify:list")).content.decode()
        world.as_admin("system", client)  # channels are settings: his (三权分立)
        assert "Channels" in client.get(reverse("notify:channels")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_worker_once_sends_queued_deliveries(world_committed: World, webhook: Hook) -> None:
    Channel.objects.create(kind=ChannelKind.WECOM, name="群", url=f"{webhook.url}/send?key=k")
    with time_machine.travel("2023-03-28 09:00 +0800", tick=True):
        result = run_reminders()
        assert result.deliveries
        assert webhook.requests == []  # nothing is sent until a worker runs
        call_command("worker", "--once", verbosity=0)
    assert len(webhook.requests) == len(result.deliveries)
    assert not Delivery.objects.exclude(state="sent").exists()
