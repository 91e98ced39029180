"""The refinement panel of the task page (stub until the refinement workflow fills it)."""

from __future__ import annotations

from typing import Any

from django import template

from duban.ledger.models import Task

register = template.Library()


@register.inclusion_tag("reporting/_refinement_panel.html", takes_context=True)
def refinement_panel(context: dict[str, Any], task: Task) -> dict[str, Any]:
    return {"task": task, "request": context.get("request")}
