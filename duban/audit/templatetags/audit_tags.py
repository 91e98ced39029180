"""The history of a task on its page: every change to it and to what hangs on it."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models

from duban.audit.models import AuditEvent

register = template.Library()

HISTORY_LIMIT = 100


@register.inclusion_tag("audit/_history_panel.html", takes_context=True)
def history_panel(context: dict[str, Any], task: models.Model) -> dict[str, Any]:
    events = AuditEvent.objects.restrict(context["request"].user).filter(task_id=task.pk)
    return {
        "task": task,
        "events": list(events.select_related("user")[:HISTORY_LIMIT]),
        "limit": HISTORY_LIMIT,
    }


_QUIET_FIELDS = {"id", "updated_at", "version"}


@register.filter
def changed_fields(event: AuditEvent) -> list[tuple[str, object, object]]:
    """The fields an update changed; a creation or deletion is told by its object alone."""
    if event.action != "update":
        return []
    return [change for change in event.changes() if change[0] not in _QUIET_FIELDS]
