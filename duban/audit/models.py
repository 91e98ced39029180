"""The audit trail: who did what, when, from where, and what it was before and after."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core import clock
from duban.core.permissions import Action, Actor, RestrictedQuerySet


class AuditAction(models.TextChoices):
    # What a person did, as the trail names it (新建, 修改...; "Created" elsewhere is 已新建).
    CREATE = "create", pgettext_lazy("audit event", "Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Sign-in failed")
    LOGOUT = "logout", _("Signed out")
    EXPORT = "export", _("Exported")
    DOWNLOAD = "download", _("Downloaded")


class AuditEventQuerySet(RestrictedQuerySet["AuditEvent"]):
    """The audit administrator reads the whole trail; a reader of business data reads the
    history of the tasks he or she sees (the panel on a task's page), nothing else."""

    def permitted(self, who: Actor, action: Action) -> AuditEventQuerySet:
        if action != Action.VIEW:
            return self.none()
        if who.may(Action.READ_AUDIT):
            return self
        if who.reads_business:
            # The trail sits below the ledger: its tasks are named, not imported.
            tasks = apps.get_model("ledger", "Task").objects.all().permitted(who, Action.VIEW)
            return self.filter(task_id__in=tasks.values("pk"))
        return self.none()


class AuditEvent(models.Model):
    """One event. Append-only: never changed or deleted by the application."""

    # duban's now (duban.core.clock): a demonstration's history happens on its days.
    at = models.DateTimeField(_("time"), default=clock.now, editable=False, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(_("user"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(_("event"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)  # "ledger.task"
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    task_id = models.BigIntegerField(null=True, blank=True, db_index=True)  # a task's history
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    result = models.CharField(_("result"), max_length=20, default="ok")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field an update changed."""
        before, after = self.before or {}, self.after or {}
        return [(k, before.get(k), after.get(k)) for k in after if before.get(k) != after.get(k)]
