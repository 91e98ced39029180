"""In-app notifications, the office's delivery channels and every delivery attempt.

A reminder becomes one Notification per recipient (unique per user and reminder key, so it is
created once however often ``duban remind`` runs) and one Delivery per channel that serves the
recipient (unique per channel and key, so a group robot gets one message per unit, not one per
operator). Deliveries are sent in the background and retried with backoff.

Who may do what (``duban.core.permissions``): a notification is its recipient's alone (to read
and to mark read). Channels are system settings: the system administrator
(``Action.MANAGE_SETTINGS``) manages them, and so does the office (``Action.MANAGE_LEDGER``),
which has managed them since reminders began. Deliveries name their notification, which is
business data: the office sees them all, anyone else only those of their own notifications.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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


class ChannelQuerySet(RestrictedQuerySet["Channel"]):
    """Channels are settings (三权分立): the system administrator manages them, nobody else."""

    actions = (Action.VIEW, Action.CHANGE)

    def permitted(self, who: Actor, action: Action) -> ChannelQuerySet:
        if action in (Action.VIEW, Action.CHANGE) and who.may(Action.MANAGE_SETTINGS):
            return self
        return self.none()


class DeliveryQuerySet(RestrictedQuerySet["Delivery"]):
    """The office sees every delivery; anyone else those of his or her own notifications."""

    actions = (Action.VIEW,)

    def permitted(self, who: Actor, action: Action) -> DeliveryQuerySet:
        if action != Action.VIEW:
            return self.none()
        if who.manages:
            return self
        if who.user_id is None:
            return self.none()
        return self.filter(notification__user_id=who.user_id)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    # The reminder's uniqueness key: kind, subject and due date ("" for one-off messages).
    key = models.CharField(max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(max_length=500, blank=True)
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_key",
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

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
    created_at = models.DateTimeField(auto_now_add=True)

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
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="deliveries")
    key = models.CharField(max_length=250)
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
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
