"""The history of a task on its page: every change to it and to what hangs on it."""

from __future__ import annotations

from typing import Any

from django import template

from duban.audit.models import AuditEvent
from duban.ledger.models import Task

register = template.Library()

HISTORY_LIMIT = 100


@register.inclusion_tag("audit/_history_panel.html")
def history_panel(task: Task) -> dict[str, Any]:
    events = list(AuditEvent.objects.filter(task_id=task.pk).select_related("user")[:HISTORY_LIMIT])
    return {"task": task, "events": events, "limit": HISTORY_LIMIT}


_QUIET_FIELDS = {"id", "updated_at", "version"}


@register.filter
def changed_fields(event: AuditEvent) -> list[tuple[str, object, object]]:
    """The fields an update changed; a creation or deletion is told by its object alone."""
    if event.action != "update":
        return []
    return [change for change in event.changes() if change[0] not in _QUIET_FIELDS]
