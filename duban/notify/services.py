"""Turning reminders into notifications and deliveries, and sending deliveries with retries.

Nothing here is called inside a request: ``duban remind`` (cron) and the background worker
(``duban worker``, django-tasks' database backend) do the sending, so a slow or dead channel
never holds up a page. Each delivery is tried on its own: one failing channel does not stop
the others. A failed attempt is logged (logger ``duban.notify``) and retried after
``DUBAN_NOTIFY_RETRY_SECONDS`` × 2^(attempts − 1), until ``DUBAN_NOTIFY_MAX_ATTEMPTS``; then
the delivery is marked failed with its last error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from duban.core.permissions import Action

from .channels import Message, SendError, send_dingtalk, send_email, send_wecom
from .models import Channel, ChannelKind, Delivery, DeliveryState, Notification
from .reminders import Reminder, compute

logger = logging.getLogger("duban.notify")
# A delivery being sent is hidden from other senders for this long (a crashed worker's
# claim expires and the delivery is tried again).
CLAIM_SECONDS = 120


@dataclass
class RunResult:
    reminders: list[Reminder] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=int(settings.NOTIFY_RETRY_SECONDS) * 2 ** max(0, attempts - 1))


def absolute(link: str) -> str:
    base = str(settings.NOTIFY_SITE_URL).rstrip("/")
    return f"{base}{link}" if base and link.startswith("/") else link


def channels_for(unit_id: int | None) -> list[Channel]:
    """Enabled channels serving a recipient of this unit: the office-wide ones and the unit's."""
    scope = Q(unit__isnull=True) | Q(unit_id=unit_id) if unit_id else Q(unit__isnull=True)
    return list(Channel.objects.filter(scope, enabled=True).order_by("pk"))


def run_reminders(today: date | None = None, *, dry_run: bool = False) -> RunResult:
    """Create the notifications and deliveries of today's reminders that do not exist yet."""
    result = RunResult()
    for reminder in compute(today):
        exists = Notification.objects.filter(user=reminder.user, key=reminder.key).exists()
        if exists:
            continue
        result.reminders.append(reminder)
        if dry_run:
            continue
        created = _create(reminder)
        if created is not None:
            result.notifications.append(created[0])
            result.deliveries.extend(created[1])
    if result.deliveries:
        ids = [d.pk for d in result.deliveries]
        transaction.on_commit(lambda: enqueue(ids))
    return result


def _create(reminder: Reminder) -> tuple[Notification, list[Delivery]] | None:
    """One notification and its deliveries, or None when another run created it first."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=reminder.user,
                kind=reminder.kind,
                key=reminder.key,
                title=reminder.title[:300],
                body=reminder.body,
                link=reminder.link,
                task=reminder.task,
            )
    except IntegrityError:
        return None
    deliveries = []
    now = timezone.now()
    for channel in channels_for(reminder.unit_id):
        if channel.kind == ChannelKind.EMAIL:
            if not reminder.user.email:
                continue
            key = f"{reminder.key}:u{reminder.user.pk}"
        else:
            # A group robot hears each reminder once per unit, not once per operator.
            key = f"{reminder.key}:unit{reminder.unit_id or 0}"
        try:
            with transaction.atomic():
                deliveries.append(
                    Delivery.objects.create(
                        notification=notification, channel=channel, key=key, next_attempt_at=now
                    )
                )
        except IntegrityError:
            continue
    return notification, deliveries


def enqueue(delivery_ids: list[int], run_after: datetime | None = None) -> None:
    """Hand deliveries to the background worker; never fails the caller."""
    try:
        task = deliver.using(run_after=run_after) if run_after else deliver
        task.enqueue(delivery_ids)
    except Exception:  # the queue is a convenience: `duban remind` sends what it missed
        logger.exception("could not enqueue deliveries %s", delivery_ids)


def deliver_pending(now: datetime | None = None, ids: list[int] | None = None) -> list[Delivery]:
    """Send every pending delivery whose time has come (only ``ids`` when given)."""
    now = now or timezone.now()
    due = Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
    if ids is not None:
        due = due.filter(pk__in=ids)
    done = []
    for delivery_id in list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)):
        delivery = attempt(delivery_id, now)
        if delivery is not None:
            done.append(delivery)
    return done


def attempt(delivery_id: int, now: datetime | None = None) -> Delivery | None:
    """Try one delivery once, if it is pending, due and nobody else is sending it."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("channel", "notification__user").get(pk=delivery_id)
    delivery.attempts += 1
    try:
        _send(delivery)
    except Exception as exc:  # a failing channel must never stop the others
        error = str(exc) if isinstance(exc, SendError) else f"{type(exc).__name__}: {exc}"
        delivery.last_error = error[:2000]
        if delivery.attempts >= int(settings.NOTIFY_MAX_ATTEMPTS):
            delivery.state = DeliveryState.FAILED
            logger.error(
                "delivery %s via %s failed for good after %s attempts: %s",
                delivery.pk,
                delivery.channel,
                delivery.attempts,
                error,
            )
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            logger.warning(
                "delivery %s via %s failed (attempt %s), retry at %s: %s",
                delivery.pk,
                delivery.channel,
                delivery.attempts,
                delivery.next_attempt_at.isoformat(),
                error,
            )
    else:
        delivery.state = DeliveryState.SENT
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
        logger.info("delivery %s via %s sent", delivery.pk, delivery.channel)
    delivery.save(update_fields=["attempts", "state", "last_error", "next_attempt_at", "sent_at"])
    if delivery.state == DeliveryState.PENDING:
        retry_at = delivery.next_attempt_at
        transaction.on_commit(lambda: enqueue([delivery_id], run_after=retry_at))
    return delivery


# --- Background work through django-tasks (database backend): run by ``duban worker`` ---------
# Defined here, beside what they run, so that enqueueing needs no import inside a function;
# duban.notify.tasks names them too, for work queued under that path.


@task()
def deliver(delivery_ids: list[int]) -> int:
    """Send these deliveries if they are still pending and due; returns how many were tried."""
    return len(deliver_pending(ids=delivery_ids))


@task()
def remind() -> int:
    """Compute today's reminders and send what is pending (the job `duban remind` runs)."""
    created = run_reminders()
    return len(created.notifications) + len(deliver_pending())


def _send(delivery: Delivery) -> None:
    channel = delivery.channel
    notification = delivery.notification
    message = Message(notification.title, notification.body, absolute(notification.link))
    if channel.kind == ChannelKind.EMAIL:
        send_email(notification.user.email, message)
    elif channel.kind == ChannelKind.DINGTALK:
        send_dingtalk(channel.url, channel.secret, message)
    elif channel.kind == ChannelKind.WECOM:
        send_wecom(channel.url, message)
    else:
        raise SendError(f"unknown channel kind {channel.kind!r}")


def mark_read(user: Any, ids: list[int] | None = None) -> int:
    """Mark the user's own notifications read (all, or those of ``ids`` that are his or hers)."""
    unread = Notification.objects.restrict(user, Action.CHANGE).filter(read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def unread_count(user: Any) -> int:
    return Notification.objects.restrict(user, Action.VIEW).filter(read_at__isnull=True).count()
