"""The refinement panel of the task page: state, content, and the steps the user may take."""

from __future__ import annotations

from typing import Any

from django import template

from duban.ledger.models import Task
from duban.reporting.services.refinement_summary import summarize

register = template.Library()


@register.inclusion_tag("reporting/_refinement_panel.html", takes_context=True)
def refinement_panel(context: dict[str, Any], task: Task) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"task": task, "request": request, "summary": summarize(task, user), "panel": True}
