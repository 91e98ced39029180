"""The history of a task on its page: every change to it and to what hangs on it."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models

from duban.audit.history import present
from duban.audit.models import AuditEvent

register = template.Library()

HISTORY_LIMIT = 100


@register.inclusion_tag("audit/_history_panel.html", takes_context=True)
def history_panel(context: dict[str, Any], task: models.Model) -> dict[str, Any]:
    """The task's latest changes in Chinese (duban/audit/history.py)."""
    events = AuditEvent.objects.restrict(context["request"].user).filter(task_id=task.pk)
    return {
        "task": task,
        "events": present(events.select_related("user")[:HISTORY_LIMIT]),
        "limit": HISTORY_LIMIT,
    }
