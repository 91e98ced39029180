"""Who was told what: the notification items of the world's people, by key or kind."""

from __future__ import annotations

from typing import Any

from duban.notify.models import Notification, NotificationItem


def told(key: str) -> set[str]:
    """The usernames of everyone with an item of this key."""
    items = NotificationItem.objects.filter(key=key).select_related("user")
    return {item.user.get_username() for item in items}


def told_of(kind: str, **where: Any) -> set[str]:
    """The usernames of everyone with an item of this kind (and ``where``)."""
    items = NotificationItem.objects.filter(kind=kind, **where).select_related("user")
    return {item.user.get_username() for item in items}


def item(user: Any, key: str) -> NotificationItem:
    return NotificationItem.objects.select_related("notification").get(user=user, key=key)


def days_of(user: Any) -> list[Notification]:
    """The user's daily notifications, oldest first."""
    return list(Notification.objects.filter(user=user).order_by("day"))
