"""Telling people: reminders and events become items of each person's daily notification, and
channel deliveries; sending deliveries with retries.

Two things tell people. ``duban remind`` (cron) turns the day's reminders (``reminders``) into
items; a workflow's ``announce(Event(...))`` (``duban.core.events``) reaches ``tell_event``
through the receiver connected in ``NotifyConfig.ready``: the operators of the event's units
and, when ``to_office``, the office. Either way ``tell`` adds an item to the person's
notification of the day (creating it; it is unread again) unless that person already has an
item of the same key: a reminder or an event tells each person once.

The items of one run — one ``duban remind``, or one workflow's transaction — go out through the
channels as one message per person (email) and one per unit (a group robot), listing them.
An event's messages are queued when its transaction commits: a rolled-back action tells nobody.

Nothing is sent inside a request: the background worker (``duban worker``, django-tasks'
database backend) and ``duban remind`` send. Each delivery is tried on its own: one failing
channel does not stop the others. A failed attempt is logged (logger ``duban.notify``) and
retried after ``DUBAN_NOTIFY_RETRY_SECONDS`` × 2^(attempts − 1), until
``DUBAN_NOTIFY_MAX_ATTEMPTS``; then the delivery is marked failed with its last error.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from duban.accounts.permissions import users_acting_for, users_with
from duban.core import clock
from duban.core.events import Event
from duban.core.permissions import Action
from duban.directory.models import Unit
from duban.ledger.models import Task

from .channels import Line, Message, SendError, send_dingtalk, send_email, send_wecom
from .models import (
    Channel,
    ChannelKind,
    Delivery,
    DeliveryState,
    Notification,
    NotificationItem,
)
from .reminders import Reminder, compute

logger = logging.getLogger("duban.notify")
# A delivery being sent is hidden from other senders for this long (a crashed worker's
# claim expires and the delivery is tried again).
CLAIM_SECONDS = 120


@dataclass(frozen=True)
class Told:
    """An item just added for a person, and the unit whose news it is (the person's unit)."""

    item: NotificationItem
    unit_id: int | None


@dataclass
class RunResult:
    reminders: list[Reminder] = field(default_factory=list)
    items: list[NotificationItem] = field(default_factory=list)
    # The daily notifications the new items went into, each once.
    notifications: list[Notification] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=int(settings.NOTIFY_RETRY_SECONDS) * 2 ** max(0, attempts - 1))


def absolute(link: str) -> str:
    base = str(settings.NOTIFY_SITE_URL).rstrip("/")
    return f"{base}{link}" if base and link.startswith("/") else link


def channels_for(unit_id: int | None) -> list[Channel]:
    """Enabled channels serving a recipient of this unit: the office-wide ones and the unit's."""
    channels = Channel.objects.filter(enabled=True).order_by("pk")
    return [c for c in channels if c.unit_id is None or c.unit_id == unit_id]


# --- Adding items to the daily notification ---------------------------------------------------


def told_before(user: Any, key: str) -> bool:
    return NotificationItem.objects.filter(user=user, key=key).exists()


def tell(
    user: Any,
    *,
    kind: str,
    key: str,
    title: str,
    body: str = "",
    link: str = "",
    task: Task | None = None,
    task_id: int | None = None,
    due_on: date | None = None,
    day: date | None = None,
) -> NotificationItem | None:
    """Add an item to ``user``'s notification of ``day`` (today), which becomes unread again;
    None when the person already has an item of this key (from any day, any run)."""
    if told_before(user, key):
        return None
    day = day or clock.today()
    moment = clock.now()
    try:
        with transaction.atomic():
            notification = _daily(user, day, moment)
            item = NotificationItem.objects.create(
                notification=notification,
                user=user,
                kind=kind[:40],
                key=key[:200],
                title=title[:300],
                body=body,
                link=link[:500],
                task_id=task.pk if task is not None else task_id,
                due_on=due_on,
                created_at=moment,
            )
            Notification.objects.filter(pk=notification.pk).update(read_at=None, updated_at=moment)
    except IntegrityError:  # another run told this person the same thing a moment ago
        return None
    return item


def _daily(user: Any, day: date, moment: datetime) -> Notification:
    notification = Notification.objects.filter(user=user, day=day).first()
    if notification is not None:
        return notification
    try:
        with transaction.atomic():
            return Notification.objects.create(
                user=user, day=day, created_at=moment, updated_at=moment
            )
    except IntegrityError:  # created by another run in between
        return Notification.objects.get(user=user, day=day)


# --- Reminders (``duban remind``) -------------------------------------------------------------


def run_reminders(today: date | None = None, *, dry_run: bool = False) -> RunResult:
    """Add today's reminders that nobody has had yet to each person's notification of the day,
    and queue one message per person and per unit listing them."""
    today = today or clock.today()
    result = RunResult()
    told: list[Told] = []
    for reminder in compute(today):
        if told_before(reminder.user, reminder.key):
            continue
        result.reminders.append(reminder)
        if dry_run:
            continue
        item = tell(
            reminder.user,
            kind=reminder.kind,
            key=reminder.key,
            title=reminder.title,
            body=reminder.body,
            link=reminder.link,
            task=reminder.task,
            due_on=reminder.due_on,
            day=today,
        )
        if item is not None:
            told.append(Told(item, reminder.unit_id))
    result.items = [t.item for t in told]
    daily = {t.item.notification_id: t.item.notification for t in told}
    result.notifications = list(daily.values())
    if told:
        result.deliveries = queue_deliveries(told)
    if result.deliveries:
        ids = [d.pk for d in result.deliveries]
        transaction.on_commit(lambda: enqueue(ids))
    return result


# --- Events (``duban.core.events``) -----------------------------------------------------------


def on_event(sender: Any, event: Event, **kwargs: Any) -> None:
    """The receiver of ``duban.core.events.happened`` (connected in ``NotifyConfig.ready``)."""
    tell_event(event)


def recipients(event: Event) -> list[tuple[Any, int | None]]:
    """(person, unit) of everyone the event concerns: the operators of its units, then — when
    it is for the office — the office; each person once."""
    found: dict[int, tuple[Any, int | None]] = {}
    if event.unit_ids:
        operators = users_acting_for(event.unit_ids).select_related("membership")
        for user in operators.order_by("pk"):
            found.setdefault(user.pk, (user, user.membership.unit_id))
    if event.to_office:
        for user in users_with(Action.MANAGE_LEDGER).select_related("membership").order_by("pk"):
            membership = getattr(user, "membership", None)
            found.setdefault(user.pk, (user, membership.unit_id if membership else None))
    return list(found.values())


def tell_event(event: Event) -> list[Told]:
    """Tell the people an event concerns (once per person and key); their channel messages go
    out when the transaction commits, together with the other news of the same transaction."""
    key = event.key or f"{event.kind}:{uuid.uuid4().hex}"
    with translation.override(settings.LANGUAGE_CODE):
        title, body = str(event.title), str(event.body or "")
    told = []
    for user, unit_id in recipients(event):
        item = tell(
            user,
            kind=event.kind,
            key=key,
            title=title,
            body=body,
            link=event.link,
            task_id=event.task_id,
            due_on=event.due_on,
        )
        if item is not None:
            told.append(Told(item, unit_id))
    if told:
        _after_commit(told)
    return told


class _Batch:
    """The items told in one transaction; when it commits, their channel messages are queued
    together (a unit told of five things in one action hears one message listing them)."""

    def __init__(self, told: list[Told]) -> None:
        self.told = told
        self.send: Callable[[], None] = self._flush  # one object, to find it among callbacks

    def registered(self) -> bool:
        connection = transaction.get_connection()
        return connection.in_atomic_block and any(
            entry[1] is self.send for entry in connection.run_on_commit
        )

    def _flush(self) -> None:
        if getattr(_local, "batch", None) is self:
            _local.batch = None
        alive = set(
            NotificationItem.objects.filter(pk__in=[t.item.pk for t in self.told]).values_list(
                "pk", flat=True
            )
        )  # items of a savepoint rolled back since are gone
        told = [t for t in self.told if t.item.pk in alive]
        with transaction.atomic():
            deliveries = queue_deliveries(told)
        if deliveries:
            enqueue([d.pk for d in deliveries])


_local = threading.local()


def _after_commit(told: list[Told]) -> None:
    batch: _Batch | None = getattr(_local, "batch", None)
    if batch is not None and batch.registered():
        batch.told.extend(told)
        return
    batch = _Batch(told)
    _local.batch = batch
    # Outside a transaction this runs at once. ``robust``: a failure to queue the messages is
    # logged; it never undoes (or fails) the action, which is committed.
    transaction.on_commit(batch.send, robust=True)


# --- Channel messages: one per person (email) and one per unit (robots) per run ---------------


def queue_deliveries(told: Iterable[Told]) -> list[Delivery]:
    """The deliveries of one run's new items: per channel, one email per person with his or her
    items, and one robot message per unit with the unit's items (each key once)."""
    by_user: dict[int, list[Told]] = {}
    by_unit: dict[int | None, dict[str, Told]] = {}
    for entry in told:
        by_user.setdefault(entry.item.user_id, []).append(entry)
        by_unit.setdefault(entry.unit_id, {}).setdefault(entry.item.key, entry)
    if not by_user:
        return []
    units = Unit.objects.in_bulk([pk for pk in by_unit if pk is not None])
    deliveries = []
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        for channel in Channel.objects.filter(enabled=True).order_by("pk"):
            if channel.kind == ChannelKind.EMAIL:
                for entries in by_user.values():
                    user = entries[0].item.user
                    if not user.email or not _serves(channel, entries[0].unit_id):
                        continue
                    items = [e.item for e in entries]
                    deliveries += _deliver(
                        channel, f"u{user.pk}", items, now, recipient=user, title=_title(items)
                    )
            else:
                for unit_id, keyed in by_unit.items():
                    if not _serves(channel, unit_id):
                        continue
                    items = [e.item for e in keyed.values()]
                    unit = units.get(unit_id) if unit_id is not None else None
                    deliveries += _deliver(
                        channel,
                        f"unit{unit_id or 0}",
                        items,
                        now,
                        unit=unit,
                        title=_title(items, unit),
                    )
    return deliveries


def _serves(channel: Channel, unit_id: int | None) -> bool:
    return channel.unit_id is None or channel.unit_id == unit_id


def _title(items: list[NotificationItem], unit: Unit | None = None) -> str:
    """The message's title: the item's own when there is one, else how many there are."""
    if len(items) == 1:
        title = items[0].title
    else:
        title = _("%(count)s new notifications") % {"count": len(items)}
    if unit is not None:
        title = _("%(unit)s: %(title)s") % {"unit": unit.name, "title": title}
    return title[:300]


def _deliver(
    channel: Channel,
    target: str,
    items: list[NotificationItem],
    now: datetime,
    *,
    title: str,
    recipient: Any = None,
    unit: Unit | None = None,
) -> list[Delivery]:
    """One delivery, unique per channel and (target, items): a second run with the same news for
    the same target — a unit's new operator told what a colleague was told — sends nothing."""
    digest = hashlib.sha256("\n".join(sorted(i.key for i in items)).encode()).hexdigest()[:24]
    try:
        with transaction.atomic():
            return [
                Delivery.objects.create(
                    channel=channel,
                    key=f"{target}:{digest}",
                    recipient=recipient,
                    unit=unit,
                    title=title,
                    items=[{"title": i.title, "body": i.body, "link": i.link} for i in items],
                    link=reverse("notify:list"),
                    next_attempt_at=now,
                )
            ]
    except IntegrityError:
        return []


# --- Sending ----------------------------------------------------------------------------------


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
    down: set[str] = set()  # servers that did not answer in this run
    for delivery_id in list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)):
        delivery = attempt(delivery_id, now, down=down)
        if delivery is not None:
            done.append(delivery)
    return done


def _server(delivery: Delivery) -> str:
    """The server a delivery goes through: the SMTP server, or the robot's host."""
    if delivery.channel.kind == ChannelKind.EMAIL:
        return f"smtp:{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    return f"web:{urlsplit(delivery.channel.url).netloc}"


def attempt(
    delivery_id: int, now: datetime | None = None, *, down: set[str] | None = None
) -> Delivery | None:
    """Try one delivery once, if it is pending, due and nobody else is sending it.

    ``down``: the servers that did not answer earlier in the same run (a dead SMTP server that
    accepts connections and never speaks costs one timeout, not one per message); a delivery
    through one of them is not tried but left for the retry, its attempts unchanged."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("channel", "recipient").get(pk=delivery_id)
    server = _server(delivery)
    if down is not None and server in down:
        delivery.next_attempt_at = now + backoff(max(1, delivery.attempts))
        delivery.last_error = "not tried: the server did not answer a moment ago"
        delivery.save(update_fields=["last_error", "next_attempt_at"])
        retry_at = delivery.next_attempt_at
        transaction.on_commit(lambda: enqueue([delivery_id], run_after=retry_at))
        return delivery
    delivery.attempts += 1
    try:
        _send(delivery)
    except Exception as exc:  # a failing channel must never stop the others
        error = str(exc) if isinstance(exc, SendError) else f"{type(exc).__name__}: {exc}"
        delivery.last_error = error[:2000]
        if down is not None and getattr(exc, "unreachable", False):
            down.add(server)
        if delivery.attempts >= int(settings.NOTIFY_MAX_ATTEMPTS) or getattr(
            exc, "permanent", False
        ):
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
    return len(created.items) + len(deliver_pending())


def _send(delivery: Delivery) -> None:
    channel = delivery.channel
    lines = tuple(
        Line(str(i.get("title", "")), str(i.get("body", "")), absolute(str(i.get("link", ""))))
        for i in delivery.items
    )
    message = Message(delivery.title, "", absolute(delivery.link), lines)
    with translation.override(settings.LANGUAGE_CODE):
        if channel.kind == ChannelKind.EMAIL:
            if delivery.recipient is None or not delivery.recipient.email:
                raise SendError("the recipient has no email address")
            send_email(delivery.recipient.email, message)
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
