"""Daily notifications with a list of items (2 of 3): the existing rows in the new shape.

Each old notification becomes an item of its person's notification of its day (local date of
its creation; the first of the day is kept, the others' items join it, and it is unread if any
of them was). Each delivery keeps its message: the old notification's title, body and link.
"""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    Notification = apps.get_model("notify", "Notification")
    NotificationItem = apps.get_model("notify", "NotificationItem")
    Delivery = apps.get_model("notify", "Delivery")
    for delivery in Delivery.objects.select_related("notification", "channel").iterator():
        old = delivery.notification
        delivery.title = old.title[:300]
        delivery.items = [{"title": old.title, "body": old.body, "link": old.link}]
        delivery.link = old.link
        delivery.recipient_id = old.user_id if delivery.channel.kind == "email" else None
        delivery.save(update_fields=["title", "items", "link", "recipient"])
    kept: dict[tuple[int, object], object] = {}
    for old in Notification.objects.order_by("created_at", "pk").iterator():
        day = timezone.localdate(old.created_at)
        daily = kept.get((old.user_id, day))
        if daily is None:
            daily = old
            old.day, old.updated_at = day, old.created_at
            old.save(update_fields=["day", "updated_at"])
            kept[(old.user_id, day)] = old
        else:
            daily.updated_at = max(daily.updated_at, old.created_at)
            if old.read_at is None:
                daily.read_at = None
            daily.save(update_fields=["updated_at", "read_at"])
            # Its deliveries (their message copied above) outlive it: 0004 drops the link.
            Delivery.objects.filter(notification_id=old.pk).update(notification_id=daily.pk)
        NotificationItem.objects.create(
            notification=daily,
            user_id=old.user_id,
            kind=old.kind,
            key=old.key or f"legacy:{old.pk}",
            title=old.title,
            body=old.body,
            link=old.link,
            task_id=old.task_id,
            created_at=old.created_at,
        )
    Notification.objects.filter(day__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("notify", "0002_daily_notifications")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
