"""In-app notifications, the office's delivery channels and every delivery attempt.

A person has at most one ``Notification`` a day (local date, ``duban.core.clock.today()``); it
holds a list of ``NotificationItem`` rows — each reminder of ``duban remind`` and each event a
workflow announces (``duban.core.events``) is one item. An item is unique per person and key
(kind, subject and due date), so running ``duban remind`` twice, or announcing the same event
again, adds nothing; a new item of the day is added to that day's notification, which becomes
unread again.

A ``Delivery`` is one message through one channel: an email to one person with the items that
person got in one run, or a group robot's message with the items one unit got in one run (a
group hears a unit once per run, not once per item or per operator). Deliveries are sent in the
background and retried with backoff.

Who may do what (``duban.core.permissions``): a notification and its items are their
recipient's alone (to read and to mark read). Channels are system settings: the system
administrator (``Action.MANAGE_SETTINGS``) manages them. Deliveries carry business data: the
office sees them all, anyone else only the emails addressed to him or her.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core import clock
from duban.core.permissions import Action, Actor, RestrictedQuerySet
from duban.directory.models import Unit
from duban.ledger.models import Task


class NotificationQuerySet(RestrictedQuerySet["Notification"]):
    """A person's own notifications, and nobody else's (not even the office's to read)."""

    actions = (Action.VIEW, Action.CHANGE)

    def permitted(self, who: Actor, action: Action) -> NotificationQuerySet:
        if action in (Action.VIEW, Action.CHANGE) and who.user_id is not None:
            return self.filter(user_id=who.user_id)
        return self.none()


class NotificationItemQuerySet(RestrictedQuerySet["NotificationItem"]):
    """The items of a person's own notifications, read with them (marked read with them too)."""

    actions = (Action.VIEW,)

    def permitted(self, who: Actor, action: Action) -> NotificationItemQuerySet:
        if action == Action.VIEW and who.user_id is not None:
            return self.filter(user_id=who.user_id)
        return self.none()


class ChannelQuerySet(RestrictedQuerySet["Channel"]):
    """Channels are settings (三权分立): the system administrator manages them, nobody else."""

    actions = (Action.VIEW, Action.CHANGE)

    def permitted(self, who: Actor, action: Action) -> ChannelQuerySet:
        if action in (Action.VIEW, Action.CHANGE) and who.may(Action.MANAGE_SETTINGS):
            return self
        return self.none()


class DeliveryQuerySet(RestrictedQuerySet["Delivery"]):
    """The office sees every delivery; anyone else the emails addressed to him or her."""

    actions = (Action.VIEW,)

    def permitted(self, who: Actor, action: Action) -> DeliveryQuerySet:
        if action != Action.VIEW:
            return self.none()
        if who.manages:
            return self
        if who.user_id is None:
            return self.none()
        return self.filter(recipient_id=who.user_id)


class Notification(models.Model):
    """One person's notifications of one day: the list is ``items``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(default=clock.now)
    # When the last item was added (the notification is unread again since then).
    updated_at = models.DateTimeField(default=clock.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="notification_once_per_day")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.user} · {self.day.isoformat()}"


class NotificationItem(models.Model):
    """One thing a person is told: a reminder, or an event a workflow announced."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="items")
    # The notification's person, kept here so that a key is unique per person across days.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=40)
    # The uniqueness key: kind, subject and due date (a reminder), or the event's key.
    key = models.CharField(max_length=200)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(max_length=500, blank=True)
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="notification_items"
    )
    due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    objects = NotificationItemQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_item_once_per_key")
        ]
        verbose_name = _("notification item")
        verbose_name_plural = _("notification items")

    def __str__(self) -> str:
        return self.title


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("Email")
    DINGTALK = "dingtalk", _("DingTalk group robot")
    WECOM = "wecom", _("WeCom group robot")


class Channel(models.Model):
    """Where notifications also go: email to each recipient, or a group robot's webhook."""

    kind = models.CharField(_("kind"), max_length=10, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("webhook address"), max_length=500, blank=True)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("leave empty for the whole office: every recipient"),
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name", "pk"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return self.name


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One message through one channel: the items one person (email) or one unit (a group
    robot) got in one run, as a list (``items``: title, body and link of each)."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="deliveries")
    key = models.CharField(max_length=250)
    # An email's addressee; none for a group robot's message.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The unit whose news a group robot's message carries (none: the office's, or an email).
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    items = models.JSONField(default=list)
    link = models.CharField(max_length=500, blank=True)
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField()
    created_at = models.DateTimeField(default=clock.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "key"], name="delivery_once_per_channel")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due_idx")]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.channel} · {self.key} · {self.state}"
