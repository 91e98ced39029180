"""The report panel of the task page (stub until the report workflow fills it)."""

from __future__ import annotations

from typing import Any

from django import template

from duban.ledger.models import Task

register = template.Library()


@register.inclusion_tag("reporting/_report_panel.html", takes_context=True)
def reports_panel(context: dict[str, Any], task: Task) -> dict[str, Any]:
    return {"task": task, "request": context.get("request")}
