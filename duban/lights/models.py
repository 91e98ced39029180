"""The office's thresholds for the traffic lights, and its manual overrides per task.

Who may do what (``duban.core.permissions``): the thresholds are the office's
(``Action.MANAGE_LEDGER``); an override and a task's light history are seen by whoever sees the
task and changed by whoever may change it (the office), as the task rule says.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core import clock
from duban.core.permissions import Action, Actor, RestrictedQuerySet
from duban.ledger.models import Task

from .rules import Rules


class LightSettingsQuerySet(RestrictedQuerySet["LightSettings"]):
    """The thresholds: seen and changed by the office only (everyone's lights use them)."""

    actions = (Action.VIEW, Action.CHANGE)

    def permitted(self, who: Actor, action: Action) -> LightSettingsQuerySet:
        if action in (Action.VIEW, Action.CHANGE) and who.manages:
            return self
        return self.none()


def _of_tasks(who: Actor, action: Action) -> models.QuerySet[Task, Any]:
    """The tasks ``who`` may ``action`` (the task rule), as a subquery of their ids."""
    return Task.objects.all().permitted(who, action).values("pk")


class LightOverrideQuerySet(RestrictedQuerySet["LightOverride"]):
    """An override is seen with its task and set or removed by whoever may change the task."""

    actions = (Action.VIEW, Action.CHANGE)

    def permitted(self, who: Actor, action: Action) -> LightOverrideQuerySet:
        if action in (Action.VIEW, Action.CHANGE):
            return self.filter(task__in=_of_tasks(who, action))
        return self.none()


class LightRecordQuerySet(RestrictedQuerySet["LightRecord"]):
    """A task's light history is seen with the task; only the daily job writes it."""

    actions = (Action.VIEW,)

    def permitted(self, who: Actor, action: Action) -> LightRecordQuerySet:
        if action == Action.VIEW:
            return self.filter(task__in=_of_tasks(who, action))
        return self.none()


class LightSettings(models.Model):
    """One row (pk 1): the thresholds of the rules; defaults until the office saves them."""

    days_before_yellow = models.PositiveSmallIntegerField(
        _("yellow this many days before a due date"), default=3
    )
    pace_yellow = models.PositiveSmallIntegerField(
        _("yellow when behind the expected progress by (points)"), default=10
    )
    pace_red = models.PositiveSmallIntegerField(
        _("red when behind the expected progress by more than (points)"), default=30
    )
    time_pace = models.BooleanField(
        _("without a refinement, expect progress in step with the year elapsed"), default=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LightSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("traffic-light settings")
        verbose_name_plural = _("traffic-light settings")

    def __str__(self) -> str:
        return str(_("traffic-light settings"))

    @classmethod
    def current(cls) -> LightSettings:
        """The saved settings, else the defaults (not saved: reading writes nothing)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def rules(self) -> Rules:
        return Rules(
            days_before_yellow=self.days_before_yellow,
            pace_yellow=self.pace_yellow,
            pace_red=self.pace_red,
            time_pace=self.time_pace,
        )


class OverrideColour(models.TextChoices):
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")


class LightOverride(models.Model):
    """The office's own colour for a task, with its reason; it wins until removed."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="light_override")
    colour = models.CharField(_("colour"), max_length=10, choices=OverrideColour.choices)
    reason = models.TextField(_("reason"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=clock.now)  # set again at each change (services)

    objects = LightOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("traffic-light override")
        verbose_name_plural = _("traffic-light overrides")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.get_colour_display()}"


class LightRecord(models.Model):
    """The light a task had from a day on: written when the colour changes (``duban remind``
    records every day), so escalation can count a second yellow within a period."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="light_records")
    on = models.DateField(_("date"))
    colour = models.CharField(_("colour"), max_length=10)
    reasons = models.JSONField(default=list)

    objects = LightRecordQuerySet.as_manager()

    class Meta:
        ordering = ["task", "on"]
        constraints = [models.UniqueConstraint(fields=["task", "on"], name="light_record_day")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.on}: {self.colour}"
